// 销售退货的凭证规则 — pure. A return undoes its share of the shipment's voucher, written as blue
// entries on the opposite sides (our convention for every reversal a document makes; the red 红字
// voucher is kept for correcting a wrong voucher):
//   借 主营业务收入 (by item) 不含税 / 借 应交税费—应交增值税—销项税额 / 贷 应收账款 (客户) 价税合计;
//   借 库存商品 or 原材料 (by item kind) / 贷 主营业务成本 at the value the goods came back at.
// The returned revenue is the order line's value at the returned quantity after less before (as the
// shipment took it at the shipped quantities), so a line shipped and returned in full nets to 0.
// A 小规模纳税人 debits 应交税费—应交增值税. Goods whose shipment still holds its output VAT in
// 待转销项税额 (no obligation yet) give it back there: 借 待转销项税额 for that part instead of 销项.
import { Decimal } from 'decimal.js';
import { ACCOUNTS, inventoryAccount, sumByItem, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';
import { foreignOf } from '../shipments/voucher.ts';

export interface SalesReturnPostingFacts extends PostingFacts {
  /** the return's day, YYYY-MM-DD, Asia/Shanghai */
  date: string;
  taxpayerKind: 'generalTaxpayer' | 'smallScaleTaxpayer';
  customerId: string;
  customerName: string;
  /** the order's currency and rate when it is not CNY: the 应收 given back is kept in it too, as the shipment's was */
  currency?: { code: string; rate: string } | null;
  lines: {
    itemId: string;
    itemKind: string;
    /** base currency, to the fen: net revenue and output VAT given back, stock value that came back */
    amount: string;
    tax: string;
    cost: string;
    /** 价税合计 given back in the order's currency (foreign orders) */
    foreignWithTax?: string;
  }[];
  /** the part of the tax taken back from the order's shipments still in 待转销项税额 */
  fromDeferred?: string;
}

export function salesReturnVoucher(f: SalesReturnPostingFacts): VoucherDraft | null {
  const summary = `销售退货 ${f.documentNumber} ${f.customerName}`;
  const net = f.lines.reduce((t, l) => t.plus(l.amount), new Decimal(0));
  const tax = f.lines.reduce((t, l) => t.plus(l.tax), new Decimal(0));
  const customerId = f.customerId;
  const lines: PostingLine[] = [
    ...sumByItem(f.lines, (l) => l.amount).map((r) => ({ account: ACCOUNTS.revenue, summary, debit: r.total, customerId, itemId: r.itemId })),
    { account: f.taxpayerKind === 'smallScaleTaxpayer' ? ACCOUNTS.vat : ACCOUNTS.outputVat, summary, debit: tax.minus(f.fromDeferred ?? 0), customerId },
    ...(f.fromDeferred && !new Decimal(f.fromDeferred).isZero() ? [{ account: ACCOUNTS.deferredOutputVat, summary, debit: f.fromDeferred, customerId }] : []),
    { account: ACCOUNTS.receivable, summary, credit: net.plus(tax), customerId, ...foreignOf(f.currency, f.lines.map((l) => l.foreignWithTax)) },
  ];
  const costSummary = `退货冲减销售成本 ${f.documentNumber}`;
  for (const r of sumByItem(f.lines, (l) => l.cost)) {
    lines.push({ account: inventoryAccount(r.itemKind), summary: costSummary, debit: r.total, itemId: r.itemId });
    lines.push({ account: ACCOUNTS.costOfSales, summary: costSummary, credit: r.total, itemId: r.itemId });
  }
  return { date: f.date, summary, lines };
}

/** What the sales module registers with the finance engine for 销售退货单. */
export const salesReturnPosting = {
  rule: salesReturnVoucher,
  document: { label: '销售退货单', apiPath: (id: string) => `/api/v1/sales-returns/${id}` },
};
