// 订单的写回复 = 详情: creating and confirming reply with the order built from the rows their own
// statements wrote (no second transaction); the reply must be exactly what GET /sales-orders/:id
// shows right after; a list entry is exactly the detail's header, and the timeline the detail's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
const id = {} as Record<'c2' | 'c29' | 'm8' | 'pcs' | 'box' | 'fresh', string>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  const sys = t.database.system;
  const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
  id.c2 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  id.c29 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0029' } })).id; // USD
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id; // 1 箱 = 1000 个
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  id.box = (await sys.unit.findFirstOrThrow({ where: { code: 'BOX' } })).id;
  id.fresh = (await sys.item.create({
    data: { companyId: company.id, code: `REPLY-${Date.now()}`, name: '回复测试物料', spec: 'Φ8', kind: 'finished', baseUnitId: id.pcs, salePrice: '12.5' },
  })).id;
  await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '5000', unitCost: '0.03' }, { item: id.fresh, quantity: '8', unitCost: '5' }]);
});
afterAll(async () => t?.close());

const detail = async (orderId: string) => {
  const res = await admin('get', `/api/v1/sales-orders/${orderId}`);
  expect(res.status).toBe(200);
  return res.body;
};

describe('写操作的回复与详情一致', () => {
  it('新增 → 预收 → 确认（部分缺货）：新增与确认的回复都等于随后 GET 的详情', async () => {
    const created = await admin('post', '/api/v1/sales-orders').send({
      customerId: id.c2, requestedDate: '2099-03-01', remark: '回复一致性',
      lines: [{ itemId: id.fresh, quantity: '10' }, { itemId: id.m8, unitId: id.box, quantity: '2', discountRate: '0.1' }, { itemId: id.m8, unitId: id.pcs, quantity: '500' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.lines).toHaveLength(3);
    expect(created.body).toEqual(await detail(created.body.id));

    // An advance receipt moves the version and adds to what the confirmation's reply has to show.
    expect((await admin('post', `/api/v1/sales-orders/${created.body.id}/advance-receipts`).send({ amount: '100.00', method: '银行转账' })).status).toBe(201);
    const confirmed = await admin('post', `/api/v1/sales-orders/${created.body.id}/confirm`).send({});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    // 10 wanted of 8 on hand: 8 reserved, 2 short; M8 2 箱 + 500 个 all reserved.
    expect(confirmed.body.lines.map((l: { reservedQuantity: string; shortQuantity: string }) => [l.reservedQuantity, l.shortQuantity]))
      .toEqual([['8.0000', '2.0000'], ['2000.0000', '0.0000'], ['500.0000', '0.0000']]);
    expect(confirmed.body.advanceReceipts).toHaveLength(1);
    expect(confirmed.body).toEqual(await detail(created.body.id));
    // The timeline on its own is the detail's, entry for entry (created, advanceReceived, confirmed).
    const timeline = await admin('get', `/api/v1/sales-orders/${created.body.id}/timeline`);
    expect(timeline.body.map((e: { kind: string }) => e.kind)).toEqual(['created', 'advanceReceived', 'confirmed']);
    expect(timeline.body).toEqual(confirmed.body.timeline);
  });

  it('外币订单（USD）新增后直接确认：回复等于详情；列表中的一行等于详情的表头', async () => {
    const created = await admin('post', '/api/v1/sales-orders').send({ customerId: id.c29, lines: [{ itemId: id.m8, unitId: id.pcs, quantity: '1200' }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.currencyCode).toBe('USD');
    expect(created.body).toEqual(await detail(created.body.id));
    const confirmed = await admin('post', `/api/v1/sales-orders/${created.body.id}/confirm`).send({});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const shown = await detail(created.body.id);
    expect(confirmed.body).toEqual(shown);

    const list = await admin('get', `/api/v1/sales-orders?q=${shown.number}`);
    expect(list.status).toBe(200);
    const { lines: _l, shipments: _s, returns: _r, advanceReceipts: _a, timeline: _t, ...header } = shown;
    expect(list.body.items).toEqual([header]);
  });
});
