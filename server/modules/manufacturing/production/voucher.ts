// 生产任务单的凭证规则 — pure. Materials issued to a task (配套领料, or 倒冲 at a receipt) go into
// 生产成本 at the value the ledger took out; finished goods come in at standard cost (the provisional
// value the month's 成本计算 revalues) out of 生产成本:
//   借 生产成本 (the task's product) / 贷 原材料 / 库存商品 (by material, its kind)   领料
//   借 库存商品 (the product) / 贷 生产成本 (the product)                          完工入库
// 自制半成品 are kept in 库存商品 (inventoryAccount); the item dimension of 生产成本 is the task's product.
import { Decimal } from 'decimal.js';
import { ACCOUNTS, inventoryAccount, sumByItem, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';

export interface ProductionPostingFacts extends PostingFacts {
  /** YYYY-MM-DD, Asia/Shanghai */
  date: string;
  productId: string;
  productKind: string;
  /** materials issued by this step, base currency, to the fen */
  issued: { itemId: string; itemKind: string; amount: string }[];
  /** finished goods received by this step at standard cost (0 when none) */
  received: string;
}

export function productionVoucher(f: ProductionPostingFacts): VoucherDraft | null {
  const lines: PostingLine[] = [];
  const issueSummary = `生产领料 ${f.documentNumber}`;
  const byItem = sumByItem(f.issued, (l) => l.amount);
  const issued = byItem.reduce((t, r) => t.plus(r.total), new Decimal(0));
  if (!issued.isZero()) {
    lines.push({ account: ACCOUNTS.productionCost, summary: issueSummary, debit: issued, itemId: f.productId });
    lines.push(...byItem.map((r) => ({ account: inventoryAccount(r.itemKind), summary: issueSummary, credit: r.total, itemId: r.itemId })));
  }
  const receiptSummary = `完工入库 ${f.documentNumber}`;
  if (!new Decimal(f.received).isZero()) {
    lines.push({ account: inventoryAccount(f.productKind), summary: receiptSummary, debit: f.received, itemId: f.productId });
    lines.push({ account: ACCOUNTS.productionCost, summary: receiptSummary, credit: f.received, itemId: f.productId });
  }
  if (!lines.length) return null;
  return { date: f.date, summary: new Decimal(f.received).isZero() ? issueSummary : receiptSummary, lines };
}

/** What manufacturing registers with the finance engine for 生产任务单 (one voucher per issue or receipt). */
export const productionPosting = {
  rule: productionVoucher,
  document: { label: '生产任务单', apiPath: (id: string) => `/api/v1/production-tasks/${id}` },
};
