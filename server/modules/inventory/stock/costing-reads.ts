// What costing (BOM cost roll-up, month-end cost close) reads of the stock ledger: each item's
// current moving-average unit cost. Set-based, row-level security keeps it to the company.
import type { Tx } from '../../../db/transaction.ts';

/**
 * The moving-average unit cost (per base unit) of each item that has one: stock on hand, or stock
 * that was valued before it ran out (the ledger keeps the last average). Items never valued are absent.
 */
export async function movingAverageCosts(tx: Tx, itemIds: string[]): Promise<Map<string, string>> {
  if (!itemIds.length) return new Map();
  const rows = await tx.$queryRaw<{ item_id: string; average_cost: string }[]>`
    SELECT item_id::text, average_cost::text FROM item_stock
     WHERE item_id = ANY(${[...new Set(itemIds)]}::uuid[]) AND (quantity > 0 OR average_cost > 0)`;
  return new Map(rows.map((r) => [r.item_id, r.average_cost]));
}

export interface ProductionMonth {
  taskId: string;
  /** value of the materials issued to the task in the window (≥ 0, to the fen) */
  material: string;
  /** finished goods received in the window, and their value as received (provisional, standard cost) */
  receivedQuantity: string;
  provisionalValue: string;
  /** finished goods received before the window's end, all time */
  receivedToEnd: string;
}

/**
 * Per production task with an issue or a receipt in [from, to): what the stock ledger booked for it
 * (moves whose source is the task), and what it had received in all before `to`.
 */
export async function productionMovesBetween(tx: Tx, from: Date, to: Date): Promise<ProductionMonth[]> {
  const rows = await tx.$queryRaw<{ task_id: string; material: string; received: string; provisional: string; received_to_end: string }[]>`
    SELECT source_id AS task_id,
           coalesce(-sum(amount) FILTER (WHERE kind = 'productionIssue' AND occurred_at >= ${from}), 0)::text AS material,
           coalesce(sum(quantity) FILTER (WHERE kind = 'productionReceipt' AND occurred_at >= ${from}), 0)::text AS received,
           coalesce(sum(amount) FILTER (WHERE kind = 'productionReceipt' AND occurred_at >= ${from}), 0)::text AS provisional,
           coalesce(sum(quantity) FILTER (WHERE kind = 'productionReceipt'), 0)::text AS received_to_end
      FROM stock_move
     WHERE source_type = 'productionTask' AND kind IN ('productionIssue', 'productionReceipt') AND occurred_at < ${to}
     GROUP BY source_id
    HAVING count(*) FILTER (WHERE occurred_at >= ${from}) > 0
     ORDER BY source_id`;
  return rows.map((r) => ({ taskId: r.task_id, material: r.material, receivedQuantity: r.received, provisionalValue: r.provisional, receivedToEnd: r.received_to_end }));
}

export interface ItemMoveRow {
  itemId: string;
  kind: string;
  quantity: string;
  sourceType: string;
  sourceId: string;
  occurredAt: Date;
}

/**
 * The items' quantity moves from `from` on, in the order they happened, and each item's quantity
 * before `from` (all warehouses and quality statuses, as the moving average counts it). Transfers
 * are left out: they move stock between warehouses, not out of the item.
 */
export async function itemMovesSince(tx: Tx, itemIds: string[], from: Date): Promise<{ opening: Map<string, string>; moves: ItemMoveRow[] }> {
  if (!itemIds.length) return { opening: new Map(), moves: [] };
  const ids = [...new Set(itemIds)];
  const opening = await tx.$queryRaw<{ item_id: string; quantity: string }[]>`
    SELECT item_id::text, sum(quantity)::text AS quantity FROM stock_move
     WHERE item_id = ANY(${ids}::uuid[]) AND occurred_at < ${from} GROUP BY item_id`;
  const moves = await tx.$queryRaw<{ item_id: string; kind: string; quantity: string; source_type: string; source_id: string; occurred_at: Date }[]>`
    SELECT item_id::text, kind::text, quantity::text, source_type, source_id, occurred_at FROM stock_move
     WHERE item_id = ANY(${ids}::uuid[]) AND occurred_at >= ${from} AND quantity <> 0 AND kind::text NOT IN ('transferOut', 'transferIn', 'qualityInspection')
     ORDER BY occurred_at, id`;
  return {
    opening: new Map(opening.map((r) => [r.item_id, r.quantity])),
    moves: moves.map((m) => ({ itemId: m.item_id, kind: m.kind, quantity: m.quantity, sourceType: m.source_type, sourceId: m.source_id, occurredAt: m.occurred_at })),
  };
}
