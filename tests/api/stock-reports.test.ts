// 库存报表: 呆滞料 (stock idle for N days, by value) and the reconcile check (derived figures vs
// the moves they come from), with their permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { issueStock, receiveStock, type MoveContext } from '../../server/modules/inventory/stock/ledger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
let companyId: string;
const wh: Record<string, string> = {};
const item: Record<string, string> = {};

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
const old = (kind: MoveContext['kind'], days: number): MoveContext => ({ companyId, kind, source: { type: 'test', id: `old-${days}` }, occurredAt: daysAgo(days) });
const ledger = <T>(fn: Parameters<typeof inCompany<T>>[2]) => inCompany(t.database.app, companyId, fn);

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  for (const w of await sys.warehouse.findMany({ where: { companyId } })) wh[w.code] = w.id;
  for (const i of await sys.item.findMany({ where: { companyId }, select: { id: true, code: true } })) item[i.code] = i.id;
  const line = (code: string, w: string, quantity: string, unitCost = '0') => ({ itemId: item[code]!, warehouseId: wh[w]!, quantity, unitCost });
  // Idle for 200 days: M10×30 bolts in WH02 (value 50.00).
  await ledger((tx) => receiveStock(tx, old('opening', 200), [line('FG-BLT-M10X30', 'WH02', '1000', '0.05')]));
  // Idle for 120 days: M10 nuts in WH01 (value 100.00).
  await ledger((tx) => receiveStock(tx, old('opening', 120), [line('FG-NUT-M10', 'WH01', '5000', '0.02')]));
  // Old, but all gone 100 days ago: not slow-moving (no stock).
  await ledger((tx) => receiveStock(tx, old('opening', 200), [line('FG-NUT-M12', 'WH02', '100', '0.03')]));
  await ledger((tx) => issueStock(tx, old('salesShipment', 100), [line('FG-NUT-M12', 'WH02', '100')]));
  // Old stock that moved today: not slow-moving.
  await ledger((tx) => receiveStock(tx, old('opening', 200), [line('FG-WSH-FW-M8', 'WH02', '100', '0.005')]));
  const moved = await admin('post', '/api/v1/stock/adjustments').send({ warehouseId: wh.WH02, reason: '领用', lines: [{ itemId: item['FG-WSH-FW-M8'], quantity: '-10' }] });
  expect(moved.status).toBe(201);
  // Fresh stock.
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '1000', unitCost: '0.03' });
});
afterAll(async () => t?.close());

const URL = '/api/v1/stock/reports/slow-moving';
type Row = { item: { code: string }; quantity: string; averageCost: string; value: string; lastMovedAt: string | null; idleDays: number | null };

describe('呆滞料', () => {
  it('默认 90 天：只列出有库存且 90 天无出入库的物料，按金额从高到低', async () => {
    const res = await admin('get', URL);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ days: 90, total: 2, totalValue: '150.00' });
    expect(res.body.items.map((r: Row) => [r.item.code, r.quantity, r.averageCost, r.value, r.idleDays])).toEqual([
      ['FG-NUT-M10', '5000.0000', '0.020000', '100.00', 120],
      ['FG-BLT-M10X30', '1000.0000', '0.050000', '50.00', 200],
    ]);
    expect(res.body.items[0].lastMovedAt).toMatch(/\+08:00$/);
  });

  it('天数、仓库、排序、关键字、分类', async () => {
    expect((await admin('get', `${URL}?days=150`)).body.items.map((r: Row) => r.item.code)).toEqual(['FG-BLT-M10X30']);
    expect((await admin('get', `${URL}?days=1`)).body.total).toBe(2);
    expect((await admin('get', `${URL}?warehouseId=${wh.WH02}`)).body.items.map((r: Row) => [r.item.code, r.value])).toEqual([['FG-BLT-M10X30', '50.00']]);
    expect((await admin('get', `${URL}?sort=itemCode`)).body.items.map((r: Row) => r.item.code)).toEqual(['FG-BLT-M10X30', 'FG-NUT-M10']);
    expect((await admin('get', `${URL}?q=螺母`)).body.items.map((r: Row) => r.item.code)).toEqual(['FG-NUT-M10']);
    const nuts = (await t.database.system.itemCategory.findFirstOrThrow({ where: { companyId, code: '0302' } })).id;
    expect((await admin('get', `${URL}?categoryId=${nuts}`)).body.total).toBe(1);
    const paged = (await admin('get', `${URL}?pageSize=1&page=2`)).body;
    expect([paged.total, paged.items.length, paged.totalValue]).toEqual([2, 1, '150.00']);
  });

  it('错误的参数：400 指明字段', async () => {
    for (const [q, field] of [['days=0', 'query.days'], ['days=abc', 'query.days'], ['days=1.5', 'query.days'], ['sort=name', 'query.sort']]) {
      const res = await admin('get', `${URL}?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });
});

describe('对账', () => {
  it('正常经过库存账的数据：没有差异', async () => {
    const res = await admin('get', '/api/v1/stock/reports/reconcile');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, drifts: [] });
  });

  it('绕过库存账改了余额：报告指出余额、水位、物料结存三处差异', async () => {
    const balance = await t.database.system.stockBalance.findFirstOrThrow({ where: { itemId: item['FG-BLT-M8X30'] } });
    await t.database.system.stockBalance.update({ where: { id: balance.id }, data: { onHand: { increment: 1 } } });
    try {
      const res = await admin('get', '/api/v1/stock/reports/reconcile');
      expect(res.body.ok).toBe(false);
      expect(res.body.drifts.map((d: { check: string; item: { code: string }; warehouse: { code: string } | null; expected: string; actual: string }) =>
        [d.check, d.item.code, d.warehouse?.code ?? null, d.expected, d.actual])).toEqual([
        ['balanceVsMoves', 'FG-BLT-M8X30', 'WH02', '1000.0000', '1001.0000'],
        ['itemStockVsBalances', 'FG-BLT-M8X30', null, '1001.0000', '1000.0000'],
        ['levelVsBalances', 'FG-BLT-M8X30', 'WH02', '1001.0000', '1000.0000'],
      ]);
      expect(res.body.drifts[0]).toMatchObject({ batchNo: '', qualityStatus: 'passed' });
    } finally {
      await t.database.system.stockBalance.update({ where: { id: balance.id }, data: { onHand: { decrement: 1 } } });
    }
  });
});

describe('权限', () => {
  it('销售员能看呆滞料，不能看对账；会计、仓管能看对账', async () => {
    const li = await as(t, 'li.xs');
    expect((await li('get', URL)).status).toBe(200);
    expect((await li('get', '/api/v1/stock/moves')).status).toBe(200);
    expect((await li('get', '/api/v1/stock/reports/reconcile')).status).toBe(403);
    for (const user of ['qian.kj', 'zhao.ck']) {
      const client = await as(t, user);
      expect((await client('get', '/api/v1/stock/reports/reconcile')).status, user).toBe(200);
    }
  });
});
