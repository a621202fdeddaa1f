// 销售订单 after its approval: approved → confirmed and stock reserved; rejected or withdrawn →
// back to 草稿 with the reason on the order's timeline. All in the deciding transaction.
import type { Tx } from '../../../db/transaction.ts';
import type { Approval } from '../../../generated/prisma/client.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { BUSINESS_TYPE_LABELS } from '../../../../shared/schemas/approvals.ts';
import { applyOrderConfirmation } from '../../sales/orders/confirm.ts';
import { continueOrderApproval, creditOverrideOf } from './sales-order.ts';
import type { ApprovalDocumentHooks } from '../hooks.ts';

/** pendingApproval → draft; the order row is locked by the update. */
async function backToDraft(tx: Tx, ctx: UseCaseContext, approval: Approval, kind: string, message: string, reason: string | null): Promise<void> {
  const n = await tx.$executeRaw`
    UPDATE sales_order SET state = 'draft', updated_at = now(), version = version + 1
     WHERE id = ${approval.documentId}::uuid AND state = 'pendingApproval'`;
  if (n !== 1) throw new AppError('CONFLICT', '订单不在待审批状态，审批结果不能应用');
  await addTimelineStep(tx, ctx, {
    orderType: 'salesOrder', orderId: approval.documentId, number: approval.documentNumber ?? '', kind, message,
    data: { approvalId: approval.id, reason },
  });
  await recordAudit(tx, ctx, {
    action: kind, entity: 'salesOrder', entityId: approval.documentId,
    before: { state: 'pendingApproval' }, after: { state: 'draft', approvalId: approval.id, reason },
  });
}

export const salesOrderHooks: ApprovalDocumentHooks = {
  route: (documentId) => `sales-orders/${documentId}`,

  async onApproved(tx, ctx, approval) {
    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId: approval.documentId, number: approval.documentNumber ?? '', kind: 'approved',
      message: `${BUSINESS_TYPE_LABELS[approval.businessType]}审批通过（${ctx.actor.name}）`, data: { approvalId: approval.id, businessType: approval.businessType },
    });
    // The next sales flow that applies (销售订单金额 after 销售折扣) runs before the order is confirmed.
    if (await continueOrderApproval(tx, ctx, approval)) return;
    // The submitter's 超信用额度放行 (checked against their permission at submit) carries over.
    await applyOrderConfirmation(tx, ctx, approval.documentId, {
      from: ['pendingApproval'], overrideCredit: creditOverrideOf(approval), overrideGranted: creditOverrideOf(approval),
    });
  },

  async onRejected(tx, ctx, approval, reason) {
    const shown = reason.length > 200 ? `${reason.slice(0, 200)}…` : reason;
    await backToDraft(tx, ctx, approval, 'approvalRejected', `审批驳回（${ctx.actor.name}）：${shown}，订单退回草稿`, reason);
  },

  async onWithdrawn(tx, ctx, approval) {
    await backToDraft(tx, ctx, approval, 'approvalWithdrawn', `${ctx.actor.name} 撤回审批，订单退回草稿`, null);
  },
};
