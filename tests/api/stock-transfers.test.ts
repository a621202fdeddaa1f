// 调拨单: stock moves between warehouses at the moving average cost, in one transaction; only
// free 合格 stock moves; bad input writes nothing; parallel transfers never overdraw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { reserveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
let companyId: string;
const wh: Record<string, string> = {};
const item: Record<string, string> = {};
const URL = '/api/v1/stock/transfers';

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  for (const w of await sys.warehouse.findMany({ where: { companyId } })) wh[w.code] = w.id;
  for (const i of await sys.item.findMany({ where: { companyId }, select: { id: true, code: true } })) item[i.code] = i.id;
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH01', quantity: '1000', unitCost: '0.03' });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '500', unitCost: '0.036' });
  await putStock(t, { itemCode: 'RM-WR-35K-6.5', warehouseCode: 'WH01', quantity: '2000', unitCost: '5.2', batchNo: 'L1' });
});
afterAll(async () => t?.close());

const level = async (code: string, w: string) => {
  const row = await t.database.system.stockLevel.findFirst({ where: { itemId: item[code], warehouseId: wh[w] } });
  return row?.onHand.toFixed(4) ?? '0.0000';
};
const counts = async () => [await t.database.system.stockTransfer.count(), await t.database.system.stockMove.count()];
const transfer = (lines: Record<string, unknown>[], over: Record<string, unknown> = {}) =>
  admin('post', URL).send({ fromWarehouseId: wh.WH01, toWarehouseId: wh.WH02, remark: '补成品仓', lines, ...over });

describe('调拨', () => {
  it('调出仓按移动平均成本出库、调入仓同成本入库：物料总数量、金额、平均成本不变', async () => {
    const before = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item['FG-BLT-M8X30'] } });
    expect([before.quantity.toFixed(4), before.value.toFixed(2), before.averageCost.toFixed(6)]).toEqual(['1500.0000', '48.00', '0.032000']);
    const res = await transfer([{ itemId: item['FG-BLT-M8X30'], quantity: '300' }]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: expect.stringMatching(/^TR-\d{8}-\d{4}$/), fromWarehouse: { code: 'WH01' }, toWarehouse: { code: 'WH02' }, remark: '补成品仓',
      totalAmount: '9.60', lineCount: 1, createdBy: { name: '系统管理员' },
      lines: [expect.objectContaining({ lineNo: 1, quantity: '300.0000', unitCost: '0.032000', amount: '9.60', batchNo: '' })],
    });
    expect([await level('FG-BLT-M8X30', 'WH01'), await level('FG-BLT-M8X30', 'WH02')]).toEqual(['700.0000', '800.0000']);
    const after = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item['FG-BLT-M8X30'] } });
    expect([after.quantity.toFixed(4), after.value.toFixed(2), after.averageCost.toFixed(6)]).toEqual(['1500.0000', '48.00', '0.032000']);
    const moves = await t.database.system.stockMove.findMany({ where: { sourceType: 'stockTransfer', sourceId: res.body.id }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => [m.kind, m.warehouseId, m.quantity.toFixed(4), m.unitCost.toFixed(6), m.amount.toFixed(2), m.documentNo])).toEqual([
      ['transferOut', wh.WH01, '-300.0000', '0.032000', '-9.60', res.body.number],
      ['transferIn', wh.WH02, '300.0000', '0.032000', '9.60', res.body.number],
    ]);
    expect(await t.database.system.auditLog.count({ where: { entity: 'stockTransfer', entityId: res.body.id, action: 'create' } })).toBe(1);
    const event = await t.database.system.outboxEvent.findFirstOrThrow({ where: { type: 'stockTransfer.created', aggregateId: res.body.id } });
    expect(event.payload).toMatchObject({ number: res.body.number, lineCount: 1, totalAmount: '9.60' });
    expect((await admin('get', `${URL}/${res.body.id}`)).body).toEqual(res.body);
  });

  it('批次物料按批次调拨，批次随货走', async () => {
    const res = await transfer([{ itemId: item['RM-WR-35K-6.5'], quantity: '500', batchNo: 'L1' }]);
    expect(res.status).toBe(201);
    const balances = await t.database.system.stockBalance.findMany({ where: { itemId: item['RM-WR-35K-6.5'] }, orderBy: { onHand: 'asc' } });
    expect(balances.map((b) => [b.warehouseId, b.batchNo, b.onHand.toFixed(4)])).toEqual([[wh.WH02, 'L1', '500.0000'], [wh.WH01, 'L1', '1500.0000']]);
  });

  it('列表：分页、仓库、物料、单号关键字', async () => {
    const all = (await admin('get', URL)).body;
    expect(all.total).toBe(2);
    expect(all.items[0]).not.toHaveProperty('lines');
    expect((await admin('get', `${URL}?itemId=${item['RM-WR-35K-6.5']}`)).body.total).toBe(1);
    expect((await admin('get', `${URL}?warehouseId=${wh.WH02}`)).body.total).toBe(2);
    expect((await admin('get', `${URL}?fromWarehouseId=${wh.WH02}`)).body.total).toBe(0);
    expect((await admin('get', `${URL}?q=${all.items[1].number}`)).body.items.map((r: { id: string }) => r.id)).toEqual([all.items[1].id]);
    expect((await admin('get', `${URL}?pageSize=1&sort=number`)).body.items).toHaveLength(1);
  });
});

describe('错误输入与库存不足：4xx 指明字段，什么都不写', () => {
  const m8 = (over: Record<string, unknown> = {}) => ({ itemId: item['FG-BLT-M8X30'], quantity: '10', ...over });
  const cases: [string, () => [Record<string, unknown>[], Record<string, unknown>?], number, string][] = [
    ['调入调出同一仓库', () => [[m8()], { toWarehouseId: wh.WH01 }], 400, 'body.toWarehouseId'],
    ['数量为 0', () => [[m8({ quantity: '0' })]], 400, 'body.lines.0.quantity'],
    ['数量为负', () => [[m8({ quantity: '-5' })]], 400, 'body.lines.0.quantity'],
    ['数量小数位过多', () => [[m8({ quantity: '1.00001' })]], 400, 'body.lines.0.quantity'],
    ['未知物料', () => [[m8({ itemId: crypto.randomUUID() })]], 400, 'body.lines.0.itemId'],
    ['未知调出仓库', () => [[m8()], { fromWarehouseId: crypto.randomUUID() }], 400, 'body.fromWarehouseId'],
    ['调入仓库不是 UUID', () => [[m8()], { toWarehouseId: 'WH02' }], 400, 'body.toWarehouseId'],
    ['批次物料缺批次', () => [[{ itemId: item['RM-WR-35K-6.5'], quantity: '10' }]], 400, 'body.lines.0.batchNo'],
    ['不存在的批次', () => [[{ itemId: item['RM-WR-35K-6.5'], quantity: '10', batchNo: 'NOPE' }]], 409, 'body.lines.0.quantity'],
    ['超过结存', () => [[m8({ quantity: '100000' })]], 409, 'body.lines.0.quantity'],
    ['第二行超过结存，第一行也不调', () => [[m8(), m8({ quantity: '100000' })]], 409, 'body.lines.1.quantity'],
  ];
  it.each(cases)('%s', async (_name, make, status, field) => {
    const before = await counts();
    const [lines, over] = make();
    const res = await transfer(lines, over);
    expect(res.status).toBe(status);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('只能调拨未被预留的库存', async () => {
    await inCompany(t.database.app, companyId, (tx) =>
      reserveStock(tx, companyId, 'salesOrderLine', [{ itemId: item['FG-BLT-M8X30']!, warehouseId: wh.WH01!, demandId: crypto.randomUUID(), wanted: '600' }]));
    const before = await counts();
    const res = await transfer([m8({ quantity: '200' })]); // 700 on hand, 600 reserved
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('M8螺栓');
    expect(res.body.error.message).toContain('预留');
    expect(await counts()).toEqual(before);
    expect((await transfer([m8({ quantity: '100' })])).status).toBe(201);
    expect(await level('FG-BLT-M8X30', 'WH01')).toBe('600.0000');
  });

  it('待检库存不能调拨', async () => {
    await putStock(t, { itemCode: 'FG-BLT-M8X40', warehouseCode: 'WH01', quantity: '100', unitCost: '0.04', qualityStatus: 'pending' });
    const res = await transfer([{ itemId: item['FG-BLT-M8X40'], quantity: '10' }]);
    expect(res.status).toBe(409);
  });

  it('别家公司的调拨单：404', async () => {
    const other = await createSecondCompany(t);
    const w1 = await t.database.system.warehouse.create({ data: { companyId: other.companyId, code: 'A', name: 'A' } });
    const foreign = await t.database.system.stockTransfer.create({ data: { companyId: other.companyId, number: 'TR-X', fromWarehouseId: w1.id, toWarehouseId: w1.id } });
    expect((await admin('get', `${URL}/${foreign.id}`)).status).toBe(404);
  });
});

describe('并发与权限', () => {
  it('30 个并发调拨各调 1 个，可用 10 个：恰好 10 个成功，其余 409，结存不为负', async () => {
    await putStock(t, { itemCode: 'FG-NUT-M8', warehouseCode: 'WH01', quantity: '10', unitCost: '0.011' });
    const results = await Promise.all(Array.from({ length: 30 }, () => transfer([{ itemId: item['FG-NUT-M8'], quantity: '1' }])));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(20);
    expect([await level('FG-NUT-M8', 'WH01'), await level('FG-NUT-M8', 'WH02')]).toEqual(['0.0000', '10.0000']);
    expect(new Set(results.filter((r) => r.status === 201).map((r) => r.body.number)).size).toBe(10);
    const report = await admin('get', '/api/v1/stock/reports/reconcile');
    expect(report.body).toMatchObject({ ok: true, drifts: [] });
  });

  it('双向并发调拨与多行调整（行序相反）混在一起：不死锁，全部成功，账平', async () => {
    const codes = ['FG-BLT-M10X30', 'FG-NUT-M10'];
    for (const c of codes) for (const w of ['WH01', 'WH02']) await putStock(t, { itemCode: c, warehouseCode: w, quantity: '1000', unitCost: '0.05' });
    const lines = (i: number, quantity: string) => (i % 4 < 2 ? codes : [...codes].reverse()).map((c) => ({ itemId: item[c], quantity }));
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => {
      const [from, to] = i % 2 ? [wh.WH01, wh.WH02] : [wh.WH02, wh.WH01];
      return i % 3 === 2
        ? admin('post', '/api/v1/stock/adjustments').send({ warehouseId: from, reason: '并发调整', lines: lines(i, '-1') })
        : transfer(lines(i, '1'), { fromWarehouseId: from, toWarehouseId: to });
    }));
    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    for (const c of codes) {
      const s = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item[c] } });
      expect(s.quantity.toFixed(4)).toBe('1980.0000');
    }
    expect((await admin('get', '/api/v1/stock/reports/reconcile')).body).toMatchObject({ ok: true, drifts: [] });
  });

  it('销售员能看调拨单，不能调拨；仓管员能调拨', async () => {
    const li = await as(t, 'li.xs');
    expect((await li('get', URL)).status).toBe(200);
    const before = await counts();
    expect((await li('post', URL).send({ fromWarehouseId: wh.WH01, toWarehouseId: wh.WH02, lines: [{ itemId: item['FG-BLT-M8X30'], quantity: '1' }] })).status).toBe(403);
    expect(await counts()).toEqual(before);
    const zhao = await as(t, 'zhao.ck');
    const ok = await zhao('post', URL).send({ fromWarehouseId: wh.WH02, toWarehouseId: wh.WH01, lines: [{ itemId: item['FG-BLT-M8X30'], quantity: '1' }] });
    expect(ok.status).toBe(201);
  });
});
