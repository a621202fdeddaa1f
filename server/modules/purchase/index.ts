// 采购: suppliers and their prices, requisitions, purchase orders (with their approval wiring),
// receipts and returns; 应付 (invoices, payments, settlements). Other modules use it through this file.
export { supplierRoutes } from './suppliers/routes.ts';
export { purchasingRoutes } from './orders/purchasing-routes.ts';
export { purchaseOrderApproval } from './orders/approval.ts';
export { openPurchaseSupply, type OpenPurchaseSupply } from './orders/on-order.ts';
export { latestPurchasePrices, purchaseSupplyForMrp, type MrpPurchaseSupply } from './orders/planning-reads.ts';
export { createRequisitionInTx } from './requisitions/service.ts';
export { receiptPosting } from './receipts/voucher.ts';
export { purchaseReturnPosting } from './returns/voucher.ts';
export { purchaseInvoicePostings } from './invoices/voucher.ts';
export { supplierPaymentPostings } from './payables/voucher.ts';
