// Sales orders as other modules see them: the chat bot's 订单 <单号>, and the notice planner's
// "whose order is this" (customer and salesperson).
import type { Tx } from '../../../db/transaction.ts';
import type { Actor } from '../../../platform/actor.ts';
import { ownerScopeSql } from '../support.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import { AppError } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { getOrder } from './service.ts';

/**
 * The order with this number as the actor would see it in the API; null when there is none or it
 * is outside the actor's data scope (the same answer: existence does not leak).
 */
export async function findOrderByNumber(ctx: UseCaseContext, number: string): Promise<SalesOrder | null> {
  const found = await runUseCase(ctx, (tx) => tx.salesOrder.findFirst({ where: { number }, select: { id: true } }));
  if (!found) return null;
  try {
    return await getOrder(ctx, found.id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

/** The order's customer and salesperson, in the caller's company transaction (RLS); null when not found there. */
export async function orderParties(tx: Tx, orderId: string): Promise<{ customerId: string; ownerId: string } | null> {
  const [order] = await tx.$queryRaw<{ customer_id: string; owner_id: string }[]>`
    SELECT customer_id::text, owner_id::text FROM sales_order WHERE id = ${orderId}::uuid`;
  return order ? { customerId: order.customer_id, ownerId: order.owner_id } : null;
}

/** Of the given sales order lines, those of orders in the actor's data scope (the order's salesperson), as the order pages show them. */
export async function orderLinesVisibleTo(tx: Tx, actor: Actor, lineIds: string[]): Promise<Set<string>> {
  if (!lineIds.length) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT l.id::text FROM sales_order_line l JOIN sales_order o ON o.id = l.order_id
     WHERE l.id = ANY(${lineIds}::uuid[]) AND ${ownerScopeSql(actor, 'o.owner_id')}`;
  return new Set(rows.map((r) => r.id));
}

/** The warehouse each sales order line ships from (production made for a line is received there). */
export async function orderLineWarehouses(tx: Tx, lineIds: string[]): Promise<Map<string, string>> {
  if (!lineIds.length) return new Map();
  const rows = await tx.$queryRaw<{ id: string; warehouse_id: string }[]>`
    SELECT id::text, warehouse_id::text FROM sales_order_line WHERE id = ANY(${lineIds}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.warehouse_id]));
}

/** A customer's latest orders with their progress, and the documents of the customer that go through approval (the customer 360). */
export async function customerOrders(tx: Tx, customerId: string, take = 20) {
  const rows = await tx.salesOrder.findMany({
    where: { customerId },
    orderBy: [{ orderDate: 'desc' }, { number: 'desc' }],
    take,
    select: { id: true, number: true, orderDate: true, state: true, totalWithTax: true, shippedAmount: true, shipmentProgress: true, invoiceProgress: true, paymentProgress: true },
  });
  return rows.map((o) => ({
    id: o.id, number: o.number, orderDate: o.orderDate.toISOString().slice(0, 10), state: o.state as string,
    totalWithTax: o.totalWithTax.toFixed(2), shippedAmount: o.shippedAmount.toFixed(2),
    shipmentProgress: o.shipmentProgress as string, invoiceProgress: o.invoiceProgress as string, paymentProgress: o.paymentProgress as string,
  }));
}

/** The customer's orders and contracts now waiting for approval, by approval document type. */
export async function customerDocumentsInApproval(tx: Tx, customerId: string): Promise<{ type: string; ids: string[] }[]> {
  const [orders, contracts] = await Promise.all([
    tx.salesOrder.findMany({ where: { customerId, state: 'pendingApproval' }, select: { id: true } }),
    tx.salesContract.findMany({ where: { customerId, state: 'pendingApproval' }, select: { id: true } }),
  ]);
  return [{ type: 'salesOrder', ids: orders.map((o) => o.id) }, { type: 'contract', ids: contracts.map((c) => c.id) }];
}
