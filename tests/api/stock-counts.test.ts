// 盘点单: snapshot → counted quantities → post (variances against the current book become
// countVariance moves) or cancel; race-safe posting; reserved stock is never counted away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { releaseReservations, reserveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
let companyId: string;
const wh: Record<string, string> = {};
const item: Record<string, string> = {};
const URL = '/api/v1/stock/counts';

interface Line { id: string; item: { code: string }; batchNo: string; bookQuantity: string; countedQuantity: string | null; currentQuantity: string | null; variance: string | null; varianceAmount: string | null }

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  for (const w of await sys.warehouse.findMany({ where: { companyId } })) wh[w.code] = w.id;
  for (const i of await sys.item.findMany({ where: { companyId }, select: { id: true, code: true } })) item[i.code] = i.id;
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '1000', unitCost: '0.03' });
  await putStock(t, { itemCode: 'FG-NUT-M8', warehouseCode: 'WH02', quantity: '500', unitCost: '0.01' });
  await putStock(t, { itemCode: 'RM-WR-35K-6.5', warehouseCode: 'WH01', quantity: '2000', unitCost: '5.2', batchNo: 'L1' });
  await putStock(t, { itemCode: 'RM-WR-35K-6.5', warehouseCode: 'WH01', quantity: '1000', unitCost: '5.5', batchNo: 'L2' });
});
afterAll(async () => t?.close());

const level = async (code: string, w = 'WH02') =>
  (await t.database.system.stockLevel.findFirst({ where: { itemId: item[code], warehouseId: wh[w] } }))?.onHand.toFixed(4) ?? '0.0000';
const lineOf = (count: { lines: Line[] }, code: string, batch = '') => count.lines.find((l) => l.item.code === code && l.batchNo === batch)!;
const create = async (body: Record<string, unknown>) => {
  const res = await admin('post', URL).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const enter = async (count: { id: string; version: number }, lines: { lineId: string; countedQuantity: string | null }[]) => {
  const res = await admin('patch', `${URL}/${count.id}`).send({ version: count.version, lines });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const adjust = (code: string, quantity: string) =>
  admin('post', '/api/v1/stock/adjustments').send({ warehouseId: wh.WH02, reason: '盘点期间出入库', lines: [{ itemId: item[code], quantity }] });

describe('盘点流程', () => {
  let count: { id: string; number: string; version: number; lines: Line[] };

  it('新建：默认该仓库所有有结存的物料，账面数量快照', async () => {
    count = await create({ warehouseId: wh.WH02, remark: '月末盘点' });
    expect(count).toMatchObject({ number: expect.stringMatching(/^SC-\d{8}-\d{4}$/), state: 'counting', stateLabel: '盘点中', lineCount: 2, countedCount: 0, version: 1 });
    expect(count.lines.map((l) => [l.item.code, l.bookQuantity, l.currentQuantity, l.countedQuantity, l.variance])).toEqual([
      ['FG-BLT-M8X30', '1000.0000', '1000.0000', null, null], ['FG-NUT-M8', '500.0000', '500.0000', null, null],
    ]);
    expect(await t.database.system.outboxEvent.count({ where: { type: 'stockCount.created', aggregateId: count.id } })).toBe(1);
  });

  it('录入实盘数量（带 version），显示差异预览；过期版本 409', async () => {
    const updated = await enter(count, [
      { lineId: lineOf(count, 'FG-BLT-M8X30').id, countedQuantity: '1010' },
      { lineId: lineOf(count, 'FG-NUT-M8').id, countedQuantity: '480' },
    ]);
    expect(updated).toMatchObject({ version: 2, countedCount: 2 });
    expect(updated.lines.map((l: Line) => l.variance)).toEqual(['10.0000', '-20.0000']);
    const stale = await admin('patch', `${URL}/${count.id}`).send({ version: 1, lines: [] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0].field).toBe('body.version');
    count = updated;
  });

  it('录入的错误：4xx 指明字段，不改任何东西', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ version: 2, lines: [{ lineId: crypto.randomUUID(), countedQuantity: '1' }] }, 'body.lines.0.lineId'],
      [{ version: 2, lines: [{ lineId: lineOf(count, 'FG-NUT-M8').id, countedQuantity: '-1' }] }, 'body.lines.0.countedQuantity'],
      [{ version: 2, lines: [{ lineId: lineOf(count, 'FG-NUT-M8').id, countedQuantity: '1.5' }] }, 'body.lines.0.countedQuantity'],
      [{ version: 2, lines: [{ lineId: lineOf(count, 'FG-NUT-M8').id, countedQuantity: '1.123456' }] }, 'body.lines.0.countedQuantity'],
      [{ lines: [] }, 'body.version'],
    ];
    for (const [body, field] of cases) {
      const res = await admin('patch', `${URL}/${count.id}`).send(body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const now = (await admin('get', `${URL}/${count.id}`)).body;
    expect([now.version, lineOf(now, 'FG-NUT-M8').countedQuantity]).toEqual([2, '480.0000']);
  });

  it('过账：盘盈按平均成本入库，盘亏按平均成本出库', async () => {
    const res = await admin('post', `${URL}/${count.id}/post`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'posted', stateLabel: '已过账', postedAt: expect.any(String), version: 3 });
    expect(res.body.lines.map((l: Line) => [l.item.code, l.variance, l.varianceAmount, l.currentQuantity])).toEqual([
      ['FG-BLT-M8X30', '10.0000', '0.30', null], ['FG-NUT-M8', '-20.0000', '-0.20', null],
    ]);
    expect([await level('FG-BLT-M8X30'), await level('FG-NUT-M8')]).toEqual(['1010.0000', '480.0000']);
    const moves = await t.database.system.stockMove.findMany({ where: { sourceType: 'stockCount', sourceId: count.id }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => [m.kind, m.quantity.toFixed(4), m.unitCost.toFixed(6), m.documentNo])).toEqual([
      ['countVariance', '10.0000', '0.030000', count.number], ['countVariance', '-20.0000', '0.010000', count.number],
    ]);
    expect(await t.database.system.auditLog.count({ where: { entity: 'stockCount', entityId: count.id, action: 'post' } })).toBe(1);
    const event = await t.database.system.outboxEvent.findFirstOrThrow({ where: { type: 'stockCount.posted', aggregateId: count.id } });
    expect(event.payload).toMatchObject({ gains: 1, losses: 1, varianceAmount: '0.10' });
  });

  it('已过账：再过账、修改、取消都 409，不再写流水', async () => {
    const before = await t.database.system.stockMove.count();
    const again = await admin('post', `${URL}/${count.id}/post`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('已过账');
    expect((await admin('patch', `${URL}/${count.id}`).send({ version: 3, lines: [] })).status).toBe(409);
    expect((await admin('post', `${URL}/${count.id}/cancel`)).status).toBe(409);
    expect(await t.database.system.stockMove.count()).toBe(before);
  });
});

describe('过账以过账时的账面为准', () => {
  it('建单后又有出入库：差异 = 实盘 − 当前账面；指定的无库存物料从 0 开始盘', async () => {
    const count = await create({ warehouseId: wh.WH02, itemIds: [item['FG-BLT-M8X30'], item['FG-BLT-M8X40']] });
    expect(count.lines.map((l: Line) => [l.item.code, l.bookQuantity])).toEqual([['FG-BLT-M8X30', '1010.0000'], ['FG-BLT-M8X40', '0.0000']]);
    expect((await adjust('FG-BLT-M8X30', '-10')).status).toBe(201); // shipped while counting: book is now 1000
    const entered = await enter(count, [
      { lineId: lineOf(count, 'FG-BLT-M8X30').id, countedQuantity: '1000' },
      { lineId: lineOf(count, 'FG-BLT-M8X40').id, countedQuantity: '5' },
    ]);
    expect(lineOf(entered, 'FG-BLT-M8X30')).toMatchObject({ bookQuantity: '1010.0000', currentQuantity: '1000.0000', variance: '0.0000' });
    const posted = (await admin('post', `${URL}/${count.id}/post`)).body;
    expect(posted.lines.map((l: Line) => [l.item.code, l.variance, l.varianceAmount])).toEqual([['FG-BLT-M8X30', '0.0000', '0.00'], ['FG-BLT-M8X40', '5.0000', '0.18']]);
    expect([await level('FG-BLT-M8X30'), await level('FG-BLT-M8X40')]).toEqual(['1000.0000', '5.0000']);
  });

  it('批次物料按批次盘点', async () => {
    const count = await create({ warehouseId: wh.WH01, itemIds: [item['RM-WR-35K-6.5']] });
    expect(count.lines.map((l: Line) => [l.batchNo, l.bookQuantity])).toEqual([['L1', '2000.0000'], ['L2', '1000.0000']]);
    await enter(count, [{ lineId: lineOf(count, 'RM-WR-35K-6.5', 'L1').id, countedQuantity: '1990.5' }, { lineId: lineOf(count, 'RM-WR-35K-6.5', 'L2').id, countedQuantity: '1000' }]);
    const posted = (await admin('post', `${URL}/${count.id}/post`)).body;
    expect(posted.lines.map((l: Line) => [l.batchNo, l.variance, l.varianceAmount])).toEqual([['L1', '-9.5000', '-50.35'], ['L2', '0.0000', '0.00']]);
  });
});

describe('不能过账或不能建单的情况', () => {
  it('建单错误：未知物料、批次物料在该仓库无库存、未知仓库、空仓库', async () => {
    const before = await t.database.system.stockCount.count();
    const empty = await t.database.system.warehouse.create({ data: { companyId, code: 'WH09', name: '空仓' } });
    for (const [body, field] of [
      [{ warehouseId: wh.WH02, itemIds: [crypto.randomUUID()] }, 'body.itemIds.0'],
      [{ warehouseId: wh.WH02, itemIds: [item['FG-NUT-M8'], item['RM-WR-35K-8.0']] }, 'body.itemIds.1'],
      [{ warehouseId: crypto.randomUUID() }, 'body.warehouseId'],
      [{ warehouseId: empty.id }, 'body.warehouseId'],
      [{ warehouseId: wh.WH02, itemIds: [] }, 'body.itemIds'],
    ] as const) {
      const res = await admin('post', URL).send(body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
    expect(await t.database.system.stockCount.count()).toBe(before);
  });

  it('未录完实盘数量不能过账', async () => {
    const count = await create({ warehouseId: wh.WH02, itemIds: [item['FG-NUT-M8']] });
    const res = await admin('post', `${URL}/${count.id}/post`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('未录入实盘数量');
    expect((await admin('get', `${URL}/${count.id}`)).body.state).toBe('counting');
    expect((await admin('post', `${URL}/${count.id}/cancel`)).body.state).toBe('cancelled');
  });

  it('盘亏会动到已预留的库存：照样过账，预留减到不超过在库', async () => {
    const demandId = crypto.randomUUID();
    await inCompany(t.database.app, companyId, (tx) =>
      reserveStock(tx, companyId, 'salesOrderLine', [{ itemId: item['FG-NUT-M8']!, warehouseId: wh.WH02!, demandId, wanted: '480' }]));
    const count = await create({ warehouseId: wh.WH02, itemIds: [item['FG-NUT-M8']] });
    await enter(count, [{ lineId: count.lines[0].id, countedQuantity: '470' }]);
    const res = await admin('post', `${URL}/${count.id}/post`);
    expect(res.status).toBe(200);
    expect(await level('FG-NUT-M8')).toBe('470.0000');
    const held = await t.database.system.reservation.findFirstOrThrow({ where: { demandId } });
    expect(held.quantity.toFixed(4)).toBe('470.0000');
    expect((await t.database.system.stockLevel.findFirstOrThrow({ where: { itemId: item['FG-NUT-M8'], warehouseId: wh.WH02 } })).reserved.toFixed(4)).toBe('470.0000');
    await inCompany(t.database.app, companyId, (tx) => releaseReservations(tx, companyId, 'salesOrderLine', [demandId]));
  });

  it('10 个并发过账同一张盘点单：只过账一次', async () => {
    const count = await create({ warehouseId: wh.WH02, itemIds: [item['FG-BLT-M8X30']] });
    await enter(count, [{ lineId: count.lines[0].id, countedQuantity: '1003' }]);
    const results = await Promise.all(Array.from({ length: 10 }, () => admin('post', `${URL}/${count.id}/post`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    expect(await t.database.system.stockMove.count({ where: { sourceType: 'stockCount', sourceId: count.id } })).toBe(1);
    expect(await level('FG-BLT-M8X30')).toBe('1003.0000');
  });

  it('已取消的盘点单不能过账', async () => {
    const count = await create({ warehouseId: wh.WH02, itemIds: [item['FG-BLT-M8X30']] });
    expect((await admin('post', `${URL}/${count.id}/cancel`)).status).toBe(200);
    const res = await admin('post', `${URL}/${count.id}/post`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('已取消');
    expect((await admin('post', `${URL}/${crypto.randomUUID()}/post`)).status).toBe(404);
  });
});

describe('列表、对账与权限', () => {
  it('列表按状态、仓库、关键字筛选，带行数和已录入行数', async () => {
    const posted = (await admin('get', `${URL}?state=posted&sort=number`)).body;
    expect(posted.total).toBe(5);
    expect(posted.items[0]).toMatchObject({ lineCount: 2, countedCount: 2, remark: '月末盘点' });
    expect(posted.items[0]).not.toHaveProperty('lines');
    expect((await admin('get', `${URL}?state=cancelled`)).body.total).toBe(2);
    expect((await admin('get', `${URL}?warehouseId=${wh.WH01}`)).body.total).toBe(1);
    expect((await admin('get', `${URL}?q=${posted.items[0].number}`)).body.total).toBe(1);
    expect((await admin('get', `${URL}?state=open`)).status).toBe(400);
  });

  it('所有盘点之后，对账报告为空', async () => {
    const zhao = await as(t, 'zhao.ck');
    const report = await zhao('get', '/api/v1/stock/reports/reconcile');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ ok: true, drifts: [] });
  });

  it('销售员能看盘点单，不能盘点；仓管员能建单、录入、过账', async () => {
    const li = await as(t, 'li.xs');
    expect((await li('get', URL)).status).toBe(200);
    expect((await li('post', URL).send({ warehouseId: wh.WH02 })).status).toBe(403);
    const zhao = await as(t, 'zhao.ck');
    const created = await zhao('post', URL).send({ warehouseId: wh.WH02, itemIds: [item['FG-NUT-M8']] });
    expect(created.status).toBe(201);
    expect((await li('patch', `${URL}/${created.body.id}`).send({ version: 1, lines: [] })).status).toBe(403);
    expect((await li('post', `${URL}/${created.body.id}/post`)).status).toBe(403);
    const entered = await zhao('patch', `${URL}/${created.body.id}`).send({ version: 1, lines: [{ lineId: created.body.lines[0].id, countedQuantity: '470' }] });
    expect(entered.status).toBe(200);
    expect((await zhao('post', `${URL}/${created.body.id}/post`)).status).toBe(200);
  });
});
