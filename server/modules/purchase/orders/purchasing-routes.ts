// 采购 (purchasing documents): supplier prices, requisitions, orders, receipts and returns; 应付
// (purchase invoices, payments, settlements, aging and statements).
// Suppliers register on their own (suppliers/routes.ts).
import type { ApiRouter } from '../../../platform/http.ts';
import { purchaseOrderRoutes } from './routes.ts';
import { supplierPriceRoutes } from '../prices/routes.ts';
import { receiptRoutes } from '../receipts/routes.ts';
import { requisitionRoutes } from '../requisitions/routes.ts';
import { purchaseReturnRoutes } from '../returns/routes.ts';
import { payableRoutes } from '../payables/routes.ts';

export function purchasingRoutes(api: ApiRouter): void {
  supplierPriceRoutes(api);
  requisitionRoutes(api);
  purchaseOrderRoutes(api);
  receiptRoutes(api);
  purchaseReturnRoutes(api);
  payableRoutes(api);
}
