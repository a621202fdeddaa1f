// A company that has been taking orders for a while: past (closed) sales orders with their lines,
// spent reservations and timeline, then ANALYZE — the statistics autovacuum keeps on a live database. Without them the
// benchmark would measure plans made for empty tables that grow a hundredfold during the run.
import pg from 'pg';

export interface OrderHistory {
  companyId: string;
  customerId: string;
  ownerId: string;
  warehouseId: string;
  unitId: string;
  itemIds: string[];
  orders: number;
  linesPerOrder: number;
}

export async function addOrderHistory(ownerUrl: string, h: OrderHistory): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query('BEGIN');
    await owner.query(
      // Shipped in full and paid (until finance keeps receivables, a payment is an advance received).
      `INSERT INTO sales_order (id, company_id, number, customer_id, owner_id, warehouse_id, order_date, state, shipment_progress, payment_progress,
                                list_total, total_amount, total_tax, total_with_tax, shipped_amount, advance_received, created_at, updated_at)
       SELECT gen_random_uuid(), $1, 'HIST-' || lpad(n::text, 6, '0'), $2, $3, $4, current_date - (n % 365), 'closed', 'full', 'full', 100, 88.50, 11.50, 100, 100, 100, now(), now()
         FROM generate_series(1, $5::int) n`,
      [h.companyId, h.customerId, h.ownerId, h.warehouseId, h.orders],
    );
    await owner.query(
      `INSERT INTO sales_order_line (id, company_id, order_id, line_no, item_id, warehouse_id, unit_id, factor, quantity, base_quantity,
                                     list_price, unit_price, tax_rate, amount, tax_amount, amount_with_tax, shipped_quantity)
       SELECT gen_random_uuid(), o.company_id, o.id, k, ($5::uuid[])[1 + (abs(hashtext(o.id::text || k)) % cardinality($5::uuid[]))], $2, $3,
              1, 20, 20, 1, 1, 0.13, 17.70, 2.30, 20, 20
         FROM sales_order o, generate_series(1, $4::int) k
        WHERE o.company_id = $1 AND o.number LIKE 'HIST-%'`,
      [h.companyId, h.warehouseId, h.unitId, h.linesPerOrder, h.itemIds],
    );
    // Shipped and closed: their reservations stay, at 0 (consumed rows are kept, never deleted).
    await owner.query(
      `INSERT INTO reservation (id, company_id, item_id, warehouse_id, demand_type, demand_id, quantity)
       SELECT gen_random_uuid(), l.company_id, l.item_id, l.warehouse_id, 'salesOrderLine', l.id, 0
         FROM sales_order_line l JOIN sales_order o ON o.id = l.order_id
        WHERE o.company_id = $1 AND o.number LIKE 'HIST-%'`,
      [h.companyId],
    );
    await owner.query(
      `INSERT INTO timeline_entry (company_id, order_type, order_id, kind, message, actor_id, at)
       SELECT o.company_id, 'salesOrder', o.id, kind, kind || ' ' || o.number, $2, now() - interval '1 day'
         FROM sales_order o, unnest(ARRAY['created', 'confirmed', 'shipped', 'closed']) kind
        WHERE o.company_id = $1 AND o.number LIKE 'HIST-%'`,
      [h.companyId, h.ownerId],
    );
    await owner.query('COMMIT');
    // Done before anything is measured: the statistics, the visibility map and the WAL of the inserts.
    await owner.query('VACUUM ANALYZE');
    await owner.query('CHECKPOINT');
  } catch (e) {
    await owner.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await owner.end();
  }
}
