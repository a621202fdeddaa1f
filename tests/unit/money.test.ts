import { describe, expect, it } from 'vitest';
import { documentTotals, lineAmounts } from '../../shared/money.ts';

describe('lineAmounts（含税单价拆税）', () => {
  it.each([
    // quantity, listPrice, discount, tax → unitPrice, amount, tax, withTax, list
    ['3000', '0.055', '0', '0.13', '0.055000', '146.02', '18.98', '165.00', '165.00'],
    ['3000', '0.055', '0.15', '0.13', '0.046750', '124.12', '16.13', '140.25', '165.00'],
    ['1', '100', '0', '0.06', '100.000000', '94.34', '5.66', '100.00', '100.00'],
    ['2.5', '4.8', '0.1', '0.13', '4.320000', '9.56', '1.24', '10.80', '12.00'],
    ['7', '0.0333333', '0', '0.13', '0.033333', '0.20', '0.03', '0.23', '0.23'],
  ])('%s × %s 折扣 %s 税率 %s', (quantity, listPrice, discountRate, taxRate, unitPrice, amount, taxAmount, amountWithTax, listAmount) => {
    expect(lineAmounts({ quantity, listPrice, discountRate, taxRate })).toEqual({ unitPrice, amount, taxAmount, amountWithTax, listAmount });
  });

  it('税额 = 价税合计 − 不含税金额，分毫不差', () => {
    for (let i = 1; i < 200; i++) {
      const l = lineAmounts({ quantity: String(i * 7), listPrice: '0.0537', discountRate: '0.03', taxRate: '0.13' });
      expect((Number(l.amount) * 100 + Number(l.taxAmount) * 100).toFixed(0)).toBe((Number(l.amountWithTax) * 100).toFixed(0));
    }
  });
});

describe('documentTotals（单据合计来自行）', () => {
  it('合计与整单折扣率', () => {
    const lines = [
      lineAmounts({ quantity: '1000', listPrice: '1', discountRate: '0.15', taxRate: '0.13' }),
      lineAmounts({ quantity: '1000', listPrice: '1', discountRate: '0.05', taxRate: '0.13' }),
    ];
    expect(documentTotals(lines)).toEqual({ totalAmount: '1592.92', totalTax: '207.08', totalWithTax: '1800.00', listTotal: '2000.00', discountRate: '0.1000' });
  });
  it('没有行时全为 0', () => {
    expect(documentTotals([])).toEqual({ totalAmount: '0.00', totalTax: '0.00', totalWithTax: '0.00', listTotal: '0.00', discountRate: '0.0000' });
  });
});
