// 请购单 API: drafts, submit, cancel, and turning lines into purchase orders without ever ordering
// more than was requested — also when many orders race for the same line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let sun: AuthedClient; // planner: requisitions create/update/confirm, no purchase orders
let wang: AuthedClient; // purchaser
let zhao: AuthedClient; // warehouse: no requisitions
const id: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [sun, wang, zhao] = await Promise.all([as(t, 'sun.jh'), as(t, 'wang.cg'), as(t, 'zhao.ck')]);
  const sys = t.database.system;
  id.supplier = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
  id.supplier2 = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0002' } })).id;
  id.rod = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-12.0' } })).id; // KG, 采购单位 吨
  id.a2 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M6X20-A2' } })).id;
  id.kg = (await sys.unit.findFirstOrThrow({ where: { code: 'KG' } })).id;
  id.t = (await sys.unit.findFirstOrThrow({ where: { code: 'T' } })).id;
  id.set = (await sys.unit.findFirstOrThrow({ where: { code: 'SET' } })).id;
});
afterAll(async () => t?.close());

const counts = async () => ({
  requisitions: await t.database.system.purchaseRequisition.count(),
  lines: await t.database.system.purchaseRequisitionLine.count(),
  orders: await t.database.system.purchaseOrder.count(),
});

async function submitted(lines: Record<string, unknown>[] = [{ itemId: id.rod, quantity: '10' }]) {
  const res = await sun('post', '/api/v1/purchase-requisitions').send({ lines });
  expect(res.status).toBe(201);
  await sun('post', `/api/v1/purchase-requisitions/${res.body.id}/submit`).expect(200);
  return res.body as { id: string; number: string; lines: { id: string }[] };
}

describe('请购单草稿', () => {
  it('新增、修改（version）、查看、列表筛选、删除', async () => {
    const res = await sun('post', '/api/v1/purchase-requisitions').send({
      remark: '月度备料', lines: [{ itemId: id.rod, quantity: '5.5', requiredDate: '2026-12-20', supplierId: id.supplier }, { itemId: id.a2, unitId: null, quantity: '3' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'draft', source: 'manual', sourceLabel: '手工', version: 1, orders: [] });
    expect(res.body.lines.map((l: { unit: { code: string }; baseQuantity: string; supplier: { code: string } | null }) => [l.unit.code, l.baseQuantity, l.supplier?.code ?? null])).toEqual([
      ['T', '5500.0000', 'S0001'], ['BOX', '6000.0000', null],
    ]);
    const upd = await sun('patch', `/api/v1/purchase-requisitions/${res.body.id}`).send({ version: 1, lines: [{ itemId: id.rod, unitId: id.kg, quantity: '800.5' }] });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ version: 2, remark: '月度备料', lines: [{ unit: { code: 'KG' }, baseQuantity: '800.5000' }] });
    expect((await sun('patch', `/api/v1/purchase-requisitions/${res.body.id}`).send({ version: 1, remark: 'x' })).status).toBe(409);
    const list = await sun('get', `/api/v1/purchase-requisitions?q=${res.body.number}&state=draft&itemId=${id.rod}&dateFrom=2020-01-01`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: res.body.id }] });
    expect((await sun('get', '/api/v1/purchase-requisitions?source=mrp')).body.total).toBe(0);
    expect((await sun('get', '/api/v1/purchase-requisitions?state=nope')).status).toBe(400);
    expect((await wang('delete', `/api/v1/purchase-requisitions/${res.body.id}`)).status).toBe(204);
    expect((await sun('get', `/api/v1/purchase-requisitions/${res.body.id}`)).status).toBe(404);
    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'purchaseRequisition', entityId: res.body.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
  });

  it('错误输入：数量 ≤ 0、小数过多、未知物料、物料没有的单位、未知建议供应商 → 400 指明字段，什么都不写', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ itemId: id.rod, quantity: '0' }, 'body.lines.0.quantity'],
      [{ itemId: id.rod, quantity: '-1' }, 'body.lines.0.quantity'],
      [{ itemId: id.rod, quantity: '1.12345' }, 'body.lines.0.quantity'],
      [{ itemId: id.a2, quantity: '1.5' }, 'body.lines.0.quantity'],
      [{ itemId: '00000000-0000-4000-8000-000000000000', quantity: '1' }, 'body.lines.0.itemId'],
      [{ itemId: id.rod, unitId: id.set, quantity: '1' }, 'body.lines.0.unitId'],
      [{ itemId: id.rod, quantity: '1', supplierId: '00000000-0000-4000-8000-000000000000' }, 'body.lines.0.supplierId'],
      [{ itemId: id.rod, quantity: '1', requiredDate: '2026-13-01' }, 'body.lines.0.requiredDate'],
    ];
    for (const [line, field] of cases) {
      const res = await sun('post', '/api/v1/purchase-requisitions').send({ lines: [line] });
      expect(res.status, JSON.stringify(line)).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await sun('post', '/api/v1/purchase-requisitions').send({ lines: [], source: 'manual' })).status).toBe(400);
    expect((await sun('post', '/api/v1/purchase-requisitions').send({ lines: [{ itemId: id.rod, quantity: '1' }], source: 'magic' })).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('权限：仓管员不能看请购单；计划员不能删除', async () => {
    expect((await zhao('get', '/api/v1/purchase-requisitions')).status).toBe(403);
    const res = await sun('post', '/api/v1/purchase-requisitions').send({ lines: [{ itemId: id.rod, quantity: '1' }] });
    expect((await sun('delete', `/api/v1/purchase-requisitions/${res.body.id}`)).status).toBe(403);
  });
});

describe('提交与取消', () => {
  it('100 个并发提交：一次生效；提交后不能修改或删除', async () => {
    const res = await sun('post', '/api/v1/purchase-requisitions').send({ lines: [{ itemId: id.rod, quantity: '1' }] });
    const results = await Promise.all(Array.from({ length: 100 }, () => sun('post', `/api/v1/purchase-requisitions/${res.body.id}/submit`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(99);
    const upd = await sun('patch', `/api/v1/purchase-requisitions/${res.body.id}`).send({ version: 2, remark: '改' });
    expect(upd.status).toBe(409);
    expect(upd.body.error.message).toContain('已确认');
    expect((await wang('delete', `/api/v1/purchase-requisitions/${res.body.id}`)).status).toBe(409);
    const audits = await t.database.system.auditLog.count({ where: { entityId: res.body.id, action: 'submit' } });
    expect(audits).toBe(1);
  });

  it('已下单的请购单不能取消；取消采购订单后可以', async () => {
    const req = await submitted();
    const po = await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier });
    expect(po.status).toBe(201);
    const refused = await wang('post', `/api/v1/purchase-requisitions/${req.id}/cancel`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('下了采购订单');
    await wang('post', `/api/v1/purchase-orders/${po.body.id}/cancel`).send({}).expect(200);
    const back = (await wang('get', `/api/v1/purchase-requisitions/${req.id}`)).body;
    expect(back.lines[0].orderedQuantity).toBe('0.0000');
    const ok = await wang('post', `/api/v1/purchase-requisitions/${req.id}/cancel`).send({ reason: '需求取消' });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('cancelled');
    expect((await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier })).status).toBe(409);
  });
});

describe('请购单 → 采购订单', () => {
  it('草稿不能下单（409）', async () => {
    const res = await sun('post', '/api/v1/purchase-requisitions').send({ lines: [{ itemId: id.rod, quantity: '1' }] });
    const before = await counts();
    const r = await wang('post', `/api/v1/purchase-requisitions/${res.body.id}/to-order`).send({ supplierId: id.supplier });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('尚未提交');
    expect(await counts()).toEqual(before);
  });

  it('分两次下单给两个供应商：先 4 吨，再下余量；超量 409 且不写订单', async () => {
    const req = await submitted([{ itemId: id.rod, quantity: '10', requiredDate: '2026-12-31' }]);
    const lineId = req.lines[0]!.id;
    const first = await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier, lines: [{ requisitionLineId: lineId, quantity: '4' }] });
    expect(first.status).toBe(201);
    expect(first.body.lines[0]).toMatchObject({ quantity: '4.0000', baseQuantity: '4000.0000', promisedDate: '2026-12-31', requisitionLineId: lineId });
    const before = await counts();
    const over = await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier2, lines: [{ requisitionLineId: lineId, quantity: '6.5' }] });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('请购 10000，已下单 4000，本次 6500');
    expect(over.body.error.details[0].field).toBe('body.lines.0.requisitionLineId');
    expect(await counts()).toEqual(before);
    const rest = await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier2 });
    expect(rest.status).toBe(201);
    expect(rest.body.lines[0]).toMatchObject({ quantity: '6.0000', unit: { code: 'T' } });
    const after = (await wang('get', `/api/v1/purchase-requisitions/${req.id}`)).body;
    expect(after).toMatchObject({ orderProgress: 'full' });
    expect(after.orders.map((o: { id: string }) => o.id).sort()).toEqual([first.body.id, rest.body.id].sort());
    const none = await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toContain('已全部下单');
    // Deleting a draft order gives its quantity back to the requisition.
    await wang('delete', `/api/v1/purchase-orders/${first.body.id}`).expect(204);
    expect((await wang('get', `/api/v1/purchase-requisitions/${req.id}`)).body.lines[0]).toMatchObject({ orderedQuantity: '6000.0000', remainingQuantity: '4000.0000' });
  });

  it('未知行 → 400；另一张请购单的行 → 400', async () => {
    const req = await submitted();
    const other = await submitted();
    const r = await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier, lines: [{ requisitionLineId: other.lines[0]!.id }] });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].field).toBe('body.lines.0.requisitionLineId');
    const bad = await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: '00000000-0000-4000-8000-000000000000' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.supplierId');
  });

  it('20 个并发下单同一请购行（每单 3 吨，请购 10 吨）：恰好 3 单成功，已下单 9000', async () => {
    const req = await submitted();
    const lineId = req.lines[0]!.id;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier, lines: [{ requisitionLineId: lineId, quantity: '3' }] })),
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409)).toHaveLength(17);
    const line = await t.database.system.purchaseRequisitionLine.findUniqueOrThrow({ where: { id: lineId } });
    expect(line.orderedQuantity.toFixed(4)).toBe('9000.0000');
    expect(await t.database.system.purchaseOrderLine.count({ where: { requisitionLineId: lineId } })).toBe(3);
  });

  it('修改来自请购的订单明细：重新占用，不超请购', async () => {
    const req = await submitted([{ itemId: id.rod, quantity: '10' }]);
    const po = (await wang('post', `/api/v1/purchase-requisitions/${req.id}/to-order`).send({ supplierId: id.supplier, lines: [{ requisitionLineId: req.lines[0]!.id, quantity: '5' }] })).body;
    const grow = await wang('patch', `/api/v1/purchase-orders/${po.id}`).send({
      version: po.version, lines: [{ itemId: id.rod, quantity: '8', unitPrice: '6000', requisitionLineId: req.lines[0]!.id }],
    });
    expect(grow.status).toBe(200);
    expect((await wang('get', `/api/v1/purchase-requisitions/${req.id}`)).body.lines[0].orderedQuantity).toBe('8000.0000');
    const tooMuch = await wang('patch', `/api/v1/purchase-orders/${po.id}`).send({
      version: grow.body.version, lines: [{ itemId: id.rod, quantity: '11', requisitionLineId: req.lines[0]!.id }],
    });
    expect(tooMuch.status).toBe(409);
    expect((await wang('get', `/api/v1/purchase-requisitions/${req.id}`)).body.lines[0].orderedQuantity).toBe('8000.0000');
    const wrongItem = await wang('patch', `/api/v1/purchase-orders/${po.id}`).send({
      version: grow.body.version, lines: [{ itemId: id.a2, quantity: '1', requisitionLineId: req.lines[0]!.id }],
    });
    expect(wrongItem.status).toBe(400);
    expect(wrongItem.body.error.details[0].field).toBe('body.lines.0.requisitionLineId');
  });

  it('另一家公司看不到本公司的请购单', async () => {
    const req = await submitted();
    await createSecondCompany(t);
    const other = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/purchase-requisitions/${req.id}`)).status).toBe(404);
    expect((await other('post', `/api/v1/purchase-requisitions/${req.id}/submit`)).status).toBe(404);
  });
});
