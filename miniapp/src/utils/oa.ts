// 费用报销 and 请假 forms: choices, checks with Chinese messages, and the values the API wants
// (pure; unit-testable). The choices are the server's own (shared/enums.ts, zod-free).
import {
  EXPENSE_CATEGORY_LABELS,
  EXPENSE_INVOICE_KIND_LABELS,
  LEAVE_KIND_LABELS,
  type ExpenseCategory,
  type ExpenseInvoiceKind,
  type LeaveKind,
} from '../../../shared/enums';
import { DEFAULT_PASSENGER_VAT_RATES, passengerTicketTaxText } from '../../../shared/passenger-vat';
import type { ExpenseClaimCreateInput, LeaveRequestCreateInput } from '../../../shared/schemas/oa';
import { formatDateTime, type TagType } from './format';

function choices<K extends string>(labels: Readonly<Record<K, string>>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

export const EXPENSE_CATEGORIES = choices(EXPENSE_CATEGORY_LABELS);
export const EXPENSE_INVOICE_KINDS = choices(EXPENSE_INVOICE_KIND_LABELS);

export function expenseInvoiceKindLabel(value: string): string {
  return EXPENSE_INVOICE_KINDS.find((k) => k.value === value)?.label ?? value;
}
export const LEAVE_KINDS = choices(LEAVE_KIND_LABELS);

export function expenseCategoryLabel(value: string): string {
  return EXPENSE_CATEGORIES.find((c) => c.value === value)?.label ?? value;
}

export function leaveKindLabel(value: string): string {
  return LEAVE_KINDS.find((k) => k.value === value)?.label ?? value;
}

/** 草稿 / 待审批 / 已批准 / 已关闭（报销单: 已付款）/ 已取消 of an OA document */
export function oaStateTagType(state: string): TagType {
  if (state === 'pendingApproval') return 'warning';
  if (state === 'confirmed' || state === 'closed') return 'success';
  if (state === 'cancelled') return 'danger';
  return 'default';
}

// ---- 费用报销 ----

export interface ExpenseLineDraft {
  category: string;
  amount: string;
  invoiceNo: string;
  description: string;
  /** the uploaded invoice photo / PDF (null: none yet) */
  attachmentId: string | null;
  /** 发票类型 (absent: the server's default — 普通发票 with a number, else 无发票) */
  invoiceKind?: string;
  /** 税额: typed for a 专票 (or 普票); a ticket's is computed (ticketTaxPreview) */
  taxAmount?: string;
  /** 航空客票: 票价 + 燃油附加费 (empty: the amount) */
  fareAndFuel?: string;
  /** 项目 the cost goes to (null / absent: none) — picked among the projects in progress */
  project?: { id: string; code: string; name: string } | null;
}

export function emptyExpenseLine(): ExpenseLineDraft {
  return { category: '', amount: '', invoiceNo: '', description: '', attachmentId: null, invoiceKind: '', taxAmount: '', fareAndFuel: '', project: null };
}

export const isTicket = (kind: string | undefined): kind is 'airTicket' | 'railTicket' | 'roadWaterTicket' =>
  kind === 'airTicket' || kind === 'railTicket' || kind === 'roadWaterTicket';

/** The computed 税额 of a passenger ticket line at the default rates ('' when not a ticket or no amount yet); the server's, at the company's rates, is what is kept. */
export function ticketTaxPreview(line: ExpenseLineDraft): string {
  if (!isTicket(line.invoiceKind)) return '';
  const base = line.invoiceKind === 'airTicket' && line.fareAndFuel?.trim() ? line.fareAndFuel.trim() : line.amount.trim();
  if (!AMOUNT.test(base)) return '';
  return passengerTicketTaxText(line.invoiceKind, base, DEFAULT_PASSENGER_VAT_RATES);
}

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/** Per-field messages of one line ({} when it is fine). */
export function expenseLineErrors(line: ExpenseLineDraft): Partial<Record<keyof ExpenseLineDraft, string>> {
  const errors: Partial<Record<keyof ExpenseLineDraft, string>> = {};
  if (!EXPENSE_CATEGORIES.some((c) => c.value === line.category)) errors.category = '请选择费用类别';
  const amount = line.amount.trim();
  if (!amount) errors.amount = '请填写金额';
  else if (!AMOUNT.test(amount)) errors.amount = '金额格式不对，最多两位小数';
  else if (!/[1-9]/.test(amount)) errors.amount = '金额必须大于 0';
  if (line.invoiceNo.trim().length > 40) errors.invoiceNo = '发票号最多 40 个字符';
  if (line.description.trim().length > 200) errors.description = '说明最多 200 个字';
  const tax = line.taxAmount?.trim() ?? '';
  if (line.invoiceKind === 'special' && !tax) errors.taxAmount = '增值税专用发票请填写税额';
  else if (tax && !isTicket(line.invoiceKind) && line.invoiceKind !== 'none') {
    if (!AMOUNT.test(tax)) errors.taxAmount = '税额格式不对，不能为负，最多两位小数';
    else if (!errors.amount && cents(tax) > cents(amount)) errors.taxAmount = '税额不能大于金额';
  }
  const fare = line.fareAndFuel?.trim() ?? '';
  if (line.invoiceKind === 'airTicket' && fare) {
    if (!AMOUNT.test(fare)) errors.fareAndFuel = '票价+燃油附加费格式不对，最多两位小数';
    else if (!errors.amount && cents(fare) > cents(amount)) errors.fareAndFuel = '票价+燃油附加费不能大于金额';
  }
  return errors;
}

/** A well-formed amount in cents. */
function cents(a: string): bigint {
  const [int, frac = ''] = a.trim().split('.');
  return BigInt(int ?? '0') * 100n + BigInt((frac + '00').slice(0, 2));
}

/** Σ amounts in cents (strings in, "123.40" out; unreadable amounts count as 0). */
export function sumAmounts(amounts: string[]): string {
  let cents = 0n;
  for (const a of amounts) {
    const m = AMOUNT.exec(a.trim());
    if (!m) continue;
    const [int, frac = ''] = a.trim().split('.');
    cents += BigInt(int ?? '0') * 100n + BigInt((frac + '00').slice(0, 2));
  }
  const s = cents.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** The body of POST /expense-claims (the drafts passed expenseLineErrors first). */
export function expenseClaimInput(lines: ExpenseLineDraft[], remark: string): ExpenseClaimCreateInput {
  return {
    remark: remark.trim() || null,
    lines: lines.map((l) => ({
      category: l.category as ExpenseCategory,
      amount: l.amount.trim(),
      invoiceNo: l.invoiceNo.trim() || null,
      description: l.description.trim() || null,
      attachmentId: l.attachmentId,
      ...(l.invoiceKind ? { invoiceKind: l.invoiceKind as ExpenseInvoiceKind } : {}),
      // a ticket's tax is the server's to compute; none has none
      ...(l.invoiceKind && !isTicket(l.invoiceKind) && l.invoiceKind !== 'none' && l.taxAmount?.trim() ? { taxAmount: l.taxAmount.trim() } : {}),
      ...(l.invoiceKind === 'airTicket' && l.fareAndFuel?.trim() ? { fareAndFuel: l.fareAndFuel.trim() } : {}),
      ...(l.project ? { projectId: l.project.id } : {}),
    })),
  };
}

// ---- 请假 ----

export interface LeaveDraft {
  kind: string;
  /** what the date and time pickers give: 2026-11-24T09:00 (Shanghai wall time) */
  start: string;
  end: string;
  reason: string;
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?$/;

/** "2026-11-24T09:00" → "2026-11-24T09:00:00+08:00" (the company works in Shanghai time). */
export function shanghaiIso(local: string): string | null {
  const m = LOCAL.exec(local.trim());
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}:00+08:00`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

export function leaveErrors(draft: LeaveDraft): Partial<Record<keyof LeaveDraft, string>> {
  const errors: Partial<Record<keyof LeaveDraft, string>> = {};
  if (!LEAVE_KINDS.some((k) => k.value === draft.kind)) errors.kind = '请选择假期类型';
  const start = shanghaiIso(draft.start);
  const end = shanghaiIso(draft.end);
  if (!start) errors.start = '请选择开始时间';
  if (!end) errors.end = '请选择结束时间';
  else if (start && Date.parse(end) <= Date.parse(start)) errors.end = '结束时间必须晚于开始时间';
  const reason = draft.reason.trim();
  if (!reason) errors.reason = '请填写请假事由';
  else if (reason.length > 500) errors.reason = '事由最多 500 个字';
  return errors;
}

/** The body of POST /leave-requests (the draft passed leaveErrors first). */
export function leaveRequestInput(draft: LeaveDraft): LeaveRequestCreateInput {
  return {
    kind: draft.kind as LeaveKind,
    startAt: shanghaiIso(draft.start) ?? draft.start,
    endAt: shanghaiIso(draft.end) ?? draft.end,
    reason: draft.reason.trim(),
  };
}

/** 2026-11-24 09:00 至 2026-11-26 18:00 */
export function leavePeriod(startAt: string, endAt: string): string {
  return `${formatDateTime(startAt)} 至 ${formatDateTime(endAt)}`;
}

/** The first and last day of the month of `date` in Shanghai, as YYYY-MM-DD. */
export function monthRange(date: Date = new Date()): { from: string; to: string } {
  const shanghai = new Date(date.getTime() + 8 * 3_600_000);
  const y = shanghai.getUTCFullYear();
  const m = shanghai.getUTCMonth();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const mm = String(m + 1).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}

/** "2026-11-24T09:00" → "2026-11-24 09:00" for the form (empty stays empty). */
export function localDateTimeText(local: string): string {
  return local.replace('T', ' ');
}

/** "2.0" → "2 天", "2.5" → "2.5 天" */
export function leaveDaysText(days: string): string {
  return `${Number(days)} 天`;
}
