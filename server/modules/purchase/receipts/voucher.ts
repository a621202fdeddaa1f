// 采购入库的凭证规则 — pure. Goods received before their invoice are booked at the receipt's value
// (the order's net price, base currency) against 应付账款—暂估应付款, without VAT (the invoice brings
// the tax and a red reversal of this voucher):
//   借 原材料 / 库存商品 (by item kind) / 贷 应付账款—暂估应付款 (供应商).
import { Decimal } from 'decimal.js';
import { ACCOUNTS, inventoryAccount, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';

export interface ReceiptPostingFacts extends PostingFacts {
  /** the receipt's day, YYYY-MM-DD, Asia/Shanghai */
  date: string;
  supplierId: string;
  supplierName: string;
  /** base currency, to the fen */
  lines: { itemId: string; itemKind: string; amount: string }[];
}

export function receiptVoucher(f: ReceiptPostingFacts): VoucherDraft | null {
  const summary = `采购入库暂估 ${f.documentNumber} ${f.supplierName}`;
  const perItem = new Map<string, { kind: string; total: Decimal }>();
  for (const l of f.lines) {
    const s = perItem.get(l.itemId) ?? { kind: l.itemKind, total: new Decimal(0) };
    s.total = s.total.plus(l.amount);
    perItem.set(l.itemId, s);
  }
  const total = f.lines.reduce((t, l) => t.plus(l.amount), new Decimal(0));
  const lines: PostingLine[] = [
    ...[...perItem].map(([itemId, s]) => ({ account: inventoryAccount(s.kind), summary, debit: s.total, itemId, supplierId: f.supplierId })),
    { account: ACCOUNTS.payableProvisional, summary, credit: total, supplierId: f.supplierId },
  ];
  return { date: f.date, summary, lines };
}

/** What the purchase module registers with the finance engine for 采购入库单. */
export const receiptPosting = {
  rule: receiptVoucher,
  document: { label: '采购入库单', apiPath: (id: string) => `/api/v1/purchase-receipts/${id}` },
};
