// 信用额度: a customer's exposure is what they owe or have ordered but not yet paid, in CNY.
// Finance extends creditExposure (open receivables) later; confirmation calls checkCredit.
import { Decimal } from 'decimal.js';
import { readTogether, type SqlTx } from '../../db/sql-session.ts';
import { AppError } from '../../platform/errors.ts';
import { yuan } from './support.ts';

/**
 * 信用占用 of a customer in CNY: confirmed-but-unpaid orders (Σ totalWithTax − advanceReceived of
 * the customer's confirmed orders, each at its exchange rate) + open receivables.
 * `excludeOrderId` leaves out the order being confirmed (it is counted as "this order").
 */
export async function creditExposure(tx: SqlTx, customerId: string, opts: { excludeOrderId?: string } = {}): Promise<Decimal> {
  const [orders] = await tx.$queryRaw<{ total: string }[]>`
    SELECT coalesce(sum(round(GREATEST(total_with_tax - advance_received, 0) * exchange_rate, 2)), 0)::text AS total
      FROM sales_order
     WHERE customer_id = ${customerId}::uuid AND state = 'confirmed'
       AND (${opts.excludeOrderId ?? null}::uuid IS NULL OR id <> ${opts.excludeOrderId ?? null}::uuid)`;
  return new Decimal(orders?.total ?? 0).plus(await openReceivables(tx, customerId));
}

/** 应收未收: none until the finance issue adds receivables; it will answer here. */
async function openReceivables(_tx: SqlTx, _customerId: string): Promise<Decimal> {
  return new Decimal(0);
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
