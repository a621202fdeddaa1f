// 催办与升级 with a clock the test controls: one reminder after N hours, escalation to the
// approvers' managers after M hours (and again after another M), nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApprovalTimers } from '../../server/modules/approvals/timers.ts';
import { actionsOf, approvalOf, approvalWorld, eventsSince, mark, orderAt, orderState, setDiscountFlow, submit, type ApprovalWorld } from './helpers.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
  await setDiscountFlow(w, [{ name: '销售经理', approvers: { kind: 'role', roleCode: 'sales_manager' }, condition: { field: 'discountRate', op: '>', value: 0.1 } }], {
    remindAfterHours: 2, escalateAfterHours: 8,
  });
});
afterAll(async () => w?.t.close());

describe('催办与升级', () => {
  it('2 小时催办一次，8 小时升级给张经理的上级（老板），老板同意即通过', async () => {
    const order = await orderAt(w, w.c['li.xs'], '0.15');
    await submit(w.c['li.xs'], order.id);
    const approval = await approvalOf(w, order.id);
    const step = await w.t.database.system.approvalStep.findFirstOrThrow({ where: { approvalId: approval.id, index: 0 } });
    const at = (hours: number) => new Date(step.activatedAt!.getTime() + hours * 3_600_000);
    const tick = (hours: number) => runApprovalTimers(w.t.database.system, at(hours));

    expect(await tick(1.9)).toEqual({ reminded: 0, escalated: 0 });
    let m = await mark(w);
    expect(await tick(2)).toEqual({ reminded: 1, escalated: 0 });
    expect(await eventsSince(w, m)).toEqual([{ type: 'approval.reminder', payload: expect.objectContaining({
      approvalId: approval.id, stepIndex: 0, stepName: '销售经理', approverIds: [w.user['zhang.jl']], taskIds: [expect.any(String)],
    }) }]);
    expect(await tick(3)).toEqual({ reminded: 0, escalated: 0 }); // once only

    m = await mark(w);
    expect(await tick(8)).toEqual({ reminded: 0, escalated: 1 });
    expect(await eventsSince(w, m)).toEqual([{ type: 'approval.changed', payload: expect.objectContaining({
      kind: 'escalate', stepIndex: 0, level: 1, from: [w.user['zhang.jl']], approverIds: [w.user.boss], taskIds: [expect.any(String)],
    }) }]);
    const tasks = await w.t.database.system.approvalTask.findMany({ where: { approvalId: approval.id }, orderBy: { createdAt: 'asc' } });
    expect(tasks.map((t) => [t.approverId, t.state, t.origin])).toEqual([[w.user['zhang.jl'], 'pending', 'rule'], [w.user.boss, 'pending', 'escalation']]);
    expect(await tick(12)).toEqual({ reminded: 0, escalated: 0 });
    // Another 8 hours: 老板 has no manager and 张经理's is already asked — nobody new, nothing written.
    m = await mark(w);
    expect(await tick(16)).toEqual({ reminded: 0, escalated: 0 });
    expect(await eventsSince(w, m)).toEqual([]);
    expect(await actionsOf(w, approval.id)).toEqual(['submit', 'remind', 'escalate']);
    const audit = await w.t.database.system.auditLog.findMany({ where: { entity: 'approval', entityId: approval.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.userId])).toEqual([['submit', w.user['li.xs']], ['remind', null], ['escalate', null]]);

    expect((await w.c.boss('get', '/api/v1/approvals/pending')).body.items.map((i: { id: string }) => i.id)).toContain(approval.id);
    const res = await w.c.boss('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree', comment: '同意（升级审批）' });
    expect(res.body.state).toBe('approved');
    expect((await orderState(w, order.id)).state).toBe('confirmed');
    expect(await tick(100)).toEqual({ reminded: 0, escalated: 0 }); // decided approvals are left alone
  });

  it('会签升级：每位未处理的审批人的上级加入；升级后的上级同意即决定该节点', async () => {
    // 吴销售 (reports to 张经理) and 赵仓管 (reports to 老板) must both agree.
    await setDiscountFlow(w, [{ name: '同事会签', approvers: { kind: 'users', userIds: [w.user['wu.xs'], w.user['zhao.ck']] }, mode: 'allOf' }], { remindAfterHours: null, escalateAfterHours: 1 });
    const order = await orderAt(w, w.c['li.xs'], '0.05');
    await submit(w.c['li.xs'], order.id);
    const approval = await approvalOf(w, order.id);
    const step = await w.t.database.system.approvalStep.findFirstOrThrow({ where: { approvalId: approval.id, index: 0 } });
    const tick = (hours: number) => runApprovalTimers(w.t.database.system, new Date(step.activatedAt!.getTime() + hours * 3_600_000));
    expect(await tick(1)).toEqual({ reminded: 0, escalated: 1 }); // 吴销售 → 张经理, 赵仓管 → 老板
    const names = async () => (await w.c['li.xs']('get', `/api/v1/approvals/${approval.id}`)).body.steps[0].tasks.map((t: { approver: { name: string }; origin: string }) => `${t.approver.name}:${t.origin}`);
    expect(await names()).toEqual(['吴销售:rule', '赵仓管:rule', '张经理:escalation', '老板:escalation']);
    expect(await tick(2)).toEqual({ reminded: 0, escalated: 0 }); // everyone's manager is already in the step
    // An escalated superior's agreement decides the 会签 step.
    expect((await w.c['zhang.jl']('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' })).body.state).toBe('approved');
  });
});
