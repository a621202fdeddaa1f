// 并发: real parallel HTTP requests against real PostgreSQL — reservations never exceed what is on
// hand, one order is confirmed once, and parallel shipments never ship more than ordered.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock, stockLevelOf } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
let zhao: AuthedClient;
let companyId: string;
let customerId: string;
let wh02: string;

beforeAll(async () => {
  t = await createTestApp();
  [admin, zhao] = await Promise.all([as(t, 'admin'), as(t, 'zhao.ck')]);
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id; // credit limit 800,000: the customer row is locked too
  wh02 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id;
});
afterAll(async () => t?.close());

let seq = 0;
/** A fresh item (base unit 个, no safety stock) with `onHand` units in 成品仓. */
async function itemWithStock(onHand: string): Promise<string> {
  const pcs = await t.database.system.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const item = await t.database.system.item.create({
    data: { companyId, code: `RACE-${++seq}-${Date.now()}`, name: `并发测试物料${seq}`, kind: 'finished', baseUnitId: pcs.id, salePrice: '10' },
  });
  await addOpeningStock(t, [{ item: item.id, quantity: onHand, unitCost: '5' }]);
  return item.id;
}

async function draftOrder(itemId: string, quantity: string): Promise<{ id: string; lineId: string }> {
  const res = await admin('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId, quantity }] });
  expect(res.status).toBe(201);
  return { id: res.body.id, lineId: res.body.lines[0].id };
}

async function reservationsOf(itemId: string): Promise<Decimal> {
  const rows = await t.database.system.reservation.findMany({ where: { itemId } });
  return rows.reduce((a, r) => a.plus(r.quantity.toString()), new Decimal(0));
}

describe('并发确认与发货', () => {
  it('100 张订单同时确认，每张要 1 个、可用只有 10 个：全部确认，恰好预留 10 个，90 张显示缺货', async () => {
    const itemId = await itemWithStock('10');
    const orders = await Promise.all(Array.from({ length: 100 }, () => draftOrder(itemId, '1')));
    const results = await Promise.all(orders.map((o) => admin('post', `/api/v1/sales-orders/${o.id}/confirm`).send({})));
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(results.every((r) => r.body.state === 'confirmed')).toBe(true);

    expect(await stockLevelOf(t, itemId, wh02)).toEqual({ onHand: '10.0000', reserved: '10.0000' });
    expect((await reservationsOf(itemId)).toFixed(4)).toBe('10.0000');
    const lines = results.map((r) => r.body.lines[0] as { reservedQuantity: string; shortQuantity: string });
    expect(lines.filter((l) => l.reservedQuantity === '1.0000' && l.shortQuantity === '0.0000')).toHaveLength(10);
    expect(lines.filter((l) => l.reservedQuantity === '0.0000' && l.shortQuantity === '1.0000')).toHaveLength(90);
    // The detail says the same afterwards.
    const details = await Promise.all(orders.map((o) => admin('get', `/api/v1/sales-orders/${o.id}`)));
    expect(details.filter((d) => d.body.lines[0].shortQuantity === '1.0000')).toHaveLength(90);
    const timeline = await t.database.system.timelineEntry.findMany({ where: { orderId: { in: orders.map((o) => o.id) }, kind: 'confirmed' } });
    expect(timeline).toHaveLength(100);
    expect(timeline.filter((e) => (e.data as { shortLines: number }).shortLines === 1)).toHaveLength(90);
    // Never more reserved than on hand, on any level row.
    expect(await t.database.system.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM stock_level WHERE reserved > on_hand`).toEqual([{ n: 0 }]);
  });

  it('同一张订单同时确认 100 次：只确认一次，预留不翻倍，其余 99 次 409', async () => {
    const itemId = await itemWithStock('50');
    const order = await draftOrder(itemId, '7');
    const results = await Promise.all(Array.from({ length: 100 }, () => admin('post', `/api/v1/sales-orders/${order.id}/confirm`).send({})));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(results.find((r) => r.status === 409)!.body.error.message).toBe('订单已确认，不能重复确认');
    expect(await stockLevelOf(t, itemId, wh02)).toEqual({ onHand: '50.0000', reserved: '7.0000' });
    expect((await reservationsOf(itemId)).toFixed(4)).toBe('7.0000');
    expect(await t.database.system.timelineEntry.count({ where: { orderId: order.id, kind: 'confirmed' } })).toBe(1);
    expect(await t.database.system.auditLog.count({ where: { entityId: order.id, action: 'confirm' } })).toBe(1);
    expect(await t.database.system.outboxEvent.count({ where: { aggregateId: order.id, type: 'order.progress' } })).toBe(2); // created + confirmed
  });

  it('同一张订单 50 个并发发货（订 20 个，每次发 1 个）：恰好发 20 个，其余 409，库存等于流水之和', async () => {
    const itemId = await itemWithStock('100');
    const order = await draftOrder(itemId, '20');
    expect((await admin('post', `/api/v1/sales-orders/${order.id}/confirm`).send({})).status).toBe(200);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => zhao('post', `/api/v1/sales-orders/${order.id}/shipments`).send({ lines: [{ orderLineId: order.lineId, quantity: '1' }] })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    const line = await t.database.system.salesOrderLine.findUniqueOrThrow({ where: { id: order.lineId } });
    expect(line.shippedQuantity.toFixed(4)).toBe('20.0000');
    expect(await stockLevelOf(t, itemId, wh02)).toEqual({ onHand: '80.0000', reserved: '0.0000' });
    const moves = await t.database.system.stockMove.findMany({ where: { itemId } });
    expect(moves.reduce((a, m) => a.plus(m.quantity.toString()), new Decimal(0)).toFixed(4)).toBe('80.0000');
    expect(await t.database.system.shipment.count({ where: { orderId: order.id } })).toBe(20);
    const detail = (await admin('get', `/api/v1/sales-orders/${order.id}`)).body;
    expect(detail.shipmentProgress).toBe('full');
    expect(detail.timeline.filter((e: { kind: string }) => e.kind === 'shipped')).toHaveLength(20);
  });

  it('50 个并发发货分摊在两张订单同一物料、可用不足时：从不超发，在库从不为负', async () => {
    const itemId = await itemWithStock('30');
    const a = await draftOrder(itemId, '25');
    const b = await draftOrder(itemId, '25');
    await admin('post', `/api/v1/sales-orders/${a.id}/confirm`).send({});
    await admin('post', `/api/v1/sales-orders/${b.id}/confirm`).send({}); // reserves only 5
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const o = i % 2 ? a : b;
        return zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.lineId, quantity: '1' }] });
      }),
    );
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const shipped = results.filter((r) => r.status === 201).length;
    expect(shipped).toBe(30); // 25 of A's; B gets its 5 reserved, nothing more is free
    const level = await stockLevelOf(t, itemId, wh02);
    expect(level).toEqual({ onHand: '0.0000', reserved: '0.0000' });
    const lines = await t.database.system.salesOrderLine.findMany({ where: { id: { in: [a.lineId, b.lineId] } } });
    expect(lines.reduce((s, l) => s.plus(l.shippedQuantity.toString()), new Decimal(0)).toFixed(4)).toBe('30.0000');
  });
});
