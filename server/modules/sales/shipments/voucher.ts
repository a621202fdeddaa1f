// 销售出库的凭证规则 — pure. Revenue is recognised on delivery (小企业会计准则 第五十九条):
//   借 应收账款 (客户) 价税合计 / 贷 主营业务收入 (by item) 不含税 / 贷 应交税费—应交增值税—销项税额;
//   借 主营业务成本 / 贷 库存商品 or 原材料 (by item kind) at the value that left stock.
// Output VAT is booked as 销项税额 at shipment, unless its obligation comes later (output-vat.ts: an
// agreed payment date after delivery, nothing invoiced nor paid): then 贷 应交税费—待转销项税额.
// Goods invoiced before delivery (预开票) had 应收 and 销项 booked by the invoice against 预收账款:
// their part of the shipment only moves 预收账款 to 主营业务收入.
// A 小规模纳税人 credits 应交税费—应交增值税 with the tax the order charged.
import { Decimal } from 'decimal.js';
import { ACCOUNTS, inventoryAccount, sumByItem, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';
import { ADVANCE_RECEIVED } from '../receivables/voucher.ts';

export interface ShipmentPostingFacts extends PostingFacts {
  /** the shipment's day, YYYY-MM-DD, Asia/Shanghai */
  date: string;
  taxpayerKind: 'generalTaxpayer' | 'smallScaleTaxpayer';
  customerId: string;
  customerName: string;
  /** a foreign-currency order: its currency and rate; the receivable line carries the foreign amount */
  currency?: { code: string; rate: string } | null;
  /** the output VAT of the part not billed ahead waits in 待转销项税额 (defersOutputVat) */
  deferOutputVat?: boolean;
  lines: {
    itemId: string;
    itemKind: string;
    /** base currency, to the fen: net revenue, output VAT, stock value that left */
    amount: string;
    tax: string;
    cost: string;
    /** 价税合计 in the order's currency (foreign orders) */
    foreignWithTax?: string;
    /** the part invoiced before it shipped (预开票): its 应收 and 销项 are on the invoice's voucher */
    billedAhead?: boolean;
  }[];
}

export function shipmentVoucher(f: ShipmentPostingFacts): VoucherDraft | null {
  const summary = `销售出库 ${f.documentNumber} ${f.customerName}`;
  const billed = f.lines.filter((l) => !l.billedAhead);
  const ahead = f.lines.filter((l) => l.billedAhead);
  const net = billed.reduce((t, l) => t.plus(l.amount), new Decimal(0));
  const tax = billed.reduce((t, l) => t.plus(l.tax), new Decimal(0));
  const aheadNet = ahead.reduce((t, l) => t.plus(l.amount), new Decimal(0));
  const customerId = f.customerId;
  const lines: PostingLine[] = [
    ...(billed.length ? [{ account: ACCOUNTS.receivable, summary, debit: net.plus(tax), customerId, ...foreignOf(f.currency, billed.map((l) => l.foreignWithTax)) }] : []),
    ...(ahead.length ? [{ account: ADVANCE_RECEIVED, summary: `${summary}（已预开票）`, debit: aheadNet, customerId }] : []),
    ...sumByItem(f.lines, (l) => l.amount).map((r) => ({ account: ACCOUNTS.revenue, summary, credit: r.total, customerId, itemId: r.itemId })),
    ...(billed.length ? [{ account: outputVatAccount(f), summary, credit: tax, customerId }] : []),
  ];
  const costSummary = `结转销售成本 ${f.documentNumber}`;
  for (const r of sumByItem(f.lines, (l) => l.cost)) {
    lines.push({ account: ACCOUNTS.costOfSales, summary: costSummary, debit: r.total, itemId: r.itemId });
    lines.push({ account: inventoryAccount(r.itemKind), summary: costSummary, credit: r.total, itemId: r.itemId });
  }
  return { date: f.date, summary, lines };
}

/** The foreign fields of a receivable line: the currency, Σ of the parts' foreign amounts and the rate; none for CNY. */
export function foreignOf(currency: { code: string; rate: string } | null | undefined, parts: (string | undefined)[]): Pick<PostingLine, 'currencyCode' | 'amountForeign' | 'rate'> {
  if (!currency) return {};
  return { currencyCode: currency.code, amountForeign: parts.reduce((t, p) => t.plus(p ?? 0), new Decimal(0)), rate: currency.rate };
}

function outputVatAccount(f: ShipmentPostingFacts): string {
  if (f.taxpayerKind === 'smallScaleTaxpayer') return ACCOUNTS.vat;
  return f.deferOutputVat ? ACCOUNTS.deferredOutputVat : ACCOUNTS.outputVat;
}

/** What the sales module registers with the finance engine for 销售出库单. */
export const shipmentPosting = {
  rule: shipmentVoucher,
  document: { label: '销售出库单', apiPath: (id: string) => `/api/v1/shipments/${id}` },
};
