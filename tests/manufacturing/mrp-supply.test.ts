// 物料需求计算 does not order again what is already on its way, through the HTTP API on PostgreSQL:
// goods received 待检 (their receipt already took them off the PO's open quantity) are supply, and
// stay so after 质检 (rejected ones do not count); a PO made from a requisition still in draft or in
// approval is supply (the requisition no longer offers that quantity); a cancelled one is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let sun: AuthedClient; // 计划员: items, requisitions, MRP
let wang: AuthedClient; // 采购员: purchase orders
let zhao: AuthedClient; // 仓管员: receipts
let zhou: AuthedClient; // 质检员
let admin: AuthedClient;
let tag: string;
let supplierId: string;
let customerId: string;
let pcs: string;

const day = (offset: number) => {
  const d = new Date(`${todayInShanghai()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

/** A bought item (lead time 1 day, lot-for-lot) with a confirmed sales order for `quantity` due today + 10. */
async function itemWithDemand(key: string, quantity: string, standardCost = '1') {
  const code = `${tag}-${key}`;
  const res = await sun('post', '/api/v1/items').send({ code, name: `在途测试 ${key}`, kind: 'raw', sourcing: 'buy', baseUnitId: pcs, leadTimeDays: 1, standardCost, salePrice: '1' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const so = await admin('post', '/api/v1/sales-orders').send({ customerId, requestedDate: day(10), lines: [{ itemId: res.body.id, unitId: pcs, quantity }] });
  expect(so.status, JSON.stringify(so.body)).toBe(201);
  expect((await admin('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({})).status).toBe(200);
  return res.body.id as string;
}

/** Runs MRP and returns the suggestions for this file's item `key` as [key, quantity, due date]. */
async function suggestions(key: string) {
  const run = await sun('post', '/api/v1/mrp/runs');
  expect(run.status, JSON.stringify(run.body)).toBe(201);
  expect(run.body.state).toBe('completed');
  const res = await sun('get', `/api/v1/mrp/suggestions?q=${tag}-${key}&pageSize=50`);
  expect(res.status).toBe(200);
  return (res.body.items as { item: { code: string }; quantity: string; dueDate: string }[])
    .map((s) => [s.item.code.slice(tag.length + 1), s.quantity, s.dueDate])
    .sort((x, y) => x[2]!.localeCompare(y[2]!));
}

beforeAll(async () => {
  t = await createTestApp();
  [sun, wang, zhao, zhou, admin] = await Promise.all([as(t, 'sun.jh'), as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'zhou.zj'), as(t, 'admin')]);
  tag = uniqueCode('MRPS');
  const sys = t.database.system;
  supplierId = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
  customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0001' } })).id;
  pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
});
afterAll(async () => t?.close());

describe('在途不重复建议', () => {
  it('待检入库算供给：PO 100 收 60 待检 → 150 只缺 50；质检合格 50、不合格 10 → 缺 60（不合格不算）', async () => {
    const a = await itemWithDemand('A', '150');
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: a, unitId: pcs, quantity: '100', unitPrice: '1.13' }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`).send({})).body.state).toBe('confirmed');
    const rc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({ lines: [{ orderLineId: po.body.lines[0].id, quantity: '60', qualityStatus: 'pending' }] });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    // 150 − (100 − 60 still open on the PO) − 60 待检 = 50 (the old reading left the 60 out: 110)
    expect(await suggestions('A')).toEqual([['A', '50.0000', day(10)]]);
    const inspection = (await zhou('get', `/api/v1/quality-inspections?q=${rc.body.number}`)).body.items[0];
    const rejects = await admin('post', '/api/v1/warehouses').send({ code: uniqueCode('REJ'), name: '不良品仓' });
    const qc = await zhou('post', `/api/v1/quality-inspections/${inspection.id}/results`)
      .send({ passedQuantity: '50', failedQuantity: '10', rejectWarehouseId: rejects.body.id, version: inspection.version });
    expect(qc.status, JSON.stringify(qc.body)).toBe(200);
    // 150 − 40 open − 50 合格 free = 60: the 10 rejected are not supply
    expect(await suggestions('A')).toEqual([['A', '60.0000', day(10)]]);
  });

  it('请购单下的采购订单在草稿、待审批时仍算供给；取消订单和请购单后订单数量不再算', async () => {
    const b = await itemWithDemand('B', '80', '1000');
    const req = await sun('post', '/api/v1/purchase-requisitions').send({ lines: [{ itemId: b, unitId: pcs, quantity: '80', requiredDate: day(5) }] });
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect((await sun('post', `/api/v1/purchase-requisitions/${req.body.id}/submit`)).status).toBe(200);
    // priced at the standard cost, ¥1,000 a piece: ¥80,000 needs the 总经理's approval (demo flow from ¥50,000)
    const po = await wang('post', `/api/v1/purchase-requisitions/${req.body.id}/to-order`).send({ supplierId });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect(po.body.state).toBe('draft');
    // the requisition no longer offers the 80; the draft order does (the old reading suggested 80 again)
    expect(await suggestions('B')).toEqual([]);
    const submitted = await wang('post', `/api/v1/purchase-orders/${po.body.id}/submit`);
    expect(submitted.body.state, JSON.stringify(submitted.body)).toBe('pendingApproval');
    expect(await suggestions('B')).toEqual([]);
    // cancelled (which gives the 80 back to the requisition), and the requisition cancelled too:
    // the cancelled order's 80 is supply nowhere
    expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/cancel`).send({ reason: '改单' })).status).toBe(200);
    expect((await wang('post', `/api/v1/purchase-requisitions/${req.body.id}/cancel`).send({ reason: '改单' })).status).toBe(200);
    expect(await suggestions('B')).toEqual([['B', '80.0000', day(10)]]);
  });

  it('手工新建的采购订单草稿（询价中）不算供给，提交审批后才算', async () => {
    const c = await itemWithDemand('C', '70');
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: c, unitId: pcs, quantity: '70', unitPrice: '1.13' }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect(po.body.state).toBe('draft');
    // an enquiry typed in by hand may never be sent: the 70 are still suggested
    expect(await suggestions('C')).toEqual([['C', '70.0000', day(10)]]);
    const submitted = await wang('post', `/api/v1/purchase-orders/${po.body.id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(['pendingApproval', 'confirmed']).toContain(submitted.body.state);
    expect(await suggestions('C')).toEqual([]);
  });
});
