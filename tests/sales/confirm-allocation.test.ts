// 确认订单的预留: every line still to ship reserves in line order from its ship-from warehouse;
// two lines of one item share what is available, the first line first; an item that never had
// stock reserves nothing; an item with a safety stock raises its shortage alert in the same
// transaction. Checked in the reply, the reservations, the stock level and the timeline entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
let companyId: string;
let customerId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
});
afterAll(async () => t?.close());

let seq = 0;
/** A fresh item (base unit 个) with `onHand` units in 成品仓 (none: never had stock). */
async function newItem(onHand: string | null, safetyStock = '0'): Promise<string> {
  const pcs = await t.database.system.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const item = await t.database.system.item.create({
    data: { companyId, code: `ALLOC-${++seq}-${Date.now()}`, name: `预留测试物料${seq}`, kind: 'finished', baseUnitId: pcs.id, salePrice: '10', safetyStock },
  });
  if (onHand) await addOpeningStock(t, [{ item: item.id, quantity: onHand, unitCost: '5' }]);
  return item.id;
}

async function confirmNew(lines: { itemId: string; quantity: string }[]) {
  const draft = await admin('post', '/api/v1/sales-orders').send({ customerId, lines });
  expect(draft.status).toBe(201);
  const res = await admin('post', `/api/v1/sales-orders/${draft.body.id}/confirm`).send({});
  expect(res.status).toBe(200);
  return res.body;
}

describe('确认订单：按行序预留', () => {
  it('同一物料两行共用可用量：第一行先得，第二行得剩余并显示缺货；没有库存的物料预留 0', async () => {
    const a = await newItem('8');
    const b = await newItem('10');
    const never = await newItem(null);
    const order = await confirmNew([
      { itemId: a, quantity: '6' }, { itemId: b, quantity: '3' }, { itemId: a, quantity: '6' }, { itemId: never, quantity: '2' },
    ]);
    expect(order.state).toBe('confirmed');
    expect(order.lines.map((l: { reservedQuantity: string; shortQuantity: string }) => [l.reservedQuantity, l.shortQuantity])).toEqual([
      ['6.0000', '0.0000'], ['3.0000', '0.0000'], ['2.0000', '4.0000'], ['0.0000', '2.0000'],
    ]);

    const sys = t.database.system;
    const held = await sys.reservation.findMany({ where: { demandId: { in: order.lines.map((l: { id: string }) => l.id) } } });
    expect(held.map((r) => [r.demandId, r.quantity.toString()]).sort()).toEqual(
      [[order.lines[0].id, '6'], [order.lines[1].id, '3'], [order.lines[2].id, '2']].sort(),
    );
    expect((await sys.stockLevel.findFirstOrThrow({ where: { itemId: a } })).reserved.toString()).toBe('8');

    const entry = await sys.timelineEntry.findFirstOrThrow({ where: { orderId: order.id, kind: 'confirmed' } });
    expect(entry.message).toBe(`确认订单 ${order.number}：2 行已全部预留，2 行缺货`);
    expect(entry.data).toEqual({ shortLines: 2, creditOverride: false, lineNo: [1, 2, 3, 4], reserved: ['6', '3', '2', '0'], short: ['0', '0', '4', '2'] });
  });

  it('有安全库存的物料确认后跌破：同一事务里写一条缺货事件，再确认一张不再写', async () => {
    const watched = await newItem('10', '5');
    const before = (await t.database.system.outboxEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
    const shortages = async () =>
      (await t.database.system.outboxEvent.findMany({ where: { id: { gt: before }, type: 'stock.shortage' } }))
        .filter((e) => (e.payload as { itemId: string }).itemId === watched);

    const first = await confirmNew([{ itemId: watched, quantity: '7' }]);
    expect(first.lines[0].reservedQuantity).toBe('7.0000');
    const events = await shortages();
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ itemId: watched, available: '3.0000', safetyStock: '5.0000' });

    const second = await confirmNew([{ itemId: watched, quantity: '2' }]);
    expect(second.lines[0].reservedQuantity).toBe('2.0000');
    expect(await shortages()).toHaveLength(1);
  });
});
