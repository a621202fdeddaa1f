// 待转销项税额 of shipments (output-vat.ts decides when a shipment books it): the shipments still
// waiting, and their move to 销项税额 — by a sales invoice or a receipt in its own transaction, or
// by the month-end step for the agreed dates that fell in the month. The move is one conditional
// UPDATE (… AND deferred_vat_moved_at IS NULL): of two movers at once, the second finds the rows
// taken after the first commits, so each shipment's amount is moved once.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { CloseCheck, DeferredOutputVatSource, UnpostedDocument } from '../../finance/index.ts';
import { reachedByAmount } from './output-vat.ts';

interface Pending {
  id: string;
  customerId: string;
  amountWithTax: string;
  tax: string;
}

/** The shipments waiting (oldest first) of an order or a customer, or due by a day; locked. */
async function pending(tx: Tx, where: { orderId: string } | { customerId: string } | { dueBy: string }): Promise<Pending[]> {
  const cond = 'orderId' in where ? Prisma.sql`order_id = ${where.orderId}::uuid`
    : 'customerId' in where ? Prisma.sql`customer_id = ${where.customerId}::uuid`
    : Prisma.sql`output_vat_due_on <= ${where.dueBy}::date`;
  return tx.$queryRaw<Pending[]>`
    SELECT id::text, customer_id::text AS "customerId", deferred_amount_with_tax::text AS "amountWithTax", deferred_output_vat::text AS tax
      FROM shipment
     WHERE deferred_output_vat > 0 AND deferred_vat_moved_at IS NULL AND ${cond}
     ORDER BY shipped_at, number
       FOR UPDATE`;
}

/** Marks them moved by `by`; only the rows no one moved first come back. */
async function move(tx: Tx, ids: string[], by: string): Promise<Pending[]> {
  if (!ids.length) return [];
  return tx.$queryRaw<Pending[]>`
    UPDATE shipment SET deferred_vat_moved_at = now(), deferred_vat_moved_by = ${by.slice(0, 60)}
     WHERE id = ANY(${ids}::uuid[]) AND deferred_output_vat > 0 AND deferred_vat_moved_at IS NULL
     RETURNING id::text, customer_id::text AS "customerId", deferred_amount_with_tax::text AS "amountWithTax", deferred_output_vat::text AS tax`;
}

/**
 * An invoice or a receipt of `amount` (价税合计) for the order (else the customer's shipments):
 * moves the 待转销项税额 of the shipments it reaches (reachedByAmount); the total moved, to the fen.
 */
export async function bringForwardDeferredVat(tx: Tx, of: { orderId: string } | { customerId: string }, amount: Decimal.Value, by: string): Promise<string> {
  if (new Decimal(amount).lte(0)) return '0.00';
  const reached = reachedByAmount(await pending(tx, of), amount);
  const moved = await move(tx, reached.map((p) => p.id), by);
  return moved.reduce((t, m) => t.plus(m.tax), new Decimal(0)).toFixed(2);
}

/** The month-end step's source: the shipments whose agreed payment date fell by the day. */
export const shipmentDeferredVatSource: DeferredOutputVatSource = {
  async due(tx, throughDate, claimBy) {
    const rows = await pending(tx, { dueBy: throughDate });
    const taken = claimBy ? await move(tx, rows.map((r) => r.id), claimBy) : rows;
    return taken.map((r) => ({ customerId: r.customerId, amount: new Decimal(r.tax).toFixed(2) }));
  },
};

/**
 * A return of goods of the order while shipments still wait in 待转销项税额: the tax given back
 * comes out of them (newest first) instead of 销项税额, and they wait with less; what is returned
 * beyond them was 销项 already. The part taken, to the fen.
 */
export async function returnDeferredVat(tx: Tx, orderId: string, returned: { tax: Decimal.Value; amountWithTax: Decimal.Value }): Promise<string> {
  let tax = new Decimal(returned.tax);
  let withTax = new Decimal(returned.amountWithTax);
  if (tax.lte(0)) return '0.00';
  let taken = new Decimal(0);
  for (const p of (await pending(tx, { orderId })).reverse()) {
    if (tax.lte(0)) break;
    const t = Decimal.min(tax, p.tax);
    const w = Decimal.min(withTax, p.amountWithTax);
    await tx.$executeRaw`
      UPDATE shipment SET deferred_output_vat = deferred_output_vat - ${t.toFixed(2)}::numeric,
                          deferred_amount_with_tax = deferred_amount_with_tax - ${w.toFixed(2)}::numeric
       WHERE id = ${p.id}::uuid`;
    tax = tax.minus(t);
    withTax = withTax.minus(w);
    taken = taken.plus(t);
  }
  return taken.toFixed(2);
}

/**
 * 结账前检查: shipments whose agreed payment date fell by the month's end and whose 待转销项税额 is
 * still waiting (the month-end step 待转销项税额转出 has not run): the month's 销项 would be short.
 */
export const unmovedDeferredVat: CloseCheck = (tx, period) => tx.$queryRaw<UnpostedDocument[]>`
  SELECT '销售出库单（已到约定收款日期，待转销项税额未转出：请做期末「待转销项税额转出」）' AS label, number FROM shipment
   WHERE deferred_output_vat > 0 AND deferred_vat_moved_at IS NULL
     AND output_vat_due_on < (to_date(${period} || '-01', 'YYYY-MM-DD') + interval '1 month')
   ORDER BY number`;
