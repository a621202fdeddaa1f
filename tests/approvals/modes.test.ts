// 会签 / 或签, conditions on amount, approvers by manager chain and department head, the admin
// fallback, and a running approval keeping the flow version it started with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalOf, approvalWorld, orderAt, orderState, setDiscountFlow, submit, type ApprovalWorld } from './helpers.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
});
afterAll(async () => w?.t.close());

const decide = (who: keyof ApprovalWorld['c'], id: string, body: Record<string, unknown>) => w.c[who]('post', `/api/v1/approvals/${id}/decide`).send(body);
const over10 = { field: 'discountRate', op: '>', value: 0.1 };

async function submitted15(who: keyof ApprovalWorld['c'] = 'li.xs') {
  const order = await orderAt(w, w.c[who], '0.15');
  await submit(w.c[who], order.id);
  return { order, approval: await approvalOf(w, order.id) };
}

describe('会签与或签', () => {
  it('会签：张经理同意后仍待老板；老板同意 → 确认', async () => {
    await setDiscountFlow(w, [{ name: '经理会签', approvers: { kind: 'users', userIds: [w.user['zhang.jl'], w.user.boss] }, mode: 'allOf', condition: over10 }]);
    const { order, approval } = await submitted15();
    const first = await decide('zhang.jl', approval.id, { decision: 'agree' });
    expect(first.body).toMatchObject({ state: 'pending', currentStep: { index: 0, mode: 'allOf' } });
    expect(first.body.steps[0].tasks.map((t: { state: string }) => t.state)).toEqual(['agreed', 'pending']);
    expect((await orderState(w, order.id)).state).toBe('pendingApproval');
    const again = await decide('zhang.jl', approval.id, { decision: 'agree' }); // his own duplicate click
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/^已由 张经理 于 \d{2}:\d{2} 处理$/);
    expect((await decide('boss', approval.id, { decision: 'agree' })).body.state).toBe('approved');
    expect((await orderState(w, order.id)).state).toBe('confirmed');
  });

  it('会签：一人驳回即结束', async () => {
    const { order, approval } = await submitted15();
    expect((await decide('zhang.jl', approval.id, { decision: 'agree' })).status).toBe(200);
    const res = await decide('boss', approval.id, { decision: 'reject', comment: '不同意' });
    expect(res.body).toMatchObject({ state: 'rejected', rejectReason: '不同意' });
    expect(res.body.steps[0]).toMatchObject({ state: 'rejected' });
    expect((await orderState(w, order.id)).state).toBe('draft');
  });

  it('或签：老板先同意 → 通过，张经理的待办取消，张经理再点 → 409 已由老板处理', async () => {
    await setDiscountFlow(w, [{ name: '经理或签', approvers: { kind: 'users', userIds: [w.user['zhang.jl'], w.user.boss] }, mode: 'anyOf', condition: over10 }]);
    const { approval } = await submitted15();
    const res = await decide('boss', approval.id, { decision: 'agree' });
    expect(res.body.state).toBe('approved');
    expect(res.body.steps[0].tasks.map((t: { approver: { name: string }; state: string }) => [t.approver.name, t.state])).toEqual([['张经理', 'cancelled'], ['老板', 'agreed']]);
    const late = await decide('zhang.jl', approval.id, { decision: 'agree' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/^已由 老板 于 \d{2}:\d{2} 处理（已同意）$/);
  });
});

describe('条件与审批人规则', () => {
  it('金额条件：价税合计 ≥ ¥5,000 才审批', async () => {
    await setDiscountFlow(w, [{ name: '大额', approvers: { kind: 'role', roleCode: 'sales_manager' }, condition: { field: 'amount', op: '>=', value: 5000 } }]);
    const small = await orderAt(w, w.c['li.xs'], '0', '49'); // ¥4,900
    expect((await submit(w.c['li.xs'], small.id)).state).toBe('confirmed');
    const big = await orderAt(w, w.c['li.xs'], '0', '50'); // ¥5,000
    expect((await submit(w.c['li.xs'], big.id)).state).toBe('pendingApproval');
    expect((await approvalOf(w, big.id)).summary).toMatchObject({ rule: '金额 ¥5,000.00 达到 ¥5,000.00，需大额审批' });
  });

  it('直属上级 / 第 2 级上级 / 部门负责人', async () => {
    await setDiscountFlow(w, [
      { name: '直属上级', approvers: { kind: 'manager', level: 1 } },
      { name: '部门负责人', approvers: { kind: 'departmentHead' } },
      { name: '第二级上级', approvers: { kind: 'manager', level: 2 } },
    ]);
    const { approval } = await submitted15();
    const detail = (await w.c['li.xs']('get', `/api/v1/approvals/${approval.id}`)).body;
    expect(detail.steps[0].tasks.map((t: { approver: { name: string } }) => t.approver.name)).toEqual(['张经理']);
    // 李销售 → 张经理 agrees; 部门负责人 of 华东销售组 (none) → 销售部 = 张经理, who already agreed: skipped; 第二级上级 = 老板.
    const res = await decide('zhang.jl', approval.id, { decision: 'agree' });
    expect(res.body.steps.map((s: { state: string }) => s.state)).toEqual(['agreed', 'skipped', 'active']);
    expect(res.body.steps[2].tasks.map((t: { approver: { name: string } }) => t.approver.name)).toEqual(['老板']);
    expect(res.body.history.map((h: { action: string }) => h.action)).toEqual(['submit', 'agree', 'skip']);
    expect(res.body.history[2].payload.skipped).toEqual([{ userId: w.user['zhang.jl'], reason: 'agreedEarlier' }]);
  });

  it('上级链为空 → 公司管理员兜底', async () => {
    await setDiscountFlow(w, [{ name: '直属上级', approvers: { kind: 'manager', level: 1 }, condition: over10 }]);
    const { approval } = await submitted15('boss'); // 老板 has no manager
    const detail = (await w.c.boss('get', `/api/v1/approvals/${approval.id}`)).body;
    expect(detail.steps[0].tasks.map((t: { approver: { name: string }; origin: string }) => [t.approver.name, t.origin])).toEqual([['系统管理员', 'fallback']]);
    expect((await decide('admin', approval.id, { decision: 'agree' })).body.state).toBe('approved');
  });
});

describe('版本', () => {
  it('运行中的审批按启动时的流程版本走完；新提交用新版本', async () => {
    const v = await setDiscountFlow(w, [
      { name: '销售经理', approvers: { kind: 'role', roleCode: 'sales_manager' }, condition: over10 },
      { name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, condition: over10 },
    ]);
    const { order, approval } = await submitted15();
    expect(approval.flowId).toBe(v.id);
    // The flow loses its second step; the running approval still asks 老板 after 张经理.
    const v2 = await setDiscountFlow(w, [{ name: '销售经理', approvers: { kind: 'role', roleCode: 'sales_manager' }, condition: over10 }]);
    expect(v2.version).toBe(v.version + 1);
    const res = await decide('zhang.jl', approval.id, { decision: 'agree' });
    expect(res.body).toMatchObject({ state: 'pending', currentStep: { name: '总经理' }, flow: { id: v.id, version: v.version } });
    expect((await decide('boss', approval.id, { decision: 'agree' })).body.state).toBe('approved');
    expect((await orderState(w, order.id)).state).toBe('confirmed');
    const next = await submitted15();
    expect(next.approval.flowId).toBe(v2.id);
    expect((await decide('zhang.jl', next.approval.id, { decision: 'agree' })).body.state).toBe('approved');
  });
});
