// 库存账: the one place stock changes. Every function runs inside the caller's use-case
// transaction, writes the append-only stock moves, and keeps balances, levels and the moving
// average cost in step with set-based statements. The database's CHECK constraints refuse any
// update that would make stock negative or reserve more than is on hand, so races cannot.
import { Decimal } from 'decimal.js';
import type { SqlTx } from '../../../db/sql-session.ts';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { DemandType, QualityStatus, StockMoveKind } from '../../../generated/prisma/enums.ts';
import { QUALITY_STATUS_LABELS } from '../../../../shared/enums.ts';
import { AppError } from '../../../platform/errors.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { suggestedPurchase } from './rules.ts';

export interface StockSource {
  type: string;
  id: string;
  documentNo?: string;
}

/**
 * What comes in is valued either by its document (`amount`, to the fen: a receipt's share of its
 * order line's net amount, what a transfer took out of the other warehouse) or, without one, at a
 * unit cost (`unitCost` × quantity, rounded once to the fen: opening stock, count gains, sales
 * returns at their shipment's cost). A document's value is never turned into a unit cost and back.
 */
export type InboundLine = {
  itemId: string;
  warehouseId: string;
  batchNo?: string;
  qualityStatus?: QualityStatus;
  /** base unit, > 0 */
  quantity: Decimal.Value;
  sourceLineId?: string;
} & ({ amount: Decimal.Value; unitCost?: undefined } | { unitCost: Decimal.Value; amount?: undefined });

export interface OutboundLine {
  itemId: string;
  warehouseId: string;
  batchNo?: string;
  qualityStatus?: QualityStatus;
  /** base unit, > 0 */
  quantity: Decimal.Value;
  sourceLineId?: string;
  /**
   * no batch given for a batch-tracked item: take the quantity from its batches in the warehouse in
   * 炉号 order (batch numbers carry their date: oldest first), one move per batch; the issued line
   * adds them up. Refused like any issue when all batches together hold less.
   */
  anyBatch?: boolean;
  /** the demand whose reservation this issue consumes (up to the quantity issued) */
  consumes?: { demandType: DemandType; demandId: string };
  /**
   * value to take out instead of the stock's pro-rata share (a return to the supplier at its
   * receipt cost), ≥ 0, to the fen. Taken only while the stock holds that much: otherwise the line
   * goes out at the moving average and the difference comes back as `variance`.
   */
  amount?: Decimal.Value;
}

export interface IssuedLine {
  moveId: bigint;
  /** value taken out of stock (≥ 0, to the fen) */
  amount: Decimal;
  /** derived: amount ÷ quantity, 6 decimals */
  unitCost: Decimal;
  /** the asked amount − the value taken out (0 when none was asked) */
  variance: Decimal;
}

export interface MoveContext {
  companyId: string;
  userId?: string;
  kind: StockMoveKind;
  source: StockSource;
  occurredAt?: Date;
  remark?: string;
}

/**
 * Told after the ledger changed items' stock or reservations, in the same transaction: another
 * module's re-check (manufacturing's 足缺料 alert) registers here, so inventory never imports it.
 * `source` is the document the moves are for (none for reservations).
 */
export type StockChangeListener = (tx: Tx, change: { companyId: string; itemIds: string[]; source?: StockSource }) => Promise<void>;
const stockChangeListeners: StockChangeListener[] = [];

export function onStockChange(listener: StockChangeListener): void {
  if (!stockChangeListeners.includes(listener)) stockChangeListeners.push(listener);
}

async function stockChanged(tx: Tx, companyId: string, itemIds: string[], source?: StockSource): Promise<void> {
  for (const listener of stockChangeListeners) await listener(tx, { companyId, itemIds: [...new Set(itemIds)], source });
}

const q4 = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
const money = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/**
 * The lock order of all stock changes: an item's `item_stock` row first (in item id order), then its
 * levels and balances. Every ledger function takes these locks before touching anything, so two
 * documents with the same items in different line order wait for each other instead of
 * deadlocking. A use case that calls the ledger more than once (a transfer issues, then receives)
 * calls this first with every item it will touch.
 */
export async function lockItemStock(tx: Tx, companyId: string, itemIds: string[]): Promise<void> {
  const ids = [...new Set(itemIds)].sort();
  if (!ids.length) return;
  await tx.$executeRaw`
    INSERT INTO item_stock (id, company_id, item_id, updated_at)
    SELECT gen_random_uuid(), ${companyId}::uuid, i, now() FROM unnest(${ids}::uuid[]) AS i
    ON CONFLICT (company_id, item_id) DO NOTHING`;
  await tx.$queryRaw`SELECT 1 FROM item_stock WHERE company_id = ${companyId}::uuid AND item_id = ANY(${ids}::uuid[]) ORDER BY item_id FOR UPDATE`;
}

/** Stock comes in: balances, 合格 levels, moving average cost, moves. Returns the move ids. */
export async function receiveStock(tx: Tx, mc: MoveContext, lines: InboundLine[]): Promise<bigint[]> {
  if (!lines.length) return [];
  await lockItemStock(tx, mc.companyId, lines.map((l) => l.itemId));
  const ids: bigint[] = [];
  for (const l of lines) {
    const qty = q4(l.quantity);
    if (qty.lte(0)) throw new AppError('VALIDATION_FAILED', '入库数量必须大于 0', [{ field: 'quantity', message: '必须大于 0' }]);
    const amount = money(l.amount !== undefined ? l.amount : qty.mul(l.unitCost));
    if (amount.lt(0)) throw new AppError('VALIDATION_FAILED', '入库金额不能为负数', [{ field: 'unitCost', message: '不能为负数' }]);
    const status = l.qualityStatus ?? 'passed';
    const batch = l.batchNo ?? '';
    await tx.$executeRaw`
      INSERT INTO stock_balance (id, company_id, item_id, warehouse_id, batch_no, quality_status, on_hand, last_moved_at)
      VALUES (gen_random_uuid(), ${mc.companyId}::uuid, ${l.itemId}::uuid, ${l.warehouseId}::uuid, ${batch}, ${status}::quality_status, ${qty.toString()}::numeric, now())
      ON CONFLICT (company_id, item_id, warehouse_id, batch_no, quality_status)
      DO UPDATE SET on_hand = stock_balance.on_hand + EXCLUDED.on_hand, last_moved_at = now()`;
    if (status === 'passed') {
      await tx.$executeRaw`
        INSERT INTO stock_level (id, company_id, item_id, warehouse_id, on_hand, updated_at)
        VALUES (gen_random_uuid(), ${mc.companyId}::uuid, ${l.itemId}::uuid, ${l.warehouseId}::uuid, ${qty.toString()}::numeric, now())
        ON CONFLICT (company_id, item_id, warehouse_id) DO UPDATE SET on_hand = stock_level.on_hand + EXCLUDED.on_hand, updated_at = now()`;
    }
    // A document's value gives the unit cost; a unit cost given as such stays as it was given.
    const unitCost = l.amount !== undefined ? amount.div(qty).toDecimalPlaces(6, Decimal.ROUND_HALF_UP) : new Decimal(l.unitCost).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
    // 移动加权平均: the new average is (old value + this value) / (old quantity + this quantity).
    await tx.$executeRaw`
      INSERT INTO item_stock (id, company_id, item_id, quantity, value, average_cost, last_moved_at, updated_at)
      VALUES (gen_random_uuid(), ${mc.companyId}::uuid, ${l.itemId}::uuid, ${qty.toString()}::numeric, ${amount.toString()}::numeric, ${unitCost.toString()}::numeric, now(), now())
      ON CONFLICT (company_id, item_id) DO UPDATE SET
        quantity = item_stock.quantity + EXCLUDED.quantity,
        value = item_stock.value + EXCLUDED.value,
        average_cost = round((item_stock.value + EXCLUDED.value) / (item_stock.quantity + EXCLUDED.quantity), 6),
        last_moved_at = now(), updated_at = now()`;
    ids.push(await insertMove(tx, mc, { ...l, batchNo: batch, qualityStatus: status }, qty, unitCost, amount));
  }
  await settleShortages(tx, mc.companyId, lines.map((l) => l.itemId));
  await stockChanged(tx, mc.companyId, lines.map((l) => l.itemId), mc.source);
  return ids;
}

/**
 * Stock goes out; refuses to go below zero. Its value is the stock's pro-rata share
 * (value × quantity ÷ on hand, to the fen: the moving average without its 6-decimal rounding), or
 * the amount asked for while the stock holds it; the move that empties the item takes all its
 * remaining value. So the item's value is always Σ its moves' amounts, and never negative.
 */
export async function issueStock(tx: Tx, mc: MoveContext, lines: OutboundLine[]): Promise<IssuedLine[]> {
  if (!lines.length) return [];
  await lockItemStock(tx, mc.companyId, lines.map((l) => l.itemId));
  const names = await itemNames(tx, lines.map((l) => l.itemId));
  // After the item lock, so the batches read here are not taken by another issue meanwhile.
  const pieces: { line: number; l: OutboundLine }[] = [];
  for (const [n, l] of lines.entries()) {
    if (!l.anyBatch || l.batchNo) {
      pieces.push({ line: n, l });
      continue;
    }
    const batches = await tx.$queryRaw<{ batch_no: string; on_hand: string }[]>`
      SELECT batch_no, on_hand::text FROM stock_balance
       WHERE company_id = ${mc.companyId}::uuid AND item_id = ${l.itemId}::uuid AND warehouse_id = ${l.warehouseId}::uuid
         AND quality_status = ${l.qualityStatus ?? 'passed'}::quality_status AND on_hand > 0
       ORDER BY batch_no = '' DESC, batch_no`;
    let left = q4(l.quantity);
    // all batches together hold less: the whole line is refused below with the usual message
    if (batches.reduce((a, b) => a.plus(b.on_hand), new Decimal(0)).lt(left)) {
      pieces.push({ line: n, l: { ...l, batchNo: '' } });
      continue;
    }
    for (const b of batches) {
      if (left.lte(0)) break;
      const take = Decimal.min(left, b.on_hand);
      pieces.push({ line: n, l: { ...l, batchNo: b.batch_no, quantity: take, amount: undefined } });
      left = left.minus(take);
    }
  }
  const byPiece: IssuedLine[] = [];
  for (const { l } of pieces) {
    const qty = q4(l.quantity);
    if (qty.lte(0)) throw new AppError('VALIDATION_FAILED', '出库数量必须大于 0', [{ field: 'quantity', message: '必须大于 0' }]);
    const status = l.qualityStatus ?? 'passed';
    const batch = l.batchNo ?? '';
    const name = names.get(l.itemId) ?? l.itemId;
    const balance = await tx.$executeRaw`
      UPDATE stock_balance SET on_hand = on_hand - ${qty.toString()}::numeric, last_moved_at = now()
       WHERE company_id = ${mc.companyId}::uuid AND item_id = ${l.itemId}::uuid AND warehouse_id = ${l.warehouseId}::uuid
         AND batch_no = ${batch} AND quality_status = ${status}::quality_status AND on_hand >= ${qty.toString()}::numeric`;
    if (balance !== 1) throw new AppError('CONFLICT', `库存不足：${name}${batch ? `（批次 ${batch}）` : ''}在该仓库的结存不足 ${qty.toString()}`);
    if (status === 'passed') {
      // Consume up to the quantity issued from the demand's reservation; the rest must be free stock.
      let consumed = new Decimal(0);
      if (l.consumes) {
        const [r] = await tx.$queryRaw<{ taken: string }[]>`
          WITH cur AS (
            SELECT id, LEAST(quantity, ${qty.toString()}::numeric) AS take FROM reservation
             WHERE company_id = ${mc.companyId}::uuid AND demand_type = ${l.consumes.demandType}::demand_type
               AND demand_id = ${l.consumes.demandId}::uuid AND warehouse_id = ${l.warehouseId}::uuid
             FOR UPDATE)
          UPDATE reservation r SET quantity = r.quantity - cur.take, updated_at = now() FROM cur WHERE r.id = cur.id
          RETURNING cur.take::text AS taken`;
        consumed = new Decimal(r?.taken ?? 0);
      }
      const level = await tx.$executeRaw`
        UPDATE stock_level SET on_hand = on_hand - ${qty.toString()}::numeric, reserved = reserved - ${consumed.toString()}::numeric, updated_at = now()
         WHERE company_id = ${mc.companyId}::uuid AND item_id = ${l.itemId}::uuid AND warehouse_id = ${l.warehouseId}::uuid
           AND on_hand - reserved + ${consumed.toString()}::numeric >= ${qty.toString()}::numeric`;
      if (level !== 1) throw new AppError('CONFLICT', `可用库存不足：${name}的部分库存已被其他订单预留`);
    }
    const asked = l.amount === undefined ? null : money(l.amount);
    if (asked?.lt(0)) throw new AppError('VALIDATION_FAILED', '出库金额不能为负数', [{ field: 'amount', message: '不能为负数' }]);
    // The average of what is left is derived from what is left (unchanged, to rounding, at the pro-rata share).
    const [row] = await tx.$queryRaw<{ taken: string }[]>`
      WITH old AS (
        SELECT id, quantity, value FROM item_stock WHERE company_id = ${mc.companyId}::uuid AND item_id = ${l.itemId}::uuid FOR UPDATE),
      take AS (
        SELECT id, CASE WHEN quantity <= ${qty.toString()}::numeric THEN value
                        WHEN ${asked?.toString() ?? null}::numeric <= value THEN ${asked?.toString() ?? null}::numeric
                        ELSE round(value * ${qty.toString()}::numeric / quantity, 2) END AS taken
          FROM old)
      UPDATE item_stock s SET
        quantity = s.quantity - ${qty.toString()}::numeric,
        value = s.value - take.taken,
        average_cost = CASE WHEN s.quantity - ${qty.toString()}::numeric = 0 THEN s.average_cost
                            ELSE round((s.value - take.taken) / (s.quantity - ${qty.toString()}::numeric), 6) END,
        last_moved_at = now(), updated_at = now()
        FROM take WHERE s.id = take.id
      RETURNING take.taken::text AS taken`;
    const amount = new Decimal(row?.taken ?? 0);
    const unitCost = amount.div(qty).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
    const moveId = await insertMove(tx, mc, { ...l, batchNo: batch, qualityStatus: status }, qty.neg(), unitCost, amount.neg());
    byPiece.push({ moveId, amount, unitCost, variance: asked ? asked.minus(amount) : new Decimal(0) });
  }
  // One issued line per line asked for: a line taken from several batches adds its pieces up.
  const out: IssuedLine[] = lines.map((l, n) => {
    const mine = byPiece.filter((_, k) => pieces[k]!.line === n);
    if (mine.length === 1) return mine[0]!;
    const amount = mine.reduce((a, p) => a.plus(p.amount), new Decimal(0));
    return { moveId: mine[0]!.moveId, amount, unitCost: amount.div(q4(l.quantity)).toDecimalPlaces(6, Decimal.ROUND_HALF_UP), variance: new Decimal(0) };
  });
  await raiseShortages(tx, mc.companyId, lines.map((l) => l.itemId));
  await stockChanged(tx, mc.companyId, lines.map((l) => l.itemId), mc.source);
  return out;
}

export interface QualityChangeLine {
  itemId: string;
  warehouseId: string;
  batchNo?: string;
  from: QualityStatus;
  to: QualityStatus;
  /** where the stock goes (a 不良品仓 for what failed); default: stays where it is */
  toWarehouseId?: string;
  /** base unit, > 0 */
  quantity: Decimal.Value;
  sourceLineId?: string;
}

/**
 * 质检状态变更: stock changes its quality status (待检 → 合格 / 不合格), possibly moving to another
 * warehouse on the way. Written as two moves of the same value (out of the old balance, into the
 * new one), so the item's quantity and value do not change; 合格 levels follow. The value is the
 * stock's pro-rata share, as an issue would take it. Refuses (409) when the old balance holds less.
 */
export async function changeQualityStatus(tx: Tx, mc: MoveContext, lines: QualityChangeLine[]): Promise<void> {
  if (!lines.length) return;
  await lockItemStock(tx, mc.companyId, lines.map((l) => l.itemId));
  const names = await itemNames(tx, lines.map((l) => l.itemId));
  for (const l of lines) {
    const qty = q4(l.quantity);
    if (qty.lte(0)) throw new AppError('VALIDATION_FAILED', '数量必须大于 0', [{ field: 'quantity', message: '必须大于 0' }]);
    const batch = l.batchNo ?? '';
    const to = l.toWarehouseId ?? l.warehouseId;
    const name = names.get(l.itemId) ?? l.itemId;
    const balance = await tx.$executeRaw`
      UPDATE stock_balance SET on_hand = on_hand - ${qty.toString()}::numeric, last_moved_at = now()
       WHERE company_id = ${mc.companyId}::uuid AND item_id = ${l.itemId}::uuid AND warehouse_id = ${l.warehouseId}::uuid
         AND batch_no = ${batch} AND quality_status = ${l.from}::quality_status AND on_hand >= ${qty.toString()}::numeric`;
    if (balance !== 1) throw new AppError('CONFLICT', `库存不足：${name}${batch ? `（批次 ${batch}）` : ''}在该仓库的${QUALITY_STATUS_LABELS[l.from]}结存不足 ${qty.toString()}`);
    if (l.from === 'passed') {
      const level = await tx.$executeRaw`
        UPDATE stock_level SET on_hand = on_hand - ${qty.toString()}::numeric, updated_at = now()
         WHERE company_id = ${mc.companyId}::uuid AND item_id = ${l.itemId}::uuid AND warehouse_id = ${l.warehouseId}::uuid
           AND on_hand - reserved >= ${qty.toString()}::numeric`;
      if (level !== 1) throw new AppError('CONFLICT', `可用库存不足：${name}的部分库存已被其他订单预留`);
    }
    await tx.$executeRaw`
      INSERT INTO stock_balance (id, company_id, item_id, warehouse_id, batch_no, quality_status, on_hand, last_moved_at)
      VALUES (gen_random_uuid(), ${mc.companyId}::uuid, ${l.itemId}::uuid, ${to}::uuid, ${batch}, ${l.to}::quality_status, ${qty.toString()}::numeric, now())
      ON CONFLICT (company_id, item_id, warehouse_id, batch_no, quality_status)
      DO UPDATE SET on_hand = stock_balance.on_hand + EXCLUDED.on_hand, last_moved_at = now()`;
    if (l.to === 'passed') {
      await tx.$executeRaw`
        INSERT INTO stock_level (id, company_id, item_id, warehouse_id, on_hand, updated_at)
        VALUES (gen_random_uuid(), ${mc.companyId}::uuid, ${l.itemId}::uuid, ${to}::uuid, ${qty.toString()}::numeric, now())
        ON CONFLICT (company_id, item_id, warehouse_id) DO UPDATE SET on_hand = stock_level.on_hand + EXCLUDED.on_hand, updated_at = now()`;
    }
    // The share of the item's value this quantity carries (all of it when it is all the stock); the
    // item's quantity, value and average stay as they are.
    const [row] = await tx.$queryRaw<{ share: string }[]>`
      SELECT (CASE WHEN quantity <= ${qty.toString()}::numeric THEN value ELSE round(value * ${qty.toString()}::numeric / quantity, 2) END)::text AS share
        FROM item_stock WHERE company_id = ${mc.companyId}::uuid AND item_id = ${l.itemId}::uuid`;
    const amount = new Decimal(row?.share ?? 0);
    const unitCost = amount.div(qty).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
    await insertMove(tx, mc, { itemId: l.itemId, warehouseId: l.warehouseId, batchNo: batch, qualityStatus: l.from, sourceLineId: l.sourceLineId }, qty.neg(), unitCost, amount.neg());
    await insertMove(tx, mc, { itemId: l.itemId, warehouseId: to, batchNo: batch, qualityStatus: l.to, sourceLineId: l.sourceLineId }, qty, unitCost, amount);
  }
  // 合格 stock came or went: an item may have recovered from (or fallen into) a shortage.
  await settleShortages(tx, mc.companyId, lines.map((l) => l.itemId));
}

export interface Demand {
  itemId: string;
  warehouseId: string;
  demandId: string;
  /** base unit, > 0 */
  wanted: Decimal.Value;
}

/**
 * 预留: each demand reserves min(wanted, available) in its warehouse, in the order given. One
 * statement (reservationSql): lock the items' `item_stock` rows (in id order, so concurrent callers
 * never deadlock), take from each level what its demands want with one conditional update, then
 * hand it out to the demands in order. Returns the quantity reserved per demand id.
 */
export async function reserveStock(tx: Tx, companyId: string, demandType: DemandType, demands: Demand[]): Promise<Map<string, Decimal>> {
  if (!demands.length) return new Map();
  const [row] = await tx.$queryRaw<{ taken: { demand_id: string; take: string }[]; watched: string[] }[]>`
    WITH ${reservationSql(companyId, demandType, demandsSql(demands), { as: 'reserved' })}
    SELECT (SELECT coalesce(json_agg(json_build_object('demand_id', r.demand_id, 'take', r.take::text)), '[]'::json) FROM reserved r WHERE r.take > 0) AS taken,
           ARRAY(SELECT i.id::text FROM item i WHERE i.id = ANY(${[...new Set(demands.map((d) => d.itemId))]}::uuid[]) AND i.safety_stock > 0) AS watched`;
  if (row!.watched.length) await raiseShortages(tx, companyId, row!.watched);
  if (row!.taken.length) await stockChanged(tx, companyId, demands.map((d) => d.itemId));
  const result = new Map<string, Decimal>(demands.map((d) => [d.demandId, new Decimal(0)]));
  for (const r of row!.taken) result.set(r.demand_id, new Decimal(r.take));
  return result;
}

/** Demands given by the caller, as the rows reservationSql reserves for (ord = position, 1-based). */
function demandsSql(demands: Demand[]): Prisma.Sql {
  return Prisma.sql`
    SELECT * FROM unnest(${demands.map((d) => d.itemId)}::uuid[], ${demands.map((d) => d.warehouseId)}::uuid[],
                         ${demands.map((d) => d.demandId)}::uuid[], ${demands.map((d) => q4(d.wanted).toString())}::numeric[])
             WITH ORDINALITY AS t(item_id, warehouse_id, demand_id, wanted, ord)`;
}

const CTE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The reservation as CTEs for a caller's WITH, so that a use case can make it the last statement
 * before COMMIT together with what it writes about it (an order's timeline, events and audit): the
 * stock locks it takes, which every other order for the same items waits for, are then held only
 * for the rest of that statement and the commit.
 *
 * In: `demands`, a query with the columns item_id, warehouse_id, demand_id, wanted (> 0, base unit,
 * 4 decimals) and ord (allocation order, unique); it may read the caller's own CTEs (the demand
 * lines themselves), so nothing has to travel to Node and back.
 * Out: the CTE named `opts.as`, one row per demand that found a level with stock available: ord,
 * demand_id, item_id, warehouse_id and take (what it got, numeric, possibly 0). A demand without a
 * row got nothing. Its other CTEs are named `<as>_…`; the caller reads only `<as>`.
 * Call raiseShortages afterwards for the demands' items that have a safety stock.
 */
export function reservationSql(companyId: string, demandType: DemandType, demands: Prisma.Sql, opts: { as: string; fresh?: boolean }): Prisma.Sql {
  if (!CTE_NAME.test(opts.as)) throw new Error(`reservationSql: not a CTE name: ${opts.as}`);
  const name = (suffix = '') => Prisma.raw(`${opts.as}${suffix}`);
  const [d, itemLock, levelTake, rows] = [name('_demands'), name('_item_lock'), name('_level_take'), name('_rows')];
  // A demand holding a reservation in the warehouse gets more on it; `fresh` demands (lines being
  // confirmed) hold none, so a plain INSERT does (and a demand that did would fail on the unique key).
  const addToHeld = opts.fresh
    ? Prisma.empty
    : Prisma.sql`ON CONFLICT (company_id, demand_type, demand_id, warehouse_id) DO UPDATE SET quantity = reservation.quantity + EXCLUDED.quantity, updated_at = now()`;
  return Prisma.sql`
    ${d} AS MATERIALIZED (${demands}),
    -- An item without an item_stock row has never had stock: nothing to lock, nothing to reserve.
    -- (= ANY of an array: one index scan, in item id order, however many items.)
    ${itemLock} AS (
      SELECT item_id FROM item_stock WHERE company_id = ${companyId}::uuid AND item_id = ANY(ARRAY(SELECT item_id FROM ${d}))
       ORDER BY item_id FOR UPDATE),
    -- The one-time filter (count of the locks) runs to the end before the first level is read, so
    -- the items are locked first. Each level gives min(what its demands want, available), checked
    -- on the row's current version (a level changed since the snapshot is re-read before updating).
    ${levelTake} AS (
      UPDATE stock_level l SET reserved = l.reserved + LEAST(k.wanted, l.on_hand - l.reserved), updated_at = now()
        FROM (SELECT item_id, warehouse_id, sum(wanted) AS wanted,
                     array_agg(ord ORDER BY ord) AS ords, array_agg(demand_id ORDER BY ord) AS demand_ids, array_agg(wanted ORDER BY ord) AS wants
                FROM ${d} GROUP BY item_id, warehouse_id) k
       WHERE l.company_id = ${companyId}::uuid AND l.item_id = k.item_id AND l.warehouse_id = k.warehouse_id
         AND l.on_hand > l.reserved AND (SELECT count(*) FROM ${itemLock}) > 0
      RETURNING l.item_id, l.warehouse_id, new.reserved - old.reserved AS total, k.ords, k.demand_ids, k.wants),
    -- handed out to the level's demands in order: each gets what is left after the ones before it
    -- (the demands travel with their level: no join whose plan would depend on the estimated sizes)
    ${name()} AS (
      SELECT ord, demand_id, item_id, warehouse_id,
             GREATEST(0, LEAST(wanted, total
               - coalesce(sum(wanted) OVER (PARTITION BY item_id, warehouse_id ORDER BY ord
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))) AS take
        FROM (SELECT item_id, warehouse_id, total, unnest(ords) AS ord, unnest(demand_ids) AS demand_id, unnest(wants) AS wanted
                FROM ${levelTake}) t),
    -- data-modifying CTEs always run to completion, referenced or not
    ${rows} AS (
      INSERT INTO reservation (id, company_id, item_id, warehouse_id, demand_type, demand_id, quantity, created_at, updated_at)
      SELECT uuidv7(), ${companyId}::uuid, item_id, warehouse_id, ${demandType}::demand_type, demand_id, take, now(), now()
        FROM ${name()} WHERE take > 0
      ${addToHeld})`;
}

/** Gives back what the demands still hold (cancelled orders, closed lines). Returns the total released per demand. */
export async function releaseReservations(tx: Tx, companyId: string, demandType: DemandType, demandIds: string[]): Promise<Map<string, Decimal>> {
  const out = new Map<string, Decimal>();
  if (!demandIds.length) return out;
  const heldItems = await tx.$queryRaw<{ item_id: string }[]>`
    SELECT DISTINCT item_id::text FROM reservation
     WHERE company_id = ${companyId}::uuid AND demand_type = ${demandType}::demand_type AND demand_id = ANY(${demandIds}::uuid[]) AND quantity > 0`;
  await lockItemStock(tx, companyId, heldItems.map((r) => r.item_id));
  const rows = await tx.$queryRaw<{ demand_id: string; item_id: string; released: string }[]>`
    WITH locked AS (
      SELECT l.id, l.item_id, l.warehouse_id FROM stock_level l
       WHERE l.company_id = ${companyId}::uuid
         AND (l.item_id, l.warehouse_id) IN (
           SELECT item_id, warehouse_id FROM reservation
            WHERE company_id = ${companyId}::uuid AND demand_type = ${demandType}::demand_type AND demand_id = ANY(${demandIds}::uuid[]))
       ORDER BY l.item_id, l.warehouse_id FOR UPDATE),
    held AS (
      SELECT r.id, r.demand_id, r.item_id, r.warehouse_id, r.quantity FROM reservation r
       WHERE r.company_id = ${companyId}::uuid AND r.demand_type = ${demandType}::demand_type
         AND r.demand_id = ANY(${demandIds}::uuid[]) AND r.quantity > 0
         AND EXISTS (SELECT 1 FROM locked WHERE locked.item_id = r.item_id AND locked.warehouse_id = r.warehouse_id)
       FOR UPDATE),
    cleared AS (
      UPDATE reservation r SET quantity = 0, updated_at = now() FROM held WHERE r.id = held.id RETURNING r.id),
    upd AS (
      UPDATE stock_level l SET reserved = l.reserved - s.total, updated_at = now()
        FROM (SELECT item_id, warehouse_id, sum(quantity) AS total FROM held GROUP BY item_id, warehouse_id) s
       WHERE l.company_id = ${companyId}::uuid AND l.item_id = s.item_id AND l.warehouse_id = s.warehouse_id
      RETURNING l.id)
    SELECT demand_id::text, item_id::text, quantity::text AS released FROM held`;
  for (const r of rows) out.set(r.demand_id, (out.get(r.demand_id) ?? new Decimal(0)).plus(r.released));
  await settleShortages(tx, companyId, rows.map((r) => r.item_id));
  if (rows.length) await stockChanged(tx, companyId, rows.map((r) => r.item_id));
  return out;
}

async function insertMove(tx: Tx, mc: MoveContext, l: { itemId: string; warehouseId: string; batchNo: string; qualityStatus: QualityStatus; sourceLineId?: string }, qty: Decimal, unitCost: Decimal, amount: Decimal): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO stock_move (company_id, kind, item_id, warehouse_id, batch_no, quality_status, quantity, unit_cost, amount,
                            source_type, source_id, source_line_id, document_no, remark, occurred_at, created_by_id)
    VALUES (${mc.companyId}::uuid, ${mc.kind}::stock_move_kind, ${l.itemId}::uuid, ${l.warehouseId}::uuid, ${l.batchNo},
            ${l.qualityStatus}::quality_status, ${qty.toString()}::numeric, ${unitCost.toDecimalPlaces(6).toString()}::numeric,
            ${amount.toString()}::numeric, ${mc.source.type}, ${mc.source.id}, ${l.sourceLineId ?? null}, ${mc.source.documentNo ?? null},
            ${mc.remark ?? null}, ${mc.occurredAt ?? new Date()}, ${mc.userId ?? null}::uuid)
    RETURNING id`;
  return row!.id;
}

async function itemNames(tx: Tx, itemIds: string[]): Promise<Map<string, string>> {
  const rows = await tx.item.findMany({ where: { id: { in: [...new Set(itemIds)] } }, select: { id: true, name: true, spec: true } });
  return new Map(rows.map((r) => [r.id, r.spec ? `${r.name}（${r.spec}）` : r.name]));
}

interface ShortageRow {
  item_id: string;
  code: string;
  name: string;
  spec: string | null;
  available: string;
  safety_stock: string;
  on_order: string;
  unit: string | null;
}

/** Available (all warehouses), safety stock and open purchase quantity of the given items. */
async function stockPositions(tx: SqlTx, companyId: string, itemIds: string[]): Promise<ShortageRow[]> {
  return tx.$queryRaw<ShortageRow[]>`
    SELECT i.id::text AS item_id, i.code, i.name, i.spec, i.safety_stock::text, (SELECT u.name FROM unit u WHERE u.id = i.base_unit_id) AS unit,
           coalesce((SELECT sum(l.on_hand - l.reserved) FROM stock_level l WHERE l.company_id = i.company_id AND l.item_id = i.id), 0)::text AS available,
           coalesce((SELECT sum(pl.base_quantity - pl.received_quantity + pl.returned_quantity)
                       FROM purchase_order_line pl JOIN purchase_order po ON po.id = pl.order_id
                      WHERE pl.company_id = i.company_id AND pl.item_id = i.id AND po.state = 'confirmed'
                        AND pl.base_quantity > pl.received_quantity - pl.returned_quantity), 0)::text AS on_order
      FROM item i WHERE i.company_id = ${companyId}::uuid AND i.id = ANY(${[...new Set(itemIds)]}::uuid[]) AND i.safety_stock > 0
     ORDER BY i.id`;
}

/**
 * 缺料预警: when an item's available stock falls below its safety stock, write one
 * `stock.shortage` event, and no other until the item has recovered (the flag flips back).
 */
export async function raiseShortages(tx: SqlTx, companyId: string, itemIds: string[]): Promise<void> {
  // In item id order: the flag's upsert may create the row of an item that never had stock (which
  // reserveStock does not lock), and concurrent transactions then wait for each other in one order.
  for (const p of await stockPositions(tx, companyId, itemIds)) {
    if (!new Decimal(p.available).lt(p.safety_stock)) continue;
    // Only the transaction that flips the flag writes the event.
    const flipped = await tx.$executeRaw`
      INSERT INTO item_stock (id, company_id, item_id, shortage_open, updated_at)
      VALUES (gen_random_uuid(), ${companyId}::uuid, ${p.item_id}::uuid, true, now())
      ON CONFLICT (company_id, item_id) DO UPDATE SET shortage_open = true, updated_at = now() WHERE item_stock.shortage_open = false`;
    if (flipped !== 1) continue;
    await emitEvent(tx, companyId, {
      type: 'stock.shortage',
      aggregate: 'item',
      aggregateId: p.item_id,
      payload: {
        itemId: p.item_id, code: p.code, name: p.name, spec: p.spec, unit: p.unit,
        available: new Decimal(p.available).toFixed(4), safetyStock: new Decimal(p.safety_stock).toFixed(4),
        onOrder: new Decimal(p.on_order).toFixed(4),
        suggestedQuantity: suggestedPurchase(p.available, p.safety_stock, p.on_order).toFixed(4),
      },
    });
  }
}

/** An item whose available stock is back at or above safety stock may alert again next time. */
async function settleShortages(tx: Tx, companyId: string, itemIds: string[]): Promise<void> {
  const recovered = (await stockPositions(tx, companyId, itemIds)).filter((p) => !new Decimal(p.available).lt(p.safety_stock)).map((p) => p.item_id);
  if (recovered.length) {
    await tx.$executeRaw`UPDATE item_stock SET shortage_open = false, updated_at = now()
      WHERE company_id = ${companyId}::uuid AND item_id = ANY(${recovered}::uuid[]) AND shortage_open`;
  }
  // A receipt can still leave an item short (and a release too): alert if it was not open yet.
  await raiseShortages(tx, companyId, itemIds);
}
