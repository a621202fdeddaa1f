// Story 1 through the API: 李销售 enters an order at 15 % → 待审批 → 张经理 agrees → 已确认 with
// stock reserved; 25 % needs 张经理 then 老板, and 老板's rejection sends it back to 草稿 with the
// reason on the timeline; 8 % is confirmed at once. History, audit and outbox checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, approvalOf, approvalWorld, eventsSince, mark, orderAt, orderState, submit, timelineOf, type ApprovalWorld } from './helpers.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
});
afterAll(async () => w?.t.close());

describe('故事 1：折扣审批', () => {
  it('15%：提交 → 待审批（锁定）→ 张经理在待办里同意 → 已确认并预留库存', async () => {
    const { c, user } = w;
    const order = await orderAt(w, c['li.xs'], '0.15');
    const m = await mark(w);
    const submitted = await submit(c['li.xs'], order.id);
    expect(submitted.state).toBe('pendingApproval');
    expect(submitted.lines[0]!.reservedQuantity).toBe('0.0000');
    const approval = await approvalOf(w, order.id);
    expect(approval).toMatchObject({ state: 'pending', businessType: 'salesDiscount', documentVersion: submitted.version, applicantId: user['li.xs'], currentStep: 0 });

    // 待审批的订单不能修改、不能手工确认。
    expect((await c['li.xs']('patch', `/api/v1/sales-orders/${order.id}`).send({ version: submitted.version, remark: '改' })).status).toBe(409);
    expect((await c['zhang.jl']('post', `/api/v1/sales-orders/${order.id}/confirm`).send({})).status).toBe(409);

    const requested = await eventsSince(w, m);
    expect(requested).toEqual([{ type: 'approval.requested', payload: expect.objectContaining({
      approvalId: approval.id, documentType: 'salesOrder', documentId: order.id, documentVersion: submitted.version, stepIndex: 0, stepName: '销售经理',
      approverIds: [user['zhang.jl']], taskIds: [expect.any(String)], applicantId: user['li.xs'], title: expect.stringMatching(/^销售折扣审批 · SO-/),
    }) }]);

    const pending = await c['zhang.jl']('get', '/api/v1/approvals/pending?q=SO-');
    expect(pending.status).toBe(200);
    const item = pending.body.items.find((i: { id: string }) => i.id === approval.id);
    expect(item).toMatchObject({ state: 'pending', stateLabel: '审批中', applicant: { name: '李销售' }, currentStep: { index: 0, name: '销售经理', mode: 'anyOf' }, myTaskId: expect.any(String) });
    expect(item.summary).toMatchObject({ rule: '折扣 15.0% 超过 10%，需销售经理审批', discountRate: '0.1500' });
    expect(item.summary.fields).toContainEqual({ label: '折扣', value: '15.0%' });
    expect((await c['li.xs']('get', '/api/v1/approvals/submitted')).body.items.map((i: { id: string }) => i.id)).toContain(approval.id);
    expect((await c.boss('get', '/api/v1/approvals/pending')).body.items.map((i: { id: string }) => i.id)).not.toContain(approval.id);

    const detail = await c['li.xs']('get', `/api/v1/approvals/${approval.id}`);
    expect(detail.body).toMatchObject({ canDecide: false, canWithdraw: true, documentRoute: `sales-orders/${order.id}`, flow: { version: 1 } });
    expect(detail.body.steps).toEqual([expect.objectContaining({ index: 0, name: '销售经理', state: 'active', tasks: [expect.objectContaining({ approver: { id: user['zhang.jl'], name: '张经理' }, state: 'pending', origin: 'rule' })] })]);

    const m2 = await mark(w);
    const res = await c['zhang.jl']('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree', comment: '同意，下不为例', documentVersion: String(submitted.version) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ state: 'approved', stateLabel: '已同意', decidedBy: { name: '张经理' }, canDecide: false });
    expect(res.body.history.map((h: { action: string; actor: { name: string } | null }) => [h.action, h.actor?.name])).toEqual([['submit', '李销售'], ['agree', '张经理']]);

    expect(await orderState(w, order.id)).toMatchObject({ state: 'confirmed', reserved: 10000, reservations: 1 });
    const timeline = await timelineOf(w, order.id);
    expect(timeline.map((e) => e.kind)).toEqual(['created', 'submitted', 'approved', 'confirmed']);
    expect(timeline[1]!.message).toBe('提交审批：折扣 15.0% 超过 10%，需销售经理审批');
    const decided = await eventsSince(w, m2);
    expect(decided).toEqual([{ type: 'approval.decided', payload: expect.objectContaining({
      approvalId: approval.id, state: 'approved', decidedBy: { id: user['zhang.jl'], name: '张经理' }, at: expect.stringMatching(/\+08:00$/), reason: null,
    }) }]);
    expect((await eventsSince(w, m2, 'order.')).map((e) => e.payload.kind)).toEqual(['approved', 'confirmed']);
    const audit = await w.t.database.system.auditLog.findMany({ where: { entityId: { in: [approval.id, order.id] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => `${a.entity}:${a.action}`)).toEqual(['salesOrder:create', 'salesOrder:submit', 'approval:submit', 'approval:agree', 'salesOrder:confirm']);
    expect((await c['zhang.jl']('get', '/api/v1/approvals/pending')).body.items.map((i: { id: string }) => i.id)).not.toContain(approval.id);
  });

  it('25%：张经理同意后到老板；老板驳回并写原因 → 订单退回草稿，原因在时间线上；改后可重新提交', async () => {
    const { c, user } = w;
    const order = await orderAt(w, c['li.xs'], '0.25');
    const submitted = await submit(c['li.xs'], order.id);
    const approval = await approvalOf(w, order.id);
    expect(approval.summary).toMatchObject({ rule: '折扣 25.0% 超过 10%，需销售经理审批；折扣 25.0% 超过 20%，需总经理审批' });
    // 老板 is not asked yet.
    expect((await c.boss('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' })).status).toBe(403);

    const m = await mark(w);
    const agreed = await c['zhang.jl']('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree', documentVersion: submitted.version });
    expect(agreed.status).toBe(200);
    expect(agreed.body).toMatchObject({ state: 'pending', currentStep: { index: 1, name: '总经理' } });
    expect(agreed.body.steps.map((s: { state: string }) => s.state)).toEqual(['agreed', 'active']);
    expect((await orderState(w, order.id)).state).toBe('pendingApproval');
    const events = await eventsSince(w, m);
    expect(events.map((e) => e.type).sort()).toEqual(['approval.changed', 'approval.requested']);
    expect(events.find((e) => e.type === 'approval.requested')!.payload).toMatchObject({ stepIndex: 1, approverIds: [user.boss] });
    expect(events.find((e) => e.type === 'approval.changed')!.payload).toMatchObject({ kind: 'agree', stepIndex: 0, stepDone: true, by: { name: '张经理' } });
    expect((await c.boss('get', '/api/v1/approvals/pending')).body.items.map((i: { id: string }) => i.id)).toContain(approval.id);

    const m2 = await mark(w);
    const rejected = await c.boss('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'reject', comment: '折扣过大，最多给 18%' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'rejected', rejectReason: '折扣过大，最多给 18%', decidedBy: { name: '老板' } });
    const after = await orderState(w, order.id);
    expect(after).toMatchObject({ state: 'draft', reserved: 0 });
    const timeline = await timelineOf(w, order.id);
    expect(timeline.at(-1)).toEqual({ kind: 'approvalRejected', message: '审批驳回（老板）：折扣过大，最多给 18%，订单退回草稿' });
    expect(await eventsSince(w, m2)).toEqual([{ type: 'approval.decided', payload: expect.objectContaining({ state: 'rejected', reason: '折扣过大，最多给 18%', decidedBy: { id: user.boss, name: '老板' } }) }]);
    expect(await actionsOf(w, approval.id)).toEqual(['submit', 'agree', 'reject']);

    // Back in draft: 李销售 lowers the discount to 18 % and submits again → a new approval (张经理 only).
    const edited = await c['li.xs']('patch', `/api/v1/sales-orders/${order.id}`).send({ version: after.version, lines: [{ itemId: w.m8, quantity: '10', discountRate: '0.18' }] });
    expect(edited.status).toBe(200);
    await submit(c['li.xs'], order.id);
    const second = await approvalOf(w, order.id);
    expect(second.id).not.toBe(approval.id);
    expect(second.summary).toMatchObject({ rule: '折扣 18.0% 超过 10%，需销售经理审批' });
  });

  it('25%：两级都同意 → 已确认', async () => {
    const { c } = w;
    const order = await orderAt(w, c['li.xs'], '0.25');
    await submit(c['li.xs'], order.id);
    const approval = await approvalOf(w, order.id);
    expect((await c['zhang.jl']('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' })).status).toBe(200);
    const res = await c.boss('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' });
    expect(res.body.state).toBe('approved');
    expect(await orderState(w, order.id)).toMatchObject({ state: 'confirmed', reserved: 10000 });
  });

  it('8%：不需要审批，提交即确认', async () => {
    const order = await orderAt(w, w.c['li.xs'], '0.08');
    const m = await mark(w);
    const res = await submit(w.c['li.xs'], order.id);
    expect(res.state).toBe('confirmed');
    expect(res.lines[0]!.reservedQuantity).toBe('10000.0000');
    expect(await w.t.database.system.approval.count({ where: { documentId: order.id } })).toBe(0);
    expect(await eventsSince(w, m)).toEqual([]);
    expect((await timelineOf(w, order.id)).map((e) => e.kind)).toEqual(['created', 'confirmed']);
  });

  it('申请人回避：张经理自己提交 15% → 不自批，交给上级老板；老板同意即确认；25% 老板一次同意，总经理节点自动去重', async () => {
    const { c, user } = w;
    const own = await orderAt(w, c['zhang.jl'], '0.15');
    expect((await submit(c['zhang.jl'], own.id)).state).toBe('pendingApproval');
    const a1 = await approvalOf(w, own.id);
    const d1 = (await c['zhang.jl']('get', `/api/v1/approvals/${a1.id}`)).body;
    expect(d1.steps[0].tasks).toEqual([expect.objectContaining({ approver: expect.objectContaining({ name: '老板' }), origin: 'recusal', state: 'pending' })]);
    // 他自己的「同意」不算：他不是这一步的审批人
    expect((await c['zhang.jl']('post', `/api/v1/approvals/${a1.id}/decide`).send({ decision: 'agree', documentVersion: d1.documentVersion })).status).toBe(403);
    const agreed = await c['boss']('post', `/api/v1/approvals/${a1.id}/decide`).send({ decision: 'agree', documentVersion: d1.documentVersion });
    expect(agreed.status).toBe(200);
    expect((await orderState(w, own.id)).state).toBe('confirmed');
    expect((await approvalOf(w, own.id))).toMatchObject({ state: 'approved', decidedById: user['boss'] });

    const big = await orderAt(w, c['zhang.jl'], '0.25');
    expect((await submit(c['zhang.jl'], big.id)).state).toBe('pendingApproval');
    const a2 = await approvalOf(w, big.id);
    const d2 = (await c['zhang.jl']('get', `/api/v1/approvals/${a2.id}`)).body;
    expect(d2.steps.map((s: { state: string }) => s.state)).toEqual(['active', 'waiting']);
    expect((await c['boss']('post', `/api/v1/approvals/${a2.id}/decide`).send({ decision: 'agree', documentVersion: d2.documentVersion })).status).toBe(200);
    const after = (await c['zhang.jl']('get', `/api/v1/approvals/${a2.id}`)).body;
    expect(after.steps.map((s: { state: string }) => s.state)).toEqual(['agreed', 'skipped']);
    expect(after.state).toBe('approved');
    expect((await orderState(w, big.id)).state).toBe('confirmed');
  });

  it('公司关闭「申请人回避」：张经理自己提交 15% → 销售经理节点跳过，直接确认', async () => {
    const { c, user } = w;
    expect((await c['admin']('patch', '/api/v1/company').send({ approvalRecusal: false })).body.approvalRecusal).toBe(false);
    try {
      const own = await orderAt(w, c['zhang.jl'], '0.15');
      expect((await submit(c['zhang.jl'], own.id)).state).toBe('confirmed');
      const a1 = await approvalOf(w, own.id);
      expect(a1).toMatchObject({ state: 'approved', decidedById: user['zhang.jl'] });
      expect(await actionsOf(w, a1.id)).toEqual(['submit', 'skip']);
    } finally {
      await c['admin']('patch', '/api/v1/company').send({ approvalRecusal: true });
    }
  });
});
