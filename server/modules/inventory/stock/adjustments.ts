// 期初 / 库存调整: stock put in (期初, 盘盈) or taken out (报损) by hand. There is no document
// table: the moves are the record, grouped by their source (type stockAdjustment, a fresh id) and
// numbered AJ-YYYYMMDD-NNNN.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type {
  StockAdjustment, StockAdjustmentCreate, StockAdjustmentListQuery, StockAdjustmentSummary,
} from '../../../../shared/schemas/stock.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { recordChange } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import type { Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { issueStock, receiveStock, type MoveContext, lockItemStock } from './ledger.ts';
import { atLine, containsPattern, cost, dayRange, defaultInboundCost, money, qty, throwIssues } from './checks.ts';
import { assertWarehouse, countOf, itemRefs, orderSql, userRefs, warehouseRefs, window } from './queries.ts';
import { announceReservationCuts, cutReservationsForLoss, cutsForAudit, type ReservationCut } from './reservation-cuts.ts';
import { resolveStockLines } from './stock-lines.ts';
import { postStockVariance } from './variance-posting.ts';

export const ADJUSTMENT_SOURCE = 'stockAdjustment';

export async function createStockAdjustment(ctx: UseCaseContext, input: StockAdjustmentCreate): Promise<StockAdjustment> {
  return runUseCase(ctx, async (tx) => {
    await assertWarehouse(tx, input.warehouseId, 'body.warehouseId');
    const lines = await resolveStockLines(tx, input.lines);
    const issues: FieldIssue[] = [];
    lines.forEach((l, n) => {
      const out = new Decimal(l.baseQuantity).lt(0);
      if (out && input.opening) issues.push({ field: `body.lines.${n}.quantity`, message: '期初库存只能是正数' });
      if (out && l.line.unitCost != null) issues.push({ field: `body.lines.${n}.unitCost`, message: '出库按移动加权平均成本计价，不能指定单价' });
    });
    throwIssues(issues);

    const companyId = ctx.actor.companyId;
    const id = crypto.randomUUID();
    const number = await nextDocumentNumber(tx, companyId, 'AJ');
    await lockItemStock(tx, companyId, lines.map((l) => l.item.id));
    const stocks = await tx.itemStock.findMany({ where: { itemId: { in: lines.map((l) => l.item.id) } } });
    const stockOf = new Map(stocks.map((s) => [s.itemId, s]));
    const mc: MoveContext = {
      companyId, userId: ctx.actor.userId, kind: input.opening ? 'opening' : 'adjustment',
      source: { type: ADJUSTMENT_SOURCE, id, documentNo: number }, remark: input.reason,
    };
    const base = (n: number) => ({
      itemId: lines[n]!.item.id, warehouseId: input.warehouseId, batchNo: lines[n]!.batchNo,
      qualityStatus: input.lines[n]!.qualityStatus, sourceLineId: String(n + 1),
    });
    const inbound = lines.flatMap((l, n) => (new Decimal(l.baseQuantity).gt(0) ? [n] : []));
    await receiveStock(tx, mc, inbound.map((n) => ({
      ...base(n), quantity: lines[n]!.baseQuantity,
      unitCost: input.lines[n]!.unitCost ?? defaultInboundCost(stockOf.get(lines[n]!.item.id) ?? null, lines[n]!.item.standardCost),
    })));
    // 报损 below the reserved quantity is taken out all the same: the level's reservations are cut
    // first (the most recently confirmed orders first), so reserved ≤ on hand.
    const cuts: ReservationCut[] = [];
    for (const [n, l] of lines.entries()) {
      const quantity = new Decimal(l.baseQuantity);
      if (quantity.gte(0)) continue;
      if ((base(n).qualityStatus ?? 'passed') === 'passed') cuts.push(...(await cutReservationsForLoss(tx, companyId, { itemId: l.item.id, warehouseId: input.warehouseId, quantity: quantity.neg() })));
      await atLine(n, `body.lines.${n}.quantity`, () => issueStock(tx, mc, [{ ...base(n), quantity: quantity.neg().toString() }]));
    }
    await announceReservationCuts(tx, ctx, cuts, { type: ADJUSTMENT_SOURCE, id, number, label: '库存调整报损' });
    // 期初 is the opening balance, not income: only adjustments post (盘盈 / 报损).
    if (!input.opening) await postStockVariance(tx, ctx, ADJUSTMENT_SOURCE, { id, number, what: '库存调整' });
    const adjustment = await readAdjustment(tx, id);
    await recordChange(tx, ctx, {
      action: 'create', entity: 'stockAdjustment', entityId: id, after: adjustment,
      payload: { number, kind: adjustment.kind, warehouseId: input.warehouseId, lineCount: lines.length, totalAmount: adjustment.totalAmount, reservationCuts: cutsForAudit(cuts) },
    });
    return adjustment;
  });
}

async function readAdjustment(tx: Tx, id: string): Promise<StockAdjustment> {
  const moves = await tx.stockMove.findMany({ where: { sourceType: ADJUSTMENT_SOURCE, sourceId: id }, orderBy: { id: 'asc' } });
  const first = moves[0];
  if (!first) throw notFound('库存调整单');
  moves.sort((a, b) => Number(a.sourceLineId ?? 0) - Number(b.sourceLineId ?? 0));
  const items = await itemRefs(tx, moves.map((m) => m.itemId));
  const warehouses = await warehouseRefs(tx, [first.warehouseId]);
  const users = await userRefs(tx, [first.createdById]);
  return {
    id,
    number: first.documentNo ?? '',
    kind: first.kind === 'opening' ? 'opening' : 'adjustment',
    warehouse: warehouses.get(first.warehouseId)!,
    reason: first.remark,
    totalAmount: money(moves.reduce((a, m) => a.plus(m.amount.toString()), new Decimal(0))),
    occurredAt: isoShanghai(first.occurredAt),
    createdBy: first.createdById ? users.get(first.createdById) ?? null : null,
    lines: moves.map((m) => {
      const { batchTracked: _b, standardCost: _s, ...item } = items.get(m.itemId)!;
      return {
        lineNo: Number(m.sourceLineId ?? 0), item, batchNo: m.batchNo, qualityStatus: m.qualityStatus,
        quantity: qty(m.quantity.toString()), unitCost: cost(m.unitCost.toString()), amount: money(m.amount.toString()), moveId: m.id.toString(),
      };
    }),
  };
}

export async function getStockAdjustment(ctx: UseCaseContext, id: string): Promise<StockAdjustment> {
  return runUseCase(ctx, (tx) => readAdjustment(tx, id));
}

interface AdjustmentSqlRow {
  id: string; number: string | null; kind: string; warehouse_id: string; reason: string | null;
  line_count: number; total: string; occurred_at: Date; created_by_id: string | null;
}

export async function listStockAdjustments(ctx: UseCaseContext, query: StockAdjustmentListQuery): Promise<Page<StockAdjustmentSummary>> {
  return runUseCase(ctx, async (tx) => {
    const range = dayRange(query.dateFrom, query.dateTo);
    const from = Prisma.sql`
      SELECT m.source_id AS id, min(m.document_no) AS number, min(m.kind::text) AS kind, min(m.warehouse_id::text) AS warehouse_id,
             min(m.remark) AS reason, count(*)::int AS line_count, sum(m.amount)::text AS total, min(m.occurred_at) AS occurred_at,
             min(m.created_by_id::text) AS created_by_id
        FROM stock_move m
       WHERE m.source_type = ${ADJUSTMENT_SOURCE}
         AND ${query.warehouseId ? Prisma.sql`m.warehouse_id = ${query.warehouseId}::uuid` : Prisma.sql`TRUE`}
         AND ${query.opening === undefined ? Prisma.sql`TRUE` : Prisma.sql`(m.kind = 'opening') = ${query.opening}`}
         AND ${range.gte ? Prisma.sql`m.occurred_at >= ${range.gte}` : Prisma.sql`TRUE`}
         AND ${range.lt ? Prisma.sql`m.occurred_at < ${range.lt}` : Prisma.sql`TRUE`}
         AND ${query.q ? Prisma.sql`(m.document_no ILIKE ${containsPattern(query.q)} OR m.remark ILIKE ${containsPattern(query.q)})` : Prisma.sql`TRUE`}
       GROUP BY m.source_id
      HAVING ${query.itemId ? Prisma.sql`bool_or(m.item_id = ${query.itemId}::uuid)` : Prisma.sql`TRUE`}`;
    const order = orderSql(query.sort, '-occurredAt', { number: 'min(m.document_no)', occurredAt: 'min(m.occurred_at)' }, 'm.source_id');
    const rows = await tx.$queryRaw<AdjustmentSqlRow[]>`${from} ORDER BY ${order} ${window(query)}`;
    const total = await countOf(tx, from);
    const warehouses = await warehouseRefs(tx, rows.map((r) => r.warehouse_id));
    const users = await userRefs(tx, rows.map((r) => r.created_by_id));
    return {
      items: rows.map((r) => ({
        id: r.id, number: r.number ?? '', kind: r.kind === 'opening' ? 'opening' : 'adjustment', warehouse: warehouses.get(r.warehouse_id)!,
        reason: r.reason, totalAmount: money(r.total), occurredAt: isoShanghai(r.occurred_at),
        createdBy: r.created_by_id ? users.get(r.created_by_id) ?? null : null, lineCount: r.line_count,
      })),
      total, page: query.page, pageSize: query.pageSize,
    };
  });
}
