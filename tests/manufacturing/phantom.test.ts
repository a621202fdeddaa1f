// 跳层 (phantom) parts through the HTTP API on PostgreSQL: MRP, the production tasks it releases and
// tasks made by hand follow one rule (the phantom's own free stock first, the rest passed through to
// its components), so a second run after releasing everything suggests nothing; 齐套 counts the same way.
// FG (make, 2 days) ← PH × 2 (phantom line) + NUT × 1 (buy, 3 days); PH (make) ← ROD × 3 (buy, 5 days).
// 30 PH in stock; a confirmed order for 100 FG due today + 20.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员: mrp, bom, items, production tasks
let admin: AuthedClient;
let tag: string;
const unit: Record<string, string> = {};
const wh: Record<string, string> = {};
const item: Record<string, string> = {};
const code: Record<string, string> = {};

const day = (offset: number) => {
  const d = new Date(`${todayInShanghai()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
const D = 20;

async function newItem(key: string, fields: Record<string, unknown>) {
  code[key] = `${tag}-${key}`;
  const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `跳层测试 ${key}`, kind: 'semiFinished', sourcing: 'make', baseUnitId: unit.PCS, scrapRate: '0', ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

interface Sug { id: string; item: { code: string }; kind: string; quantity: string; orderDate: string; dueDate: string; state: string }
async function suggested(): Promise<[string, string, string, string, string][]> {
  const res = await sun('get', `/api/v1/mrp/suggestions?q=${tag}&state=suggested&pageSize=200`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as Sug[]).map((s): [string, string, string, string, string] => [s.item.code.slice(tag.length + 1), s.kind, s.quantity, s.orderDate, s.dueDate]).sort();
}
async function run() {
  const res = await sun('post', '/api/v1/mrp/runs');
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}
async function materialsOf(taskId: string): Promise<string[][]> {
  const res = await sun('get', `/api/v1/production-tasks/${taskId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.materials.map((m: { item: { code: string }; requiredQuantity: string }) => [m.item.code.slice(tag.length + 1), m.requiredQuantity]).sort();
}

beforeAll(async () => {
  t = await createTestApp();
  [sun, admin] = await Promise.all([as(t, 'sun.jh'), as(t, 'admin')]);
  tag = uniqueCode('PHT');
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  for (const w of (await sun('get', '/api/v1/warehouses?pageSize=200')).body.items) wh[w.code] = w.id;
  await newItem('FG', { kind: 'finished', leadTimeDays: 2 });
  await newItem('PH', { leadTimeDays: 1 });
  await newItem('NUT', { kind: 'raw', sourcing: 'buy', leadTimeDays: 3 });
  await newItem('ROD', { kind: 'raw', sourcing: 'buy', leadTimeDays: 5 });
  for (const [parent, lines] of [
    ['FG', [{ componentItemId: item.PH, quantity: '2', phantom: true }, { componentItemId: item.NUT, quantity: '1' }]],
    ['PH', [{ componentItemId: item.ROD, quantity: '3' }]],
  ] as const) {
    const res = await sun('post', '/api/v1/boms').send({ parentItemId: item[parent], validFrom: '2026-01-01', lines });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  await putStock(t, { itemCode: code.PH!, warehouseCode: 'WH01', quantity: '30', unitCost: '1' });
  const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0001' } })).id;
  const draft = await admin('post', '/api/v1/sales-orders').send({ customerId, requestedDate: day(D), lines: [{ itemId: item.FG, unitId: unit.PCS, quantity: '100' }] });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  expect((await admin('post', `/api/v1/sales-orders/${draft.body.id}/confirm`).send({})).status).toBe(200);
}, 60_000);
afterAll(async () => t?.close());

describe('跳层件：需求计划、投放的生产任务单与手工任务单用同一规则', () => {
  it('先用跳层件库存 30，余 170 穿透为 ROD 510；全部投放后再运行没有新建议；手工任务单下达时按当时库存', async () => {
    // 齐套 counts the same way: 100 FG take the 30 PH in stock, the other 170 need ROD 510
    const kitting = await sun('get', `/api/v1/kitting?itemId=${item.FG}&quantity=100`);
    expect(kitting.status, JSON.stringify(kitting.body)).toBe(200);
    expect(kitting.body.fromStock).toEqual([{ item: expect.objectContaining({ code: code.PH }), quantity: '30' }]);
    expect(kitting.body.components.map((c: { item: { code: string }; need: string }) => [c.item.code.slice(tag.length + 1), c.need]).sort()).toEqual([['NUT', '100'], ['ROD', '510']]);

    await run();
    // FG 100 due D, released D−2; on D−2: PH 200 (phantom): 30 from its stock, 170 × 3 = 510 ROD; NUT 100.
    // No PH suggestion; NUT due D−2 (3 days: from D−5), ROD due D−2 (5 days: from D−7).
    expect(await suggested()).toEqual([
      ['FG', 'production', '100.0000', day(D - 2), day(D)],
      ['NUT', 'purchase', '100.0000', day(D - 5), day(D - 2)],
      ['ROD', 'purchase', '510.0000', day(D - 7), day(D - 2)],
    ]);

    // release everything: one requisition (NUT 100, ROD 510) and one planned task for FG 100
    const ids = (await sun('get', `/api/v1/mrp/suggestions?q=${tag}&state=suggested&pageSize=200`)).body.items.map((s: Sug) => s.id);
    const released = await sun('post', '/api/v1/mrp/suggestions/release').send({ ids });
    expect(released.status, JSON.stringify(released.body)).toBe(201);
    expect(released.body).toMatchObject({ released: 3, productionTasks: [{ number: expect.stringMatching(/^MO-/) }] });
    const taskId = released.body.productionTasks[0].id;
    // the task needs what MRP planned for it: PH 30 of its own stock, ROD 510 for the other 170 (not 600)
    expect(await materialsOf(taskId)).toEqual([['NUT', '100.0000'], ['PH', '30.0000'], ['ROD', '510.0000']]);
    // 下达 rewrites the materials: still MRP's plan
    expect((await sun('post', `/api/v1/production-tasks/${taskId}/release`)).status).toBe(200);
    expect(await materialsOf(taskId)).toEqual([['NUT', '100.0000'], ['PH', '30.0000'], ['ROD', '510.0000']]);

    // the rerun nets the task (FG 100 coming; PH 30 against the stock of 30, ROD 510 and NUT 100 against the requisition)
    await run();
    expect(await suggested()).toEqual([]);

    // by hand, 10 FG (PH 20): the 30 PH in stock are all the MRP task's, so all 20 pass through → ROD 60
    const manual = await sun('post', '/api/v1/production-tasks').send({
      itemId: item.FG, quantity: '10', materialWarehouseId: wh.WH01, warehouseId: wh.WH01, plannedStart: day(10), plannedFinish: day(12),
    });
    expect(manual.status, JSON.stringify(manual.body)).toBe(201);
    expect(await materialsOf(manual.body.id)).toEqual([['NUT', '10.0000'], ['ROD', '60.0000']]);
    // 5 more PH come in before 下达: the task takes them, 15 pass through → ROD 45
    await putStock(t, { itemCode: code.PH!, warehouseCode: 'WH01', quantity: '5', unitCost: '1' });
    expect((await sun('post', `/api/v1/production-tasks/${manual.body.id}/release`)).status).toBe(200);
    expect(await materialsOf(manual.body.id)).toEqual([['NUT', '10.0000'], ['PH', '5.0000'], ['ROD', '45.0000']]);
    // MRP agrees: PH 30 + 5 against 35 in stock (nothing to make), only the manual task's ROD 45 and NUT 10 to buy
    await run();
    expect(await suggested()).toEqual([
      ['NUT', 'purchase', '10.0000', day(7), day(10)],
      ['ROD', 'purchase', '45.0000', day(5), day(10)],
    ]);
  });

  it('两张手工任务单同时下达：新到的 10 个跳层件只算给一张，另一张全部穿透', async () => {
    // the 35 PH in stock are the two tasks' above: two tasks of 5 FG (PH 10 each) made now pass all through
    const made = [];
    for (const n of [1, 2]) {
      const r = await sun('post', '/api/v1/production-tasks').send({
        itemId: item.FG, quantity: '5', materialWarehouseId: wh.WH01, warehouseId: wh.WH01, plannedStart: day(10 + n), plannedFinish: day(12),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(await materialsOf(r.body.id)).toEqual([['NUT', '5.0000'], ['ROD', '30.0000']]);
      made.push(r.body.id as string);
    }
    // 10 more come in; both are released at once: the company's phantom lock makes the second see the first's claim
    await putStock(t, { itemCode: code.PH!, warehouseCode: 'WH01', quantity: '10', unitCost: '1' });
    const released = await Promise.all(made.map((id) => sun('post', `/api/v1/production-tasks/${id}/release`)));
    for (const r of released) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const materials = (await Promise.all(made.map((id) => materialsOf(id)))).map((m) => JSON.stringify(m)).sort();
    expect(materials).toEqual([JSON.stringify([['NUT', '5.0000'], ['PH', '10.0000']]), JSON.stringify([['NUT', '5.0000'], ['ROD', '30.0000']])]);
  });
});
