// Refusals leave everything as it was; 撤回, 转交, 加签, 评论 and cancelling a pending order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, approvalOf, approvalWorld, eventsSince, mark, orderAt, orderState, submit, timelineOf, type ApprovalWorld } from './helpers.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
});
afterAll(async () => w?.t.close());

/** A 15 % order of 李销售, submitted: pending at 张经理. */
async function pendingAtZhang() {
  const order = await orderAt(w, w.c['li.xs'], '0.15');
  const submitted = await submit(w.c['li.xs'], order.id);
  return { order, version: submitted.version, approval: await approvalOf(w, order.id) };
}

/** Everything a refused call must leave untouched. */
async function footprint(approvalId: string, orderId: string) {
  const sys = w.t.database.system;
  const a = await sys.approval.findUniqueOrThrow({ where: { id: approvalId } });
  return {
    approval: [a.state, a.version, a.currentStep],
    actions: await sys.approvalAction.count({ where: { approvalId } }),
    tasks: (await sys.approvalTask.findMany({ where: { approvalId }, orderBy: { id: 'asc' } })).map((t) => [t.approverId, t.state]),
    order: await orderState(w, orderId),
    outbox: await sys.outboxEvent.count(),
    audit: await sys.auditLog.count(),
  };
}

describe('拒绝：什么都不变', () => {
  it('非审批人 → 403「你不是当前审批人」；驳回不写原因 → 400；单据版本过期 → 409', async () => {
    const { order, version, approval } = await pendingAtZhang();
    const before = await footprint(approval.id, order.id);
    const url = `/api/v1/approvals/${approval.id}/decide`;

    let res = await w.c['wu.xs']('post', url).send({ decision: 'agree' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('你不是当前审批人');
    res = await w.c['li.xs']('post', url).send({ decision: 'agree' }); // the applicant is no approver
    expect(res.status).toBe(403);

    res = await w.c['zhang.jl']('post', url).send({ decision: 'reject' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'body.comment', label: '意见', message: '驳回必须填写原因' }]);
    res = await w.c['zhang.jl']('post', url).send({ decision: 'maybe' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.decision');

    res = await w.c['zhang.jl']('post', url).send({ decision: 'agree', documentVersion: version - 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('单据已变更');
    expect(res.body.error.details).toEqual([{ field: 'body.documentVersion', label: '单据版本号', message: '单据版本已过期' }]);

    expect((await w.c['zhang.jl']('post', '/api/v1/approvals/00000000-0000-4000-8000-000000000000/decide').send({ decision: 'agree' })).status).toBe(404);
    expect(await footprint(approval.id, order.id)).toEqual(before);
  });

  it('已处理的审批 → 409「已由 张经理 于 hh:mm 处理（已同意）」；已撤回的 → 409 写明撤回', async () => {
    const first = await pendingAtZhang();
    expect((await w.c['zhang.jl']('post', `/api/v1/approvals/${first.approval.id}/decide`).send({ decision: 'agree' })).status).toBe(200);
    let before = await footprint(first.approval.id, first.order.id);
    let res = await w.c['zhang.jl']('post', `/api/v1/approvals/${first.approval.id}/decide`).send({ decision: 'reject', comment: '改主意了' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^已由 张经理 于 \d{2}:\d{2} 处理（已同意）$/);
    expect(await footprint(first.approval.id, first.order.id)).toEqual(before);

    const second = await pendingAtZhang();
    expect((await w.c['li.xs']('post', `/api/v1/approvals/${second.approval.id}/withdraw`).send({ comment: '客户要改数量' })).status).toBe(200);
    before = await footprint(second.approval.id, second.order.id);
    res = await w.c['zhang.jl']('post', `/api/v1/approvals/${second.approval.id}/decide`).send({ decision: 'agree' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/^已由 李销售 于 \d{2}:\d{2} 处理（已撤回）$/);
    expect(await footprint(second.approval.id, second.order.id)).toEqual(before);
  });
});

describe('撤回', () => {
  it('申请人在无人处理前撤回 → 订单回到草稿；他人不能撤回；有人同意后不能撤回', async () => {
    const { order, approval } = await pendingAtZhang();
    expect((await w.c['zhang.jl']('post', `/api/v1/approvals/${approval.id}/withdraw`).send({})).status).toBe(403);
    const m = await mark(w);
    const res = await w.c['li.xs']('post', `/api/v1/approvals/${approval.id}/withdraw`).send({ comment: '客户要改数量' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'withdrawn', canWithdraw: false, decidedBy: { name: '李销售' } });
    expect(await orderState(w, order.id)).toMatchObject({ state: 'draft', reserved: 0 });
    expect((await timelineOf(w, order.id)).at(-1)).toEqual({ kind: 'approvalWithdrawn', message: '李销售 撤回审批，订单退回草稿' });
    expect(await eventsSince(w, m)).toEqual([{ type: 'approval.decided', payload: expect.objectContaining({ state: 'withdrawn', reason: '客户要改数量' }) }]);
    expect((await w.c['zhang.jl']('get', '/api/v1/approvals/pending')).body.items.map((i: { id: string }) => i.id)).not.toContain(approval.id);

    const big = await orderAt(w, w.c['li.xs'], '0.25');
    await submit(w.c['li.xs'], big.id);
    const a2 = await approvalOf(w, big.id);
    expect((await w.c['zhang.jl']('post', `/api/v1/approvals/${a2.id}/decide`).send({ decision: 'agree' })).status).toBe(200);
    const late = await w.c['li.xs']('post', `/api/v1/approvals/${a2.id}/withdraw`).send({});
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('已有审批人处理，不能撤回');
  });

  it('待审批的订单被取消 → 审批随之结束（撤回），不再有人待办', async () => {
    const { order, approval } = await pendingAtZhang();
    const res = await w.c['li.xs']('post', `/api/v1/sales-orders/${order.id}/cancel`).send({ reason: '客户取消' });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('cancelled');
    const a = await w.t.database.system.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(a.state).toBe('withdrawn');
    expect((await w.c['zhang.jl']('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' })).status).toBe(409);
  });
});

describe('转交与加签', () => {
  it('转交：张经理交给吴销售 → 吴销售待办、张经理不能再处理；吴销售同意 → 订单确认', async () => {
    const { order, approval } = await pendingAtZhang();
    const url = `/api/v1/approvals/${approval.id}`;
    expect((await w.c['zhang.jl']('post', `${url}/transfer`).send({ toUserId: w.user['li.xs'] })).body.error.details).toEqual([
      { field: 'body.toUserId', label: '转交给', message: '申请人不能审批自己的申请' },
    ]);
    expect((await w.c['zhang.jl']('post', `${url}/transfer`).send({ toUserId: '00000000-0000-4000-8000-000000000000' })).body.error.details[0].field).toBe('body.toUserId');
    expect((await w.c['wu.xs']('post', `${url}/transfer`).send({ toUserId: w.user.boss })).status).toBe(403);

    const m = await mark(w);
    const res = await w.c['zhang.jl']('post', `${url}/transfer`).send({ toUserId: w.user['wu.xs'], comment: '我出差，请吴销售代批' });
    expect(res.status).toBe(200);
    expect(res.body.steps[0].tasks.map((t: { approver: { name: string }; state: string; origin: string }) => [t.approver.name, t.state, t.origin])).toEqual([
      ['张经理', 'transferred', 'rule'],
      ['吴销售', 'pending', 'transfer'],
    ]);
    const [changed] = await eventsSince(w, m);
    expect(changed).toMatchObject({ type: 'approval.changed', payload: { kind: 'transfer', approverIds: [w.user['wu.xs']], by: { name: '张经理' }, comment: '我出差，请吴销售代批' } });
    expect((await w.c['wu.xs']('get', '/api/v1/approvals/pending')).body.items.map((i: { id: string }) => i.id)).toContain(approval.id);

    const again = await w.c['zhang.jl']('post', `${url}/decide`).send({ decision: 'agree' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/^你已于 \d{2}:\d{2} 将此审批转交他人$/);
    expect((await w.c['wu.xs']('post', `${url}/decide`).send({ decision: 'agree' })).body.state).toBe('approved');
    expect((await orderState(w, order.id)).state).toBe('confirmed');
    expect(await actionsOf(w, approval.id)).toEqual(['submit', 'transfer', 'agree']);
  });

  it('加签：张经理加上老板（或签）→ 老板也可以处理；重复加签 → 409', async () => {
    const { order, approval } = await pendingAtZhang();
    const url = `/api/v1/approvals/${approval.id}`;
    const m = await mark(w);
    const res = await w.c['zhang.jl']('post', `${url}/add-approver`).send({ userId: w.user.boss, comment: '金额较大，请老板也看看' });
    expect(res.status).toBe(200);
    expect(res.body.steps[0].tasks.map((t: { approver: { name: string }; origin: string }) => [t.approver.name, t.origin])).toEqual([['张经理', 'rule'], ['老板', 'addApprover']]);
    expect((await eventsSince(w, m))[0]).toMatchObject({ type: 'approval.changed', payload: { kind: 'addApprover', approverIds: [w.user.boss] } });
    const dup = await w.c['zhang.jl']('post', `${url}/add-approver`).send({ userId: w.user.boss });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('老板 已是当前节点的审批人');
    expect((await w.c.boss('post', `${url}/decide`).send({ decision: 'agree' })).body.state).toBe('approved');
    expect((await orderState(w, order.id)).state).toBe('confirmed');
    const zhangTask = await w.t.database.system.approvalTask.findFirstOrThrow({ where: { approvalId: approval.id, approverId: w.user['zhang.jl'] } });
    expect(zhangTask.state).toBe('cancelled');
  });
});

describe('评论与查看', () => {
  it('参与人可以评论；无关的人看不到（404）；抄送人在「抄送我的」里', async () => {
    const { approval } = await pendingAtZhang();
    const url = `/api/v1/approvals/${approval.id}`;
    const res = await w.c['li.xs']('post', `${url}/comment`).send({ comment: '客户今天要回复，麻烦尽快' });
    expect(res.status).toBe(200);
    expect(res.body.history.at(-1)).toMatchObject({ action: 'comment', actionLabel: '评论', actor: { name: '李销售' }, comment: '客户今天要回复，麻烦尽快' });
    expect((await w.c['li.xs']('post', `${url}/comment`).send({ comment: '' })).status).toBe(400);
    expect((await w.c['zhao.ck']('post', `${url}/comment`).send({ comment: '路过' })).status).toBe(404);
    expect((await w.c['zhao.ck']('get', url)).status).toBe(404);
    expect((await w.c.admin('get', url)).status).toBe(200); // approval:read (admin has every permission)
    expect((await w.c['zhao.ck']('get', '/api/v1/approvals')).status).toBe(403);
    const all = await w.c.admin('get', `/api/v1/approvals?state=pending&businessType=salesDiscount&pageSize=200`);
    expect(all.body.items.map((i: { id: string }) => i.id)).toContain(approval.id);
    expect((await w.c['li.xs']('get', '/api/v1/approvals/cc')).body).toMatchObject({ items: [], total: 0 });
    expect((await w.c['li.xs']('get', '/api/v1/approvals/pending?pageSize=500')).status).toBe(400);
  });
});
