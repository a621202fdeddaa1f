// 订单生命周期: confirm, submit, cancel, close (预收: receivables/advance-receipts.ts) — each one transaction that locks the order
// row first, so it serialises with shipments and with itself.
import { SqlSession } from '../../../db/sql-session.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { DocumentState } from '../../../generated/prisma/enums.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { runSqlUseCase, runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { releaseReservations } from '../../inventory/index.ts';
import { qtyText, stateConflict } from '../support.ts';
import { closeDocumentApproval, lockPendingApproval, submitForApproval } from '../../approvals/index.ts';
import { applyOrderConfirmation, completeOrderConfirmation, sendOrderConfirmation, type ConfirmOptions } from './confirm.ts';
import type { SalesOrderSubmit } from './approval.ts';
import { assertOrderVisible } from './read.ts';
import { getOrder } from './service.ts';

/** Locks the order row (the first lock of every order use case) and returns its current state. */
export async function lockOrder(tx: Tx, orderId: string) {
  const [row] = await tx.$queryRaw<{ state: DocumentState; number: string }[]>`
    SELECT state::text AS state, number FROM sales_order WHERE id = ${orderId}::uuid FOR UPDATE`;
  if (!row) throw notFound('销售订单');
  return row;
}

export async function confirmOrder(ctx: UseCaseContext, id: string, opts: { overrideCredit?: boolean }): Promise<SalesOrder> {
  const confirmation = await runSqlUseCase(ctx, async (tx) => {
    // Confirming cannot go around the approval: an order a sales flow catches goes to 待审批 instead.
    const approval = submitForApproval<SalesOrderSubmit>(tx, ctx, 'salesOrder', id, { ...opts, visibleTo: ctx.actor });
    const confirm: ConfirmOptions = { overrideCredit: opts.overrideCredit, from: ['draft'], visibleTo: ctx.actor, detail: true };
    // On the lean path the confirmation's first statement goes out right behind the approval's reads
    // (one round trip): an order that needs approval after all rolls the session back (starting one
    // takes the ORM) and the use case runs again in a Prisma transaction, one step after the other.
    const sent = tx instanceof SqlSession ? sendOrderConfirmation(tx, ctx, id, confirm) : null;
    if (await approval) return null;
    return completeOrderConfirmation(tx, ctx, sent ?? sendOrderConfirmation(tx, ctx, id, confirm));
  });
  // The reply was read in the transaction before the stock locks were taken: no second transaction.
  return confirmation?.detail ?? getOrder(ctx, id);
}

/** 提交: an order that needs approval waits for it (approvals issue); otherwise it is confirmed at once. */
export async function submitOrder(ctx: UseCaseContext, id: string, opts: { overrideCredit?: boolean }): Promise<SalesOrder> {
  await runUseCase(ctx, async (tx) => {
    // A sales flow with steps for this order → 待审批 and the approval starts (approvals module).
    const approval = await submitForApproval<SalesOrderSubmit>(tx, ctx, 'salesOrder', id, { ...opts, visibleTo: ctx.actor });
    if (approval === null) await applyOrderConfirmation(tx, ctx, id, { overrideCredit: opts.overrideCredit, from: ['draft'] });
  });
  // Read back after the commit, so the locks are held no longer than the change needs.
  return getOrder(ctx, id);
}

/** Releases what the order's lines still hold; returns the released quantity per line id. */
async function releaseOrder(tx: Tx, ctx: UseCaseContext, orderId: string): Promise<{ lineNo: number; itemId: string; released: string }[]> {
  const lines = await tx.salesOrderLine.findMany({ where: { orderId }, select: { id: true, lineNo: true, itemId: true }, orderBy: { lineNo: 'asc' } });
  const released = await releaseReservations(tx, ctx.actor.companyId, 'salesOrderLine', lines.map((l) => l.id));
  return lines
    .filter((l) => released.get(l.id)?.gt(0))
    .map((l) => ({ lineNo: l.lineNo, itemId: l.itemId, released: released.get(l.id)!.toFixed(4) }));
}

/** 取消: releases the reservations; refused once anything has shipped (close the order instead). */
export async function cancelOrder(ctx: UseCaseContext, id: string, reason?: string | null): Promise<SalesOrder> {
  await runUseCase(ctx, async (tx) => {
    await assertOrderVisible(tx, ctx.actor, id);
    // One lock order with deciding (approval, then order): a cancel racing a decision must not deadlock.
    await lockPendingApproval(tx, 'salesOrder', id);
    const order = await lockOrder(tx, id);
    if (order.state === 'cancelled' || order.state === 'closed') throw stateConflict(order.state, '不能取消');
    const shipped = await tx.salesOrderLine.count({ where: { orderId: id, shippedQuantity: { gt: 0 } } });
    if (shipped > 0) throw new AppError('CONFLICT', `订单已有 ${shipped} 行发货，不能取消；不再发货请关闭订单`);
    if (order.state === 'pendingApproval') await closeDocumentApproval(tx, ctx, 'salesOrder', id, reason ? `订单已取消：${reason}` : '订单已取消');
    const released = await releaseOrder(tx, ctx, id);
    await tx.salesOrder.update({ where: { id }, data: { state: 'cancelled', version: { increment: 1 } } });
    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId: id, number: order.number, kind: 'cancelled',
      message: `取消订单${reason ? `：${reason}` : ''}${released.length ? `，释放 ${released.length} 行预留` : ''}`,
      data: { reason: reason ?? null, released },
    });
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'salesOrder', entityId: id, before: { state: order.state }, after: { state: 'cancelled', reason, released } });
  });
  // Read back after the commit, so the locks are held no longer than the change needs.
  return getOrder(ctx, id);
}

/** 关闭: a confirmed order that will ship no more; what is still reserved goes back. */
export async function closeOrder(ctx: UseCaseContext, id: string, reason?: string | null): Promise<SalesOrder> {
  await runUseCase(ctx, async (tx) => {
    await assertOrderVisible(tx, ctx.actor, id);
    const order = await lockOrder(tx, id);
    if (order.state !== 'confirmed') throw stateConflict(order.state, '只有已确认的订单可以关闭');
    const released = await releaseOrder(tx, ctx, id);
    await tx.salesOrder.update({ where: { id }, data: { state: 'closed', version: { increment: 1 } } });
    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId: id, number: order.number, kind: 'closed',
      message: `关闭订单${reason ? `：${reason}` : ''}${released.length ? `，释放 ${released.length} 行预留（${released.map((r) => `第 ${r.lineNo} 行 ${qtyText(r.released)}`).join('、')}）` : ''}`,
      data: { reason: reason ?? null, released },
    });
    await recordAudit(tx, ctx, { action: 'close', entity: 'salesOrder', entityId: id, before: { state: order.state }, after: { state: 'closed', reason, released } });
  });
  // Read back after the commit, so the locks are held no longer than the change needs.
  return getOrder(ctx, id);
}

/** The order an 订单预收款 belongs to (where its voucher's document link leads), in the order's scope. */
export async function advanceReceiptOrder(ctx: UseCaseContext, receiptId: string): Promise<SalesOrder> {
  const orderId = await runUseCase(ctx, async (tx) => {
    const row = await tx.advanceReceipt.findUnique({ where: { id: receiptId }, select: { orderId: true } });
    if (!row) throw notFound('预收款');
    await assertOrderVisible(tx, ctx.actor, row.orderId);
    return row.orderId;
  });
  return getOrder(ctx, orderId);
}
