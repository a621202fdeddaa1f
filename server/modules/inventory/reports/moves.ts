// 库存流水账 (stock ledger report): the moves, newest or oldest first, filtered by item,
// warehouse, kind, batch and date. For one item it also gives the running balance per warehouse
// after each move (over all of the item's moves, whatever the filters) and a period summary:
// opening, received, issued, closing per warehouse.
import { Decimal } from 'decimal.js';
import { Prisma } from '../../../generated/prisma/client.ts';
import { STOCK_MOVE_KIND_LABELS, type StockMoveKind, type StockMoveListQuery, type StockMovePage } from '../../../../shared/schemas/stock.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { containsPattern, cost, dayRange, money, qty } from '../stock/checks.ts';
import { countOf, itemKeywordSql, itemRefOf, REF_COLUMNS, userRefs, warehouseRefOf, warehouseRefs, window, type RefColumns } from '../stock/queries.ts';

interface MoveSqlRow extends RefColumns {
  id: bigint; occurred_at: Date; kind: StockMoveKind; batch_no: string; quality_status: 'pending' | 'passed' | 'rejected';
  quantity: string; unit_cost: string; amount: string; balance: string | null; source_type: string; source_id: string;
  document_no: string | null; remark: string | null; created_by_id: string | null;
}

const TRUE = Prisma.sql`TRUE`;

export async function listStockMoves(ctx: UseCaseContext, query: StockMoveListQuery): Promise<StockMovePage> {
  return runUseCase(ctx, async (tx) => {
    const range = dayRange(query.dateFrom, query.dateTo);
    const scope = Prisma.sql`${query.itemId ? Prisma.sql`m.item_id = ${query.itemId}::uuid` : TRUE}
      AND ${query.warehouseId ? Prisma.sql`m.warehouse_id = ${query.warehouseId}::uuid` : TRUE}`;
    // The running balance is a window over every move of the item in the warehouse, so it is right whatever is shown.
    const balance = query.itemId
      ? Prisma.sql`sum(m.quantity) OVER (PARTITION BY m.warehouse_id ORDER BY m.occurred_at, m.id)::text`
      : Prisma.sql`NULL::text`;
    const from = Prisma.sql`
      SELECT ${REF_COLUMNS}, m.id, m.occurred_at, m.kind, m.batch_no, m.quality_status, m.quantity, m.unit_cost, m.amount, m.balance,
             m.source_type, m.source_id, m.document_no, m.remark, m.created_by_id
        FROM (SELECT m.id, m.occurred_at, m.kind::text AS kind, m.item_id, m.warehouse_id, m.batch_no, m.quality_status::text AS quality_status,
                     m.quantity::text AS quantity, m.unit_cost::text AS unit_cost, m.amount::text AS amount, ${balance} AS balance,
                     m.source_type, m.source_id, m.document_no, m.remark, m.created_by_id::text AS created_by_id
                FROM stock_move m WHERE ${scope}) m
        JOIN item i ON i.id = m.item_id JOIN unit u ON u.id = i.base_unit_id JOIN warehouse w ON w.id = m.warehouse_id
       WHERE ${query.kind ? Prisma.sql`m.kind = ANY(${query.kind}::text[])` : TRUE}
         AND ${query.batchNo !== undefined ? Prisma.sql`m.batch_no = ${query.batchNo}` : TRUE}
         AND ${range.gte ? Prisma.sql`m.occurred_at >= ${range.gte}` : TRUE}
         AND ${range.lt ? Prisma.sql`m.occurred_at < ${range.lt}` : TRUE}
         AND ${query.q ? Prisma.sql`(m.document_no ILIKE ${containsPattern(query.q)} OR ${itemKeywordSql(query.q)})` : TRUE}`;
    const desc = (query.sort ?? (query.itemId ? 'occurredAt' : '-occurredAt')).startsWith('-');
    const order = Prisma.raw(desc ? 'm.occurred_at DESC, m.id DESC' : 'm.occurred_at ASC, m.id ASC');
    const rows = await tx.$queryRaw<MoveSqlRow[]>`${from} ORDER BY ${order} ${window(query)}`;
    const total = await countOf(tx, from);
    const users = await userRefs(tx, rows.map((r) => r.created_by_id));

    let summary: StockMovePage['summary'] = null;
    if (query.itemId) {
      const sums = await tx.$queryRaw<{ warehouse_id: string; opening: string; received: string; issued: string }[]>`
        SELECT m.warehouse_id::text,
               coalesce(sum(m.quantity) FILTER (WHERE ${range.gte ? Prisma.sql`m.occurred_at < ${range.gte}` : Prisma.sql`FALSE`}), 0)::text AS opening,
               coalesce(sum(m.quantity) FILTER (WHERE m.quantity > 0 AND ${range.gte ? Prisma.sql`m.occurred_at >= ${range.gte}` : TRUE}), 0)::text AS received,
               coalesce(-sum(m.quantity) FILTER (WHERE m.quantity < 0 AND ${range.gte ? Prisma.sql`m.occurred_at >= ${range.gte}` : TRUE}), 0)::text AS issued
          FROM stock_move m
         WHERE ${scope} AND ${range.lt ? Prisma.sql`m.occurred_at < ${range.lt}` : TRUE}
         GROUP BY m.warehouse_id`;
      const warehouses = await warehouseRefs(tx, sums.map((s) => s.warehouse_id));
      summary = sums
        .map((s) => ({
          warehouse: warehouses.get(s.warehouse_id)!, opening: qty(s.opening), received: qty(s.received), issued: qty(s.issued),
          closing: qty(new Decimal(s.opening).plus(s.received).minus(s.issued)),
        }))
        .sort((a, b) => a.warehouse.code.localeCompare(b.warehouse.code));
    }
    return {
      items: rows.map((r) => ({
        id: r.id.toString(), occurredAt: isoShanghai(r.occurred_at), kind: r.kind, kindLabel: STOCK_MOVE_KIND_LABELS[r.kind],
        item: itemRefOf(r), warehouse: warehouseRefOf(r)!, batchNo: r.batch_no, qualityStatus: r.quality_status,
        quantity: qty(r.quantity), unitCost: cost(r.unit_cost), amount: money(r.amount), balance: r.balance === null ? null : qty(r.balance),
        sourceType: r.source_type, sourceId: r.source_id, documentNo: r.document_no, remark: r.remark,
        createdBy: r.created_by_id ? users.get(r.created_by_id) ?? null : null,
      })),
      total, page: query.page, pageSize: query.pageSize, summary,
    };
  });
}
