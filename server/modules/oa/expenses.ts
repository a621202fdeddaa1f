// 费用报销: the applicant's own document (lines with category, amount, invoice no. and type, 税额, attachment).
// Submit runs the 费用报销 flow; approved → 已批准 and ready for payment; the accountant (expense:pay)
// pays it → 已付款 (state closed), and the applicant hears of it in chat (`expenseClaim.paid`).
// Users with approval:read see every claim; with expense:pay every approved or paid one.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Tx } from '../../db/transaction.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { EXPENSE_CATEGORY_LABELS } from '../../../shared/schemas/approvals.ts';
import {
  EXPENSE_STATE_LABELS, type ExpenseClaim, type ExpenseClaimCreate, type ExpenseClaimListQuery, type ExpenseClaimPay, type ExpenseClaimUpdate,
} from '../../../shared/schemas/oa.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { can, type Actor } from '../../platform/actor.ts';
import { recordAudit, recordChange } from '../../platform/audit.ts';
import { AppError, invalid, issuesMessage, notFound } from '../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../platform/listing.ts';
import { nextDocumentNumber } from '../../platform/numbering.ts';
import { emitEvent } from '../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb, loadFinanceSettings, postDocument, projectLineIssues, todayInShanghai } from '../finance/index.ts';
import { EXPENSE_INVOICE_KIND_LABELS } from '../../../shared/enums.ts';
import { expenseLineTax } from './expense-tax.ts';
import { linkAttachments, type AttachableDocument } from '../attachments/index.ts';
import { involvedInApproval, latestApprovals, submitForApproval, type DescribedSubmit } from '../approvals/index.ts';
import { namesOf } from './support.ts';
import type { ExpenseClaimPaymentFacts, ExpenseClaimPostingFacts } from './expense-voucher.ts';

const include = { lines: { orderBy: { lineNo: 'asc' }, include: { project: { select: { id: true, code: true, name: true } } } } } satisfies Prisma.ExpenseClaimInclude;
type ClaimRow = Prisma.ExpenseClaimGetPayload<{ include: typeof include }>;

/** What the accountant works on: approved claims waiting for payment, and the ones paid. */
const PAYABLE_STATES = ['confirmed', 'closed'] as const;
const ownOrAll = (actor: Actor): Prisma.ExpenseClaimWhereInput =>
  can(actor, 'approval:read') ? {}
  : can(actor, 'expense:pay') ? { OR: [{ applicantId: actor.userId }, { state: { in: [...PAYABLE_STATES] } }] }
  : { applicantId: actor.userId };

async function toDtos(tx: Tx, rows: ClaimRow[]): Promise<ExpenseClaim[]> {
  const names = await namesOf(tx, rows.flatMap((r) => [r.applicantId, r.paidById]), rows.map((r) => r.departmentId));
  const approvals = await latestApprovals(tx, 'expenseClaim', rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id, number: r.number,
    applicant: { id: r.applicantId, name: names.users.get(r.applicantId) ?? '（已删除）' },
    department: r.departmentId ? { id: r.departmentId, name: names.departments.get(r.departmentId) ?? '（已删除）' } : null,
    claimDate: dateOnlyOf(r.claimDate), totalAmount: r.totalAmount.toFixed(2), state: r.state, stateLabel: EXPENSE_STATE_LABELS[r.state],
    readyForPayment: r.readyForPayment,
    payment: r.paidAt && r.paidOn && r.paidById
      ? { paidOn: dateOnlyOf(r.paidOn), account: r.paidAccount ?? '', paidBy: { id: r.paidById, name: names.users.get(r.paidById) ?? '（已删除）' }, paidAt: isoShanghai(r.paidAt) }
      : null,
    remark: r.remark,
    lines: r.lines.map((l) => ({
      lineNo: l.lineNo, category: l.category, categoryLabel: EXPENSE_CATEGORY_LABELS[l.category], amount: l.amount.toFixed(2), invoiceNo: l.invoiceNo,
      invoiceKind: l.invoiceKind, invoiceKindLabel: EXPENSE_INVOICE_KIND_LABELS[l.invoiceKind], taxAmount: l.taxAmount.toFixed(2),
      fareAndFuel: l.fareAndFuel?.toFixed(2) ?? null,
      attachmentId: l.attachmentId, description: l.description, occurredOn: l.occurredOn ? dateOnlyOf(l.occurredOn) : null,
      project: l.project,
    })),
    approvalId: approvals.get(r.id) ?? null,
    createdAt: isoShanghai(r.createdAt), updatedAt: isoShanghai(r.updatedAt), version: r.version,
  }));
}

/**
 * Who sees a claim (and so its invoices): the applicant, anyone with approval:read, the accountant
 * (expense:pay) once it is approved, and whoever approves it or is CC'd on it.
 */
async function visibleTo(tx: Tx, actor: Actor, row: { id: string; applicantId: string; state: string }): Promise<boolean> {
  return row.applicantId === actor.userId || can(actor, 'approval:read')
    || (can(actor, 'expense:pay') && (PAYABLE_STATES as readonly string[]).includes(row.state))
    || involvedInApproval(tx, actor.userId, 'expenseClaim', row.id);
}

async function findVisible(tx: Tx, actor: Actor, id: string): Promise<ClaimRow> {
  const row = await tx.expenseClaim.findFirst({ where: { id }, include });
  if (!row || !(await visibleTo(tx, actor, row))) throw notFound('费用报销单');
  return row;
}

export async function listClaims(ctx: UseCaseContext, query: ExpenseClaimListQuery): Promise<Page<ExpenseClaim>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.ExpenseClaimWhereInput = {
      AND: [ownOrAll(ctx.actor), keywordWhere(query.q, ['number', 'remark']), { state: query.state, readyForPayment: query.readyForPayment }],
    };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.ExpenseClaimOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.expenseClaim.findMany({ where, orderBy, include, ...w }), () => tx.expenseClaim.count({ where }), (r) => r);
    return { ...page, items: await toDtos(tx, page.items) };
  });
}

export async function getClaim(ctx: UseCaseContext, id: string): Promise<ExpenseClaim> {
  return runUseCase(ctx, async (tx) => (await toDtos(tx, [await findVisible(tx, ctx.actor, id)]))[0]!);
}

/**
 * 报销附件 (发票): seen by whoever sees the claim; added or removed by the applicant, and only while
 * the claim is a draft — once submitted, the invoices are what the approver and the accountant saw.
 */
export const expenseClaimAttachable: AttachableDocument = {
  label: '费用报销单',
  async access(tx, actor, id) {
    const row = await tx.expenseClaim.findFirst({ where: { id }, select: { id: true, applicantId: true, state: true } });
    if (!row) return 'none';
    if (row.applicantId === actor.userId) return row.state === 'draft' ? 'attach' : 'read';
    return (await visibleTo(tx, actor, row)) ? 'read' : 'none';
  },
};

/** The lines' invoices become the claim's attachments (400 naming the line when one is not the applicant's to use). */
async function linkInvoices(tx: Tx, actor: Actor, claimId: string, lines: ExpenseClaimCreate['lines']): Promise<void> {
  const refs = lines.flatMap((l, i) => (l.attachmentId ? [{ id: l.attachmentId, field: `body.lines.${i}.attachmentId` }] : []));
  await linkAttachments(tx, actor, { entity: 'expenseClaim', id: claimId }, refs);
}

/**
 * Lines to store, with the total: each line's 税额 checked (专票) or computed (客票) at the company's rates,
 * each project one of the company's that takes a cost of the claim's date.
 */
async function claimLines(tx: Tx, companyId: string, lines: ExpenseClaimCreate['lines'], claimDate: string) {
  const projectIssues = await projectLineIssues(tx, lines, claimDate);
  if (projectIssues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(projectIssues), projectIssues);
  const settings = await loadFinanceSettings(tx);
  const rates = { airRail: settings.airRailPassengerVatRate, roadWater: settings.roadWaterPassengerVatRate };
  const rows = lines.map((l, i) => {
    const invoiceKind = l.invoiceKind ?? (l.invoiceNo ? 'ordinary' : 'none');
    const tax = expenseLineTax({ invoiceKind, amount: l.amount, taxAmount: l.taxAmount, fareAndFuel: l.fareAndFuel }, rates);
    if (!tax.ok) throw invalid(`body.lines.${i}.${tax.field}`, `第 ${i + 1} 行${tax.message}`);
    return {
      companyId, lineNo: i + 1, category: l.category, amount: l.amount, invoiceNo: l.invoiceNo ?? null, invoiceKind, taxAmount: tax.taxAmount.toFixed(2),
      fareAndFuel: invoiceKind === 'airTicket' ? (l.fareAndFuel ?? null) : null, attachmentId: l.attachmentId ?? null,
      description: l.description ?? null, occurredOn: l.occurredOn ? dateOnlyToDb(l.occurredOn) : null, projectId: l.projectId ?? null,
    };
  });
  const total = lines.reduce((a, l) => a.plus(l.amount), new Decimal(0)).toFixed(2);
  return { rows, total };
}

export async function createClaim(ctx: UseCaseContext, input: ExpenseClaimCreate): Promise<ExpenseClaim> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const claimDate = input.claimDate ?? todayInShanghai();
    const { rows, total } = await claimLines(tx, companyId, input.lines, claimDate);
    // the id is chosen here so that the invoices can be linked (and checked) before the lines that refer to them
    const id = crypto.randomUUID();
    await linkInvoices(tx, ctx.actor, id, input.lines);
    const number = await nextDocumentNumber(tx, companyId, 'BX');
    const row = await tx.expenseClaim.create({
      data: {
        id, companyId, number, applicantId: ctx.actor.userId, departmentId: ctx.actor.departmentId, claimDate: dateOnlyToDb(claimDate),
        totalAmount: total, remark: input.remark ?? null, lines: { create: rows },
      },
      include,
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'expenseClaim', entityId: row.id, after: row, payload: { number, totalAmount: total } });
    return (await toDtos(tx, [row]))[0]!;
  });
}

/** Only the applicant's draft can change. */
export async function updateClaim(ctx: UseCaseContext, id: string, input: ExpenseClaimUpdate): Promise<ExpenseClaim> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisible(tx, ctx.actor, id);
    if (before.applicantId !== ctx.actor.userId) throw new AppError('FORBIDDEN', '只有申请人可以修改报销单');
    const lines = input.lines ? await claimLines(tx, ctx.actor.companyId, input.lines, input.claimDate ?? dateOnlyOf(before.claimDate)) : null;
    if (input.lines) await linkInvoices(tx, ctx.actor, id, input.lines);
    const { count } = await tx.expenseClaim.updateMany({
      where: { id, version: input.version, state: 'draft' },
      data: {
        claimDate: input.claimDate ? dateOnlyToDb(input.claimDate) : undefined, remark: input.remark, totalAmount: lines?.total, version: { increment: 1 },
      },
    });
    if (count !== 1) {
      if (before.state !== 'draft') throw new AppError('CONFLICT', `报销单${EXPENSE_STATE_LABELS[before.state]}，不能修改`);
      throw new AppError('VERSION_CONFLICT', '报销单已被修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
    }
    if (lines) {
      await tx.expenseClaimLine.deleteMany({ where: { claimId: id } });
      await tx.expenseClaimLine.createMany({ data: lines.rows.map((l) => ({ ...l, claimId: id })) });
    }
    const after = await tx.expenseClaim.findUniqueOrThrow({ where: { id }, include });
    await recordChange(tx, ctx, { action: 'update', entity: 'expenseClaim', entityId: id, before, after, payload: { number: after.number } });
    return (await toDtos(tx, [after]))[0]!;
  });
}

/** 提交: the 费用报销 flow decides; with no step to run the claim is approved at once. */
export async function submitClaim(ctx: UseCaseContext, id: string): Promise<ExpenseClaim> {
  await runUseCase(ctx, async (tx) => {
    const claim = await findVisible(tx, ctx.actor, id);
    if (claim.applicantId !== ctx.actor.userId) throw new AppError('FORBIDDEN', '只有申请人可以提交报销单');
    const categories = [...new Set(claim.lines.map((l) => l.category))];
    const started = await submitForApproval<DescribedSubmit>(tx, ctx, 'expenseClaim', id, {
      facts: { amount: claim.totalAmount.toFixed(2), expenseCategory: categories },
      title: `费用报销 · ${claim.number} · ${ctx.actor.name}`,
      summary: {
        fields: [
          { label: '金额', value: `¥${claim.totalAmount.toFixed(2)}` },
          { label: '类别', value: categories.map((c) => EXPENSE_CATEGORY_LABELS[c]).join('、') },
        ],
        totalAmount: claim.totalAmount.toFixed(2),
      },
    });
    if (!started) await approveClaim(tx, ctx, id, 'draft');
  });
  return getClaim(ctx, id);
}

/** 已批准 and ready for payment; `expenseClaim.approved` tells the finance side. */
export async function approveClaim(tx: Tx, ctx: UseCaseContext, id: string, from: 'draft' | 'pendingApproval'): Promise<void> {
  const rows = await tx.$queryRaw<{ number: string; total_amount: string; applicant_id: string }[]>`
    UPDATE expense_claim SET state = 'confirmed', ready_for_payment = true, updated_at = now(), version = version + 1
     WHERE id = ${id}::uuid AND state = ${from}::document_state
     RETURNING number, total_amount::text, applicant_id::text`;
  const row = rows[0];
  if (!row) throw new AppError('CONFLICT', '报销单状态已变化，不能批准');
  // 借 费用 / 贷 其他应付款—申请人, in the approval's transaction (a closed period refuses the approval).
  const claim = await tx.expenseClaim.findUniqueOrThrow({ where: { id }, include });
  const names = await namesOf(tx, [claim.applicantId], []);
  const { taxpayerKind } = await tx.company.findUniqueOrThrow({ where: { id: ctx.actor.companyId }, select: { taxpayerKind: true } });
  const facts: ExpenseClaimPostingFacts = {
    documentId: id, documentNumber: claim.number, date: todayInShanghai(), applicantId: claim.applicantId,
    applicantName: names.users.get(claim.applicantId) ?? '', departmentId: claim.departmentId, taxpayerKind,
    lines: claim.lines.map((l) => ({ category: l.category, amount: l.amount.toFixed(2), invoiceKind: l.invoiceKind, taxAmount: l.taxAmount.toFixed(2), projectId: l.projectId })),
  };
  await postDocument(tx, ctx, 'expenseClaim', facts);
  await recordAudit(tx, ctx, { action: 'approve', entity: 'expenseClaim', entityId: id, before: { state: from }, after: { state: 'confirmed', readyForPayment: true } });
  await emitEvent(tx, ctx.actor.companyId, {
    type: 'expenseClaim.approved', aggregate: 'expenseClaim', aggregateId: id,
    payload: { claimId: id, number: row.number, applicantId: row.applicant_id, totalAmount: new Decimal(row.total_amount).toFixed(2) },
  });
}

/**
 * 付款: an approved claim waiting for payment → 已付款 (closed), with the date, the account and who
 * paid, its audit entry and the applicant's notice (`expenseClaim.paid`), in one transaction. The
 * guarded UPDATE is the race's referee: of two payments at once one changes the row, the other 409s.
 */
export async function payClaim(ctx: UseCaseContext, id: string, input: ExpenseClaimPay): Promise<ExpenseClaim> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisible(tx, ctx.actor, id);
    // 申请人回避 also separates paying from claiming: the applicant's own money goes through another accountant
    if (before.applicantId === ctx.actor.userId) {
      const { approvalRecusal } = await tx.company.findUniqueOrThrow({ where: { id: ctx.actor.companyId }, select: { approvalRecusal: true } });
      if (approvalRecusal) throw new AppError('FORBIDDEN', '不能为自己的报销单付款');
    }
    const paidOn = input.paidOn ?? todayInShanghai();
    const rows = await tx.$queryRaw<{ paid_at: Date }[]>`
      UPDATE expense_claim
         SET state = 'closed', ready_for_payment = false, paid_on = ${dateOnlyToDb(paidOn)}::date, paid_account = ${input.account},
             paid_by_id = ${ctx.actor.userId}::uuid, paid_at = now(), updated_at = now(), version = version + 1
       WHERE id = ${id}::uuid AND state = 'confirmed' AND ready_for_payment
       RETURNING paid_at`;
    if (!rows[0]) {
      // read again: a payment that won the race has committed by now
      const now = await tx.expenseClaim.findUniqueOrThrow({ where: { id }, select: { state: true } });
      throw new AppError('CONFLICT', now.state === 'closed' ? '报销单已付款，不能重复付款' : `报销单${EXPENSE_STATE_LABELS[now.state]}，还不能付款`);
    }
    const names = await namesOf(tx, [before.applicantId], []);
    const facts: ExpenseClaimPaymentFacts = {
      documentId: id, documentNumber: before.number, date: paidOn, applicantId: before.applicantId,
      applicantName: names.users.get(before.applicantId) ?? '', amount: before.totalAmount.toFixed(2), account: input.account,
    };
    await postDocument(tx, ctx, 'expenseClaimPayment', facts);
    await recordAudit(tx, ctx, {
      action: 'pay', entity: 'expenseClaim', entityId: id,
      before: { state: before.state, readyForPayment: true }, after: { state: 'closed', readyForPayment: false, paidOn, account: input.account, paidById: ctx.actor.userId },
    });
    await emitEvent(tx, ctx.actor.companyId, {
      type: 'expenseClaim.paid', aggregate: 'expenseClaim', aggregateId: id,
      payload: {
        claimId: id, number: before.number, applicantId: before.applicantId, totalAmount: before.totalAmount.toFixed(2),
        paidOn, account: input.account, paidBy: ctx.actor.name,
      },
    });
    return (await toDtos(tx, [await tx.expenseClaim.findUniqueOrThrow({ where: { id }, include })]))[0]!;
  });
}
