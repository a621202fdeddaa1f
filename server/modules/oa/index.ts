// OA: 费用报销 and 请假 (with their approval wiring) and the work calendar leave is counted on.
// Other modules use it through this file.
export { oaRoutes } from './routes.ts';
export { expenseClaimApproval, leaveRequestApproval } from './approval.ts';
export { expenseClaimPaymentPosting, expenseClaimPosting } from './expense-voucher.ts';
