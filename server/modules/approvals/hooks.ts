// What happens to a document when its approval ends — in the transaction of the final decision.
// One entry per documentType; documents without hooks (通用) just carry the approval's state.
import type { Tx } from '../../db/transaction.ts';
import type { Approval } from '../../generated/prisma/client.ts';
import type { UseCaseContext } from '../../platform/services.ts';
import { expenseClaimHooks, leaveRequestHooks } from '../oa/hooks.ts';
import { contractHooks } from '../sales/contracts/hooks.ts';
import { purchaseOrderHooks } from './documents/purchase-order-hooks.ts';
import { salesOrderHooks } from './documents/sales-order-hooks.ts';

export interface ApprovalDocumentHooks {
  /** the document's page in the mini-app, e.g. sales-orders/<id> */
  route(documentId: string): string;
  /** the last step agreed: the document moves on (order confirmed and reserved …) */
  onApproved(tx: Tx, ctx: UseCaseContext, approval: Approval): Promise<void>;
  /** rejected with a reason: the document goes back to draft for the applicant */
  onRejected(tx: Tx, ctx: UseCaseContext, approval: Approval, reason: string): Promise<void>;
  /** withdrawn by the applicant: back to draft */
  onWithdrawn(tx: Tx, ctx: UseCaseContext, approval: Approval): Promise<void>;
}

/** The hooks of a document type (looked up at call time, so modules may import each other freely). */
export function documentHooks(documentType: string): ApprovalDocumentHooks | undefined {
  switch (documentType) {
    case 'salesOrder':
      return salesOrderHooks;
    case 'purchaseOrder':
      return purchaseOrderHooks;
    case 'expenseClaim':
      return expenseClaimHooks;
    case 'leaveRequest':
      return leaveRequestHooks;
    case 'contract':
      return contractHooks;
    default:
      return undefined;
  }
}
