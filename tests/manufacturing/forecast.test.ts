// 销售预测（备货生产）through the HTTP API on PostgreSQL: a forecast of 500 with orders of 300 in the
// month → MRP plans 500 (the orders consume the forecast, never 800); an order beyond its month's
// forecast → the order's quantity; a past month's forecast plans nothing; the demo's forecasts make a
// first run on a fresh start suggest bolts to make and wire rod to buy; an order reserved from stock
// still consumes its month's forecast (a draft order does not); bad input; permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员: forecast:read/write, mrp:run
let admin: AuthedClient;
let tag: string;
const item: Record<string, string> = {};
let pcs: string;

const today = todayInShanghai();
const month = (offset: number) => {
  const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return d.toISOString().slice(0, 7);
};

async function newItem(key: string) {
  const res = await sun('post', '/api/v1/items').send({ code: `${tag}-${key}`, name: `预测测试 ${key}`, kind: 'finished', sourcing: 'buy', baseUnitId: pcs, leadTimeDays: 0 });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

async function order(key: string, quantity: string, requestedDate: string, confirm = true) {
  const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0001' } })).id;
  const draft = await admin('post', '/api/v1/sales-orders').send({ customerId, requestedDate, lines: [{ itemId: item[key], unitId: pcs, quantity }] });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  if (!confirm) return;
  const confirmed = await admin('post', `/api/v1/sales-orders/${draft.body.id}/confirm`).send({});
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
}

const forecast = (body: Record<string, unknown>) => sun('post', '/api/v1/forecasts').send(body);

beforeAll(async () => {
  t = await createTestApp();
  [sun, admin] = await Promise.all([as(t, 'sun.jh'), as(t, 'admin')]);
  tag = uniqueCode('FCT');
  pcs = (await sun('get', '/api/v1/units?pageSize=200')).body.items.find((u: { code: string }) => u.code === 'PCS').id;
  await newItem('A');
  await newItem('B');
  await newItem('C');
});
afterAll(async () => t?.close());

describe('销售预测', () => {
  it('预测 500、当月订单 300 → 需求 500（订单冲减预测，不是 800）；订单超出预测 → 按订单；往月预测不计', async () => {
    const a = await forecast({ itemId: item.A, period: month(0), quantity: '500', remark: '备货' });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({ period: month(0), quantity: '500.0000', remark: '备货', warehouse: null, version: 1, item: { code: `${tag}-A` } });
    expect((await forecast({ itemId: item.B, period: month(1), quantity: '200' })).status).toBe(201);
    expect((await forecast({ itemId: item.B, period: month(-1), quantity: '1000' })).status).toBe(201);
    await order('A', '300', today);
    await order('B', '350', `${month(1)}-01`);

    const run = await sun('post', '/api/v1/mrp/runs');
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    const res = await sun('get', `/api/v1/mrp/suggestions?q=${tag}&pageSize=50`);
    const rows = (res.body.items as { item: { code: string }; kind: string; quantity: string; dueDate: string; pegging: { demandKind: string; ref: string; quantity: string }[] }[])
      .map((s) => ({ code: s.item.code.slice(tag.length + 1), kind: s.kind, quantity: s.quantity, dueDate: s.dueDate, pegging: s.pegging.map((p) => [p.demandKind, p.quantity]).sort() }))
      .sort((x, y) => x.code.localeCompare(y.code));
    expect(rows).toEqual([
      // 300 ordered + the 200 of the forecast the orders left, both netted today
      { code: 'A', kind: 'purchase', quantity: '500.0000', dueDate: today, pegging: [['forecast', '200.0000'], ['salesOrder', '300.0000']] },
      // the order (350) used up next month's forecast (200): 350, not 550; last month's 1000 is history
      { code: 'B', kind: 'purchase', quantity: '350.0000', dueDate: `${month(1)}-01`, pegging: [['salesOrder', '350.0000']] },
    ]);

    // the demo's forecasts: the boxed M8 bolt is made for them, down to the wire rod bought for it
    const bolt = (await sun('get', '/api/v1/mrp/suggestions?q=FG-BLT-M8X30&pageSize=50')).body.items as { kind: string; pegging: { demandKind: string }[] }[];
    expect(bolt.length).toBeGreaterThan(0);
    expect(bolt.every((s) => s.kind === 'production')).toBe(true);
    expect(bolt.some((s) => s.pegging.some((p) => p.demandKind === 'forecast'))).toBe(true);
    const rod = (await sun('get', '/api/v1/mrp/suggestions?q=RM-WR-35K-6.5&pageSize=50')).body.items as { kind: string }[];
    expect(rod.length).toBeGreaterThan(0);
    expect(rod.every((s) => s.kind === 'purchase')).toBe(true);
  });

  it('订单已从库存预留 300，仍冲减当月预测 500 → 只按预测余量 200 建议（不是 500）；草稿订单不冲减', async () => {
    await addOpeningStock(t, [{ item: item.C!, quantity: '300', unitCost: '1' }]);
    expect((await forecast({ itemId: item.C, period: month(0), quantity: '500' })).status).toBe(201);
    await order('C', '300', today); // confirming reserves all 300 from WH02: no open demand, no free stock
    await order('C', '100', today, false); // a draft is no order yet

    const run = await sun('post', '/api/v1/mrp/runs');
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    const res = await sun('get', `/api/v1/mrp/suggestions?q=${tag}-C&pageSize=50`);
    const rows = (res.body.items as { kind: string; quantity: string; dueDate: string; pegging: { demandKind: string; quantity: string }[] }[])
      .map((s) => ({ kind: s.kind, quantity: s.quantity, dueDate: s.dueDate, pegging: s.pegging.map((p) => [p.demandKind, p.quantity]) }));
    // 500 forecast − 300 ordered = 200; the reserved 300 needs nothing more
    expect(rows).toEqual([{ kind: 'purchase', quantity: '200.0000', dueDate: today, pegging: [['forecast', '200.0000']] }]);
  });

  it('列表分页与搜索、修改（版本）、删除', async () => {
    const list = await sun('get', `/api/v1/forecasts?q=${tag}-B&sort=period`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((f: { period: string }) => f.period)).toEqual([month(-1), month(1)]);
    const f = list.body.items[1];
    const upd = await sun('patch', `/api/v1/forecasts/${f.id}`).send({ quantity: '250', version: f.version });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expect(upd.body).toMatchObject({ quantity: '250.0000', version: f.version + 1 });
    const stale = await sun('patch', `/api/v1/forecasts/${f.id}`).send({ quantity: '260', version: f.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const ranged = await sun('get', `/api/v1/forecasts?itemId=${item.B}&periodFrom=${month(0)}&periodTo=${month(2)}`);
    expect(ranged.body.items.map((x: { quantity: string }) => x.quantity)).toEqual(['250.0000']);
    expect((await sun('delete', `/api/v1/forecasts/${list.body.items[0].id}`)).status).toBe(204);
    expect((await sun('get', `/api/v1/forecasts/${list.body.items[0].id}`)).status).toBe(404);
  });

  it('错误输入：数量为 0、小数个数、月份格式、同物料同月第二条、物料不存在', async () => {
    const zero = await forecast({ itemId: item.A, period: month(2), quantity: '0' });
    expect(zero.status).toBe(400);
    expect(zero.body.error.message).toContain('数量');
    const half = await forecast({ itemId: item.A, period: month(2), quantity: '10.5' });
    expect(half.status).toBe(400);
    expect(half.body.error.message).toContain('数量必须是整数');
    const bad = await forecast({ itemId: item.A, period: '2026-13', quantity: '10' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('月份');
    const twice = await forecast({ itemId: item.A, period: month(0), quantity: '10' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe(`物料 ${tag}-A 在 ${month(0)} 已有销售预测，请修改那一条`);
    const none = await forecast({ itemId: '00000000-0000-4000-8000-000000000000', period: month(0), quantity: '10' });
    expect(none.status).toBe(400);
    expect(await t.database.system.salesForecast.count({ where: { itemId: item.A } })).toBe(1);
  });

  it('权限：仓管员不能查看，销售员不能维护', async () => {
    const [zhao, li] = await Promise.all([as(t, 'zhao.ck'), as(t, 'li.xs')]);
    expect((await zhao('get', '/api/v1/forecasts')).status).toBe(403);
    const denied = await li('post', '/api/v1/forecasts').send({ itemId: item.A, period: month(3), quantity: '10' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('没有维护销售预测的权限');
  });
});
