// 采购退货的凭证规则 — pure. The returned quantity splits into what was still 暂估 (not yet
// invoiced) and what the supplier had already invoiced (split.ts says how much of each):
// - the 暂估 part goes back at its receipt cost off 应付账款—暂估应付款, as the receipt booked it;
// - the invoiced part needs a red 专票 from the supplier (红字增值税专用发票): 应付账款—应付货款 is
//   reduced by its 价税合计, and the input VAT it carried is given back (贷 进项税额, blue on the
//   opposite side: our convention for every reversal a document makes, as the sales return debits
//   销项税额). For an ordinary invoice or a 小规模纳税人 the VAT was part of the cost, so 价税合计 =
//   cost and there is no VAT line.
// The stock gives up what the ledger took out; what was asked of it (暂估 + invoiced cost) less that
// is a price variance to 主营业务成本 (the ledger's `variance`: the stock held less value, having
// passed part of the cost on to goods already consumed):
//   借 应付账款—暂估应付款 (供应商) 暂估部分 / 借 应付账款—应付货款 (供应商) 已开票部分的价税合计
//   贷 应交税费—应交增值税—进项税额 / 贷 原材料 / 库存商品 (by item kind) 出库金额 /
//   贷 主营业务成本 差异 (借 when negative).
// The 应付货款 debit is one line per 红字发票 (payables/red-invoices.ts: one per original invoice, the
// sub-ledger's credit against it; it posts nothing itself), carrying the original invoice's foreign
// 价税合计 and rate when it was in a foreign currency, like the invoice's own 应付货款 line.
import { Decimal } from 'decimal.js';
import { ACCOUNTS, debitOrCredit, inventoryAccount, sumByItem, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';

export interface PurchaseReturnPostingFacts extends PostingFacts {
  /** the return's day, YYYY-MM-DD, Asia/Shanghai */
  date: string;
  supplierId: string;
  supplierName: string;
  /**
   * base currency, to the fen: the 暂估 of the part not yet invoiced, the invoiced part's cost and
   * 价税合计, and the value the stock gave up
   */
  lines: { itemId: string; itemKind: string; provisional: string; invoicedCost: string; invoicedTotal: string; stockValue: string }[];
  /**
   * the red invoices the invoiced part became (Σ total = Σ lines' invoicedTotal); absent: one
   * 应付货款 line in the base currency
   */
  redInvoices?: { number: string; total: string; currency: { code: string; rate: string; totalForeign: string } | null }[];
}

export function purchaseReturnVoucher(f: PurchaseReturnPostingFacts): VoucherDraft | null {
  const summary = `采购退货 ${f.documentNumber} ${f.supplierName}`;
  const sum = (pick: (l: PurchaseReturnPostingFacts['lines'][number]) => string) => f.lines.reduce((t, l) => t.plus(pick(l)), new Decimal(0));
  const provisional = sum((l) => l.provisional);
  const invoicedCost = sum((l) => l.invoicedCost);
  const invoicedTotal = sum((l) => l.invoicedTotal);
  const inputVat = invoicedTotal.minus(invoicedCost);
  const out = sum((l) => l.stockValue);
  const supplierId = f.supplierId;
  const lines: PostingLine[] = [
    ...(provisional.isZero() ? [] : [{ account: ACCOUNTS.payableProvisional, summary, debit: provisional, supplierId }]),
    ...(invoicedTotal.isZero() ? [] : (f.redInvoices ?? [{ number: '', total: invoicedTotal.toFixed(2), currency: null }]).map((r) => ({
      account: ACCOUNTS.payableGoods, summary: `${summary} 红字发票${r.number ? ` ${r.number}` : ''}`, debit: r.total, supplierId,
      ...(r.currency ? { currencyCode: r.currency.code, amountForeign: r.currency.totalForeign, rate: r.currency.rate } : {}),
    }))),
    // no line at all when nothing was deducted (a 小规模纳税人 has no 进项税额 account)
    ...(inputVat.isZero() ? [] : [{ account: ACCOUNTS.inputVat, summary: `${summary} 冲减进项税额`, credit: inputVat }]),
    ...sumByItem(f.lines, (l) => l.stockValue).map((r) => ({ account: inventoryAccount(r.itemKind), summary, credit: r.total, itemId: r.itemId, supplierId })),
    // credit side of 主营业务成本 when the stock gave up less than was asked of it
    debitOrCredit(out.minus(provisional).minus(invoicedCost), { account: ACCOUNTS.costOfSales, summary: `采购退货价格差异 ${f.documentNumber}`, supplierId }),
  ];
  return { date: f.date, summary, lines };
}

/** What the purchase module registers with the finance engine for 采购退货单. */
export const purchaseReturnPosting = {
  rule: purchaseReturnVoucher,
  document: { label: '采购退货单', apiPath: (id: string) => `/api/v1/purchase-returns/${id}` },
};
