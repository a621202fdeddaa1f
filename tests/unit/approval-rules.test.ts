// 审批规则 (pure): conditions, applicable steps, approver resolution, 自动去重, admin fallback,
// step outcomes, timers, discount and wording — table-driven.
import { describe, expect, it } from 'vitest';
import { ApprovalDecision, FlowStep, FlowSteps, StepCondition, type ApproverRule } from '../../shared/schemas/approvals.ts';
import {
  applicableSteps, conditionHolds, departmentHeadOf, handledMessage, managerAt, orderDiscount, resolveApprovers, ruleText,
  shanghaiClock, stepApprovers, stepOutcome, timersDue, type OrgSnapshot,
} from '../../server/modules/approvals/rules.ts';

const discountFlow = FlowSteps.parse([
  { name: '销售经理', approvers: { kind: 'role', roleCode: 'sales_manager' }, condition: { field: 'discountRate', op: '>', value: 0.1 } },
  { name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, condition: { field: 'discountRate', op: '>', value: '0.20' } },
]);

describe('条件与适用节点', () => {
  it.each([
    [{ field: 'discountRate', op: '>', value: 0.1 }, { discountRate: '0.1500' }, true],
    [{ field: 'discountRate', op: '>', value: 0.1 }, { discountRate: '0.1000' }, false],
    [{ field: 'discountRate', op: '>=', value: 0.1 }, { discountRate: '0.1000' }, true],
    [{ field: 'amount', op: '>=', value: 50000 }, { amount: '50000.00' }, true],
    [{ field: 'amount', op: '<', value: 50000 }, { amount: '49999.99' }, true],
    [{ field: 'amount', op: '<=', value: 100 }, { amount: '100.01' }, false],
    [{ field: 'leaveDays', op: '>', value: 3 }, { leaveDays: '3.5' }, true],
    [{ field: 'leaveDays', op: '=', value: 3 }, { leaveDays: 3 }, true],
    [{ field: 'expenseCategory', op: 'in', value: ['entertainment', 'travel'] }, { expenseCategory: ['meal', 'travel'] }, true],
    [{ field: 'expenseCategory', op: '=', value: 'entertainment' }, { expenseCategory: 'meal' }, false],
    [{ field: 'discountRate', op: '>', value: 0.1 }, {}, false], // the document has no such fact
  ] as const)('%j on %j → %s', (condition, facts, holds) => {
    expect(conditionHolds(StepCondition.parse(condition), facts)).toBe(holds);
  });

  it('折扣 8% → 无节点；15% → 销售经理；25% → 销售经理 + 总经理', () => {
    expect(applicableSteps(discountFlow, { discountRate: '0.0800' })).toEqual([]);
    expect(applicableSteps(discountFlow, { discountRate: '0.1500' })).toEqual([0]);
    expect(applicableSteps(discountFlow, { discountRate: '0.2500' })).toEqual([0, 1]);
    expect(applicableSteps(FlowSteps.parse([{ name: '直属上级', approvers: { kind: 'manager', level: 1 } }]), {})).toEqual([0]);
  });

  it('触发的规则写成人话', () => {
    expect(ruleText(discountFlow, [0], { discountRate: '0.1500' })).toBe('折扣 15.0% 超过 10%，需销售经理审批');
    expect(ruleText(discountFlow, [0, 1], { discountRate: '0.2500' })).toBe('折扣 25.0% 超过 10%，需销售经理审批；折扣 25.0% 超过 20%，需总经理审批');
    const po = FlowSteps.parse([{ name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, condition: { field: 'amount', op: '>=', value: 50000 } }]);
    expect(ruleText(po, [0], { amount: '62000' })).toBe('金额 ¥62,000.00 达到 ¥50,000.00，需总经理审批');
  });

  it('步骤校验：未知审批人类型、条件值不合法、费用类别只能 = / in', () => {
    const bad = (step: unknown) => FlowStep.safeParse(step).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(bad({ name: 'x', approvers: { kind: 'robot' } })?.[0]?.[1]).toContain('审批人类型');
    expect(bad({ name: 'x', approvers: { kind: 'manager', level: 0 } })).toEqual([['approvers.level', '上级层级从 1（直属上级）开始']]);
    expect(bad({ name: 'x', approvers: { kind: 'departmentHead' }, condition: { field: 'discountRate', op: '>', value: 10 } })).toEqual([
      ['condition.value', '折扣是 0 到 1 之间的小数，例如 0.10 表示 10%'],
    ]);
    expect(bad({ name: 'x', approvers: { kind: 'departmentHead' }, condition: { field: 'expenseCategory', op: '>', value: 'meal' } })).toEqual([
      ['condition.op', '费用类别只能用 = 或 in'],
    ]);
    expect(bad({ name: 'x', approvers: { kind: 'departmentHead' }, condition: { field: 'amount', op: 'in', value: [1] } })?.[0]?.[0]).toBe('condition.op');
    expect(FlowStep.parse({ name: '经理', approvers: { kind: 'departmentHead' } }).mode).toBe('anyOf');
  });

  it('驳回必须填写原因', () => {
    expect(ApprovalDecision.safeParse({ decision: 'reject' }).error?.issues[0]).toMatchObject({ path: ['comment'], message: '驳回必须填写原因' });
    expect(ApprovalDecision.safeParse({ decision: 'reject', comment: '   ' }).success).toBe(false);
    expect(ApprovalDecision.parse({ decision: 'agree', documentVersion: '3' }).documentVersion).toBe(3);
  });
});

// 老板 ← 张经理 ← 李销售；管理员 (admin) 无上级以外的人；部门：总部 D0 (负责人 老板) > 销售部 D2 (张经理) > 华东组 D3 (无负责人)
const org: OrgSnapshot = {
  users: new Map([
    ['boss', { id: 'boss', name: '老板', managerId: null, departmentId: 'D0', active: true }],
    ['admin', { id: 'admin', name: '管理员', managerId: 'boss', departmentId: 'D0', active: true }],
    ['zhang', { id: 'zhang', name: '张经理', managerId: 'boss', departmentId: 'D2', active: true }],
    ['li', { id: 'li', name: '李销售', managerId: 'zhang', departmentId: 'D3', active: true }],
    ['gone', { id: 'gone', name: '离职', managerId: 'boss', departmentId: 'D3', active: false }],
  ]),
  departments: new Map([
    ['D0', { id: 'D0', parentId: null, headId: 'boss' }],
    ['D2', { id: 'D2', parentId: 'D0', headId: 'zhang' }],
    ['D3', { id: 'D3', parentId: 'D2', headId: null }],
  ]),
  roleMembers: new Map([
    ['sales_manager', ['zhang']],
    ['boss', ['boss']],
    ['admin', ['admin']],
    ['sales', ['li', 'gone']],
  ]),
};

describe('审批人', () => {
  it('上级链：第 1 级、第 2 级；链不够长 → 无', () => {
    expect(managerAt(org, 'li', 1)).toBe('zhang');
    expect(managerAt(org, 'li', 2)).toBe('boss');
    expect(managerAt(org, 'li', 3)).toBeNull();
    expect(managerAt(org, 'boss', 1)).toBeNull();
  });

  it('部门负责人：本部门没有就往上找；申请人自己是负责人时找上级部门', () => {
    expect(departmentHeadOf(org, 'li')).toBe('zhang');
    expect(departmentHeadOf(org, 'zhang')).toBe('boss');
  });

  it.each([
    [{ kind: 'role', roleCode: 'sales_manager' }, 'li', ['zhang']],
    [{ kind: 'role', roleCode: 'sales' }, 'zhang', ['li']], // 停用的用户不审批
    [{ kind: 'role', roleCode: 'nobody' }, 'li', []],
    [{ kind: 'manager', level: 1 }, 'li', ['zhang']],
    [{ kind: 'departmentHead' }, 'li', ['zhang']],
    [{ kind: 'users', userIds: ['boss', 'gone', 'boss', 'zhang'] }, 'li', ['boss', 'zhang']],
  ] as const)('%j for %s → %j', (rule, applicant, ids) => {
    expect(resolveApprovers(rule as ApproverRule, org, applicant)).toEqual(ids);
  });

  it('自动去重：申请人与前面已同意的人跳过；全部去掉 → 节点跳过', () => {
    const rule: ApproverRule = { kind: 'users', userIds: ['li', 'zhang', 'boss'] };
    expect(stepApprovers(rule, org, 'li', new Set(['zhang']))).toEqual({
      approverIds: ['boss'], origin: 'rule', skipped: [{ userId: 'li', reason: 'applicant' }, { userId: 'zhang', reason: 'agreedEarlier' }],
    });
    const managers = FlowStep.parse({ name: 'x', approvers: { kind: 'role', roleCode: 'sales_manager' } }).approvers;
    // 张经理自己提交：公司关闭「申请人回避」时销售经理节点跳过
    expect(stepApprovers(managers, org, 'zhang', new Set(), { recusal: false }).approverIds).toEqual([]);
  });

  it('申请人回避：节点只有申请人本人 → 交给其上级（直属上级链，再总经理），从不交给系统管理员', () => {
    const managers: ApproverRule = { kind: 'role', roleCode: 'sales_manager' };
    expect(stepApprovers(managers, org, 'zhang', new Set())).toEqual({
      approverIds: ['boss'], origin: 'recusal', skipped: [{ userId: 'zhang', reason: 'applicant' }],
    });
    // 直属上级停用 → 再往上一级
    const zhangGone: OrgSnapshot = { ...org, users: new Map([...org.users, ['zhang', { ...org.users.get('zhang')!, active: false }], ['li2', { id: 'li2', name: '李二', managerId: 'zhang', departmentId: 'D3', active: true }]]) };
    expect(stepApprovers({ kind: 'users', userIds: ['li2'] }, zhangGone, 'li2', new Set()).approverIds).toEqual(['boss']);
    // 没有上级 → 总经理；总经理自己申请、链已到顶 → 跳过
    const orphan: OrgSnapshot = { ...org, users: new Map([...org.users, ['zhang', { ...org.users.get('zhang')!, managerId: null }]]) };
    expect(stepApprovers(managers, orphan, 'zhang', new Set()).approverIds).toEqual(['boss']);
    expect(stepApprovers({ kind: 'role', roleCode: 'boss' }, org, 'boss', new Set())).toEqual({
      approverIds: [], origin: 'rule', skipped: [{ userId: 'boss', reason: 'applicant' }],
    });
    // 上级在前面的节点已同意 → 本节点已有他人把关，跳过
    expect(stepApprovers(managers, org, 'zhang', new Set(['boss'])).approverIds).toEqual([]);
    // 节点里还有别人（或签）→ 照常由别人审批
    expect(stepApprovers({ kind: 'users', userIds: ['zhang', 'admin'] }, org, 'zhang', new Set())).toMatchObject({ approverIds: ['admin'], origin: 'rule' });
  });

  it('没有人可审批（上级链为空）→ 公司管理员兜底；管理员自己申请 → 总经理（回避关闭时跳过）', () => {
    const direct = FlowStep.parse({ name: '直属上级', approvers: { kind: 'manager', level: 1 } }).approvers;
    expect(stepApprovers(direct, org, 'boss', new Set())).toEqual({ approverIds: ['admin'], origin: 'fallback', skipped: [] });
    const lonely: OrgSnapshot = { ...org, users: new Map([...org.users, ['admin', { ...org.users.get('admin')!, managerId: null }]]) };
    expect(stepApprovers(direct, lonely, 'admin', new Set(), { recusal: false })).toEqual({ approverIds: [], origin: 'fallback', skipped: [{ userId: 'admin', reason: 'applicant' }] });
    // 申请人回避：管理员自己的单据交给总经理
    expect(stepApprovers(direct, lonely, 'admin', new Set())).toEqual({ approverIds: ['boss'], origin: 'recusal', skipped: [{ userId: 'admin', reason: 'applicant' }] });
  });
});

describe('节点结果', () => {
  const t = (...states: ('pending' | 'agreed' | 'rejected' | 'cancelled')[]) => states.map((state) => ({ state }));
  it.each([
    ['anyOf', t('agreed', 'pending'), 'agree', 'rule', 'agreed'],
    ['allOf', t('agreed', 'pending'), 'agree', 'rule', 'open'],
    ['allOf', t('agreed', 'agreed'), 'agree', 'rule', 'agreed'],
    ['allOf', t('rejected', 'pending'), 'reject', 'rule', 'rejected'],
    ['anyOf', t('rejected', 'pending'), 'reject', 'rule', 'rejected'],
    ['allOf', t('pending', 'agreed'), 'agree', 'escalation', 'agreed'], // 升级后的上级同意即通过
  ] as const)('%s %j %s(%s) → %s', (mode, tasks, decision, origin, outcome) => {
    expect(stepOutcome(mode, tasks, { decision, origin })).toBe(outcome);
  });
});

describe('催办与升级', () => {
  const at = new Date('2026-11-23T01:00:00Z');
  const flow = { remindAfterHours: 4, escalateAfterHours: 24 };
  const h = (n: number) => new Date(at.getTime() + n * 3_600_000);
  it.each([
    [h(3.9), null, null, { remind: false, escalate: false }],
    [h(4), null, null, { remind: true, escalate: false }],
    [h(5), h(4), null, { remind: false, escalate: false }], // 只催办一次
    [h(24), h(4), null, { remind: false, escalate: true }],
    [h(30), h(4), h(24), { remind: false, escalate: false }],
    [h(48), h(4), h(24), { remind: false, escalate: true }], // 再过 M 小时再升级一级
  ])('now %s, reminded %s, escalated %s → %j', (now, remindedAt, escalatedAt, due) => {
    expect(timersDue({ activatedAt: at, remindedAt, escalatedAt }, flow, now)).toEqual(due);
  });
  it('流程没有设置时限 → 不催办不升级', () => {
    expect(timersDue({ activatedAt: at, remindedAt: null, escalatedAt: null }, { remindAfterHours: null, escalateAfterHours: null }, h(1000))).toEqual({ remind: false, escalate: false });
  });
});

describe('折扣与文案', () => {
  it.each([
    ['1000.00', '850.00', '0.1500'],
    ['2000.00', '1800.00', '0.1000'],
    ['0', '100', '0.0000'],
    ['100.00', '120.00', '0.0000'], // 加价不算负折扣
    ['3.00', '2.00', '0.3333'],
  ])('折扣 1 − %s / %s', (list, net, d) => {
    expect(orderDiscount(list, net)).toBe(d);
  });
  it('已由 X 于 hh:mm 处理（上海时间）', () => {
    const at = new Date('2026-11-23T07:04:09Z');
    expect(shanghaiClock(at)).toBe('15:04');
    expect(handledMessage('张经理', at, 'approved')).toBe('已由 张经理 于 15:04 处理（已同意）');
    expect(handledMessage('老板', at)).toBe('已由 老板 于 15:04 处理');
  });
});
