// 成本计算 (month-end actual costing) through the HTTP API on PostgreSQL, a month computed by hand:
// two tasks (A completed, B partly received) with kit issues, receipts at standard cost and 报工
// hours 30/10; labour ¥4,000 and overhead ¥2,000 by hours → actual unit costs, B's WIP by quantity,
// A's revaluation split between the 60 still in stock and the 40 shipped (cost of sales), the stock
// value and moving average after the 成本调整 move; two concurrent closes of the month → one, then
// 409; permission denial; bad period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员: items, BOMs, tasks
let zhao: AuthedClient; // 仓管员: issue, receipt, shipment
let qian: AuthedClient; // 会计: costClose:read + costClose:run
const unit: Record<string, string> = {};
const item: Record<string, string> = {};
const code: Record<string, string> = {};
const wh: Record<string, string> = {};
const task: Record<string, { id: string; number: string }> = {};
let period = '';

async function newItem(key: string, fields: Record<string, unknown>) {
  code[key] = uniqueCode(`CC-${key}`);
  const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `成本 ${key}`, kind: 'finished', sourcing: 'make', baseUnitId: unit.PCS, scrapRate: '0', ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

async function releasedTask(key: string, itemKey: string, quantity: string) {
  const res = await sun('post', '/api/v1/production-tasks').send({
    itemId: item[itemKey], quantity, materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart: '2026-12-01', plannedFinish: '2026-12-05',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  task[key] = res.body;
  expect((await sun('post', `/api/v1/production-tasks/${res.body.id}/release`)).status).toBe(200);
}

/** 报工 (at most 24 hours a report), dated today. */
async function reportHours(key: string, ...hours: string[]) {
  for (const h of hours) {
    const res = await sun('post', `/api/v1/production-tasks/${task[key]!.id}/work-reports`).send({ hours: h });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  [sun, zhao, qian] = await Promise.all([as(t, 'sun.jh'), as(t, 'zhao.ck'), as(t, 'qian.kj')]);
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  for (const w of (await sun('get', '/api/v1/warehouses?pageSize=200')).body.items) wh[w.code] = w.id;
  await newItem('FA', { standardCost: '10', salePrice: '60' });
  await newItem('FB', { standardCost: '5', salePrice: '20' });
  await newItem('M', { kind: 'raw', sourcing: 'buy', baseUnitId: unit.KG });
  for (const [parent, per] of [['FA', '1'], ['FB', '0.5']] as const) {
    const res = await sun('post', '/api/v1/boms').send({ parentItemId: item[parent], validFrom: '2026-01-01', lines: [{ componentItemId: item.M, quantity: per, scrapRate: '0' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  await putStock(t, { itemCode: code.M!, warehouseCode: 'WH01', quantity: '400', unitCost: '2' });
  period = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());

  // A: 100 FA, kit 100 (100 kg × ¥2 = ¥200), 30 hours, received 100 at ¥10 (¥1,000) → completed
  await releasedTask('A', 'FA', '100');
  expect((await zhao('post', `/api/v1/production-tasks/${task.A!.id}/issue`).send({ quantity: '100' })).status).toBe(200);
  await reportHours('A', '15', '15');
  expect((await zhao('post', `/api/v1/production-tasks/${task.A!.id}/receipts`).send({ quantity: '100' })).status).toBe(200);
  // B: 200 FB, kit 200 (100 kg × ¥2 = ¥200), 10 hours, 80 received at ¥5 (¥400), 120 still in production
  await releasedTask('B', 'FB', '200');
  expect((await zhao('post', `/api/v1/production-tasks/${task.B!.id}/issue`).send({ quantity: '200' })).status).toBe(200);
  await reportHours('B', '10');
  expect((await zhao('post', `/api/v1/production-tasks/${task.B!.id}/receipts`).send({ quantity: '80' })).status).toBe(200);

  // 40 of A's 100 are sold and shipped
  const li = await as(t, 'li.xs');
  const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  const so = await li('post', '/api/v1/sales-orders').send({ customerId, warehouseId: wh.WH02, lines: [{ itemId: item.FA, quantity: '40' }] });
  expect(so.status, JSON.stringify(so.body)).toBe(201);
  expect((await li('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({})).status).toBe(200);
  const shipped = await zhao('post', `/api/v1/sales-orders/${so.body.id}/shipments`).send({ lines: [{ orderLineId: so.body.lines[0].id, quantity: '40' }] });
  expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
}, 60_000);
afterAll(async () => t?.close());

describe('成本计算', () => {
  it('两张任务的一个月：实际单位成本、在产品、差额分到库存与销售成本；同月并发两次只算一次，再算 409', async () => {
    // the month before: no 报工 at all, so nothing to allocate the labour by
    const [y, m] = period.split('-').map(Number) as [number, number];
    const before = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const empty = await qian('post', '/api/v1/cost-closes').send({ period: before, labourPool: '1', overheadPool: '0', basis: 'hours' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('该期间没有报工工时，不能按工时分配人工和制造费用；请改按完工产量分配');

    const body = { period, labourPool: '4000', overheadPool: '2000', basis: 'hours' };
    const results = await Promise.all([qian('post', '/api/v1/cost-closes').send(body), qian('post', '/api/v1/cost-closes').send(body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const close = results.find((r) => r.status === 201)!.body;
    // labour 4,000 and overhead 2,000 by hours 30 : 10
    // A: 200 + 3,000 + 1,500 = 4,700 for 100 → ¥47; revaluation 4,700 − 1,000 = 3,700: 60 of 100 still held → 2,220 to stock, 1,480 to cost of sales
    // B: 200 + 1,000 + 500 = 1,700 for 80 received + 120 not → ¥8.50; completed 680, WIP 1,020; 680 − 400 = 280, all 80 held → stock
    expect(close).toMatchObject({
      period, state: 'done', basis: 'hours', basisLabel: '按报工工时', taskCount: 2, labourPool: '4000.00', overheadPool: '2000.00',
      materialTotal: '400.00', actualTotal: '6400.00', completedTotal: '5380.00', provisionalTotal: '1400.00', wipTotal: '1020.00',
      revaluationToStock: '2500.00', revaluationToCostOfSales: '1480.00', createdBy: '钱会计',
    });
    const [a, b] = close.lines;
    expect(a).toMatchObject({
      task: { number: task.A!.number }, material: '200.00', hours: '30.00', labour: '3000.00', overhead: '1500.00', actualTotal: '4700.00',
      receivedQuantity: '100.0000', unreceivedQuantity: '0.0000', unitCost: '47.000000', completedValue: '4700.00', provisionalValue: '1000.00',
      wip: '0.00', revaluation: '3700.00', toStock: '2220.00', toCostOfSales: '1480.00',
    });
    expect(b).toMatchObject({
      task: { number: task.B!.number }, material: '200.00', hours: '10.00', labour: '1000.00', overhead: '500.00', actualTotal: '1700.00',
      receivedQuantity: '80.0000', unreceivedQuantity: '120.0000', unitCost: '8.500000', completedValue: '680.00', wip: '1020.00',
      revaluation: '280.00', toStock: '280.00', toCostOfSales: '0.00',
    });
    // the stock now carries the actual cost: FA 60 × ¥10 + 2,220 = 2,820 (¥47 each); FB 80 × ¥5 + 280 = 680 (¥8.50)
    const stock = async (key: string) => t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item[key] } });
    expect([(await stock('FA')).value.toFixed(2), (await stock('FA')).averageCost.toFixed(6)]).toEqual(['2820.00', '47.000000']);
    expect([(await stock('FB')).value.toFixed(2), (await stock('FB')).averageCost.toFixed(6)]).toEqual(['680.00', '8.500000']);
    const moves = await t.database.system.stockMove.findMany({ where: { kind: 'costAdjustment', sourceId: close.id }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => [m.quantity.toFixed(4), m.amount.toFixed(2)])).toEqual([['0.0000', '2220.00'], ['0.0000', '280.00']]);
    // the ledger still reconciles: each item's value is the sum of its moves' amounts
    const reconcile = await qian('get', '/api/v1/stock/reports/reconcile');
    expect(reconcile.body).toMatchObject({ ok: true, drifts: [] });

    const again = await qian('post', '/api/v1/cost-closes').send(body);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`${period} 已完成成本计算，不能重复计算`);
    expect(await t.database.system.costClose.count()).toBe(1);

    const list = await qian('get', '/api/v1/cost-closes');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: close.id, period }] });
    const detail = await qian('get', `/api/v1/cost-closes/${close.id}`);
    expect(detail.body).toEqual(close);
  });

  it('凭证：领料 借 生产成本 / 贷 原材料，完工 借 库存商品 / 贷 生产成本；成本计算分配人工、制造费用，差额到库存与销售成本；生产成本余额 = 在产品', async () => {
    type Line = { account: { code: string }; debit: string; credit: string; item: { id: string } | null };
    const vouchers = async (sourceId: string) => (await qian('get', `/api/v1/vouchers?sourceId=${sourceId}&sort=number`)).body.items as { date: string; summary: string; source: { label: string }; lines: Line[] }[];
    const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit, l.item?.id]);
    // A: kit 100 kg × ¥2 = 200.00, then 100 FA at ¥10 = 1,000.00; B: 100 kg = 200.00, then 80 FB at ¥5 = 400.00
    const a = await vouchers(task.A!.id);
    expect(a.map((v) => [v.summary, v.source.label])).toEqual([[`生产领料 ${task.A!.number}`, '生产任务单'], [`完工入库 ${task.A!.number}`, '生产任务单']]);
    expect(a.map((v) => brief(v.lines))).toEqual([
      [['4001', '200.00', '0.00', item.FA], ['1403', '0.00', '200.00', item.M]],
      [['1405', '1000.00', '0.00', item.FA], ['4001', '0.00', '1000.00', item.FA]],
    ]);
    expect((await vouchers(task.B!.id)).map((v) => brief(v.lines))).toEqual([
      [['4001', '200.00', '0.00', item.FB], ['1403', '0.00', '200.00', item.M]],
      [['1405', '400.00', '0.00', item.FB], ['4001', '0.00', '400.00', item.FB]],
    ]);
    // the close: labour 3,000 / 1,000 and overhead 1,500 / 500; FA 2,220 to stock and 1,480 to cost of sales, FB 280 to stock
    const close = (await qian('get', '/api/v1/cost-closes')).body.items[0];
    const [v, more] = await vouchers(close.id);
    expect(more).toBeUndefined();
    const [y, m] = period.split('-').map(Number) as [number, number];
    expect(v).toMatchObject({ date: `${period}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate())}`, summary: `${period} 成本计算`, source: { label: '成本计算' } });
    expect(brief(v!.lines)).toEqual([
      ['4001', '3000.00', '0.00', item.FA], ['4001', '1000.00', '0.00', item.FB], ['2211', '0.00', '4000.00', undefined],
      ['4001', '1500.00', '0.00', item.FA], ['4001', '500.00', '0.00', item.FB], ['4101', '0.00', '2000.00', undefined],
      ['1405', '2220.00', '0.00', item.FA], ['4001', '0.00', '2220.00', item.FA], ['1405', '280.00', '0.00', item.FB], ['4001', '0.00', '280.00', item.FB],
      ['5401', '1480.00', '0.00', item.FA], ['4001', '0.00', '1480.00', item.FA],
    ]);
    // 生产成本 is left holding exactly the WIP: 200 + 200 + 4,000 + 2,000 − 1,000 − 400 − 2,220 − 280 − 1,480 = 1,020.00
    const wip = await t.database.system.voucherLine.aggregate({ where: { account: { code: '4001' } }, _sum: { debit: true, credit: true } });
    expect(wip._sum.debit!.minus(wip._sum.credit!).toFixed(2)).toBe(close.wipTotal);
  });

  it('期间格式不对、未来月份、负数金额、分配标准不对 → 400；没有成本计算权限 → 403', async () => {
    const bad = await qian('post', '/api/v1/cost-closes').send({ period: '2026-13', labourPool: '1', overheadPool: '0', basis: 'hours' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('月份');
    const future = await qian('post', '/api/v1/cost-closes').send({ period: '2999-01', labourPool: '1', overheadPool: '0', basis: 'hours' });
    expect(future.status).toBe(400);
    expect((await qian('post', '/api/v1/cost-closes').send({ period, labourPool: '-1', overheadPool: '0', basis: 'hours' })).status).toBe(400);
    expect((await qian('post', '/api/v1/cost-closes').send({ period, labourPool: '1', overheadPool: '0', basis: 'fifo' })).status).toBe(400);
    expect((await sun('post', '/api/v1/cost-closes').send({ period, labourPool: '1', overheadPool: '0', basis: 'hours' })).status).toBe(403);
    expect((await sun('get', '/api/v1/cost-closes')).status).toBe(403);
  });
});
