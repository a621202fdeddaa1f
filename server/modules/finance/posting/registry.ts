// 凭证规则 (VoucherRule) per document type: each document module registers a pure function from its
// document's facts to the voucher's lines (accounts by code), and calls postDocument in its own
// transaction. The engine imports no document module; it looks the rule up at call time.
import type { Decimal } from 'decimal.js';
import { AppError } from '../../../platform/errors.ts';

/** One line a rule asks for: an account by code, a debit or a credit to the fen, dimensions. */
export interface PostingLine {
  account: string;
  summary?: string;
  debit?: Decimal.Value;
  credit?: Decimal.Value;
  customerId?: string | null;
  supplierId?: string | null;
  departmentId?: string | null;
  employeeId?: string | null;
  itemId?: string | null;
  projectId?: string | null;
  /** 外币 (null: base currency): the currency, the foreign amount (sign of the line's amount) and the rate */
  currencyCode?: string | null;
  amountForeign?: Decimal.Value | null;
  rate?: Decimal.Value | null;
}

/** What a rule returns: the voucher's date (YYYY-MM-DD, Asia/Shanghai), summary (摘要) and lines. */
export interface VoucherDraft {
  date: string;
  summary: string;
  lines: PostingLine[];
  /** a 红字 voucher: every amount below 0 (e.g. the part of a 暂估 an invoice reverses) */
  red?: boolean;
}

/** Every document's facts name the document, which the voucher links back to. */
export interface PostingFacts {
  documentId: string;
  documentNumber: string;
}

/** Pure: document facts → the voucher (null when the document moves no money, e.g. all amounts 0). */
export type VoucherRule<F extends PostingFacts> = (facts: F) => VoucherDraft | null;

export interface PostingDocument {
  /** 销售出库单 … as the voucher's source shows it */
  label: string;
  /** the document's API path, for a voucher line to lead back to it */
  apiPath(documentId: string): string;
}

interface Registered extends PostingDocument {
  rule: VoucherRule<PostingFacts>;
}

const rules = new Map<string, Registered>();

export function registerPostingRule<F extends PostingFacts>(documentType: string, rule: VoucherRule<F>, document: PostingDocument): void {
  if (rules.has(documentType)) throw new AppError('INTERNAL', `单据类型「${documentType}」的凭证规则已登记，不能重复登记`);
  rules.set(documentType, { ...document, rule: rule as VoucherRule<PostingFacts> });
}

export function isPostingRuleRegistered(documentType: string): boolean {
  return rules.has(documentType);
}

export function postingRuleOf(documentType: string): Registered {
  const found = rules.get(documentType);
  if (!found) throw new AppError('INTERNAL', `单据类型「${documentType}」没有登记凭证规则，不能生成凭证`);
  return found;
}

/** The source document as a voucher shows it; null for a type no rule is registered for here. */
export function postingDocumentOf(documentType: string): PostingDocument | null {
  return rules.get(documentType) ?? null;
}
