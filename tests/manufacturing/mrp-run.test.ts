// 物料需求计算 through the HTTP API on PostgreSQL: a 3-level bolt (boxed bolt ← plated blank ← wire
// rod, plus cartons) with partial stock and a confirmed order for 1,000 bolts (300 of them reserved
// from stock on confirmation) → exactly the hand-computed suggestions, dates and pegging; a rerun
// with nothing changed gives the same set, after firming nothing new; release of purchase
// suggestions makes one requisition under 50 concurrent taps; two runs at once → one is told who
// runs; permissions; another company sees nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, DEMO_PASSWORD, uniqueCode, type AuthedClient } from '../helpers/factories.ts';
import { hashPassword } from '../../server/platform/auth.ts';
import { addOpeningStock } from '../helpers/stock.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { handleMrpReleaseClick } from '../../bot/mrp/click.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员: mrp:read/run/write, bom:write, item:create
let admin: AuthedClient;
let companyId: string;
let tag: string;
const unit: Record<string, string> = {};
const item: Record<string, string> = {};
const code: Record<string, string> = {};
let orderNumber: string;

const day = (offset: number) => {
  const d = new Date(`${todayInShanghai()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
const D = 20; // the order's requested date: today + 20

async function newItem(key: string, fields: Record<string, unknown>) {
  code[key] = `${tag}-${key}`;
  const res = await sun('post', '/api/v1/items').send({ code: code[key], name: `需求计划测试 ${key}`, kind: 'semiFinished', sourcing: 'make', baseUnitId: unit.PCS, ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  item[key] = res.body.id;
}

async function createBom(parent: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const res = await sun('post', '/api/v1/boms').send({ parentItemId: item[parent], validFrom: '2026-01-01', lines, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

interface Sug { id: string; item: { code: string }; kind: string; released?: { type: string } | null; quantity: string; orderDate: string; dueDate: string; pastDue: boolean; state: string; orders: string[]; version: number; pegging: { demandKind: string; ref: string | null; quantity: string }[] }

async function mine(query = ''): Promise<Sug[]> {
  const res = await sun('get', `/api/v1/mrp/suggestions?q=${tag}&pageSize=200${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as Sug[]).sort((a, b) => a.item.code.localeCompare(b.item.code) || a.dueDate.localeCompare(b.dueDate));
}
const brief = (s: Sug[]) => s.map((x) => [x.item.code.slice(tag.length + 1), x.kind, x.quantity, x.orderDate, x.dueDate, x.pastDue, x.state]);

/** 一键投放 tapped on the lark card by a bound user */
const tapRelease = (runId: string, operatorId: string, n: number) => handleMrpReleaseClick({ database: t.database }, {
  platform: 'lark', orgKey: 'tk_mrp_test', operatorId, value: { kind: 'mrpRelease', runId }, eventId: `evt-mrp-${runId}-${n}`,
});

/** A user of the demo company with just these permissions, bound on lark as ou_<username> */
async function boundUser(username: string, permissions: string[]) {
  const sys = t.database.system;
  const dept = await sys.department.findFirstOrThrow({ where: { companyId, code: 'D05' } });
  const role = await sys.role.create({ data: { companyId, code: uniqueCode('R'), name: `测试角色 ${username}`, dataScope: 'all', permissions } });
  await sys.user.create({
    data: {
      companyId, username, passwordHash: await hashPassword(DEMO_PASSWORD), name: `测试 ${username}`, employeeNo: uniqueCode('E').slice(0, 20), departmentId: dept.id,
      roles: { create: [{ companyId, roleId: role.id }] },
      identities: { create: [{ companyId, platform: 'lark', externalUserId: `ou_${username}` }] },
    },
  });
}

async function run(client = sun) {
  const res = await client('post', '/api/v1/mrp/runs');
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

beforeAll(async () => {
  t = await createTestApp();
  sun = await as(t, 'sun.jh');
  admin = await as(t, 'admin');
  companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  tag = uniqueCode('MRPT');
  for (const u of (await sun('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  // FG 成品螺栓 (2 days) ← 1 ZN 镀锌件 (3 days) + 1 CTN per 100 (buy, 1 day, multiple 50);
  // ZN ← 12 kg ROD per 1000 with 4 % scrap (buy, 18 days: its release date is already past).
  await newItem('FG', { kind: 'finished', leadTimeDays: 2, salePrice: '0.5' });
  await newItem('ZN', { leadTimeDays: 3 });
  await newItem('CTN', { kind: 'raw', sourcing: 'buy', leadTimeDays: 1, orderMultiple: '50', standardCost: '2' });
  await newItem('ROD', { kind: 'raw', sourcing: 'buy', baseUnitId: unit.KG, leadTimeDays: 18, standardCost: '6.5' });
  await createBom('FG', [{ componentItemId: item.ZN, quantity: '1' }, { componentItemId: item.CTN, quantity: '0.01' }]);
  await createBom('ZN', [{ componentItemId: item.ROD, quantity: '12', scrapRate: '0.04' }], { batchQuantity: '1000' });
  // 300 finished bolts (all reserved by the order below), 100 plated blanks free
  await addOpeningStock(t, [{ item: item.FG!, quantity: '300', unitCost: '0.3' }, { item: item.ZN!, quantity: '100', unitCost: '0.2', warehouse: 'WH01' }]);
  const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { companyId, code: 'C0001' } })).id;
  const draft = await admin('post', '/api/v1/sales-orders').send({ customerId, requestedDate: day(D), lines: [{ itemId: item.FG, unitId: unit.PCS, quantity: '1000' }] });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const confirmed = await admin('post', `/api/v1/sales-orders/${draft.body.id}/confirm`).send({});
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  expect(confirmed.body.lines[0].reservedQuantity).toBe('300.0000');
  orderNumber = confirmed.body.number;
});
afterAll(async () => t?.close());

describe('物料需求计算', () => {
  it('两个同时运行：一个运行，另一个被告知谁在运行；运行中可读进度；运行中修改 BOM 被拒绝且不写入', async () => {
    const sys = t.database.system;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // hold the BOM lock (as a BOM edit does), so the winner stays "running" while the other asks
    const holder = sys.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`bom:${companyId}`}, 0))`;
      locked();
      await gate;
    }, { timeout: 20_000 });
    await isLocked;
    const a = sun('post', '/api/v1/mrp/runs').then((r) => r);
    const b = sun('post', '/api/v1/mrp/runs').then((r) => r);
    const first = await Promise.race([a, b]);
    expect(first.status).toBe(409);
    expect(first.body.error.message).toMatch(/^孙计划 正在运行物料需求计算（\d\d:\d\d 开始），请等它完成后再运行$/);
    // the run is read while it runs: its progress row is written in transactions of its own
    let runs = await sun('get', '/api/v1/mrp/runs?pageSize=1');
    for (let i = 0; i < 50 && runs.body.items[0].progress < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      runs = await sun('get', '/api/v1/mrp/runs?pageSize=1');
    }
    expect(runs.body.items[0]).toMatchObject({ state: 'running', stateLabel: '运行中', startedBy: { name: '孙计划' }, finishedAt: null, progress: 5, stage: '等待正在进行的 BOM 修改完成' });
    expect((await sun('get', `/api/v1/mrp/runs/${runs.body.items[0].id}`)).body).toMatchObject({ state: 'running', progress: 5 });
    // a BOM edit while the run is on: refused, naming the run, nothing written
    const fgBom = (await sun('get', `/api/v1/boms?q=${code.FG}`)).body.items[0];
    const before = (await sun('get', `/api/v1/boms/${fgBom.id}`)).body;
    const v = before.versions[0];
    const edit = await sun('patch', `/api/v1/boms/${fgBom.id}/versions/${v.id}`).send({ version: v.version, validTo: '2099-12-31' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toMatch(/^孙计划 正在运行物料需求计算（\d\d:\d\d 开始），BOM 暂不能修改，请在计算完成后再保存$/);
    expect((await sun('get', `/api/v1/boms/${fgBom.id}`)).body).toEqual(before);
    open();
    await holder;
    const statuses = (await Promise.all([a, b])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const done = await sun('get', `/api/v1/mrp/runs/${runs.body.items[0].id}`);
    expect(done.body).toMatchObject({ state: 'completed', progress: 100, stage: '完成', error: null });
    // once it is done the same edit goes through (and is undone: later tests use this BOM)
    const later = await sun('patch', `/api/v1/boms/${fgBom.id}/versions/${v.id}`).send({ version: v.version, validTo: '2099-12-31' });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    const undo = await sun('patch', `/api/v1/boms/${fgBom.id}/versions/${v.id}`).send({ version: later.body.versions[0].version, validTo: null });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
  });

  it('1000 个成品：预留的库存不算可用，逐层净算、批量倍数、损耗、提前期与过期标记都按手算', async () => {
    const result = await run();
    expect(result).toMatchObject({ state: 'completed', progress: 100 });
    const s = await mine();
    // FG: 1000 − 300 reserved (not free) = 700, due day D, released D−2
    // CTN: 700 × 0.01 = 7 → multiple 50 → 50, due D−2, released D−3
    // ZN: 700 − 100 free = 600, due D−2, released D−5
    // ROD: 600 × 12 / 1000 / (1 − 0.04) = 7.5 kg, due D−5, released D−23 (3 days ago: past due)
    expect(brief(s)).toEqual([
      ['CTN', 'purchase', '50.0000', day(D - 3), day(D - 2), false, 'suggested'],
      ['FG', 'production', '700.0000', day(D - 2), day(D), false, 'suggested'],
      ['ROD', 'purchase', '7.5000', day(D - 23), day(D - 5), true, 'suggested'],
      ['ZN', 'production', '600.0000', day(D - 5), day(D - 2), false, 'suggested'],
    ]);
    const fg = s.find((x) => x.item.code.endsWith('-FG'))!;
    expect(fg.pegging).toEqual([{ demandKind: 'salesOrder', ref: `${orderNumber}/1`, parentSuggestionId: null, quantity: '700.0000' }]);
    // every suggestion shows the order it is ultimately for, through its parents
    for (const x of s) expect(x.orders).toEqual([orderNumber]);
    const ctn = s.find((x) => x.item.code.endsWith('-CTN'))!;
    expect(ctn.pegging.map((p) => [p.demandKind, p.quantity])).toEqual([['suggestion', '7.0000']]);

    expect((await mine('&pastDue=true')).map((x) => x.item.code)).toEqual([code.ROD]);
    expect((await mine(`&runId=${result.id}`)).length).toBe(4);
    expect((await mine('&kind=production')).length).toBe(2);

    const event = await t.database.system.outboxEvent.findFirstOrThrow({ where: { companyId, type: 'mrp.completed', aggregateId: result.id } });
    expect(event.payload).toMatchObject({ runId: result.id, startedBy: '孙计划', purchaseCount: result.purchaseCount, productionCount: result.productionCount, pastDueCount: result.pastDueCount });
    expect(result.purchaseCount).toBeGreaterThanOrEqual(2);
    expect(result.pastDueCount).toBeGreaterThanOrEqual(1);

    // the planner group (a route of mrp.completed, as the demo seed has) gets one summary card for the run
    await t.database.system.notificationRoute.create({ data: { companyId, topic: 'mrp.completed', platform: 'lark', targetKind: 'group', targetId: 'oc_yunqiao_plan', name: '计划群' } });
    await planDeliveries(t.database, { debounceMs: 0, platforms: ['lark'] });
    const cards = await t.database.system.noticeDelivery.findMany({ where: { companyId, eventId: event.id } });
    expect(cards.map((c) => c.targetId)).toEqual(['oc_yunqiao_plan']);
    const amount = Number(result.purchaseAmount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(cards[0]!.text).toContain(`本次建议：采购 ${result.purchaseCount} 条 ¥${amount}，生产 ${result.productionCount} 条；${result.pastDueCount} 条开始日期已过`);
    expect(cards[0]!.text).toContain('查看');
    expect((cards[0]!.card as { buttons?: unknown }).buttons).toEqual([{ text: '一键投放', value: { kind: 'mrpRelease', runId: result.id }, style: 'primary' }]);
  });

  it('不改任何数据再运行：还是同一组建议；全部确认后再运行不再新增', async () => {
    const before = brief(await mine());
    await run();
    expect(brief(await mine())).toEqual(before);

    const ids = (await mine()).map((x) => x.id);
    const firm = await sun('post', '/api/v1/mrp/suggestions/firm').send({ ids });
    expect(firm.body).toEqual({ firmed: 4 });
    await run();
    const after = await mine();
    expect(after.map((x) => x.state)).toEqual(['firmed', 'firmed', 'firmed', 'firmed']);
    expect(brief(after).map((r) => r.slice(0, 5))).toEqual(before.map((r) => r.slice(0, 5)));
  });

  it('修改建议：按版本；数量必须大于 0，小数位不超过物料基本单位的精度', async () => {
    const ctn = (await mine()).find((x) => x.item.code.endsWith('-CTN'))!;
    const ok = await sun('patch', `/api/v1/mrp/suggestions/${ctn.id}`).send({ quantity: '100', dueDate: day(D - 4), version: ctn.version });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ quantity: '100.0000', dueDate: day(D - 4), orderDate: day(D - 5), version: ctn.version + 1 });
    const stale = await sun('patch', `/api/v1/mrp/suggestions/${ctn.id}`).send({ quantity: '60', version: ctn.version });
    expect(stale.status).toBe(409);
    const zero = await sun('patch', `/api/v1/mrp/suggestions/${ctn.id}`).send({ quantity: '0', version: ok.body.version });
    expect(zero.status).toBe(400);
    // no 13.2 cartons (个: whole), no 7.5004 kg of rod (千克: 3 decimals); refused at the edit, nothing changed
    const fraction = await sun('patch', `/api/v1/mrp/suggestions/${ctn.id}`).send({ quantity: '13.2', version: ok.body.version });
    expect(fraction.status).toBe(400);
    expect(fraction.body.error.details).toEqual([{ field: 'body.quantity', label: '数量', message: '数量必须是整数（个）' }]);
    const rod = (await mine()).find((x) => x.item.code.endsWith('-ROD'))!;
    const tooFine = await sun('patch', `/api/v1/mrp/suggestions/${rod.id}`).send({ quantity: '7.5004', version: rod.version });
    expect([tooFine.status, tooFine.body.error.message]).toEqual([400, '数量最多 3 位小数（千克）']);
    expect((await mine()).filter((x) => x.id === ctn.id || x.id === rod.id).map((x) => [x.quantity, x.version]).sort())
      .toEqual([['100.0000', ok.body.version], [rod.quantity, rod.version]].sort());

    // a production suggestion's materials (its demand once firmed) follow its quantity, and back
    const fg = (await mine()).find((x) => x.item.code.endsWith('-FG'))!;
    const materials = async () => ((await t.database.system.mrpSuggestion.findUniqueOrThrow({ where: { id: fg.id } })).materials as { itemId: string; quantity: string; date: string }[])
      .map((m) => [m.itemId, m.quantity, m.date]).sort();
    const doubled = await sun('patch', `/api/v1/mrp/suggestions/${fg.id}`).send({ quantity: '1400', version: fg.version });
    expect(doubled.status, JSON.stringify(doubled.body)).toBe(200);
    expect(await materials()).toEqual([[item.ZN, '1400', day(D - 2)], [item.CTN, '14', day(D - 2)]].sort());
    expect((await sun('patch', `/api/v1/mrp/suggestions/${fg.id}`).send({ quantity: '700', version: fg.version + 1 })).status).toBe(200);
    expect(await materials()).toEqual([[item.ZN, '700', day(D - 2)], [item.CTN, '7', day(D - 2)]].sort());
  });

  it('合并投放：50 个并发点击只生成一张请购单；投放后再运行不重复建议', async () => {
    const s = await mine();
    const purchase = s.filter((x) => x.kind === 'purchase').map((x) => x.id);
    const replies = await Promise.all(Array.from({ length: 50 }, () => sun('post', '/api/v1/mrp/suggestions/release').send({ ids: purchase })));
    const won = replies.filter((r) => r.status === 201);
    expect(won.length).toBe(1);
    expect(replies.filter((r) => r.status === 409).length).toBe(49);
    const number = won[0]!.body.requisition.number;
    expect(replies.find((r) => r.status === 409)!.body.error.message).toBe(`建议已投放为请购单 ${number}，不能再修改或投放`);
    const reqs = await t.database.system.purchaseRequisition.findMany({ where: { companyId, lines: { some: { itemId: { in: [item.CTN!, item.ROD!] } } } }, include: { lines: true } });
    expect(reqs.length).toBe(1);
    expect(reqs[0]!.source).toBe('mrp');
    expect(reqs[0]!.lines.map((l) => [l.itemId, l.baseQuantity.toString()]).sort()).toEqual([[item.CTN, '100'], [item.ROD, '7.5']].sort());

    await run();
    const after = await mine();
    expect(after.map((x) => [x.item.code.slice(tag.length + 1), x.state])).toEqual([['CTN', 'released'], ['FG', 'firmed'], ['ROD', 'released'], ['ZN', 'firmed']]);
  });

  it('计划群卡片上的一键投放：50 人同时点只投放一次；没有权限的人点了被拒绝；只能请购的人只投放采购建议', async () => {
    // 500 more bolts: FG 500 and ZN 500 to make; ROD 500 × 12 / 1000 / 0.96 = 6.25 kg beyond what the
    // released requisition brings; the released 100 cartons cover 7 + 5
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { companyId, code: 'C0001' } })).id;
    const draft = await admin('post', '/api/v1/sales-orders').send({ customerId, requestedDate: day(D), lines: [{ itemId: item.FG, unitId: unit.PCS, quantity: '500' }] });
    expect((await admin('post', `/api/v1/sales-orders/${draft.body.id}/confirm`).send({})).status).toBe(200);
    const result = await run();
    expect(brief(await mine('&state=suggested'))).toEqual([
      ['FG', 'production', '500.0000', day(D - 2), day(D), false, 'suggested'],
      ['ROD', 'purchase', '6.2500', day(D - 23), day(D - 5), true, 'suggested'],
      ['ZN', 'production', '500.0000', day(D - 5), day(D - 2), false, 'suggested'],
    ]);

    await t.database.system.companyPlatform.create({ data: { companyId, platform: 'lark', orgKey: 'tk_mrp_test' } });
    const tap = (operatorId: string, n: number) => tapRelease(result.id, operatorId, n);
    const denied = await tap('ou_li.xs', 0);
    expect(denied?.toast).toEqual({ type: 'error', content: '没有修改、确认和投放物料需求建议的权限' });
    // 50 taps by a planner who may make requisitions but not production tasks: the purchases are
    // released once, the production suggestions stay for someone who may
    await boundUser('zhou.jh', ['mrp:read', 'mrp:write', 'purchaseRequisition:create']);
    const taps = await Promise.all(Array.from({ length: 50 }, (_, n) => tap('ou_zhou.jh', n + 1)));
    const ok = taps.filter((r) => r?.toast.type === 'success');
    expect(ok.length).toBe(1);
    const number = /请购单 (\S+)）/.exec(ok[0]!.toast.content)![1];
    expect(ok[0]!.toast.content).toBe(`已投放：请购 ${result.purchaseCount} 条（请购单 ${number}）；另有 ${result.productionCount} 条建议你没有权限投放`);
    expect(taps.filter((r) => r?.toast.content === `本次建议已投放：请购单 ${number}；还有 ${result.productionCount} 条生产建议需由有新增生产任务单权限的人投放`).length).toBe(49);
    const req = await t.database.system.purchaseRequisition.findFirstOrThrow({ where: { companyId, number }, include: { lines: true } });
    expect(req.lines.length).toBe(result.purchaseCount);
    expect(req.lines.filter((l) => l.itemId === item.ROD || l.itemId === item.CTN).map((l) => [l.itemId, l.baseQuantity.toString()])).toEqual([[item.ROD, '6.25']]);
    expect(await t.database.system.mrpSuggestion.count({ where: { runId: result.id, kind: 'production', state: 'suggested' } })).toBe(result.productionCount);
    // nor may they release production suggestions through the API
    const zhou = await as(t, 'zhou.jh');
    const fg = (await mine('&state=suggested&kind=production'))[0]!;
    const api = await zhou('post', '/api/v1/mrp/suggestions/release').send({ ids: [fg.id] });
    expect([api.status, api.body.error.message]).toEqual([403, '没有新增生产任务单的权限']);
  });

  it('输入有误的计算：400 说明原因，记录为失败，原有建议不动，之后可以再运行', async () => {
    const before = brief(await mine());
    await t.database.system.item.update({ where: { id: item.ROD }, data: { leadTimeDays: -1 } });
    try {
      const res = await sun('post', '/api/v1/mrp/runs');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(`物料 ${code.ROD} 的提前期必须是不小于 0 的整数天`);
      const last = (await sun('get', '/api/v1/mrp/runs?pageSize=1')).body.items[0];
      expect(last).toMatchObject({ state: 'failed', stateLabel: '失败', error: res.body.error.message });
      expect(brief(await mine())).toEqual(before);
    } finally {
      await t.database.system.item.update({ where: { id: item.ROD }, data: { leadTimeDays: 18 } });
    }
    expect((await sun('post', '/api/v1/mrp/runs')).status).toBe(201);
  });

  it('权限与公司隔离：销售员不能运行或查看；采购员能看不能修改、确认、投放；另一家公司看不到', async () => {
    const li = await as(t, 'li.xs');
    expect((await li('post', '/api/v1/mrp/runs')).status).toBe(403);
    expect((await li('get', '/api/v1/mrp/suggestions')).status).toBe(403);
    // 采购员 reads suggestions (mrp:read) but may not edit, firm or release them: 403, nothing changed
    const wang = await as(t, 'wang.cg');
    const open = await mine('&state=suggested');
    expect(open.length).toBeGreaterThan(0);
    const ids = open.map((x) => x.id);
    const denied: [string, string, Record<string, unknown>][] = [
      ['patch', `/api/v1/mrp/suggestions/${ids[0]}`, { quantity: '1', version: open[0]!.version }],
      ['post', '/api/v1/mrp/suggestions/firm', { ids }],
      ['post', '/api/v1/mrp/suggestions/release', { ids }],
    ];
    for (const [method, url, body] of denied) {
      const res = await wang(method as 'post', url).send(body);
      expect([url, res.status, res.body.error?.message]).toEqual([url, 403, '没有修改、确认和投放物料需求建议的权限']);
    }
    expect(await mine('&state=suggested')).toEqual(open);
    const bad = await sun('post', '/api/v1/mrp/suggestions/firm').send({ ids: [] });
    expect(bad.status).toBe(400);
    const missing = await sun('post', '/api/v1/mrp/suggestions/firm').send({ ids: ['0b8f5c1e-6a57-4f0e-9a53-3c7a4d0f2b11'] });
    expect(missing.status).toBe(404);

    const other = await createSecondCompany(t, uniqueCode('MRPCO'));
    const company = await t.database.system.company.findFirstOrThrow({ where: { id: other.companyId } });
    const them = await as(t, other.adminUsername, { companyCode: company.code });
    const list = await them('get', '/api/v1/mrp/suggestions');
    expect(list.body).toMatchObject({ total: 0, items: [] });
    const runs = (await sun('get', '/api/v1/mrp/runs?pageSize=1')).body.items;
    expect((await them('get', `/api/v1/mrp/runs/${runs[0].id}`)).status).toBe(404);
    expect((await them('get', '/api/v1/mrp/runs')).body.total).toBe(0);
  });

  it('生产建议投放：10 个并发点击只生成一次生产任务单（每条建议一张，计划状态，日期取建议的开始与需求日期）', async () => {
    const production = (await mine('&state=suggested&kind=production'));
    expect(production.map((x) => [x.item.code.slice(tag.length + 1), x.quantity])).toEqual([['FG', '500.0000'], ['ZN', '500.0000']]);
    const ids = production.map((x) => x.id);
    const replies = await Promise.all(Array.from({ length: 10 }, () => sun('post', '/api/v1/mrp/suggestions/release').send({ ids })));
    const won = replies.filter((r) => r.status === 201);
    expect(won.length, JSON.stringify(replies.map((r) => r.body))).toBe(1);
    expect(replies.filter((r) => r.status === 409).length).toBe(9);
    expect(won[0]!.body).toMatchObject({ released: 2, requisition: null });
    const numbers = won[0]!.body.productionTasks.map((p: { number: string }) => p.number);
    expect(numbers.every((n: string) => /^MO-\d{8}-\d{4}$/.test(n))).toBe(true);
    const tasks = await t.database.system.productionTask.findMany({ where: { companyId, mrpSuggestionId: { in: ids } }, orderBy: { number: 'asc' } });
    expect(tasks.length).toBe(2);
    const wh = await t.database.system.warehouse.findFirstOrThrow({ where: { companyId, active: true }, orderBy: { code: 'asc' } });
    // the finished bolts are made for one order line: received where that line ships from, and the line's task
    // (which of the two orders for FG it serves depends on how netting met the equal dates: read its pegging)
    const [peggedOrder] = production.find((x) => x.item.code === code.FG)!.pegging.map((p) => p.ref!.split('/')[0]);
    const line = await t.database.system.salesOrderLine.findFirstOrThrow({ where: { companyId, itemId: item.FG, order: { number: peggedOrder } } });
    expect(line.warehouseId).not.toBe(wh.id);
    expect(tasks.map((x) => [x.itemId, x.quantity.toString(), x.state, x.sourceKind, x.warehouseId, x.materialWarehouseId, x.salesOrderLineId]).sort())
      .toEqual([[item.FG, '500', 'planned', 'mrp', line.warehouseId, wh.id, line.id], [item.ZN, '500', 'planned', 'mrp', wh.id, wh.id, null]].sort());
    const fg = tasks.find((x) => x.itemId === item.FG)!;
    expect([fg.plannedStart.toISOString().slice(0, 10), fg.plannedFinish.toISOString().slice(0, 10)]).toEqual([day(D - 2), day(D)]);
    const after = await mine(`&kind=production&state=released`);
    expect(after.map((x) => x.released?.type)).toEqual(['productionTask', 'productionTask']);
    expect(replies.find((r) => r.status === 409)!.body.error.message).toMatch(/^建议已投放为生产任务单 MO-\d{8}-\d{4}，不能再修改或投放$/);

    // a rerun nets the planned tasks (500 FG, 500 ZN to receive) and their materials (ZN 500 and
    // CTN 5 on FG's start, ROD 6.25 kg on ZN's) against what is already on its way: nothing new
    await run();
    expect(brief(await mine('&state=suggested'))).toEqual([]);
    const [{ pegs }] = await t.database.system.$queryRaw<[{ pegs: number }]>`
      SELECT count(*)::int AS pegs FROM mrp_suggestion s, json_array_elements(s.pegging) p
       WHERE s.company_id = ${companyId}::uuid AND p->>'s' = ANY(${tasks.map((x) => x.id)}::text[])`;
    expect(pegs).toBe(0);
  });

  it('计划员点一键投放：采购建议成一张请购单，生产建议各成一张生产任务单；10 人同时点只投放一次', async () => {
    // 200 more bolts: FG 200 and ZN 200 to make; ROD 200 × 12 / 1000 / 0.96 = 2.5 kg; the 100 cartons on their way cover 7 + 5 + 2
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { companyId, code: 'C0001' } })).id;
    const draft = await admin('post', '/api/v1/sales-orders').send({ customerId, requestedDate: day(D), lines: [{ itemId: item.FG, unitId: unit.PCS, quantity: '200' }] });
    expect((await admin('post', `/api/v1/sales-orders/${draft.body.id}/confirm`).send({})).status).toBe(200);
    // a product made in house without any BOM (its code outside this file's tag, so not in mine()):
    // its safety stock makes a production suggestion that cannot become a task
    const bare = await sun('post', '/api/v1/items').send({ code: uniqueCode('MRPNB'), name: '没有 BOM 的自制件', kind: 'finished', sourcing: 'make', baseUnitId: unit.PCS, safetyStock: '10' });
    expect(bare.status, JSON.stringify(bare.body)).toBe(201);
    const result = await run();
    const open = await mine('&state=suggested');
    expect(brief(open)).toEqual([
      ['FG', 'production', '200.0000', day(D - 2), day(D), false, 'suggested'],
      ['ROD', 'purchase', '2.5000', day(D - 23), day(D - 5), true, 'suggested'],
      ['ZN', 'production', '200.0000', day(D - 5), day(D - 2), false, 'suggested'],
    ]);
    // a product made without any BOM cannot become a task: its suggestion stays open and is counted
    const noBom = await t.database.system.mrpSuggestion.count({ where: { runId: result.id, kind: 'production', bomVersionId: null } });
    const bareSuggestion = await t.database.system.mrpSuggestion.findFirstOrThrow({ where: { runId: result.id, kind: 'production', bomVersionId: null, itemId: bare.body.id } });
    // 合并投放 of it (with another one) is refused up front, naming the item; nothing is released
    const refused = await sun('post', '/api/v1/mrp/suggestions/release').send({ ids: [open[0]!.id, bareSuggestion.id] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(`物料 ${bare.body.code} 在生产建议的开始日期没有有效的 BOM 版本，不能投放为生产任务单；请先维护 BOM 并重新运行物料需求计算`);
    expect((await mine('&state=suggested')).length).toBe(3);
    const note = `；${noBom} 条生产建议的物料在开始日期没有有效的 BOM 版本，未投放`;
    const taps = await Promise.all(Array.from({ length: 10 }, (_, n) => tapRelease(result.id, 'ou_sun.jh', n)));
    const ok = taps.filter((r) => r?.toast.type === 'success');
    expect(ok.length, JSON.stringify(taps.map((r) => r?.toast))).toBe(1);
    const number = /请购单 (\S+)）/.exec(ok[0]!.toast.content)![1];
    const made = result.productionCount - noBom;
    expect(ok[0]!.toast.content).toBe(`已投放：请购 ${result.purchaseCount} 条（请购单 ${number}），生产任务 ${made} 条${note}`);
    expect(taps.filter((r) => r?.toast.content === `本次建议已投放：请购单 ${number}，生产任务单 ${made} 张${note}`).length).toBe(9);
    const req = await t.database.system.purchaseRequisition.findFirstOrThrow({ where: { companyId, number }, include: { lines: true } });
    expect(req.lines.filter((l) => l.itemId === item.ROD).map((l) => l.baseQuantity.toString())).toEqual(['2.5']);
    const tasks = await t.database.system.productionTask.findMany({ where: { companyId, mrpSuggestionId: { in: open.map((x) => x.id) } } });
    expect(tasks.map((x) => [x.itemId, x.quantity.toString(), x.state]).sort()).toEqual([[item.FG, '200', 'planned'], [item.ZN, '200', 'planned']].sort());
    const production = await t.database.system.mrpSuggestion.groupBy({ by: ['state', 'releasedDocType'], where: { runId: result.id, kind: 'production' }, _count: true });
    expect(production.map((g) => [g.state, g.releasedDocType, g._count]).sort()).toEqual([['released', 'productionTask', made], ['suggested', null, noBom]].sort());
    expect((await mine(`&runId=${result.id}`)).map((x) => x.state)).toEqual(['released', 'released', 'released']);
  });
  it('数据范围：只能看本人订单的人看需求建议时，需求追溯和服务订单里别人的订单号显示为「其他销售员的订单」', async () => {
    const sys = t.database.system;
    const role = await sys.role.create({ data: { companyId, code: uniqueCode('MRPR'), name: '计划助理', dataScope: 'own', permissions: ['mrp:read'] } });
    const username = uniqueCode('mrp.own').toLowerCase();
    await sys.user.create({
      data: { companyId, username, passwordHash: await hashPassword(DEMO_PASSWORD), name: '计划助理', employeeNo: uniqueCode('E'), roles: { create: [{ companyId, roleId: role.id }] } },
    });
    const own = await as(t, username);
    const all = await mine();
    const served = all.filter((s) => s.orders.length);
    expect(served.length).toBeGreaterThan(0);
    expect(served.some((s) => s.orders.includes(orderNumber))).toBe(true);
    const seen = (await own('get', `/api/v1/mrp/suggestions?q=${tag}&pageSize=200`)).body.items as Sug[];
    // the same suggestions and quantities, without the order numbers
    const byId = (a: Sug, b: Sug) => (a.id < b.id ? -1 : 1);
    expect([...seen].sort(byId).map((s) => [s.id, s.quantity])).toEqual([...all].sort(byId).map((s) => [s.id, s.quantity]));
    for (const s of seen) {
      expect(s.orders).toEqual(all.find((x) => x.id === s.id)!.orders.length ? ['其他销售员的订单'] : []);
      for (const p of s.pegging.filter((x) => x.demandKind === 'salesOrder')) expect(p.ref).toBe('其他销售员的订单');
      expect(JSON.stringify(s)).not.toContain(orderNumber);
    }
  });
});
