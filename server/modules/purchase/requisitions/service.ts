// 请购单: drafts with lines (created by hand, from a shortage, later by MRP), submitted to
// 已确认 (approval comes with the approvals issue), cancelled while nothing is ordered. The data
// scope applies to the requester.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import {
  DOCUMENT_STATE_LABELS, REQUISITION_SOURCE_LABELS,
  type Requisition, type RequisitionCreate, type RequisitionListQuery, type RequisitionUpdate,
} from '../../../../shared/schemas/purchasing.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, issuesMessage, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { progressOf, resolveLines } from '../../inventory/index.ts';
import { loadRefs, userScopeWhere } from '../orders/refs.ts';
import { assertUnitPrecision, dateOnlyOf, dateOnlyToDb, momentRange } from '../orders/support.ts';
import { Decimal } from 'decimal.js';

export const requisitionInclude = { lines: { orderBy: { lineNo: 'asc' } } } satisfies Prisma.PurchaseRequisitionInclude;
export type RequisitionRow = Prisma.PurchaseRequisitionGetPayload<{ include: typeof requisitionInclude }>;

export async function requisitionScope(tx: Tx, ctx: UseCaseContext): Promise<Prisma.PurchaseRequisitionWhereInput> {
  return (await userScopeWhere(tx, ctx.actor, 'requesterId')) as Prisma.PurchaseRequisitionWhereInput;
}

export async function requisitionDtos(tx: Tx, rows: RequisitionRow[]): Promise<Requisition[]> {
  const lines = rows.flatMap((r) => r.lines);
  const refs = await loadRefs(tx, {
    users: rows.map((r) => r.requesterId), items: lines.map((l) => l.itemId), units: lines.map((l) => l.unitId), suppliers: lines.map((l) => l.supplierId),
  });
  const orderLines = lines.length
    ? await tx.purchaseOrderLine.findMany({
        where: { requisitionLineId: { in: lines.map((l) => l.id) } },
        select: { requisitionLineId: true, order: { select: { id: true, number: true, state: true } } },
      })
    : [];
  return rows.map((r) => {
    const mine = new Set(r.lines.map((l) => l.id));
    const orders = new Map(orderLines.filter((o) => mine.has(o.requisitionLineId!)).map((o) => [o.order.id, o.order]));
    const ordered = r.lines.reduce((a, l) => a.plus(l.orderedQuantity.toString()), new Decimal(0));
    const total = r.lines.reduce((a, l) => a.plus(l.baseQuantity.toString()), new Decimal(0));
    return {
      id: r.id,
      number: r.number,
      requester: refs.user(r.requesterId),
      source: r.source,
      sourceLabel: REQUISITION_SOURCE_LABELS[r.source],
      state: r.state,
      stateLabel: DOCUMENT_STATE_LABELS[r.state],
      orderProgress: progressOf(ordered, total),
      remark: r.remark,
      lines: r.lines.map((l) => ({
        id: l.id, lineNo: l.lineNo, item: refs.item(l.itemId), unit: refs.unit(l.unitId), factor: l.factor.toFixed(6), quantity: l.quantity.toFixed(4),
        baseQuantity: l.baseQuantity.toFixed(4), requiredDate: l.requiredDate ? dateOnlyOf(l.requiredDate) : null,
        supplier: l.supplierId ? refs.supplier(l.supplierId) : null, orderedQuantity: l.orderedQuantity.toFixed(4),
        remainingQuantity: Decimal.max(0, new Decimal(l.baseQuantity.toString()).minus(l.orderedQuantity.toString())).toFixed(4),
      })),
      orders: [...orders.values()].sort((a, b) => a.number.localeCompare(b.number)),
      createdAt: isoShanghai(r.createdAt),
      updatedAt: isoShanghai(r.updatedAt),
      version: r.version,
    };
  });
}

export async function listRequisitions(ctx: UseCaseContext, query: RequisitionListQuery): Promise<Page<Requisition>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.PurchaseRequisitionWhereInput[] = [
      await requisitionScope(tx, ctx),
      { state: query.state, source: query.source, requesterId: query.requesterId, createdAt: momentRange(query.dateFrom, query.dateTo) },
    ];
    if (query.itemId) and.push({ lines: { some: { itemId: query.itemId } } });
    if (query.q) and.push({ OR: [{ number: containsText(query.q) }, { remark: containsText(query.q) }] });
    const where: Prisma.PurchaseRequisitionWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.PurchaseRequisitionOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.purchaseRequisition.findMany({ where, orderBy, include: requisitionInclude, ...w }), () => tx.purchaseRequisition.count({ where }), (r) => r);
    return { ...page, items: await requisitionDtos(tx, page.items) };
  });
}

export async function findRequisition(tx: Tx, ctx: UseCaseContext, id: string): Promise<RequisitionRow> {
  const row = await tx.purchaseRequisition.findFirst({ where: { AND: [{ id }, await requisitionScope(tx, ctx)] }, include: requisitionInclude });
  if (!row) throw notFound('请购单');
  return row;
}

export async function getRequisition(ctx: UseCaseContext, id: string): Promise<Requisition> {
  return runUseCase(ctx, async (tx) => (await requisitionDtos(tx, [await findRequisition(tx, ctx, id)]))[0]!);
}

async function buildLines(tx: Tx, companyId: string, requisitionId: string, lines: RequisitionCreate['lines']) {
  const resolved = await resolveLines(tx, lines, { defaultUnit: 'purchase' });
  await assertUnitPrecision(tx, resolved.map((r, n) => ({ unitId: r.unitId, quantity: r.line.quantity, field: `body.lines.${n}.quantity` })));
  const supplierIds = [...new Set(lines.map((l) => l.supplierId).filter((s): s is string => !!s))];
  if (supplierIds.length) {
    const found = new Set((await tx.supplier.findMany({ where: { id: { in: supplierIds } }, select: { id: true } })).map((s) => s.id));
    const issues: FieldIssue[] = lines.flatMap((l, n) => (l.supplierId && !found.has(l.supplierId) ? [{ field: `body.lines.${n}.supplierId`, message: '供应商不存在' }] : []));
    if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
  }
  return resolved.map((r, n) => ({
    companyId, requisitionId, lineNo: n + 1, itemId: r.item.id, unitId: r.unitId, factor: r.factor, quantity: r.line.quantity, baseQuantity: r.baseQuantity,
    requiredDate: r.line.requiredDate ? dateOnlyToDb(r.line.requiredDate) : null, supplierId: r.line.supplierId ?? null,
  }));
}

export async function createRequisition(ctx: UseCaseContext, input: RequisitionCreate): Promise<Requisition> {
  return runUseCase(ctx, (tx) => createRequisitionInTx(tx, ctx, input));
}

/** A new draft requisition inside the caller's transaction (MRP's 合并投放 writes it with the suggestions it came from). */
export async function createRequisitionInTx(tx: Tx, ctx: UseCaseContext, input: RequisitionCreate): Promise<Requisition> {
  {
    const companyId = ctx.actor.companyId;
    const number = await nextDocumentNumber(tx, companyId, 'PR');
    const row = await tx.purchaseRequisition.create({ data: { companyId, number, requesterId: ctx.actor.userId, source: input.source, remark: input.remark ?? null } });
    await tx.purchaseRequisitionLine.createMany({ data: await buildLines(tx, companyId, row.id, input.lines) });
    const [dto] = await requisitionDtos(tx, [await findRequisition(tx, ctx, row.id)]);
    await recordChange(tx, ctx, { action: 'create', entity: 'purchaseRequisition', entityId: row.id, after: dto, payload: { number, source: input.source, lines: input.lines.length } });
    return dto!;
  }
}

/** A draft changes only while it is a draft at the version the client read (one conditional update). */
async function guardDraft(tx: Tx, ctx: UseCaseContext, id: string, version: number | undefined, what: string, data: Prisma.PurchaseRequisitionUpdateManyMutationInput) {
  const scope = await requisitionScope(tx, ctx);
  const { count } = await tx.purchaseRequisition.updateMany({
    where: { AND: [{ id, state: 'draft', ...(version === undefined ? {} : { version }) }, scope] },
    data: { ...data, version: { increment: 1 } },
  });
  if (count === 1) return;
  const found = await tx.purchaseRequisition.findFirst({ where: { AND: [{ id }, scope] }, select: { number: true, state: true } });
  if (!found) throw notFound('请购单');
  if (found.state !== 'draft') {
    const message = `请购单 ${found.number} 为「${DOCUMENT_STATE_LABELS[found.state]}」，不能${what}`;
    throw new AppError('CONFLICT', message, [{ field: 'params.id', message }]);
  }
  throw new AppError('VERSION_CONFLICT', '请购单已被他人修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
}

export async function updateRequisition(ctx: UseCaseContext, id: string, input: RequisitionUpdate): Promise<Requisition> {
  return runUseCase(ctx, async (tx) => {
    const before = await findRequisition(tx, ctx, id);
    await guardDraft(tx, ctx, id, input.version, '修改（只能修改草稿）', { source: input.source, remark: input.remark === undefined ? undefined : input.remark });
    if (input.lines) {
      const rows = await buildLines(tx, ctx.actor.companyId, id, input.lines);
      await tx.purchaseRequisitionLine.deleteMany({ where: { requisitionId: id } });
      await tx.purchaseRequisitionLine.createMany({ data: rows });
    }
    const [dto] = await requisitionDtos(tx, [await findRequisition(tx, ctx, id)]);
    await recordChange(tx, ctx, { action: 'update', entity: 'purchaseRequisition', entityId: id, before, after: dto, payload: { number: before.number } });
    return dto!;
  });
}

export async function deleteRequisition(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findRequisition(tx, ctx, id);
    await guardDraft(tx, ctx, id, undefined, '删除（只能删除草稿）', {});
    await tx.purchaseRequisition.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'purchaseRequisition', entityId: id, before, payload: { number: before.number } });
  });
}

/** 提交: 草稿 → 已确认 (an approval step slots in here later). */
export async function submitRequisition(ctx: UseCaseContext, id: string): Promise<Requisition> {
  return runUseCase(ctx, async (tx) => {
    await guardDraft(tx, ctx, id, undefined, '提交（已提交过）', { state: 'confirmed' });
    const [dto] = await requisitionDtos(tx, [await findRequisition(tx, ctx, id)]);
    await recordAudit(tx, ctx, { action: 'submit', entity: 'purchaseRequisition', entityId: id, before: { state: 'draft' }, after: { state: 'confirmed' } });
    await emitEvent(tx, ctx.actor.companyId, {
      type: 'purchaseRequisition.submitted', aggregate: 'purchaseRequisition', aggregateId: id,
      payload: { number: dto!.number, requester: dto!.requester.name, source: dto!.source, lines: dto!.lines.length },
    });
    return dto!;
  });
}

export async function cancelRequisition(ctx: UseCaseContext, id: string, reason?: string | null): Promise<Requisition> {
  return runUseCase(ctx, async (tx) => {
    const scope = await requisitionScope(tx, ctx);
    // Lock the requisition: purchase orders taking from it hold it shared until they commit.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM purchase_requisition WHERE id = ${id}::uuid FOR UPDATE`;
    const row = locked ? await tx.purchaseRequisition.findFirst({ where: { AND: [{ id }, scope] }, include: requisitionInclude }) : null;
    if (!row) throw notFound('请购单');
    if (row.state !== 'draft' && row.state !== 'confirmed') {
      const message = `请购单 ${row.number} 为「${DOCUMENT_STATE_LABELS[row.state]}」，不能取消`;
      throw new AppError('CONFLICT', message, [{ field: 'params.id', message }]);
    }
    const ordered = row.lines.filter((l) => l.orderedQuantity.gt(0));
    if (ordered.length) {
      const message = `请购单 ${row.number} 已有 ${ordered.length} 行下了采购订单，不能取消；请先取消相关采购订单`;
      throw new AppError('CONFLICT', message, [{ field: 'params.id', message }]);
    }
    await tx.purchaseRequisition.update({ where: { id }, data: { state: 'cancelled', version: { increment: 1 } } });
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'purchaseRequisition', entityId: id, before: { state: row.state }, after: { state: 'cancelled', reason } });
    await emitEvent(tx, ctx.actor.companyId, { type: 'purchaseRequisition.cancelled', aggregate: 'purchaseRequisition', aggregateId: id, payload: { number: row.number, reason: reason ?? null } });
    return (await requisitionDtos(tx, [await findRequisition(tx, ctx, id)]))[0]!;
  });
}
