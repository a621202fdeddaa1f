// 销售合同: drafted by a salesperson, submitted to 合同评审 (the contractReview flow decides by
// amount; with no step to run it takes effect at once), 已生效 when approved, back to 草稿 when
// rejected or withdrawn; 作废 from draft or in force (ending a running review first).
import crypto from 'node:crypto';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { formatYuan } from '../../../../shared/money.ts';
import { CONTRACT_STATE_LABELS, type Contract, type ContractCreate, type ContractListQuery, type ContractUpdate } from '../../../../shared/schemas/contracts.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { closeDocumentApproval, countDocumentApprovals, latestApprovals, submitForApproval, type DescribedSubmit } from '../../approvals/index.ts';
import { accessByPermission, linkAttachments, type AttachableDocument } from '../../attachments/index.ts';
import { dateOnlyOf, dateOnlyToDb, todayInShanghai } from '../../finance/index.ts';
import { checkSalesperson, visibleCustomer } from '../orders/draft.ts';
import { salespersonScope } from '../support.ts';

type ContractRow = Prisma.SalesContractGetPayload<object>;

async function toDtos(tx: Tx, rows: ContractRow[]): Promise<Contract[]> {
  const customerIds = [...new Set(rows.map((r) => r.customerId))];
  const userIds = [...new Set(rows.flatMap((r) => [r.ownerId, r.createdById]))];
  const [customers, users, approvals] = await Promise.all([
    customerIds.length ? tx.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true, code: true, name: true } }) : [],
    userIds.length ? tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
    latestApprovals(tx, 'contract', rows.map((r) => r.id)),
  ]);
  const customer = new Map(customers.map((c) => [c.id, c]));
  const user = new Map(users.map((u) => [u.id, u.name]));
  const ref = (id: string) => ({ id, name: user.get(id) ?? '（已删除）' });
  return rows.map((r) => ({
    id: r.id, number: r.number, title: r.title,
    customer: customer.get(r.customerId) ?? { id: r.customerId, code: '', name: '（已删除）' },
    owner: ref(r.ownerId), amount: r.amount.toFixed(2),
    signDate: dateOnlyOf(r.signDate), startDate: r.startDate ? dateOnlyOf(r.startDate) : null, endDate: r.endDate ? dateOnlyOf(r.endDate) : null,
    paymentTerms: r.paymentTerms, content: r.content, attachmentId: r.attachmentId,
    state: r.state, stateLabel: CONTRACT_STATE_LABELS[r.state],
    approvalId: approvals.get(r.id) ?? null, createdBy: ref(r.createdById),
    createdAt: isoShanghai(r.createdAt), updatedAt: isoShanghai(r.updatedAt), version: r.version,
  }));
}

/** The contract if the actor may see it (data scope on the salesperson), else 404. */
async function findVisible(tx: Tx, ctx: UseCaseContext, id: string): Promise<ContractRow> {
  const row = await tx.salesContract.findFirst({ where: { AND: [{ id }, await salespersonScope(tx, ctx.actor)] } });
  if (!row) throw notFound('销售合同');
  return row;
}

/**
 * 合同附件: seen with the contract (the salesperson's data scope), added or removed by whoever may
 * edit it, and only while it is a draft — a contract under review or in force keeps what was reviewed.
 */
export const contractAttachable: AttachableDocument = {
  label: '销售合同',
  async access(tx, actor, id) {
    const found: { row?: { state: ContractRow['state'] } | null } = {};
    const access = await accessByPermission(actor, { read: 'contract:read', change: 'contract:update' }, async () => {
      found.row = await tx.salesContract.findFirst({ where: { AND: [{ id }, await salespersonScope(tx, actor)] }, select: { state: true } });
      return !!found.row;
    });
    return access === 'attach' && found.row?.state !== 'draft' ? 'read' : access;
  },
};

export async function listContracts(ctx: UseCaseContext, query: ContractListQuery): Promise<Page<Contract>> {
  return runUseCase(ctx, async (tx) => {
    let keyword: Prisma.SalesContractWhereInput = {};
    if (query.q) {
      const customers = await tx.customer.findMany({ where: keywordWhere(query.q, ['name', 'code']), select: { id: true }, take: 500 });
      keyword = { OR: [keywordWhere(query.q, ['number', 'title']), { customerId: { in: customers.map((c) => c.id) } }] };
    }
    const signDate = query.from || query.to ? { gte: query.from ? dateOnlyToDb(query.from) : undefined, lte: query.to ? dateOnlyToDb(query.to) : undefined } : undefined;
    const where: Prisma.SalesContractWhereInput = {
      AND: [await salespersonScope(tx, ctx.actor), keyword, { state: query.state, customerId: query.customerId, ownerId: query.ownerId, signDate }],
    };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.SalesContractOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.salesContract.findMany({ where, orderBy, ...w }), () => tx.salesContract.count({ where }), (r) => r);
    return { ...page, items: await toDtos(tx, page.items) };
  });
}

export async function getContract(ctx: UseCaseContext, id: string): Promise<Contract> {
  return runUseCase(ctx, async (tx) => (await toDtos(tx, [await findVisible(tx, ctx, id)]))[0]!);
}

/** Customer within the actor's scope and active, salesperson allowed: 400 naming the field. */
async function checkReferences(tx: Tx, ctx: UseCaseContext, input: { customerId?: string; ownerId?: string }): Promise<void> {
  if (input.customerId) await visibleCustomer(tx, ctx, input.customerId);
  if (input.ownerId) await checkSalesperson(tx, ctx, input.ownerId);
}

/** The scan (the actor's own upload, or already this contract's) becomes the contract's attachment. */
async function linkScan(tx: Tx, ctx: UseCaseContext, contractId: string, attachmentId: string | null | undefined): Promise<void> {
  if (attachmentId) await linkAttachments(tx, ctx.actor, { entity: 'contract', id: contractId }, [{ id: attachmentId, field: 'body.attachmentId' }]);
}

const dateOrNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : dateOnlyToDb(v));

export async function createContract(ctx: UseCaseContext, input: ContractCreate): Promise<Contract> {
  return runUseCase(ctx, async (tx) => {
    await checkReferences(tx, ctx, input);
    // the id is chosen here so that the scan can be linked (and checked) before the insert that refers to it
    const id = crypto.randomUUID();
    await linkScan(tx, ctx, id, input.attachmentId);
    const companyId = ctx.actor.companyId;
    const number = await nextDocumentNumber(tx, companyId, 'HT');
    const row = await tx.salesContract.create({
      data: {
        id, companyId, number, title: input.title, customerId: input.customerId, ownerId: input.ownerId ?? ctx.actor.userId, amount: input.amount,
        signDate: dateOnlyToDb(input.signDate ?? todayInShanghai()), startDate: dateOrNull(input.startDate) ?? null, endDate: dateOrNull(input.endDate) ?? null,
        paymentTerms: input.paymentTerms ?? null, content: input.content ?? null, attachmentId: input.attachmentId ?? null, createdById: ctx.actor.userId,
      },
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'contract', entityId: row.id, after: row, payload: { number, amount: row.amount.toFixed(2) } });
    return (await toDtos(tx, [row]))[0]!;
  });
}

const stateConflict = (state: ContractRow['state'], what: string) => new AppError('CONFLICT', `合同${CONTRACT_STATE_LABELS[state]}，${what}`);

/** Only a draft changes; `version` guards against overwriting someone else's edit. */
export async function updateContract(ctx: UseCaseContext, id: string, input: ContractUpdate): Promise<Contract> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisible(tx, ctx, id);
    await checkReferences(tx, ctx, input);
    await linkScan(tx, ctx, id, input.attachmentId);
    const startDate = input.startDate === undefined ? before.startDate : dateOrNull(input.startDate);
    const endDate = input.endDate === undefined ? before.endDate : dateOrNull(input.endDate);
    if (startDate && endDate && endDate < startDate) throw invalid('body.endDate', '结束日期不能早于开始日期');
    const { count } = await tx.salesContract.updateMany({
      where: { id, version: input.version, state: 'draft' },
      data: {
        title: input.title, customerId: input.customerId, ownerId: input.ownerId, amount: input.amount,
        signDate: input.signDate ? dateOnlyToDb(input.signDate) : undefined, startDate, endDate,
        paymentTerms: input.paymentTerms, content: input.content, attachmentId: input.attachmentId, version: { increment: 1 },
      },
    });
    if (count !== 1) {
      if (before.state !== 'draft') throw stateConflict(before.state, '不能修改');
      throw new AppError('VERSION_CONFLICT', '合同已被修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
    }
    const after = await tx.salesContract.findUniqueOrThrow({ where: { id } });
    await recordChange(tx, ctx, { action: 'update', entity: 'contract', entityId: id, before, after, payload: { number: after.number } });
    return (await toDtos(tx, [after]))[0]!;
  });
}

/** 删除: drafts only (a contract that was reviewed or in force is 作废 instead, so its history stays). */
export async function deleteContract(ctx: UseCaseContext, id: string): Promise<void> {
  await runUseCase(ctx, async (tx) => {
    const before = await findVisible(tx, ctx, id);
    const reviewed = await countDocumentApprovals(tx, 'contract', id);
    if (reviewed) throw new AppError('CONFLICT', `合同 ${before.number} 已有 ${reviewed} 次评审记录，不能删除，请作废`);
    const { count } = await tx.salesContract.deleteMany({ where: { id, state: 'draft' } });
    if (count !== 1) throw stateConflict(before.state, '不能删除，请作废');
    await recordAudit(tx, ctx, { action: 'delete', entity: 'contract', entityId: id, before });
  });
}

/** 提交评审: the 合同评审 flow decides by amount; with no step to run the contract takes effect at once. */
export async function submitContract(ctx: UseCaseContext, id: string): Promise<Contract> {
  await runUseCase(ctx, async (tx) => {
    const c = await findVisible(tx, ctx, id);
    const [customer, owner] = await Promise.all([
      tx.customer.findUnique({ where: { id: c.customerId }, select: { name: true } }),
      tx.user.findUnique({ where: { id: c.ownerId }, select: { name: true } }),
    ]);
    const started = await submitForApproval<DescribedSubmit>(tx, ctx, 'contract', id, {
      facts: { amount: c.amount.toFixed(2) },
      title: `合同评审 · ${c.number} · ${c.title}`,
      summary: {
        fields: [
          { label: '客户', value: customer?.name ?? '' },
          { label: '合同金额', value: formatYuan(c.amount.toFixed(2)) },
          { label: '签订日期', value: dateOnlyOf(c.signDate) },
          { label: '销售员', value: owner?.name ?? '' },
          ...(c.paymentTerms ? [{ label: '付款条件', value: c.paymentTerms }] : []),
        ],
        customerName: customer?.name ?? '', amount: c.amount.toFixed(2),
      },
    });
    if (!started) await approveContract(tx, ctx, id, 'draft');
  });
  return getContract(ctx, id);
}

/** 已生效 (from the review's final agreement, or at submit when no review is needed); `contract.approved` tells who cares. */
export async function approveContract(tx: Tx, ctx: UseCaseContext, id: string, from: 'draft' | 'pendingApproval'): Promise<void> {
  const rows = await tx.$queryRaw<{ number: string; amount: string; customer_id: string; owner_id: string }[]>`
    UPDATE sales_contract SET state = 'confirmed', updated_at = now(), version = version + 1
     WHERE id = ${id}::uuid AND state = ${from}::document_state
     RETURNING number, amount::text, customer_id::text, owner_id::text`;
  const row = rows[0];
  if (!row) throw new AppError('CONFLICT', '合同状态已变化，不能生效');
  await recordAudit(tx, ctx, { action: 'approve', entity: 'contract', entityId: id, before: { state: from }, after: { state: 'confirmed' } });
  await emitEvent(tx, ctx.actor.companyId, {
    type: 'contract.approved', aggregate: 'contract', aggregateId: id,
    payload: { contractId: id, number: row.number, amount: row.amount, customerId: row.customer_id, ownerId: row.owner_id },
  });
}

/** 作废: a draft or a contract in force; a running review ends first (approval locked before the contract). */
export async function cancelContract(ctx: UseCaseContext, id: string, reason?: string | null): Promise<Contract> {
  await runUseCase(ctx, async (tx) => {
    await findVisible(tx, ctx, id);
    await closeDocumentApproval(tx, ctx, 'contract', id, reason ? `合同已作废：${reason}` : '合同已作废');
    const [locked] = await tx.$queryRaw<{ state: ContractRow['state']; number: string }[]>`
      SELECT state::text AS state, number FROM sales_contract WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked) throw notFound('销售合同');
    if (locked.state === 'cancelled' || locked.state === 'closed') throw stateConflict(locked.state, '不能作废');
    await tx.salesContract.update({ where: { id }, data: { state: 'cancelled', version: { increment: 1 } } });
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'contract', entityId: id, before: { state: locked.state }, after: { state: 'cancelled', reason: reason ?? null } });
    await emitEvent(tx, ctx.actor.companyId, { type: 'contract.cancelled', aggregate: 'contract', aggregateId: id, payload: { contractId: id, number: locked.number, reason: reason ?? null } });
  });
  return getContract(ctx, id);
}
