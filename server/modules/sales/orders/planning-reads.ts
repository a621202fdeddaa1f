// Sales demand as planning (MRP) reads it: every confirmed order line still to ship, less what is
// reserved for it (the reservation already took that stock out of the free stock planning nets);
// and what was ordered per item and month, which consumes the sales forecasts.
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

export interface OrderedInMonth {
  itemId: string;
  /** 'YYYY-MM' */
  month: string;
  /** base unit */
  quantity: string;
}

/**
 * What was actually ordered of each (item, month) asked for, by the same date as openSalesDemand:
 * what consumes a sales forecast (备货生产) of that month, however much of it has shipped or is
 * reserved. A confirmed order counts with its whole ordered quantity; a closed one (关闭: it will
 * ship no more) with what it shipped, the rest having been given up. Draft, in-approval and
 * cancelled orders are no orders (yet): they consume nothing. Months are 'YYYY-MM'; pairs with no
 * order are left out.
 */
export async function orderedForForecasts(tx: Tx, periods: readonly { itemId: string; month: string }[]): Promise<OrderedInMonth[]> {
  const pairs = [...new Map(periods.map((p) => [`${p.itemId}/${p.month}`, p])).values()];
  if (!pairs.length) return [];
  const rows = await tx.$queryRaw<{ item_id: string; month: string; quantity: string }[]>`
    SELECT f.item_id::text AS item_id, to_char(f.month, 'YYYY-MM') AS month,
           trim_scale(sum(CASE WHEN o.state = 'closed' THEN l.shipped_quantity ELSE l.base_quantity END))::text AS quantity
      FROM unnest(${pairs.map((p) => p.itemId)}::uuid[], ${pairs.map((p) => `${p.month}-01`)}::date[]) AS f(item_id, month)
      JOIN sales_order_line l ON l.item_id = f.item_id
      JOIN sales_order o ON o.id = l.order_id
     WHERE o.state IN ('confirmed', 'closed')
       AND coalesce(l.requested_date, o.requested_date, o.order_date) >= f.month
       AND coalesce(l.requested_date, o.requested_date, o.order_date) < f.month + interval '1 month'
     GROUP BY f.item_id, f.month
     ORDER BY 1, 2`;
  return rows.map((r) => ({ itemId: r.item_id, month: r.month, quantity: r.quantity }));
}
