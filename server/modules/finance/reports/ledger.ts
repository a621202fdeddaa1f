// 明细账 / 总账 / 现金日记账: an account's lines in a month (a first-level code takes in all its
// sub-accounts, which makes it the 总账 view), with the opening balance, a running balance on the
// account's side and the month's totals; optionally only the lines of one customer, supplier or
// project (辅助核算明细账). The cash journal is this over 1001 and 1002.
import { Decimal } from 'decimal.js';
import type { Ledger, LedgerQuery } from '../../../../shared/schemas/finance-reports.ts';
import { AppError } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import type { Tx } from '../../../db/transaction.ts';

const side = (net: Decimal, direction: 'debit' | 'credit') => {
  if (net.isZero()) return { direction: '平' as const, balance: '0.00' };
  const onSide = direction === 'debit' ? net : net.neg();
  // A balance on the account's own side is shown positive under its 借/贷; the other side shows the other word.
  return onSide.gt(0)
    ? { direction: (direction === 'debit' ? '借' : '贷') as '借' | '贷', balance: onSide.toFixed(2) }
    : { direction: (direction === 'debit' ? '贷' : '借') as '借' | '贷', balance: onSide.neg().toFixed(2) };
};

export async function loadLedger(tx: Tx, q: LedgerQuery): Promise<Ledger> {
  const [account] = await tx.$queryRaw<{ code: string; fullName: string; direction: 'debit' | 'credit' }[]>`
    SELECT code, full_name AS "fullName", direction::text AS direction FROM account WHERE code = ${q.accountCode}`;
  if (!account) throw new AppError('NOT_FOUND', `科目 ${q.accountCode} 不存在`);
  const like = `${q.accountCode}%`;
  const customer = q.customerId ?? null;
  const supplier = q.supplierId ?? null;
  const project = q.projectId ?? null;
  const [opening] = await tx.$queryRaw<{ net: string }[]>`
    SELECT coalesce(sum(l.debit - l.credit), 0)::text AS net
      FROM voucher_line l JOIN account a ON a.id = l.account_id
     WHERE a.code LIKE ${like} AND l.period < ${q.period}
       AND (${customer}::uuid IS NULL OR l.customer_id = ${customer}::uuid) AND (${supplier}::uuid IS NULL OR l.supplier_id = ${supplier}::uuid)
       AND (${project}::uuid IS NULL OR l.project_id = ${project}::uuid)`;
  const rows = await tx.$queryRaw<{ date: string; voucherId: string; voucherNumber: string; summary: string; debit: string; credit: string; currency: string | null; foreign: string | null; rate: string | null }[]>`
    SELECT to_char(v.voucher_date, 'YYYY-MM-DD') AS date, v.id::text AS "voucherId", v.number AS "voucherNumber",
           coalesce(l.summary, v.summary) AS summary, l.debit::text AS debit, l.credit::text AS credit,
           l.currency_code AS currency, l.amount_foreign::text AS foreign, l.rate::text AS rate
      FROM voucher_line l JOIN account a ON a.id = l.account_id JOIN voucher v ON v.id = l.voucher_id
     WHERE a.code LIKE ${like} AND l.period = ${q.period}
       AND (${customer}::uuid IS NULL OR l.customer_id = ${customer}::uuid) AND (${supplier}::uuid IS NULL OR l.supplier_id = ${supplier}::uuid)
       AND (${project}::uuid IS NULL OR l.project_id = ${project}::uuid)
     ORDER BY v.voucher_date, v.seq, l.line_no`;
  let net = new Decimal(opening!.net);
  const openingSide = side(net, account.direction);
  let debit = new Decimal(0);
  let credit = new Decimal(0);
  const entries = rows.map(({ currency, foreign, rate, ...r }) => {
    net = net.plus(r.debit).minus(r.credit);
    debit = debit.plus(r.debit);
    credit = credit.plus(r.credit);
    return {
      ...r, debit: new Decimal(r.debit).toFixed(2), credit: new Decimal(r.credit).toFixed(2), ...side(net, account.direction),
      ...(currency ? { foreign: { currencyCode: currency, amount: new Decimal(foreign ?? 0).toFixed(2), rate: rate === null ? null : new Decimal(rate).toFixed(6) } } : {}),
    };
  });
  return {
    period: q.period, account, opening: openingSide, entries,
    totals: { debit: debit.toFixed(2), credit: credit.toFixed(2) }, closing: side(net, account.direction),
  };
}

export async function getLedger(ctx: UseCaseContext, q: LedgerQuery): Promise<Ledger> {
  return runUseCase(ctx, (tx) => loadLedger(tx, q));
}

export async function getCashJournal(ctx: UseCaseContext, q: { period: string; accountCode?: '1001' | '1002' }): Promise<{ items: Ledger[] }> {
  return runUseCase(ctx, async (tx) => ({
    items: await Promise.all((q.accountCode ? [q.accountCode] : ['1001', '1002']).map((accountCode) => loadLedger(tx, { period: q.period, accountCode }))),
  }));
}
