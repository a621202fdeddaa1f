// What planning (MRP) reads of the stock ledger besides free stock (freeStockOf in queries.ts): what
// is reserved for each demand line, and stock awaiting inspection. Set-based, row-level security
// keeps it to the company.
import type { Tx } from '../../../db/transaction.ts';
import type { DemandType } from '../../../generated/prisma/client.ts';

/** Reserved quantity per demand line (base unit) of one demand type. */
export async function reservedByDemand(tx: Tx, demandType: DemandType): Promise<Map<string, string>> {
  const rows = await tx.$queryRaw<{ demand_id: string; quantity: string }[]>`
    SELECT demand_id::text, sum(quantity)::text AS quantity FROM reservation
     WHERE demand_type = ${demandType}::demand_type GROUP BY demand_id`;
  return new Map(rows.map((r) => [r.demand_id, r.quantity]));
}

/**
 * Stock awaiting inspection (待检) per item over every warehouse; items without any are absent.
 * Not free (kitting, reservations and issues keep ignoring it), but MRP nets it as supply: its
 * purchase or production receipt already took it off the order's open quantity, so leaving it
 * out would order it again. Rejected stock is not counted.
 */
export async function pendingInspectionStockOf(tx: Tx): Promise<Map<string, string>> {
  const rows = await tx.$queryRaw<{ item_id: string; quantity: string }[]>`
    SELECT item_id::text, sum(on_hand)::text AS quantity FROM stock_balance
     WHERE quality_status = 'pending' GROUP BY item_id HAVING sum(on_hand) > 0 ORDER BY item_id`;
  return new Map(rows.map((r) => [r.item_id, r.quantity]));
}
