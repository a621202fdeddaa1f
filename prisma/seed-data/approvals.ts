// 演示审批流程与部门负责人。销售折扣（story 1）：折扣超过 10% 需销售经理，超过 20% 还需总经理；
// 销售订单金额：价税合计（折人民币）达到 50 万需总经理（折扣审批之后，已同意的人不再重复审批）。
import type { BusinessType, FlowStep } from '../../shared/schemas/approvals.ts';

export interface SeedApprovalFlow {
  businessType: BusinessType;
  name: string;
  steps: FlowStep[];
  ccUsernames?: string[];
  remindAfterHours?: number;
  escalateAfterHours?: number;
}

/** 部门负责人 (approvals "by department head"): department code → username */
export const departmentHeads: { departmentCode: string; username: string }[] = [
  { departmentCode: 'D00', username: 'boss' },
  { departmentCode: 'D01', username: 'boss' },
  { departmentCode: 'D02', username: 'zhang.jl' },
  { departmentCode: 'D05', username: 'wang.cg' },
  { departmentCode: 'D06', username: 'zhao.ck' },
  { departmentCode: 'D10', username: 'sun.jh' },
  { departmentCode: 'D11', username: 'zhou.zj' },
  { departmentCode: 'D12', username: 'qian.kj' },
  { departmentCode: 'D13', username: 'admin' },
];

export const approvalFlows: SeedApprovalFlow[] = [
  {
    businessType: 'salesDiscount',
    name: '销售折扣审批',
    steps: [
      { name: '销售经理', approvers: { kind: 'role', roleCode: 'sales_manager' }, mode: 'anyOf', condition: { field: 'discountRate', op: '>', value: 0.1 } },
      { name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, mode: 'anyOf', condition: { field: 'discountRate', op: '>', value: 0.2 } },
    ],
    remindAfterHours: 4,
    escalateAfterHours: 24,
  },
  {
    // After 销售折扣 (or alone): a large order needs the boss whatever its discount.
    businessType: 'salesOrderAmount',
    name: '销售订单金额审批',
    steps: [{ name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, mode: 'anyOf', condition: { field: 'amount', op: '>=', value: 500000 } }],
    remindAfterHours: 8,
  },
  {
    // 合同评审: ≥ ¥100,000 the sales manager; ≥ ¥500,000 also the boss and the accountant, both (会签).
    // Named approvers (kind 'users') are usernames here; the seed turns them into user ids.
    businessType: 'contractReview',
    name: '合同评审',
    steps: [
      { name: '销售经理', approvers: { kind: 'role', roleCode: 'sales_manager' }, mode: 'anyOf', condition: { field: 'amount', op: '>=', value: 100000 } },
      { name: '总经理与财务会签', approvers: { kind: 'users', userIds: ['boss', 'qian.kj'] }, mode: 'allOf', condition: { field: 'amount', op: '>=', value: 500000 } },
    ],
    remindAfterHours: 24,
  },
  {
    businessType: 'purchaseOrder',
    name: '采购订单审批',
    steps: [{ name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, mode: 'anyOf', condition: { field: 'amount', op: '>=', value: 50000 } }],
    remindAfterHours: 8,
  },
  {
    businessType: 'expenseClaim',
    name: '费用报销审批',
    steps: [
      { name: '直属上级', approvers: { kind: 'manager', level: 1 }, mode: 'anyOf' },
      { name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, mode: 'anyOf', condition: { field: 'amount', op: '>=', value: 5000 } },
    ],
    ccUsernames: ['qian.kj'],
    remindAfterHours: 24,
  },
  {
    businessType: 'leaveRequest',
    name: '请假审批',
    steps: [
      { name: '部门负责人', approvers: { kind: 'departmentHead' }, mode: 'anyOf' },
      { name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, mode: 'anyOf', condition: { field: 'leaveDays', op: '>', value: 3 } },
    ],
    remindAfterHours: 24,
  },
];
