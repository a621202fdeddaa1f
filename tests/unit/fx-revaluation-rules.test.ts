// 期末调汇 and 外币分录 — pure rules, figures by hand.
import { describe, expect, it } from 'vitest';
import { fxAdjustment, fxGain, fxRevaluationVoucher } from '../../server/modules/finance/month-end/rules.ts';
import { foreignIssues } from '../../server/modules/finance/vouchers/balance.ts';
import { customerReceiptVoucher, salesInvoiceVoucher } from '../../server/modules/sales/receivables/voucher.ts';
import { shipmentVoucher } from '../../server/modules/sales/shipments/voucher.ts';
import { purchaseInvoiceVoucher } from '../../server/modules/purchase/invoices/voucher.ts';
import { supplierPaymentVoucher } from '../../server/modules/purchase/payables/voucher.ts';

const doc = { documentId: 'd', documentNumber: 'n', period: '2026-12' };
type L = { account: string; debit?: unknown; credit?: unknown; currencyCode?: string | null; amountForeign?: unknown; rate?: unknown; customerId?: string | null; supplierId?: string | null };
const brief = (lines: L[] | undefined) => lines?.map((l) => [l.account, String(l.debit ?? 0), String(l.credit ?? 0), l.currencyCode ?? null, l.amountForeign == null ? null : String(l.amountForeign), l.rate == null ? null : String(l.rate)]);

describe('期末调汇', () => {
  it('adjustment = round(foreign × rate, 2) − CNY balance, on assets and liabilities alike', () => {
    expect(String(fxAdjustment({ foreign: '700', base: '4960' }, '7.05'))).toBe('-25');
    // 应付 USD 100 (credit) booked at 7.10, rate up to 7.30: the liability grows by 20 (a credit, a loss)
    expect(String(fxAdjustment({ foreign: '-100', base: '-710' }, '7.3'))).toBe('-20');
    expect(String(fxAdjustment({ foreign: '0.01', base: '0' }, '7.125'))).toBe('0.07');
    // settled in full: the foreign balance is 0, the CNY left over is the realised difference
    expect(String(fxAdjustment({ foreign: '0', base: '15.5' }, '7'))).toBe('-15.5');
  });

  it('a loss debits 财务费用, the account lines carry the currency, foreign 0 and the rate, and the dimensions', () => {
    const v = fxRevaluationVoucher({
      ...doc, gainLossAccount: '5603', rates: { USD: '7.05' },
      balances: [
        { account: '100202', currencyCode: 'USD', foreign: '300', base: '2160' },
        { account: '1122', currencyCode: 'USD', customerId: 'c1', foreign: '700', base: '4960' },
      ],
    });
    expect(v?.date).toBe('2026-12-31');
    expect(brief(v?.lines)).toEqual([
      ['100202', '0', '45', 'USD', '0', '7.050000'],
      ['1122', '0', '25', 'USD', '0', '7.050000'],
      ['5603', '70', '0', null, null, null],
    ]);
    expect(v?.lines[1]).toMatchObject({ customerId: 'c1', supplierId: null });
  });

  it('a gain credits 财务费用 (a negative expense); gains and losses of several currencies net on one line; 汇兑损益 sub-account', () => {
    const f = {
      ...doc, gainLossAccount: '560302', rates: { USD: '7.2', EUR: '7.8' },
      balances: [
        { account: '1122', currencyCode: 'USD', customerId: 'c1', foreign: '100', base: '710' }, // +10
        { account: '220201', currencyCode: 'EUR', supplierId: 's1', foreign: '-50', base: '-385' }, // −5
      ],
    };
    expect(String(fxGain(f))).toBe('5');
    expect(brief(fxRevaluationVoucher(f)?.lines)).toEqual([
      ['1122', '10', '0', 'USD', '0', '7.200000'],
      ['220201', '0', '5', 'EUR', '0', '7.800000'],
      ['560302', '0', '5', null, null, null],
    ]);
  });

  it('nothing to post when every balance is at the rate (a rerun) or there is none', () => {
    expect(fxRevaluationVoucher({ ...doc, gainLossAccount: '5603', rates: { USD: '7.05' }, balances: [{ account: '1122', currencyCode: 'USD', foreign: '700', base: '4935' }] })).toBeNull();
    expect(fxRevaluationVoucher({ ...doc, gainLossAccount: '5603', rates: {}, balances: [] })).toBeNull();
  });
});

describe('外币分录的校验', () => {
  const fx = { code: '1122', fullName: '应收账款', fxAccounting: true, currencyCode: null };
  const usdBank = { code: '100202', fullName: '银行存款—美元', fxAccounting: true, currencyCode: 'USD' };
  const plain = { code: '5001', fullName: '主营业务收入', fxAccounting: false, currencyCode: null };
  const fields = (ls: Parameters<typeof foreignIssues>[0], strict = true) => foreignIssues(ls, { strict }).map((i) => i.field);

  it('a manual line: CNY = foreign × rate to the fen, same sign, on a 外币核算 account only', () => {
    // 100 × 7.12005 = 712.005 → 712.01 (half up)
    expect(fields([{ account: fx, debit: '712.01', currencyCode: 'USD', amountForeign: '100', rate: '7.12005' }])).toEqual([]);
  });
  it('rejects a mismatch, a missing amount or rate, a currency on a plain account, and a wrong currency on a one-currency account', () => {
    expect(fields([{ account: fx, debit: '710', currencyCode: 'USD', amountForeign: '100', rate: '7.12' }])).toEqual(['body.lines.0.amountForeign']);
    expect(fields([{ account: fx, credit: '712', currencyCode: 'USD', amountForeign: '100', rate: '7.12' }])).toEqual([]);
    expect(fields([{ account: fx, debit: '-712', currencyCode: 'USD', amountForeign: '100', rate: '7.12' }])).toEqual(['body.lines.0.amountForeign']);
    expect(fields([{ account: fx, debit: '712', currencyCode: 'USD', rate: '7.12' }])).toEqual(['body.lines.0.amountForeign']);
    expect(fields([{ account: fx, debit: '712', currencyCode: 'USD', amountForeign: '100' }])).toEqual(['body.lines.0.rate']);
    expect(fields([{ account: plain, credit: '712', currencyCode: 'USD', amountForeign: '100', rate: '7.12' }])).toEqual(['body.lines.0.currencyCode']);
    expect(fields([{ account: usdBank, debit: '712' }])).toEqual(['body.lines.0.currencyCode']);
    expect(fields([{ account: usdBank, debit: '712', currencyCode: 'EUR', amountForeign: '100', rate: '7.12' }])).toEqual(['body.lines.0.currencyCode']);
    // CNY on a 外币核算 account that takes any currency is a CNY line; 'CNY' counts as none
    expect(fields([{ account: fx, debit: '712' }, { account: plain, credit: '712', currencyCode: 'CNY' }])).toEqual([]);
  });
  it("a rule's lines (期末调汇: foreign 0) pass; a one-currency account still needs its currency and amount", () => {
    expect(fields([{ account: fx, credit: '25', currencyCode: 'USD', amountForeign: '0', rate: '7.05' }], false)).toEqual([]);
    expect(fields([{ account: usdBank, credit: '45', currencyCode: 'USD', amountForeign: '0', rate: '7.05' }], false)).toEqual([]);
    expect(fields([{ account: usdBank, credit: '45' }], false)).toEqual(['body.lines.0.currencyCode']);
  });
});

describe('外币订单的单据凭证', () => {
  it('shipment: the receivable line carries Σ of the billed lines in the order currency and the order rate', () => {
    const v = shipmentVoucher({
      ...doc, date: '2026-12-07', taxpayerKind: 'generalTaxpayer', customerId: 'c', customerName: 'C',
      currency: { code: 'USD', rate: '7.120000' },
      lines: [
        { itemId: 'i1', itemKind: 'finished', amount: '3780.58', tax: '491.42', cost: '180.00', foreignWithTax: '600.00' },
        { itemId: 'i2', itemKind: 'finished', amount: '63.01', tax: '8.19', cost: '1.00', foreignWithTax: '10.00' },
      ],
    });
    expect(brief(v?.lines)?.[0]).toEqual(['1122', '4343.2', '0', 'USD', '610', '7.120000']);
    expect(brief(v?.lines)?.slice(1, 4).every((l) => l[3] === null)).toBe(true);
  });
  it('invoice billed ahead: USD on the part billed ahead, free lines stay a CNY receivable', () => {
    const v = salesInvoiceVoucher({
      ...doc, date: '2026-12-07', taxpayerKind: 'generalTaxpayer', customerId: 'c', customerName: 'C', invoiceNo: '1',
      ahead: { amount: '2520.37', tax: '327.63' }, free: { amount: '100', tax: '9' }, currency: { code: 'USD', rate: '7.120000', aheadForeign: '400.00' },
    });
    expect(brief(v?.lines)).toEqual([
      ['1122', '2848', '0', 'USD', '400.00', '7.120000'],
      ['1122', '109', '0', null, null, null],
      ['2203', '0', '2520.37', null, null, null],
      ['5001', '0', '100', null, null, null],
      ['22210102', '0', '336.63', null, null, null],
    ]);
  });
  it('foreign receipt: bank and 应收 in USD; an advance part takes its share of the foreign amount', () => {
    const v = customerReceiptVoucher({
      ...doc, date: '2026-12-10', customerId: 'c', customerName: 'C', accountCode: '100202', amount: '2160.00', advance: '720.00',
      currency: { code: 'USD', rate: '7.200000', amountForeign: '300.00' },
    });
    expect(brief(v?.lines)).toEqual([
      ['100202', '2160', '0', 'USD', '300', '7.200000'],
      ['1122', '0', '1440', 'USD', '200', '7.200000'],
      ['2203', '0', '720', 'USD', '100', '7.200000'],
    ]);
  });
  it('purchase invoice: 应付货款 carries the foreign 价税合计 at the invoice rate; stock and VAT stay CNY', () => {
    const v = purchaseInvoiceVoucher({
      ...doc, date: '2027-02-05', supplierId: 's', supplierName: 'S', invoiceNo: '1',
      lines: [{ itemId: 'i', itemKind: 'finished', provisional: '773.00', toStock: '7.00', toCostOfSales: '0.00' }],
      inputVat: '101.40', total: '881.40', currency: { code: 'EUR', rate: '7.800000', totalForeign: '113.00' },
    });
    expect(brief(v?.lines)).toEqual([
      ['1405', '780', '0', null, null, null],
      ['5401', '0', '0', null, null, null], // a line of 0 (nothing consumed): postDocument leaves it out
      ['22210101', '101.40', '0', null, null, null],
      ['220201', '0', '881.40', 'EUR', '113.00', '7.800000'],
    ]);
  });
  it('foreign supplier payment: 应付, 预付 (its share) and the bank in the currency', () => {
    const v = supplierPaymentVoucher({
      ...doc, date: '2027-02-20', supplierId: 's', supplierName: 'S', accountCode: '100203', payable: '316.00', advance: '79.00',
      currency: { code: 'EUR', rate: '7.900000', amountForeign: '50.00' },
    });
    expect(brief(v?.lines)).toEqual([
      ['220201', '316.00', '0', 'EUR', '40', '7.900000'],
      ['1123', '79.00', '0', 'EUR', '10', '7.900000'],
      ['100203', '0', '395', 'EUR', '50', '7.900000'],
    ]);
  });
});
