// 盘亏 / 报损 below the reserved quantity: the loss is posted, the level's reservations are cut —
// the most recently confirmed orders first — until reserved ≤ on hand; each order that lost
// reservation is short, gets a timeline entry, and its salesperson is told through the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { putStock, stockLevelOf } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
let li: AuthedClient;
const id: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [admin, li] = await Promise.all([as(t, 'admin'), as(t, 'li.xs')]);
  const sys = t.database.system;
  id.c2 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id; // 李销售; its order group DMs the salesperson
  id.wh02 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id;
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  for (const code of ['FG-NUT-M8', 'FG-NUT-M10', 'FG-NUT-M12']) id[code] = (await sys.item.findFirstOrThrow({ where: { code } })).id;
  await putStock(t, { itemCode: 'FG-NUT-M8', quantity: '10', unitCost: '0.01' });
  await putStock(t, { itemCode: 'FG-NUT-M10', quantity: '10', unitCost: '0.02' });
  await putStock(t, { itemCode: 'FG-NUT-M12', quantity: '12', unitCost: '0.03' });
  // C0002's order group on Feishu, which also tells the order's salesperson directly.
  await admin('post', '/api/v1/notification-routes')
    .send({ topic: 'order.progress', platform: 'lark', targetKind: 'group', targetId: 'oc_c0002', customerId: id.c2, toOwner: true, name: 'C0002 订单群' })
    .expect(201);
});
afterAll(async () => t?.close());

interface OrderLine { reservedQuantity: string; shortQuantity: string }
interface Order { id: string; number: string; lines: OrderLine[]; timeline: { kind: string; message: string; data: unknown; actor: { name: string } | null }[] }

/** An order of `quantity` 个 of one item for C0002, confirmed now (reserving what it can). */
async function confirmedOrder(itemCode: string, quantity: string): Promise<Order> {
  const created = await li('post', '/api/v1/sales-orders').send({ customerId: id.c2, lines: [{ itemId: id[itemCode], unitId: id.pcs, quantity }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const confirmed = await li('post', `/api/v1/sales-orders/${created.body.id}/confirm`).send({});
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return confirmed.body;
}
const read = async (o: Order): Promise<Order> => (await li('get', `/api/v1/sales-orders/${o.id}`)).body;
const cutEvents = async (o: Order) =>
  (await t.database.system.outboxEvent.findMany({ where: { type: 'order.progress', aggregateId: o.id }, orderBy: { id: 'asc' } }))
    .map((e) => e.payload as { kind: string; number: string; message: string })
    .filter((p) => p.kind === 'reservationCut');

describe('盘亏低于已预留数量', () => {
  it('在库 10、两张订单依次预留 5 和 3、实盘 5：过账；后确认的订单 3 → 0，先确认的保持 5', async () => {
    const first = await confirmedOrder('FG-NUT-M8', '5');
    const later = await confirmedOrder('FG-NUT-M8', '3');
    expect(await stockLevelOf(t, id['FG-NUT-M8']!, id.wh02!)).toEqual({ onHand: '10.0000', reserved: '8.0000' });

    const count = await admin('post', '/api/v1/stock/counts').send({ warehouseId: id.wh02, itemIds: [id['FG-NUT-M8']] });
    expect(count.status).toBe(201);
    const entered = await admin('patch', `/api/v1/stock/counts/${count.body.id}`).send({ version: count.body.version, lines: [{ lineId: count.body.lines[0].id, countedQuantity: '5' }] });
    expect(entered.status).toBe(200);
    const posted = await admin('post', `/api/v1/stock/counts/${count.body.id}/post`);
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(posted.body.lines[0]).toMatchObject({ variance: '-5.0000', varianceAmount: '-0.05' });
    expect(await stockLevelOf(t, id['FG-NUT-M8']!, id.wh02!)).toEqual({ onHand: '5.0000', reserved: '5.0000' });

    const a = await read(first);
    expect(a.lines[0]).toMatchObject({ reservedQuantity: '5.0000', shortQuantity: '0.0000' });
    expect(a.timeline.map((e) => e.kind)).toEqual(['created', 'confirmed']);
    expect(await cutEvents(first)).toEqual([]);

    const b = await read(later);
    expect(b.lines[0]).toMatchObject({ reservedQuantity: '0.0000', shortQuantity: '3.0000' });
    expect(b.timeline.map((e) => e.kind)).toEqual(['created', 'confirmed', 'reservationCut']);
    const message = `盘点盘亏（${count.body.number}）后库存不足，预留减少：第 1 行 六角螺母 M8（GB/T 6170 8级 镀锌） 预留 3 → 0 个，缺货 3 个`;
    expect(b.timeline[2]).toMatchObject({
      message, actor: { name: '系统管理员' },
      data: { source: { type: 'stockCount', number: count.body.number }, lines: [{ lineNo: 1, reservedBefore: '3.0000', cut: '3.0000', reserved: '0.0000', short: '3.0000' }] },
    });
    expect(await cutEvents(later)).toEqual([expect.objectContaining({ kind: 'reservationCut', number: later.number, message })]);

    // The salesperson is told: C0002's order group route also sends 李销售 a direct notice.
    await planDeliveries(t.database, { debounceMs: 0 });
    const notices = await t.database.system.noticeDelivery.findMany({ where: { text: { contains: '预留减少' } }, orderBy: { id: 'asc' } });
    expect(notices.map((n) => [n.targetKind, n.targetId])).toEqual([['group', 'oc_c0002'], ['user', 'ou_li.xs']]);
    expect((notices[1]!.text ?? '').split('\n').slice(0, 4)).toEqual([`【销售订单 ${later.number} · 预留减少】`, `单号：${later.number}`, `进展：${message}`, '操作人：系统管理员']);
  });

  it('报损跨两张订单：在库 10、预留 4 + 4、报损 7 → 后确认的 4 → 0，先确认的 4 → 3', async () => {
    const first = await confirmedOrder('FG-NUT-M10', '4');
    const later = await confirmedOrder('FG-NUT-M10', '4');
    expect(await stockLevelOf(t, id['FG-NUT-M10']!, id.wh02!)).toEqual({ onHand: '10.0000', reserved: '8.0000' });

    const res = await admin('post', '/api/v1/stock/adjustments').send({ warehouseId: id.wh02, reason: '仓库漏雨锈蚀报损', lines: [{ itemId: id['FG-NUT-M10'], unitId: id.pcs, quantity: '-7' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.lines[0]).toMatchObject({ quantity: '-7.0000', amount: '-0.14' });
    expect(await stockLevelOf(t, id['FG-NUT-M10']!, id.wh02!)).toEqual({ onHand: '3.0000', reserved: '3.0000' });

    const a = await read(first);
    const b = await read(later);
    expect([a.lines[0], b.lines[0]]).toMatchObject([{ reservedQuantity: '3.0000', shortQuantity: '1.0000' }, { reservedQuantity: '0.0000', shortQuantity: '4.0000' }]);
    const item = '六角螺母 M10（GB/T 6170 8级 镀锌）';
    expect(a.timeline.at(-1)).toMatchObject({ kind: 'reservationCut', message: `库存调整报损（${res.body.number}）后库存不足，预留减少：第 1 行 ${item} 预留 4 → 3 个，缺货 1 个` });
    expect(b.timeline.at(-1)).toMatchObject({ kind: 'reservationCut', message: `库存调整报损（${res.body.number}）后库存不足，预留减少：第 1 行 ${item} 预留 4 → 0 个，缺货 4 个` });
    expect((await cutEvents(first)).length).toBe(1);
    expect((await cutEvents(later)).length).toBe(1);
    const sums = await t.database.system.reservation.aggregate({ where: { itemId: id['FG-NUT-M10'], warehouseId: id.wh02 }, _sum: { quantity: true } });
    expect(sums._sum.quantity?.toFixed(4)).toBe('3.0000');
  });

  it('没有通知路由的客户：预留被削减时照样私信销售员（在他绑定的每个平台）', async () => {
    const c3 = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0003' } })).id; // 李销售's, no order group
    await putStock(t, { itemCode: 'FG-NUT-M16', quantity: '4', unitCost: '0.05' });
    const created = await li('post', '/api/v1/sales-orders').send({ customerId: c3, lines: [{ itemId: (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-NUT-M16' } })).id, unitId: id.pcs, quantity: '4' }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await li('post', `/api/v1/sales-orders/${created.body.id}/confirm`).send({})).status).toBe(200);
    const m16 = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-NUT-M16' } })).id;
    await admin('post', '/api/v1/stock/adjustments').send({ warehouseId: id.wh02, reason: '报损', lines: [{ itemId: m16, unitId: id.pcs, quantity: '-1' }] }).expect(201);
    await planDeliveries(t.database, { debounceMs: 0 });
    const notices = await t.database.system.noticeDelivery.findMany({ where: { text: { contains: created.body.number } }, orderBy: { id: 'asc' } });
    expect(notices.map((n) => [n.platform, n.targetKind, n.targetId])).toEqual([['dingtalk', 'user', 'li.xs'], ['lark', 'user', 'ou_li.xs'], ['wecom', 'user', 'li.xs']]);
    expect(notices[0]!.text).toContain('预留 4 → 3 个，缺货 1 个');
  });

  it('报损不超过可用数量时不动预留', async () => {
    // FG-NUT-M10: on hand 3, reserved 3 → a gain of 5, then a loss of 5 leaves the reservations as they are.
    await admin('post', '/api/v1/stock/adjustments').send({ warehouseId: id.wh02, reason: '盘盈', lines: [{ itemId: id['FG-NUT-M10'], quantity: '5', unitCost: '0.02' }] }).expect(201);
    const before = await t.database.system.timelineEntry.count();
    await admin('post', '/api/v1/stock/adjustments').send({ warehouseId: id.wh02, reason: '报损', lines: [{ itemId: id['FG-NUT-M10'], quantity: '-5' }] }).expect(201);
    expect(await stockLevelOf(t, id['FG-NUT-M10']!, id.wh02!)).toEqual({ onHand: '3.0000', reserved: '3.0000' });
    expect(await t.database.system.timelineEntry.count()).toBe(before);
  });

  it('并发：在库 12，6 张订单各确认 2 个，同时 3 次各报损 3 个 — 全部成功，不死锁；预留 = 各订单预留之和 ≤ 在库', async () => {
    const drafts = await Promise.all(Array.from({ length: 6 }, () =>
      li('post', '/api/v1/sales-orders').send({ customerId: id.c2, lines: [{ itemId: id['FG-NUT-M12'], unitId: id.pcs, quantity: '2' }] })));
    const results = await Promise.all([
      ...drafts.map((d) => li('post', `/api/v1/sales-orders/${d.body.id}/confirm`).send({})),
      ...Array.from({ length: 3 }, () =>
        admin('post', '/api/v1/stock/adjustments').send({ warehouseId: id.wh02, reason: '报损', lines: [{ itemId: id['FG-NUT-M12'], quantity: '-3' }] })),
    ]);
    expect(results.map((r) => r.status)).toEqual([...Array(6).fill(200), ...Array(3).fill(201)]);
    const level = await stockLevelOf(t, id['FG-NUT-M12']!, id.wh02!);
    expect(level.onHand).toBe('3.0000');
    const held = await t.database.system.reservation.aggregate({ where: { itemId: id['FG-NUT-M12'], warehouseId: id.wh02 }, _sum: { quantity: true } });
    expect(held._sum.quantity?.toFixed(4)).toBe(level.reserved);
    expect(Number(level.reserved)).toBeLessThanOrEqual(3);
    // Every order shows what it lost: reserved + short = 2.
    for (const o of await Promise.all(drafts.map((d) => read(d.body)))) {
      expect(Number(o.lines[0]!.reservedQuantity) + Number(o.lines[0]!.shortQuantity)).toBe(2);
    }
  });
});
