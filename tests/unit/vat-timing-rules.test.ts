// Pure rules of issue 17's VAT timing and deductible input VAT, figures by hand:
// 待转销项税额 (when a shipment defers its output VAT, what an invoice or a receipt reaches, the move's
// lines in the shipment's, invoice's, receipt's and month-end vouchers) and the 税额 of expense claim
// lines (专票 entered, 客票 computed per 公告2019年第39号) with the approval voucher's split.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { VoucherDraft } from '../../server/modules/finance/index.ts';
import { deferredOutputVatVoucher } from '../../server/modules/finance/month-end/rules.ts';
import { defersOutputVat, reachedByAmount } from '../../server/modules/sales/shipments/output-vat.ts';
import { shipmentVoucher } from '../../server/modules/sales/shipments/voucher.ts';
import { salesReturnVoucher } from '../../server/modules/sales/returns/voucher.ts';
import { customerReceiptVoucher, salesInvoiceVoucher } from '../../server/modules/sales/receivables/voucher.ts';
import { deductibleInputVat, expenseLineTax, passengerTicketTax } from '../../server/modules/oa/expense-tax.ts';
import { expenseClaimVoucher } from '../../server/modules/oa/expense-voucher.ts';

const fixed = (v: unknown) => new Decimal((v as Decimal.Value | undefined) ?? 0).toFixed(2);
const brief = (d: VoucherDraft | null) => d!.lines.map((l) => [l.account, fixed(l.debit), fixed(l.credit)]);
const doc = { documentId: 'd', documentNumber: 'X-1' };
const rates = { airRail: '0.09', roadWater: '0.03' };

describe('销项税额的时点', () => {
  const base = { taxpayerKind: 'generalTaxpayer' as const, shipDate: '2026-12-08', paymentReceived: false };
  it('约定收款日期晚于发货、未收款的一般纳税人才记待转', () => {
    expect(defersOutputVat({ ...base, agreedPaymentDate: '2027-01-15' })).toBe(true);
    expect(defersOutputVat({ ...base, agreedPaymentDate: null })).toBe(false);
    expect(defersOutputVat({ ...base, agreedPaymentDate: '2026-12-08' })).toBe(false);
    expect(defersOutputVat({ ...base, agreedPaymentDate: '2027-01-15', paymentReceived: true })).toBe(false);
    expect(defersOutputVat({ ...base, agreedPaymentDate: '2027-01-15', taxpayerKind: 'smallScaleTaxpayer' })).toBe(false);
  });

  it('发票或收款金额依次覆盖的发货（最后一张整张转）', () => {
    const p = [{ id: 'a', amountWithTax: '100' }, { id: 'b', amountWithTax: '200' }, { id: 'c', amountWithTax: '50' }];
    expect(reachedByAmount(p, '0').map((x) => x.id)).toEqual([]);
    expect(reachedByAmount(p, '100').map((x) => x.id)).toEqual(['a']);
    expect(reachedByAmount(p, '100.01').map((x) => x.id)).toEqual(['a', 'b']);
    expect(reachedByAmount(p, '1000').map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('发货凭证贷待转销项税额；开票、收款凭证带上转出分录；期末凭证逐客户转出', () => {
    const ship = { ...doc, date: '2026-12-08', taxpayerKind: 'generalTaxpayer' as const, customerId: 'c', customerName: '客户', lines: [{ itemId: 'i', itemKind: 'finished', amount: '88.50', tax: '11.50', cost: '30.00' }] };
    expect(brief(shipmentVoucher({ ...ship, deferOutputVat: true }))).toEqual([
      ['1122', '100.00', '0.00'], ['5001', '0.00', '88.50'], ['222103', '0.00', '11.50'], ['5401', '30.00', '0.00'], ['1405', '0.00', '30.00'],
    ]);
    expect(brief(shipmentVoucher(ship))[2]).toEqual(['22210102', '0.00', '11.50']);
    expect(brief(shipmentVoucher({ ...ship, taxpayerKind: 'smallScaleTaxpayer', deferOutputVat: true }))[2]).toEqual(['222101', '0.00', '11.50']);

    const inv = { ...doc, date: '2026-12-20', taxpayerKind: 'generalTaxpayer' as const, customerId: 'c', customerName: '客户', invoiceNo: 'N', ahead: { amount: '0', tax: '0' }, free: { amount: '0', tax: '0' } };
    expect(salesInvoiceVoucher(inv)).toBeNull();
    const nonZero = (d: VoucherDraft | null) => brief(d).filter((l) => l[1] !== '0.00' || l[2] !== '0.00');
    expect(nonZero(salesInvoiceVoucher({ ...inv, deferredVat: '11.50' }))).toEqual([['222103', '11.50', '0.00'], ['22210102', '0.00', '11.50']]);
    const r = customerReceiptVoucher({ ...doc, date: '2026-12-20', customerId: 'c', customerName: '客户', accountCode: '1002', amount: '50', advance: '0', deferredVat: '23.01' });
    expect(nonZero(r)).toEqual([['1002', '50.00', '0.00'], ['1122', '0.00', '50.00'], ['222103', '23.01', '0.00'], ['22210102', '0.00', '23.01']]);

    // A return while its shipment still waits: the tax goes back out of 待转 (here 11.50 of a 13.00 return).
    const ret = salesReturnVoucher({ ...doc, date: '2026-12-20', taxpayerKind: 'generalTaxpayer', customerId: 'c', customerName: '客户', fromDeferred: '11.50', lines: [{ itemId: 'i', itemKind: 'finished', amount: '100.00', tax: '13.00', cost: '0' }] });
    expect(nonZero(ret)).toEqual([['5001', '100.00', '0.00'], ['22210102', '1.50', '0.00'], ['222103', '11.50', '0.00'], ['1122', '0.00', '113.00']]);

    const me = deferredOutputVatVoucher({ ...doc, period: '2027-01', moves: [{ customerId: 'a', amount: '11.50' }, { customerId: 'b', amount: '1' }, { customerId: 'a', amount: '23.01' }] });
    expect(me!.date).toBe('2027-01-31');
    expect(brief(me)).toEqual([['222103', '34.51', '0.00'], ['22210102', '0.00', '34.51'], ['222103', '1.00', '0.00'], ['22210102', '0.00', '1.00']]);
    expect(me!.lines.map((l) => l.customerId)).toEqual(['a', 'a', 'b', 'b']);
    expect(deferredOutputVatVoucher({ ...doc, period: '2027-01', moves: [] })).toBeNull();
  });
});

describe('报销明细的税额', () => {
  it('客票：航空 (票价+燃油)÷1.09×9%，铁路 票面÷1.09×9%，公路水路 票面÷1.03×3%，到分', () => {
    expect(passengerTicketTax('railTicket', '553', rates).toFixed(2)).toBe('45.66');
    expect(passengerTicketTax('airTicket', '1300', rates).toFixed(2)).toBe('107.34');
    expect(passengerTicketTax('roadWaterTicket', '103', rates).toFixed(2)).toBe('3.00');
    // 0.50 ÷ 1.09 × 0.09 = 0.04128 → 0.04; 0.60 → 0.04954 → 0.05 (half up)
    expect(passengerTicketTax('railTicket', '0.50', rates).toFixed(2)).toBe('0.04');
    expect(passengerTicketTax('railTicket', '0.60', rates).toFixed(2)).toBe('0.05');
    expect(expenseLineTax({ invoiceKind: 'airTicket', amount: '1350', fareAndFuel: '1300' }, rates)).toEqual({ ok: true, taxAmount: new Decimal('107.34') });
    expect(expenseLineTax({ invoiceKind: 'airTicket', amount: '1300' }, rates)).toEqual({ ok: true, taxAmount: new Decimal('107.34') });
  });

  it('专票按填写；普票记录不抵扣；坏输入给出中文原因', () => {
    expect(expenseLineTax({ invoiceKind: 'special', amount: '1130', taxAmount: '130' }, rates)).toEqual({ ok: true, taxAmount: new Decimal('130.00') });
    expect(expenseLineTax({ invoiceKind: 'ordinary', amount: '56.5' }, rates)).toEqual({ ok: true, taxAmount: new Decimal(0) });
    expect(expenseLineTax({ invoiceKind: 'special', amount: '100', taxAmount: '100.01' }, rates)).toEqual({ ok: false, field: 'taxAmount', message: '税额 100.01 不能大于金额 100.00' });
    expect(expenseLineTax({ invoiceKind: 'special', amount: '100', taxAmount: '-1' }, rates)).toMatchObject({ ok: false, message: '税额不能为负数' });
    expect(expenseLineTax({ invoiceKind: 'special', amount: '100' }, rates)).toMatchObject({ ok: false, message: '增值税专用发票请填写税额' });
    expect(expenseLineTax({ invoiceKind: 'none', amount: '100', taxAmount: '1' }, rates)).toMatchObject({ ok: false, message: '无发票的明细不能填写税额' });
    expect(expenseLineTax({ invoiceKind: 'airTicket', amount: '100', fareAndFuel: '101' }, rates)).toMatchObject({ ok: false, field: 'fareAndFuel' });
    expect(expenseLineTax({ invoiceKind: 'railTicket', amount: '100', taxAmount: '8.26' }, rates)).toEqual({ ok: true, taxAmount: new Decimal('8.26') });
  });

  it('可抵扣：一般纳税人的专票与客票；小规模、普票、无发票为 0；批准凭证的拆分', () => {
    expect(deductibleInputVat({ invoiceKind: 'special', taxAmount: '130' }, 'generalTaxpayer').toFixed(2)).toBe('130.00');
    expect(deductibleInputVat({ invoiceKind: 'railTicket', taxAmount: '45.66' }, 'generalTaxpayer').toFixed(2)).toBe('45.66');
    expect(deductibleInputVat({ invoiceKind: 'ordinary', taxAmount: '3' }, 'generalTaxpayer').toFixed(2)).toBe('0.00');
    expect(deductibleInputVat({ invoiceKind: 'special', taxAmount: '130' }, 'smallScaleTaxpayer').toFixed(2)).toBe('0.00');
    const claim = {
      ...doc, date: '2026-12-08', applicantId: 'u', applicantName: '张三', departmentId: null,
      lines: [
        { category: 'office' as const, amount: '1130.00', invoiceKind: 'special' as const, taxAmount: '130.00' },
        { category: 'travel' as const, amount: '553.00', invoiceKind: 'railTicket' as const, taxAmount: '45.66' },
        { category: 'meal' as const, amount: '56.50', invoiceKind: 'ordinary' as const, taxAmount: '3.20' },
      ],
    };
    expect(brief(expenseClaimVoucher(claim))).toEqual([
      ['5602', '1000.00', '0.00'], ['5602', '507.34', '0.00'], ['5602', '56.50', '0.00'], ['22210101', '175.66', '0.00'], ['2241', '0.00', '1739.50'],
    ]);
    expect(brief(expenseClaimVoucher({ ...claim, taxpayerKind: 'smallScaleTaxpayer' }))).toEqual([
      ['5602', '1130.00', '0.00'], ['5602', '553.00', '0.00'], ['5602', '56.50', '0.00'], ['2241', '0.00', '1739.50'],
    ]);
  });
});
