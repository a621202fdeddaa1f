// Writing a voucher, in the caller's transaction: accounts checked (exist, leaf), lines balanced,
// the period open, the next 记 number taken from the period's counter row (locked until commit, so
// numbers are gap-free however many post at once, and a rolled-back posting gives its number back),
// then the voucher, its lines and the audit entry. Shared by document postings, manual vouchers and
// reversals. A voucher is never updated afterwards.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { auditSql } from '../../../platform/audit.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { ensureChart, lockAccounts, type PostableAccount } from '../accounts/store.ts';
import { balanceIssues, foreignIssues, voucherTotals } from './balance.ts';

export interface WriteLine {
  /** by id (a request, a reversal) or by code (a posting rule) */
  accountId?: string;
  accountCode?: string;
  summary?: string | null;
  debit: Decimal.Value;
  credit: Decimal.Value;
  customerId?: string | null;
  supplierId?: string | null;
  departmentId?: string | null;
  employeeId?: string | null;
  itemId?: string | null;
  projectId?: string | null;
  /** 外币: null/undefined or the base currency = none; amountForeign has the sign of the line's amount */
  currencyCode?: string | null;
  amountForeign?: Decimal.Value | null;
  rate?: Decimal.Value | null;
}

export interface WriteVoucher {
  /** YYYY-MM-DD (Asia/Shanghai); the period is its month */
  date: string;
  summary: string;
  lines: WriteLine[];
  source?: { type: string; id: string; number: string } | null;
  reversalOfId?: string | null;
  /** a 红字冲销 voucher: amounts below 0 */
  red?: boolean;
  /** 附单据数 typed on a manual voucher */
  attachmentCount?: number;
  /**
   * Who asked: a request's lines are answered 400 on body.lines; a document's posting rule that
   * names a bad account is a 409 (the document cannot be posted until the chart is fixed).
   */
  origin: 'request' | 'rule';
}

export interface WrittenVoucher {
  id: string;
  number: string;
  period: string;
}

export const periodOf = (date: string) => date.slice(0, 7);
const BASE_CURRENCY = 'CNY';

export async function writeVoucher(tx: Tx, ctx: UseCaseContext, v: WriteVoucher): Promise<WrittenVoucher> {
  const companyId = ctx.actor.companyId;
  const accounts = await resolveAccounts(tx, companyId, v);
  const issues: FieldIssue[] = [];
  v.lines.forEach((l, n) => {
    const a = l.accountId ? accounts.byId.get(l.accountId) : accounts.byCode.get(l.accountCode ?? '');
    if (!a) issues.push({ field: `body.lines.${n}.accountId`, message: l.accountCode ? `科目 ${l.accountCode} 不存在` : '科目不存在' });
    else if (a.hasChildren) issues.push({ field: `body.lines.${n}.accountId`, message: `科目「${a.code} ${a.fullName}」有下级科目，不能直接记账，请选择明细科目` });
  });
  issues.push(...balanceIssues(v.lines, { red: v.red }));
  // 外币核算: checked whole on a request; a rule's (or a reversal's) lines only against a one-currency account.
  issues.push(...foreignIssues(v.lines.map((l) => ({ ...l, account: l.accountId ? accounts.byId.get(l.accountId) : accounts.byCode.get(l.accountCode ?? '') })), { strict: v.origin === 'request' }));
  if (issues.length) {
    if (v.origin === 'request') throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
    const what = v.source ? `${v.source.number} 的凭证` : '凭证';
    throw new AppError('CONFLICT', `${what}不能生成：${issues.map((i) => i.message).join('；')}`);
  }

  const period = periodOf(v.date);
  const totals = voucherTotals(v.lines);
  const accountOf = (l: WriteLine) => (l.accountId ? accounts.byId.get(l.accountId)! : accounts.byCode.get(l.accountCode!)!);
  const id = crypto.randomUUID();
  const fixed = (d: Decimal.Value) => new Decimal(d).toFixed(2);
  const col = (pick: (l: WriteLine, n: number) => string | null | undefined) => v.lines.map((l, n) => pick(l, n) ?? '');
  const foreignOf = (l: WriteLine) => (l.currencyCode && l.currencyCode !== BASE_CURRENCY ? l.currencyCode : null);
  const audit = auditSql(ctx, {
    action: v.reversalOfId ? 'reverse' : 'post', entity: 'voucher', entityId: id,
    after: Prisma.sql`jsonb_build_object('number', (SELECT number FROM v)) || ${JSON.stringify({
      period, date: v.date, summary: v.summary, source: v.source ?? null, reversalOfId: v.reversalOfId ?? null,
      totalDebit: totals.debit.toFixed(2), totalCredit: totals.credit.toFixed(2),
      lines: v.lines.map((l) => ({ account: accountOf(l).code, debit: fixed(l.debit), credit: fixed(l.credit) })),
    })}::jsonb`,
  });
  // One statement: the period's counter row (locked from here to the commit, so this is the last
  // statement before it), the voucher numbered from it, its lines and the audit entry. A closed
  // period returns no counter row, and then nothing is written.
  const [written] = await tx.$queryRaw<{ number: string }[]>`
    WITH counter AS (
      INSERT INTO accounting_period (id, company_id, period, last_voucher_no)
      VALUES (gen_random_uuid(), ${companyId}::uuid, ${period}, 1)
      ON CONFLICT (company_id, period) DO UPDATE SET last_voucher_no = accounting_period.last_voucher_no + 1
       WHERE accounting_period.state = 'open'
      RETURNING last_voucher_no AS seq
    ), v AS (
      INSERT INTO voucher (id, company_id, period, seq, number, voucher_date, summary, total_debit, total_credit,
                           source_type, source_id, source_number, reversal_of_id, created_by_id, attachment_count)
      SELECT ${id}::uuid, ${companyId}::uuid, ${period}, seq, '记-' || lpad(seq::text, 4, '0'), ${v.date}::date, ${v.summary},
             ${totals.debit.toFixed(2)}::numeric, ${totals.credit.toFixed(2)}::numeric,
             ${v.source?.type ?? null}, ${v.source?.id ?? null}::uuid, ${v.source?.number ?? null}, ${v.reversalOfId ?? null}::uuid, ${ctx.actor.userId}::uuid,
             ${v.attachmentCount ?? 0}::int
        FROM counter
      RETURNING number
    ), lines AS (
      INSERT INTO voucher_line (id, company_id, voucher_id, period, line_no, account_id, summary, debit, credit,
                                customer_id, supplier_id, department_id, employee_id, item_id, project_id, currency_code, amount_foreign, rate)
      SELECT gen_random_uuid(), ${companyId}::uuid, ${id}::uuid, ${period}, l.line_no, l.account_id, l.summary, l.debit, l.credit,
             NULLIF(l.customer_id, '')::uuid, NULLIF(l.supplier_id, '')::uuid, NULLIF(l.department_id, '')::uuid,
             NULLIF(l.employee_id, '')::uuid, NULLIF(l.item_id, '')::uuid, NULLIF(l.project_id, '')::uuid,
             NULLIF(l.currency_code, ''), NULLIF(l.amount_foreign, '')::numeric, NULLIF(l.rate, '')::numeric
        FROM unnest(${col((_, n) => String(n + 1))}::int[], ${col((l) => accountOf(l).id)}::uuid[], ${col((l) => l.summary || v.summary)}::text[],
                    ${col((l) => fixed(l.debit))}::numeric[], ${col((l) => fixed(l.credit))}::numeric[],
                    ${col((l) => l.customerId)}::text[], ${col((l) => l.supplierId)}::text[], ${col((l) => l.departmentId)}::text[],
                    ${col((l) => l.employeeId)}::text[], ${col((l) => l.itemId)}::text[], ${col((l) => l.projectId)}::text[],
                    ${col((l) => foreignOf(l))}::text[], ${col((l) => (foreignOf(l) ? fixed(l.amountForeign ?? 0) : null))}::text[],
                    ${col((l) => (foreignOf(l) && l.rate != null ? new Decimal(l.rate).toFixed(6) : null))}::text[])
             AS l(line_no, account_id, summary, debit, credit, customer_id, supplier_id, department_id, employee_id, item_id, project_id, currency_code, amount_foreign, rate)
       WHERE EXISTS (SELECT 1 FROM v)
    ), audit AS (${audit})
    SELECT number FROM v`;
  if (!written) throw new AppError('CONFLICT', `会计期间 ${period} 已结账，不能再记账（日期 ${v.date}）`);
  return { id, number: written.number, period };
}

async function resolveAccounts(tx: Tx, companyId: string, v: WriteVoucher): Promise<{ byId: Map<string, PostableAccount>; byCode: Map<string, PostableAccount> }> {
  const ids = [...new Set(v.lines.flatMap((l) => (l.accountId ? [l.accountId] : [])))];
  const codes = [...new Set(v.lines.flatMap((l) => (l.accountCode ? [l.accountCode] : [])))];
  let rows = await lockAccounts(tx, { ids, codes });
  // A company made before the chart existed (or outside the seed) gets the standard chart the first time it posts.
  if (codes.some((c) => !rows.some((r) => r.code === c))) {
    await ensureChart(tx, companyId);
    rows = await lockAccounts(tx, { ids, codes });
  }
  return { byId: new Map(rows.map((r) => [r.id, r])), byCode: new Map(rows.map((r) => [r.code, r])) };
}
