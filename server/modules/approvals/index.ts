// 审批引擎: flows (versioned definitions), approvals and their steps, tasks, history, timers — for any
// document type registered with registerApprovalDocument; it imports no document module.
export {
  registerApprovalDocument, isApprovalDocumentRegistered,
  type ApprovalDocumentHooks, type ApprovalDescription, type PendingSubmit,
} from './registry.ts';
export { submitForApproval } from './submit.ts';
export { startApproval, decideApproval, type StartApprovalInput, type StartedApproval } from './service.ts';
export { closeDocumentApproval, withdrawApproval, transferApproval, addApprover, commentOnApproval } from './actions.ts';
export { firstApprovalPlan, planApproval, type ApprovalPlan } from './flows.ts';
export { factText, orderDiscount, ruleText } from './rules.ts';
export { getApproval, listApprovals, loadApprovalDetail, type ApprovalBox } from './queries.ts';
export { approvalsInFlight, countDocumentApprovals, involvedInApproval, latestApprovals, lockPendingApproval } from './of-document.ts';
export { backToDraft, draftDocumentHooks, type DescribedSubmit, type DraftDocument, type DraftReturn, type LockedDraft } from './document-kit.ts';
export { runApprovalTimers } from './timers.ts';
export { approvalRoutes } from './routes.ts';
