// 盘点单: a count sheet snapshots the book quantity per item × batch × quality status of one
// warehouse (state counting); counted quantities are entered (versioned), then the sheet is
// posted (post.ts) or cancelled. Every state change is a conditional update, so it happens once.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { STOCK_COUNT_STATE_LABELS, type StockCount, type StockCountCreate, type StockCountListQuery, type StockCountUpdate } from '../../../../shared/schemas/stock.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { countVariance, dayRange, money, precisionIssue, qty, throwIssues } from '../stock/checks.ts';
import { assertWarehouse, itemRefs, userRefs, warehouseRefs } from '../stock/queries.ts';

export const COUNT_SOURCE = 'stockCount';

const include = { lines: true } satisfies Prisma.StockCountInclude;
export type CountRow = Prisma.StockCountGetPayload<{ include: typeof include }>;

/** 409 for a count sheet that is no longer being counted. */
export function notCounting(state: string): AppError {
  return new AppError('CONFLICT', state === 'posted' ? '盘点单已过账，不能再修改、过账或取消' : '盘点单已取消');
}

export async function createStockCount(ctx: UseCaseContext, input: StockCountCreate): Promise<StockCount> {
  return runUseCase(ctx, async (tx) => {
    await assertWarehouse(tx, input.warehouseId, 'body.warehouseId');
    const wanted = input.itemIds ? [...new Set(input.itemIds)] : undefined;
    const items = wanted ? await itemRefs(tx, wanted) : new Map();
    const issues: FieldIssue[] = [];
    input.itemIds?.forEach((id, n) => { if (!items.has(id)) issues.push({ field: `body.itemIds.${n}`, message: '物料不存在' }); });
    throwIssues(issues, '盘点物料有误');
    const balances = await tx.stockBalance.findMany({
      where: { warehouseId: input.warehouseId, onHand: { gt: 0 }, ...(wanted ? { itemId: { in: wanted } } : {}) },
      select: { itemId: true, batchNo: true, qualityStatus: true, onHand: true },
    });
    const lines = balances.map((b) => ({ itemId: b.itemId, batchNo: b.batchNo, qualityStatus: b.qualityStatus, bookQuantity: b.onHand.toString() }));
    // An item asked for that has no stock here is counted from zero (batch-tracked items need a batch, so they cannot be).
    input.itemIds?.forEach((id, n) => {
      if (balances.some((b) => b.itemId === id) || lines.some((l) => l.itemId === id)) return;
      const item = items.get(id)!;
      if (item.batchTracked) issues.push({ field: `body.itemIds.${n}`, message: `物料 ${item.code} 按批次管理，在该仓库没有任何批次的库存，无法生成盘点行` });
      else lines.push({ itemId: id, batchNo: '', qualityStatus: 'passed', bookQuantity: '0' });
    });
    throwIssues(issues, '盘点物料有误');
    if (!lines.length) throw invalid('body.warehouseId', '该仓库没有可盘点的库存');
    const companyId = ctx.actor.companyId;
    const number = await nextDocumentNumber(tx, companyId, 'SC');
    const row = await tx.stockCount.create({
      data: {
        companyId, number, warehouseId: input.warehouseId, remark: input.remark ?? null, createdById: ctx.actor.userId,
        lines: { createMany: { data: lines.map((l) => ({ companyId, ...l })) } },
      },
      include,
    });
    await recordChange(tx, ctx, {
      action: 'create', entity: 'stockCount', entityId: row.id, after: row,
      payload: { number, warehouseId: input.warehouseId, lineCount: lines.length },
    });
    return toDto(tx, row);
  });
}

export async function updateStockCount(ctx: UseCaseContext, id: string, input: StockCountUpdate): Promise<StockCount> {
  return runUseCase(ctx, async (tx) => {
    const before = await findCount(tx, id);
    if (before.state !== 'counting') throw notCounting(before.state);
    const byId = new Map(before.lines.map((l) => [l.id, l]));
    const units = await tx.item.findMany({
      where: { id: { in: [...new Set(before.lines.map((l) => l.itemId))] } },
      select: { id: true, baseUnit: { select: { name: true, precision: true } } },
    });
    const unitOf = new Map(units.map((u) => [u.id, u.baseUnit]));
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    input.lines.forEach((l, n) => {
      const line = byId.get(l.lineId);
      if (!line) return void issues.push({ field: `body.lines.${n}.lineId`, message: '该盘点单没有这一行' });
      if (seen.has(l.lineId)) return void issues.push({ field: `body.lines.${n}.lineId`, message: '同一行提交了两次' });
      seen.add(l.lineId);
      const p = l.countedQuantity === null ? null : precisionIssue(l.countedQuantity, unitOf.get(line.itemId)!, `body.lines.${n}.countedQuantity`);
      if (p) issues.push(p);
    });
    throwIssues(issues);
    // The version and the state are checked by the update itself: a stale sheet or one posted meanwhile changes nothing.
    const { count } = await tx.stockCount.updateMany({
      where: { id, version: input.version, state: 'counting' },
      data: { version: { increment: 1 }, ...(input.remark !== undefined ? { remark: input.remark } : {}) },
    });
    if (count !== 1) {
      const now = await findCount(tx, id);
      if (now.state !== 'counting') throw notCounting(now.state);
      throw new AppError('VERSION_CONFLICT', '盘点单已被他人修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
    }
    if (input.lines.length) {
      await tx.$executeRaw`
        UPDATE stock_count_line l SET counted_quantity = v.q
          FROM unnest(${input.lines.map((l) => l.lineId)}::uuid[], ${input.lines.map((l) => l.countedQuantity)}::numeric[]) AS v(id, q)
         WHERE l.id = v.id AND l.count_id = ${id}::uuid`;
    }
    const after = await findCount(tx, id);
    await recordChange(tx, ctx, {
      action: 'update', entity: 'stockCount', entityId: id,
      before: { version: before.version, remark: before.remark, lines: input.lines.map((l) => ({ lineId: l.lineId, countedQuantity: byId.get(l.lineId)!.countedQuantity })) },
      after: { version: after.version, remark: after.remark, lines: input.lines },
      payload: { number: after.number, linesUpdated: input.lines.length },
    });
    return toDto(tx, after);
  });
}

export async function cancelStockCount(ctx: UseCaseContext, id: string): Promise<StockCount> {
  return runUseCase(ctx, async (tx) => {
    const { count } = await tx.stockCount.updateMany({ where: { id, state: 'counting' }, data: { state: 'cancelled', version: { increment: 1 } } });
    const row = await findCount(tx, id);
    if (count !== 1) throw notCounting(row.state);
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'stockCount', entityId: id, before: { state: 'counting' }, after: { state: 'cancelled' } });
    await emitEvent(tx, ctx.actor.companyId, { type: 'stockCount.cancelled', aggregate: 'stockCount', aggregateId: id, payload: { number: row.number } });
    return toDto(tx, row);
  });
}

export async function findCount(tx: Tx, id: string): Promise<CountRow> {
  const row = await tx.stockCount.findUnique({ where: { id }, include });
  if (!row) throw notFound('盘点单');
  return row;
}

export async function getStockCount(ctx: UseCaseContext, id: string): Promise<StockCount> {
  return runUseCase(ctx, async (tx) => toDto(tx, await findCount(tx, id)));
}

const key = (l: { itemId: string; batchNo: string; qualityStatus: string }) => `${l.itemId}|${l.batchNo}|${l.qualityStatus}`;

/**
 * The sheet with its lines. While counting, each line shows the current book quantity and the
 * variance posting would write now (counted − current); once posted, the variance and amount written.
 */
export async function toDto(tx: Tx, row: CountRow): Promise<StockCount> {
  const items = await itemRefs(tx, row.lines.map((l) => l.itemId));
  const warehouses = await warehouseRefs(tx, [row.warehouseId]);
  const users = await userRefs(tx, [row.createdById]);
  const current = new Map<string, Decimal>();
  const posted = new Map<string, { quantity: Decimal; amount: Decimal }>();
  if (row.state === 'counting') {
    const balances = await tx.stockBalance.findMany({ where: { warehouseId: row.warehouseId, itemId: { in: [...new Set(row.lines.map((l) => l.itemId))] } } });
    for (const b of balances) current.set(key(b), new Decimal(b.onHand.toString()));
  } else if (row.state === 'posted') {
    const moves = await tx.stockMove.findMany({ where: { sourceType: COUNT_SOURCE, sourceId: row.id }, select: { sourceLineId: true, quantity: true, amount: true } });
    for (const m of moves) posted.set(m.sourceLineId ?? '', { quantity: new Decimal(m.quantity.toString()), amount: new Decimal(m.amount.toString()) });
  }
  const lines = row.lines
    .map((l) => {
      const { batchTracked: _b, standardCost: _s, ...item } = items.get(l.itemId)!;
      const cur = row.state === 'counting' ? current.get(key(l)) ?? new Decimal(0) : null;
      const moved = posted.get(l.id);
      const variance = row.state === 'counting'
        ? l.countedQuantity === null ? null : qty(countVariance(l.countedQuantity.toString(), cur!))
        : row.state === 'posted' ? qty(moved?.quantity ?? 0) : null;
      return {
        id: l.id, item, batchNo: l.batchNo, qualityStatus: l.qualityStatus, bookQuantity: qty(l.bookQuantity.toString()),
        countedQuantity: l.countedQuantity === null ? null : qty(l.countedQuantity.toString()),
        currentQuantity: cur ? qty(cur) : null, variance, varianceAmount: row.state === 'posted' ? money(moved?.amount ?? 0) : null,
      };
    })
    .sort((a, b) => a.item.code.localeCompare(b.item.code) || a.batchNo.localeCompare(b.batchNo) || a.qualityStatus.localeCompare(b.qualityStatus));
  return {
    ...summary(row, warehouses, users, row.lines.length, row.lines.filter((l) => l.countedQuantity !== null).length),
    lines,
  };
}

function summary(
  row: Omit<CountRow, 'lines'>, warehouses: Map<string, { id: string; code: string; name: string }>,
  users: Map<string, { id: string; name: string }>, lineCount: number, countedCount: number,
): Omit<StockCount, 'lines'> {
  return {
    id: row.id, number: row.number, warehouse: warehouses.get(row.warehouseId)!, state: row.state, stateLabel: STOCK_COUNT_STATE_LABELS[row.state],
    remark: row.remark, lineCount, countedCount, createdBy: row.createdById ? users.get(row.createdById) ?? null : null,
    createdAt: isoShanghai(row.createdAt), postedAt: row.postedAt ? isoShanghai(row.postedAt) : null, version: row.version,
  };
}

export async function listStockCounts(ctx: UseCaseContext, query: StockCountListQuery): Promise<Page<Omit<StockCount, 'lines'>>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.StockCountWhereInput = {
      AND: [
        keywordWhere(query.q, ['number', 'remark']),
        { warehouseId: query.warehouseId, state: query.state },
        query.dateFrom || query.dateTo ? { createdAt: dayRange(query.dateFrom, query.dateTo) } : {},
      ],
    };
    const orderBy = orderByOf(query.sort, '-createdAt') as Prisma.StockCountOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.stockCount.findMany({ where, orderBy, ...w }), () => tx.stockCount.count({ where }), (r) => r);
    const counts = await tx.stockCountLine.groupBy({
      by: ['countId'], where: { countId: { in: page.items.map((r) => r.id) } }, _count: { _all: true, countedQuantity: true },
    });
    const countOf = new Map(counts.map((c) => [c.countId, c._count]));
    const warehouses = await warehouseRefs(tx, page.items.map((r) => r.warehouseId));
    const users = await userRefs(tx, page.items.map((r) => r.createdById));
    return {
      ...page,
      items: page.items.map((r) => summary(r, warehouses, users, countOf.get(r.id)?._all ?? 0, countOf.get(r.id)?.countedQuantity ?? 0)),
    };
  });
}
