// 销售: quotations, sales orders, shipments and returns, contracts, receivables (应收).
import type { ApiRouter } from '../../platform/http.ts';
import { contractRoutes } from './contracts/routes.ts';
import { salesOrderRoutes } from './orders/routes.ts';
import { quotationRoutes } from './quotations/routes.ts';
import { receivableRoutes } from './receivables/routes.ts';
import { shipmentRoutes } from './shipments/routes.ts';

export function salesRoutes(api: ApiRouter): void {
  quotationRoutes(api);
  salesOrderRoutes(api);
  shipmentRoutes(api);
  contractRoutes(api);
  receivableRoutes(api);
}
