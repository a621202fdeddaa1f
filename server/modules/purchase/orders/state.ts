// 采购订单状态: 草稿 → (待审批 →) 已确认 → 已关闭, and 已取消 (only before anything was received).
// Confirming is one conditional update, so of any number of simultaneous confirmations exactly one
// wins. 提交 goes through the 采购订单 approval flow when it applies (approvals module).
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { PurchaseOrder } from '../../../../shared/schemas/purchasing.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { closeDocumentApproval, lockPendingApproval, submitForApproval } from '../../approvals/index.ts';
import { releaseRequisitionLines } from '../requisitions/claims.ts';
import { orderDto } from './dto.ts';
import { lockOrder, stateConflict } from './lock.ts';
import { orderScope } from './service.ts';
import { plain } from './support.ts';

export interface PurchaseConfirmOptions {
  /** the state the order is confirmed from: a manual confirm takes drafts, an approval pending ones */
  from: 'draft' | 'pendingApproval';
  /** only an order within this data scope (404 otherwise); none after an approval */
  scope?: Prisma.PurchaseOrderWhereInput;
}

/** Confirms in the caller's transaction (also the approvals' hook): 已确认, so its open quantities count in 在订量. */
export async function applyPurchaseOrderConfirmation(tx: Tx, ctx: UseCaseContext, id: string, opts: PurchaseConfirmOptions): Promise<void> {
  const scope = opts.scope ?? {};
  const { count } = await tx.purchaseOrder.updateMany({
    where: { AND: [{ id, state: opts.from }, scope] },
    data: { state: 'confirmed', confirmedAt: new Date(), version: { increment: 1 } },
  });
  if (count !== 1) {
    const found = await tx.purchaseOrder.findFirst({ where: { AND: [{ id }, scope] }, select: { number: true, state: true } });
    if (!found) throw notFound('采购订单');
    if (found.state === 'confirmed') throw new AppError('CONFLICT', `采购订单 ${found.number} 已确认`, [{ field: 'params.id', message: '订单已确认' }]);
    if (found.state === 'pendingApproval') {
      throw new AppError('CONFLICT', `采购订单 ${found.number} 待审批中，审批通过后自动确认`, [{ field: 'params.id', message: '订单待审批' }]);
    }
    throw stateConflict(found, '确认');
  }
  const order = await tx.purchaseOrder.findUniqueOrThrow({ where: { id }, include: { lines: true } });
  const supplier = await tx.supplier.findUnique({ where: { id: order.supplierId }, select: { name: true } });
  await recordAudit(tx, ctx, { action: 'confirm', entity: 'purchaseOrder', entityId: id, before: { state: opts.from }, after: { state: 'confirmed' } });
  await addTimelineStep(tx, ctx, {
    orderType: 'purchaseOrder', orderId: id, number: order.number, kind: 'confirmed',
    message: `确认采购订单：${supplier?.name ?? ''}，价税合计 ${order.totalWithTax.toFixed(2)} ${order.currencyCode}`,
    data: {
      totalWithTax: order.totalWithTax.toFixed(2), currencyCode: order.currencyCode,
      lines: order.lines.map((l) => ({ lineNo: l.lineNo, itemId: l.itemId, baseQuantity: l.baseQuantity.toFixed(4) })),
    },
  });
}

/**
 * 确认: draft → confirmed at once — unless the current 采购订单 flow applies: confirming cannot go
 * around the approval, so the order goes to 待审批 like 提交. The order row is locked first, so of
 * simultaneous confirmations exactly one acts; the others get 409.
 */
export async function confirmPurchaseOrder(ctx: UseCaseContext, id: string): Promise<PurchaseOrder> {
  return runUseCase(ctx, async (tx) => {
    await lockOrder(tx, ctx.actor, id); // 404 outside the data scope
    if (!(await submitForApproval(tx, ctx, 'purchaseOrder', id))) await applyPurchaseOrderConfirmation(tx, ctx, id, { from: 'draft' });
    return orderDto(tx, { id });
  });
}

/** 提交: when the current 采购订单 flow applies (amount in CNY) → 待审批 and the approval starts; otherwise confirmed at once. */
export async function submitPurchaseOrder(ctx: UseCaseContext, id: string): Promise<PurchaseOrder> {
  return runUseCase(ctx, async (tx) => {
    await lockOrder(tx, ctx.actor, id); // 404 outside the data scope; submits of one order run one after the other
    const approval = await submitForApproval(tx, ctx, 'purchaseOrder', id);
    if (approval === null) await applyPurchaseOrderConfirmation(tx, ctx, id, { from: 'draft' });
    return orderDto(tx, { id });
  });
}

export async function cancelPurchaseOrder(ctx: UseCaseContext, id: string, reason?: string | null): Promise<PurchaseOrder> {
  return runUseCase(ctx, async (tx) => {
    if (!(await tx.purchaseOrder.findFirst({ where: { AND: [{ id }, await orderScope(tx, ctx)] }, select: { id: true } }))) throw notFound('采购订单');
    // One lock order with deciding (approval, then order): a cancel racing a decision must not deadlock.
    await lockPendingApproval(tx, 'purchaseOrder', id);
    const order = await lockOrder(tx, ctx.actor, id);
    if (order.state === 'cancelled') throw new AppError('CONFLICT', `采购订单 ${order.number} 已取消`, [{ field: 'params.id', message: '订单已取消' }]);
    if (order.state !== 'draft' && order.state !== 'confirmed' && order.state !== 'pendingApproval') throw stateConflict(order, '取消');
    const received = await tx.purchaseOrderLine.aggregate({ where: { orderId: id }, _sum: { receivedQuantity: true } });
    if (received._sum.receivedQuantity?.gt(0)) {
      throw new AppError('CONFLICT', `采购订单 ${order.number} 已入库 ${plain(received._sum.receivedQuantity)}（基本单位），不能取消；不再到货的余量请关闭订单`, [
        { field: 'params.id', message: '已有入库' },
      ]);
    }
    if (order.state === 'pendingApproval') await closeDocumentApproval(tx, ctx, 'purchaseOrder', id, reason ? `采购订单已取消：${reason}` : '采购订单已取消');
    await tx.purchaseOrder.update({ where: { id }, data: { state: 'cancelled', version: { increment: 1 } } });
    await releaseRequisitionLines(tx, id);
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'purchaseOrder', entityId: id, before: { state: order.state }, after: { state: 'cancelled', reason } });
    await addTimelineStep(tx, ctx, {
      orderType: 'purchaseOrder', orderId: id, number: order.number, kind: 'cancelled',
      message: `取消采购订单${reason ? `：${reason}` : ''}`, data: { from: order.state, reason: reason ?? null },
    });
    return orderDto(tx, { id });
  });
}

/** 关闭: nothing more is expected on this order (its open quantities leave 在订量); returns stay possible. */
export async function closePurchaseOrder(ctx: UseCaseContext, id: string, reason?: string | null): Promise<PurchaseOrder> {
  return runUseCase(ctx, async (tx) => {
    const order = await lockOrder(tx, ctx.actor, id);
    if (order.state === 'closed') throw new AppError('CONFLICT', `采购订单 ${order.number} 已关闭`, [{ field: 'params.id', message: '订单已关闭' }]);
    if (order.state !== 'confirmed') throw stateConflict(order, '关闭');
    await tx.purchaseOrder.update({ where: { id }, data: { state: 'closed', version: { increment: 1 } } });
    await recordAudit(tx, ctx, { action: 'close', entity: 'purchaseOrder', entityId: id, before: { state: 'confirmed' }, after: { state: 'closed', reason } });
    await addTimelineStep(tx, ctx, {
      orderType: 'purchaseOrder', orderId: id, number: order.number, kind: 'closed',
      message: `关闭采购订单${reason ? `：${reason}` : ''}`, data: { reason: reason ?? null },
    });
    return orderDto(tx, { id });
  });
}
