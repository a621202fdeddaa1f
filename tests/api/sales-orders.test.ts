// 销售订单 through the real API: bad input (clear 4xx naming the field, nothing written), the
// credit limit and its override, data scope, permissions, locking and the lifecycle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock, stockLevelOf } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient, li: AuthedClient, zhang: AuthedClient, wu: AuthedClient, liu: AuthedClient, wang: AuthedClient, zhao: AuthedClient;
type Key = 'c1' | 'c2' | 'c3' | 'c4' | 'c12' | 'c27' | 'c29' | 'm8' | 'nut' | 'wire' | 'pcs' | 'box' | 'kg' | 'li.xs' | 'wu.xs' | 'liu.xs' | 'zhang.jl' | 'wh01' | 'wh02';
const id = {} as Record<Key, string>;

beforeAll(async () => {
  t = await createTestApp();
  [admin, li, zhang, wu, liu, wang, zhao] = await Promise.all([
    as(t, 'admin'), as(t, 'li.xs'), as(t, 'zhang.jl'), as(t, 'wu.xs'), as(t, 'liu.xs'), as(t, 'wang.cg'), as(t, 'zhao.ck'),
  ]);
  const sys = t.database.system;
  const by = async (code: string) => (await sys.customer.findFirstOrThrow({ where: { code } })).id;
  Object.assign(id, {
    c1: await by('C0001'), // 张经理, limit 500,000
    c2: await by('C0002'), // 李销售, limit 800,000
    c3: await by('C0003'), // 李销售
    c4: await by('C0004'), // 吴销售
    c12: await by('C0012'), // 吴销售, no limit
    c27: await by('C0027'), // 刘销售
    c29: await by('C0029'), // 刘销售, USD
  });
  for (const [k, code] of [['m8', 'FG-BLT-M8X30'], ['nut', 'FG-NUT-M10'], ['wire', 'RM-WR-35K-8.0']] as const) id[k] = (await sys.item.findFirstOrThrow({ where: { code } })).id;
  for (const [k, code] of [['pcs', 'PCS'], ['box', 'BOX'], ['kg', 'KG']] as const) id[k] = (await sys.unit.findFirstOrThrow({ where: { code } })).id;
  for (const u of ['li.xs', 'wu.xs', 'liu.xs', 'zhang.jl'] as const) id[u] = (await sys.user.findFirstOrThrow({ where: { username: u } })).id;
  id.wh01 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH01' } })).id;
  id.wh02 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id;
  await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '100000', unitCost: '0.03' }, { item: 'FG-NUT-M10', quantity: '50000', unitCost: '0.017' }]);
});
afterAll(async () => t?.close());

/** Everything an order use case may write, to prove a refused request wrote nothing. */
async function footprint() {
  const s = t.database.system;
  const [orders, lines, timeline, events, audit, reservations, moves, shipments, levels] = await Promise.all([
    s.salesOrder.count(), s.salesOrderLine.count(), s.timelineEntry.count(), s.outboxEvent.count(), s.auditLog.count(),
    s.reservation.aggregate({ _sum: { quantity: true } }), s.stockMove.count(), s.shipment.count(), s.stockLevel.aggregate({ _sum: { onHand: true, reserved: true } }),
  ]);
  return { orders, lines, timeline, events, audit, reserved: reservations._sum.quantity?.toString(), moves, shipments, onHand: levels._sum.onHand?.toString(), levelReserved: levels._sum.reserved?.toString() };
}

const order = (customerId: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({ customerId, lines, ...extra });

async function newOrder(client: AuthedClient, customerId: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const res = await client('post', '/api/v1/sales-orders').send(order(customerId, lines, extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string; version: number; lines: { id: string }[]; totalWithTax: string };
}

describe('新增订单与默认值', () => {
  it('默认：销售员 = 创建人，发货仓 = 成品仓，币别 = 客户币别；箱和个两种单位', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '3' }, { itemId: id.m8, unitId: id.pcs, quantity: '250', discountRate: '0.1', taxRate: '0.06' }], { requestedDate: '2099-01-15' });
    expect(o).toMatchObject({ state: 'draft', owner: { id: id['li.xs'], name: '李销售' }, warehouse: { code: 'WH02' }, currencyCode: 'CNY', exchangeRate: '1.000000', requestedDate: '2099-01-15' });
    expect(o.number).toMatch(/^SO-\d{8}-\d{4}$/);
    expect((o as unknown as { lines: Record<string, unknown>[] }).lines.map((l) => [(l.unit as { name: string }).name, l.baseQuantity, l.listPrice, l.unitPrice, l.taxRate, l.amount, l.taxAmount, l.amountWithTax])).toEqual([
      ['箱', '3000.0000', '55.000000', '55.000000', '0.1300', '146.02', '18.98', '165.00'],
      ['个', '250.0000', '0.055000', '0.049500', '0.0600', '11.68', '0.70', '12.38'],
    ]);
    expect(o).toMatchObject({ totalAmount: '157.70', totalTax: '19.68', totalWithTax: '177.38', listTotal: '178.75' });
  });

  it('外币客户：按订单日期当天或之前最近的汇率，默认单价折算为外币', async () => {
    const o = await newOrder(liu, id.c29, [{ itemId: id.m8, quantity: '1' }]);
    expect(o).toMatchObject({ currencyCode: 'USD', exchangeRate: '7.120000' });
    // 55 CNY per 箱 / 7.12
    expect((o as unknown as { lines: { listPrice: string }[] }).lines[0]!.listPrice).toBe('7.724719');
  });
});

describe('错误输入：4xx 指明字段，不写入任何数据', () => {
  const cases: [string, () => Record<string, unknown>, string, number?][] = [
    ['数量为 0', () => order(id.c2, [{ itemId: id.m8, quantity: '0' }]), 'body.lines.0.quantity'],
    ['数量为负', () => order(id.c2, [{ itemId: id.m8, quantity: '-2' }]), 'body.lines.0.quantity'],
    ['小数位过多', () => order(id.c2, [{ itemId: id.m8, unitId: id.pcs, quantity: '1.12345' }]), 'body.lines.0.quantity'],
    ['整数单位（箱）填了小数', () => order(id.c2, [{ itemId: id.m8, quantity: '1.5' }]), 'body.lines.0.quantity'],
    ['数量不是数字', () => order(id.c2, [{ itemId: id.m8, quantity: 'abc' }]), 'body.lines.0.quantity'],
    ['未知物料', () => order(id.c2, [{ itemId: id.m8, quantity: '1' }, { itemId: '00000000-0000-4000-8000-000000000000', quantity: '1' }]), 'body.lines.1.itemId'],
    ['物料没有的单位（M8 螺栓用千克）', () => order(id.c2, [{ itemId: id.m8, unitId: id.kg, quantity: '1' }]), 'body.lines.0.unitId'],
    ['折扣率大于 1', () => order(id.c2, [{ itemId: id.m8, quantity: '1', discountRate: '1.5' }]), 'body.lines.0.discountRate'],
    ['没有明细', () => order(id.c2, []), 'body.lines'],
    ['未知客户', () => order('00000000-0000-4000-8000-000000000000', [{ itemId: id.m8, quantity: '1' }]), 'body.customerId'],
    ['数据范围以外的客户（刘销售的客户）', () => order(id.c27, [{ itemId: id.m8, quantity: '1' }]), 'body.customerId'],
    ['未知币别', () => order(id.c2, [{ itemId: id.m8, quantity: '1' }], { currencyCode: 'XYZ' }), 'body.currencyCode'],
    ['该日期之前没有汇率', () => order(id.c2, [{ itemId: id.m8, quantity: '1' }], { currencyCode: 'USD', orderDate: '2001-01-01' }), 'body.currencyCode'],
    ['日期不存在', () => order(id.c2, [{ itemId: id.m8, quantity: '1' }], { orderDate: '2026-02-30' }), 'body.orderDate'],
    ['未知仓库', () => order(id.c2, [{ itemId: id.m8, quantity: '1' }], { warehouseId: '00000000-0000-4000-8000-000000000000' }), 'body.warehouseId'],
  ];
  for (const [name, body, field] of cases) {
    it(name, async () => {
      const before = await footprint();
      const res = await li('post', '/api/v1/sales-orders').send(body());
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await footprint()).toEqual(before);
    });
  }

  it('把订单分配给数据范围以外的销售员 → 403', async () => {
    const res = await li('post', '/api/v1/sales-orders').send(order(id.c2, [{ itemId: id.m8, quantity: '1' }], { ownerId: id['liu.xs'] }));
    expect(res.status).toBe(403);
  });
});

describe('修改与锁定', () => {
  it('草稿可改（整体替换明细、重算合计），旧版本 409', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    const res = await li('patch', `/api/v1/sales-orders/${o.id}`).send({ version: o.version, lines: [{ itemId: id.m8, quantity: '2' }, { itemId: id.nut, unitId: id.pcs, quantity: '100' }], remark: '加急' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, remark: '加急', totalWithTax: '112.62' });
    expect(res.body.lines).toHaveLength(2);
    const before = await footprint();
    const stale = await li('patch', `/api/v1/sales-orders/${o.id}`).send({ version: 1, remark: 'x' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect(await footprint()).toEqual(before);
  });

  it('已确认的订单不能修改（409），待审批的也不能', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    expect((await li('post', `/api/v1/sales-orders/${o.id}/confirm`).send({})).status).toBe(200);
    let before = await footprint();
    let res = await li('patch', `/api/v1/sales-orders/${o.id}`).send({ version: 2, lines: [{ itemId: id.m8, quantity: '5' }] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('订单已确认，不能修改');
    expect(await footprint()).toEqual(before);

    const p = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    await t.database.system.salesOrder.update({ where: { id: p.id }, data: { state: 'pendingApproval' } }); // as the approvals issue will
    before = await footprint();
    res = await li('patch', `/api/v1/sales-orders/${p.id}`).send({ version: 1, remark: '改' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('订单待审批中，不能修改');
    expect((await li('post', `/api/v1/sales-orders/${p.id}/confirm`).send({})).status).toBe(409); // approval confirms it, not a manual confirm
    expect(await footprint()).toEqual(before);
  });

  it('草稿可删除；已确认的不能删除', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    expect((await li('delete', `/api/v1/sales-orders/${o.id}`)).status).toBe(204);
    expect((await li('get', `/api/v1/sales-orders/${o.id}`)).status).toBe(404);
    const c = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    await li('post', `/api/v1/sales-orders/${c.id}/submit`).send({});
    const res = await li('delete', `/api/v1/sales-orders/${c.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('订单已确认');
  });
});

describe('信用额度', () => {
  it('超出额度拒绝并给出数字；张经理可以放行（审计），李销售放行 → 403', async () => {
    // 恒力机械 (张经理, 额度 500,000): 480,000 already confirmed.
    const first = await newOrder(zhang, id.c1, [{ itemId: id.m8, quantity: '1', listPrice: '480000' }]);
    expect((await zhang('post', `/api/v1/sales-orders/${first.id}/confirm`).send({})).status).toBe(200);
    const second = await newOrder(zhang, id.c1, [{ itemId: id.m8, quantity: '1', listPrice: '30000' }]);
    const before = await footprint();
    const refused = await zhang('post', `/api/v1/sales-orders/${second.id}/confirm`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/^超出信用额度：额度 ¥500,000\.00，已占用 ¥480,000\.00，本单 ¥30,000\.00/);
    expect(await footprint()).toEqual(before);
    expect((await zhang('get', `/api/v1/sales-orders/${second.id}`)).body.state).toBe('draft');

    const ok = await zhang('post', `/api/v1/sales-orders/${second.id}/confirm`).send({ overrideCredit: true });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'confirmed', creditOverride: true });
    expect(ok.body.timeline.at(-1).message).toContain('超信用额度放行');
    const audit = await t.database.system.auditLog.findFirstOrThrow({ where: { entityId: second.id, action: 'creditOverride' } });
    expect(audit.after).toMatchObject({ limit: '500000.00', exposure: '480000.00', thisOrder: '30000.00' });
    expect(audit.userId).toBe(id['zhang.jl']);

    // 李销售 lacks salesOrder:overrideCredit.
    const big = await newOrder(li, id.c3, [{ itemId: id.m8, quantity: '1', listPrice: '300000.01' }]);
    const liRefused = await li('post', `/api/v1/sales-orders/${big.id}/confirm`).send({});
    expect(liRefused.status).toBe(409);
    expect(liRefused.body.error.message).toMatch(/^超出信用额度：额度 ¥300,000\.00，已占用 ¥0\.00，本单 ¥300,000\.01/);
    const before2 = await footprint();
    const forbidden = await li('post', `/api/v1/sales-orders/${big.id}/confirm`).send({ overrideCredit: true });
    expect(forbidden.status).toBe(403);
    expect(await footprint()).toEqual(before2);
  });

  it('预收款减少占用；额度为 0 的客户不限', async () => {
    const o = await newOrder(li, id.c3, [{ itemId: id.m8, quantity: '1', listPrice: '350000' }]);
    const adv = await li('post', `/api/v1/sales-orders/${o.id}/advance-receipts`).send({ amount: '60000', method: '银行转账' });
    expect(adv.status).toBe(201);
    expect(adv.body).toMatchObject({ advanceReceived: '60000.00', paymentProgress: 'partial' });
    expect(adv.body.advanceReceipts).toMatchObject([{ amount: '60000.00', method: '银行转账', createdBy: { name: '李销售' } }]);
    expect((await li('post', `/api/v1/sales-orders/${o.id}/confirm`).send({})).status).toBe(200); // 290,000 ≤ 300,000
    const tooMuch = await li('post', `/api/v1/sales-orders/${o.id}/advance-receipts`).send({ amount: '290000.01' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.details[0].field).toBe('body.amount');

    const unlimited = await newOrder(wu, id.c12, [{ itemId: id.m8, quantity: '1', listPrice: '99999999' }]);
    expect((await wu('post', `/api/v1/sales-orders/${unlimited.id}/confirm`).send({})).status).toBe(200);
  });

  it('预收款记账：借 银行存款 贷 预收账款（客户），凭证链接回到订单；看不到订单的人 404', async () => {
    const o = await newOrder(li, id.c3, [{ itemId: id.m8, quantity: '1', listPrice: '1000' }]);
    const adv = await li('post', `/api/v1/sales-orders/${o.id}/advance-receipts`).send({ amount: '300.50', method: '银行转账' });
    expect(adv.status, JSON.stringify(adv.body)).toBe(201);
    const receiptId = adv.body.advanceReceipts[0].id as string;
    const vs = (await admin('get', `/api/v1/vouchers?sourceId=${receiptId}`)).body.items as { lines: { account: { code: string }; debit: string; credit: string; customer: { id: string } | null }[]; source: { type: string; apiPath: string } }[];
    expect(vs).toHaveLength(1);
    expect(vs[0]!.source).toMatchObject({ type: 'advanceReceipt', apiPath: `/api/v1/advance-receipts/${receiptId}` });
    expect(vs[0]!.lines.map((l) => [l.account.code, l.debit, l.credit, l.customer?.id])).toEqual([['1002', '300.50', '0.00', id.c3], ['2203', '0.00', '300.50', id.c3]]);
    expect((await li('get', `/api/v1/advance-receipts/${receiptId}`)).body.id).toBe(o.id);
    expect((await wu('get', `/api/v1/advance-receipts/${receiptId}`)).status).toBe(404);
  });
});

describe('数据范围与权限', () => {
  it('李销售只看到自己的订单；张经理看到本部门（李、吴、刘）的；管理员看到全部', async () => {
    const mine = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    const wus = await newOrder(wu, id.c4, [{ itemId: id.m8, quantity: '1' }]);
    const lius = await newOrder(liu, id.c27, [{ itemId: id.m8, quantity: '1' }]);
    const liList = (await li('get', '/api/v1/sales-orders?pageSize=200')).body;
    expect(liList.items.every((o: { owner: { id: string } }) => o.owner.id === id['li.xs'])).toBe(true);
    expect(liList.items.map((o: { id: string }) => o.id)).toContain(mine.id);
    expect((await li('get', `/api/v1/sales-orders/${wus.id}`)).status).toBe(404);
    expect((await li('post', `/api/v1/sales-orders/${wus.id}/confirm`).send({})).status).toBe(404);

    const zhangList = (await zhang('get', '/api/v1/sales-orders?pageSize=200')).body;
    const ids = zhangList.items.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, wus.id, lius.id]));
    const team = new Set((['li.xs', 'wu.xs', 'liu.xs', 'zhang.jl'] as const).map((u) => id[u]));
    expect(zhangList.items.every((o: { owner: { id: string } }) => team.has(o.owner.id))).toBe(true);
    expect((await admin('get', '/api/v1/sales-orders?pageSize=1')).body.total).toBe(await t.database.system.salesOrder.count());
  });

  it('王采购不能新增或查看销售订单（403）；李销售不能发货（403）', async () => {
    const before = await footprint();
    expect((await wang('post', '/api/v1/sales-orders').send(order(id.c2, [{ itemId: id.m8, quantity: '1' }]))).status).toBe(403);
    expect((await wang('get', '/api/v1/sales-orders')).status).toBe(403);
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    await li('post', `/api/v1/sales-orders/${o.id}/confirm`).send({});
    const mid = await footprint();
    expect((await li('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.lines[0]!.id, quantity: '1' }] })).status).toBe(403);
    expect(await footprint()).toEqual(mid);
    expect(before.orders + 1).toBe(mid.orders);
  });

  it('另一家公司的订单 → 404', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    await createSecondCompany(t);
    const other = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/sales-orders/${o.id}`)).status).toBe(404);
    expect((await other('post', `/api/v1/sales-orders/${o.id}/confirm`).send({})).status).toBe(404);
    expect((await other('get', '/api/v1/sales-orders')).body.total).toBe(0);
  });
});

describe('列表：分页、搜索、筛选、排序', () => {
  it('按状态、客户、销售员、日期、发货进度筛选；按单号或客户名搜索', async () => {
    const a = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }], { orderDate: '2030-03-01' });
    const b = await newOrder(li, id.c3, [{ itemId: id.m8, quantity: '1' }], { orderDate: '2030-03-05' });
    await li('post', `/api/v1/sales-orders/${b.id}/confirm`).send({});
    const q = (query: string) => admin('get', `/api/v1/sales-orders?${query}`).then((r) => { expect(r.status).toBe(200); return r.body.items.map((o: { id: string }) => o.id) as string[]; });
    expect(await q('from=2030-03-01&to=2030-03-01')).toEqual([a.id]);
    expect(await q('from=2030-03-01&to=2030-03-31&sort=orderDate')).toEqual([a.id, b.id]);
    expect(await q('from=2030-03-01&state=confirmed')).toEqual([b.id]);
    expect(await q(`from=2030-03-01&customerId=${id.c3}`)).toEqual([b.id]);
    expect(await q(`from=2030-03-01&ownerId=${id['wu.xs']}`)).toEqual([]);
    expect(await q('from=2030-03-01&shipmentProgress=none&sort=-orderDate')).toEqual([b.id, a.id]);
    expect(await q(`q=${encodeURIComponent(a.number)}`)).toEqual([a.id]);
    expect(await q(`from=2030-03-01&q=${encodeURIComponent('镇海甬兴')}`)).toEqual([b.id]);
    const page = (await admin('get', '/api/v1/sales-orders?page=2&pageSize=1&sort=number')).body;
    expect(page).toMatchObject({ page: 2, pageSize: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0].customer.name).toBeTruthy();
    expect((await admin('get', '/api/v1/sales-orders?pageSize=500')).status).toBe(400);
    expect((await admin('get', '/api/v1/sales-orders?state=bogus')).status).toBe(400);
    expect((await admin('get', '/api/v1/sales-orders?from=2030-13-01')).status).toBe(400);
  });
});

describe('发货、取消、关闭', () => {
  it('发货超过订单数量 → 409 指明行，不写入', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '2' }]);
    await li('post', `/api/v1/sales-orders/${o.id}/confirm`).send({});
    const before = await footprint();
    const res = await zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.lines[0]!.id, quantity: '3' }] });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([{ field: 'body.lines.0.quantity', label: '第 1 行 数量', message: '第 1 行最多还可发 2 箱（2000 个） M8螺栓' }]);
    // Two request lines drawing on one order line count together.
    const split = await zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.lines[0]!.id, quantity: '2' }, { orderLineId: o.lines[0]!.id, quantity: '1' }] });
    expect(split.status).toBe(409);
    expect(split.body.error.details[0].field).toBe('body.lines.1.quantity');
    const bad = await zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: '00000000-0000-4000-8000-000000000000', quantity: '1' }, { orderLineId: o.lines[0]!.id, quantity: '0' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.lines.1.quantity']);
    const unknownLine = await zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: '00000000-0000-4000-8000-000000000000', quantity: '1' }] });
    expect(unknownLine.status).toBe(400);
    expect(unknownLine.body.error.details[0].field).toBe('body.lines.0.orderLineId');
    expect(await footprint()).toEqual(before);
  });

  it('草稿或已取消的订单不能发货（409）；取消释放预留', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.nut, quantity: '1' }]); // 1 箱
    const ship = () => zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.lines[0]!.id, quantity: '1' }] });
    let res = await ship();
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('订单尚未确认，不能发货');
    const levelBefore = await stockLevelOf(t, id.nut, id.wh02);
    const confirmed = await li('post', `/api/v1/sales-orders/${o.id}/confirm`).send({});
    expect(confirmed.body.lines[0].reservedQuantity).not.toBe('0.0000');
    const cancelled = await li('post', `/api/v1/sales-orders/${o.id}/cancel`).send({ reason: '客户取消' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled' });
    expect(cancelled.body.lines[0].reservedQuantity).toBe('0.0000');
    expect(cancelled.body.timeline.at(-1)).toMatchObject({ kind: 'cancelled' });
    expect(await stockLevelOf(t, id.nut, id.wh02)).toEqual(levelBefore);
    const before = await footprint();
    res = await ship();
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('订单已取消，不能发货');
    expect(await footprint()).toEqual(before);
    expect((await li('post', `/api/v1/sales-orders/${o.id}/confirm`).send({})).status).toBe(409);
  });

  it('已发货的订单不能取消，只能关闭；关闭释放剩余预留', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '5' }]);
    await li('post', `/api/v1/sales-orders/${o.id}/submit`).send({}); // no approval rule yet: confirmed at once
    expect((await zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.lines[0]!.id, quantity: '2' }] })).status).toBe(201);
    const cancel = await li('post', `/api/v1/sales-orders/${o.id}/cancel`).send({});
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.message).toContain('不能取消');
    const closed = await li('post', `/api/v1/sales-orders/${o.id}/close`).send({ reason: '余量不要了' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', shipmentProgress: 'partial' });
    expect(closed.body.lines[0]).toMatchObject({ shippedQuantity: '2000.0000', reservedQuantity: '0.0000', shortQuantity: '0.0000' });
    expect(closed.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['created', 'confirmed', 'shipped', 'closed']);
    const held = await t.database.system.reservation.findMany({ where: { demandId: o.lines[0]!.id } });
    expect(held.every((r) => r.quantity.isZero())).toBe(true);
  });

  it('款到发货：预收款不足订单金额时不能发货', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }], { prepaymentRequired: true });
    await li('post', `/api/v1/sales-orders/${o.id}/confirm`).send({});
    const ship = () => zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.lines[0]!.id, quantity: '1' }] });
    const refused = await ship();
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('款到发货：预收款 ¥0.00 未达订单价税合计 ¥55.00，不能发货');
    expect((await li('post', `/api/v1/sales-orders/${o.id}/advance-receipts`).send({ amount: '55' })).body.paymentProgress).toBe('full');
    expect((await ship()).status).toBe(201);
  });

  it('出库单列表按订单的数据范围，可按订单、客户筛选', async () => {
    const o = await newOrder(li, id.c2, [{ itemId: id.m8, quantity: '1' }]);
    await li('post', `/api/v1/sales-orders/${o.id}/confirm`).send({});
    const sh = (await zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.lines[0]!.id, quantity: '1' }] })).body;
    const list = (await zhao('get', `/api/v1/shipments?orderId=${o.id}`)).body;
    expect(list.items.map((s: { id: string }) => s.id)).toEqual([sh.id]);
    expect(list.items[0]).toMatchObject({ order: { id: o.id, number: o.number }, customer: { code: 'C0002' }, createdBy: { name: '赵仓管' } });
    expect((await li('get', `/api/v1/shipments/${sh.id}`)).status).toBe(200);
    expect((await wu('get', `/api/v1/shipments/${sh.id}`)).status).toBe(404);
    expect((await wu('get', `/api/v1/shipments?orderId=${o.id}`)).body.total).toBe(0);
    expect((await admin('get', `/api/v1/shipments?q=${encodeURIComponent(sh.number)}`)).body.items).toHaveLength(1);
  });
});
