// 生产任务单 through the HTTP API on PostgreSQL: a 3-level BOM (成品 ← 跳层坯料 ← 盘条 kg with scrap,
// + 螺母 with line scrap, + a made 半成品 that stays one material, + a backflushed carton) with stock →
// batch from sales order lines (once under concurrent calls) → create → release (materials hand-computed) → 配套领料 (exact stock moves) → partial receipt with
// backflush → complete (outbox event); short stock refused with nothing issued; the same kit issued
// twice in parallel issues once; without a quantity the kit-able quantity of the material warehouse is
// issued; permissions; another company sees nothing; bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { hashPassword } from '../../server/platform/auth.ts';
import { as, createSecondCompany, DEMO_PASSWORD, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { putStock, stockLevelOf } from '../helpers/stock.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员
let zhao: AuthedClient; // 仓管员: read + issue/receipt
const unit: Record<string, string> = {};
const item: Record<string, string> = {};
const code: Record<string, string> = {};
const wh: Record<string, string> = {};

async function newItem(key: string, fields: Record<string, unknown>) {
  code[key] = uniqueCode(`PT-${key}`);
  const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `生产 ${key}`, kind: 'semiFinished', sourcing: 'make', baseUnitId: unit.PCS, scrapRate: '0', ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

async function createBom(parent: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const res = await sun('post', '/api/v1/boms').send({ parentItemId: item[parent], validFrom: '2026-01-01', lines, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const on = async (key: string, w = 'WH01') => (await stockLevelOf(t, item[key]!, wh[w]!)).onHand;

async function newTask(quantity: string, extra: Record<string, unknown> = {}) {
  const res = await sun('post', '/api/v1/production-tasks').send({
    itemId: item.FG, quantity, materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart: '2026-12-10', plannedFinish: '2026-12-12', ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string; state: string };
}

async function released(quantity: string) {
  const task = await newTask(quantity);
  const res = await sun('post', `/api/v1/production-tasks/${task.id}/release`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  t = await createTestApp();
  [sun, zhao] = await Promise.all([as(t, 'sun.jh'), as(t, 'zhao.ck')]);
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  for (const w of (await sun('get', '/api/v1/warehouses?pageSize=200')).body.items) wh[w.code] = w.id;
  await newItem('FG', { kind: 'finished', standardCost: '2', salePrice: '5', leadTimeDays: 2 });
  await newItem('PH', {});
  await newItem('SUB', {});
  await newItem('ROD', { kind: 'raw', sourcing: 'buy', baseUnitId: unit.KG, scrapRate: '0.04' });
  await newItem('NUT', { kind: 'raw', sourcing: 'buy' });
  await newItem('CTN', { kind: 'raw', sourcing: 'buy' });
  // FG ← PH × 1 (phantom) + NUT × 2 (line scrap 20 %) + SUB × 1 (made: one material) + CTN 0.01 (backflush)
  // PH ← ROD 0.012 kg (item scrap 4 %); SUB ← NUT × 1 (not a material of FG's task)
  await createBom('FG', [
    { componentItemId: item.PH, quantity: '1', phantom: true },
    { componentItemId: item.NUT, quantity: '2', scrapRate: '0.2' },
    { componentItemId: item.SUB, quantity: '1' },
    { componentItemId: item.CTN, quantity: '0.01', issueMethod: 'backflush' },
  ]);
  await createBom('PH', [{ componentItemId: item.ROD, quantity: '0.012' }]);
  await createBom('SUB', [{ componentItemId: item.NUT, quantity: '1' }]);
  await putStock(t, { itemCode: code.ROD!, warehouseCode: 'WH01', quantity: '10', unitCost: '8' });
  await putStock(t, { itemCode: code.NUT!, warehouseCode: 'WH01', quantity: '1000', unitCost: '0.1' });
  await putStock(t, { itemCode: code.SUB!, warehouseCode: 'WH01', quantity: '200', unitCost: '1.5' });
  await putStock(t, { itemCode: code.CTN!, warehouseCode: 'WH01', quantity: '5', unitCost: '2' });
}, 60_000);
afterAll(async () => t?.close());

describe('生产任务单', () => {
  it('以销定产：按销售订单行批量生成（并发两次只生成一次）；已由库存预留的行没有待生产数量', async () => {
    const li = await as(t, 'li.xs');
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
    const so = await li('post', '/api/v1/sales-orders').send({ customerId, requestedDate: '2026-12-20', lines: [{ itemId: item.FG, quantity: '50' }, { itemId: item.NUT, quantity: '10' }] });
    expect(so.status, JSON.stringify(so.body)).toBe(201);
    const confirmed = await li('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const [fgLine, nutLine] = confirmed.body.lines.map((l: { id: string }) => l.id);
    const body = { salesOrderLineIds: [fgLine], materialWarehouseId: wh.WH01, warehouseId: wh.WH02 };
    const replies = await Promise.all([1, 2].map(() => sun('post', '/api/v1/production-tasks/from-sales-orders').send(body)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    const won = replies.find((r) => r.status === 201)!.body;
    expect(won.tasks).toMatchObject([{ salesOrderLineId: fgLine, quantity: '50.0000' }]);
    expect(replies.find((r) => r.status === 409)!.body.error.message).toBe(`所选销售订单行已有生产任务单 ${won.tasks[0].number}`);
    const task = await sun('get', `/api/v1/production-tasks/${won.tasks[0].id}`);
    // finishes on the requested date, starts the item's 2-day lead time before; 50 FG need 0.625 kg ROD
    expect(task.body).toMatchObject({ state: 'planned', sourceKind: 'salesOrder', plannedStart: '2026-12-18', plannedFinish: '2026-12-20', remark: `以销定产：${so.body.number}/1` });
    expect(task.body.materials[0]).toMatchObject({ item: { code: code.ROD }, requiredQuantity: '0.6250' });
    // a bought item (no BOM) cannot be made; a line of no confirmed order is refused by position
    const bought = await sun('post', '/api/v1/production-tasks/from-sales-orders').send({ ...body, salesOrderLineIds: [nutLine] });
    expect(bought.status).toBe(400);
    expect(bought.body.error.message).toBe(`销售订单行 第 1 项：物料 ${code.NUT} 在 2026-12-20 没有有效的 BOM 版本`);
    const unknown = await sun('post', '/api/v1/production-tasks/from-sales-orders').send({ ...body, salesOrderLineIds: ['0b8f5c1e-6a57-4f0e-9a53-3c7a4d0f2b11'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('销售订单行 第 1 项：不存在、未审核，或已全部发货或由库存预留，没有待生产的数量');
    expect((await sun('post', `/api/v1/production-tasks/${won.tasks[0].id}/cancel`)).body.state).toBe('cancelled');
  });

  it('以销定产只能用自己数据范围内的销售订单行（范围外的读作不存在，也不透露已有任务）；没有查看销售订单权限 → 403', async () => {
    const sys = t.database.system;
    const companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    const li = await as(t, 'li.xs');
    const customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
    const so = await li('post', '/api/v1/sales-orders').send({ customerId, requestedDate: '2026-12-20', lines: [{ itemId: item.FG, quantity: '20' }] });
    const line = (await li('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({})).body.lines[0].id as string;
    const user = async (username: string, dataScope: 'own' | 'all', permissions: string[]) => {
      const role = await sys.role.create({ data: { companyId, code: uniqueCode('PLN'), name: '车间计划', dataScope, permissions } });
      await sys.user.create({
        data: { companyId, username, passwordHash: await hashPassword(DEMO_PASSWORD), name: '车间计划', employeeNo: uniqueCode('E'), roles: { create: [{ companyId, roleId: role.id }] } },
      });
      return as(t, username);
    };
    const body = { salesOrderLineIds: [line], materialWarehouseId: wh.WH01, warehouseId: wh.WH02 };
    const own = await user(uniqueCode('pln.own').toLowerCase(), 'own', ['productionTask:read', 'productionTask:create', 'salesOrder:read']);
    const before = await sys.productionTask.count();
    const refused = await own('post', '/api/v1/production-tasks/from-sales-orders').send(body);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('销售订单行 第 1 项：不存在、未审核，或已全部发货或由库存预留，没有待生产的数量');
    const blind = await user(uniqueCode('pln.blind').toLowerCase(), 'all', ['productionTask:read', 'productionTask:create']);
    const denied = await blind('post', '/api/v1/production-tasks/from-sales-orders').send(body);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('没有查看销售订单的权限');
    expect(await sys.productionTask.count()).toBe(before);
    // the planner (all orders) makes the task; the own-scope user then still cannot tell it exists
    const made = await sun('post', '/api/v1/production-tasks/from-sales-orders').send(body);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const again = await own('post', '/api/v1/production-tasks/from-sales-orders').send(body);
    expect([again.status, again.body.error.message]).toEqual([400, refused.body.error.message]);
    expect((await sun('post', `/api/v1/production-tasks/${made.body.tasks[0].id}/cancel`)).body.state).toBe('cancelled');
  });

  it('新建 → 下达（用料按 BOM 手算）→ 配套领料 → 部分完工入库并倒冲 → 完工', async () => {
    const task = await newTask('100');
    expect(task).toMatchObject({ state: 'planned', number: expect.stringMatching(/^MO-\d{8}-\d{4}$/) });
    const rel = await sun('post', `/api/v1/production-tasks/${task.id}/release`);
    expect(rel.status, JSON.stringify(rel.body)).toBe(200);
    // 100 FG: ROD 100 × 0.012 / 0.96 = 1.25 kg (through the phantom); NUT 100 × 2 / 0.8 = 250;
    // SUB 100 (its own NUT is not FG's material); CTN 100 × 0.01 = 1, backflushed
    expect(rel.body.state).toBe('released');
    expect(rel.body.materials.map((m: { item: { code: string }; requiredQuantity: string; issueMethod: string }) => [m.item.code, m.requiredQuantity, m.issueMethod])).toEqual([
      [code.ROD, '1.2500', 'kit'], [code.NUT, '250.0000', 'kit'], [code.SUB, '100.0000', 'kit'], [code.CTN, '1.0000', 'backflush'],
    ]);

    // kit for 40: ROD 0.5 (¥4.00), NUT 100 (¥10.00), SUB 40 (¥60.00); the carton waits for the receipt
    const kit = await zhao('post', `/api/v1/production-tasks/${task.id}/issue`).send({ quantity: '40' });
    expect(kit.status, JSON.stringify(kit.body)).toBe(200);
    expect(kit.body).toMatchObject({ state: 'inProgress', kittedQuantity: '40.0000', issuedAmount: '74.00' });
    expect(kit.body.materials.map((m: { issuedQuantity: string; issuedAmount: string }) => [m.issuedQuantity, m.issuedAmount])).toEqual([
      ['0.5000', '4.00'], ['100.0000', '10.00'], ['40.0000', '60.00'], ['0.0000', '0.00'],
    ]);
    expect([await on('ROD'), await on('NUT'), await on('SUB'), await on('CTN')]).toEqual(['9.5000', '900.0000', '160.0000', '5.0000']);

    // receipt of 30 at the standard cost 2 (¥60.00); the carton's 30 % share 0.3 rounds up to 1 whole carton (¥2.00)
    const part = await zhao('post', `/api/v1/production-tasks/${task.id}/receipts`).send({ quantity: '30' });
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body).toMatchObject({ state: 'inProgress', receivedQuantity: '30.0000', receivedAmount: '60.00', issuedAmount: '76.00' });
    expect([await on('FG', 'WH02'), await on('CTN')]).toEqual(['30.0000', '4.0000']);

    const over = await zhao('post', `/api/v1/production-tasks/${task.id}/receipts`).send({ quantity: '71' });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toBe('数量不能超过未入库的 70.0000');

    expect((await zhao('post', `/api/v1/production-tasks/${task.id}/issue`).send({ quantity: '60' })).status).toBe(200);
    expect([await on('ROD'), await on('NUT'), await on('SUB')]).toEqual(['8.7500', '750.0000', '100.0000']);
    const done = await zhao('post', `/api/v1/production-tasks/${task.id}/receipts`).send({ quantity: '70' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ state: 'completed', receivedQuantity: '100.0000', receivedAmount: '200.00', issuedAmount: '187.00' });
    expect([await on('FG', 'WH02'), await on('CTN')]).toEqual(['100.0000', '4.0000']);
    expect(done.body.timeline.map((e: { action: string }) => e.action)).toEqual(['create', 'release', 'issue', 'receive', 'issue', 'receive']);

    const event = await t.database.system.outboxEvent.findFirst({ where: { type: 'production.completed', aggregateId: task.id } });
    expect(event?.payload).toMatchObject({ number: task.number, quantity: '100.0000' });
    const moves = await t.database.system.stockMove.count({ where: { sourceType: 'productionTask', sourceId: task.id } });
    expect(moves).toBe(3 + 1 + 3 + 1 + 1);

    const closed = await sun('post', `/api/v1/production-tasks/${task.id}/close`);
    expect(closed.body.state).toBe('closed');
    const list = await zhao('get', `/api/v1/production-tasks?q=${task.number}&state=closed`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: task.id, stateLabel: '已关闭' }] });
  });

  it('同一套料并发领两次只领一次；库存不足整单不发', async () => {
    // 10 FG: ROD 0.125, NUT 25, SUB 10
    const task = await released('10');
    const before = [await on('ROD'), await on('NUT'), await on('SUB')];
    const replies = await Promise.all([1, 2].map(() => zhao('post', `/api/v1/production-tasks/${task.id}/issue`).send({ quantity: '10' })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(replies.find((r) => r.status === 409)!.body.error.message).toBe(`生产任务单 ${task.number} 已全部配套领料`);
    expect(before).toEqual(['8.7500', '750.0000', '100.0000']);
    expect([await on('ROD'), await on('NUT'), await on('SUB')]).toEqual(['8.6250', '725.0000', '90.0000']);

    // 300 FG: ROD 3.75 is there, NUT 750 is not (725): the ROD line is not issued either
    const big = await released('300');
    const short = await zhao('post', `/api/v1/production-tasks/${big.id}/issue`).send({ quantity: '300' });
    expect(short.status).toBe(409);
    expect(short.body.error.message).toBe(`配套领料未执行，没有发出任何物料：库存不足：生产 NUT在该仓库的结存不足 750`);
    expect([await on('ROD'), await on('NUT'), await on('SUB')]).toEqual(['8.6250', '725.0000', '90.0000']);
    const after = await sun('get', `/api/v1/production-tasks/${big.id}`);
    expect(after.body).toMatchObject({ state: 'released', kittedQuantity: '0.0000', issuedAmount: '0.00' });
  });

  it('不填数量 = 按领料仓库现在能配齐的套数配套领料（并发两次只领一次）；一套也配不齐 → 400 说出瓶颈物料', async () => {
    // SUB also lies in 成品仓 WH02: not the task's material warehouse, not counted
    await putStock(t, { itemCode: code.SUB!, warehouseCode: 'WH02', quantity: '50', unitCost: '1.5' });
    // 100 FG need ROD 1.25, NUT 250, SUB 100 (CTN is backflushed); WH01 has ROD 8.625, NUT 725, SUB 90 → 90 sets, SUB limits
    // 90 sets take ROD 1.25 × 90 / 100 = 1.125 (¥9.00), NUT 225 (¥22.50), SUB 90 (¥135.00)
    const task = await released('100');
    expect(task.kitableQuantity).toBe('90.0000'); // the detail says what an issue without a quantity takes
    // twice at once: the second waits for the task's lock, then finds no set left to kit
    const replies = await Promise.all([1, 2].map(() => zhao('post', `/api/v1/production-tasks/${task.id}/issue`).send({})));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400]);
    const kit = replies.find((r) => r.status === 200)!;
    expect(kit.body).toMatchObject({ state: 'inProgress', kittedQuantity: '90.0000', issuedAmount: '166.50' });
    expect(kit.body.materials.map((m: { issuedQuantity: string }) => m.issuedQuantity)).toEqual(['1.1250', '225.0000', '90.0000', '0.0000']);
    expect([await on('ROD'), await on('NUT'), await on('SUB'), await on('SUB', 'WH02')]).toEqual(['7.5000', '500.0000', '0.0000', '50.0000']);

    const none = replies.find((r) => r.status === 400)!;
    expect(none.body.error.message).toBe(`生产任务单 ${task.number} 现在一套也配不齐（原材料仓的可用库存）：${code.SUB} 生产 SUB 可用 0 个，未领 10 个`);
    expect([await on('ROD'), await on('NUT'), await on('SUB')]).toEqual(['7.5000', '500.0000', '0.0000']);
    expect((await sun('get', `/api/v1/production-tasks/${task.id}`)).body).toMatchObject({ kittedQuantity: '90.0000', kitableQuantity: '0.0000' });
  });

  it('输入有误 400（按字段中文名说明）；没有相应权限的下达、入库、关闭、取消、以销定产都 403；另一家公司看不到', async () => {
    const zero = await sun('post', '/api/v1/production-tasks').send({
      itemId: item.FG, quantity: '0', materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart: '2026-12-10', plannedFinish: '2026-12-09',
    });
    expect(zero.status).toBe(400);
    expect(zero.body.error.message).toContain('数量');
    expect(zero.body.error.message).toContain('计划完工日期');
    const noBom = await sun('post', '/api/v1/production-tasks').send({
      itemId: item.ROD, quantity: '1', materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart: '2026-12-10', plannedFinish: '2026-12-10',
    });
    expect(noBom.status).toBe(400);
    expect(noBom.body.error.message).toBe(`物料 ${code.ROD} 在 2026-12-10 没有有效的 BOM 版本`);
    const task = await released('5');
    const half = await zhao('post', `/api/v1/production-tasks/${task.id}/receipts`).send({ quantity: '1.5' });
    expect(half.status).toBe(400);
    expect(half.body.error.message).toBe('数量必须是整数（个）');
    const negative = await zhao('post', `/api/v1/production-tasks/${task.id}/issue`).send({ quantity: '-1' });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toContain('数量');

    const li = await as(t, 'li.xs');
    expect((await li('get', '/api/v1/production-tasks')).status).toBe(403);
    expect((await li('post', `/api/v1/production-tasks/${task.id}/issue`).send({ quantity: '1' })).status).toBe(403);
    expect((await zhao('post', '/api/v1/production-tasks').send({})).status).toBe(403);
    // every write by someone without its permission: 403 naming the action, before the body is read, nothing changed
    const [wang, chen] = await Promise.all([as(t, 'wang.cg'), as(t, 'chen.gr')]);
    const before = await t.database.system.productionTask.findUniqueOrThrow({ where: { id: task.id } });
    const taskCount = await t.database.system.productionTask.count();
    const denied: [AuthedClient, string, string][] = [
      [zhao, `/api/v1/production-tasks/${task.id}/release`, '没有修改生产任务单的权限'], // 仓管员: read + issue only
      [zhao, `/api/v1/production-tasks/${task.id}/close`, '没有修改生产任务单的权限'],
      [zhao, `/api/v1/production-tasks/${task.id}/cancel`, '没有修改生产任务单的权限'],
      [zhao, '/api/v1/production-tasks/from-sales-orders', '没有新增生产任务单的权限'],
      [chen, `/api/v1/production-tasks/${task.id}/receipts`, '没有生产领料和完工入库的权限'], // 车间工人: report only
      [chen, `/api/v1/production-tasks/${task.id}/cancel`, '没有修改生产任务单的权限'],
      [wang, `/api/v1/production-tasks/${task.id}/receipts`, '没有生产领料和完工入库的权限'], // 采购员: no task rights
      [wang, '/api/v1/production-tasks/from-sales-orders', '没有新增生产任务单的权限'],
      [li, `/api/v1/production-tasks/${task.id}/release`, '没有修改生产任务单的权限'],
    ];
    for (const [who, url, message] of denied) {
      const res = await who('post', url).send({ quantity: '1', salesOrderLineIds: [], version: before.version });
      expect([url, res.status, res.body.error?.message]).toEqual([url, 403, message]);
    }
    const after = await t.database.system.productionTask.findUniqueOrThrow({ where: { id: task.id } });
    expect([after.state, after.version, after.receivedQuantity.toString(), await t.database.system.productionTask.count()]).toEqual([before.state, before.version, before.receivedQuantity.toString(), taskCount]);

    const other = await createSecondCompany(t, uniqueCode('PTCO'));
    const company = await t.database.system.company.findFirstOrThrow({ where: { id: other.companyId } });
    const them = await as(t, other.adminUsername, { companyCode: company.code });
    expect((await them('get', '/api/v1/production-tasks')).body).toMatchObject({ total: 0, items: [] });
    expect((await them('get', `/api/v1/production-tasks/${task.id}`)).status).toBe(404);
    expect((await them('post', `/api/v1/production-tasks/${task.id}/issue`).send({ quantity: '1' })).status).toBe(404);
  });
});
