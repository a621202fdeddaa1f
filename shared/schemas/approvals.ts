// 审批 (OA): flow definitions (versioned, per business type), the step JSON they hold, and the
// mini-app's view of running approvals (pending / submitted / CC'd, detail, actions).
import { BooleanQuery, Id, Name, pageOf, pageQuery, Timestamp, z } from './common.ts';
import { APPROVAL_STATES, BUSINESS_TYPES, EXPENSE_CATEGORIES } from '../enums.ts';

export { BUSINESS_TYPE_LABELS, BUSINESS_TYPES, APPROVAL_STATE_LABELS, APPROVAL_STATES, STEP_MODE_LABELS, APPROVAL_ACTION_LABELS } from '../enums.ts';
export type { BusinessType, ApprovalStateValue, StepMode } from '../enums.ts';

/** Document facts a condition may test. */
export const CONDITION_FIELD_LABELS = { discountRate: '折扣', amount: '金额', expenseCategory: '费用类别', leaveDays: '请假天数' } as const;
export type ConditionField = keyof typeof CONDITION_FIELD_LABELS;
const CONDITION_FIELDS = Object.keys(CONDITION_FIELD_LABELS) as [ConditionField, ...ConditionField[]];
export const CONDITION_OPS = ['>', '>=', '<', '<=', '=', 'in'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export { EXPENSE_CATEGORY_LABELS } from '../enums.ts';

// ---------- 审批人与条件 ----------

export const ApproverRule = z
  .discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('role'), roleCode: z.string({ message: '角色编码必须是文本' }).trim().min(1, '角色编码不能为空').max(32, '角色编码最长 32 个字符') }),
      z.object({
        kind: z.literal('manager'),
        level: z.number({ message: '上级层级必须是整数' }).int('上级层级必须是整数').min(1, '上级层级从 1（直属上级）开始').max(10, '上级层级最多 10 级'),
      }),
      z.object({ kind: z.literal('departmentHead') }),
      z.object({
        kind: z.literal('users'),
        userIds: z.array(Id, { message: '必须是用户 ID 列表' }).min(1, '至少指定一名审批人').max(20, '最多指定 20 名审批人'),
      }),
    ],
    { error: '审批人类型只能是 role（角色）、manager（上级）、departmentHead（部门负责人）或 users（指定人员）' },
  )
  .openapi('ApproverRule', { description: '审批人：角色 / 申请人的第 N 级上级 / 部门负责人 / 指定人员' });
export type ApproverRule = z.infer<typeof ApproverRule>;

const ConditionValue = z.union([z.number(), z.string().trim().max(40), z.array(z.union([z.number(), z.string().trim().max(40)])).max(20)]);

export const StepCondition = z
  .object({
    field: z.enum(CONDITION_FIELDS, { message: `条件字段只能是 ${CONDITION_FIELDS.join('、')}` }),
    op: z.enum(CONDITION_OPS, { message: `比较符只能是 ${CONDITION_OPS.join(' ')}` }),
    value: ConditionValue,
  })
  .superRefine((c, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
    if (c.field === 'expenseCategory') {
      if (c.op !== '=' && c.op !== 'in') return ctx.addIssue({ code: 'custom', path: ['op'], message: '费用类别只能用 = 或 in' });
      const values = Array.isArray(c.value) ? c.value : [c.value];
      if (c.op === 'in' && !Array.isArray(c.value)) return issue('in 需要一个列表');
      if (!values.length || values.some((v) => !(EXPENSE_CATEGORIES as readonly unknown[]).includes(v))) issue(`费用类别只能是 ${EXPENSE_CATEGORIES.join('、')}`);
      return;
    }
    if (c.op === 'in') return ctx.addIssue({ code: 'custom', path: ['op'], message: `${CONDITION_FIELD_LABELS[c.field]}只能用 > >= < <= =` });
    const n = typeof c.value === 'number' ? c.value : typeof c.value === 'string' && /^\d+(\.\d+)?$/.test(c.value) ? Number(c.value) : NaN;
    if (Number.isNaN(n) || n < 0) return issue('必须是不小于 0 的数字');
    if (c.field === 'discountRate' && n > 1) issue('折扣是 0 到 1 之间的小数，例如 0.10 表示 10%');
  })
  .openapi('StepCondition', { description: '条件：单据的折扣 / 金额 / 费用类别 / 请假天数满足时，此节点才生效' });
export type StepCondition = z.infer<typeof StepCondition>;

export const FlowStep = z
  .object({
    name: Name(60),
    approvers: ApproverRule,
    mode: z.enum(['anyOf', 'allOf'], { message: '只能是 anyOf（或签）或 allOf（会签）' }).default('anyOf'),
    condition: StepCondition.optional(),
  })
  .openapi('FlowStep');
export type FlowStep = z.infer<typeof FlowStep>;
export const FlowSteps = z.array(FlowStep, { message: '应为审批节点的列表' }).min(1, '至少需要一个审批节点').max(10, '最多 10 个审批节点');

// ---------- 审批流程（定义） ----------

const Hours = z.number({ message: '小时数必须是整数' }).int('小时数必须是整数').min(1, '至少 1 小时').max(720, '最多 720 小时');
const flowFields = {
  name: Name(60),
  steps: FlowSteps,
  ccUserIds: z.array(Id).max(20, '抄送最多 20 人').default([]).openapi({ description: '抄送人' }),
  remindAfterHours: Hours.nullish().openapi({ description: '节点停留超过 N 小时催办一次' }),
  escalateAfterHours: Hours.nullish().openapi({ description: '节点停留超过 M 小时升级给审批人的上级' }),
};

export const ApprovalFlowCreate = z
  .object({ businessType: z.enum(BUSINESS_TYPES, { message: `业务类型只能是 ${BUSINESS_TYPES.join('、')}` }), ...flowFields })
  .openapi('ApprovalFlowCreate');
export const ApprovalFlowUpdate = z
  .object({
    ...flowFields,
    ccUserIds: flowFields.ccUserIds.unwrap().optional(),
    name: flowFields.name.optional(),
    steps: flowFields.steps.optional(),
    active: z.boolean({ message: '必须是 true 或 false' }).optional(),
    version: z.number({ message: '必须提供流程版本号 version（防止覆盖他人的修改）' }).int().min(1),
  })
  .openapi('ApprovalFlowUpdate', { description: '修改即生成新版本（version + 1）；运行中的审批仍按原版本进行' });

const Ref = z.object({ id: z.string(), name: z.string() });

export const ApprovalFlow = z
  .object({
    id: z.string(),
    businessType: z.enum(BUSINESS_TYPES),
    businessTypeLabel: z.string(),
    name: z.string(),
    version: z.number().int(),
    current: z.boolean(),
    active: z.boolean(),
    steps: z.array(FlowStep),
    ccUsers: z.array(Ref),
    remindAfterHours: z.number().int().nullable(),
    escalateAfterHours: z.number().int().nullable(),
    createdBy: Ref.nullable(),
    createdAt: Timestamp,
  })
  .openapi('ApprovalFlow');

export const ApprovalFlowListQuery = pageQuery(['name', 'businessType', 'createdAt', 'version']).extend({
  businessType: z.enum(BUSINESS_TYPES, { message: `业务类型只能是 ${BUSINESS_TYPES.join('、')}` }).optional(),
  allVersions: BooleanQuery.optional().openapi({ description: '包括历史版本（默认只列当前版本）' }),
});
export const ApprovalFlowPage = pageOf(ApprovalFlow).openapi('ApprovalFlowPage');

// ---------- 审批实例 ----------

export const ApprovalTaskView = z
  .object({
    id: z.string(),
    approver: Ref,
    state: z.enum(['pending', 'agreed', 'rejected', 'transferred', 'skipped', 'cancelled']),
    origin: z.string().openapi({ description: 'rule | transfer | addApprover | escalation | fallback | recusal (申请人回避：上级代审)' }),
    comment: z.string().nullable(),
    decidedAt: Timestamp.nullable(),
  })
  .openapi('ApprovalTask');

export const ApprovalStepView = z
  .object({
    index: z.number().int(),
    name: z.string(),
    mode: z.enum(['anyOf', 'allOf']),
    state: z.enum(['waiting', 'active', 'agreed', 'rejected', 'skipped', 'cancelled']),
    activatedAt: Timestamp.nullable(),
    decidedAt: Timestamp.nullable(),
    tasks: z.array(ApprovalTaskView),
  })
  .openapi('ApprovalStep');

export const ApprovalHistoryEntry = z
  .object({ id: z.string(), action: z.string(), actionLabel: z.string(), actor: Ref.nullable(), comment: z.string().nullable(), payload: z.unknown().nullable(), at: Timestamp })
  .openapi('ApprovalHistoryEntry');

const approvalFields = {
  id: z.string(),
  businessType: z.enum(BUSINESS_TYPES),
  businessTypeLabel: z.string(),
  documentType: z.string(),
  documentId: z.string(),
  documentNumber: z.string().nullable(),
  documentVersion: z.number().int(),
  /** mini-app route of the document */
  documentRoute: z.string().nullable(),
  title: z.string(),
  state: z.enum(APPROVAL_STATES),
  stateLabel: z.string(),
  applicant: Ref,
  currentStep: z.object({ index: z.number().int(), name: z.string(), mode: z.enum(['anyOf', 'allOf']) }).nullable(),
  summary: z.record(z.string(), z.unknown()).openapi({ description: '卡片与列表显示的单据摘要：fields（标签/值）、rule（触发的规则）、facts' }),
  decidedBy: Ref.nullable(),
  decidedAt: Timestamp.nullable(),
  rejectReason: z.string().nullable(),
  /** the signed-in user's pending task in the current step, if any */
  myTaskId: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
};
export const ApprovalListItem = z.object(approvalFields).openapi('ApprovalListItem');
export const ApprovalDetail = z
  .object({
    ...approvalFields,
    flow: z.object({ id: z.string(), name: z.string(), version: z.number().int() }),
    steps: z.array(ApprovalStepView),
    history: z.array(ApprovalHistoryEntry),
    ccUsers: z.array(Ref),
    canDecide: z.boolean(),
    canWithdraw: z.boolean(),
  })
  .openapi('ApprovalDetail');

export const ApprovalListQuery = pageQuery(['createdAt', 'updatedAt']).extend({
  state: z.enum(APPROVAL_STATES, { message: `状态只能是 ${APPROVAL_STATES.join('、')}` }).optional(),
  businessType: z.enum(BUSINESS_TYPES, { message: `业务类型只能是 ${BUSINESS_TYPES.join('、')}` }).optional(),
});
export const ApprovalPage = pageOf(ApprovalListItem).openapi('ApprovalPage');

const Comment = z.string({ message: '意见必须是文本' }).trim().max(500, '最长 500 个字符');
/** The document version the decider saw (cards send it as a string). */
const DocumentVersion = z
  .union([z.number(), z.string().trim().regex(/^\d+$/, '单据版本必须是整数')])
  .transform((v) => Number(v))
  .pipe(z.number().int('单据版本必须是整数').min(1, '单据版本从 1 开始'))
  .openapi({ type: 'integer', description: '审批人看到的单据版本；与审批所依据的版本不一致时拒绝（409）' });

export const ApprovalDecision = z
  .object({
    decision: z.enum(['agree', 'reject'], { message: '只能是 agree（同意）或 reject（驳回）' }),
    comment: Comment.nullish(),
    documentVersion: DocumentVersion.optional(),
    taskId: Id.optional().openapi({ description: '卡片上的任务 ID（可选）' }),
  })
  .superRefine((d, ctx) => {
    if (d.decision === 'reject' && !d.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: '驳回必须填写原因' });
  })
  .openapi('ApprovalDecision');
export const ApprovalWithdraw = z.object({ comment: Comment.nullish() }).openapi('ApprovalWithdraw');
export const ApprovalTransfer = z.object({ toUserId: Id, comment: Comment.nullish() }).openapi('ApprovalTransfer');
export const ApprovalAddApprover = z.object({ userId: Id, comment: Comment.nullish() }).openapi('ApprovalAddApprover');
export const ApprovalComment = z.object({ comment: Comment.min(1, '评论不能为空') }).openapi('ApprovalComment');

export type ApprovalFlowCreate = z.infer<typeof ApprovalFlowCreate>;
export type ApprovalFlowUpdate = z.infer<typeof ApprovalFlowUpdate>;
export type ApprovalFlow = z.infer<typeof ApprovalFlow>;
export type ApprovalFlowListQuery = z.infer<typeof ApprovalFlowListQuery>;
export type ApprovalListItem = z.infer<typeof ApprovalListItem>;
export type ApprovalDetail = z.infer<typeof ApprovalDetail>;
export type ApprovalListQuery = z.infer<typeof ApprovalListQuery>;
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;
export type ApprovalTransfer = z.infer<typeof ApprovalTransfer>;
export type ApprovalAddApprover = z.infer<typeof ApprovalAddApprover>;
export type ApprovalStepView = z.infer<typeof ApprovalStepView>;
export type ApprovalTaskView = z.infer<typeof ApprovalTaskView>;
export type ApprovalHistoryEntry = z.infer<typeof ApprovalHistoryEntry>;

/** Facts of a document that conditions test (decimals as strings). */
export interface DocumentFacts {
  discountRate?: string | number;
  amount?: string | number;
  expenseCategory?: string | readonly string[];
  leaveDays?: string | number;
}
