// OA documents after their approval, in the deciding transaction: approved → 已批准 (an expense
// claim also ready for payment); rejected or withdrawn → back to 草稿.
import type { ApprovalDocumentHooks } from '../approvals/hooks.ts';
import { approveClaim } from './expenses.ts';
import { approveLeave } from './leave.ts';
import { oaBackToDraft } from './support.ts';

export const expenseClaimHooks: ApprovalDocumentHooks = {
  route: (id) => `expense-claims/${id}`,
  onApproved: (tx, ctx, a) => approveClaim(tx, ctx, a.documentId, 'pendingApproval'),
  onRejected: (tx, ctx, a, reason) => oaBackToDraft(tx, ctx, 'expense_claim', 'expenseClaim', a.documentId, reason),
  onWithdrawn: (tx, ctx, a) => oaBackToDraft(tx, ctx, 'expense_claim', 'expenseClaim', a.documentId, null),
};

export const leaveRequestHooks: ApprovalDocumentHooks = {
  route: (id) => `leave-requests/${id}`,
  onApproved: (tx, ctx, a) => approveLeave(tx, ctx, a.documentId, 'pendingApproval'),
  onRejected: (tx, ctx, a, reason) => oaBackToDraft(tx, ctx, 'leave_request', 'leaveRequest', a.documentId, reason),
  onWithdrawn: (tx, ctx, a) => oaBackToDraft(tx, ctx, 'leave_request', 'leaveRequest', a.documentId, null),
};
