// 采购订单 after its approval: approved → released (confirmed, so it counts in 在订量); rejected or
// withdrawn → back to 草稿 with the reason on the order's timeline. All in the deciding transaction.
import type { Tx } from '../../../db/transaction.ts';
import type { Approval } from '../../../generated/prisma/client.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { applyPurchaseOrderConfirmation } from '../../purchase/orders/state.ts';
import type { ApprovalDocumentHooks } from '../hooks.ts';

/** pendingApproval → draft; the order row is locked by the update. */
async function backToDraft(tx: Tx, ctx: UseCaseContext, approval: Approval, kind: string, message: string, reason: string | null): Promise<void> {
  const n = await tx.$executeRaw`
    UPDATE purchase_order SET state = 'draft', updated_at = now(), version = version + 1
     WHERE id = ${approval.documentId}::uuid AND state = 'pendingApproval'`;
  if (n !== 1) throw new AppError('CONFLICT', '采购订单不在待审批状态，审批结果不能应用');
  await addTimelineStep(tx, ctx, {
    orderType: 'purchaseOrder', orderId: approval.documentId, number: approval.documentNumber ?? '', kind, message,
    data: { approvalId: approval.id, reason },
  });
  await recordAudit(tx, ctx, {
    action: kind, entity: 'purchaseOrder', entityId: approval.documentId,
    before: { state: 'pendingApproval' }, after: { state: 'draft', approvalId: approval.id, reason },
  });
}

export const purchaseOrderHooks: ApprovalDocumentHooks = {
  route: (documentId) => `purchase-orders/${documentId}`,

  async onApproved(tx, ctx, approval) {
    await addTimelineStep(tx, ctx, {
      orderType: 'purchaseOrder', orderId: approval.documentId, number: approval.documentNumber ?? '', kind: 'approved',
      message: `审批通过（${ctx.actor.name}）`, data: { approvalId: approval.id },
    });
    // Not limited by the approver's data scope: the approval is what allows it.
    await applyPurchaseOrderConfirmation(tx, ctx, approval.documentId, { from: 'pendingApproval' });
  },

  async onRejected(tx, ctx, approval, reason) {
    const shown = reason.length > 200 ? `${reason.slice(0, 200)}…` : reason;
    await backToDraft(tx, ctx, approval, 'approvalRejected', `审批驳回（${ctx.actor.name}）：${shown}，采购订单退回草稿`, reason);
  },

  async onWithdrawn(tx, ctx, approval) {
    await backToDraft(tx, ctx, approval, 'approvalWithdrawn', `${ctx.actor.name} 撤回审批，采购订单退回草稿`, null);
  },
};
