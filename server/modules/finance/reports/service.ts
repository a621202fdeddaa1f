// 科目余额表 for a period: one grouped read of the lines up to the period (opening = before it,
// the period's debits and credits), rolled up over the account tree in trial-balance.ts. The 期初余额
// voucher counts as the opening of its own month.
import { Decimal } from 'decimal.js';
import type { TrialBalance, TrialBalanceQuery } from '../../../../shared/schemas/vouchers.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { ensureChart } from '../accounts/store.ts';
import { OPENING_SOURCE } from '../opening/service.ts';
import { trialBalance, type OwnFigures } from './trial-balance.ts';

export async function getTrialBalance(ctx: UseCaseContext, query: TrialBalanceQuery): Promise<TrialBalance> {
  return runUseCase(ctx, async (tx) => {
    await ensureChart(tx, ctx.actor.companyId);
    const [accounts, figures, opening] = await Promise.all([
      tx.account.findMany({ select: { id: true, code: true, name: true, parentId: true, level: true, direction: true, hasChildren: true } }),
      // One pass over the lines up to the period, grouped by account and by "in the period or
      // before it": a single comparison per line, the split into opening and movements done here.
      tx.$queryRaw<{ accountId: string; current: boolean; debit: string; credit: string }[]>`
        SELECT account_id::text AS "accountId", period = ${query.period} AS current,
               sum(debit)::text AS debit, sum(credit)::text AS credit
          FROM voucher_line
         WHERE company_id = ${ctx.actor.companyId}::uuid AND period <= ${query.period}
         GROUP BY 1, 2`,
      // The 期初余额 voucher of this very month (the company's first here): its lines are the
      // month's opening balances, not its movements. Found through the voucher's source index.
      tx.$queryRaw<{ accountId: string; debit: string; credit: string }[]>`
        SELECT l.account_id::text AS "accountId", sum(l.debit)::text AS debit, sum(l.credit)::text AS credit
          FROM voucher v JOIN voucher_line l ON l.voucher_id = v.id
         WHERE v.company_id = ${ctx.actor.companyId}::uuid AND v.source_type = ${OPENING_SOURCE} AND v.period = ${query.period}
         GROUP BY 1`,
    ]);
    const own = new Map<string, OwnFigures>();
    for (const f of figures) {
      const o = own.get(f.accountId) ?? { opening: new Decimal(0), debit: new Decimal(0), credit: new Decimal(0) };
      if (f.current) own.set(f.accountId, { ...o, debit: new Decimal(f.debit), credit: new Decimal(f.credit) });
      else own.set(f.accountId, { ...o, opening: new Decimal(f.debit).minus(f.credit) });
    }
    for (const f of opening) {
      const o = own.get(f.accountId)!;
      own.set(f.accountId, {
        opening: new Decimal(o.opening).plus(f.debit).minus(f.credit),
        debit: new Decimal(o.debit).minus(f.debit), credit: new Decimal(o.credit).minus(f.credit),
      });
    }
    return { period: query.period, ...trialBalance(accounts, own, { all: query.all }) };
  });
}
