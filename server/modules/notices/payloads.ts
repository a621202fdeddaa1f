// The outbox payloads cards are built from (written by server/modules/inventory/stock/ledger.ts
// and server/platform/timeline.ts), checked on the way in: an event from an older or newer
// version of the code that does not fit is skipped by the caller, never half-rendered.
import { z } from 'zod';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

/** `stock.shortage`: an item's available stock fell below its safety stock. */
export const ShortagePayload = z.object({
  itemId: z.string(),
  code: z.string(),
  name: z.string(),
  spec: z.string().nullish(),
  /** base unit name, where the emitter knows it */
  unit: z.string().nullish(),
  available: decimal,
  safetyStock: decimal,
  onOrder: decimal,
  suggestedQuantity: decimal,
});
export type ShortagePayload = z.infer<typeof ShortagePayload>;

/**
 * `production.shortage`: a released production task went short of kit materials (written by
 * server/modules/manufacturing/kitting/shortage.ts); joins the `stock.shortage` digest.
 */
export const ProductionShortagePayload = z.object({
  taskId: z.string(),
  number: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  plannedStart: z.string(),
  lines: z.array(z.object({
    itemId: z.string(),
    code: z.string(),
    name: z.string(),
    unit: z.string().nullish(),
    short: decimal,
    /** the promised date of the PO that covers it; null: none does */
    arrivalDate: z.string().nullish(),
    /** 「2026-12-20 到货」「无在途」「在途不足，仍缺 40」 */
    arrivalLabel: z.string(),
  })).min(1),
});
export type ProductionShortagePayload = z.infer<typeof ProductionShortagePayload>;

export function parseProductionShortagePayload(payload: unknown): ProductionShortagePayload | null {
  const r = ProductionShortagePayload.safeParse(payload);
  return r.success ? r.data : null;
}

/** `order.progress`: one step of an order's timeline. */
export const OrderProgressPayload = z.object({
  orderType: z.enum(['salesOrder', 'purchaseOrder']),
  orderId: z.string(),
  number: z.string(),
  kind: z.string(),
  message: z.string(),
  actor: z.string().nullish(),
  data: z.unknown().optional(),
});
export type OrderProgressPayload = z.infer<typeof OrderProgressPayload>;

export function parseShortagePayload(payload: unknown): ShortagePayload | null {
  const r = ShortagePayload.safeParse(payload);
  return r.success ? r.data : null;
}

export function parseOrderProgressPayload(payload: unknown): OrderProgressPayload | null {
  const r = OrderProgressPayload.safeParse(payload);
  return r.success ? r.data : null;
}

/** `expenseClaim.paid`: the accountant paid an approved claim (server/modules/oa/expenses.ts). */
export const ExpensePaidPayload = z.object({
  claimId: z.string(),
  number: z.string(),
  applicantId: z.string(),
  totalAmount: decimal,
  paidOn: z.string(),
  account: z.string(),
  paidBy: z.string(),
});
export type ExpensePaidPayload = z.infer<typeof ExpensePaidPayload>;

export function parseExpensePaidPayload(payload: unknown): ExpensePaidPayload | null {
  const r = ExpensePaidPayload.safeParse(payload);
  return r.success ? r.data : null;
}

/** `mrp.completed`: an MRP run finished (server/modules/manufacturing/mrp/service.ts); the planner group's summary card. */
export const MrpCompletedPayload = z.object({
  runId: z.string(),
  startedBy: z.string(),
  purchaseCount: z.number().int(),
  productionCount: z.number().int(),
  pastDueCount: z.number().int(),
  purchaseAmount: decimal,
});
export type MrpCompletedPayload = z.infer<typeof MrpCompletedPayload>;

export function parseMrpCompletedPayload(payload: unknown): MrpCompletedPayload | null {
  const r = MrpCompletedPayload.safeParse(payload);
  return r.success ? r.data : null;
}

/** `quality.inspectionDue`: stock came in 待检 and waits for 质检 (server/modules/quality/service.ts); the inspectors' card. */
export const InspectionDuePayload = z.object({
  inspectionId: z.string(),
  number: z.string(),
  sourceType: z.enum(['purchaseReceipt', 'productionReceipt']),
  sourceNo: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  spec: z.string().nullish(),
  unit: z.string(),
  quantity: decimal,
});
export type InspectionDuePayload = z.infer<typeof InspectionDuePayload>;

export function parseInspectionDuePayload(payload: unknown): InspectionDuePayload | null {
  const r = InspectionDuePayload.safeParse(payload);
  return r.success ? r.data : null;
}

/** `receivables.overdueDigest`: a salesperson's customers' overdue invoices, once a week (server/modules/sales/receivables/reminders.ts). */
export const OverdueDigestPayload = z.object({
  week: z.string(),
  asOf: z.string(),
  userId: z.string(),
  total: decimal,
  customers: z.array(z.object({
    customerId: z.string(),
    customerName: z.string(),
    overdue: decimal,
    invoices: z.array(z.object({ number: z.string(), invoiceNo: z.string().nullish(), dueDate: z.string(), open: decimal, overdueDays: z.number().int() })),
  })),
});
export type OverdueDigestPayload = z.infer<typeof OverdueDigestPayload>;

export function parseOverdueDigestPayload(payload: unknown): OverdueDigestPayload | null {
  const r = OverdueDigestPayload.safeParse(payload);
  return r.success ? r.data : null;
}

/** `finance.bossDaily`: the day's 老板看板 figures (server/modules/finance/dashboard/schedule.ts) and the bosses to tell. */
export const BossDailyPayload = z.object({
  date: z.string(),
  sales: decimal,
  receipts: decimal,
  payments: decimal,
  cashBalance: decimal,
  overdueReceivables: z.array(z.object({ customerId: z.string(), customerName: z.string(), amount: decimal })),
  overdueNote: z.string().nullish(),
  userIds: z.array(z.string()),
});
export type BossDailyPayload = z.infer<typeof BossDailyPayload>;

export function parseBossDailyPayload(payload: unknown): BossDailyPayload | null {
  const r = BossDailyPayload.safeParse(payload);
  return r.success ? r.data : null;
}

/** `receivables.statement`: a customer's 对账单 totals sent to the customer's groups (server/modules/sales/receivables/statement-send.ts). */
export const CustomerStatementPayload = z.object({
  customerId: z.string(),
  customerName: z.string(),
  from: z.string(),
  to: z.string(),
  opening: decimal,
  invoiced: decimal,
  received: decimal,
  closing: decimal,
});
export type CustomerStatementPayload = z.infer<typeof CustomerStatementPayload>;

export function parseCustomerStatementPayload(payload: unknown): CustomerStatementPayload | null {
  const r = CustomerStatementPayload.safeParse(payload);
  return r.success ? r.data : null;
}

/** `crm.followUpDue`: a follow-up's next contact day has come (server/modules/crm/follow-ups/reminders.ts); to the salesperson who wrote it. */
export const FollowUpDuePayload = z.object({
  date: z.string(),
  followUpId: z.string(),
  userId: z.string(),
  customerId: z.string().nullish(),
  customerName: z.string().nullish(),
  leadId: z.string().nullish(),
  leadCompany: z.string().nullish(),
  type: z.string(),
  content: z.string(),
  lastOn: z.string(),
});
export type FollowUpDuePayload = z.infer<typeof FollowUpDuePayload>;

export function parseFollowUpDuePayload(payload: unknown): FollowUpDuePayload | null {
  const r = FollowUpDuePayload.safeParse(payload);
  return r.success ? r.data : null;
}
