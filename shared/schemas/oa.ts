// OA 单据: 费用报销 (lines with category, amount, invoice no., attachment) and 请假 — documents
// of their own that go through the approvals engine on submit.
import { Amount, DateOnly, Id, OptionalText, pageOf, pageQuery, Timestamp, Version, z, BooleanQuery } from './common.ts';
import { EXPENSE_CATEGORIES, EXPENSE_INVOICE_KINDS, LEAVE_KINDS, OA_DOCUMENT_STATE_LABELS } from '../enums.ts';

export { OA_DOCUMENT_STATE_LABELS as DOCUMENT_STATE_LABELS, EXPENSE_STATE_LABELS, LEAVE_KIND_LABELS } from '../enums.ts';
const DOCUMENT_STATES = Object.keys(OA_DOCUMENT_STATE_LABELS) as [keyof typeof OA_DOCUMENT_STATE_LABELS, ...(keyof typeof OA_DOCUMENT_STATE_LABELS)[]];

const Ref = z.object({ id: z.string(), name: z.string() });

// ---------- 费用报销 ----------

export const ExpenseLineInput = z.object({
  category: z.enum(EXPENSE_CATEGORIES, { message: `费用类别只能是 ${EXPENSE_CATEGORIES.join('、')}` }),
  amount: Amount().refine((v) => Number(v) > 0, { message: '金额必须大于 0' }),
  invoiceNo: OptionalText(40).openapi({ description: '发票号' }),
  invoiceKind: z.enum(EXPENSE_INVOICE_KINDS, { message: `发票类型只能是 ${EXPENSE_INVOICE_KINDS.join('、')}` }).optional()
    .openapi({ description: 'special 增值税专用发票、ordinary 普通发票、airTicket/railTicket/roadWaterTicket 旅客运输电子客票（航空/铁路/公路水路）、none 无发票；默认：有发票号为普通发票，否则无发票' }),
  taxAmount: Amount().nullish().openapi({ description: '税额：专用发票必填（票面税额）；旅客运输客票按规定计算（可不填，填写时须与计算结果一致）' }),
  fareAndFuel: Amount().nullish().openapi({ description: '航空客票的票价+燃油附加费（不含民航发展基金）；默认为金额' }),
  attachmentId: Id.nullish().openapi({ description: '发票或凭证附件（先上传到 /attachments）' }),
  description: OptionalText(200),
  occurredOn: DateOnly.nullish(),
  projectId: Id.nullish().openapi({ description: '项目：该笔费用记到项目（审批凭证的费用分录带上项目）；已结束的项目只能报结束日期及以前的' }),
});
const expenseFields = {
  claimDate: DateOnly.optional().openapi({ description: '报销日期；默认今天' }),
  remark: OptionalText(500),
  lines: z.array(ExpenseLineInput).min(1, '至少需要一行明细').max(50, '明细最多 50 行'),
};
export const ExpenseClaimCreate = z.object(expenseFields).openapi('ExpenseClaimCreate');
export const ExpenseClaimUpdate = z
  .object({ ...expenseFields, lines: expenseFields.lines.optional(), version: Version })
  .openapi('ExpenseClaimUpdate', { description: '只有草稿可以修改；lines 提交时整体替换' });

export const ExpenseClaim = z
  .object({
    id: z.string(),
    number: z.string(),
    applicant: Ref,
    department: Ref.nullable(),
    claimDate: z.string(),
    totalAmount: z.string(),
    state: z.enum(DOCUMENT_STATES),
    stateLabel: z.string(),
    readyForPayment: z.boolean().openapi({ description: '已批准，等待会计付款' }),
    payment: z
      .object({ paidOn: z.string(), account: z.string(), paidBy: Ref, paidAt: Timestamp })
      .nullable()
      .openapi({ description: '付款记录（已付款时）：付款日期、付款账户、付款人' }),
    remark: z.string().nullable(),
    lines: z.array(z.object({
      lineNo: z.number().int(), category: z.enum(EXPENSE_CATEGORIES), categoryLabel: z.string(), amount: z.string(), invoiceNo: z.string().nullable(),
      invoiceKind: z.enum(EXPENSE_INVOICE_KINDS).optional(), invoiceKindLabel: z.string().optional(),
      taxAmount: z.string().optional().openapi({ description: '税额（专票票面税额或客票计算的税额）' }),
      fareAndFuel: z.string().nullable().optional(),
      attachmentId: z.string().nullable(), description: z.string().nullable(), occurredOn: z.string().nullable(),
      project: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable().optional().openapi({ description: '项目（有时）' }),
    })),
    approvalId: z.string().nullable().openapi({ description: '最近一次审批' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().int(),
  })
  .openapi('ExpenseClaim');
export const ExpenseClaimListQuery = pageQuery(['number', 'claimDate', 'totalAmount', 'createdAt']).extend({
  state: z.enum(DOCUMENT_STATES, { message: `状态只能是 ${DOCUMENT_STATES.join('、')}` }).optional(),
  readyForPayment: BooleanQuery.optional(),
});
export const ExpenseClaimPage = pageOf(ExpenseClaim).openapi('ExpenseClaimPage');
export const ExpenseClaimPay = z
  .object({
    paidOn: DateOnly.optional().openapi({ description: '付款日期；默认今天' }),
    account: z.string({ message: '请填写付款账户' }).trim().min(1, '请填写付款账户').max(100, '最长 100 个字符').openapi({ example: '工行宁波分行基本户' }),
  })
  .openapi('ExpenseClaimPay');

// ---------- 请假 ----------

const DateTime = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601，例如 2026-11-24T09:00:00+08:00' }).openapi({ format: 'date-time' });
const leaveFields = {
  kind: z.enum(LEAVE_KINDS, { message: `假期类型只能是 ${LEAVE_KINDS.join('、')}` }),
  startAt: DateTime,
  endAt: DateTime,
  days: z
    .union([z.string().trim(), z.number()]).transform((v) => String(v))
    .refine((v) => /^\d{1,4}(\.[05])?$/.test(v) && Number(v) > 0, { message: '天数必须大于 0，以半天为单位（如 0.5、3）' })
    .optional()
    .openapi({ type: 'string', example: '3', description: '可不填：按工作日历计算；填写时须与计算结果一致' }),
  reason: z.string({ message: '请填写事由' }).trim().min(1, '请填写事由').max(500, '最长 500 个字符'),
};
export const LeaveRequestCreate = z
  .object(leaveFields)
  .superRefine((l, ctx) => {
    if (Date.parse(l.endAt) <= Date.parse(l.startAt)) ctx.addIssue({ code: 'custom', path: ['endAt'], message: '结束时间必须晚于开始时间' });
  })
  .openapi('LeaveRequestCreate');
export const LeaveRequestUpdate = z
  .object({ ...leaveFields, kind: leaveFields.kind.optional(), startAt: DateTime.optional(), endAt: DateTime.optional(), reason: leaveFields.reason.optional(), version: Version })
  .openapi('LeaveRequestUpdate', { description: '只有申请人的草稿可以修改；天数按修改后的时间重新计算' });

export const LeaveRequest = z
  .object({
    id: z.string(), number: z.string(), applicant: Ref, department: Ref.nullable(), kind: z.enum(LEAVE_KINDS), kindLabel: z.string(),
    startAt: Timestamp, endAt: Timestamp, days: z.string(), reason: z.string(), state: z.enum(DOCUMENT_STATES), stateLabel: z.string(),
    approvalId: z.string().nullable(), createdAt: Timestamp, version: z.number().int(),
  })
  .openapi('LeaveRequest');
export const LeaveRequestListQuery = pageQuery(['number', 'startAt', 'createdAt']).extend({
  state: z.enum(DOCUMENT_STATES, { message: `状态只能是 ${DOCUMENT_STATES.join('、')}` }).optional(),
});
export const LeaveRequestPage = pageOf(LeaveRequest).openapi('LeaveRequestPage');
export const LeaveCalendarQuery = z.object({
  from: DateOnly.openapi({ description: '起（含）' }),
  to: DateOnly.openapi({ description: '止（含）' }),
  departmentId: Id.optional().openapi({ description: '部门（含下级）；默认自己的部门' }),
});
export const LeaveCalendar = z.array(LeaveRequest).openapi('LeaveCalendar');
export const LeaveDaysQuery = z
  .object({ startAt: DateTime, endAt: DateTime })
  .superRefine((l, ctx) => {
    if (Date.parse(l.endAt) <= Date.parse(l.startAt)) ctx.addIssue({ code: 'custom', path: ['endAt'], message: '结束时间必须晚于开始时间' });
  });
export const LeaveDays = z
  .object({ days: z.string().openapi({ example: '2.5' }), from: z.string(), to: z.string() })
  .openapi('LeaveDays', { description: '按工作日历计算的请假天数（半天为单位），及所跨的日期' });

// ---------- 工作日历 ----------

export const WORK_CALENDAR_KIND_LABELS = { holiday: '节假日', makeUpWorkday: '调休上班' } as const;
const WORK_CALENDAR_KINDS = Object.keys(WORK_CALENDAR_KIND_LABELS) as [keyof typeof WORK_CALENDAR_KIND_LABELS, ...(keyof typeof WORK_CALENDAR_KIND_LABELS)[]];
export const WorkCalendarDayCreate = z
  .object({
    date: DateOnly,
    kind: z.enum(WORK_CALENDAR_KINDS, { message: `类型只能是 ${WORK_CALENDAR_KINDS.join('、')}` }).openapi({ description: 'holiday 节假日；makeUpWorkday 调休上班' }),
    name: z.string({ message: '请填写名称' }).trim().min(1, '请填写名称').max(40, '最长 40 个字符').openapi({ example: '国庆节' }),
  })
  .openapi('WorkCalendarDayCreate');
export const WorkCalendarDay = z
  .object({ id: z.string(), date: z.string(), kind: z.enum(WORK_CALENDAR_KINDS), kindLabel: z.string(), name: z.string() })
  .openapi('WorkCalendarDay');
export const WorkCalendarListQuery = pageQuery(['date']).extend({
  year: z.coerce.number({ message: '年份必须是数字' }).int('年份必须是整数').min(2000, '年份不早于 2000').max(2100, '年份不晚于 2100').optional(),
  kind: z.enum(WORK_CALENDAR_KINDS, { message: `类型只能是 ${WORK_CALENDAR_KINDS.join('、')}` }).optional(),
});
export const WorkCalendarPage = pageOf(WorkCalendarDay).openapi('WorkCalendarPage');

export type ExpenseClaimCreate = z.infer<typeof ExpenseClaimCreate>;
/** what a client sends (amounts may still be numbers) */
export type ExpenseClaimCreateInput = z.input<typeof ExpenseClaimCreate>;
export type LeaveRequestCreateInput = z.input<typeof LeaveRequestCreate>;
export type ExpenseClaimUpdate = z.infer<typeof ExpenseClaimUpdate>;
export type ExpenseClaim = z.infer<typeof ExpenseClaim>;
export type ExpenseClaimListQuery = z.infer<typeof ExpenseClaimListQuery>;
export type LeaveRequestCreate = z.infer<typeof LeaveRequestCreate>;
export type LeaveRequestUpdate = z.infer<typeof LeaveRequestUpdate>;
export type LeaveRequest = z.infer<typeof LeaveRequest>;
export type LeaveRequestListQuery = z.infer<typeof LeaveRequestListQuery>;
export type LeaveCalendarQuery = z.infer<typeof LeaveCalendarQuery>;
export type LeaveDaysQuery = z.infer<typeof LeaveDaysQuery>;
export type LeaveDays = z.infer<typeof LeaveDays>;
export type ExpenseClaimPay = z.infer<typeof ExpenseClaimPay>;
export type WorkCalendarDay = z.infer<typeof WorkCalendarDay>;
export type WorkCalendarDayCreate = z.infer<typeof WorkCalendarDayCreate>;
export type WorkCalendarListQuery = z.infer<typeof WorkCalendarListQuery>;
