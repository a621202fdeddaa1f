// 报工 through the HTTP API on PostgreSQL: a worker (车间工人, only productionTask:report) reports on a
// released task → it is 生产中 and the task detail sums the reports; the operation must be one the
// task's materials name; bad figures are 400 naming the field; a planned task is 409; a worker sees
// only his own reports, the planner all; reporting for someone else needs :update; another company 404.
// A task made for a sales order line puts 生产中 (first issue) and 完工待发货 (received in full) on the
// order's timeline, and the order-progress route gets both in chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员: everything incl. report
let chen: AuthedClient; // 车间工人: report only
const unit: Record<string, string> = {};
const item: Record<string, string> = {};
const wh: Record<string, string> = {};

const code: Record<string, string> = {};

async function newItem(key: string, fields: Record<string, unknown>) {
  code[key] = uniqueCode(`WR-${key}`);
  const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `报工 ${key}`, kind: 'semiFinished', sourcing: 'make', baseUnitId: unit.PCS, scrapRate: '0', ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

async function newTask(key: string, release = true) {
  const res = await sun('post', '/api/v1/production-tasks').send({
    itemId: item[key], quantity: '100', materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart: '2026-12-10', plannedFinish: '2026-12-12',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (release) expect((await sun('post', `/api/v1/production-tasks/${res.body.id}/release`)).status).toBe(200);
  return res.body as { id: string; number: string };
}

beforeAll(async () => {
  t = await createTestApp();
  [sun, chen] = await Promise.all([as(t, 'sun.jh'), as(t, 'chen.gr')]);
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  for (const w of (await sun('get', '/api/v1/warehouses?pageSize=200')).body.items) wh[w.code] = w.id;
  await newItem('FG', { kind: 'finished' });
  await newItem('FREE', { kind: 'finished' });
  await newItem('SOFG', { kind: 'finished', standardCost: '2', salePrice: '5' });
  await newItem('ROD', { kind: 'raw', sourcing: 'buy', baseUnitId: unit.KG });
  await newItem('CTN', { kind: 'raw', sourcing: 'buy' });
  for (const [parent, lines] of [
    ['FG', [{ componentItemId: item.ROD, quantity: '0.01', operation: '冷镦' }, { componentItemId: item.CTN, quantity: '0.01', issueMethod: 'backflush', operation: '包装' }]],
    ['FREE', [{ componentItemId: item.ROD, quantity: '0.01' }]],
    ['SOFG', [{ componentItemId: item.ROD, quantity: '0.01' }]],
  ] as const) {
    const res = await sun('post', '/api/v1/boms').send({ parentItemId: item[parent], validFrom: '2026-01-01', lines });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  await putStock(t, { itemCode: code.ROD!, warehouseCode: 'WH01', quantity: '1', unitCost: '8' });
}, 60_000);
afterAll(async () => t?.close());

describe('报工', () => {
  it('工人报工：已下达的任务转为生产中，任务详情合计良品、报废和工时；工人只看自己的报工，计划员看全部', async () => {
    const task = await newTask('FG');
    const first = await chen('post', `/api/v1/production-tasks/${task.id}/work-reports`).send({ operation: '冷镦', goodQuantity: '40', scrapQuantity: '2', hours: '3.5' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      number: expect.stringMatching(/^WR-\d{8}-\d{4}$/), task: { id: task.id, number: task.number }, operation: '冷镦',
      goodQuantity: '40.0000', scrapQuantity: '2.0000', hours: '3.50', worker: { name: '陈工人' }, workDate: todayInShanghai(), remark: null,
    });
    const second = await sun('post', `/api/v1/production-tasks/${task.id}/work-reports`).send({ operation: '包装', goodQuantity: '30', hours: '2.25', workDate: '2026-12-01', remark: '夜班' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ scrapQuantity: '0.0000', worker: { name: '孙计划' }, workDate: '2026-12-01' });

    const detail = (await chen('get', `/api/v1/production-tasks/${task.id}`)).body;
    expect(detail).toMatchObject({ state: 'inProgress', stateLabel: '生产中', reportedGoodQuantity: '70.0000', reportedScrapQuantity: '2.0000', reportedHours: '5.75' });
    expect(detail.timeline.filter((e: { action: string }) => e.action === 'report')).toHaveLength(2);

    const mine = await chen('get', `/api/v1/work-reports?taskId=${task.id}`);
    expect(mine.body.total).toBe(1);
    expect(mine.body.items[0].id).toBe(first.body.id);
    expect((await chen('get', `/api/v1/production-tasks/${task.id}/work-reports`)).body.map((r: { id: string }) => r.id)).toEqual([first.body.id]);
    const all = await sun('get', `/api/v1/work-reports?taskId=${task.id}&sort=workDate`);
    expect(all.body.items.map((r: { id: string }) => r.id)).toEqual([second.body.id, first.body.id]);
    expect((await sun('get', `/api/v1/work-reports?taskId=${task.id}&from=2026-12-02`)).body.total).toBe(1);
    expect((await sun('get', `/api/v1/work-reports?q=${encodeURIComponent('陈工人')}&taskId=${task.id}`)).body.total).toBe(1);
    expect((await sun('get', `/api/v1/production-tasks/${task.id}/work-reports`)).body).toHaveLength(2);

    // free text where the task's BOM names no operation
    const free = await newTask('FREE');
    const res = await chen('post', `/api/v1/production-tasks/${free.id}/work-reports`).send({ operation: '抛光', hours: '8' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await chen('get', `/api/v1/production-tasks/${free.id}`)).body).toMatchObject({ reportedGoodQuantity: '0.0000', reportedHours: '8.00' });
  });

  it('错误输入 400 指明字段；计划状态 409；无权限 403；为他人报工需修改权限；其他公司 404', async () => {
    const task = await newTask('FG');
    const post = (who: AuthedClient, body: Record<string, unknown>, id = task.id) => who('post', `/api/v1/production-tasks/${id}/work-reports`).send(body);
    const cases: [Record<string, unknown>, string][] = [
      [{ goodQuantity: '-1', hours: '1' }, '良品数量'],
      [{ goodQuantity: '0', scrapQuantity: '0', hours: '0' }, '良品数量、报废数量和工时不能都为 0'],
      [{ goodQuantity: '1', hours: '25' }, '工时'],
      [{ goodQuantity: '1.5' }, '良品数量：必须是整数（个）'],
      [{ scrapQuantity: '-2', hours: '1' }, '报废数量'],
      [{ operation: '镀锌', goodQuantity: '1' }, '工序：只能是冷镦、包装之一'],
      [{ goodQuantity: '1', workDate: '2099-01-01' }, '作业日期'],
    ];
    for (const [body, text] of cases) {
      const res = await post(chen, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toContain(text);
    }
    const planned = await newTask('FG', false);
    const conflict = await post(chen, { goodQuantity: '1' }, planned.id);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toBe(`生产任务单 ${planned.number} 当前为「计划」，不能报工`);

    const sunId = (await t.database.system.user.findFirstOrThrow({ where: { username: 'sun.jh' } })).id;
    expect((await post(chen, { goodQuantity: '1', workerId: sunId })).status).toBe(403);
    const zhao = await as(t, 'zhao.ck'); // 仓管员: read + issue, no report
    const denied = await post(zhao, { goodQuantity: '1' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('没有报工的权限');
    const qian = await as(t, 'qian.kj'); // 会计: no production task permission at all
    expect((await qian('get', '/api/v1/work-reports')).status).toBe(403);
    expect((await qian('get', `/api/v1/production-tasks/${task.id}`)).status).toBe(403);
    expect((await sun('get', `/api/v1/production-tasks/${task.id}`)).body.state).toBe('released'); // nothing written

    const other = await createSecondCompany(t, uniqueCode('WRCO'));
    const company = await t.database.system.company.findFirstOrThrow({ where: { id: other.companyId } });
    const them = await as(t, other.adminUsername, { companyCode: company.code });
    expect((await post(them, { goodQuantity: '1' })).status).toBe(404);
    expect((await them('get', `/api/v1/production-tasks/${task.id}/work-reports`)).status).toBe(404);
    expect((await them('get', '/api/v1/work-reports')).body).toMatchObject({ total: 0, items: [] });
  });
});

describe('销售订单生产进度', () => {
  it('以销定产的任务：首次领料 → 订单时间线「生产中」并推送订单群；全部入库 → 「完工待发货」', async () => {
    const admin = await as(t, 'boss');
    const li = await as(t, 'li.xs');
    await admin('post', '/api/v1/notification-routes').send({ topic: 'order.progress', platform: 'lark', targetKind: 'group', targetId: 'oc_wr_progress', name: '报工订单群' }).expect(201);
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
    const so = await li('post', '/api/v1/sales-orders').send({ customerId, requestedDate: '2026-12-20', lines: [{ itemId: item.SOFG, quantity: '10' }] });
    expect(so.status, JSON.stringify(so.body)).toBe(201);
    const confirmed = await li('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const made = await sun('post', '/api/v1/production-tasks/from-sales-orders').send({ salesOrderLineIds: [confirmed.body.lines[0].id], materialWarehouseId: wh.WH01, warehouseId: wh.WH02 });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const task = made.body.tasks[0] as { id: string; number: string };
    expect((await sun('post', `/api/v1/production-tasks/${task.id}/release`)).status).toBe(200);
    const progress = async () => ((await li('get', `/api/v1/sales-orders/${so.body.id}`)).body.timeline as { kind: string; message: string }[])
      .filter((e) => e.kind.startsWith('production'));
    expect(await progress()).toEqual([]); // released is not started yet

    expect((await sun('post', `/api/v1/production-tasks/${task.id}/issue`).send({ quantity: '4' })).status).toBe(200);
    expect((await sun('post', `/api/v1/production-tasks/${task.id}/issue`).send({ quantity: '6' })).status).toBe(200); // started once only
    const started = `第 1 行 报工 SOFG 生产中：生产任务单 ${task.number}（10 个）已开工`;
    expect(await progress()).toEqual([expect.objectContaining({ kind: 'productionStarted', message: started })]);
    await planDeliveries(t.database, { debounceMs: 0 });
    const told = await t.database.system.noticeDelivery.findMany({ where: { targetId: 'oc_wr_progress', text: { contains: task.number } } });
    expect(told.map((n) => (n.text ?? '').split('\n').slice(0, 3))).toEqual([[`【销售订单 ${so.body.number} · 生产中】`, `单号：${so.body.number}`, `进展：${started}`]]);

    expect((await sun('post', `/api/v1/production-tasks/${task.id}/receipts`).send({ quantity: '3' })).status).toBe(200);
    expect(await progress()).toHaveLength(1); // a partial receipt is not 完工
    expect((await sun('post', `/api/v1/production-tasks/${task.id}/receipts`).send({ quantity: '7' })).body.state).toBe('completed');
    const done = `第 1 行 报工 SOFG 完工待发货：生产任务单 ${task.number} 已完工入库 10 个`;
    expect((await progress()).map((e) => [e.kind, e.message])).toEqual([['productionStarted', started], ['productionCompleted', done]]);
    await planDeliveries(t.database, { debounceMs: 0 });
    const all = await t.database.system.noticeDelivery.findMany({ where: { targetId: 'oc_wr_progress', text: { contains: task.number } }, orderBy: { id: 'asc' } });
    expect(all.map((n) => (n.text ?? '').split('\n')[0])).toEqual([`【销售订单 ${so.body.number} · 生产中】`, `【销售订单 ${so.body.number} · 完工待发货】`]);
  });

  it('MRP 生产建议直接追溯到订单行：投放的任务首次报工（并发两次）→ 该订单「生产中」一次（追溯数量）', async () => {
    const li = await as(t, 'li.xs');
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
    const so = await li('post', '/api/v1/sales-orders').send({ customerId, requestedDate: '2026-12-21', lines: [{ itemId: item.SOFG, quantity: '5' }] });
    const confirmed = await li('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    // a run's production suggestion of 8, 5 of them pegged to the order line (3 for safety stock)
    const sys = t.database.system;
    const companyId = (await sys.item.findUniqueOrThrow({ where: { id: item.SOFG } })).companyId;
    const sunId = (await sys.user.findFirstOrThrow({ where: { username: 'sun.jh', companyId } })).id;
    const run = await sys.mrpRun.create({ data: { companyId, state: 'completed', startedById: sunId, progress: 100, productionCount: 1 } });
    const suggestion = await sys.mrpSuggestion.create({
      data: {
        companyId, runId: run.id, itemId: item.SOFG!, kind: 'production', quantity: '8', orderDate: new Date('2026-12-15'), dueDate: new Date('2026-12-17'),
        // the pegging column's short keys (schema.prisma MrpSuggestion.pegging)
        pegging: [
          { k: 'salesOrder', r: `${so.body.number}/1`, s: confirmed.body.lines[0].id, q: '5' },
          { k: 'safetyStock', r: '安全库存', q: '3' },
        ],
      },
    });
    const released = await sun('post', '/api/v1/mrp/suggestions/release').send({ ids: [suggestion.id] });
    expect(released.status, JSON.stringify(released.body)).toBe(201);
    const task = released.body.productionTasks[0] as { id: string; number: string };
    expect((await sun('post', `/api/v1/production-tasks/${task.id}/release`)).status).toBe(200);
    // two first reports at once: the task's row lock lets one start the task, the order hears it once
    const both = await Promise.all([1, 2].map(() => chen('post', `/api/v1/production-tasks/${task.id}/work-reports`).send({ hours: '1' })));
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    const timeline = (await li('get', `/api/v1/sales-orders/${so.body.id}`)).body.timeline as { kind: string; message: string }[];
    expect(timeline.filter((e) => e.kind.startsWith('production')).map((e) => e.message)).toEqual([`第 1 行 报工 SOFG 生产中：生产任务单 ${task.number}（5 个）已开工`]);
  });
});
