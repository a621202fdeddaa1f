// Every module's routes, mounted under /api/v1.
import type { ApiRouter } from '../platform/http.ts';
import { attachmentRoutes } from './attachments/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { supplierRoutes } from './purchase/suppliers/routes.ts';
import { warehouseRoutes } from './inventory/warehouses/routes.ts';
import { currencyRoutes } from './finance/currencies/routes.ts';
import { customerRoutes } from './crm/customers/routes.ts';
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
import { salesRoutes } from './sales/routes.ts';
import { purchasingRoutes } from './purchase/orders/purchasing-routes.ts';
import { noticeRoutes } from './notices/routes.ts';
import { approvalRoutes } from './approvals/routes.ts';

export function registerModules(api: ApiRouter): void {
  approvalRoutes(api);
  authRoutes(api);
  salesRoutes(api);
  attachmentRoutes(api);
  auditRoutes(api);
  supplierRoutes(api);
  warehouseRoutes(api);
  currencyRoutes(api);
  customerRoutes(api);
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
  noticeRoutes(api);
}
