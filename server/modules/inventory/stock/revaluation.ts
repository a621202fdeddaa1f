// 成本调整: a value-only stock move (quantity 0) through the ledger, for month-end costing to put the
// difference between actual and provisional cost onto the stock that is still held. The item's value
// and moving average change together, under the same item lock every other stock change takes.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { lockItemStock, type MoveContext } from './ledger.ts';

export interface RevaluationLine {
  itemId: string;
  /** the warehouse the move is booked in (the value itself is the item's, across warehouses) */
  warehouseId: string;
  /** signed, to the fen: + raises the stock's value */
  amount: Decimal.Value;
  sourceLineId?: string;
}

/**
 * Adds each amount to its item's stock value and recomputes the moving average (value ÷ quantity).
 * Stock can only hold value while it has quantity, and never below zero: an item with none on hand
 * takes nothing, a decrease larger than its value takes the value. Returns what each line applied
 * (the caller books the rest elsewhere, e.g. cost of sales); a line applying 0 writes no move.
 */
export async function revalueStock(tx: Tx, mc: Omit<MoveContext, 'kind'>, lines: RevaluationLine[]): Promise<Decimal[]> {
  if (!lines.length) return [];
  await lockItemStock(tx, mc.companyId, lines.map((l) => l.itemId));
  const out: Decimal[] = [];
  for (const l of lines) {
    const wanted = new Decimal(l.amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const [row] = await tx.$queryRaw<{ applied: string }[]>`
      WITH cur AS (
        SELECT id, quantity, value,
               CASE WHEN quantity <= 0 THEN 0 ELSE GREATEST(${wanted.toString()}::numeric, -value) END AS applied
          FROM item_stock WHERE company_id = ${mc.companyId}::uuid AND item_id = ${l.itemId}::uuid)
      UPDATE item_stock s SET
        value = s.value + cur.applied,
        average_cost = CASE WHEN s.quantity > 0 THEN round((s.value + cur.applied) / s.quantity, 6) ELSE s.average_cost END,
        updated_at = now()
        FROM cur WHERE s.id = cur.id
      RETURNING cur.applied::text AS applied`;
    const applied = new Decimal(row?.applied ?? 0);
    if (!applied.isZero()) {
      await tx.$executeRaw`
        INSERT INTO stock_move (company_id, kind, item_id, warehouse_id, quantity, unit_cost, amount,
                                source_type, source_id, source_line_id, document_no, remark, occurred_at, created_by_id)
        VALUES (${mc.companyId}::uuid, 'costAdjustment'::stock_move_kind, ${l.itemId}::uuid, ${l.warehouseId}::uuid, 0, 0,
                ${applied.toString()}::numeric, ${mc.source.type}, ${mc.source.id}, ${l.sourceLineId ?? null}, ${mc.source.documentNo ?? null},
                ${mc.remark ?? null}, ${mc.occurredAt ?? new Date()}, ${mc.userId ?? null}::uuid)`;
    }
    out.push(applied);
  }
  return out;
}
