// 质检 use cases. A receipt of 待检 stock opens one 检验单 per line (in the receipt's transaction,
// with a `quality.inspectionDue` event for the inspectors' chat). Recording a result is one
// transaction: the record's row lock (two results at once are recorded one after the other, and the
// second sees what the first did), the stock through the inventory ledger (合格 and 让步接收 become
// 合格 where they are, 不合格 moves to the reject warehouse, all at the same value), the record, audit.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../db/transaction.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { QualityInspectionSource } from '../../generated/prisma/enums.ts';
import {
  QUALITY_INSPECTION_SOURCE_LABELS, QUALITY_INSPECTION_STATE_LABELS,
  type QualityInspection, type QualityInspectionDetail, type QualityInspectionListQuery, type QualityInspectionRecord,
} from '../../../shared/schemas/quality.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../platform/listing.ts';
import { nextDocumentNumber } from '../../platform/numbering.ts';
import { emitEvent } from '../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { changeQualityStatus } from '../inventory/index.ts';
import { splitResult } from './rules.ts';

type InspectionRow = Prisma.QualityInspectionGetPayload<object>;

/** What came in 待检 on one line of a receipt. */
export interface PendingReceiptLine {
  itemId: string;
  warehouseId: string;
  batchNo?: string;
  /** base unit, > 0 */
  quantity: Decimal.Value;
  sourceLineId?: string | null;
}

export interface PendingReceipt {
  sourceType: QualityInspectionSource;
  sourceId: string;
  sourceNo: string;
  lines: PendingReceiptLine[];
}

/**
 * 检验单 for each 待检 line of a receipt, inside the receipt's transaction, each with its
 * `quality.inspectionDue` event (the inspectors' chat card). Returns the new records' ids.
 */
export async function openInspections(tx: Tx, ctx: UseCaseContext, receipt: PendingReceipt): Promise<string[]> {
  const companyId = ctx.actor.companyId;
  const items = await itemsById(tx, receipt.lines.map((l) => l.itemId));
  const ids: string[] = [];
  for (const l of receipt.lines) {
    const number = await nextDocumentNumber(tx, companyId, 'QC');
    const quantity = new Decimal(l.quantity).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
    const row = await tx.qualityInspection.create({
      data: {
        companyId, number, sourceType: receipt.sourceType, sourceId: receipt.sourceId, sourceLineId: l.sourceLineId ?? null, sourceNo: receipt.sourceNo,
        itemId: l.itemId, warehouseId: l.warehouseId, batchNo: l.batchNo ?? '', quantity: quantity.toString(),
      },
    });
    const item = items.get(l.itemId);
    await emitEvent(tx, companyId, {
      type: 'quality.inspectionDue', aggregate: 'qualityInspection', aggregateId: row.id,
      payload: {
        inspectionId: row.id, number, sourceType: receipt.sourceType, sourceNo: receipt.sourceNo,
        itemCode: item?.code ?? '', itemName: item?.name ?? '', spec: item?.spec ?? null, unit: item?.unit ?? '',
        quantity: quantity.toFixed(4),
      },
    });
    ids.push(row.id);
  }
  return ids;
}

export async function listInspections(ctx: UseCaseContext, query: QualityInspectionListQuery): Promise<Page<QualityInspection>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.QualityInspectionWhereInput[] = [{ state: query.state, itemId: query.itemId }];
    if (query.q) {
      const found = await tx.item.findMany({ where: { OR: [{ code: containsText(query.q) }, { name: containsText(query.q) }] }, select: { id: true } });
      and.push({ OR: [{ number: containsText(query.q) }, { sourceNo: containsText(query.q) }, { itemId: { in: found.map((f) => f.id) } }] });
    }
    const where: Prisma.QualityInspectionWhereInput = { AND: and };
    const orderBy = [...orderByOf(query.sort, '-number'), { id: 'asc' }] as Prisma.QualityInspectionOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.qualityInspection.findMany({ where, orderBy, ...w }), () => tx.qualityInspection.count({ where }), (r) => r);
    return { ...page, items: await inspectionDtos(tx, page.items) };
  });
}

export async function getInspection(ctx: UseCaseContext, id: string): Promise<QualityInspectionDetail> {
  return runUseCase(ctx, (tx) => detailOf(tx, id));
}

/** 录入质检结果 (partial allowed): see the file's head. */
export async function recordInspection(ctx: UseCaseContext, id: string, input: QualityInspectionRecord): Promise<QualityInspectionDetail> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const row = await lockInspection(tx, id);
    if (input.version !== undefined && input.version !== row.version) {
      throw new AppError('CONFLICT', `检验单 ${row.number} 已被他人修改（版本 ${row.version}），请刷新后重试`);
    }
    if (row.state === 'done') throw new AppError('CONFLICT', `检验单 ${row.number} 已检验完毕，不能再录入结果`);
    const unit = (await itemsById(tx, [row.itemId])).get(row.itemId)?.unit ?? '';
    const split = splitResult(input, row.quantity.minus(row.inspectedQuantity).toString(), unit);
    if ('error' in split) throw invalid(split.error.field, split.error.message);
    let rejectWarehouseId: string | null = null;
    if (split.failed.gt(0)) {
      rejectWarehouseId = input.rejectWarehouseId ?? (await tx.company.findUniqueOrThrow({ where: { id: companyId }, select: { rejectWarehouseId: true } })).rejectWarehouseId;
      if (!rejectWarehouseId) throw invalid('body.rejectWarehouseId', '有不合格数量时须指定不良品仓（或先在公司设置中设置不良品仓）');
      const wh = await tx.warehouse.findUnique({ where: { id: rejectWarehouseId }, select: { active: true } });
      if (!wh?.active) throw invalid('body.rejectWarehouseId', '不良品仓不存在或已停用');
    }
    const accepted = split.passed.plus(split.concession);
    await changeQualityStatus(
      tx,
      { companyId, userId: ctx.actor.userId, kind: 'qualityInspection', source: { type: 'qualityInspection', id, documentNo: row.number }, remark: input.remark ?? undefined },
      [
        ...(accepted.gt(0) ? [{ itemId: row.itemId, warehouseId: row.warehouseId, batchNo: row.batchNo, from: 'pending' as const, to: 'passed' as const, quantity: accepted.toString() }] : []),
        ...(split.failed.gt(0)
          ? [{ itemId: row.itemId, warehouseId: row.warehouseId, batchNo: row.batchNo, from: 'pending' as const, to: 'rejected' as const, toWarehouseId: rejectWarehouseId!, quantity: split.failed.toString() }]
          : []),
      ],
    );
    const inspected = row.inspectedQuantity.plus(split.total.toString());
    const done = inspected.gte(row.quantity);
    await tx.qualityInspection.update({
      where: { id },
      data: {
        inspectedQuantity: inspected.toString(),
        passedQuantity: { increment: split.passed.toString() },
        failedQuantity: { increment: split.failed.toString() },
        concessionQuantity: { increment: split.concession.toString() },
        state: done ? 'done' : 'open', remark: input.remark ?? row.remark,
        inspectedById: ctx.actor.userId, inspectedAt: new Date(), version: { increment: 1 },
      },
    });
    await recordAudit(tx, ctx, {
      action: 'record', entity: 'qualityInspection', entityId: id,
      before: { inspectedQuantity: row.inspectedQuantity.toFixed(4), state: row.state },
      after: {
        passedQuantity: split.passed.toFixed(4), failedQuantity: split.failed.toFixed(4), concessionQuantity: split.concession.toFixed(4),
        rejectWarehouseId, inspectedQuantity: inspected.toFixed(4), state: done ? 'done' : 'open',
      },
    });
    return detailOf(tx, id);
  });
}

/** The record's row, locked for this transaction (404 for another company's: row-level security hides it). */
async function lockInspection(tx: Tx, id: string): Promise<InspectionRow> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM quality_inspection WHERE id = ${id}::uuid FOR UPDATE`;
  if (!locked.length) throw notFound('检验单');
  return tx.qualityInspection.findUniqueOrThrow({ where: { id } });
}

interface ItemFacts { code: string; name: string; spec: string | null; unit: string }

async function itemsById(tx: Tx, ids: string[]): Promise<Map<string, ItemFacts & { id: string }>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await tx.item.findMany({ where: { id: { in: unique } }, select: { id: true, code: true, name: true, spec: true, baseUnit: { select: { name: true } } } });
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, spec: r.spec, unit: r.baseUnit.name }]));
}

async function inspectionDtos(tx: Tx, rows: InspectionRow[]): Promise<QualityInspection[]> {
  const items = await itemsById(tx, rows.map((r) => r.itemId));
  const whIds = [...new Set(rows.map((r) => r.warehouseId))];
  const warehouses = new Map((whIds.length ? await tx.warehouse.findMany({ where: { id: { in: whIds } }, select: { id: true, code: true, name: true } }) : []).map((w) => [w.id, w]));
  const userIds = [...new Set(rows.map((r) => r.inspectedById).filter((u): u is string => !!u))];
  const users = new Map((userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : []).map((u) => [u.id, u]));
  return rows.map((r) => {
    const item = items.get(r.itemId);
    return {
      id: r.id, number: r.number, sourceType: r.sourceType, sourceTypeLabel: QUALITY_INSPECTION_SOURCE_LABELS[r.sourceType], sourceId: r.sourceId, sourceNo: r.sourceNo,
      item: { id: r.itemId, code: item?.code ?? '?', name: item?.name ?? '?', spec: item?.spec ?? null }, unit: item?.unit ?? '',
      warehouse: warehouses.get(r.warehouseId) ?? { id: r.warehouseId, code: '?', name: '?' }, batchNo: r.batchNo,
      quantity: r.quantity.toFixed(4), inspectedQuantity: r.inspectedQuantity.toFixed(4), pendingQuantity: r.quantity.minus(r.inspectedQuantity).toFixed(4),
      passedQuantity: r.passedQuantity.toFixed(4), failedQuantity: r.failedQuantity.toFixed(4), concessionQuantity: r.concessionQuantity.toFixed(4),
      state: r.state, stateLabel: QUALITY_INSPECTION_STATE_LABELS[r.state], remark: r.remark,
      inspectedBy: r.inspectedById ? (users.get(r.inspectedById) ?? null) : null, inspectedAt: r.inspectedAt ? isoShanghai(r.inspectedAt) : null,
      createdAt: isoShanghai(r.createdAt), version: r.version,
    };
  });
}

async function detailOf(tx: Tx, id: string): Promise<QualityInspectionDetail> {
  const row = await tx.qualityInspection.findUnique({ where: { id } });
  if (!row) throw notFound('检验单');
  const [dto] = await inspectionDtos(tx, [row]);
  const events = await tx.auditLog.findMany({ where: { entity: 'qualityInspection', entityId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const userIds = [...new Set(events.map((e) => e.userId).filter((u): u is string => !!u))];
  const users = new Map((userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : []).map((u) => [u.id, u.name]));
  return { ...dto!, events: events.map((e) => ({ at: isoShanghai(e.at), action: e.action, user: e.userId ? (users.get(e.userId) ?? null) : null, detail: e.after ?? null })) };
}
