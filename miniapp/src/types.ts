// TO BE REMOVED (after the detail/form pages import from shared/schemas themselves): the old names
// of the API's shapes, now only aliases of the shared contract's inferred types (type-only, so no
// zod in the bundle). New code imports the types from shared/schemas/* with `import type`.

export type { Page, ErrorBody as ApiErrorBody } from '../../shared/schemas/common';
export type { CurrentUser as User, LoginResponse, PlatformSignInResponse, PlatformBinding } from '../../shared/schemas/auth';
export type { DataScope } from '../../shared/enums';
export type { Customer, Contact } from '../../shared/schemas/crm';
export type { Ref as UserRef, CodedRef, ItemRef } from '../../shared/schemas/sales/lines';
export type { StockItemRef, StockLevelRow, StockPosition } from '../../shared/schemas/stock';
export type { SalesOrder, SalesOrderLine, TimelineEntry } from '../../shared/schemas/sales/orders';
export type { PurchaseOrder, PurchaseOrderLine } from '../../shared/schemas/purchasing';
export type {
  ApprovalListItem,
  ApprovalDetail,
  ApprovalStepView as ApprovalStep,
  ApprovalTaskView as ApprovalTask,
  ApprovalHistoryEntry,
  ApprovalStateValue as ApprovalState,
  StepMode,
} from '../../shared/schemas/approvals';
export type { Colleague as UserRow } from '../../shared/schemas/org';
export type {
  ExpenseClaim,
  ExpenseClaimCreateInput as ExpenseClaimInput,
  LeaveRequest,
  LeaveRequestCreateInput as LeaveRequestInput,
} from '../../shared/schemas/oa';
export type { Contract } from '../../shared/schemas/contracts';
export type { Attachment as AttachmentInfo } from '../../shared/schemas/attachments';

import type { Customer } from '../../shared/schemas/crm';
import type { StockPosition } from '../../shared/schemas/stock';
import type { SalesOrder } from '../../shared/schemas/sales/orders';

/** GET /api/v1/customers answers whole customers; the list needs these. */
export type CustomerSummary = Pick<Customer, 'id' | 'code' | 'name'> &
  Partial<Pick<Customer, 'level' | 'city' | 'province' | 'phone' | 'industry' | 'owner'>>;
export type StockFigures = StockPosition['total'];
export type ShipmentSummary = NonNullable<SalesOrder['shipments']>[number];
