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
