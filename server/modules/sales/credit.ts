// 信用额度: a customer's exposure is what they have ordered and not yet been sent, plus what they
// owe for goods sent, in CNY. Confirmation (and submitting for approval) calls checkCredit.
import { Decimal } from 'decimal.js';
import { readTogether, type SqlTx } from '../../db/sql-session.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { AppError } from '../../platform/errors.ts';
import { yuan } from './support.ts';

/**
 * The orders credit reads: open (confirmed) ones, and closed ones still owing for goods shipped.
 * Word for word the predicate of the partial index sales_order_credit_exposure_idx (so the planner
 * reads the customer's few such orders through it, however many settled ones they have).
 */
const CREDIT_ORDERS = Prisma.sql`(state = 'confirmed' OR (state = 'closed' AND shipped_amount - returned_amount > advance_received))`;

/**
 * 未发货占用 in CNY as a scalar SQL expression: Σ over the customer's confirmed orders of the value
 * not yet shipped (价税合计 − shipped amount), less the part of the advance that goods shipped have
 * not used up, each at its order's rate. `excludeOrderId` leaves out the order being confirmed.
 */
export function unshippedOrdersSql(customerId: string, excludeOrderId: string | null = null): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(sum(round(GREATEST(total_with_tax - shipped_amount - GREATEST(advance_received - (shipped_amount - returned_amount), 0), 0) * exchange_rate, 2)), 0)
      FROM sales_order
     WHERE customer_id = ${customerId}::uuid AND ${CREDIT_ORDERS} AND state = 'confirmed' -- the index's predicate, then the open ones
       AND (${excludeOrderId}::uuid IS NULL OR id <> ${excludeOrderId}::uuid))`;
}

/**
 * 应收未收 from the orders, in CNY as a scalar SQL expression, until finance keeps receivables:
 * per order (confirmed or closed) max(0, shipped amount − returned amount − advance received)
 * at its rate. Goods sent back owe nothing; closing an order does not forgive what it shipped.
 */
export function orderReceivablesSql(customerId: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(sum(round(GREATEST(shipped_amount - returned_amount - advance_received, 0) * exchange_rate, 2)), 0)
      FROM sales_order
     WHERE customer_id = ${customerId}::uuid AND ${CREDIT_ORDERS})`;
}

/**
 * 应收未收 of a customer in CNY, as a scalar SQL expression that creditExposure adds in its one
 * statement. The orders' shipped-unpaid amounts already count every order's goods (a receipt against
 * an order adds to its advance_received, so it is counted there); on top come what only the
 * receivables know: issued invoices' free lines (charges no order holds) less receipts that name no
 * order. Invoices of order lines are NOT added: their goods are in the orders' figures already.
 * Bad debts written off (坏账核销) are owed no more, whether for order goods or free lines.
 */
export function receivablesSql(customerId: string): Prisma.Sql {
  return Prisma.sql`GREATEST(${orderReceivablesSql(customerId)}
    + (SELECT coalesce(sum(l.amount_with_tax), 0) FROM sales_invoice_line l JOIN sales_invoice i ON i.id = l.invoice_id
        WHERE i.customer_id = ${customerId}::uuid AND i.state = 'issued' AND l.order_line_id IS NULL)
    - (SELECT coalesce(sum(amount), 0) FROM customer_receipt WHERE customer_id = ${customerId}::uuid AND order_id IS NULL)
    - (SELECT coalesce(sum(written_off_amount), 0) FROM sales_invoice WHERE customer_id = ${customerId}::uuid AND state = 'issued'), 0)`;
}

/**
 * 信用占用 of a customer in CNY, in one statement: the open orders' unshipped value plus the
 * receivables. `excludeOrderId` leaves out the order being confirmed (it is counted as "this order").
 */
export async function creditExposure(tx: SqlTx, customerId: string, opts: { excludeOrderId?: string } = {}): Promise<Decimal> {
  const [row] = await tx.$queryRaw<{ total: string }[]>`
    SELECT (${unshippedOrdersSql(customerId, opts.excludeOrderId ?? null)} + ${receivablesSql(customerId)})::text AS total`;
  return new Decimal(row?.total ?? 0);
}

export interface CreditCheck {
  limit: Decimal;
  exposure: Decimal;
  thisOrder: Decimal;
  /** true when limit > 0 and exposure + this order exceeds it */
  over: boolean;
}

/**
 * Checks an order against its customer's credit limit (0 = no limit). With a limit the customer
 * row is locked first, so two orders confirmed at once cannot both slip under it.
 */
export async function checkCredit(
  tx: SqlTx,
  order: { id: string; customerId: string; unpaidInBase: Decimal.Value; /** the limit as last read, if the caller has it */ creditLimit?: Decimal.Value },
): Promise<CreditCheck> {
  const thisOrder = new Decimal(order.unpaidInBase).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  let peek = order.creditLimit;
  if (peek === undefined) {
    const [row] = await tx.$queryRaw<{ credit_limit: string }[]>`SELECT credit_limit::text FROM customer WHERE id = ${order.customerId}::uuid`;
    peek = row?.credit_limit ?? 0;
  }
  // No limit, no lock: customers without a credit limit never serialise their orders here.
  if (new Decimal(peek).lte(0)) return { limit: new Decimal(0), exposure: new Decimal(0), thisOrder, over: false };
  // The lock, then the exposure read after it (on a pipelined session both in one round trip).
  const [[locked], exposure] = await readTogether(
    tx,
    () => tx.$queryRaw<{ credit_limit: string }[]>`SELECT credit_limit::text FROM customer WHERE id = ${order.customerId}::uuid FOR UPDATE`,
    () => creditExposure(tx, order.customerId, { excludeOrderId: order.id }),
  );
  const limit = new Decimal(locked?.credit_limit ?? 0);
  if (limit.lte(0)) return { limit, exposure: new Decimal(0), thisOrder, over: false };
  return { limit, exposure, thisOrder, over: exposure.plus(thisOrder).gt(limit) };
}

/** 409 with the figures: "超出信用额度：额度 ¥500,000.00，已占用 ¥480,000.00，本单 ¥30,000.00". */
export function creditRefusal(c: CreditCheck, customerName: string): AppError {
  return new AppError(
    'CONFLICT',
    `超出信用额度：额度 ${yuan(c.limit)}，已占用 ${yuan(c.exposure)}，本单 ${yuan(c.thisOrder)}（客户 ${customerName}；超出 ${yuan(c.exposure.plus(c.thisOrder).minus(c.limit))}，需有超额放行权限的人确认）`,
  );
}
