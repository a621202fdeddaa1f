// 足缺料分析 and the `production.shortage` alert through the HTTP API and the stock ledger on
// PostgreSQL: two released tasks share a material (stock 100; MO-A needs 80, starts first; MO-B
// needs 40) and two open POs → MO-B short 20, covered by the second PO's date. Releasing MO-B writes
// one event; a move that leaves it short writes none; stock that covers it and then leaves again
// writes a new one. The purchasing group's 缺料预警 digest (WeCom loopback fake) carries the task's
// line beside the item below safety stock. Permissions, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { issueStock } from '../../server/modules/inventory/stock/ledger.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let fake: WecomFake;
let adapters: Map<Platform, ChannelAdapter>;
let sun: AuthedClient; // 计划员
let companyId: string;
const unit: Record<string, string> = {};
const item: Record<string, string> = {};
const code: Record<string, string> = {};
const wh: Record<string, string> = {};
const task: Record<string, { id: string; number: string }> = {};
let po1: string;
let po2: string;

const day = (offset: number) => {
  const d = new Date(`${todayInShanghai()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

async function newItem(key: string, fields: Record<string, unknown>) {
  code[key] = uniqueCode(`SH-${key}`);
  const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `缺料 ${key}`, kind: 'finished', sourcing: 'make', baseUnitId: unit.PCS, scrapRate: '0', ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

async function releasedTask(key: string, quantity: string, plannedStart: string) {
  const res = await sun('post', '/api/v1/production-tasks').send({ itemId: item.FG, quantity, materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart, plannedFinish: plannedStart });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const released = await sun('post', `/api/v1/production-tasks/${res.body.id}/release`);
  expect(released.status, JSON.stringify(released.body)).toBe(200);
  task[key] = { id: res.body.id, number: res.body.number };
}

const eventsOf = (key: string) => t.database.system.outboxEvent.findMany({ where: { type: 'production.shortage', aggregateId: task[key]!.id }, orderBy: { id: 'asc' } });

async function takeOut(quantity: string) {
  await inCompany(t.database.app, companyId, (tx) =>
    issueStock(tx, { companyId, kind: 'adjustment', source: { type: 'test', id: 'loss' } }, [{ itemId: item.RM!, warehouseId: wh.WH01!, quantity }]));
}

beforeAll(async () => {
  t = await createTestApp();
  fake = await startWecomFake({ corpId: 'wwtest', secret: 's3cret', agentId: 1000002, robotKeys: ['purchase-group'] });
  adapters = new Map([['wecom', new WecomAdapter({ corpId: 'wwtest', secret: 's3cret', agentId: 1000002, baseUrl: fake.url })]]);
  sun = await as(t, 'sun.jh');
  companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await t.database.system.notificationRoute.create({ data: { companyId, topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: 'robot:purchase-group', name: '采购群' } });
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  for (const w of (await sun('get', '/api/v1/warehouses?pageSize=200')).body.items) wh[w.code] = w.id;
  await newItem('FG', {});
  // 2 RM per FG; a safety stock of 200, so RM is also below it (a stock.shortage in the same digest)
  await newItem('RM', { kind: 'raw', sourcing: 'buy', safetyStock: '200' });
  await createBom();
  await putStock(t, { itemCode: code.RM!, warehouseCode: 'WH01', quantity: '100', unitCost: '1' });
  const wang = await as(t, 'wang.cg');
  const supplierId = (await t.database.system.supplier.findFirstOrThrow({ where: { active: true } })).id;
  const confirmedPo = async (quantity: string, promisedDate: string) => {
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: item.RM, quantity, unitPrice: '1', promisedDate }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`)).status).toBe(200);
    return po.body.number as string;
  };
  po1 = await confirmedPo('10', day(5));
  po2 = await confirmedPo('30', day(9));
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

async function createBom() {
  const res = await sun('post', '/api/v1/boms').send({ parentItemId: item.FG, validFrom: '2026-01-01', lines: [{ componentItemId: item.RM, quantity: '2' }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe('足缺料', () => {
  it('下达缺料的任务 → 一条 production.shortage；仍缺料的库存变动不再发；补足后再缺 → 再发一条', async () => {
    await releasedTask('A', '40', day(1)); // 80 of the 100: 齐套
    expect(await eventsOf('A')).toHaveLength(0);
    await releasedTask('B', '20', day(2)); // 40, 20 left → short 20
    let events = await eventsOf('B');
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toEqual({
      taskId: task.B!.id, number: task.B!.number, itemCode: code.FG, itemName: '缺料 FG', plannedStart: day(2),
      // short 20 = po1's 10 (day 5) + 10 of po2 (day 9)
      lines: [{ itemId: item.RM, code: code.RM, name: '缺料 RM', unit: '个', short: '20.0000', arrivalDate: day(9), arrivalLabel: `${day(9)} 到货` }],
    });

    await takeOut('5'); // still short (25): no second alert
    expect(await eventsOf('B')).toHaveLength(1);
    expect(await eventsOf('A')).toHaveLength(0);

    await putStock(t, { itemCode: code.RM!, warehouseCode: 'WH01', quantity: '30', unitCost: '1' }); // 125: both covered
    expect(await eventsOf('B')).toHaveLength(1);
    await takeOut('20'); // 105: B short 15 again → a new alert
    events = await eventsOf('B');
    expect(events).toHaveLength(2);
    expect((events[1]!.payload as { lines: { short: string; arrivalDate: string }[] }).lines[0]).toMatchObject({ short: '15.0000', arrivalDate: day(9) });
  });

  it('足缺料分析：按计划开工先后分配库存，缺口占用在途，预计到货', async () => {
    const res = await sun('get', `/api/v1/production-tasks/shortage-analysis?q=${code.FG}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(2);
    const brief = res.body.items.map((r: { task: { number: string }; complete: boolean; statusLabel: string; materials: { required: string; allocated: string; short: string; arrival: { label: string; orders: string[] } }[] }) => [
      r.task.number, r.complete, r.statusLabel, ...r.materials.map((m) => [m.required, m.allocated, m.short, m.arrival.label, m.arrival.orders]),
    ]);
    expect(brief).toEqual([
      [task.A!.number, true, '齐套', ['80.0000', '80.0000', '0.0000', '库存足够', []]],
      [task.B!.number, false, '缺料', ['40.0000', '25.0000', '15.0000', `${day(9)} 到货`, [po1, po2]]],
    ]);
    const shortOnly = await sun('get', `/api/v1/production-tasks/shortage-analysis?q=${code.FG}&shortOnly=true`);
    expect(shortOnly.body.items.map((r: { task: { number: string } }) => r.task.number)).toEqual([task.B!.number]);
  });

  it('采购群的缺料预警汇总卡片里有生产任务的缺料行（与低于安全库存的物料同一张卡片）', async () => {
    await planDeliveries(t.database, { debounceMs: 0 });
    await sendDueDeliveries(t.database.system, adapters, { worker: 'test', backoffMs: 1 });
    expect(fake.robot).toHaveLength(1);
    const body = JSON.stringify(fake.robot[0]!.body);
    // the later of B's two alerts wins: 15 short, the second PO's date
    expect(body).toContain(`${task.B!.number}**（缺料 FG）缺 缺料 RM 15 个，预计 ${day(9)} 到货`);
    expect(body).toContain(`**缺料 RM**（${code.RM}）可用 100 个 / 安全 200 个`); // its one alert: when it first went below
    expect(body).toContain('张生产任务单缺料');
  });

  it('并发：两个不同物料的出库同时让同一任务缺料 → 只有一条事件（每轮补足后再来一次）', async () => {
    await newItem('FG2', {});
    await newItem('X', { kind: 'raw', sourcing: 'buy' });
    await newItem('Y', { kind: 'raw', sourcing: 'buy' });
    const bom = await sun('post', '/api/v1/boms').send({ parentItemId: item.FG2, validFrom: '2026-01-01', lines: [{ componentItemId: item.X, quantity: '1' }, { componentItemId: item.Y, quantity: '1' }] });
    expect(bom.status, JSON.stringify(bom.body)).toBe(201);
    const out = (key: string) => inCompany(t.database.app, companyId, (tx) =>
      issueStock(tx, { companyId, kind: 'adjustment', source: { type: 'test', id: 'race' } }, [{ itemId: item[key]!, warehouseId: wh.WH01!, quantity: '1' }]));
    for (const key of ['X', 'Y']) await putStock(t, { itemCode: code[key]!, warehouseCode: 'WH01', quantity: '10', unitCost: '1' });
    const res = await sun('post', '/api/v1/production-tasks').send({ itemId: item.FG2, quantity: '10', materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart: day(3), plannedFinish: day(3) });
    expect((await sun('post', `/api/v1/production-tasks/${res.body.id}/release`)).status).toBe(200);
    task.C = { id: res.body.id, number: res.body.number };
    for (let round = 1; round <= 3; round++) {
      await Promise.all([out('X'), out('Y')]);
      expect(await eventsOf('C')).toHaveLength(round);
      for (const key of ['X', 'Y']) await putStock(t, { itemCode: code[key]!, warehouseCode: 'WH01', quantity: '1', unitCost: '1' });
    }
  });

  it('权限与错误输入', async () => {
    const li = await as(t, 'li.xs');
    expect((await li('get', '/api/v1/production-tasks/shortage-analysis')).status).toBe(403);
    const bad = await sun('get', '/api/v1/production-tasks/shortage-analysis?shortOnly=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('只看缺料');
  });
});
