// 入库金额: a purchase line's net amount pro rata to the net quantity received, to the fen.
import { describe, expect, it } from 'vitest';
import { bookedShare } from '../../server/modules/inventory/stock/rules.ts';
import { lineValueAt, stockDocValue } from '../../server/modules/purchase/receipts/valuation.ts';

const line = { lineAmount: '17699.12', lineBaseQuantity: '200000', exchangeRate: '1' };

describe('stockDocValue', () => {
  it('the whole line at once is its net amount, not unit cost × quantity', () => {
    expect(stockDocValue({ ...line, netBefore: '0', netAfter: '200000' })).toEqual({ amount: '17699.12', unitCost: '0.088496' });
  });

  it('partial receipts: pro rata, the one that completes the line takes the remainder', () => {
    // 17,699.12 × 50/200 = 4,424.78; 17,699.12 − 4,424.78 = 13,274.34
    expect(stockDocValue({ ...line, netBefore: '0', netAfter: '50000' }).amount).toBe('4424.78');
    expect(stockDocValue({ ...line, netBefore: '50000', netAfter: '200000' }).amount).toBe('13274.34');
    // in thirds: 66,667 个 worth 5,899.7354 → 5,899.74; 133,333 worth 11,799.3843 → 11,799.38, so the
    // second takes 11,799.38 − 5,899.74 = 5,899.64 and the last 17,699.12 − 11,799.38 = 5,899.74: Σ 17,699.12
    const thirds = [['0', '66667'], ['66667', '133333'], ['133333', '200000']].map(([a, b]) => stockDocValue({ ...line, netBefore: a!, netAfter: b! }).amount);
    expect(thirds).toEqual(['5899.74', '5899.64', '5899.74']);
  });

  it('a return takes back what its quantity was worth; redelivery puts the same back', () => {
    expect(stockDocValue({ ...line, netBefore: '200000', netAfter: '150000' }).amount).toBe('4424.78');
    expect(stockDocValue({ ...line, netBefore: '150000', netAfter: '200000' }).amount).toBe('4424.78');
  });

  it('foreign currency: the order-currency share × rate, to the fen', () => {
    // USD 10.00 over 1,000 个 at 7.12: 300 个 = USD 3.00 = ¥21.36
    expect(stockDocValue({ lineAmount: '10.00', lineBaseQuantity: '1000', netBefore: '0', netAfter: '300', exchangeRate: '7.12' })).toEqual({ amount: '21.36', unitCost: '0.071200' });
  });

  it('over-receipt within tolerance is valued pro rata; a zero-quantity line is worth nothing', () => {
    expect(lineValueAt('100.00', '1000', '1050').toFixed(2)).toBe('105.00');
    expect(lineValueAt('100.00', '0', '10').toFixed(2)).toBe('0.00');
  });
});

describe('bookedShare (退货金额)', () => {
  it('pro rata of what is still booked, to the fen; the return that takes the whole net quantity takes the remainder', () => {
    // 70 received, 503.36 booked: 30 → 503.36 × 30/70 = 215.7257 → 215.73; then the other 40 → 503.36 − 215.73
    expect(bookedShare('503.36', '70', '30')).toEqual({ amount: '215.73', unitCost: '7.191000' });
    expect(bookedShare('287.63', '40', '40')).toEqual({ amount: '287.63', unitCost: '7.190750' });
    // 1,234.57 for 30,000: 10,000 → 411.5233 → 411.52
    expect(bookedShare('1234.57', '30000', '10000')).toEqual({ amount: '411.52', unitCost: '0.041152' });
  });

  it('nothing held is worth nothing', () => {
    expect(bookedShare('0', '0', '0')).toEqual({ amount: '0.00', unitCost: '0.000000' });
  });
});
