// What planning (MRP) reads of the stock ledger besides free stock (freeStockOf in queries.ts): what
// is reserved for each demand line. Set-based, row-level security keeps it to the company.
import type { Tx } from '../../../db/transaction.ts';
import type { DemandType } from '../../../generated/prisma/client.ts';

/** Reserved quantity per demand line (base unit) of one demand type. */
export async function reservedByDemand(tx: Tx, demandType: DemandType): Promise<Map<string, string>> {
  const rows = await tx.$queryRaw<{ demand_id: string; quantity: string }[]>`
    SELECT demand_id::text, sum(quantity)::text AS quantity FROM reservation
     WHERE demand_type = ${demandType}::demand_type GROUP BY demand_id`;
  return new Map(rows.map((r) => [r.demand_id, r.quantity]));
}
