// 销售: quotations, sales orders (entry, confirmation and reservation, credit), shipments, returns and
// contracts, with the approval wiring of orders and contracts. Other modules use it through this file.
export { salesRoutes } from './routes.ts';
export { salesOrderApproval, type SalesOrderSubmit } from './orders/approval.ts';
export { contractApproval } from './contracts/approval.ts';
export { getOrder } from './orders/service.ts';
export { customerDocumentsInApproval, customerOrders, findOrderByNumber, orderLinesVisibleTo, orderLineWarehouses, orderParties } from './orders/lookup.ts';
export { openSalesDemand, orderedForForecasts, type OpenSalesDemand, type OrderedInMonth } from './orders/planning-reads.ts';
export { recordProductionProgress, type ProductionProgress, type ProductionProgressKind } from './orders/production-progress.ts';
export { shipmentPosting } from './shipments/voucher.ts';
export { shipmentDeferredVatSource, unmovedDeferredVat } from './shipments/deferred-vat.ts';
export { salesReturnPosting } from './returns/voucher.ts';
export { advanceReceiptPosting, arMatchPosting, arWriteOffPosting, customerReceiptPosting, salesInvoicePosting } from './receivables/voucher.ts';
export { customerReceivables, receivablesOfCustomer, type CustomerReceivables } from './receivables/reports.ts';
export { OVERDUE_DIGEST_EVENT, isoWeekKey, scheduleOverdueDigests, startOverdueDigestScheduler } from './receivables/reminders.ts';
