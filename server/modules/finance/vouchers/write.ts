// Writing a voucher, in the caller's transaction: accounts checked (exist, leaf), lines balanced,
// the period open, the next 记 number taken from the period's counter row (locked until commit, so
// numbers are gap-free however many post at once, and a rolled-back posting gives its number back),
// then the voucher, its lines and the audit entry. Shared by document postings, manual vouchers and
// reversals. A voucher is never updated afterwards.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyToDb } from '../currencies/rates.ts';
import { ensureChart, lockAccounts, type PostableAccount } from '../accounts/store.ts';
import { balanceIssues, voucherTotals } from './balance.ts';

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

export const voucherNumber = (seq: number) => `记-${String(seq).padStart(4, '0')}`;
export const periodOf = (date: string) => date.slice(0, 7);

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
  if (issues.length) {
    if (v.origin === 'request') throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
    const what = v.source ? `${v.source.number} 的凭证` : '凭证';
    throw new AppError('CONFLICT', `${what}不能生成：${issues.map((i) => i.message).join('；')}`);
  }

  const period = periodOf(v.date);
  const [counter] = await tx.$queryRaw<{ seq: number }[]>`
    INSERT INTO accounting_period (id, company_id, period, last_voucher_no)
    VALUES (gen_random_uuid(), ${companyId}::uuid, ${period}, 1)
    ON CONFLICT (company_id, period) DO UPDATE SET last_voucher_no = accounting_period.last_voucher_no + 1
     WHERE accounting_period.state = 'open'
    RETURNING last_voucher_no AS seq`;
  if (!counter) throw new AppError('CONFLICT', `会计期间 ${period} 已结账，不能再记账（日期 ${v.date}）`);
  const number = voucherNumber(counter.seq);
  const totals = voucherTotals(v.lines);
  const accountOf = (l: WriteLine) => (l.accountId ? accounts.byId.get(l.accountId)! : accounts.byCode.get(l.accountCode!)!);
  const voucher = await tx.voucher.create({
    data: {
      companyId, period, seq: counter.seq, number, voucherDate: dateOnlyToDb(v.date), summary: v.summary,
      totalDebit: totals.debit.toFixed(2), totalCredit: totals.credit.toFixed(2),
      sourceType: v.source?.type ?? null, sourceId: v.source?.id ?? null, sourceNumber: v.source?.number ?? null,
      reversalOfId: v.reversalOfId ?? null, createdById: ctx.actor.userId,
      lines: {
        createMany: {
          data: v.lines.map((l, n) => ({
            companyId, period, lineNo: n + 1, accountId: accountOf(l).id, summary: l.summary || v.summary,
            debit: new Decimal(l.debit).toFixed(2), credit: new Decimal(l.credit).toFixed(2),
            customerId: l.customerId ?? null, supplierId: l.supplierId ?? null, departmentId: l.departmentId ?? null,
            employeeId: l.employeeId ?? null, itemId: l.itemId ?? null,
          })),
        },
      },
    },
    select: { id: true },
  });
  await recordAudit(tx, ctx, {
    action: v.reversalOfId ? 'reverse' : 'post', entity: 'voucher', entityId: voucher.id,
    after: {
      number, period, date: v.date, summary: v.summary, source: v.source ?? null, reversalOfId: v.reversalOfId ?? null,
      totalDebit: totals.debit.toFixed(2), totalCredit: totals.credit.toFixed(2),
      lines: v.lines.map((l) => ({ account: accountOf(l).code, debit: new Decimal(l.debit).toFixed(2), credit: new Decimal(l.credit).toFixed(2) })),
    },
  });
  return { id: voucher.id, number, period };
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
