// Business documents other than shipments and receipts post their vouchers in their own
// transactions, through the HTTP API on the real database, figures worked out by hand: a sales
// return (revenue, VAT and receivable reversed; stock back out of cost of sales), a purchase return
// with a price variance, a stock adjustment (盘盈 营业外收入 / 报损 营业外支出; 期初 not posted), a
// stock count, an expense claim's approval and payment. A refused document (over-return) leaves no
// voucher; a closed period refuses the document whole (409, nothing written).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient, zhao: AuthedClient, wang: AuthedClient, boss: AuthedClient, admin: AuthedClient, zhang: AuthedClient;
const id: Record<string, string> = {};
const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  [qian, li, zhao, wang, boss, admin, zhang] = await Promise.all([
    as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'zhao.ck'), as(t, 'wang.cg'), as(t, 'boss'), as(t, 'admin'), as(t, 'zhang.jl'),
  ]);
  const sys = t.database.system;
  id.c2 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id; // finished, 1 箱 = 1000 个, 13 %
  id.a2 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M6X20-A2' } })).id; // finished, PCS
  id.nut = (await sys.item.findFirstOrThrow({ where: { code: 'FG-NUT-M8' } })).id;
  id.supplier = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  id.wh01 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH01' } })).id;
  id.wh02 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id;
  id.li = (await sys.user.findFirstOrThrow({ where: { username: 'li.xs' } })).id;
  await putStock(t, { itemCode: 'FG-BLT-M8X30', quantity: '100000', unitCost: '0.03' });
  await putStock(t, { itemCode: 'FG-BLT-M6X20-A2', warehouseCode: 'WH01', quantity: '10000', unitCost: '0.05' });
  await putStock(t, { itemCode: 'FG-NUT-M8', quantity: '500', unitCost: '0.01' });
}, 30_000);
afterAll(async () => t?.close());

type Line = { account: { code: string }; debit: string; credit: string; customer: { id: string } | null; supplier: { id: string } | null; item: { id: string } | null; employee: { id: string } | null; department: { id: string } | null };
type Voucher = { number: string; date: string; summary: string; lines: Line[]; source: { type: string; label: string; apiPath: string } };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit]);
const vouchersOf = async (sourceId: string): Promise<Voucher[]> => {
  const res = await qian('get', `/api/v1/vouchers?sourceId=${sourceId}`);
  expect(res.status).toBe(200);
  return res.body.items;
};
const voucherCount = () => t.database.system.voucher.count();

describe('销售退货', () => {
  it('退 1 箱：借 主营业务收入 88.50、销项税额 11.50 / 贷 应收账款 100.00；借 库存商品 30.00 / 贷 主营业务成本；超退被拒不留凭证', async () => {
    const order = await li('post', '/api/v1/sales-orders').send({ customerId: id.c2, lines: [{ itemId: id.m8, quantity: '3', listPrice: '100' }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect((await li('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    const lineId = order.body.lines[0].id;
    expect((await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: lineId, quantity: '3' }] })).status).toBe(201);

    // 1 of 3 箱: 价税 300 × 1/3 = 100.00, 不含税 round(265.49 / 3, 2) = 88.50, 税 11.50; it left at 1000 × 0.03 = 30.00
    const ret = await zhao('post', `/api/v1/sales-orders/${order.body.id}/returns`).send({ lines: [{ orderLineId: lineId, quantity: '1' }], reason: '包装破损' });
    expect(ret.status, JSON.stringify(ret.body)).toBe(201);
    const [v, more] = await vouchersOf(ret.body.id);
    expect(more).toBeUndefined();
    expect(v!.source).toMatchObject({ type: 'salesReturn', label: '销售退货单', apiPath: `/api/v1/sales-returns/${ret.body.id}` });
    const customer = await t.database.system.customer.findUniqueOrThrow({ where: { id: id.c2 } });
    expect(v!.summary).toBe(`销售退货 ${ret.body.number} ${customer.name}`);
    expect(brief(v!.lines)).toEqual([
      ['5001', '88.50', '0.00'], ['22210102', '11.50', '0.00'], ['1122', '0.00', '100.00'],
      ['1405', '30.00', '0.00'], ['5401', '0.00', '30.00'],
    ]);
    expect(v!.lines.map((l) => l.customer?.id ?? null)).toEqual([id.c2, id.c2, id.c2, null, null]);
    expect(v!.lines[0]!.item!.id).toBe(id.m8);

    // 3 more 箱 than are left to return: refused, and no voucher is written
    const before = await voucherCount();
    const over = await zhao('post', `/api/v1/sales-orders/${order.body.id}/returns`).send({ lines: [{ orderLineId: lineId, quantity: '3' }] });
    expect([400, 409]).toContain(over.status);
    expect(await voucherCount()).toBe(before);
  });
});

describe('库存调整、盘点与采购退货', () => {
  it('调整：盘盈 借 库存商品 / 贷 营业外收入，报损 借 营业外支出 / 贷 库存商品；期初不记账；采购退货价差进主营业务成本', async () => {
    // 期初 (putStock above) wrote stock but no voucher
    expect(await t.database.system.voucher.count({ where: { sourceType: 'stockAdjustment' } })).toBe(0);

    // 10,000 A2 bought at ¥0.113 含税 13 % → 不含税 1,000.00, into WH01 beside the opening 10,000 at 0.05 (500.00)
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId: id.supplier, lines: [{ itemId: id.a2, unitId: id.pcs, quantity: '10000', unitPrice: '0.113' }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`)).status).toBe(200);
    const rc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({ lines: [{ orderLineId: po.body.lines[0].id, quantity: '10000' }] });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    expect(brief((await vouchersOf(rc.body.id))[0]!.lines)).toEqual([['1405', '1000.00', '0.00'], ['220202', '0.00', '1000.00']]);

    // 20,000 A2 worth 1,500.00: 18,000 written off → 1,500 × 18,000 / 20,000 = 1,350.00; 1,000 M8 found at ¥0.04 → 40.00
    const adj = await admin('post', '/api/v1/stock/adjustments').send({
      warehouseId: id.wh01, reason: '盘点差异',
      lines: [{ itemId: id.a2, quantity: '-18000' }, { itemId: id.m8, quantity: '1000', unitCost: '0.04' }],
    });
    expect(adj.status, JSON.stringify(adj.body)).toBe(201);
    const [va] = await vouchersOf(adj.body.id);
    expect(va!.source).toMatchObject({ type: 'stockAdjustment', label: '库存调整单', apiPath: `/api/v1/stock/adjustments/${adj.body.id}` });
    expect(brief(va!.lines)).toEqual([['1405', '40.00', '0.00'], ['5301', '0.00', '40.00'], ['5711', '1350.00', '0.00'], ['1405', '0.00', '1350.00']]);
    expect(va!.lines.map((l) => l.item?.id ?? null)).toEqual([id.m8, null, null, id.a2]);

    // The 2,000 left hold 150.00; returning all of them asks their receipt cost 2,000 × 0.1 = 200.00:
    // the stock gives up its 150.00, and the 50.00 it lacked goes to 主营业务成本 (credit)
    const rt = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/returns`).send({ reason: '质量不符', lines: [{ orderLineId: po.body.lines[0].id, quantity: '2000' }] });
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    expect(rt.body.priceVariance).toBe('50.00');
    const [vr] = await vouchersOf(rt.body.id);
    expect(vr!.source).toMatchObject({ type: 'purchaseReturn', label: '采购退货单' });
    expect(brief(vr!.lines)).toEqual([['220202', '200.00', '0.00'], ['1405', '0.00', '150.00'], ['5401', '0.00', '50.00']]);
    expect(vr!.lines.map((l) => l.supplier?.id)).toEqual([id.supplier, id.supplier, id.supplier]);

    // nothing left to return: refused, no voucher
    const before = await voucherCount();
    expect((await zhao('post', `/api/v1/purchase-orders/${po.body.id}/returns`).send({ reason: '再退', lines: [{ orderLineId: po.body.lines[0].id, quantity: '1' }] })).status).toBe(409);
    expect(await voucherCount()).toBe(before);
  });

  it('盘点过账：实盘 700，账面 500 → 盘盈 200 × 0.01 = 2.00，借 库存商品 / 贷 营业外收入', async () => {
    const count = await admin('post', '/api/v1/stock/counts').send({ warehouseId: id.wh02, itemIds: [id.nut] });
    expect(count.status, JSON.stringify(count.body)).toBe(201);
    const entered = await admin('patch', `/api/v1/stock/counts/${count.body.id}`).send({ version: count.body.version, lines: [{ lineId: count.body.lines[0].id, countedQuantity: '700' }] });
    expect(entered.status, JSON.stringify(entered.body)).toBe(200);
    expect((await admin('post', `/api/v1/stock/counts/${count.body.id}/post`)).status).toBe(200);
    const [v] = await vouchersOf(count.body.id);
    expect(v!.source).toMatchObject({ type: 'stockCount', label: '盘点单' });
    expect(v!.summary).toBe(`盘点 ${count.body.number}`);
    expect(brief(v!.lines)).toEqual([['1405', '2.00', '0.00'], ['5301', '0.00', '2.00']]);
  });
});

describe('费用报销：审批记费用，付款冲其他应付款', () => {
  it('差旅 800 + 餐饮 56.50：批准 → 借 管理费用 / 贷 其他应付款（李销售）；付款 → 借 其他应付款 / 贷 银行存款', async () => {
    const created = (await li('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '800' }, { category: 'meal', amount: '56.50' }] })).body;
    const submitted = (await li('post', `/api/v1/expense-claims/${created.id}/submit`)).body;
    expect(await vouchersOf(created.id)).toEqual([]); // nothing until approved
    expect((await zhang('post', `/api/v1/approvals/${submitted.approvalId}/decide`).send({ decision: 'agree' })).status).toBe(200);
    const [approved] = await vouchersOf(created.id);
    expect(approved).toMatchObject({ date: today, source: { type: 'expenseClaim', label: '费用报销单', apiPath: `/api/v1/expense-claims/${created.id}` } });
    expect(brief(approved!.lines)).toEqual([['5602', '800.00', '0.00'], ['5602', '56.50', '0.00'], ['2241', '0.00', '856.50']]);
    expect(approved!.lines.map((l) => l.employee?.id)).toEqual([id.li, id.li, id.li]);
    expect(approved!.lines[0]!.department?.id).toBe(created.department.id);

    expect((await qian('post', `/api/v1/expense-claims/${created.id}/pay`).send({ paidOn: today, account: '工行基本户' })).status).toBe(200);
    const paid = (await qian('get', `/api/v1/vouchers?sourceType=expenseClaimPayment&sourceId=${created.id}`)).body.items[0];
    expect(paid).toMatchObject({ date: today, source: { label: '费用报销单（付款）' } });
    expect(brief(paid.lines)).toEqual([['2241', '856.50', '0.00'], ['1002', '0.00', '856.50']]);
    expect(paid.lines[0].employee.id).toBe(id.li);
  });
});

describe('已结账的期间', () => {
  it('库存调整与报销付款被拒（409），库存、单据和凭证都没有写', async () => {
    const claim = (await li('post', '/api/v1/expense-claims').send({ lines: [{ category: 'office', amount: '30' }] })).body;
    const submitted = (await li('post', `/api/v1/expense-claims/${claim.id}/submit`)).body;
    expect((await zhang('post', `/api/v1/approvals/${submitted.approvalId}/decide`).send({ decision: 'agree' })).status).toBe(200);
    // closing needs the month's 结转损益 first
    expect((await qian('post', `/api/v1/month-end/${month}/profitTransfer`)).status).toBe(200);
    expect((await qian('post', `/api/v1/accounting-periods/${month}/close`)).status).toBe(200);
    try {
      const sys = t.database.system;
      const before = { vouchers: await voucherCount(), moves: await sys.stockMove.count() };
      const adj = await admin('post', '/api/v1/stock/adjustments').send({ warehouseId: id.wh02, reason: '报损', lines: [{ itemId: id.m8, quantity: '-10' }] });
      expect(adj.status).toBe(409);
      expect(adj.body.error.message).toMatch(new RegExp(`^会计期间 ${month} 已结账，不能再记账`));
      const pay = await qian('post', `/api/v1/expense-claims/${claim.id}/pay`).send({ paidOn: today, account: '工行基本户' });
      expect(pay.status).toBe(409);
      expect({ vouchers: await voucherCount(), moves: await sys.stockMove.count() }).toEqual(before);
      expect((await sys.expenseClaim.findUniqueOrThrow({ where: { id: claim.id } })).state).toBe('confirmed');
    } finally {
      expect((await boss('post', `/api/v1/accounting-periods/${month}/reopen`)).status).toBe(200);
    }
  });
});
