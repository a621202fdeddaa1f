// 核销 across exchange rates, pure, figures by hand:
//   a USD 100.00 advance received at 7.20 (720.00 in 预收) against a USD 100.00 invoice at 7.10
//   (710.00 in 应收): matching 710.00 off the invoice takes USD 100.00 = 720.00 off the receipt;
//   借 预收 720.00 (USD 100 @7.20) / 贷 应收 710.00 (USD 100 @7.10) / 贷 财务费用 10.00 (汇兑收益).
//   A EUR 100.00 prepayment at 7.90 (790.00 in 预付) against a EUR invoice at 7.80: 780.00 off the
//   invoice takes 790.00 off the payment; 借 应付 780.00 / 借 财务费用 10.00 (汇兑损失) / 贷 预付 790.00.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { settlementAmounts } from '../../server/modules/finance/currencies/settlement.ts';
import { arMatchVoucher, type ArMatchPostingFacts } from '../../server/modules/sales/receivables/voucher.ts';
import { advanceSettlementVoucher } from '../../server/modules/purchase/payables/voucher.ts';

const usd = (rate: string) => ({ code: 'USD', rate });
const brief = (lines: { account: string; debit?: unknown; credit?: unknown; currencyCode?: string | null; amountForeign?: unknown; rate?: unknown }[]) =>
  lines.map((l) => [l.account, new Decimal(String(l.debit ?? 0)).toFixed(2), new Decimal(String(l.credit ?? 0)).toFixed(2), l.currencyCode ?? null, l.amountForeign == null ? null : new Decimal(String(l.amountForeign)).toFixed(2), l.rate ?? null]);
const plain = (r: ReturnType<typeof settlementAmounts>) =>
  r.ok ? { invoice: r.invoiceAmount.toFixed(2), money: r.moneyAmount.toFixed(2), foreign: r.foreign?.toFixed(2) ?? null, code: r.currencyCode } : r;

describe('跨汇率核销的金额', () => {
  it('同一外币：发票减少的本位币按发票汇率，收款按相同外币金额、收款汇率减少；外币正好用完时取收款的全部未核销', () => {
    expect(plain(settlementAmounts('710', { currency: usd('7.10') }, { open: '720', currency: usd('7.20') }))).toEqual({ invoice: '710.00', money: '720.00', foreign: '100.00', code: 'USD' });
    // USD 30.00 of it: 213.00 off the invoice, 30 × 7.20 = 216.00 off the receipt
    expect(plain(settlementAmounts('213', { currency: usd('7.10') }, { open: '720', currency: usd('7.20') }))).toEqual({ invoice: '213.00', money: '216.00', foreign: '30.00', code: 'USD' });
    // USD 1/3 of an odd receipt: 33.33 × 7.123457 = 237.43 of 237.45 open: the whole open amount once the foreign matches
    expect(plain(settlementAmounts('237.40', { currency: usd('7.122') }, { open: '237.45', currency: usd('7.123457') }))).toMatchObject({ foreign: '33.33', money: '237.45' });
  });

  it('人民币与外币、两种外币', () => {
    expect(plain(settlementAmounts('100', { currency: null }, { open: '500', currency: null }))).toEqual({ invoice: '100.00', money: '100.00', foreign: null, code: null });
    // a USD receipt against a CNY invoice: the same CNY, the receipt's foreign share
    expect(plain(settlementAmounts('72', { currency: null }, { open: '720', currency: usd('7.20') }))).toEqual({ invoice: '72.00', money: '72.00', foreign: '10.00', code: 'USD' });
    expect(plain(settlementAmounts('71', { currency: usd('7.10') }, { open: '500', currency: null }))).toEqual({ invoice: '71.00', money: '71.00', foreign: '10.00', code: 'USD' });
    expect(settlementAmounts('71', { currency: usd('7.10') }, { open: '500', currency: { code: 'EUR', rate: '7.8' } })).toEqual({ ok: false, problem: 'currencyMismatch' });
  });
});

describe('预收冲应收（外币）', () => {
  const facts: ArMatchPostingFacts = {
    documentId: 'm1', documentNumber: 'SK-1→XS-1', date: '2026-12-07', customerId: 'c1', customerName: 'Acme', invoiceNumber: 'XS-1', receiptNumber: 'SK-1',
    amount: '710.00', receiptAmount: '720.00', amountForeign: '100.00', fromAdvance: '720.00',
    receiptCurrency: usd('7.20'), invoiceCurrency: usd('7.10'), gainLossAccount: '560301', undo: false,
  };

  it('借 预收 720.00（USD 100 @7.20）/ 贷 应收 710.00（USD 100 @7.10）/ 贷 汇兑损益 10.00；取消核销反向', () => {
    const v = arMatchVoucher(facts)!;
    expect(brief(v.lines)).toEqual([
      ['2203', '720.00', '0.00', 'USD', '100.00', '7.200000'],
      ['1122', '0.00', '710.00', 'USD', '100.00', '7.100000'],
      ['560301', '0.00', '10.00', null, null, null],
    ]);
    expect(v.lines.slice(0, 2).every((l) => l.customerId === 'c1')).toBe(true);
    expect(brief(arMatchVoucher({ ...facts, undo: true })!.lines)).toEqual([
      ['1122', '710.00', '0.00', 'USD', '100.00', '7.100000'],
      ['2203', '0.00', '720.00', 'USD', '100.00', '7.200000'],
      ['560301', '10.00', '0.00', null, null, null],
    ]);
  });

  it('一部分用预收：按比例；人民币的不变', () => {
    // receipt side 720.00 of which 360.00 from the advance: USD 50.00, 355.00 off 应收, 5.00 gain
    expect(brief(arMatchVoucher({ ...facts, fromAdvance: '360.00' })!.lines)).toEqual([
      ['2203', '360.00', '0.00', 'USD', '50.00', '7.200000'],
      ['1122', '0.00', '355.00', 'USD', '50.00', '7.100000'],
      ['560301', '0.00', '5.00', null, null, null],
    ]);
    const cny = arMatchVoucher({ ...facts, amount: '80.00', receiptAmount: '80.00', amountForeign: null, fromAdvance: '30.00', receiptCurrency: null, invoiceCurrency: null })!;
    expect(brief(cny.lines)).toEqual([['2203', '30.00', '0.00', null, null, null], ['1122', '0.00', '30.00', null, null, null]]);
    expect(arMatchVoucher({ ...facts, fromAdvance: '0.00' })).toBeNull();
  });
});

describe('预付冲应付（外币）', () => {
  it('借 应付货款 780.00（EUR 100 @7.80）/ 借 汇兑损益 10.00 / 贷 预付 790.00（EUR 100 @7.90）', () => {
    const eur = (rate: string) => ({ code: 'EUR', rate });
    const v = advanceSettlementVoucher({
      documentId: 'p1', documentNumber: 'FK-1', date: '2026-12-07', supplierId: 's1', supplierName: 'Rhein', invoiceNos: ['2633'], fromAdvance: '790.00',
      parts: [{ invoiceNo: '2633', amount: '780.00', paymentAmount: '790.00', amountForeign: '100.00', fromAdvance: '790.00', invoiceCurrency: eur('7.80') }],
      paymentCurrency: eur('7.90'), gainLossAccount: '5603',
    })!;
    expect(brief(v.lines)).toEqual([
      ['220201', '780.00', '0.00', 'EUR', '100.00', '7.800000'],
      ['1123', '0.00', '790.00', 'EUR', '100.00', '7.900000'],
      ['5603', '10.00', '0.00', null, null, null],
    ]);
  });

  it('人民币：一行应付、一行预付，没有汇兑损益', () => {
    const v = advanceSettlementVoucher({ documentId: 'p1', documentNumber: 'FK-1', date: '2026-12-07', supplierId: 's1', supplierName: 'X', invoiceNos: ['1', '2'], fromAdvance: '150.00' })!;
    expect(brief(v.lines)).toEqual([['220201', '150.00', '0.00', null, null, null], ['1123', '0.00', '150.00', null, null, null]]);
  });
});
