// 项目收支表: per project, over a range of periods, the sums of the voucher lines that name it, by the
// account's category — income (损益类, credit side), costs and expenses (损益类, debit side) and what is
// still invested (成本类 such as 生产成本 / 研发支出, and 在建工程 1604) — with totals.
import { Decimal } from 'decimal.js';
import { PROJECT_STATUS_LABELS, type ProjectIncome, type ProjectIncomeQuery } from '../../../../shared/schemas/projects.ts';
import { invalid } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';

export async function getProjectIncome(ctx: UseCaseContext, q: ProjectIncomeQuery): Promise<ProjectIncome> {
  const periodTo = q.periodTo ?? q.period;
  if (periodTo < q.period) throw invalid('query.periodTo', '截止期间不能早于起始期间');
  const project = q.projectId ?? null;
  return runUseCase(ctx, async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; code: string; name: string; status: 'active' | 'closed'; income: string; cost: string; inProgress: string }[]>`
      SELECT p.id::text, p.code, p.name, p.status::text AS status,
             coalesce(sum(l.credit - l.debit) FILTER (WHERE a.category = 'profitLoss' AND a.direction = 'credit'), 0)::text AS income,
             coalesce(sum(l.debit - l.credit) FILTER (WHERE a.category = 'profitLoss' AND a.direction = 'debit'), 0)::text AS cost,
             coalesce(sum(l.debit - l.credit) FILTER (WHERE a.category = 'cost' OR a.code LIKE '1604%'), 0)::text AS "inProgress"
        FROM voucher_line l JOIN project p ON p.id = l.project_id JOIN account a ON a.id = l.account_id
       WHERE l.period BETWEEN ${q.period} AND ${periodTo} AND (${project}::uuid IS NULL OR p.id = ${project}::uuid)
       GROUP BY p.id, p.code, p.name, p.status
       ORDER BY p.code`;
    const zero = new Decimal(0);
    const totals = { income: zero, cost: zero, inProgress: zero };
    const out = rows.map((r) => {
      const income = new Decimal(r.income);
      const cost = new Decimal(r.cost);
      const inProgress = new Decimal(r.inProgress);
      totals.income = totals.income.plus(income);
      totals.cost = totals.cost.plus(cost);
      totals.inProgress = totals.inProgress.plus(inProgress);
      return {
        project: { id: r.id, code: r.code, name: r.name }, statusLabel: PROJECT_STATUS_LABELS[r.status],
        income: income.toFixed(2), cost: cost.toFixed(2), profit: income.minus(cost).toFixed(2), inProgress: inProgress.toFixed(2),
      };
    });
    return {
      period: q.period, periodTo, rows: out,
      totals: { income: totals.income.toFixed(2), cost: totals.cost.toFixed(2), profit: totals.income.minus(totals.cost).toFixed(2), inProgress: totals.inProgress.toFixed(2) },
    };
  });
}
