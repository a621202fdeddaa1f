// 会计期间: a month is open until closed (结账); a voucher dated in a closed month is refused (409).
// A period row appears with its first voucher or when it is closed. Closing waits for postings of
// the period in flight (they hold its counter row) and they then find it closed. Closing needs
// every business document of the month posted (close-checks.ts) and 结转损益 done (no 损益 account
// keeps a balance at the month's end); reopening
// (反结账) has its own permission. Both are audited.
import type { AccountingPeriod } from '../../../../shared/schemas/vouchers.ts';
import { PERIOD_STATE_LABELS } from '../../../../shared/schemas/vouchers.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { assertProfitTransferred } from '../month-end/service.ts';
import { unpostedDocuments } from './close-checks.ts';

interface PeriodRow {
  id: string;
  period: string;
  state: 'open' | 'closed';
  closedAt: Date | null;
  vouchers: number;
}

const toDto = (p: PeriodRow): AccountingPeriod => ({
  period: p.period, state: p.state, stateLabel: PERIOD_STATE_LABELS[p.state], vouchers: p.vouchers, closedAt: p.closedAt ? isoShanghai(p.closedAt) : null,
});

export async function listPeriods(ctx: UseCaseContext): Promise<{ items: AccountingPeriod[] }> {
  return runUseCase(ctx, async (tx) => {
    const rows = await tx.$queryRaw<PeriodRow[]>`
      SELECT id::text, period, state::text AS state, closed_at AS "closedAt", last_voucher_no AS vouchers
        FROM accounting_period ORDER BY period DESC`;
    return { items: rows.map(toDto) };
  });
}

export async function closePeriod(ctx: UseCaseContext, period: string): Promise<AccountingPeriod> {
  return runUseCase(ctx, async (tx) => {
    const [state] = await tx.$queryRaw<{ state: string }[]>`SELECT state::text AS state FROM accounting_period WHERE period = ${period}`;
    if (state?.state !== 'closed') {
      await assertAllPosted(tx, period);
      await assertProfitTransferred(tx, period);
    }
    const [row] = await tx.$queryRaw<PeriodRow[]>`
      INSERT INTO accounting_period (id, company_id, period, state, closed_at, closed_by_id)
      VALUES (gen_random_uuid(), ${ctx.actor.companyId}::uuid, ${period}, 'closed', now(), ${ctx.actor.userId}::uuid)
      ON CONFLICT (company_id, period) DO UPDATE SET state = 'closed', closed_at = now(), closed_by_id = ${ctx.actor.userId}::uuid
       WHERE accounting_period.state = 'open'
      RETURNING id::text, period, state::text AS state, closed_at AS "closedAt", last_voucher_no AS vouchers`;
    if (!row) throw new AppError('CONFLICT', `会计期间 ${period} 已结账`);
    await recordAudit(tx, ctx, { action: 'close', entity: 'accountingPeriod', entityId: row.id, after: { period, state: 'closed' } });
    return toDto(row);
  });
}

/** A document of the month without its voucher would leave the closed month's books short: name them. */
async function assertAllPosted(tx: Parameters<typeof unpostedDocuments>[0], period: string): Promise<void> {
  const missing = await unpostedDocuments(tx, period);
  if (!missing.length) return;
  const shown = missing.slice(0, 10).map((d) => `${d.label} ${d.number}`).join('、');
  throw new AppError('CONFLICT', `会计期间 ${period} 还有 ${missing.length} 张单据没有凭证（${shown}${missing.length > 10 ? ' 等' : ''}），请先补记凭证再结账`);
}

export async function reopenPeriod(ctx: UseCaseContext, period: string): Promise<AccountingPeriod> {
  return runUseCase(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<PeriodRow[]>`
      UPDATE accounting_period SET state = 'open', closed_at = NULL, closed_by_id = NULL
       WHERE period = ${period} AND state = 'closed'
      RETURNING id::text, period, state::text AS state, closed_at AS "closedAt", last_voucher_no AS vouchers`;
    if (!row) throw new AppError('CONFLICT', `会计期间 ${period} 未结账，无需反结账`);
    await recordAudit(tx, ctx, { action: 'reopen', entity: 'accountingPeriod', entityId: row.id, before: { period, state: 'closed' }, after: { period, state: 'open' } });
    return toDto(row);
  });
}
