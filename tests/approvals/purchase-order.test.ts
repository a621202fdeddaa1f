// 采购订单审批 through the API: the demo 采购订单 flow (总经理 when the amount in CNY is ≥ ¥50,000).
// Submit → 待审批 and locked; 老板 agrees → confirmed and on order in the deciding transaction;
// rejected / withdrawn → back to draft with the reason on the timeline; cancelled while pending;
// 50 concurrent decisions → exactly one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let wang: AuthedClient; // 王采购: purchaseOrder:*
let boss: AuthedClient; // 老板: the 总经理 step
let zhang: AuthedClient; // 张经理: no part in purchase approvals
let admin: AuthedClient;
const id: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [wang, boss, zhang, admin] = await Promise.all([as(t, 'wang.cg'), as(t, 'boss'), as(t, 'zhang.jl'), as(t, 'admin')]);
  const sys = t.database.system;
  id.supplier = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id; // 永昌金属, CNY
  id.rod = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-6.5' } })).id; // purchase unit 吨 = 1000 KG
  id.boss = (await sys.user.findFirstOrThrow({ where: { username: 'boss' } })).id;
  id.wang = (await sys.user.findFirstOrThrow({ where: { username: 'wang.cg' } })).id;
});
afterAll(async () => t?.close());

/** A draft PO of `tons` 吨 盘条 at `price` a ton (含税), so its total is tons × price. */
async function draftPO(tons: string, price: string, supplierId = id.supplier!) {
  const res = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: id.rod, quantity: tons, unitPrice: price }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string; version: number; totalWithTax: string };
}

async function submitPO(orderId: string) {
  const res = await wang('post', `/api/v1/purchase-orders/${orderId}/submit`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; state: string; stateLabel: string; version: number; timeline: { kind: string; message: string }[] };
}

const approvalsOf = (orderId: string) => t.database.system.approval.findMany({ where: { documentType: 'purchaseOrder', documentId: orderId }, orderBy: { createdAt: 'asc' } });
const poRow = (orderId: string) => t.database.system.purchaseOrder.findUniqueOrThrow({ where: { id: orderId } });
const kinds = async (orderId: string) => (await t.database.system.timelineEntry.findMany({ where: { orderId }, orderBy: { id: 'asc' } })).map((e) => e.kind);
const onOrder = async () => (await wang('get', `/api/v1/items/${id.rod}/on-order`)).body as { total: string; warehouses: { orders: { orderId: string; openQuantity: string }[] }[] };
const onOrderOf = async (orderId: string) => (await onOrder()).warehouses.flatMap((w) => w.orders).filter((o) => o.orderId === orderId);
const mark = async () => (await t.database.system.outboxEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
const eventsSince = async (m: bigint) =>
  (await t.database.system.outboxEvent.findMany({ where: { id: { gt: m } }, orderBy: { id: 'asc' } })).map((e) => ({ type: e.type, payload: e.payload as Record<string, unknown> }));

describe('¥60,000 采购订单：总经理审批', () => {
  it('王采购提交 → 待审批（老板一个待办，规则写在时间线上）；同意 → 已确认并计入在订量', async () => {
    const po = await draftPO('10', '6000');
    expect(po.totalWithTax).toBe('60000.00');
    const before = await onOrder();
    const m = await mark();
    const submitted = await submitPO(po.id);
    expect(submitted).toMatchObject({ state: 'pendingApproval', stateLabel: '待审批', version: po.version + 1 });
    expect(submitted.timeline.at(-1)).toMatchObject({ kind: 'submitted', message: '提交审批：金额 ¥60,000.00 达到 ¥50,000.00，需总经理审批' });
    // Pending is not on order yet.
    expect((await onOrder()).total).toBe(before.total);

    const [approval, ...more] = await approvalsOf(po.id);
    expect(more).toHaveLength(0);
    expect(approval).toMatchObject({ businessType: 'purchaseOrder', state: 'pending', applicantId: id.wang, documentNumber: po.number, documentVersion: submitted.version });
    const tasks = await t.database.system.approvalTask.findMany({ where: { approvalId: approval!.id } });
    expect(tasks.map((x) => [x.approverId, x.state])).toEqual([[id.boss, 'pending']]);
    const events = await eventsSince(m);
    expect(events.filter((e) => e.type === 'approval.requested').map((e) => e.payload.approverIds)).toEqual([[id.boss]]);
    expect(events.filter((e) => e.type === 'order.progress').map((e) => e.payload.kind)).toEqual(['submitted']);

    // 老板's inbox and the detail the card / mini-app show.
    const pending = await boss('get', '/api/v1/approvals/pending');
    expect(pending.body.items.map((a: { id: string }) => a.id)).toContain(approval!.id);
    const detail = await boss('get', `/api/v1/approvals/${approval!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ documentRoute: `purchase-orders/${po.id}`, title: `采购订单审批 · ${po.number}` });
    expect(detail.body.summary.fields).toEqual([
      { label: '供应商', value: '张家港市永昌金属材料有限公司' },
      { label: '金额', value: '¥60,000.00' },
      { label: '明细', value: '1 行' },
      { label: '采购员', value: '王采购' },
    ]);

    const m2 = await mark();
    const agreed = await boss('post', `/api/v1/approvals/${approval!.id}/decide`).send({ decision: 'agree', documentVersion: submitted.version });
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
    expect(agreed.body.state).toBe('approved');
    const row = await poRow(po.id);
    expect(row.state).toBe('confirmed');
    expect(row.confirmedAt).not.toBeNull();
    expect(await kinds(po.id)).toEqual(['created', 'submitted', 'approved', 'confirmed']);
    expect(await onOrderOf(po.id)).toEqual([expect.objectContaining({ openQuantity: '10000.0000' })]);
    expect(Number((await onOrder()).total) - Number(before.total)).toBe(10000);
    // The decision and the release are one transaction: decided event, then the order's steps.
    const after = await eventsSince(m2);
    expect(after.filter((e) => e.type === 'order.progress').map((e) => e.payload.kind)).toEqual(['approved', 'confirmed']);
    expect(after.filter((e) => e.type === 'approval.decided').map((e) => e.payload.state)).toEqual(['approved']);
    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'purchaseOrder', entityId: po.id, action: 'confirm' } });
    expect(audit).toMatchObject({ userId: id.boss, before: { state: 'pendingApproval' }, after: { state: 'confirmed' } });
    // Receipts are possible now.
    const view = await wang('get', `/api/v1/purchase-orders/${po.id}`);
    expect(view.body).toMatchObject({ state: 'confirmed', stateLabel: '已确认' });
  });

  it('¥10,000 的采购订单提交后直接确认，不发起审批', async () => {
    const po = await draftPO('2', '5000');
    const submitted = await submitPO(po.id);
    expect(submitted.state).toBe('confirmed');
    expect(await approvalsOf(po.id)).toHaveLength(0);
    expect(await kinds(po.id)).toEqual(['created', 'confirmed']);
    expect(await onOrderOf(po.id)).toEqual([expect.objectContaining({ openQuantity: '2000.0000' })]);
  });

  it('金额按本位币判断：$9,000（汇率 7.12 → ¥64,080）需审批，$5,000 不需要', async () => {
    const created = await admin('post', '/api/v1/suppliers').send({ code: 'S9001', name: 'Acme Wire Inc.', currencyCode: 'USD' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const big = await draftPO('10', '900', created.body.id);
    expect((await submitPO(big.id)).state).toBe('pendingApproval');
    const [approval] = await approvalsOf(big.id);
    expect(approval!.summary).toMatchObject({ facts: { amount: '64080.00' }, currencyCode: 'USD', totalWithTax: '9000.00' });
    const small = await draftPO('10', '500', created.body.id);
    expect((await submitPO(small.id)).state).toBe('confirmed');
  });
});

describe('驳回、撤回、待审批中锁定、取消', () => {
  it('老板驳回 → 草稿，原因写在时间线上；改价后可以重新提交', async () => {
    const po = await draftPO('10', '6000');
    await submitPO(po.id);
    const [approval] = await approvalsOf(po.id);
    const missing = await boss('post', `/api/v1/approvals/${approval!.id}/decide`).send({ decision: 'reject' });
    expect(missing.status).toBe(400);
    const res = await boss('post', `/api/v1/approvals/${approval!.id}/decide`).send({ decision: 'reject', comment: '单价偏高，请重新询价' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe('rejected');
    const view = (await wang('get', `/api/v1/purchase-orders/${po.id}`)).body;
    expect(view.state).toBe('draft');
    expect(view.timeline.at(-1)).toMatchObject({ kind: 'approvalRejected', message: '审批驳回（老板）：单价偏高，请重新询价，采购订单退回草稿', actor: { name: '老板' } });
    expect(await onOrderOf(po.id)).toEqual([]);

    // The applicant changes it (version required) and submits again: a new approval.
    const patched = await wang('patch', `/api/v1/purchase-orders/${po.id}`).send({ version: view.version, lines: [{ itemId: id.rod, quantity: '10', unitPrice: '5800' }] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.totalWithTax).toBe('58000.00');
    expect((await submitPO(po.id)).state).toBe('pendingApproval');
    const all = await approvalsOf(po.id);
    expect(all.map((a) => a.state)).toEqual(['rejected', 'pending']);
  });

  it('待审批中不能修改、删除或手工确认（409），数据不变；非审批人不能审批（403）', async () => {
    const po = await draftPO('10', '6000');
    const submitted = await submitPO(po.id);
    const before = await poRow(po.id);
    const lines = await t.database.system.purchaseOrderLine.findMany({ where: { orderId: po.id } });

    const edit = await wang('patch', `/api/v1/purchase-orders/${po.id}`).send({ version: submitted.version, remark: '改一下', lines: [{ itemId: id.rod, quantity: '1', unitPrice: '6000' }] });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toContain('待审批');
    const del = await wang('delete', `/api/v1/purchase-orders/${po.id}`);
    expect(del.status).toBe(409);
    const confirm = await wang('post', `/api/v1/purchase-orders/${po.id}/confirm`);
    expect(confirm.status).toBe(409);
    expect(confirm.body.error.message).toContain('待审批中');
    const again = await wang('post', `/api/v1/purchase-orders/${po.id}/submit`);
    expect(again.status).toBe(409);
    const [approval] = await approvalsOf(po.id);
    const stranger = await zhang('post', `/api/v1/approvals/${approval!.id}/decide`).send({ decision: 'agree' });
    expect(stranger.status).toBe(403);

    expect(await poRow(po.id)).toEqual(before);
    expect(await t.database.system.purchaseOrderLine.findMany({ where: { orderId: po.id } })).toEqual(lines);
    expect(await approvalsOf(po.id)).toHaveLength(1);
    expect((await approvalsOf(po.id))[0]!.state).toBe('pending');
  });

  it('申请人撤回 → 草稿（时间线记录撤回）', async () => {
    const po = await draftPO('10', '6000');
    await submitPO(po.id);
    const [approval] = await approvalsOf(po.id);
    const res = await wang('post', `/api/v1/approvals/${approval!.id}/withdraw`).send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe('withdrawn');
    expect((await poRow(po.id)).state).toBe('draft');
    expect((await kinds(po.id)).at(-1)).toBe('approvalWithdrawn');
  });

  it('待审批中取消 → 已取消，审批结束为已撤回；老板再点同意 → 409，订单不变', async () => {
    const po = await draftPO('10', '6000');
    await submitPO(po.id);
    const [approval] = await approvalsOf(po.id);
    const res = await wang('post', `/api/v1/purchase-orders/${po.id}/cancel`).send({ reason: '供应商缺货' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe('cancelled');
    const ended = await t.database.system.approval.findUniqueOrThrow({ where: { id: approval!.id } });
    expect(ended).toMatchObject({ state: 'withdrawn', decidedById: id.wang });
    const late = await boss('post', `/api/v1/approvals/${approval!.id}/decide`).send({ decision: 'agree' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/^已由 王采购 于 \d{2}:\d{2} 处理（已撤回）$/);
    expect((await poRow(po.id)).state).toBe('cancelled');
    expect(await kinds(po.id)).toEqual(['created', 'submitted', 'cancelled']);
    expect(await onOrderOf(po.id)).toEqual([]);
  });
});

describe('并发', () => {
  it.each([
    ['只有同意', false],
    ['同意与驳回混合', true],
  ])('50 个并发审批（%s）：恰好一个决定、一次状态变化', async (_name, mixed) => {
    const po = await draftPO('10', '6000');
    const submitted = await submitPO(po.id);
    const [approval] = await approvalsOf(po.id);
    const m = await mark();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const body = mixed && i % 3 === 0 ? { decision: 'reject', comment: `第 ${i} 次：驳回` } : { decision: 'agree' };
        return boss('post', `/api/v1/approvals/${approval!.id}/decide`).send(i % 2 ? { ...body, documentVersion: submitted.version } : body);
      }),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(results.filter((r) => r.status === 409).every((r) => /^已由 老板 于 \d{2}:\d{2} 处理（已(同意|驳回)）$/.test(r.body.error.message))).toBe(true);

    const final = await t.database.system.approval.findUniqueOrThrow({ where: { id: approval!.id } });
    const decisions = await t.database.system.approvalAction.count({ where: { approvalId: approval!.id, action: { in: ['agree', 'reject'] } } });
    expect(decisions).toBe(1);
    const events = await eventsSince(m);
    expect(events.filter((e) => e.type === 'approval.decided')).toHaveLength(1);
    const steps = await kinds(po.id);
    if (!mixed) expect(final.state).toBe('approved');
    if (final.state === 'approved') {
      expect((await poRow(po.id)).state).toBe('confirmed');
      expect(steps.filter((k) => k === 'confirmed')).toHaveLength(1);
      expect(await onOrderOf(po.id)).toHaveLength(1);
    } else {
      expect(final.state).toBe('rejected');
      expect((await poRow(po.id)).state).toBe('draft');
      expect(steps.filter((k) => k === 'approvalRejected')).toHaveLength(1);
      expect(steps).not.toContain('confirmed');
    }
  });

  it('50 个并发提交同一订单：只发起一个审批，其余 409', async () => {
    const po = await draftPO('10', '6000');
    const results = await Promise.all(Array.from({ length: 50 }, () => wang('post', `/api/v1/purchase-orders/${po.id}/submit`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(49);
    expect(await approvalsOf(po.id)).toHaveLength(1);
    expect((await kinds(po.id)).filter((k) => k === 'submitted')).toHaveLength(1);
  });
  it('待审批中取消与老板同意赛跑 10 次：要么已取消且不在订，要么已确认且在订；没有死锁', async () => {
    for (let i = 0; i < 10; i++) {
      const po = await draftPO('10', '6000');
      await submitPO(po.id);
      const [approval] = await approvalsOf(po.id);
      const [decided, cancelled] = await Promise.all([
        boss('post', `/api/v1/approvals/${approval!.id}/decide`).send({ decision: 'agree' }),
        wang('post', `/api/v1/purchase-orders/${po.id}/cancel`).send({ reason: '不要了' }),
      ]);
      for (const r of [decided, cancelled]) expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
      expect(cancelled.status).toBe(200); // a confirmed order with nothing received may still be cancelled
      const state = (await poRow(po.id)).state;
      expect(state).toBe('cancelled');
      expect(await onOrderOf(po.id)).toEqual([]);
      const ended = await t.database.system.approval.findUniqueOrThrow({ where: { id: approval!.id } });
      expect(ended.state).toBe(decided.status === 200 ? 'approved' : 'withdrawn');
      const steps = await kinds(po.id);
      expect(steps.filter((k) => k === 'confirmed')).toHaveLength(decided.status === 200 ? 1 : 0);
    }
  });
});
