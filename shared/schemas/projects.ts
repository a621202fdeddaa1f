// 项目: a 辅助核算 dimension of voucher lines (项目收支 per project), and the 项目收支 report.
import { Code, DateOnly, Id, Name, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';
import { PeriodText } from './vouchers.ts';

export const PROJECT_STATUS_LABELS = { active: '进行中', closed: '已结束' } as const;

const projectFields = {
  code: Code,
  name: Name(100),
  customerId: Id.nullish().openapi({ description: '客户（为客户做的项目）' }),
  managerId: Id.nullish().openapi({ description: '项目经理（用户）' }),
  startDate: DateOnly.nullish(),
  endDate: DateOnly.nullish().openapi({ description: '结束日期；进行中的项目为计划结束日期，关闭时为实际结束日期' }),
  remark: OptionalText(500),
};

const datesInOrder = (p: { startDate?: string | null; endDate?: string | null }) => !p.startDate || !p.endDate || p.startDate <= p.endDate;
const datesIssue = { message: '结束日期不能早于开始日期', path: ['endDate'] };

export const ProjectCreate = z.object(projectFields).refine(datesInOrder, datesIssue).openapi('ProjectCreate');

export const ProjectUpdate = z
  .object(projectFields)
  .partial()
  .extend({ version: Version })
  .refine(datesInOrder, datesIssue)
  .openapi('ProjectUpdate', { description: '只需提交要修改的字段' });

export const ProjectClose = z
  .object({
    endDate: DateOnly.optional().openapi({ description: '实际结束日期，默认今天（北京时间）；此后日期的凭证不能再记到该项目' }),
    version: Version,
  })
  .openapi('ProjectClose');

export const ProjectReopen = z.object({ version: Version }).openapi('ProjectReopen');

const Ref = z.object({ id: z.string(), code: z.string().nullable(), name: z.string() });

export const Project = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    customer: Ref.nullable(),
    manager: z.object({ id: z.string(), name: z.string() }).nullable(),
    startDate: z.string().nullable().openapi({ format: 'date' }),
    endDate: z.string().nullable().openapi({ format: 'date' }),
    status: z.enum(['active', 'closed']),
    statusLabel: z.string(),
    remark: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Project');

export const ProjectListQuery = pageQuery(['code', 'name', 'startDate', 'createdAt']).extend({
  status: z.enum(['active', 'closed'], { message: '只能是 active（进行中）或 closed（已结束）' }).optional(),
  customerId: Id.optional(),
});
export const ProjectPage = pageOf(Project).openapi('ProjectPage');

/** The light picker of an expense line: only 进行中 projects, only what the picker shows. */
export const ProjectOptionsQuery = pageQuery(['code', 'name']);
export const ProjectOption = z.object({ id: z.string(), code: z.string(), name: z.string() }).openapi('ProjectOption');
export const ProjectOptionPage = pageOf(ProjectOption).openapi('ProjectOptionPage');

/** 项目收支: per project, the period's income and costs from the voucher lines that name it. */
export const ProjectIncomeQuery = z.object({
  period: PeriodText.openapi({ description: '起始会计期间 YYYY-MM' }),
  periodTo: PeriodText.optional().openapi({ description: '截止会计期间，默认同起始期间' }),
  projectId: Id.optional(),
});
export const ProjectIncomeRow = z.object({
  project: Ref,
  statusLabel: z.string(),
  income: z.string().openapi({ description: '收入：收入类科目（5001、5051、5111、5301）贷方 − 借方' }),
  cost: z.string().openapi({ description: '成本费用：费用类科目（54xx、56xx、57xx、58xx）借方 − 贷方' }),
  profit: z.string().openapi({ description: '收入 − 成本费用' }),
  inProgress: z.string().openapi({ description: '成本类科目（4xxx 生产成本、研发支出等）与在建工程（1604）本期借方 − 贷方：尚未结转的投入' }),
});
export const ProjectIncome = z
  .object({ period: z.string(), periodTo: z.string(), rows: z.array(ProjectIncomeRow), totals: ProjectIncomeRow.omit({ project: true, statusLabel: true }) })
  .openapi('ProjectIncome');

export type ProjectCreate = z.output<typeof ProjectCreate>;
export type ProjectUpdate = z.output<typeof ProjectUpdate>;
export type ProjectClose = z.output<typeof ProjectClose>;
export type Project = z.output<typeof Project>;
export type ProjectListQuery = z.output<typeof ProjectListQuery>;
export type ProjectOptionsQuery = z.output<typeof ProjectOptionsQuery>;
export type ProjectOption = z.output<typeof ProjectOption>;
export type ProjectIncomeQuery = z.output<typeof ProjectIncomeQuery>;
export type ProjectIncome = z.output<typeof ProjectIncome>;
