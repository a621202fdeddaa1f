// 通知投递 through the real database and the WeCom adapter against its loopback fake: shortages
// reach the purchasing group's robot (a burst as one digest), order steps reach the salesperson,
// a failing platform is retried until it recovers and every notice arrives once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { issueStock, receiveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

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
