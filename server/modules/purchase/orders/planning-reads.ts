// Purchase supply as planning (MRP) reads it: the open quantity of orders still going to be bought
// (confirmed, in approval, or a draft made from a requisition) at their promised date, and requisitions still to order
// (confirmed ones, and MRP's own drafts, so a rerun after a release does not suggest the same
// again) at their required date; and the latest purchase price.
import type { Tx } from '../../../db/transaction.ts';

export interface MrpPurchaseSupply {
  id: string;
  kind: 'purchaseOrder' | 'requisition';
  itemId: string;
  date: Date;
  /** base unit, > 0 */
  quantity: string;
}

export async function purchaseSupplyForMrp(tx: Tx): Promise<MrpPurchaseSupply[]> {
  // Orders still going to be bought: confirmed ones, those submitted for approval, and drafts made
  // from a requisition (their quantity already came off the requisition line, claims.ts: leaving
  // them out would order it again; cancelling or deleting the draft gives it back to the
  // requisition). A draft typed in by hand (an enquiry, 询价中) is no commitment yet and is not
  // counted, so an abandoned one cannot hide a shortage. Closed and cancelled orders do not count.
  const orders = await tx.$queryRaw<MrpPurchaseSupply[]>`
    SELECT l.id::text AS id, 'purchaseOrder' AS kind, l.item_id::text AS "itemId", coalesce(l.promised_date, o.order_date) AS date,
           (l.base_quantity - l.received_quantity + l.returned_quantity)::text AS quantity
      FROM purchase_order_line l JOIN purchase_order o ON o.id = l.order_id
     WHERE (o.state IN ('pendingApproval', 'confirmed') OR (o.state = 'draft' AND l.requisition_line_id IS NOT NULL))
       AND l.base_quantity - l.received_quantity + l.returned_quantity > 0`;
  const requisitions = await tx.$queryRaw<MrpPurchaseSupply[]>`
    SELECT l.id::text AS id, 'requisition' AS kind, l.item_id::text AS "itemId", coalesce(l.required_date, r.created_at::date) AS date,
           (l.base_quantity - l.ordered_quantity)::text AS quantity
      FROM purchase_requisition_line l JOIN purchase_requisition r ON r.id = l.requisition_id
     WHERE (r.state = 'confirmed' OR (r.state = 'draft' AND r.source = 'mrp')) AND l.base_quantity > l.ordered_quantity`;
  return [...orders, ...requisitions];
}

/** The latest purchase price per base unit (unit price ÷ factor, in the order's currency × rate) of each item, from confirmed or closed orders. */
export async function latestPurchasePrices(tx: Tx, itemIds: string[]): Promise<Map<string, string>> {
  if (!itemIds.length) return new Map();
  const rows = await tx.$queryRaw<{ item_id: string; price: string }[]>`
    SELECT DISTINCT ON (l.item_id) l.item_id::text, (l.unit_price / l.factor * o.exchange_rate)::text AS price
      FROM purchase_order_line l JOIN purchase_order o ON o.id = l.order_id
     WHERE o.state IN ('confirmed', 'closed') AND l.item_id = ANY(${itemIds}::uuid[])
     ORDER BY l.item_id, o.order_date DESC, o.number DESC`;
  return new Map(rows.map((r) => [r.item_id, r.price]));
}
