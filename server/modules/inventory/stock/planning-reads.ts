// What planning (MRP) reads of the stock ledger: free stock per item (合格 on hand less what is
// reserved; stock awaiting inspection or rejected is never in stock_level), and what is reserved
// for each demand line. Set-based, row-level security keeps it to the company.
import type { Tx } from '../../../db/transaction.ts';
import type { DemandType } from '../../../generated/prisma/client.ts';

/** Free (合格, unreserved) stock per item over every warehouse, base unit; only items that have some. */
export async function freeStockByItem(tx: Tx): Promise<{ itemId: string; quantity: string }[]> {
  return tx.$queryRaw<{ itemId: string; quantity: string }[]>`
    SELECT item_id::text AS "itemId", sum(on_hand - reserved)::text AS quantity
      FROM stock_level GROUP BY item_id HAVING sum(on_hand - reserved) > 0 ORDER BY item_id`;
}

/** Reserved quantity per demand line (base unit) of one demand type. */
export async function reservedByDemand(tx: Tx, demandType: DemandType): Promise<Map<string, string>> {
  const rows = await tx.$queryRaw<{ demand_id: string; quantity: string }[]>`
    SELECT demand_id::text, sum(quantity)::text AS quantity FROM reservation
     WHERE demand_type = ${demandType}::demand_type GROUP BY demand_id`;
  return new Map(rows.map((r) => [r.demand_id, r.quantity]));
}
