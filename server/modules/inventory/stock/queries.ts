// 库存查询: levels (item × warehouse), balances (× batch × quality status), one item's position,
// item search for the bot, and what holds reserved stock. Read-only, set-based SQL; row-level
// security keeps every query inside the actor's company.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type {
  StockBalanceListQuery, StockBalanceRow, StockItemRef, StockLevelListQuery, StockLevelRow, StockPosition,
  StockReservationListQuery, StockReservationRow, WarehouseRef,
} from '../../../../shared/schemas/stock.ts';
import type { Actor } from '../../../platform/actor.ts';
import { invalid, notFound } from '../../../platform/errors.ts';
import type { Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { categoryWithDescendants } from '../categories/service.ts';
import { containsPattern, cost, keywordTerms, money, qty } from './checks.ts';

// ---------------------------------------------------------------- shared pieces

/** Columns every row naming an item and a warehouse selects (aliases i, u, w). */
export const REF_COLUMNS = Prisma.sql`i.id::text AS item_id, i.code AS item_code, i.name AS item_name, i.spec AS item_spec, u.name AS unit_name,
  w.id::text AS wh_id, w.code AS wh_code, w.name AS wh_name`;
export interface RefColumns {
  item_id: string; item_code: string; item_name: string; item_spec: string | null; unit_name: string;
  wh_id: string | null; wh_code: string | null; wh_name: string | null;
}
export const itemRefOf = (r: RefColumns): StockItemRef => ({ id: r.item_id, code: r.item_code, name: r.item_name, spec: r.item_spec, unit: r.unit_name });
export const warehouseRefOf = (r: RefColumns): WarehouseRef | null => (r.wh_id ? { id: r.wh_id, code: r.wh_code!, name: r.wh_name! } : null);

/** Open purchase quantity (confirmed orders, not yet received net of returns) per item × warehouse. */
export const OPEN_PURCHASE = Prisma.sql`
  SELECT pl.item_id, pl.warehouse_id, sum(pl.base_quantity - pl.received_quantity + pl.returned_quantity) AS on_order
    FROM purchase_order_line pl JOIN purchase_order po ON po.id = pl.order_id
   WHERE po.state = 'confirmed' AND pl.base_quantity - pl.received_quantity + pl.returned_quantity > 0
   GROUP BY pl.item_id, pl.warehouse_id`;

/** Items as lines and messages show them, by id. */
export async function itemRefs(tx: Tx, ids: string[]): Promise<Map<string, StockItemRef & { batchTracked: boolean; standardCost: string }>> {
  const rows = await tx.item.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, code: true, name: true, spec: true, batchTracked: true, standardCost: true, baseUnit: { select: { name: true } } },
  });
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, spec: r.spec, unit: r.baseUnit.name, batchTracked: r.batchTracked, standardCost: r.standardCost.toString() }]));
}

export async function warehouseRefs(tx: Tx, ids: string[]): Promise<Map<string, WarehouseRef>> {
  const rows = await tx.warehouse.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, code: true, name: true } });
  return new Map(rows.map((r) => [r.id, r]));
}

export async function userRefs(tx: Tx, ids: (string | null)[]): Promise<Map<string, { id: string; name: string }>> {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (!wanted.length) return new Map();
  const rows = await tx.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r]));
}

/** A warehouse the request names must exist in the company and be in use. */
export async function assertWarehouse(tx: Tx, id: string, field: string): Promise<WarehouseRef> {
  const w = await tx.warehouse.findUnique({ where: { id }, select: { id: true, code: true, name: true, active: true } });
  if (!w) throw invalid(field, '仓库不存在');
  if (!w.active) throw invalid(field, `仓库 ${w.code} 已停用`);
  return { id: w.id, code: w.code, name: w.name };
}

/** SQL condition: every keyword term appears in the item's code, name or spec. */
export function itemKeywordSql(q: string | undefined): Prisma.Sql {
  const terms = q ? keywordTerms(q) : [];
  if (!terms.length) return Prisma.sql`TRUE`;
  return Prisma.join(
    terms.map((t) => {
      const p = containsPattern(t);
      return Prisma.sql`(i.code ILIKE ${p} OR i.name ILIKE ${p} OR coalesce(i.spec, '') ILIKE ${p})`;
    }),
    ' AND ',
  );
}

export async function categorySql(tx: Tx, categoryId: string | undefined): Promise<Prisma.Sql> {
  if (!categoryId) return Prisma.sql`TRUE`;
  const ids = await categoryWithDescendants(tx, categoryId);
  return Prisma.sql`i.category_id = ANY(${ids}::uuid[])`;
}

/** ORDER BY from "field" / "-field" over a whitelist of SQL expressions. */
export function orderSql(sort: string | undefined, fallback: string, columns: Record<string, string>, tail: string): Prisma.Sql {
  const s = sort ?? fallback;
  const desc = s.startsWith('-');
  const expr = columns[desc ? s.slice(1) : s] ?? columns[fallback]!;
  return Prisma.raw(`${expr} ${desc ? 'DESC' : 'ASC'} NULLS LAST, ${tail}`);
}

/** total rows of a query (for paging) */
export async function countOf(tx: Tx, from: Prisma.Sql): Promise<number> {
  const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (${from}) x`;
  return row?.n ?? 0;
}

export const window = (p: { page: number; pageSize: number }) => Prisma.sql`LIMIT ${p.pageSize} OFFSET ${(p.page - 1) * p.pageSize}`;

// ---------------------------------------------------------------- 库存水位

interface LevelSqlRow extends RefColumns { on_hand: string; reserved: string; on_order: string; safety_stock: string; below: boolean }

export async function listStockLevels(ctx: UseCaseContext, query: StockLevelListQuery): Promise<Page<StockLevelRow>> {
  return runUseCase(ctx, async (tx) => {
    // Items below safety stock that have no stock and nothing on order anywhere still show, without a warehouse.
    const bare = query.belowSafety && !query.warehouseId
      ? Prisma.sql`UNION ALL SELECT i.id, NULL::uuid, 0, 0, 0 FROM item i
          WHERE i.safety_stock > 0 AND i.active AND NOT EXISTS (SELECT 1 FROM stock_level l WHERE l.item_id = i.id)
            AND NOT EXISTS (SELECT 1 FROM po WHERE po.item_id = i.id)`
      : Prisma.empty;
    const from = Prisma.sql`
      WITH po AS (${OPEN_PURCHASE}),
      pairs AS (
        SELECT coalesce(l.item_id, po.item_id) AS item_id, coalesce(l.warehouse_id, po.warehouse_id) AS warehouse_id,
               coalesce(l.on_hand, 0) AS on_hand, coalesce(l.reserved, 0) AS reserved, coalesce(po.on_order, 0) AS on_order
          FROM stock_level l FULL JOIN po ON po.item_id = l.item_id AND po.warehouse_id = l.warehouse_id
        ${bare}),
      avail AS (SELECT item_id, sum(on_hand - reserved) AS total FROM stock_level GROUP BY item_id)
      SELECT ${REF_COLUMNS}, p.on_hand::text, p.reserved::text, p.on_order::text, i.safety_stock::text,
             (i.safety_stock > 0 AND coalesce(a.total, 0) < i.safety_stock) AS below
        FROM pairs p JOIN item i ON i.id = p.item_id JOIN unit u ON u.id = i.base_unit_id
        LEFT JOIN warehouse w ON w.id = p.warehouse_id LEFT JOIN avail a ON a.item_id = p.item_id
       WHERE ${itemKeywordSql(query.q)} AND ${await categorySql(tx, query.categoryId)}
         AND ${query.itemId ? Prisma.sql`p.item_id = ${query.itemId}::uuid` : Prisma.sql`TRUE`}
         AND ${query.warehouseId ? Prisma.sql`p.warehouse_id = ${query.warehouseId}::uuid` : Prisma.sql`TRUE`}
         AND ${query.belowSafety === undefined ? Prisma.sql`TRUE` : Prisma.sql`(i.safety_stock > 0 AND coalesce(a.total, 0) < i.safety_stock) = ${query.belowSafety}`}
         AND ${query.includeZero ? Prisma.sql`TRUE` : Prisma.sql`(p.on_hand <> 0 OR p.reserved <> 0 OR p.on_order <> 0 OR p.warehouse_id IS NULL)`}`;
    const order = orderSql(query.sort, 'itemCode', {
      itemCode: 'i.code', itemName: 'i.name', warehouseCode: 'w.code', onHand: 'p.on_hand', reserved: 'p.reserved',
      available: 'p.on_hand - p.reserved', onOrder: 'p.on_order',
    }, 'i.code, w.code NULLS FIRST');
    const rows = await tx.$queryRaw<LevelSqlRow[]>`${from} ORDER BY ${order} ${window(query)}`;
    const n = await countOf(tx, from);
    return {
      items: rows.map((r) => ({
        item: itemRefOf(r), warehouse: warehouseRefOf(r), onHand: qty(r.on_hand), reserved: qty(r.reserved),
        available: qty(new Decimal(r.on_hand).minus(r.reserved)), onOrder: qty(r.on_order), safetyStock: qty(r.safety_stock), belowSafety: r.below,
      })),
      total: n, page: query.page, pageSize: query.pageSize,
    };
  });
}

// ---------------------------------------------------------------- 库存余额

interface BalanceSqlRow extends RefColumns { batch_no: string; quality_status: StockBalanceRow['qualityStatus']; on_hand: string; last_moved_at: Date | null }

export async function listStockBalances(ctx: UseCaseContext, query: StockBalanceListQuery): Promise<Page<StockBalanceRow>> {
  return runUseCase(ctx, async (tx) => {
    const from = Prisma.sql`
      SELECT ${REF_COLUMNS}, b.batch_no, b.quality_status::text AS quality_status, b.on_hand::text, b.last_moved_at
        FROM stock_balance b JOIN item i ON i.id = b.item_id JOIN unit u ON u.id = i.base_unit_id JOIN warehouse w ON w.id = b.warehouse_id
       WHERE ${itemKeywordSql(query.q)} AND ${await categorySql(tx, query.categoryId)}
         AND ${query.itemId ? Prisma.sql`b.item_id = ${query.itemId}::uuid` : Prisma.sql`TRUE`}
         AND ${query.warehouseId ? Prisma.sql`b.warehouse_id = ${query.warehouseId}::uuid` : Prisma.sql`TRUE`}
         AND ${query.batchNo !== undefined ? Prisma.sql`b.batch_no = ${query.batchNo}` : Prisma.sql`TRUE`}
         AND ${query.qualityStatus ? Prisma.sql`b.quality_status = ${query.qualityStatus}::quality_status` : Prisma.sql`TRUE`}
         AND ${query.includeZero ? Prisma.sql`TRUE` : Prisma.sql`b.on_hand <> 0`}`;
    const order = orderSql(query.sort, 'itemCode', {
      itemCode: 'i.code', warehouseCode: 'w.code', batchNo: 'b.batch_no', onHand: 'b.on_hand', lastMovedAt: 'b.last_moved_at',
    }, 'i.code, w.code, b.batch_no, b.quality_status');
    const rows = await tx.$queryRaw<BalanceSqlRow[]>`${from} ORDER BY ${order} ${window(query)}`;
    const n = await countOf(tx, from);
    return {
      items: rows.map((r) => ({
        item: itemRefOf(r), warehouse: warehouseRefOf(r)!, batchNo: r.batch_no, qualityStatus: r.quality_status,
        onHand: qty(r.on_hand), lastMovedAt: r.last_moved_at ? isoShanghai(r.last_moved_at) : null,
      })),
      total: n, page: query.page, pageSize: query.pageSize,
    };
  });
}

// ---------------------------------------------------------------- 单个物料的库存

/** One item's stock per warehouse and in total: what the bot answers to 「库存 M8螺栓」. */
export async function stockPositionOf(ctx: UseCaseContext, itemId: string): Promise<StockPosition> {
  return runUseCase(ctx, async (tx) => {
    const item = await tx.item.findUnique({
      where: { id: itemId },
      select: { id: true, code: true, name: true, spec: true, batchTracked: true, safetyStock: true, baseUnit: { select: { name: true } } },
    });
    if (!item) throw notFound('物料');
    const stock = await tx.itemStock.findUnique({ where: { companyId_itemId: { companyId: ctx.actor.companyId, itemId } } });
    const balances = await tx.stockBalance.findMany({ where: { itemId }, select: { warehouseId: true, batchNo: true, qualityStatus: true, onHand: true } });
    const levels = await tx.stockLevel.findMany({ where: { itemId }, select: { warehouseId: true, onHand: true, reserved: true } });
    const orders = await tx.$queryRaw<{ warehouse_id: string; on_order: string }[]>`
      SELECT warehouse_id::text, on_order::text FROM (${OPEN_PURCHASE}) po WHERE po.item_id = ${itemId}::uuid`;
    const warehouses = await warehouseRefs(tx, [...balances.map((b) => b.warehouseId), ...levels.map((l) => l.warehouseId), ...orders.map((o) => o.warehouse_id)]);
    const averageCost = new Decimal(stock?.averageCost.toString() ?? 0);
    const zero = () => ({ onHand: new Decimal(0), reserved: new Decimal(0), pending: new Decimal(0), rejected: new Decimal(0), onOrder: new Decimal(0) });
    const per = new Map<string, ReturnType<typeof zero>>([...warehouses.keys()].map((id) => [id, zero()]));
    for (const l of levels) Object.assign(per.get(l.warehouseId)!, { onHand: new Decimal(l.onHand.toString()), reserved: new Decimal(l.reserved.toString()) });
    for (const b of balances) {
      const f = per.get(b.warehouseId)!;
      if (b.qualityStatus === 'pending') f.pending = f.pending.plus(b.onHand.toString());
      if (b.qualityStatus === 'rejected') f.rejected = f.rejected.plus(b.onHand.toString());
    }
    for (const o of orders) per.get(o.warehouse_id)!.onOrder = new Decimal(o.on_order);
    const figures = (f: ReturnType<typeof zero>) => ({
      onHand: qty(f.onHand), reserved: qty(f.reserved), available: qty(f.onHand.minus(f.reserved)),
      pending: qty(f.pending), rejected: qty(f.rejected), onOrder: qty(f.onOrder),
    });
    const total = zero();
    for (const f of per.values()) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] = total[k].plus(f[k]);
    // The item's value shared out over its warehouses by quantity, the last taking the remainder, so they add up to it.
    let valueLeft = new Decimal(stock?.value.toString() ?? 0);
    let qtyLeft = [...per.values()].reduce((a, f) => a.plus(f.onHand).plus(f.pending).plus(f.rejected), new Decimal(0));
    const rows = [...per.entries()]
      .filter(([, f]) => !(f.onHand.isZero() && f.reserved.isZero() && f.pending.isZero() && f.rejected.isZero() && f.onOrder.isZero()))
      .sort(([a], [b]) => warehouses.get(a)!.code.localeCompare(warehouses.get(b)!.code))
      .map(([id, f]) => {
        const q = f.onHand.plus(f.pending).plus(f.rejected);
        const v = q.gte(qtyLeft) ? valueLeft : q.isZero() ? new Decimal(0) : valueLeft.mul(q).div(qtyLeft).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
        valueLeft = valueLeft.minus(v);
        qtyLeft = qtyLeft.minus(q);
        return { warehouse: warehouses.get(id)!, ...figures(f), value: money(v) };
      });
    const safety = new Decimal(item.safetyStock.toString());
    return {
      item: { id: item.id, code: item.code, name: item.name, spec: item.spec, unit: item.baseUnit.name, batchTracked: item.batchTracked },
      safetyStock: qty(safety),
      belowSafety: safety.gt(0) && total.onHand.minus(total.reserved).lt(safety),
      averageCost: cost(averageCost),
      value: money(stock?.value.toString() ?? 0),
      total: figures(total),
      warehouses: rows,
      batches: balances
        .filter((b) => !new Decimal(b.onHand.toString()).isZero())
        .map((b) => ({ warehouse: warehouses.get(b.warehouseId)!, batchNo: b.batchNo, qualityStatus: b.qualityStatus, onHand: qty(b.onHand.toString()) }))
        .sort((a, b) => a.warehouse.code.localeCompare(b.warehouse.code) || a.batchNo.localeCompare(b.batchNo) || a.qualityStatus.localeCompare(b.qualityStatus)),
    };
  });
}

/** Up to 10 active items whose code, name or spec contain the keyword (every term of it); exact matches first. */
export async function findItemsByKeyword(ctx: UseCaseContext, keyword: string): Promise<StockItemRef[]> {
  const k = keyword.trim();
  if (!k) return [];
  return runUseCase(ctx, async (tx) => {
    const rows = await tx.$queryRaw<RefColumns[]>`
      SELECT i.id::text AS item_id, i.code AS item_code, i.name AS item_name, i.spec AS item_spec, u.name AS unit_name
        FROM item i JOIN unit u ON u.id = i.base_unit_id
       WHERE i.active AND ${itemKeywordSql(k)}
       ORDER BY (lower(i.code) = lower(${k}) OR lower(i.name) = lower(${k})) DESC, length(i.name), i.code
       LIMIT 10`;
    return rows.map(itemRefOf);
  });
}

// ---------------------------------------------------------------- 预留

interface ReservationSqlRow extends RefColumns {
  id: string; demand_type: StockReservationRow['demandType']; demand_id: string; quantity: string; created_at: Date; updated_at: Date;
  so_id: string | null; so_number: string | null; so_state: string | null; line_no: number | null; customer_id: string | null; customer_name: string | null; visible: boolean;
}

/** SQL condition: the sales order (alias so, owner alias ou) is within the actor's data scope. */
function orderScopeSql(actor: Actor): Prisma.Sql {
  if (actor.dataScope === 'all') return Prisma.sql`TRUE`;
  if (actor.dataScope === 'department') {
    return Prisma.sql`(so.owner_id = ${actor.userId}::uuid OR ou.department_id = ANY(${[...actor.departmentIds]}::uuid[]))`;
  }
  return Prisma.sql`so.owner_id = ${actor.userId}::uuid`;
}

/** What holds reserved stock: each reservation with the demand it serves (the sales order line and its order). */
export async function listReservations(ctx: UseCaseContext, query: StockReservationListQuery): Promise<Page<StockReservationRow>> {
  return runUseCase(ctx, async (tx) => {
    const from = Prisma.sql`
      SELECT r.id::text, ${REF_COLUMNS}, r.demand_type::text AS demand_type, r.demand_id::text, r.quantity::text, r.created_at, r.updated_at,
             so.id::text AS so_id, so.number AS so_number, so.state::text AS so_state, sl.line_no, c.id::text AS customer_id, c.name AS customer_name,
             coalesce(${orderScopeSql(ctx.actor)}, false) AS visible
        FROM reservation r JOIN item i ON i.id = r.item_id JOIN unit u ON u.id = i.base_unit_id JOIN warehouse w ON w.id = r.warehouse_id
        LEFT JOIN sales_order_line sl ON r.demand_type = 'salesOrderLine' AND sl.id = r.demand_id
        LEFT JOIN sales_order so ON so.id = sl.order_id
        LEFT JOIN app_user ou ON ou.id = so.owner_id
        LEFT JOIN customer c ON c.id = so.customer_id
       WHERE r.quantity > 0
         AND ${query.itemId ? Prisma.sql`r.item_id = ${query.itemId}::uuid` : Prisma.sql`TRUE`}
         AND ${query.warehouseId ? Prisma.sql`r.warehouse_id = ${query.warehouseId}::uuid` : Prisma.sql`TRUE`}
         AND ${query.demandType ? Prisma.sql`r.demand_type = ${query.demandType}::demand_type` : Prisma.sql`TRUE`}
         AND ${query.q ? Prisma.sql`(${itemKeywordSql(query.q)} OR so.number ILIKE ${containsPattern(query.q)})` : Prisma.sql`TRUE`}`;
    const order = orderSql(query.sort, 'createdAt', { createdAt: 'r.created_at', quantity: 'r.quantity' }, 'r.id');
    const rows = await tx.$queryRaw<ReservationSqlRow[]>`${from} ORDER BY ${order} ${window(query)}`;
    const n = await countOf(tx, from);
    return {
      items: rows.map((r) => ({
        id: r.id, item: itemRefOf(r), warehouse: warehouseRefOf(r)!, demandType: r.demand_type, demandId: r.demand_id, quantity: qty(r.quantity),
        salesOrder: r.so_id && r.visible
          ? { id: r.so_id, number: r.so_number!, lineNo: r.line_no!, state: r.so_state!, customer: { id: r.customer_id!, name: r.customer_name! } }
          : null,
        createdAt: isoShanghai(r.created_at), updatedAt: isoShanghai(r.updated_at),
      })),
      total: n, page: query.page, pageSize: query.pageSize,
    };
  });
}

// ---------------------------------------------------------------- 可用库存

/**
 * Free stock per item over every warehouse (or in the one given), in the caller's transaction: qualified on hand less what
 * is reserved (stock awaiting inspection or rejected never reaches stock_level, so it is not counted).
 * Of the given items (kitting), or of every item (MRP); items without stock are absent.
 */
export async function freeStockOf(tx: Tx, itemIds?: readonly string[], warehouseId?: string): Promise<Map<string, string>> {
  if (itemIds && !itemIds.length) return new Map();
  const ids = itemIds ? [...new Set(itemIds)] : null;
  // with a warehouse: what can be issued from it (配套领料 takes its materials from one warehouse)
  const wh = warehouseId ?? null;
  const rows = await tx.$queryRaw<{ item_id: string; free: string }[]>`
    SELECT item_id::text, sum(on_hand - reserved)::text AS free FROM stock_level
     WHERE (${ids}::uuid[] IS NULL OR item_id = ANY(${ids}::uuid[])) AND (${wh}::uuid IS NULL OR warehouse_id = ${wh}::uuid)
     GROUP BY item_id ORDER BY item_id`;
  return new Map(rows.map((r) => [r.item_id, r.free]));
}
