// The composition of the modules: every module's routes, mounted under /api/v1, and every approvable
// document type registered with the approvals engine.
import type { ApiRouter } from '../platform/http.ts';
import { attachmentRoutes } from './attachments/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { warehouseRoutes } from './inventory/warehouses/routes.ts';
import { currencyRoutes } from './finance/currencies/routes.ts';
import { unpostedReceivables } from './sales/receivables/close-check.ts';
import { unpostedPayables } from './purchase/payables/close-check.ts';
import { unpostedExpenseClaims } from './oa/expense-close-check.ts';
import { financeRoutes, isPostingRuleRegistered, registerCloseCheck, registerDeferredOutputVatSource, registerPostingRule, type PostingDocument, type PostingFacts, type VoucherRule } from './finance/index.ts';
import { customerRoutes } from './crm/customers/routes.ts';
import { crmRoutes, visitRoutes } from './crm/index.ts';
import { companyRoutes } from './org/company/routes.ts';
import { departmentRoutes } from './org/departments/routes.ts';
import { roleRoutes } from './org/roles/routes.ts';
import { userRoutes } from './org/users/routes.ts';
import { itemCategoryRoutes } from './inventory/categories/routes.ts';
import { itemRoutes } from './inventory/items/routes.ts';
import { unitRoutes } from './inventory/units/routes.ts';
import { stockRoutes } from './inventory/stock/routes.ts';
import { stockTransferRoutes } from './inventory/transfers/routes.ts';
import { stockCountRoutes } from './inventory/counts/routes.ts';
import { stockReportRoutes } from './inventory/reports/routes.ts';
import { noticeRoutes } from './notices/routes.ts';
import { stockAdjustmentPosting, stockCountPosting } from './inventory/index.ts';
import { bomRoutes, costClosePosting, costingRoutes, forecastRoutes, kittingRoutes, mrpRoutes, productionPosting, productionTaskRoutes, workReportRoutes } from './manufacturing/index.ts';
import { approvalRoutes, isApprovalDocumentRegistered, registerApprovalDocument, type ApprovalDocumentHooks } from './approvals/index.ts';
import { expenseClaimApproval, expenseClaimPaymentPosting, expenseClaimPosting, leaveRequestApproval, oaRoutes } from './oa/index.ts';
import { purchaseInvoicePostings, purchaseOrderApproval, purchaseReturnPosting, purchasingRoutes, receiptPosting, supplierPaymentPostings, supplierRoutes } from './purchase/index.ts';
import { advanceReceiptPosting, arMatchPosting, arWriteOffPosting, contractApproval, customerReceiptPosting, salesInvoicePosting, salesOrderApproval, salesReturnPosting, salesRoutes, shipmentDeferredVatSource, shipmentPosting, unmovedDeferredVat } from './sales/index.ts';
import { qualityRoutes } from './quality/index.ts';

/**
 * Every approvable document type, registered with the engine. Idempotent: called wherever the app
 * is put together (buildApp, so the server, the tests' app and the chat runtime beside it; the seed).
 */
export function registerApprovalDocuments(): void {
  const register = <D extends { number: string | null }, O>(type: string, hooks: ApprovalDocumentHooks<D, O>) => {
    if (!isApprovalDocumentRegistered(type)) registerApprovalDocument(type, hooks);
  };
  register('salesOrder', salesOrderApproval);
  register('purchaseOrder', purchaseOrderApproval);
  register('contract', contractApproval);
  register('expenseClaim', expenseClaimApproval);
  register('leaveRequest', leaveRequestApproval);
}

/**
 * Every document type's voucher rule, registered with the finance engine (idempotent, like the
 * approvals above; buildApp and the seed call it before any document is written).
 */
export function registerPostingRules(): void {
  const register = <F extends PostingFacts>(type: string, posting: { rule: VoucherRule<F>; document: PostingDocument }) => {
    if (!isPostingRuleRegistered(type)) registerPostingRule(type, posting.rule, posting.document);
  };
  register('shipment', shipmentPosting);
  register('receipt', receiptPosting);
  register('salesReturn', salesReturnPosting);
  register('purchaseReturn', purchaseReturnPosting);
  register('stockAdjustment', stockAdjustmentPosting);
  register('stockCount', stockCountPosting);
  register('productionTask', productionPosting);
  register('costClose', costClosePosting);
  register('expenseClaim', expenseClaimPosting);
  register('expenseClaimPayment', expenseClaimPaymentPosting);
  register('salesInvoice', salesInvoicePosting);
  register('customerReceipt', customerReceiptPosting);
  register('advanceReceipt', advanceReceiptPosting);
  register('arMatch', arMatchPosting);
  register('arWriteOff', arWriteOffPosting);
  register('purchaseInvoiceProvisionalReversal', purchaseInvoicePostings.provisionalReversal);
  register('purchaseInvoice', purchaseInvoicePostings.invoice);
  register('supplierPayment', supplierPaymentPostings.payment);
  register('payableSettlement', supplierPaymentPostings.advanceSettlement);
  // 结账 waits until each of these documents of the month has its voucher
  registerCloseCheck('receivables', unpostedReceivables);
  registerCloseCheck('payables', unpostedPayables);
  registerCloseCheck('expenseClaims', unpostedExpenseClaims);
  // 待转销项税额转出 at month end: the shipments whose agreed payment date fell in the month
  registerDeferredOutputVatSource('shipments', shipmentDeferredVatSource);
  registerCloseCheck('deferredOutputVat', unmovedDeferredVat);
}

export function registerModules(api: ApiRouter): void {
  registerApprovalDocuments();
  registerPostingRules();
  oaRoutes(api); // 费用报销 and 请假, mounted first as they were
  approvalRoutes(api);
  authRoutes(api);
  salesRoutes(api);
  attachmentRoutes(api);
  auditRoutes(api);
  supplierRoutes(api);
  warehouseRoutes(api);
  currencyRoutes(api);
  financeRoutes(api);
  customerRoutes(api);
  visitRoutes(api);
  crmRoutes(api);
  companyRoutes(api);
  departmentRoutes(api);
  userRoutes(api);
  roleRoutes(api);
  unitRoutes(api);
  itemCategoryRoutes(api);
  itemRoutes(api);
  stockRoutes(api);
  stockTransferRoutes(api);
  stockCountRoutes(api);
  stockReportRoutes(api);
  purchasingRoutes(api);
  bomRoutes(api);
  costingRoutes(api);
  kittingRoutes(api);
  mrpRoutes(api);
  forecastRoutes(api);
  productionTaskRoutes(api);
  workReportRoutes(api);
  qualityRoutes(api);
  noticeRoutes(api);
}
