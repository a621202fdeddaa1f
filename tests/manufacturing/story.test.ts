// Story 7 (以销定产), end to end through the HTTP API and the chat card on PostgreSQL: an order for
// 1,000 boxed bolts (3-level BOM: 成品 ← 镀锌件 ← 盘条, plus cartons) with 300 of them in stock →
// MRP suggests exactly the hand-computed quantities and dates → the planner group gets ONE card and
// taps 一键投放 (released once, whoever taps) → purchase (requisition → order → receipt) → the
// production tasks are released, kit-issued (配套领料; cartons 倒冲 on receipt), reported (报工 from
// the worker), received 待检 → 周质检 passes them (质检) → the order's timeline says 生产中 / 完工待发货
// → it ships in full → the
// month's cost close rolls the plated blanks' actual cost up into the bolts' (逐步综合结转); every
// figure (material values, provisional and actual unit costs) follows by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { handleMrpReleaseClick } from '../../bot/mrp/click.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let sun: AuthedClient; // 孙计划: BOM, MRP, production tasks
let wang: AuthedClient; // 王采购
let zhao: AuthedClient; // 赵仓管: receipts, issues, shipments
let admin: AuthedClient;
let chen: AuthedClient; // 陈工人: 报工 only
let qian: AuthedClient; // 钱会计: 成本计算
let zhou: AuthedClient; // 周质检
let companyId: string;
let tag: string;
const unit: Record<string, string> = {};
const item: Record<string, string> = {};
let supplierId: string;
let orderId: string;
let orderNumber: string;
let orderLineId: string;
let runId: string;
const task: Record<string, string> = {};

const day = (offset: number) => {
  const d = new Date(`${todayInShanghai()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
const D = 30; // requested date: today + 30, so no release date is in the past

async function newItem(key: string, fields: Record<string, unknown>) {
  const res = await sun('post', '/api/v1/items').send({ code: `${tag}-${key}`, name: `以销定产 ${key}`, kind: 'semiFinished', sourcing: 'make', baseUnitId: unit.PCS, ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

interface Sug { id: string; item: { code: string }; kind: string; quantity: string; orderDate: string; dueDate: string; pastDue: boolean; state: string; orders: string[] }
async function suggestions(): Promise<Sug[]> {
  const res = await sun('get', `/api/v1/mrp/suggestions?q=${tag}&pageSize=50`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as Sug[]).sort((a, b) => a.item.code.localeCompare(b.item.code));
}
const key = (s: Sug) => s.item.code.slice(tag.length + 1);

async function stockOf(itemId: string) {
  const rows = await t.database.system.stockBalance.findMany({ where: { companyId, itemId } });
  return rows.reduce((a, r) => a + Number(r.onHand), 0);
}

beforeAll(async () => {
  t = await createTestApp();
  [sun, wang, zhao, admin, chen, qian] = await Promise.all([as(t, 'sun.jh'), as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'admin'), as(t, 'chen.gr'), as(t, 'qian.kj')]);
  zhou = await as(t, 'zhou.zj');
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  supplierId = (await sys.supplier.findFirstOrThrow({ where: { companyId, code: 'S0001' } })).id;
  tag = uniqueCode('S7');
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  // 成品 FG (2 days) ← 1 镀锌件 ZN (3 days) + 1 carton CTN per 100 (倒冲; buy, 1 day, multiple 50);
  // ZN ← 12 kg 盘条 ROD per 1,000 with 4 % scrap (buy, 5 days).
  await newItem('FG', { kind: 'finished', leadTimeDays: 2, salePrice: '0.5', standardCost: '0.3', inspectionRequired: true });
  await newItem('ZN', { leadTimeDays: 3, standardCost: '0.2' });
  await newItem('CTN', { kind: 'raw', sourcing: 'buy', leadTimeDays: 1, orderMultiple: '50', standardCost: '2' });
  await newItem('ROD', { kind: 'raw', sourcing: 'buy', baseUnitId: unit.KG, leadTimeDays: 5, standardCost: '6.5' });
  const bom = async (parent: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) => {
    const res = await sun('post', '/api/v1/boms').send({ parentItemId: item[parent], validFrom: '2026-01-01', lines, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  await bom('FG', [{ componentItemId: item.ZN, quantity: '1' }, { componentItemId: item.CTN, quantity: '0.01', issueMethod: 'backflush' }]);
  await bom('ZN', [{ componentItemId: item.ROD, quantity: '12', scrapRate: '0.04' }], { batchQuantity: '1000' });
  // supplier prices: ROD 6.40/kg, CTN 2.10
  for (const [k, price] of [['ROD', '6.4'], ['CTN', '2.1']] as const) {
    const res = await wang('post', '/api/v1/supplier-prices').send({ supplierId, itemId: item[k], price, validFrom: '2026-01-01' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  // 300 boxed bolts (the order reserves all of them), 100 plated blanks free
  await addOpeningStock(t, [{ item: item.FG!, quantity: '300', unitCost: '0.3' }, { item: item.ZN!, quantity: '100', unitCost: '0.2', warehouse: 'WH01' }]);
  // the planner group hears of MRP runs
  await sys.notificationRoute.create({ data: { companyId, topic: 'mrp.completed', platform: 'lark', targetKind: 'group', targetId: `oc_${tag}`, name: '计划群' } });
  await sys.companyPlatform.upsert({ where: { platform_orgKey: { platform: 'lark', orgKey: 'tk_story7' } }, create: { companyId, platform: 'lark', orgKey: 'tk_story7' }, update: {} });
});
afterAll(async () => t?.close());

describe('以销定产：订单 → 物料需求 → 一键投放 → 采购入库 → 领料 → 完工入库 → 发货', () => {
  it('1000 个成品的订单：确认时预留库存 300', async () => {
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { companyId, code: 'C0001' } })).id;
    const draft = await admin('post', '/api/v1/sales-orders').send({ customerId, requestedDate: day(D), lines: [{ itemId: item.FG, unitId: unit.PCS, quantity: '1000' }] });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const confirmed = await admin('post', `/api/v1/sales-orders/${draft.body.id}/confirm`).send({});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.lines[0].reservedQuantity).toBe('300.0000');
    orderId = draft.body.id;
    orderNumber = confirmed.body.number;
    orderLineId = confirmed.body.lines[0].id;
  });

  it('物料需求计算：按手算的数量与日期，每条都追溯到这张订单', async () => {
    const run = await sun('post', '/api/v1/mrp/runs');
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    runId = run.body.id;
    // FG 1000 − 300 reserved = 700, due D, start D−2; ZN 700 − 100 free = 600, due D−2, start D−5;
    // CTN 700 × 0.01 = 7 → multiple 50, due D−2, order D−3; ROD 600 × 12 / 1000 / 0.96 = 7.5 kg, due D−5, order D−10
    expect((await suggestions()).map((s) => [key(s), s.kind, s.quantity, s.orderDate, s.dueDate, s.pastDue, s.orders])).toEqual([
      ['CTN', 'purchase', '50.0000', day(D - 3), day(D - 2), false, [orderNumber]],
      ['FG', 'production', '700.0000', day(D - 2), day(D), false, [orderNumber]],
      ['ROD', 'purchase', '7.5000', day(D - 10), day(D - 5), false, [orderNumber]],
      ['ZN', 'production', '600.0000', day(D - 5), day(D - 2), false, [orderNumber]],
    ]);
  });

  it('计划群收到一张卡片；20 人同时点一键投放只投放一次：采购建议成请购单，生产建议成两张任务单', async () => {
    await planDeliveries(t.database, { debounceMs: 0, platforms: ['lark'] });
    const event = await t.database.system.outboxEvent.findFirstOrThrow({ where: { companyId, type: 'mrp.completed', aggregateId: runId } });
    const cards = await t.database.system.noticeDelivery.findMany({ where: { companyId, eventId: event.id } });
    expect(cards.map((c) => c.targetId)).toEqual([`oc_${tag}`]);
    // the run covers the whole demo company, so the card's totals are the run's (ours are among them)
    const run = (await sun('get', `/api/v1/mrp/runs/${runId}`)).body;
    const amount = Number(run.purchaseAmount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(cards[0]!.text).toContain(`本次建议：采购 ${run.purchaseCount} 条 ¥${amount}，生产 ${run.productionCount} 条；${run.pastDueCount} 条开始日期已过`);

    const taps = await Promise.all(Array.from({ length: 20 }, (_, n) => handleMrpReleaseClick({ database: t.database }, {
      platform: 'lark', orgKey: 'tk_story7', operatorId: 'ou_sun.jh', value: { kind: 'mrpRelease', runId }, eventId: `evt-s7-${n}`,
    })));
    const won = taps.filter((r) => r?.toast.type === 'success');
    expect(won.length).toBe(1);
    const requisitions = await t.database.system.purchaseRequisition.findMany({ where: { companyId, lines: { some: { itemId: { in: [item.ROD!, item.CTN!] } } } }, include: { lines: true } });
    expect(requisitions.length).toBe(1);
    expect(requisitions[0]!.lines.filter((l) => l.itemId === item.CTN || l.itemId === item.ROD).map((l) => [l.itemId, l.baseQuantity.toString()]).sort())
      .toEqual([[item.CTN, '50'], [item.ROD, '7.5']].sort());
    expect(requisitions[0]!.lines.length).toBe(run.purchaseCount);

    // the same tap released the production suggestions as planned tasks (the planner may create them)
    expect(won[0]!.toast.content).toMatch(new RegExp(`^已投放：请购 ${run.purchaseCount} 条（请购单 ${requisitions[0]!.number}），生产任务 \\d+ 条`));
    const production = (await suggestions()).filter((s) => s.kind === 'production'); // ours only
    expect(production.map((s) => s.state)).toEqual(['released', 'released']);
    const tasks = await t.database.system.productionTask.findMany({ where: { companyId, itemId: { in: [item.FG!, item.ZN!] } } });
    for (const x of tasks) task[x.itemId === item.FG ? 'FG' : 'ZN'] = x.id;
    expect(tasks.map((x) => [x.itemId, x.quantity.toString(), x.state]).sort()).toEqual([[item.FG, '700', 'planned'], [item.ZN, '600', 'planned']].sort());

    // a rerun with everything on its way suggests nothing new
    expect((await sun('post', '/api/v1/mrp/runs')).status).toBe(201);
    expect((await suggestions()).filter((s) => s.state === 'suggested')).toEqual([]);
  });

  it('请购 → 采购订单（价目表含税价）→ 入库：盘条 7.5 kg ¥42.48，纸箱 50 个 ¥92.92（不含税）', async () => {
    const req = await t.database.system.purchaseRequisition.findFirstOrThrow({ where: { companyId, lines: { some: { itemId: item.ROD } } }, include: { lines: true } });
    expect((await sun('post', `/api/v1/purchase-requisitions/${req.id}/submit`)).status).toBe(200);
    const ours = req.lines.filter((l) => l.itemId === item.ROD || l.itemId === item.CTN).map((l) => ({ requisitionLineId: l.id }));
    const po = await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId, lines: ours });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    // 7.5 × 6.40 = 48.00 and 50 × 2.10 = 105.00 with 13 % VAT: 42.48 + 92.92 = 135.40 before tax
    expect(po.body).toMatchObject({ totalWithTax: '153.00', totalAmount: '135.40' });
    const confirmed = await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`);
    expect(confirmed.body.state).toBe('confirmed');
    const receipt = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({
      lines: po.body.lines.map((l: { id: string; quantity: string }) => ({ orderLineId: l.id, quantity: l.quantity })),
    });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    expect(await stockOf(item.ROD!)).toBe(7.5);
    expect(await stockOf(item.CTN!)).toBe(50);
  });

  it('镀锌件任务：下达 → 配套领料 7.5 kg 盘条（¥42.48）→ 完工入库 600 个（按标准成本暂估 ¥120.00）', async () => {
    const released = await sun('post', `/api/v1/production-tasks/${task.ZN}/release`);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.materials.map((m: { item: { id: string }; requiredQuantity: string }) => [m.item.id, m.requiredQuantity])).toEqual([[item.ROD, '7.5000']]);
    const issued = await zhao('post', `/api/v1/production-tasks/${task.ZN}/issue`).send({ quantity: '600' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body.materials[0]).toMatchObject({ issuedQuantity: '7.5000', issuedAmount: '42.48' });
    const report = await chen('post', `/api/v1/production-tasks/${task.ZN}/work-reports`).send({ goodQuantity: '600', hours: '6' });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const received = await zhao('post', `/api/v1/production-tasks/${task.ZN}/receipts`).send({ quantity: '600' });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body).toMatchObject({ state: 'completed', receivedQuantity: '600.0000', receivedAmount: '120.00', issuedAmount: '42.48' });
    expect(await stockOf(item.ZN!)).toBe(700);
  });

  it('成品任务：配套领料 700 个镀锌件（¥140.00），完工入库时倒冲 7 个纸箱（92.92 ÷ 50 × 7 = ¥13.01）', async () => {
    expect((await sun('post', `/api/v1/production-tasks/${task.FG}/release`)).status).toBe(200);
    const issued = await zhao('post', `/api/v1/production-tasks/${task.FG}/issue`).send({ quantity: '700' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const byItem = (body: { materials: { item: { id: string }; issuedQuantity: string; issuedAmount: string }[] }) =>
      Object.fromEntries(body.materials.map((m) => [m.item.id, [m.issuedQuantity, m.issuedAmount]]));
    expect(byItem(issued.body)).toEqual({ [item.ZN!]: ['700.0000', '140.00'], [item.CTN!]: ['0.0000', '0.00'] });
    expect((await chen('post', `/api/v1/production-tasks/${task.FG}/work-reports`).send({ goodQuantity: '700', hours: '4' })).status).toBe(201);
    const received = await zhao('post', `/api/v1/production-tasks/${task.FG}/receipts`).send({ quantity: '700' });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(byItem(received.body)).toEqual({ [item.ZN!]: ['700.0000', '140.00'], [item.CTN!]: ['7.0000', '13.01'] });
    expect(received.body).toMatchObject({ state: 'completed', issuedAmount: '153.01', receivedAmount: '210.00' });
  });

  it('成品需检验：入库为待检，不能发货；周质检收到检验单，全部合格后才可用', async () => {
    const early = await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({ lines: [{ orderLineId, quantity: '1000' }] });
    expect(early.status).toBe(409);
    const list = await zhou('get', `/api/v1/quality-inspections?state=open&q=${tag}-FG`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.items.map((i: { quantity: string; sourceType: string }) => [i.quantity, i.sourceType])).toEqual([['700.0000', 'productionReceipt']]);
    const passed = await zhou('post', `/api/v1/quality-inspections/${list.body.items[0].id}/results`).send({ passedQuantity: '700' });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    expect(passed.body).toMatchObject({ state: 'done', passedQuantity: '700.0000', pendingQuantity: '0.0000' });
  });

  it('订单时间线：成品任务开工「生产中」，全部入库「完工待发货」', async () => {
    const order = await admin('get', `/api/v1/sales-orders/${orderId}`);
    const fgTask = await t.database.system.productionTask.findUniqueOrThrow({ where: { id: task.FG } });
    expect(order.body.timeline.filter((e: { kind: string }) => e.kind.startsWith('production')).map((e: { message: string }) => e.message)).toEqual([
      `第 1 行 以销定产 FG 生产中：生产任务单 ${fgTask.number}（700 个）已开工`,
      `第 1 行 以销定产 FG 完工待发货：生产任务单 ${fgTask.number} 已完工入库 700 个`,
    ]);
  });

  it('订单可全部发货：1000 个', async () => {
    const shipped = await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({ lines: [{ orderLineId, quantity: '1000' }] });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
    expect(await stockOf(item.FG!)).toBe(0);
    const order = await admin('get', `/api/v1/sales-orders/${orderId}`);
    expect(order.body.lines[0].shippedQuantity).toBe('1000.0000');
  });

  it('BOM 成本卷积（标准成本）：每个成品 12 ÷ 1000 ÷ 0.96 kg × 6.50 + 0.01 × 2.00 = 0.10125', async () => {
    const res = await sun('get', `/api/v1/boms/${item.FG}/cost-rollup?basis=standard&quantity=1000`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ total: '101.25', unitCost: '0.101250', fallbacks: 0 });
  });

  it('月末成本计算：人工 100、制造费用 50 按工时 6 : 4 分配；镀锌件的实际成本差额结转进成品的材料', async () => {
    const period = todayInShanghai().slice(0, 7);
    const res = await qian('post', '/api/v1/cost-closes').send({ period, labourPool: '100', overheadPool: '50', basis: 'hours' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const line = (id: string) => res.body.lines.find((l: { task: { id: string } }) => l.task.id === id);
    // ZN: 42.48 + 60 + 30 = 132.48 for 600 → 0.220800; received at 0.20 = 120.00 → +12.48, all of it
    // issued to the FG task in the month (700 on hand: 100 opening + 600 made, all 700 issued)
    expect(line(task.ZN!)).toMatchObject({
      material: '42.48', hours: '6.00', labour: '60.00', overhead: '30.00', actualTotal: '132.48', unitCost: '0.220800',
      completedValue: '132.48', provisionalValue: '120.00', wip: '0.00', revaluation: '12.48', toStock: '0.00', toCostOfSales: '0.00',
    });
    // FG: 140.00 + 13.01 + 12.48 = 165.49 material, + 40 + 20 = 225.49 for 700 → 0.322129; at 0.30 = 210.00 →
    // +15.49, all shipped (1000 of 1000 on hand left) → cost of sales
    expect(line(task.FG!)).toMatchObject({
      material: '165.49', hours: '4.00', labour: '40.00', overhead: '20.00', actualTotal: '225.49', unitCost: '0.322129',
      completedValue: '225.49', provisionalValue: '210.00', revaluation: '15.49', toStock: '0.00', toCostOfSales: '15.49',
    });
    expect(res.body).toMatchObject({ taskCount: 2, revaluationToStock: '0.00', revaluationToCostOfSales: '15.49' });
  });
});
