// The voucher rules of returns, 盘盈/盘亏, production, the month's cost close and expense claims —
// pure, with figures worked out by hand: every voucher balances, sides and accounts as the rules say.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { VoucherDraft } from '../../server/modules/finance/index.ts';
import { arWriteOffVoucher } from '../../server/modules/sales/receivables/voucher.ts';
import { salesReturnVoucher } from '../../server/modules/sales/returns/voucher.ts';
import { splitReturn } from '../../server/modules/purchase/returns/split.ts';
import { purchaseReturnVoucher } from '../../server/modules/purchase/returns/voucher.ts';
import { groupByOriginalInvoice, pickOriginalInvoice } from '../../server/modules/finance/invoices/original-invoice.ts';
import { stockVarianceVoucher } from '../../server/modules/inventory/stock/voucher.ts';
import { productionVoucher } from '../../server/modules/manufacturing/production/voucher.ts';
import { costCloseVoucher } from '../../server/modules/manufacturing/costing/voucher.ts';
import { EXPENSE_ACCOUNT, expenseClaimPaymentVoucher, expenseClaimVoucher } from '../../server/modules/oa/expense-voucher.ts';
import { EXPENSE_CATEGORIES } from '../../shared/enums.ts';

const fixed = (v: unknown) => new Decimal((v as Decimal.Value | undefined) ?? 0).toFixed(2);
const brief = (d: VoucherDraft | null) => d!.lines.map((l) => [l.account, fixed(l.debit), fixed(l.credit)]);
const balanced = (d: VoucherDraft | null) => {
  const sum = (k: 'debit' | 'credit') => d!.lines.reduce((t, l) => t.plus(l[k] ?? 0), new Decimal(0)).toFixed(2);
  expect(sum('debit')).toBe(sum('credit'));
};
const doc = { documentId: '00000000-0000-4000-8000-000000000001', documentNumber: 'X-1', date: '2026-11-20' };

describe('销售退货', () => {
  it('冲减收入与销项税（借方），贷 应收账款；退回的货 借 库存 / 贷 主营业务成本', () => {
    // 1 箱 back: 不含税 88.50 + 税 11.50 = 100.00; 成本 30.00. A second line of another (raw) item 10.00 + 1.30, cost 7.00.
    const v = salesReturnVoucher({
      ...doc, taxpayerKind: 'generalTaxpayer', customerId: 'c', customerName: '客户',
      lines: [
        { itemId: 'a', itemKind: 'finished', amount: '88.50', tax: '11.50', cost: '30.00' },
        { itemId: 'r', itemKind: 'raw', amount: '10.00', tax: '1.30', cost: '7.00' },
      ],
    });
    expect(brief(v)).toEqual([
      ['5001', '88.50', '0.00'], ['5001', '10.00', '0.00'], ['22210102', '12.80', '0.00'], ['1122', '0.00', '111.30'],
      ['1405', '30.00', '0.00'], ['5401', '0.00', '30.00'], ['1403', '7.00', '0.00'], ['5401', '0.00', '7.00'],
    ]);
    expect(v!.lines[0]).toMatchObject({ customerId: 'c', itemId: 'a' });
    balanced(v);
  });
  it('小规模纳税人冲 应交增值税', () => {
    const v = salesReturnVoucher({ ...doc, taxpayerKind: 'smallScaleTaxpayer', customerId: 'c', customerName: '客户', lines: [{ itemId: 'a', itemKind: 'finished', amount: '100.00', tax: '3.00', cost: '60.00' }] });
    expect(brief(v).slice(0, 3)).toEqual([['5001', '100.00', '0.00'], ['222101', '3.00', '0.00'], ['1122', '0.00', '103.00']]);
  });
});

describe('采购退货', () => {
  const line = (l: Partial<{ provisional: string; invoicedCost: string; invoicedTotal: string; stockValue: string }> & { itemId?: string; itemKind?: string }) => ({
    itemId: 'r', itemKind: 'raw', provisional: '0.00', invoicedCost: '0.00', invoicedTotal: '0.00', stockValue: '0.00', ...l,
  });
  it('未开票：按暂估冲 暂估应付款；库存按实际出库金额；差异进主营业务成本（贷方为正差异）', () => {
    // 暂估 500.00, stock gave up 480.00 (held less) → variance 20.00 credited to 5401
    const v = purchaseReturnVoucher({ ...doc, supplierId: 's', supplierName: '供应商', lines: [line({ provisional: '500.00', stockValue: '480.00' })] });
    expect(brief(v)).toEqual([['220202', '500.00', '0.00'], ['1403', '0.00', '480.00'], ['5401', '0.00', '20.00']]);
    balanced(v);
  });
  it('没有差异时主营业务成本行为 0（过账时略去）', () => {
    const v = purchaseReturnVoucher({ ...doc, supplierId: 's', supplierName: '供应商', lines: [line({ itemId: 'g', itemKind: 'finished', provisional: '10.00', stockValue: '10.00' })] });
    expect(brief(v)).toEqual([['220202', '10.00', '0.00'], ['1405', '0.00', '10.00'], ['5401', '0.00', '0.00']]);
  });
  it('已开专票：借 应付货款 价税合计 / 贷 进项税额 / 贷 原材料 按出库金额，发票成本与出库金额之差进主营业务成本', () => {
    // 20 of 100 invoiced at 1,050.00 + 136.50: cost 210.00, 价税 237.30 → 进项 27.30; the stock gave up 200.00 → 5401 credit 10.00
    const v = purchaseReturnVoucher({ ...doc, supplierId: 's', supplierName: '供应商', lines: [line({ invoicedCost: '210.00', invoicedTotal: '237.30', stockValue: '200.00' })] });
    expect(brief(v)).toEqual([['220201', '237.30', '0.00'], ['22210101', '0.00', '27.30'], ['1403', '0.00', '200.00'], ['5401', '0.00', '10.00']]);
    expect(v!.lines.map((l) => l.supplierId ?? null)).toEqual(['s', null, 's', 's']);
    balanced(v);
  });
  it('部分已开票：暂估部分冲 暂估应付款，已开票部分冲 应付货款 与 进项税额；库存多给出时 借 主营业务成本', () => {
    // two lines of one item: 暂估 300.00; invoiced cost 105.00, 价税 118.65 → 13.65; the stock gave up 406.00 → 5401 debit 1.00
    const v = purchaseReturnVoucher({
      ...doc, supplierId: 's', supplierName: '供应商',
      lines: [line({ provisional: '300.00', stockValue: '300.00' }), line({ invoicedCost: '105.00', invoicedTotal: '118.65', stockValue: '106.00' })],
    });
    expect(brief(v)).toEqual([['220202', '300.00', '0.00'], ['220201', '118.65', '0.00'], ['22210101', '0.00', '13.65'], ['1403', '0.00', '406.00'], ['5401', '1.00', '0.00']]);
    balanced(v);
  });
  it('普票或小规模纳税人：税额已计入成本，价税合计 = 成本，没有进项税额行', () => {
    const v = purchaseReturnVoucher({ ...doc, supplierId: 's', supplierName: '供应商', lines: [line({ invoicedCost: '113.00', invoicedTotal: '113.00', stockValue: '113.00' })] });
    expect(brief(v)).toEqual([['220201', '113.00', '0.00'], ['1403', '0.00', '113.00'], ['5401', '0.00', '0.00']]);
  });
  it('已开票部分成了两张红字发票：每张一行 应付货款，外币发票的那行带币别、外币金额和原发票汇率', () => {
    // 237.30 off a CNY invoice, 56.32 (USD 7.91 @7.12) off a USD one; VAT 27.30 + 6.48
    const v = purchaseReturnVoucher({
      ...doc, supplierId: 's', supplierName: '供应商',
      lines: [line({ invoicedCost: '210.00', invoicedTotal: '237.30', stockValue: '210.00' }), line({ invoicedCost: '49.84', invoicedTotal: '56.32', stockValue: '49.84' })],
      redInvoices: [{ number: 'HZ-1', total: '237.30', currency: null }, { number: 'HZ-2', total: '56.32', currency: { code: 'USD', rate: '7.120000', totalForeign: '7.91' } }],
    });
    expect(brief(v)).toEqual([['220201', '237.30', '0.00'], ['220201', '56.32', '0.00'], ['22210101', '0.00', '33.78'], ['1403', '0.00', '259.84'], ['5401', '0.00', '0.00']]);
    expect(v!.lines.slice(0, 2).map((l) => [l.summary, l.currencyCode ?? null, l.amountForeign ?? null, l.rate ?? null])).toEqual([
      ['采购退货 X-1 供应商 红字发票 HZ-1', null, null, null],
      ['采购退货 X-1 供应商 红字发票 HZ-2', 'USD', '7.91', '7.120000'],
    ]);
    balanced(v);
  });
});

describe('退货红字发票：冲哪张原发票', () => {
  const newestFirst = [{ id: 'new', quantity: '10', returned: '8' }, { id: 'old', quantity: '100', returned: '0' }];
  it('最新的一张还够退时用它，不够时用更早的一张；都不够时用还剩一些的最新一张', () => {
    expect(pickOriginalInvoice(newestFirst, '2')?.id).toBe('new');
    expect(pickOriginalInvoice(newestFirst, '3')?.id).toBe('old');
    expect(pickOriginalInvoice([{ id: 'a', quantity: '5', returned: '5' }, { id: 'b', quantity: '5', returned: '4' }], '3')?.id).toBe('b');
    expect(pickOriginalInvoice([], '1')).toBeUndefined();
  });

  it('同一张退货单的几行：前一行已分给某张发票的数量也算作已退，后一行据此再选；按发票分组', async () => {
    const lines = [
      { id: 'l1', orderLineId: 'ol', invoicedQuantity: '2' },
      { id: 'l2', orderLineId: 'ol', invoicedQuantity: '1' },
      { id: 'l3', orderLineId: 'other', invoicedQuantity: '1' },
    ];
    const groups = await groupByOriginalInvoice(lines, async (l) => (l.orderLineId === 'ol' ? newestFirst : [{ id: 'x', quantity: '1', returned: '0' }]));
    expect(groups.map((g) => [g.invoice.id, g.lines.map((l) => l.id)])).toEqual([['new', ['l1']], ['old', ['l2']], ['x', ['l3']]]);
    await expect(groupByOriginalInvoice([lines[0]!], async () => [])).rejects.toThrow('invoiced part without an invoice');
  });
});

describe('采购退货：未开票部分先退，再退已开票部分', () => {
  const basis = { provisionalQuantity: '30', provisionalValue: '300.00', invoicedQuantity: '70', invoicedCost: '735.00', invoicedTotal: '830.55' };
  const plain = (s: ReturnType<typeof splitReturn>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.toString()]));
  it('全在暂估内：只动暂估', () => {
    expect(plain(splitReturn(basis, '10'))).toEqual({ provisionalQuantity: '10', provisional: '100', invoicedQuantity: '0', invoicedCost: '0', invoicedTotal: '0' });
  });
  it('超过暂估：余下按已开票成本与价税合计的比例（735 × 20/70 = 210.00，830.55 × 20/70 = 237.30）', () => {
    expect(plain(splitReturn(basis, '50'))).toEqual({ provisionalQuantity: '30', provisional: '300', invoicedQuantity: '20', invoicedCost: '210', invoicedTotal: '237.3' });
  });
  it('退完：各取余额（不因四舍五入留尾差）', () => {
    const odd = { provisionalQuantity: '3', provisionalValue: '10.00', invoicedQuantity: '3', invoicedCost: '10.01', invoicedTotal: '11.31' };
    expect(plain(splitReturn(odd, '1'))).toEqual({ provisionalQuantity: '1', provisional: '3.33', invoicedQuantity: '0', invoicedCost: '0', invoicedTotal: '0' });
    expect(plain(splitReturn(odd, '6'))).toEqual({ provisionalQuantity: '3', provisional: '10', invoicedQuantity: '3', invoicedCost: '10.01', invoicedTotal: '11.31' });
  });
});

describe('盘盈 / 盘亏（小企业会计准则：营业外收入 / 营业外支出）', () => {
  it('盘盈 借 库存 / 贷 营业外收入；盘亏 借 营业外支出 / 贷 库存；同一物料的盈亏不抵消', () => {
    const v = stockVarianceVoucher({
      ...doc, what: '盘点',
      lines: [
        { itemId: 'a', itemKind: 'finished', amount: '12.00' }, { itemId: 'r', itemKind: 'raw', amount: '-50.25' },
        { itemId: 'a', itemKind: 'finished', amount: '-3.00' }, { itemId: 'a', itemKind: 'finished', amount: '1.50' },
      ],
    });
    expect(brief(v)).toEqual([
      ['1405', '13.50', '0.00'], ['5301', '0.00', '13.50'],
      ['5711', '53.25', '0.00'], ['1403', '0.00', '50.25'], ['1405', '0.00', '3.00'],
    ]);
    balanced(v);
  });
  it('没有金额的差异不生成凭证', () => {
    expect(stockVarianceVoucher({ ...doc, what: '库存调整', lines: [{ itemId: 'a', itemKind: 'raw', amount: '0.00' }] })).toBeNull();
  });
});

describe('生产', () => {
  it('领料 借 生产成本（产品）/ 贷 原材料、库存商品（半成品）；完工 借 库存商品 / 贷 生产成本', () => {
    const issue = productionVoucher({ ...doc, productId: 'p', productKind: 'finished', issued: [{ itemId: 'r', itemKind: 'raw', amount: '120.40' }, { itemId: 's', itemKind: 'semi', amount: '9.60' }], received: '0.00' });
    expect(brief(issue)).toEqual([['4001', '130.00', '0.00'], ['1403', '0.00', '120.40'], ['1405', '0.00', '9.60']]);
    expect(issue!.lines[0]!.itemId).toBe('p');
    const receipt = productionVoucher({ ...doc, productId: 'p', productKind: 'finished', issued: [{ itemId: 'r', itemKind: 'raw', amount: '5.00' }], received: '200.00' });
    expect(brief(receipt)).toEqual([['4001', '5.00', '0.00'], ['1403', '0.00', '5.00'], ['1405', '200.00', '0.00'], ['4001', '0.00', '200.00']]);
    expect(productionVoucher({ ...doc, productId: 'p', productKind: 'finished', issued: [], received: '0' })).toBeNull();
  });
});

describe('成本计算', () => {
  it('人工与制造费用分配进生产成本；完工成本调整：库存部分与已销售部分，负数反向', () => {
    const v = costCloseVoucher({
      ...doc, period: '2026-11',
      lines: [
        { itemId: 'p', itemKind: 'finished', labour: '600.00', overhead: '300.00', toStock: '40.00', toCostOfSales: '10.00' },
        { itemId: 'q', itemKind: 'semi', labour: '400.00', overhead: '200.00', toStock: '-5.00', toCostOfSales: '0.00' },
      ],
    });
    expect(brief(v)).toEqual([
      ['4001', '600.00', '0.00'], ['4001', '400.00', '0.00'], ['2211', '0.00', '1000.00'],
      ['4001', '300.00', '0.00'], ['4001', '200.00', '0.00'], ['4101', '0.00', '500.00'],
      ['1405', '40.00', '0.00'], ['4001', '0.00', '40.00'], ['1405', '0.00', '5.00'], ['4001', '5.00', '0.00'],
      ['5401', '10.00', '0.00'], ['4001', '0.00', '10.00'],
    ]);
    balanced(v);
  });
});

describe('费用报销', () => {
  it('审批：按类别借 管理费用（部门、员工）/ 贷 其他应付款（员工）；付款：借 其他应付款 / 贷 银行存款', () => {
    const v = expenseClaimVoucher({
      ...doc, applicantId: 'u', applicantName: '张三', departmentId: 'd',
      lines: [{ category: 'travel', amount: '320.50' }, { category: 'entertainment', amount: '880.00' }, { category: 'travel', amount: '79.50' }],
    });
    expect(brief(v)).toEqual([['5602', '400.00', '0.00'], ['5602', '880.00', '0.00'], ['2241', '0.00', '1280.00']]);
    expect(v!.lines[2]).toMatchObject({ employeeId: 'u' });
    expect(v!.lines[0]).toMatchObject({ departmentId: 'd', summary: '费用报销 X-1 张三 差旅' });
    const paid = expenseClaimPaymentVoucher({ ...doc, applicantId: 'u', applicantName: '张三', amount: '1280.00', account: '基本户' });
    expect(brief(paid)).toEqual([['2241', '1280.00', '0.00'], ['1002', '0.00', '1280.00']]);
  });
  it('带项目的明细：同类别按项目分行，费用行带项目，其他应付款一行不带', () => {
    const v = expenseClaimVoucher({
      ...doc, applicantId: 'u', applicantName: '张三', departmentId: 'd',
      lines: [
        { category: 'travel', amount: '300.00', projectId: 'p-1' }, { category: 'travel', amount: '100.00' },
        { category: 'travel', amount: '50.00', projectId: 'p-1' }, { category: 'meal', amount: '20.00', projectId: 'p-2' },
      ],
    });
    expect(v!.lines.map((l) => [l.account, String(l.debit ?? 0), String(l.credit ?? 0), l.projectId ?? null])).toEqual([
      ['5602', '350', '0', 'p-1'], ['5602', '100', '0', null], ['5602', '20', '0', 'p-2'], ['2241', '0', '470', null],
    ]);
  });
  it('每个报销类别都有科目', () => {
    for (const c of EXPENSE_CATEGORIES) expect(['5601', '5602']).toContain(EXPENSE_ACCOUNT[c]);
  });
});

describe('坏账核销', () => {
  it('借 营业外支出 / 贷 应收账款 the open amount, both with the customer; 0 posts nothing', () => {
    const f = { documentId: 'i', documentNumber: 'SI-1', date: '2026-11-20', customerId: 'c', customerName: '甲', reason: '破产' };
    const v = arWriteOffVoucher({ ...f, amount: '69.00' });
    expect(v?.lines.map((l) => [l.account, String(l.debit ?? 0), String(l.credit ?? 0), l.customerId])).toEqual([['5711', '69', '0', 'c'], ['1122', '0', '69', 'c']]);
    expect(v?.summary).toBe('坏账核销 SI-1 甲（破产）');
    expect(arWriteOffVoucher({ ...f, amount: '0' })).toBeNull();
  });
});
