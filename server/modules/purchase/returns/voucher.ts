// 采购退货的凭证规则 — pure. Goods go back to the supplier at their receipt cost, which is what the
// supplier owes us back off the 暂估 it was booked against (purchase invoices are not on this branch:
// every receipt is still 暂估, so a return reduces 应付账款—暂估应付款); the stock gives up what the
// ledger took out, and the difference (the ledger's `variance` = receipt cost − value taken out, when
// the stock held less value than the receipt cost) is a price variance to 主营业务成本:
//   借 应付账款—暂估应付款 (供应商) 退货成本 / 贷 原材料 / 库存商品 (by item kind) 出库金额 /
//   贷 主营业务成本 差异 (借 when negative).
import { Decimal } from 'decimal.js';
import { ACCOUNTS, debitOrCredit, inventoryAccount, sumByItem, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';

export interface PurchaseReturnPostingFacts extends PostingFacts {
  /** the return's day, YYYY-MM-DD, Asia/Shanghai */
  date: string;
  supplierId: string;
  supplierName: string;
  /** base currency, to the fen: the receipt cost asked for and the value the stock gave up */
  lines: { itemId: string; itemKind: string; receiptCost: string; stockValue: string }[];
}

export function purchaseReturnVoucher(f: PurchaseReturnPostingFacts): VoucherDraft | null {
  const summary = `采购退货 ${f.documentNumber} ${f.supplierName}`;
  const asked = f.lines.reduce((t, l) => t.plus(l.receiptCost), new Decimal(0));
  const out = f.lines.reduce((t, l) => t.plus(l.stockValue), new Decimal(0));
  const supplierId = f.supplierId;
  const lines: PostingLine[] = [
    { account: ACCOUNTS.payableProvisional, summary, debit: asked, supplierId },
    ...sumByItem(f.lines, (l) => l.stockValue).map((r) => ({ account: inventoryAccount(r.itemKind), summary, credit: r.total, itemId: r.itemId, supplierId })),
    // credit side of 主营业务成本 when the stock gave up less than the receipt cost
    debitOrCredit(out.minus(asked), { account: ACCOUNTS.costOfSales, summary: `采购退货价格差异 ${f.documentNumber}`, supplierId }),
  ];
  return { date: f.date, summary, lines };
}

/** What the purchase module registers with the finance engine for 采购退货单. */
export const purchaseReturnPosting = {
  rule: purchaseReturnVoucher,
  document: { label: '采购退货单', apiPath: (id: string) => `/api/v1/purchase-returns/${id}` },
};
