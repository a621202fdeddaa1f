// 盘盈 / 盘亏 (库存调整 and 盘点) voucher rule — pure. Per 小企业会计准则 第十五条 (and its appendix
// for 1901), a stock gain found in a count is 营业外收入 and a loss is 营业外支出 (the 企业会计准则
// practice of netting them into 管理费用 does not apply to small enterprises). With no approval step
// for a 盘点 in the system, the 待处理财产损溢 stage is skipped: the posted count or adjustment is the
// approval. Gains and losses are kept apart (a gain on one batch does not hide a loss on another):
//   借 原材料 / 库存商品 (by item) / 贷 营业外收入          (盘盈, at the value the ledger received)
//   借 营业外支出 / 贷 原材料 / 库存商品 (by item)          (盘亏 / 报损, at the value that left)
// 期初库存 is not posted here: opening balances are entered against the opening trial balance.
// Input VAT on goods lost through poor management (进项税额转出) is not worked out: the ledger does not
// know which losses are 非正常损失 nor their tax.
import { ACCOUNTS, inventoryAccount, sumByItem, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';
import { Decimal } from 'decimal.js';

export interface StockVariancePostingFacts extends PostingFacts {
  /** YYYY-MM-DD, Asia/Shanghai */
  date: string;
  /** 库存调整 or 盘点, for the summary */
  what: string;
  /** each move's item and signed value: > 0 came in (盘盈), < 0 went out (盘亏) */
  lines: { itemId: string; itemKind: string; amount: string }[];
}

export function stockVarianceVoucher(f: StockVariancePostingFacts): VoucherDraft | null {
  const gains = f.lines.filter((l) => new Decimal(l.amount).gt(0));
  const losses = f.lines.filter((l) => new Decimal(l.amount).lt(0));
  const gainSummary = `${f.what}盘盈 ${f.documentNumber}`;
  const lossSummary = `${f.what}盘亏 ${f.documentNumber}`;
  const lines: PostingLine[] = [];
  if (gains.length) {
    const byItem = sumByItem(gains, (l) => l.amount);
    lines.push(...byItem.map((r) => ({ account: inventoryAccount(r.itemKind), summary: gainSummary, debit: r.total, itemId: r.itemId })));
    lines.push({ account: ACCOUNTS.nonOperatingIncome, summary: gainSummary, credit: byItem.reduce((t, r) => t.plus(r.total), new Decimal(0)) });
  }
  if (losses.length) {
    const byItem = sumByItem(losses, (l) => new Decimal(l.amount).neg());
    lines.push({ account: ACCOUNTS.nonOperatingExpenses, summary: lossSummary, debit: byItem.reduce((t, r) => t.plus(r.total), new Decimal(0)) });
    lines.push(...byItem.map((r) => ({ account: inventoryAccount(r.itemKind), summary: lossSummary, credit: r.total, itemId: r.itemId })));
  }
  if (!lines.length) return null;
  return { date: f.date, summary: `${f.what} ${f.documentNumber}`, lines };
}

/** Registered for 库存调整单 (not 期初: those are never posted). */
export const stockAdjustmentPosting = {
  rule: stockVarianceVoucher,
  document: { label: '库存调整单', apiPath: (id: string) => `/api/v1/stock/adjustments/${id}` },
};

/** Registered for 盘点单. */
export const stockCountPosting = {
  rule: stockVarianceVoucher,
  document: { label: '盘点单', apiPath: (id: string) => `/api/v1/stock/counts/${id}` },
};
