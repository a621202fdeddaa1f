// 费用报销的凭证规则 — pure, two steps (小企业会计准则 appendix, 5601 / 5602 / 2241):
//   approval: 借 管理费用 / 销售费用 (by category and project; department) at the amount less the deductible input VAT,
//             借 应交税费—应交增值税—进项税额 the deductible input VAT (expense-tax.ts: 专票 and 客票 of a
//             一般纳税人), 贷 其他应付款 (the applicant) the whole amount
//   payment:  借 其他应付款 (the applicant) / 贷 银行存款
// Category → account: 差旅、餐饮、交通、办公、招待 (业务招待费 is 管理费用 for a small enterprise) and
// 其他 are the costs of running the company, 管理费用; none of today's categories is a selling cost by
// itself (a category added for 运输、广告、展览 would map to 5601 销售费用 in this table).
import { Decimal } from 'decimal.js';
import type { ExpenseCategory, ExpenseInvoiceKind } from '../../../shared/enums.ts';
import { EXPENSE_CATEGORY_LABELS } from '../../../shared/enums.ts';
import { ACCOUNTS, type PostingFacts, type PostingLine, type VoucherDraft } from '../finance/index.ts';
import { deductibleInputVat } from './expense-tax.ts';

export const EXPENSE_ACCOUNT: Record<ExpenseCategory, string> = {
  travel: ACCOUNTS.adminExpenses,
  meal: ACCOUNTS.adminExpenses,
  transport: ACCOUNTS.adminExpenses,
  office: ACCOUNTS.adminExpenses,
  entertainment: ACCOUNTS.adminExpenses,
  other: ACCOUNTS.adminExpenses,
};

export interface ExpenseClaimPostingFacts extends PostingFacts {
  /** the day approved, YYYY-MM-DD */
  date: string;
  applicantId: string;
  applicantName: string;
  departmentId: string | null;
  /** the company's; a 小规模纳税人 deducts nothing (absent: 一般纳税人) */
  taxpayerKind?: 'generalTaxpayer' | 'smallScaleTaxpayer';
  /** invoiceKind / taxAmount absent: no invoice, nothing deducted */
  lines: { category: ExpenseCategory; amount: string; invoiceKind?: ExpenseInvoiceKind; taxAmount?: string; projectId?: string | null }[];
}

export function expenseClaimVoucher(f: ExpenseClaimPostingFacts): VoucherDraft | null {
  const summary = `费用报销 ${f.documentNumber} ${f.applicantName}`;
  // one expense line per category and project (a line without a project is its own group)
  const perCategory = new Map<string, { category: ExpenseCategory; projectId: string | null; amount: Decimal }>();
  let total = new Decimal(0);
  let inputVat = new Decimal(0);
  for (const l of f.lines) {
    const deductible = deductibleInputVat({ invoiceKind: l.invoiceKind ?? 'none', taxAmount: l.taxAmount ?? 0 }, f.taxpayerKind ?? 'generalTaxpayer');
    const key = `${l.category}|${l.projectId ?? ''}`;
    const group = perCategory.get(key) ?? { category: l.category, projectId: l.projectId ?? null, amount: new Decimal(0) };
    perCategory.set(key, { ...group, amount: group.amount.plus(l.amount).minus(deductible) });
    total = total.plus(l.amount);
    inputVat = inputVat.plus(deductible);
  }
  const lines: PostingLine[] = [
    ...[...perCategory.values()].map(({ category, projectId, amount }) => ({
      account: EXPENSE_ACCOUNT[category], summary: `${summary} ${EXPENSE_CATEGORY_LABELS[category]}`, debit: amount, departmentId: f.departmentId, employeeId: f.applicantId,
      ...(projectId ? { projectId } : {}),
    })),
    ...(inputVat.isZero() ? [] : [{ account: ACCOUNTS.inputVat, summary: `${summary} 进项税额`, debit: inputVat }]),
    { account: ACCOUNTS.otherPayable, summary, credit: total, employeeId: f.applicantId },
  ];
  return { date: f.date, summary, lines };
}

export interface ExpenseClaimPaymentFacts extends PostingFacts {
  /** the day paid, YYYY-MM-DD */
  date: string;
  applicantId: string;
  applicantName: string;
  amount: string;
  /** the account paid from, as the accountant named it */
  account: string;
}

export function expenseClaimPaymentVoucher(f: ExpenseClaimPaymentFacts): VoucherDraft | null {
  const summary = `支付报销款 ${f.documentNumber} ${f.applicantName}`;
  return {
    date: f.date, summary,
    lines: [
      { account: ACCOUNTS.otherPayable, summary, debit: f.amount, employeeId: f.applicantId },
      { account: ACCOUNTS.bank, summary: `${summary}（${f.account}）`.slice(0, 200), credit: f.amount },
    ],
  };
}

const document = (label: string) => ({ label, apiPath: (id: string) => `/api/v1/expense-claims/${id}` });
/** What OA registers with the finance engine: the approval's voucher and the payment's. */
export const expenseClaimPosting = { rule: expenseClaimVoucher, document: document('费用报销单') };
export const expenseClaimPaymentPosting = { rule: expenseClaimPaymentVoucher, document: document('费用报销单（付款）') };
