// 质检: 检验单 of stock received 待检 (purchase and production receipts) and their results. Other
// modules use quality through this file: receipts open inspections in their own transaction.
export { qualityRoutes } from './routes.ts';
export { openInspections } from './service.ts';
export type { PendingReceipt, PendingReceiptLine } from './service.ts';
