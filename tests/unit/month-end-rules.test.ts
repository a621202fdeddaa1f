// 期末处理的凭证规则 and the statements — pure, figures by hand.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  computeSurcharges, DEFAULT_SURCHARGE_SETTINGS, incomeTaxDue, incomeTaxVoucher, periodEnd, profitTransferVoucher, surchargeVoucher, vatTransferVoucher, yearEndVoucher,
} from '../../server/modules/finance/month-end/rules.ts';
import { balanceSheet, cashFlowRow, cashFlowStatement, profitStatement } from '../../server/modules/finance/reports/statements.ts';
import type { AccountFigures } from '../../server/modules/finance/reports/figures.ts';

const doc = { documentId: 'd', documentNumber: 'n', period: '2026-02' };
const brief = (d: ReturnType<typeof vatTransferVoucher>) => d?.lines.map((l) => [l.account, String(l.debit ?? 0), String(l.credit ?? 0)]);

describe('转出未交增值税', () => {
  it('credit balance left on 应交增值税 is moved to 未交增值税, dated the month end; 留抵 (debit balance) posts nothing', () => {
    expect(periodEnd('2026-02')).toBe('2026-02-28');
    expect(periodEnd('2028-02')).toBe('2028-02-29');
    const v = vatTransferVoucher({ ...doc, vatCreditBalance: '1234.565' });
    expect(v?.date).toBe('2026-02-28');
    expect(brief(v)).toEqual([['22210104', '1234.57', '0'], ['222102', '0', '1234.57']]);
    expect(vatTransferVoucher({ ...doc, vatCreditBalance: '-500' })).toBeNull();
    expect(vatTransferVoucher({ ...doc, vatCreditBalance: '0' })).toBeNull();
  });
});

describe('税金及附加', () => {
  it('7 % / 3 % / 2 % on the VAT payable, each to the fen', () => {
    const s = computeSurcharges('10000.10', '200000', DEFAULT_SURCHARGE_SETTINGS);
    expect([s.urbanConstructionTax, s.educationSurcharge, s.localEducationSurcharge].map(String)).toEqual(['700.01', '300', '200']);
  });
  it('六税两费减半 halves all three; 5 % and 1 % 城建税 rates are settings', () => {
    const s = computeSurcharges('10000', '200000', { ...DEFAULT_SURCHARGE_SETTINGS, sixTaxesHalfRelief: true, urbanConstructionTaxRate: '0.05' });
    expect([s.urbanConstructionTax, s.educationSurcharge, s.localEducationSurcharge].map(String)).toEqual(['250', '150', '100']);
    expect(String(computeSurcharges('10000', '0', { ...DEFAULT_SURCHARGE_SETTINGS, urbanConstructionTaxRate: '0.01' }).urbanConstructionTax)).toBe('100');
  });
  it('sales ≤ 100,000 exempt the two 附加 (not 城建税); exactly at the threshold too; the exemption can be switched off', () => {
    const at = computeSurcharges('3000', '100000', DEFAULT_SURCHARGE_SETTINGS);
    expect([at.urbanConstructionTax, at.educationSurcharge, at.localEducationSurcharge].map(String)).toEqual(['210', '0', '0']);
    expect(at.exempt).toBe(true);
    expect(computeSurcharges('3000', '100000.01', DEFAULT_SURCHARGE_SETTINGS).exempt).toBe(false);
    expect(String(computeSurcharges('3000', '50000', { ...DEFAULT_SURCHARGE_SETTINGS, smallSalesSurchargeExempt: false }).educationSurcharge)).toBe('90');
  });
  it('a second run posts only the difference from what the month booked; nothing when equal', () => {
    const due = computeSurcharges('10000', '200000', DEFAULT_SURCHARGE_SETTINGS);
    expect(brief(surchargeVoucher({ ...doc, due, booked: { urbanConstructionTax: '350', educationSurcharge: '150', localEducationSurcharge: '100' } }))).toEqual([
      ['5403', '600', '0'], ['222104', '0', '350'], ['222105', '0', '150'], ['222106', '0', '100'],
    ]);
    expect(surchargeVoucher({ ...doc, due, booked: { urbanConstructionTax: '700', educationSurcharge: '300', localEducationSurcharge: '200' } })).toBeNull();
    // Too much booked (the VAT went down): the difference is taken back.
    expect(brief(surchargeVoucher({ ...doc, due, booked: { urbanConstructionTax: '770', educationSurcharge: '300', localEducationSurcharge: '200' } }))).toEqual([
      ['5403', '0', '70'], ['222104', '70', '0'],
    ]);
  });
});

describe('结转损益 and 年末结转', () => {
  it('every 损益 balance is brought to 0, the difference to 本年利润 (profit on the credit side, a loss on the debit)', () => {
    const v = profitTransferVoucher({ ...doc, balances: [{ code: '5602', net: '300' }, { code: '5001', net: '-1000' }, { code: '5401', net: '600' }, { code: '5111', net: '0' }] });
    expect(brief(v)).toEqual([['5001', '1000', '0'], ['5401', '0', '600'], ['5602', '0', '300'], ['3103', '0', '100']]);
    const loss = profitTransferVoucher({ ...doc, balances: [{ code: '5001', net: '-100' }, { code: '5602', net: '250' }] });
    expect(brief(loss)).toEqual([['5001', '100', '0'], ['5602', '0', '250'], ['3103', '150', '0']]);
    expect(profitTransferVoucher({ ...doc, balances: [{ code: '5001', net: '0' }] })).toBeNull();
  });
  it('本年利润 into 利润分配—未分配利润; a loss the other way', () => {
    expect(brief(yearEndVoucher({ ...doc, period: '2026-12', profitCreditBalance: '5000' }))).toEqual([['3103', '5000', '0'], ['310401', '0', '5000']]);
    expect(brief(yearEndVoucher({ ...doc, period: '2026-12', profitCreditBalance: '-20' }))).toEqual([['3103', '0', '20'], ['310401', '20', '0']]);
  });
});

describe('报表', () => {
  const f = (code: string, category: AccountFigures['category'], closing: string, periodNet = '0', yearOpening = '0'): AccountFigures => ({
    code, category, direction: 'debit', closing: new Decimal(closing), yearOpening: new Decimal(yearOpening), periodDebit: new Decimal(0), periodCredit: new Decimal(0),
    periodNet: new Decimal(periodNet), yearNet: new Decimal(periodNet),
  });
  it('balance sheet balances before 结转损益 (open 损益 in 未分配利润); 累计折旧 reduces fixed assets', () => {
    const figures = [
      f('1002', 'asset', '1000'), f('1601', 'asset', '500'), f('1602', 'asset', '-100'), f('3001', 'equity', '-1000'),
      f('5001', 'profitLoss', '-800', '-800'), f('5602', 'profitLoss', '400', '400'),
    ];
    const bs = balanceSheet('2026-02', figures);
    const row = (side: 'assets' | 'liabilitiesAndEquity', n: number) => bs[side].find((l) => l.row === n)!.current;
    expect([row('assets', 18), row('assets', 19), row('assets', 20), row('assets', 30)]).toEqual(['500.00', '100.00', '400.00', '1400.00']);
    expect([row('liabilitiesAndEquity', 51), row('liabilitiesAndEquity', 53)]).toEqual(['400.00', '1400.00']);
    expect(bs.balanced).toBe(true);
    const ps = profitStatement('2026-02', figures);
    expect(ps.netProfit).toBe('400.00');
  });
  it('cash flow: each counter-account of a cash voucher to its line; paid amounts shown positive; a refund reduces the outflow', () => {
    expect(cashFlowRow('2203', new Decimal(1))).toBe(1);
    expect(cashFlowRow('220201', new Decimal(-1))).toBe(3);
    expect(cashFlowRow('1601', new Decimal(-1))).toBe(12);
    expect(cashFlowRow('2001', new Decimal(1))).toBe(14);
    expect(cashFlowRow('2001', new Decimal(-1))).toBe(16);
    expect(cashFlowRow('6999', new Decimal(1))).toBe(2);
    const cf = cashFlowStatement('2026-02', [
      { code: '1122', amount: '1130' }, { code: '220201', amount: '-500' }, { code: '220201', amount: '20' }, { code: '222102', amount: '-80' }, { code: '2001', amount: '1000' },
    ], [], { month: '50', year: '0' });
    const row = (n: number) => cf.lines.find((l) => l.row === n)!.current;
    expect([row(1), row(3), row(5), row(7), row(14), row(19), row(20), row(21), row(22)]).toEqual([
      '1130.00', '480.00', '80.00', '570.00', '1000.00', '1000.00', '1570.00', '50.00', '1620.00',
    ]);
  });
});

describe('所得税（应付税款法）', () => {
  it('max(0, 利润总额) × rate to the fen; less what was booked; a refund of an over-booking reverses the sides', () => {
    expect(incomeTaxDue('1000', '0.25').toFixed(2)).toBe('250.00');
    expect(incomeTaxDue('1234.57', '0.05').toFixed(2)).toBe('61.73');
    expect(incomeTaxDue('-300', '0.25').toFixed(2)).toBe('0.00');
    expect(brief(incomeTaxVoucher({ ...doc, profitBeforeTax: '1000', rate: '0.25', booked: '0' }))).toEqual([['5801', '250', '0'], ['222107', '0', '250']]);
    expect(incomeTaxVoucher({ ...doc, profitBeforeTax: '1000', rate: '0.25', booked: '250' })).toBeNull();
    expect(brief(incomeTaxVoucher({ ...doc, profitBeforeTax: '800', rate: '0.25', booked: '250' }))).toEqual([['5801', '0', '50'], ['222107', '50', '0']]);
    expect(incomeTaxVoucher({ ...doc, profitBeforeTax: '-1', rate: '0.25', booked: '0' })).toBeNull();
  });
});
