// Each account's own figures (its own lines, not its sub-accounts': summing accounts under a code
// never counts a line twice) up to a period in one grouped read, for month end and the
// statements: the balance at the month's end, the month's and the year's movements with and without
// the closing vouchers (结转损益, 年末结转: a statement of profit must not see them), and the balance
// at the year's start (年初余额).
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { monthEndSourceType } from '../month-end/rules.ts';

export interface AccountFigures {
  code: string;
  category: 'asset' | 'liability' | 'equity' | 'cost' | 'profitLoss';
  direction: 'debit' | 'credit';
  /** Σ (debit − credit) through the period */
  closing: Decimal;
  /** Σ (debit − credit) before the year */
  yearOpening: Decimal;
  periodDebit: Decimal;
  periodCredit: Decimal;
  /** the month's debit − credit, closing vouchers left out */
  periodNet: Decimal;
  /** the year's through the month, closing vouchers left out */
  yearNet: Decimal;
}

export const CLOSING_SOURCES = [monthEndSourceType('profitTransfer'), monthEndSourceType('yearEnd')];

export async function accountFigures(tx: Tx, period: string): Promise<AccountFigures[]> {
  const yearStart = `${period.slice(0, 4)}-01`;
  const rows = await tx.$queryRaw<{ code: string; category: AccountFigures['category']; direction: AccountFigures['direction']; closing: string; yearOpening: string; periodDebit: string; periodCredit: string; periodNet: string; yearNet: string }[]>`
    WITH closing_vouchers AS (
      SELECT id FROM voucher WHERE period >= ${yearStart} AND period <= ${period} AND source_type = ANY(${CLOSING_SOURCES}::text[])
    ), f AS (
      SELECT account_id,
             sum(debit - credit) AS closing,
             coalesce(sum(debit - credit) FILTER (WHERE period < ${yearStart}), 0) AS year_opening,
             coalesce(sum(debit) FILTER (WHERE period = ${period}), 0) AS period_debit,
             coalesce(sum(credit) FILTER (WHERE period = ${period}), 0) AS period_credit,
             coalesce(sum(debit - credit) FILTER (WHERE period = ${period} AND voucher_id NOT IN (SELECT id FROM closing_vouchers)), 0) AS period_net,
             coalesce(sum(debit - credit) FILTER (WHERE period >= ${yearStart} AND voucher_id NOT IN (SELECT id FROM closing_vouchers)), 0) AS year_net
        FROM voucher_line WHERE period <= ${period}
       GROUP BY account_id
    )
    SELECT a.code, a.category::text AS category, a.direction::text AS direction,
           coalesce(f.closing, 0)::text AS closing, coalesce(f.year_opening, 0)::text AS "yearOpening",
           coalesce(f.period_debit, 0)::text AS "periodDebit", coalesce(f.period_credit, 0)::text AS "periodCredit",
           coalesce(f.period_net, 0)::text AS "periodNet", coalesce(f.year_net, 0)::text AS "yearNet"
      FROM account a LEFT JOIN f ON f.account_id = a.id
     ORDER BY a.code`;
  return rows.map((r) => ({
    code: r.code, category: r.category, direction: r.direction,
    closing: new Decimal(r.closing), yearOpening: new Decimal(r.yearOpening), periodDebit: new Decimal(r.periodDebit),
    periodCredit: new Decimal(r.periodCredit), periodNet: new Decimal(r.periodNet), yearNet: new Decimal(r.yearNet),
  }));
}

/** Σ of a figure over the accounts under any of the codes (the code itself or its sub-accounts). */
export function sumUnder(figures: readonly AccountFigures[], codes: readonly string[], pick: (f: AccountFigures) => Decimal): Decimal {
  return figures.filter((f) => codes.some((c) => f.code.startsWith(c))).reduce((t, f) => t.plus(pick(f)), new Decimal(0));
}
