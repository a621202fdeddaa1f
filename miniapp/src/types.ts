// Shapes of the API replies the mini-app uses (see /api/v1 OpenAPI docs).

export type DataScope = 'own' | 'department' | 'all';

export interface User {
  id: string;
  username: string;
  name: string;
  companyId: string;
  companyName: string;
  departmentName: string | null;
  roles: string[];
  permissions: string[];
  dataScope: DataScope | string;
}

export interface LoginResponse {
  token: string;
  user: User;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface UserRef {
  id: string;
  name: string;
}

export interface Contact {
  id: string;
  name: string;
  title: string | null;
  mobile: string | null;
  email: string | null;
  isPrimary: boolean;
}

export interface Customer {
  id: string;
  code: string;
  name: string;
  taxNo: string | null;
  industry: string | null;
  level: string | null;
  /** decimal as string, e.g. "500000.00" */
  creditLimit: string;
  paymentTermDays: number;
  currencyCode: string;
  owner: UserRef | null;
  phone: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  address: string | null;
  /** GCJ-02, decimal strings */
  latitude: string | null;
  longitude: string | null;
  remark: string | null;
  contacts: Contact[];
  version: number;
}

/** A row of GET /api/v1/customers (the list may omit the detail-only fields). */
export type CustomerSummary = Pick<Customer, 'id' | 'code' | 'name'> &
  Partial<Pick<Customer, 'level' | 'city' | 'province' | 'phone' | 'industry'>> & {
    owner?: UserRef | null;
  };

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export interface CodedRef {
  id: string;
  code: string;
  name: string;
}

// ---- 库存 (GET /api/v1/stock/levels, /api/v1/stock/items/:itemId) ----

export interface StockItemRef extends CodedRef {
  spec: string | null;
  /** base unit name */
  unit: string;
}

/** One item × warehouse (warehouse null: below safety stock with no stock and nothing on order anywhere). */
export interface StockLevelRow {
  item: StockItemRef;
  warehouse: CodedRef | null;
  onHand: string;
  reserved: string;
  available: string;
  onOrder: string;
  /** the item's safety stock, all warehouses together */
  safetyStock: string;
  /** the item's available stock, all warehouses together, is below its safety stock */
  belowSafety: boolean;
}

export interface StockFigures {
  onHand: string;
  reserved: string;
  available: string;
  /** 待检 */
  pending: string;
  /** 不合格 */
  rejected: string;
  onOrder: string;
}

export interface StockPosition {
  item: StockItemRef & { batchTracked: boolean };
  safetyStock: string;
  belowSafety: boolean;
  averageCost: string;
  value: string;
  total: StockFigures;
  warehouses: (StockFigures & { warehouse: CodedRef; value: string })[];
  batches: { warehouse: CodedRef; batchNo: string; qualityStatus: string; onHand: string }[];
}

// ---- 销售订单 (GET /api/v1/sales-orders, /api/v1/sales-orders/:id) ----

export interface ItemRef extends CodedRef {
  spec: string | null;
}

export interface TimelineEntry {
  id: string;
  kind: string;
  message: string;
  data: unknown;
  actor: UserRef | null;
  at: string;
}

export interface SalesOrderLine {
  id: string;
  lineNo: number;
  item: ItemRef;
  /** the line's unit (箱, 个 …) */
  unit: UserRef;
  /** base units per line unit */
  factor: string;
  quantity: string;
  baseQuantity: string;
  listPrice: string;
  unitPrice: string;
  discountRate: string;
  taxRate: string;
  amount: string;
  taxAmount: string;
  amountWithTax: string;
  warehouse: CodedRef;
  requestedDate: string | null;
  /** base unit */
  shippedQuantity: string;
  returnedQuantity: string;
  reservedQuantity: string;
  shortQuantity: string;
}

export interface ShipmentSummary {
  id: string;
  number: string;
  shippedAt: string;
  createdBy: UserRef | null;
  lines: unknown[];
}

export interface SalesOrder {
  id: string;
  number: string;
  customer: CodedRef;
  owner: UserRef;
  warehouse: CodedRef;
  quotation: { id: string; number: string } | null;
  currencyCode: string;
  exchangeRate: string;
  orderDate: string;
  requestedDate: string | null;
  paymentTermDays: number;
  prepaymentRequired: boolean;
  state: string;
  shipmentProgress: string;
  invoiceProgress: string;
  paymentProgress: string;
  listTotal: string;
  totalAmount: string;
  totalTax: string;
  totalWithTax: string;
  advanceReceived: string;
  creditOverride: boolean;
  remark: string | null;
  confirmedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** detail only */
  lines?: SalesOrderLine[];
  shipments?: ShipmentSummary[];
  returns?: { id: string; number: string; returnedAt: string; reason: string | null }[];
  /** detail only; oldest first */
  timeline?: TimelineEntry[];
}

// ---- 采购订单 (GET /api/v1/purchase-orders/:id) ----

export interface PurchaseOrderLine {
  id: string;
  lineNo: number;
  item: ItemRef;
  warehouse: CodedRef;
  unit: CodedRef;
  factor: string;
  quantity: string;
  baseQuantity: string;
  unitPrice: string;
  taxRate: string;
  amount: string;
  taxAmount: string;
  amountWithTax: string;
  promisedDate: string | null;
  /** base unit */
  receivedQuantity: string;
  returnedQuantity: string;
  openQuantity: string;
}

export interface PurchaseOrder {
  id: string;
  number: string;
  supplier: CodedRef;
  buyer: UserRef;
  warehouse: CodedRef;
  currencyCode: string;
  exchangeRate: string;
  orderDate: string;
  state: string;
  stateLabel: string;
  receiptProgress: string;
  receiptProgressLabel: string;
  totalAmount: string;
  totalTax: string;
  totalWithTax: string;
  remark: string | null;
  confirmedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  lines: PurchaseOrderLine[];
  receipts: {
    id: string; number: string; receivedAt: string; totalAmount: string; createdBy: UserRef | null;
    /** the rate the receipt was valued at (order currency → CNY) and its basis */
    currencyCode: string; exchangeRate: string; rateBasisLabel: string;
  }[];
  returns: { id: string; number: string; returnedAt: string; totalAmount: string; reason: string | null }[];
  timeline: TimelineEntry[];
}

// ---- 免登 / 绑定 (POST /api/v1/auth/platform/:platform[/bind]) ----

export type PlatformSignInResponse =
  | (LoginResponse & { bound: true })
  | { bound: false; message: string; bindToken: string };

export interface PlatformBinding {
  platform: string;
  externalUserId: string;
}

// ---- 审批 (GET /api/v1/approvals/pending|submitted|cc, /api/v1/approvals/:id) ----

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'withdrawn';
export type StepMode = 'anyOf' | 'allOf';

export interface ApprovalListItem {
  id: string;
  /** salesDiscount | purchaseOrder | expenseClaim | leaveRequest … */
  businessType: string;
  businessTypeLabel: string;
  documentType: string;
  documentId: string;
  documentNumber: string | null;
  documentVersion: number;
  /** the document's page in the mini-app without the leading slash, e.g. sales-orders/<id> */
  documentRoute: string | null;
  title: string;
  state: ApprovalState | string;
  stateLabel: string;
  applicant: UserRef;
  currentStep: { index: number; name: string; mode: StepMode } | null;
  /** { fields: [{ label, value }], rule, facts, … } */
  summary: Record<string, unknown>;
  decidedBy: UserRef | null;
  decidedAt: string | null;
  rejectReason: string | null;
  myTaskId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ApprovalTask {
  id: string;
  approver: UserRef;
  /** pending | agreed | rejected | transferred | skipped | cancelled */
  state: string;
  /** rule | transfer | addApprover | escalation | fallback */
  origin: string;
  comment: string | null;
  decidedAt: string | null;
}

export interface ApprovalStep {
  index: number;
  name: string;
  mode: StepMode;
  /** waiting | active | agreed | rejected | skipped | cancelled */
  state: string;
  activatedAt: string | null;
  decidedAt: string | null;
  tasks: ApprovalTask[];
}

export interface ApprovalHistoryEntry {
  id: string;
  action: string;
  actionLabel: string;
  actor: UserRef | null;
  comment: string | null;
  payload: unknown;
  at: string;
}

export interface ApprovalDetail extends ApprovalListItem {
  flow: { id: string; name: string; version: number };
  steps: ApprovalStep[];
  history: ApprovalHistoryEntry[];
  ccUsers: UserRef[];
  canDecide: boolean;
  canWithdraw: boolean;
}

/** A row of GET /api/v1/colleagues (通讯录). */
export interface UserRow {
  id: string;
  username: string;
  name: string;
  department: UserRef | null;
}

// ---- 费用报销 / 请假 (GET /api/v1/expense-claims, /api/v1/leave-requests) ----

export interface ExpenseClaimLine {
  lineNo: number;
  category: string;
  categoryLabel: string;
  amount: string;
  invoiceNo: string | null;
  attachmentId: string | null;
  description: string | null;
  occurredOn: string | null;
}

export interface ExpenseClaim {
  id: string;
  number: string;
  applicant: UserRef;
  department: UserRef | null;
  claimDate: string;
  totalAmount: string;
  state: string;
  stateLabel: string;
  readyForPayment: boolean;
  /** 已付款: when, from which account, by whom */
  payment: { paidOn: string; account: string; paidBy: UserRef; paidAt: string } | null;
  remark: string | null;
  lines: ExpenseClaimLine[];
  approvalId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ExpenseClaimInput {
  remark?: string | null;
  lines: { category: string; amount: string; invoiceNo?: string | null; description?: string | null; attachmentId?: string | null }[];
}

export interface LeaveRequest {
  id: string;
  number: string;
  applicant: UserRef;
  department: UserRef | null;
  kind: string;
  kindLabel: string;
  startAt: string;
  endAt: string;
  days: string;
  reason: string;
  state: string;
  stateLabel: string;
  approvalId: string | null;
  createdAt: string;
  version: number;
}

export interface LeaveRequestInput {
  kind: string;
  /** ISO 8601 with +08:00 */
  startAt: string;
  endAt: string;
  /** left out: the server counts the days on the work calendar */
  days?: string;
  reason: string;
}

/** GET /api/v1/contracts/:id (销售合同). */
export interface Contract {
  id: string;
  number: string;
  title: string;
  customer: { id: string; code: string; name: string };
  owner: UserRef;
  amount: string;
  signDate: string;
  startDate: string | null;
  endDate: string | null;
  paymentTerms: string | null;
  content: string | null;
  attachmentId: string | null;
  state: string;
  stateLabel: string;
  approvalId: string | null;
  createdBy: UserRef;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** POST /api/v1/attachments → the stored file. */
export interface AttachmentInfo {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
}
