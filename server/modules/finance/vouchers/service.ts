// 记账凭证 use cases: manual entry (the same checks as a document's posting), list and detail, and
// 红字冲销 — the only correction of a posted voucher: a new voucher with every amount negated,
// referencing the original, at most once (the original is locked while it is reversed, and a
// unique index on reversal_of_id backs it).
import { Decimal } from 'decimal.js';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import type { Voucher, VoucherCreate, VoucherListQuery, VoucherReverse } from '../../../../shared/schemas/vouchers.ts';
import { AppError, issuesMessage, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyToDb, todayInShanghai } from '../currencies/rates.ts';
import { projectLineIssues } from '../projects/service.ts';
import { voucherDtos, voucherInclude } from './dto.ts';
import { writeVoucher } from './write.ts';

export async function createManualVoucher(ctx: UseCaseContext, input: VoucherCreate): Promise<Voucher> {
  const id = await runUseCase(ctx, async (tx) => {
    await assertDimensions(tx, input);
    const written = await writeVoucher(tx, ctx, {
      date: input.date, summary: input.summary, attachmentCount: input.attachmentCount ?? 0, origin: 'request',
      lines: input.lines.map((l) => ({ ...l, debit: l.debit ?? 0, credit: l.credit ?? 0 })),
    });
    return written.id;
  });
  return getVoucher(ctx, id);
}

/** Each dimension a line names exists in the company, a project is open at the date (400 on the line's field otherwise). */
async function assertDimensions(tx: Tx, input: VoucherCreate): Promise<void> {
  const want = (k: 'customerId' | 'supplierId' | 'departmentId' | 'employeeId' | 'itemId') => [...new Set(input.lines.flatMap((l) => (l[k] ? [l[k]!] : [])))];
  const read = (ids: string[], find: (ids: string[]) => Promise<{ id: string }[]>) => (ids.length ? find(ids) : Promise.resolve([]));
  const [customers, suppliers, departments, employees, items] = await Promise.all([
    read(want('customerId'), (ids) => tx.customer.findMany({ where: { id: { in: ids } }, select: { id: true } })),
    read(want('supplierId'), (ids) => tx.supplier.findMany({ where: { id: { in: ids } }, select: { id: true } })),
    read(want('departmentId'), (ids) => tx.department.findMany({ where: { id: { in: ids } }, select: { id: true } })),
    read(want('employeeId'), (ids) => tx.user.findMany({ where: { id: { in: ids } }, select: { id: true } })),
    read(want('itemId'), (ids) => tx.item.findMany({ where: { id: { in: ids } }, select: { id: true } })),
  ]);
  const known = { customerId: customers, supplierId: suppliers, departmentId: departments, employeeId: employees, itemId: items };
  const what = { customerId: '客户', supplierId: '供应商', departmentId: '部门', employeeId: '员工', itemId: '物料' };
  // A project also has to take a voucher of this date (a closed one: not after its end date).
  const issues: FieldIssue[] = await projectLineIssues(tx, input.lines, input.date);
  input.lines.forEach((l, n) => {
    for (const k of Object.keys(known) as (keyof typeof known)[]) {
      if (l[k] && !known[k].some((r) => r.id === l[k])) issues.push({ field: `body.lines.${n}.${k}`, message: `${what[k]}不存在` });
    }
  });
  if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
}

export async function listVouchers(ctx: UseCaseContext, query: VoucherListQuery): Promise<Page<Voucher>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.VoucherWhereInput[] = [{ period: query.period, sourceType: query.sourceType, sourceId: query.sourceId }];
    if (query.accountId) and.push({ lines: { some: { accountId: query.accountId } } });
    if (query.q) {
      const like = containsText(query.q);
      and.push({ OR: [{ number: like }, { summary: like }, { sourceNumber: like }, { lines: { some: { summary: like } } }] });
    }
    const where: Prisma.VoucherWhereInput = { AND: and };
    const sort = query.sort ?? '-date';
    const desc = sort.startsWith('-');
    const field = desc ? sort.slice(1) : sort;
    const dir = desc ? 'desc' : 'asc';
    // 记-NNNN restarts each period: number order is period, then seq.
    const orderBy: Prisma.VoucherOrderByWithRelationInput[] = field === 'date'
      ? [{ voucherDate: dir }, { period: dir }, { seq: dir }]
      : field === 'number' ? [{ period: dir }, { seq: dir }] : [{ createdAt: dir }, { id: 'asc' }];
    const page = await findPage(query, (w) => tx.voucher.findMany({ where, orderBy, include: voucherInclude, ...w }), () => tx.voucher.count({ where }), (r) => r);
    return { ...page, items: await voucherDtos(tx, page.items) };
  });
}

export async function getVoucher(ctx: UseCaseContext, id: string): Promise<Voucher> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.voucher.findUnique({ where: { id }, include: voucherInclude });
    if (!row) throw notFound('凭证');
    return (await voucherDtos(tx, [row]))[0]!;
  });
}

export async function reverseVoucher(ctx: UseCaseContext, id: string, input: VoucherReverse): Promise<Voucher> {
  const reversalId = await runUseCase(ctx, async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM voucher WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked) throw notFound('凭证');
    const original = await tx.voucher.findUniqueOrThrow({ where: { id }, include: { lines: { orderBy: { lineNo: 'asc' } } } });
    if (original.reversalOfId) throw new AppError('CONFLICT', `${original.period} ${original.number} 是红字冲销凭证，不能再冲销`);
    const earlier = await tx.voucher.findFirst({ where: { reversalOfId: id }, select: { number: true, period: true } });
    if (earlier) throw new AppError('CONFLICT', `${original.period} ${original.number} 已于 ${earlier.period} 以 ${earlier.number} 红字冲销，不能重复冲销`);
    const date = input.date ?? todayInShanghai();
    if (dateOnlyToDb(date) < original.voucherDate) throw new AppError('VALIDATION_FAILED', '红字凭证的日期不能早于原凭证', [{ field: 'body.date', message: '不能早于原凭证日期' }]);
    const summary = `冲销 ${original.period} ${original.number}：${original.summary}`.slice(0, 200);
    const neg = (d: { toString(): string }) => new Decimal(d.toString()).neg();
    const written = await writeVoucher(tx, ctx, {
      date, summary, origin: 'rule', red: true, reversalOfId: id,
      source: original.sourceType && original.sourceId ? { type: original.sourceType, id: original.sourceId, number: original.sourceNumber ?? '' } : null,
      lines: original.lines.map((l) => ({
        accountId: l.accountId, summary: `冲销 ${original.number}：${l.summary}`.slice(0, 200), debit: neg(l.debit), credit: neg(l.credit),
        customerId: l.customerId, supplierId: l.supplierId, departmentId: l.departmentId, employeeId: l.employeeId, itemId: l.itemId, projectId: l.projectId,
        currencyCode: l.currencyCode, amountForeign: l.amountForeign ? neg(l.amountForeign) : null, rate: l.rate,
      })),
    });
    return written.id;
  });
  return getVoucher(ctx, reversalId);
}
