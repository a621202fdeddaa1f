// 通知投递 through the real database and the WeCom adapter against its loopback fake: shortages
// reach the purchasing group's robot (a burst as one digest), order steps reach the salesperson,
// a failing platform is retried until it recovers and every notice arrives once. The planner works
// under each company's row-level security: company A's events never plan anyone of company B.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { issueStock, receiveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createSecondCompany } from '../helpers/factories.ts';

let t: TestApp;
let fake: WecomFake;
let adapters: Map<Platform, ChannelAdapter>;
let companyId: string;
let wh: string;

beforeAll(async () => {
  t = await createTestApp();
  fake = await startWecomFake({ corpId: 'wwtest', secret: 's3cret', agentId: 1000002, robotKeys: ['purchase-group'] });
  adapters = new Map([['wecom', new WecomAdapter({ corpId: 'wwtest', secret: 's3cret', agentId: 1000002, baseUrl: fake.url })]]);
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  wh = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH01' } })).id;
  await sys.notificationRoute.create({ data: { companyId, topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: 'robot:purchase-group', name: '采购群' } });
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});
beforeEach(() => fake.reset());

/** n fresh items with safety stock 10, each taken below it in one transaction. */
async function shortages(n: number): Promise<void> {
  const pcs = await t.database.system.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const stamp = Date.now();
  await t.database.system.item.createMany({
    data: Array.from({ length: n }, (_, i) => ({ companyId, code: `SHORT-${stamp}-${i}`, name: `缺料测试${i}`, kind: 'raw' as const, baseUnitId: pcs.id, safetyStock: '10' })),
  });
  const items = await t.database.system.item.findMany({ where: { code: { startsWith: `SHORT-${stamp}-` } } });
  await inCompany(t.database.app, companyId, async (tx) => {
    const mc = { companyId, source: { type: 'test', id: 'x' } };
    await receiveStock(tx, { ...mc, kind: 'opening' }, items.map((i) => ({ itemId: i.id, warehouseId: wh, quantity: '12', unitCost: '1' })));
    await issueStock(tx, { ...mc, kind: 'adjustment' }, items.map((i) => ({ itemId: i.id, warehouseId: wh, quantity: '5' })));
  });
}

const run = async () => {
  await planDeliveries(t.database, { debounceMs: 0 });
  return sendDueDeliveries(t.database.system, adapters, { worker: 'test', backoffMs: 1 });
};

describe('通知投递', () => {
  it('一次跌破安全库存的 50 个物料，采购群只收到一张汇总卡片', async () => {
    await shortages(50);
    const result = await run();
    expect(result.sent).toBe(1);
    expect(fake.robot).toHaveLength(1);
    expect(JSON.stringify(fake.robot[0]!.body)).toContain('缺料');
    expect(JSON.stringify(fake.robot[0]!.body)).toMatch(/可用 ?7 个/); // quantities carry the base unit
    // Planned once: running again sends nothing more.
    expect((await run()).sent).toBe(0);
  });

  it('未开启的平台不生成投递：飞书没配置，飞书群的路由什么也不收', async () => {
    const lark = await t.database.system.notificationRoute.create({ data: { companyId, topic: 'stock.shortage', platform: 'lark', targetKind: 'group', targetId: 'oc_off' } });
    await shortages(1);
    await planDeliveries(t.database, { debounceMs: 0, platforms: ['wecom'] });
    expect(await t.database.system.noticeDelivery.count({ where: { platform: 'lark' } })).toBe(0);
    expect(await t.database.system.noticeDelivery.count({ where: { platform: 'wecom', status: 'pending' } })).toBe(1);
    await sendDueDeliveries(t.database.system, adapters, { worker: 'test', backoffMs: 1 });
    await t.database.system.notificationRoute.delete({ where: { id: lark.id } });
  });

  it('整个平台每分钟的额度用完：其余通知排队（延后），不失败、不突发', async () => {
    await t.database.system.noticeDelivery.createMany({
      data: Array.from({ length: 5 }, (_, i) => ({ companyId, platform: 'wecom' as const, targetKind: 'user', targetId: `quota-user-${i}`, text: `通知 ${i}`, idempotencyKey: `quota:${i}` })),
    });
    const sentBefore = await t.database.system.noticeDelivery.count({ where: { platform: 'wecom', status: 'sent', sentAt: { gt: new Date(Date.now() - 60_000) } } });
    const r = await sendDueDeliveries(t.database.system, adapters, { worker: 'test', backoffMs: 1, perPlatformPerMinute: sentBefore + 3 });
    expect(r).toMatchObject({ sent: 3, postponed: 2, failed: 0 });
    expect(fake.sent.filter((m) => m.touser.startsWith('quota-user-'))).toHaveLength(3);
    const waiting = await t.database.system.noticeDelivery.findMany({ where: { idempotencyKey: { startsWith: 'quota:' }, status: 'pending' } });
    expect(waiting).toHaveLength(2);
    expect(waiting.every((w) => w.attempts === 0 && w.availableAt.getTime() > Date.now())).toBe(true);
    await t.database.system.noticeDelivery.deleteMany({ where: { idempotencyKey: { startsWith: 'quota:' } } });
  });

  it('平台先 500 后恢复：重试后恰好送达一次', async () => {
    await shortages(1);
    fake.failNext(3, 500);
    let sent = 0;
    for (let i = 0; i < 10 && sent === 0; i++) {
      await t.database.system.noticeDelivery.updateMany({ where: { status: 'pending' }, data: { availableAt: new Date(Date.now() - 1000) } });
      sent += (await run()).sent;
    }
    expect(sent).toBe(1);
    expect(fake.robot).toHaveLength(1);
    const row = await t.database.system.noticeDelivery.findFirstOrThrow({ where: { status: 'sent' }, orderBy: { id: 'desc' } });
    expect(row.attempts).toBe(4);
  });
});

describe('通知计划按公司隔离（行级安全）', () => {
  let companyB: string;
  let ownerB: string;
  let orderB: string;
  let liXs: string;

  beforeAll(async () => {
    const sys = t.database.system;
    const other = await createSecondCompany(t);
    companyB = other.companyId;
    ownerB = (await sys.user.findFirstOrThrow({ where: { companyId: companyB, username: other.adminUsername } })).id;
    await sys.platformIdentity.create({ data: { companyId: companyB, userId: ownerB, platform: 'wecom', externalUserId: 'b.owner' } });
    const whB = await sys.warehouse.create({ data: { companyId: companyB, code: 'WB1', name: '另一家的仓库' } });
    orderB = (await sys.salesOrder.create({
      data: { companyId: companyB, number: 'SO-20261201-0001', customerId: other.customerId, ownerId: ownerB, warehouseId: whB.id, orderDate: new Date('2026-12-01') },
    })).id;
    liXs = (await sys.platformIdentity.findFirstOrThrow({ where: { companyId, platform: 'wecom', externalUserId: 'li.xs' } })).userId;
  });

  const emit = async (company: string, type: string, payload: object): Promise<bigint> =>
    (await t.database.system.outboxEvent.create({ data: { companyId: company, type, payload } })).id;
  const paid = (applicantId: string) => ({
    claimId: randomUUID(), number: 'EC-20261201-0001', applicantId, totalAmount: '100.00', paidOn: '2026-12-01', account: '工商银行', paidBy: '钱会计',
  });
  const cut = { orderType: 'salesOrder', orderId: '', number: 'SO-20261201-0001', kind: 'reservationCut', message: '预留减少' };

  it('A 公司的事件指向 B 公司的订单或用户：不给 B 的任何人发；A、B 各自的事件照常计划（B 的销售员照样得知预留减少）', async () => {
    // A's events naming B's data: a reservation cut on B's order (OWNER_MUST_KNOW would DM its salesperson), a paid claim of B's user.
    const cutOfB = await emit(companyId, 'order.progress', { ...cut, orderId: orderB });
    const paidOfB = await emit(companyId, 'expenseClaim.paid', paid(ownerB));
    // Each company's own events, planned in the same round.
    const paidOfA = await emit(companyId, 'expenseClaim.paid', paid(liXs));
    const cutInB = await emit(companyB, 'order.progress', { ...cut, orderId: orderB });
    const paidInB = await emit(companyB, 'expenseClaim.paid', paid(ownerB));

    await planDeliveries(t.database, { debounceMs: 0, platforms: ['wecom'] });

    const ids = [cutOfB, paidOfB, paidOfA, cutInB, paidInB];
    const deliveries = await t.database.system.noticeDelivery.findMany({ where: { eventId: { in: ids } }, orderBy: { id: 'asc' } });
    expect(deliveries.map((d) => [d.eventId, d.companyId, d.targetKind, d.targetId])).toEqual([
      [paidOfA, companyId, 'user', 'li.xs'],
      // B has no order route: its salesperson hears of the cut directly (OWNER_MUST_KNOW).
      [cutInB, companyB, 'user', 'b.owner'],
      [paidInB, companyB, 'user', 'b.owner'],
    ]);
    // Every event was taken (planned once), including the two that planned nobody.
    const events = await t.database.system.outboxEvent.findMany({ where: { id: { in: ids } }, select: { status: true } });
    expect(events.map((e) => e.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered', 'delivered']);
  });

  it('一家公司的一条事件计划不了（坏数据）：别家公司和这家后面的事件照常计划；坏的那条记下原因、稍后重试，不丢', async () => {
    const sys = t.database.system;
    await sys.outboxEvent.updateMany({ where: { status: 'pending' }, data: { status: 'delivered' } });
    // B's first event cannot be planned (its approval id is not a uuid); it is older than everything else.
    const bad = await emit(companyB, 'approval.requested', { approvalId: 'not-a-uuid' });
    const laterB = await emit(companyB, 'expenseClaim.paid', paid(ownerB));
    const a = await emit(companyId, 'expenseClaim.paid', paid(liXs));
    const errors: string[] = [];
    await planDeliveries(t.database, { debounceMs: 0, onError: (_e, company) => errors.push(company) });

    const rows = await sys.outboxEvent.findMany({ where: { id: { in: [bad, laterB, a] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['pending', 'delivered', 'delivered']);
    const [b] = rows;
    expect(b!.attempts).toBe(1);
    expect(b!.lastError).toContain('uuid');
    expect(b!.availableAt.getTime()).toBeGreaterThan(Date.now());
    expect(errors).toEqual([companyB, companyB]);
    // A's applicant (on each platform they are bound to) and B's owner got their notice.
    const deliveries = await sys.noticeDelivery.findMany({ where: { eventId: { in: [laterB, a] } }, select: { companyId: true, eventId: true } });
    expect(new Set(deliveries.filter((d) => d.eventId === laterB).map((d) => d.companyId))).toEqual(new Set([companyB]));
    expect(new Set(deliveries.filter((d) => d.eventId === a).map((d) => d.companyId))).toEqual(new Set([companyId]));

    // Retried when due; after the last attempt it is given up ('dead'), not retried for ever.
    await sys.outboxEvent.update({ where: { id: bad }, data: { availableAt: new Date(Date.now() - 1000), attempts: 9 } });
    await planDeliveries(t.database, { debounceMs: 0 });
    const gaveUp = await sys.outboxEvent.findUniqueOrThrow({ where: { id: bad } });
    expect([gaveUp.status, gaveUp.attempts]).toEqual(['dead', 10]);
  });
});
