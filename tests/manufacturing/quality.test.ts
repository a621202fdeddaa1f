// 质检 through the HTTP API on PostgreSQL: a purchase receipt 待检 opens a 检验单 (and its chat event);
// pass 90 / fail 10 → 90 合格 where it came in, 10 不合格 in the 不良品仓, nothing 待检, value conserved
// (moves of the same value, reconcile clean); concession and partial results; more than waits → 400
// naming the field; permissions 403; another company 404; two results at once → recorded once; a
// production receipt of an item that requires inspection comes in 待检 and ships only after it passes;
// the inspector (周质检, on a loopback WeCom) gets the 待检 card once, nobody else does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { freeStockOf } from '../../server/modules/inventory/index.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import { startWecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let zhou: AuthedClient; // 质检员: read + record
let zhao: AuthedClient; // 仓管员: receipts, read only here
let wang: AuthedClient; // 采购员: no 质检
let sun: AuthedClient; // 计划员
let companyId: string;
const wh: Record<string, string> = {};
let rejectWh: string;
let raw: { id: string; code: string };

async function newItem(fields: Record<string, unknown>) {
  const code = uniqueCode('QC');
  const pcs = (await sun('get', '/api/v1/units?q=PCS')).body.items.find((u: { code: string }) => u.code === 'PCS').id;
  const res = await sun('post', '/api/v1/items').send({ code, name: `质检物料 ${code}`, kind: 'raw', sourcing: 'buy', baseUnitId: pcs, ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, code };
}

/** A confirmed PO for `quantity` of the raw item at ¥1.13 incl. 13 % VAT (¥1.00 a piece), received 待检 into WH01. */
async function receivePending(quantity: string) {
  const supplierId = (await t.database.system.supplier.findFirstOrThrow({ where: { companyId, code: 'S0001' } })).id;
  const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, warehouseId: wh.WH01, lines: [{ itemId: raw.id, quantity, unitPrice: '1.13' }] });
  expect(po.status, JSON.stringify(po.body)).toBe(201);
  expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`).send({})).status).toBe(200);
  const rc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({ lines: [{ orderLineId: po.body.lines[0].id, quantity, qualityStatus: 'pending' }] });
  expect(rc.status, JSON.stringify(rc.body)).toBe(201);
  const list = await zhou('get', `/api/v1/quality-inspections?q=${rc.body.number}`);
  expect(list.status).toBe(200);
  expect(list.body.total).toBe(1);
  return { receipt: rc.body as { id: string; number: string; lines: { id: string }[] }, inspection: list.body.items[0] as { id: string; number: string; version: number } };
}

async function balances(itemId: string) {
  const rows = await t.database.system.stockBalance.findMany({ where: { itemId, onHand: { not: 0 } }, orderBy: [{ warehouseId: 'asc' }, { qualityStatus: 'asc' }] });
  return rows.map((r) => [r.warehouseId === rejectWh ? 'REJ' : Object.keys(wh).find((k) => wh[k] === r.warehouseId), r.qualityStatus, r.onHand.toFixed(4)]).sort();
}

const total = async (itemId: string) => (await zhou('get', `/api/v1/stock/items/${itemId}`)).body.total as Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  [zhou, zhao, wang, sun] = await Promise.all([as(t, 'zhou.zj'), as(t, 'zhao.ck'), as(t, 'wang.cg'), as(t, 'sun.jh')]);
  companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  for (const w of (await sun('get', '/api/v1/warehouses?pageSize=200')).body.items) wh[w.code] = w.id;
  const admin = await as(t, 'admin');
  const rej = await admin('post', '/api/v1/warehouses').send({ code: uniqueCode('REJ'), name: '不良品仓' });
  expect(rej.status, JSON.stringify(rej.body)).toBe(201);
  rejectWh = rej.body.id;
  // 公司设置 names the reject warehouse (an unknown one is refused, naming the field)
  const unknown = await admin('patch', '/api/v1/company').send({ rejectWarehouseId: crypto.randomUUID() });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.details[0]).toMatchObject({ field: 'body.rejectWarehouseId', label: '不良品仓' });
  const set = await admin('patch', '/api/v1/company').send({ rejectWarehouseId: rejectWh });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  expect(set.body.rejectWarehouse).toMatchObject({ id: rejectWh, name: '不良品仓' });
  raw = await newItem({});
}, 60_000);
afterAll(async () => t?.close());

describe('质检：采购入库待检 → 检验单 → 合格 / 不合格 / 让步接收', () => {
  it('合格 90、不合格 10：90 合格留在原仓、10 不合格进不良品仓、待检 0；金额不变，对账无差异；检验单与待检事件；齐套只算合格', async () => {
    // a product that takes one of the raw item each: 齐套 counts only 合格 free stock
    const kit = await newItem({ kind: 'finished', sourcing: 'make' });
    expect((await sun('post', '/api/v1/boms').send({ parentItemId: kit.id, validFrom: '2026-01-01', lines: [{ componentItemId: raw.id, quantity: '1' }] })).status).toBe(201);
    const kitable = async () => Number((await sun('get', `/api/v1/kitting?itemId=${kit.id}&quantity=100`)).body.kitable);
    const { receipt, inspection } = await receivePending('100');
    expect(inspection).toMatchObject({
      sourceType: 'purchaseReceipt', sourceTypeLabel: '采购入库', sourceId: receipt.id, sourceNo: receipt.number, item: { id: raw.id, code: raw.code },
      unit: '个', warehouse: { code: 'WH01' }, quantity: '100.0000', pendingQuantity: '100.0000', state: 'open', stateLabel: '待检验',
    });
    expect(inspection.number).toMatch(/^QC-\d{8}-\d{4}$/);
    // the inspectors' chat event, written with the receipt
    const event = await t.database.system.outboxEvent.findFirstOrThrow({ where: { companyId, type: 'quality.inspectionDue', aggregateId: inspection.id } });
    expect(event.payload).toMatchObject({ number: inspection.number, sourceNo: receipt.number, itemCode: raw.code, unit: '个', quantity: '100.0000' });
    // 待检 is not available (合格 on hand counts only 合格)
    expect(await total(raw.id)).toMatchObject({ onHand: '0.0000', available: '0.0000', pending: '100.0000' });
    expect(await kitable()).toBe(0);
    const valueBefore = (await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: raw.id } })).value.toFixed(2);
    expect(valueBefore).toBe('100.00');

    const res = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ passedQuantity: '90', failedQuantity: '10', version: inspection.version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      state: 'done', inspectedQuantity: '100.0000', pendingQuantity: '0.0000', passedQuantity: '90.0000', failedQuantity: '10.0000', concessionQuantity: '0.0000',
      inspectedBy: { name: '周质检' }, version: inspection.version + 1,
    });
    expect(res.body.events.map((e: { action: string; user: string }) => [e.action, e.user])).toEqual([['record', '周质检']]);
    expect(await balances(raw.id)).toEqual([['REJ', 'rejected', '10.0000'], ['WH01', 'passed', '90.0000']]);
    expect(await total(raw.id)).toMatchObject({ onHand: '90.0000', available: '90.0000', pending: '0.0000', rejected: '10.0000' });
    expect(await kitable()).toBe(90);
    // same value: the item's value unchanged; the moves out of 待检 and into 合格 / 不合格 carry ±90.00 and ±10.00
    const stock = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: raw.id } });
    expect([stock.quantity.toFixed(4), stock.value.toFixed(2)]).toEqual(['100.0000', valueBefore]);
    const moves = await t.database.system.stockMove.findMany({ where: { itemId: raw.id, sourceType: 'qualityInspection' }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => [m.kind, m.qualityStatus, m.warehouseId === rejectWh ? 'REJ' : 'WH01', m.quantity.toFixed(4), m.amount.toFixed(2)])).toEqual([
      ['qualityInspection', 'pending', 'WH01', '-90.0000', '-90.00'], ['qualityInspection', 'passed', 'WH01', '90.0000', '90.00'],
      ['qualityInspection', 'pending', 'WH01', '-10.0000', '-10.00'], ['qualityInspection', 'rejected', 'REJ', '10.0000', '10.00'],
    ]);
    const reconcile = await (await as(t, 'admin'))('get', '/api/v1/stock/reports/reconcile');
    expect(reconcile.body).toMatchObject({ ok: true, drifts: [] });
    // done: nothing more to record
    const again = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ passedQuantity: '1' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('已检验完毕');
  });

  it('分次录入与让步接收；超过待检数量 400（按字段中文名）；合计为 0 400；无不良品仓 400；列表按状态筛选', async () => {
    const { inspection } = await receivePending('50');
    const first = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ passedQuantity: '20', concessionQuantity: '5' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ state: 'open', inspectedQuantity: '25.0000', pendingQuantity: '25.0000', passedQuantity: '20.0000', concessionQuantity: '5.0000' });
    const over = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ passedQuantity: '20', failedQuantity: '6' });
    expect(over.status).toBe(400);
    expect(over.body.error.details[0]).toMatchObject({ field: 'body.passedQuantity', label: '合格数量' });
    expect(over.body.error.message).toContain('合格数量、不合格数量与让步接收数量合计 26个 超过待检数量 25个');
    const zero = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({});
    expect(zero.status).toBe(400);
    expect(zero.body.error.message).toContain('合计必须大于 0');
    const negative = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ failedQuantity: '-1' });
    expect(negative.status).toBe(400);
    expect(negative.body.error.details[0]).toMatchObject({ field: 'body.failedQuantity', label: '不合格数量' });
    const stale = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ passedQuantity: '1', version: 1 });
    expect(stale.status).toBe(409);
    // no reject warehouse set and none given: the field is named
    const admin = await as(t, 'admin');
    expect((await admin('patch', '/api/v1/company').send({ rejectWarehouseId: null })).body.rejectWarehouse).toBeNull();
    const noWh = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ failedQuantity: '25' });
    expect((await admin('patch', '/api/v1/company').send({ rejectWarehouseId: rejectWh })).status).toBe(200);
    expect(noWh.status).toBe(400);
    expect(noWh.body.error.details[0]).toMatchObject({ field: 'body.rejectWarehouseId', label: '不良品仓' });
    // the rest failed, into the warehouse named in the body
    const rest = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ failedQuantity: '25', rejectWarehouseId: wh.WH02, remark: '表面锈蚀' });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(rest.body).toMatchObject({ state: 'done', passedQuantity: '20.0000', failedQuantity: '25.0000', concessionQuantity: '5.0000', remark: '表面锈蚀' });
    const rows = await t.database.system.stockBalance.findMany({ where: { itemId: raw.id, warehouseId: wh.WH02 } });
    expect(rows.map((r) => [r.qualityStatus, r.onHand.toFixed(4)])).toEqual([['rejected', '25.0000']]);

    const open = await zhou('get', `/api/v1/quality-inspections?state=open&q=${raw.code}`);
    expect(open.body.total).toBe(0);
    const done = await zhou('get', `/api/v1/quality-inspections?state=done&q=${raw.code}`);
    expect(done.body.items.map((i: { pendingQuantity: string }) => i.pendingQuantity)).toEqual(['0.0000', '0.0000']);
    expect((await zhou('get', '/api/v1/quality-inspections?state=bogus')).status).toBe(400);
  });

  it('同时录入两次：只录一次（另一次 409），库存只变一次', async () => {
    const { inspection } = await receivePending('10');
    const before = await total(raw.id);
    const results = await Promise.all([1, 2].map(() => zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ passedQuantity: '10' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await total(raw.id);
    expect(Number(after.available) - Number(before.available)).toBe(10);
    expect(await t.database.system.auditLog.count({ where: { entity: 'qualityInspection', entityId: inspection.id } })).toBe(1);
  });

  it('权限：采购员不能查看（403）；仓管员只能查看、不能录入（403）；另一家公司看不到、录不了（404）', async () => {
    const { inspection } = await receivePending('5');
    const denied = await wang('get', '/api/v1/quality-inspections');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('没有查看检验单的权限');
    expect((await zhao('get', `/api/v1/quality-inspections/${inspection.id}`)).status).toBe(200);
    const noRecord = await zhao('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ passedQuantity: '5' });
    expect(noRecord.status).toBe(403);
    expect(noRecord.body.error.message).toBe('没有录入质检结果的权限');
    const other = await createSecondCompany(t);
    const otherAdmin = await as(t, other.adminUsername, { companyCode: 'OTHERCO' });
    expect((await otherAdmin('get', `/api/v1/quality-inspections/${inspection.id}`)).status).toBe(404);
    expect((await otherAdmin('post', `/api/v1/quality-inspections/${inspection.id}/results`).send({ passedQuantity: '5' })).status).toBe(404);
    expect((await otherAdmin('get', '/api/v1/quality-inspections')).body.total).toBe(0);
    expect((await zhou('get', `/api/v1/quality-inspections/${inspection.id}`)).body.state).toBe('open');
  });
});

describe('质检：需检验的物料完工入库为待检，合格后才可发货', () => {
  it('完工入库 10 → 待检（不可用：不能发货，MRP 的可用量不算）→ 检验合格 → 可用并可发货', async () => {
    const fg = await newItem({ kind: 'finished', sourcing: 'make', standardCost: '2', salePrice: '5', inspectionRequired: true });
    const part = await newItem({});
    expect((await sun('post', '/api/v1/boms').send({ parentItemId: fg.id, validFrom: '2026-01-01', lines: [{ componentItemId: part.id, quantity: '1' }] })).status).toBe(201);
    // MRP's and 齐套's free stock (inventory's freeStockOf): only 合格, unreserved
    const free = async () => (await inCompany(t.database.app, companyId, (tx) => freeStockOf(tx, [fg.id]))).get(fg.id) ?? '0';
    const task = await sun('post', '/api/v1/production-tasks').send({
      itemId: fg.id, quantity: '10', materialWarehouseId: wh.WH01, warehouseId: wh.WH02, plannedStart: '2026-12-10', plannedFinish: '2026-12-12',
    });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    expect((await sun('post', `/api/v1/production-tasks/${task.body.id}/release`)).status).toBe(200);
    const received = await zhao('post', `/api/v1/production-tasks/${task.body.id}/receipts`).send({ quantity: '10' });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(await balances(fg.id)).toEqual([['WH02', 'pending', '10.0000']]);
    expect(await total(fg.id)).toMatchObject({ onHand: '0.0000', available: '0.0000', pending: '10.0000' });
    expect(Number(await free())).toBe(0);
    const list = await zhou('get', `/api/v1/quality-inspections?itemId=${fg.id}`);
    expect(list.body.items).toEqual([expect.objectContaining({ sourceType: 'productionReceipt', sourceTypeLabel: '完工入库', sourceId: task.body.id, sourceNo: task.body.number, quantity: '10.0000' })]);

    // a sales order for the 10 reserves nothing and cannot ship while they wait for inspection
    const li = await as(t, 'li.xs');
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { companyId, code: 'C0002' } })).id;
    const so = await li('post', '/api/v1/sales-orders').send({ customerId, warehouseId: wh.WH02, lines: [{ itemId: fg.id, quantity: '10' }] });
    expect(so.status, JSON.stringify(so.body)).toBe(201);
    expect((await li('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({})).status).toBe(200);
    const ship = () => zhao('post', `/api/v1/sales-orders/${so.body.id}/shipments`).send({ lines: [{ orderLineId: so.body.lines[0].id, quantity: '10' }] });
    expect((await ship()).status).toBe(409);

    const passed = await zhou('post', `/api/v1/quality-inspections/${list.body.items[0].id}/results`).send({ passedQuantity: '10' });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    expect(await total(fg.id)).toMatchObject({ onHand: '10.0000', available: '10.0000', pending: '0.0000' });
    expect(Number(await free())).toBe(10);
    const shipped = await ship();
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
    expect(await balances(fg.id)).toEqual([]);
  });
});

describe('质检：待检卡片发给质检员', () => {
  it('采购入库待检 7 个 → 周质检（有录入质检结果权限）在企业微信收到一张「待检」卡片，带查看链接；老板、管理员不收；再跑一次不重发', async () => {
    const fake = await startWecomFake({ corpId: 'wwtest', secret: 's3cret', agentId: 1000002 });
    try {
      const adapters = new Map([['wecom' as const, new WecomAdapter({ corpId: 'wwtest', secret: 's3cret', agentId: 1000002, baseUrl: fake.url, publicBaseUrl: 'https://yq.example.cn' })]]);
      const run = async () => {
        await planDeliveries(t.database, { debounceMs: 0, platforms: ['wecom'], publicBaseUrl: 'https://yq.example.cn' });
        return sendDueDeliveries(t.database.system, adapters, { worker: 'test', backoffMs: 1 });
      };
      await run(); // what earlier tests left in the outbox
      fake.reset();
      const { receipt, inspection } = await receivePending('7');
      await run();
      const cards = fake.sent.filter((m) => JSON.stringify(m.body).includes(inspection.number));
      expect(cards.map((m) => m.touser)).toEqual(['zhou.zj']);
      const body = JSON.stringify(cards[0]!.body);
      expect(body).toContain(`待检：质检物料 ${raw.code} 7 个，来源 ${receipt.number}`);
      expect(body).toContain(`https://yq.example.cn/m/#/quality-inspections/${inspection.id}`);
      const delivered = await t.database.system.outboxEvent.findFirstOrThrow({ where: { type: 'quality.inspectionDue', aggregateId: inspection.id } });
      expect(delivered.status).toBe('delivered');
      fake.reset();
      await run();
      expect(fake.sent.filter((m) => JSON.stringify(m.body).includes(inspection.number))).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
