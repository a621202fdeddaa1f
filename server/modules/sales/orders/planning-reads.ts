// Sales demand as planning (MRP) reads it: every confirmed order line still to ship, less what is
// reserved for it (the reservation already took that stock out of the free stock planning nets).
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { reservedByDemand } from '../../inventory/index.ts';

export interface OpenSalesDemand {
  lineId: string;
  orderId: string;
  itemId: string;
  /** 'SO-2026-0012/2' */
  ref: string;
  orderNumber: string;
  /** the line's requested date, else the order's, else its order date */
  date: Date;
  /** base unit: ordered − shipped − reserved, > 0 */
  quantity: string;
}

export async function openSalesDemand(tx: Tx): Promise<OpenSalesDemand[]> {
  const rows = await tx.$queryRaw<{ line_id: string; order_id: string; item_id: string; number: string; line_no: number; date: Date; open: string }[]>`
    SELECT l.id::text AS line_id, o.id::text AS order_id, l.item_id::text, o.number, l.line_no,
           coalesce(l.requested_date, o.requested_date, o.order_date) AS date, (l.base_quantity - l.shipped_quantity)::text AS open
      FROM sales_order_line l JOIN sales_order o ON o.id = l.order_id
     WHERE o.state = 'confirmed' AND l.base_quantity > l.shipped_quantity
     ORDER BY o.number, l.line_no`;
  const reserved = await reservedByDemand(tx, 'salesOrderLine');
  const out: OpenSalesDemand[] = [];
  for (const r of rows) {
    const q = new Decimal(r.open).minus(reserved.get(r.line_id) ?? 0);
    if (q.lte(0)) continue;
    out.push({ lineId: r.line_id, orderId: r.order_id, itemId: r.item_id, ref: `${r.number}/${r.line_no}`, orderNumber: r.number, date: r.date, quantity: q.toString() });
  }
  return out;
}
