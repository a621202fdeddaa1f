// 应付's pure rules, figures by hand: which input VAT is deductible, an invoice line's cost and the
// share of its difference to the 暂估 the stock on hand takes, the red reversal and the invoice
// voucher (balanced, a negative difference as a credit), a payment's split into 应付 and 预付, the
// advance share of a settlement, and the aging buckets.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { balanceIssues } from '../../server/modules/finance/vouchers/balance.ts';
import {
  inputVatDeductible, invoiceLineCost, provisionalReversalVoucher, purchaseInvoiceVoucher, type PurchaseInvoiceFacts,
} from '../../server/modules/purchase/invoices/voucher.ts';
import { advanceSettlementVoucher, advanceShare, splitPayment, supplierPaymentVoucher } from '../../server/modules/purchase/payables/voucher.ts';
import { agingBucket } from '../../server/modules/purchase/payables/reports.ts';

const amounts = (lines: { account: string; debit?: unknown; credit?: unknown }[]) =>
  lines.map((l) => [l.account, new Decimal(String(l.debit ?? 0)).toFixed(2), new Decimal(String(l.credit ?? 0)).toFixed(2)]);
const s = (c: ReturnType<typeof invoiceLineCost>) => ({ cost: c.cost.toFixed(2), inputVat: c.inputVat.toFixed(2), difference: c.difference.toFixed(2), wantedToStock: c.wantedToStock.toFixed(2) });

describe('采购发票：进项税与成本', () => {
  it('只有一般纳税人取得的专票可抵扣', () => {
    expect(inputVatDeductible('generalTaxpayer', 'special')).toBe(true);
    expect(inputVatDeductible('generalTaxpayer', 'ordinary')).toBe(false);
    expect(inputVatDeductible('smallScaleTaxpayer', 'special')).toBe(false);
  });

  it('同价专票：成本 = 不含税，差额 0；普票或小规模：税额计入成本，差额按在库比例分', () => {
    expect(s(invoiceLineCost({ amount: '5000', taxAmount: '650', provisional: '5000', quantity: '1000', onHand: '1000' }, true)))
      .toEqual({ cost: '5000.00', inputVat: '650.00', difference: '0.00', wantedToStock: '0.00' });
    // 100 KG 暂估 1000.00, invoiced 1100.00 + 143.00 普票: cost 1243.00, difference 243.00; 60 KG on hand → 145.80 to stock.
    expect(s(invoiceLineCost({ amount: '1100', taxAmount: '143', provisional: '1000', quantity: '100', onHand: '60' }, false)))
      .toEqual({ cost: '1243.00', inputVat: '0.00', difference: '243.00', wantedToStock: '145.80' });
    // More on hand than invoiced: the whole difference to stock; none on hand: none. A lower price: negative.
    expect(s(invoiceLineCost({ amount: '900', taxAmount: '117', provisional: '1000', quantity: '100', onHand: '500' }, true)).wantedToStock).toBe('-100.00');
    expect(s(invoiceLineCost({ amount: '900', taxAmount: '117', provisional: '1000', quantity: '100', onHand: '0' }, true)).wantedToStock).toBe('0.00');
    // 1/3 held of 0.10: rounded to the fen, the rest goes to cost of sales.
    expect(s(invoiceLineCost({ amount: '3.10', taxAmount: '0', provisional: '3', quantity: '3', onHand: '1' }, true)).wantedToStock).toBe('0.03');
  });
});

describe('采购发票凭证', () => {
  const facts: PurchaseInvoiceFacts = {
    documentId: 'i1', documentNumber: 'PI-1', date: '2026-11-05', supplierId: 's1', supplierName: '宁波钢材', invoiceNo: '26332000000000000001',
    lines: [
      { itemId: 'rod', itemKind: 'raw', provisional: '1000.00', toStock: '60.00', toCostOfSales: '40.00' },
      { itemId: 'bolt', itemKind: 'finished', provisional: '200.00', toStock: '-5.00', toCostOfSales: '-15.00' },
    ],
    inputVat: '153.40', total: '1433.40',
  };

  it('红字冲销暂估：金额为负，借贷相等', () => {
    const v = provisionalReversalVoucher(facts)!;
    expect(v.red).toBe(true);
    expect(amounts(v.lines)).toEqual([['1403', '-1000.00', '0.00'], ['1405', '-200.00', '0.00'], ['220202', '0.00', '-1200.00']]);
    expect(balanceIssues(v.lines, { red: true })).toEqual([]);
  });

  it('发票：库存 = 暂估 + 在库差额；已领用差额进主营业务成本（负数记贷方）；进项税；贷 应付货款', () => {
    const v = purchaseInvoiceVoucher(facts)!;
    // 1000 + 60 + 40 + (200 − 5 − 15) + 153.40 = 1433.40 = 价税合计
    expect(amounts(v.lines)).toEqual([
      ['1403', '1060.00', '0.00'], ['1405', '195.00', '0.00'],
      ['5401', '40.00', '0.00'], ['5401', '0.00', '15.00'],
      ['22210101', '153.40', '0.00'], ['220201', '0.00', '1433.40'],
    ]);
    expect(balanceIssues(v.lines)).toEqual([]);
  });
});

describe('付款与核销', () => {
  it('付款先冲应付，超出部分为预付；应付为负（已有预付）时全部预付', () => {
    const p = (a: string, open: string) => { const r = splitPayment(a, open); return [r.payable.toFixed(2), r.advance.toFixed(2)]; };
    expect(p('6000', '5650')).toEqual(['5650.00', '350.00']);
    expect(p('100', '5650')).toEqual(['100.00', '0.00']);
    expect(p('500', '-20')).toEqual(['0.00', '500.00']);
  });

  it('付款凭证：借 应付货款 / 预付账款 贷 银行存款', () => {
    const v = supplierPaymentVoucher({ documentId: 'p', documentNumber: 'FK-1', date: '2026-11-02', supplierId: 's', supplierName: '宁波钢材', accountCode: '1002', payable: '5650.00', advance: '350.00' })!;
    expect(amounts(v.lines)).toEqual([['220201', '5650.00', '0.00'], ['1123', '350.00', '0.00'], ['1002', '0.00', '6000.00']]);
  });

  it('核销先用付款中冲应付的部分，再用预付部分；预付部分生成 借 应付货款 贷 预付账款', () => {
    const pay = { payableAmount: '100' };
    expect(advanceShare(pay, '0', '60').toFixed(2)).toBe('0.00');
    expect(advanceShare(pay, '60', '60').toFixed(2)).toBe('20.00');
    expect(advanceShare(pay, '120', '30').toFixed(2)).toBe('30.00');
    const v = advanceSettlementVoucher({ documentId: 'p', documentNumber: 'FK-1', date: '2026-11-06', supplierId: 's', supplierName: '宁波钢材', invoiceNos: ['1'], fromAdvance: '500.00' })!;
    expect(amounts(v.lines)).toEqual([['220201', '500.00', '0.00'], ['1123', '0.00', '500.00']]);
    expect(advanceSettlementVoucher({ documentId: 'p', documentNumber: 'FK-1', date: '2026-11-06', supplierId: 's', supplierName: 'x', invoiceNos: [], fromAdvance: '0.00' })).toBeNull();
  });

  it('账龄区间', () => {
    expect([0, 30, 31, 60, 61, 90, 91].map(agingBucket)).toEqual(['days0to30', 'days0to30', 'days31to60', 'days31to60', 'days61to90', 'days61to90', 'over90']);
  });
});
