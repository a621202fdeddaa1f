// What other modules (and the chat bot) may use of approvals: reading approvals (lists, one in
// full) and deciding one. (Minimal here; the approvals engine adds starting and registering.)
export { getApproval, listApprovals, loadApprovalDetail, type ApprovalBox } from './queries.ts';
export { decideApproval } from './service.ts';
