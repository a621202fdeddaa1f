// 期初余额: a company starting its books here enters every account's balance at the start of its
// first month. It is kept as ONE voucher (source type 'opening', dated the month's first day, summary
// 期初余额), so the ledgers and statements read it like any other voucher; the trial balance shows
// it in the 期初余额 column of that month (reports/service.ts). It may be entered again (replacing the
// previous one) only while nothing else has been posted in or before its month, so deleting the old
// voucher leaves no gap in the 记 numbers.
import crypto from 'node:crypto';
import type { FieldIssue } from '../../../../shared/errors.ts';
import type { OpeningBalances, OpeningBalancesPut } from '../../../../shared/schemas/vouchers.ts';
import type { Tx } from '../../../db/transaction.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { writeVoucher } from '../vouchers/write.ts';

export const OPENING_SOURCE = 'opening';
export const OPENING_SUMMARY = '期初余额';

export async function putOpeningBalances(ctx: UseCaseContext, input: OpeningBalancesPut): Promise<OpeningBalances> {
  await runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    // One opening entry at a time per company (two concurrent replacements would both see the old one).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`opening:${companyId}`}))`;
    const previous = await tx.voucher.findFirst({ where: { sourceType: OPENING_SOURCE }, select: { id: true, period: true } });
    const upTo = previous && previous.period > input.period ? previous.period : input.period;
    const posted = await tx.voucher.findFirst({
      where: { period: { lte: upTo }, OR: [{ sourceType: null }, { sourceType: { not: OPENING_SOURCE } }] },
      select: { number: true, period: true }, orderBy: [{ period: 'asc' }, { seq: 'asc' }],
    });
    if (posted) {
      throw new AppError('CONFLICT', `${posted.period} 已有凭证 ${posted.number}，期初余额只能在 ${upTo} 及以前还没有记账时录入`);
    }
    await assertDimensions(tx, input);
    if (previous) {
      const period = await tx.accountingPeriod.findFirst({ where: { period: previous.period }, select: { state: true } });
      if (period?.state === 'closed') throw new AppError('CONFLICT', `会计期间 ${previous.period} 已结账，不能替换期初余额`);
      // It is the only voucher of its month (checked above): the month's counter goes back to 0.
      await tx.voucher.delete({ where: { id: previous.id } });
      await tx.accountingPeriod.updateMany({ where: { period: previous.period }, data: { lastVoucherNo: 0 } });
    }
    await writeVoucher(tx, ctx, {
      date: `${input.period}-01`, summary: OPENING_SUMMARY, origin: 'request',
      source: { type: OPENING_SOURCE, id: crypto.randomUUID(), number: OPENING_SUMMARY },
      lines: input.lines.map((l) => ({ accountCode: l.accountCode, debit: l.debit ?? 0, credit: l.credit ?? 0, customerId: l.customerId, supplierId: l.supplierId })),
    });
  });
  return getOpeningBalances(ctx);
}

export async function getOpeningBalances(ctx: UseCaseContext): Promise<OpeningBalances> {
  return runUseCase(ctx, async (tx) => {
    const v = await tx.voucher.findFirst({
      where: { sourceType: OPENING_SOURCE },
      select: {
        id: true, number: true, period: true, totalDebit: true, totalCredit: true,
        lines: {
          orderBy: { lineNo: 'asc' },
          select: { debit: true, credit: true, customerId: true, supplierId: true, account: { select: { code: true, name: true } } },
        },
      },
    });
    if (!v) return { period: null, voucher: null, lines: [], totals: { debit: '0.00', credit: '0.00' } };
    const ids = (k: 'customerId' | 'supplierId') => [...new Set(v.lines.flatMap((l) => (l[k] ? [l[k]!] : [])))];
    const [customers, suppliers] = await Promise.all([
      tx.customer.findMany({ where: { id: { in: ids('customerId') } }, select: { id: true, code: true, name: true } }),
      tx.supplier.findMany({ where: { id: { in: ids('supplierId') } }, select: { id: true, code: true, name: true } }),
    ]);
    const ref = (rows: { id: string; code: string | null; name: string }[], id: string | null) => rows.find((r) => r.id === id) ?? null;
    return {
      period: v.period,
      voucher: { id: v.id, number: v.number },
      lines: v.lines.map((l) => ({
        accountCode: l.account.code, accountName: l.account.name, debit: l.debit.toFixed(2), credit: l.credit.toFixed(2),
        customer: ref(customers, l.customerId), supplier: ref(suppliers, l.supplierId),
      })),
      totals: { debit: v.totalDebit.toFixed(2), credit: v.totalCredit.toFixed(2) },
    };
  });
}

/** The customer or supplier a line names exists in the company (400 on the line's field otherwise). */
async function assertDimensions(tx: Tx, input: OpeningBalancesPut): Promise<void> {
  const want = (k: 'customerId' | 'supplierId') => [...new Set(input.lines.flatMap((l) => (l[k] ? [l[k]!] : [])))];
  const [customers, suppliers] = await Promise.all([
    tx.customer.findMany({ where: { id: { in: want('customerId') } }, select: { id: true } }),
    tx.supplier.findMany({ where: { id: { in: want('supplierId') } }, select: { id: true } }),
  ]);
  const issues: FieldIssue[] = [];
  input.lines.forEach((l, n) => {
    if (l.customerId && !customers.some((c) => c.id === l.customerId)) issues.push({ field: `body.lines.${n}.customerId`, message: '客户不存在' });
    if (l.supplierId && !suppliers.some((s) => s.id === l.supplierId)) issues.push({ field: `body.lines.${n}.supplierId`, message: '供应商不存在' });
  });
  if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
}
