// 科目余额表 for a period: one grouped read of the lines up to the period (opening = before it,
// the period's debits and credits), rolled up over the account tree in trial-balance.ts.
import type { TrialBalance, TrialBalanceQuery } from '../../../../shared/schemas/vouchers.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { ensureChart } from '../accounts/store.ts';
import { trialBalance, type OwnFigures } from './trial-balance.ts';

export async function getTrialBalance(ctx: UseCaseContext, query: TrialBalanceQuery): Promise<TrialBalance> {
  return runUseCase(ctx, async (tx) => {
    await ensureChart(tx, ctx.actor.companyId);
    const [accounts, figures] = await Promise.all([
      tx.account.findMany({ select: { id: true, code: true, name: true, parentId: true, level: true, direction: true, hasChildren: true } }),
      tx.$queryRaw<{ accountId: string; opening: string; debit: string; credit: string }[]>`
        SELECT account_id::text AS "accountId",
               coalesce(sum(debit - credit) FILTER (WHERE period < ${query.period}), 0)::text AS opening,
               coalesce(sum(debit) FILTER (WHERE period = ${query.period}), 0)::text AS debit,
               coalesce(sum(credit) FILTER (WHERE period = ${query.period}), 0)::text AS credit
          FROM voucher_line
         WHERE company_id = ${ctx.actor.companyId}::uuid AND period <= ${query.period}
         GROUP BY account_id`,
    ]);
    const own = new Map<string, OwnFigures>(figures.map((f) => [f.accountId, f]));
    return { period: query.period, ...trialBalance(accounts, own, { all: query.all }) };
  });
}
