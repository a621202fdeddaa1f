// 采购发票的凭证规则 — pure. The receipt booked its goods at the order's net price against
// 应付账款—暂估应付款 (receipts/voucher.ts); the invoice replaces that estimate with the real debt:
// 1. 红字冲销暂估 for the invoiced quantity (the 暂估 of that part, all amounts below 0):
//      借 原材料 / 库存商品 −暂估  贷 应付账款—暂估应付款 −暂估
// 2. the invoice: 借 原材料 / 库存商品 (暂估 + the difference still held in stock)
//                 借 主营业务成本 (the difference on what has been consumed since)
//                 借 应交税费—应交增值税—进项税额 (a special invoice to a 一般纳税人 only)
//                 贷 应付账款—应付货款 (价税合计)
// VAT that cannot be deducted (an ordinary invoice, or any VAT for a 小规模纳税人) is part of the
// goods' cost (财会〔2016〕22号 二(一)1; 小企业会计准则 第十二条: 存货按成本计量, 不可抵扣的增值税计入
// 采购成本), so it goes with the net amount into the difference to the 暂估.
import { Decimal } from 'decimal.js';
import { ACCOUNTS, inventoryAccount, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';

const fen = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** Input VAT is deductible only on a special invoice (专票) received by a 一般纳税人. */
export function inputVatDeductible(taxpayerKind: string, invoiceType: string): boolean {
  return taxpayerKind === 'generalTaxpayer' && invoiceType === 'special';
}

export interface InvoiceLineCostInput {
  /** 不含税金额 and 税额 of the invoice line */
  amount: Decimal.Value;
  taxAmount: Decimal.Value;
  /** the 暂估 of the invoiced quantity (what the red voucher takes back) */
  provisional: Decimal.Value;
  /** invoiced quantity (base units, > 0) and the item's quantity on hand now */
  quantity: Decimal.Value;
  onHand: Decimal.Value;
}

export interface InvoiceLineCost {
  /** the goods' cost by the invoice: net, plus the VAT that cannot be deducted */
  cost: Decimal;
  inputVat: Decimal;
  /** cost − 暂估 */
  difference: Decimal;
  /** the share of the difference the stock still held should take (the rest: 主营业务成本) */
  wantedToStock: Decimal;
}

/**
 * A line's cost and where its difference to the 暂估 belongs: stock still on hand takes the share
 * min(on hand, invoiced) ÷ invoiced of it (moving average: units are not told apart), what has
 * been consumed since takes the rest.
 */
export function invoiceLineCost(l: InvoiceLineCostInput, deductible: boolean): InvoiceLineCost {
  const tax = new Decimal(l.taxAmount);
  const inputVat = deductible ? tax : new Decimal(0);
  const cost = new Decimal(l.amount).plus(deductible ? 0 : tax);
  const difference = cost.minus(l.provisional);
  const quantity = new Decimal(l.quantity);
  const held = Decimal.min(Decimal.max(new Decimal(l.onHand), 0), quantity);
  const wantedToStock = quantity.gt(0) ? fen(difference.mul(held).div(quantity)) : new Decimal(0);
  return { cost, inputVat, difference, wantedToStock };
}

export interface PurchaseInvoiceFacts extends PostingFacts {
  /** the invoice's day, YYYY-MM-DD */
  date: string;
  supplierId: string;
  supplierName: string;
  invoiceNo: string;
  lines: {
    itemId: string;
    itemKind: string;
    /** 暂估 reversed */
    provisional: string;
    /** the difference put onto the stock on hand (as the ledger applied it) and onto cost of sales */
    toStock: string;
    toCostOfSales: string;
  }[];
  inputVat: string;
  /** 价税合计 */
  total: string;
  /** 外币发票: 应付货款 keeps 价税合计 in the currency, at the invoice day's rate */
  currency?: { code: string; rate: string; totalForeign: string } | null;
}

const summaryOf = (f: PurchaseInvoiceFacts) => `采购发票 ${f.invoiceNo} ${f.supplierName}`;

/** A signed amount on the debit side: below 0 it is a credit (a line is one or the other). */
function debitOf(line: Omit<PostingLine, 'debit' | 'credit'>, signed: Decimal): PostingLine {
  return signed.gte(0) ? { ...line, debit: signed } : { ...line, credit: signed.neg() };
}

function perItem(lines: PurchaseInvoiceFacts['lines'], pick: (l: PurchaseInvoiceFacts['lines'][number]) => Decimal.Value): Map<string, { kind: string; total: Decimal }> {
  const out = new Map<string, { kind: string; total: Decimal }>();
  for (const l of lines) {
    const s = out.get(l.itemId) ?? { kind: l.itemKind, total: new Decimal(0) };
    s.total = s.total.plus(pick(l));
    out.set(l.itemId, s);
  }
  return out;
}

/** 红字冲销暂估: the invoiced part of the receipts' 暂估, every amount below 0. */
export function provisionalReversalVoucher(f: PurchaseInvoiceFacts): VoucherDraft | null {
  const summary = `冲销暂估 ${f.documentNumber} ${f.supplierName}`;
  const items = perItem(f.lines, (l) => l.provisional);
  const total = [...items.values()].reduce((t, s) => t.plus(s.total), new Decimal(0));
  if (total.isZero()) return null;
  const lines: PostingLine[] = [
    ...[...items].map(([itemId, s]) => ({ account: inventoryAccount(s.kind), summary, debit: s.total.neg(), itemId, supplierId: f.supplierId })),
    { account: ACCOUNTS.payableProvisional, summary, credit: total.neg(), supplierId: f.supplierId },
  ];
  return { date: f.date, summary, lines, red: true };
}

/** The invoice: stock (暂估 + difference held), cost of sales (difference consumed), input VAT, against 应付货款. */
export function purchaseInvoiceVoucher(f: PurchaseInvoiceFacts): VoucherDraft | null {
  const summary = summaryOf(f);
  const stock = perItem(f.lines, (l) => new Decimal(l.provisional).plus(l.toStock));
  const sold = perItem(f.lines, (l) => l.toCostOfSales);
  const lines: PostingLine[] = [
    ...[...stock].map(([itemId, s]) => debitOf({ account: inventoryAccount(s.kind), summary, itemId, supplierId: f.supplierId }, s.total)),
    ...[...sold].map(([itemId, s]) => debitOf({ account: ACCOUNTS.costOfSales, summary: `${summary} 已领用部分的价差`, itemId, supplierId: f.supplierId }, s.total)),
    { account: ACCOUNTS.inputVat, summary, debit: f.inputVat },
    { account: ACCOUNTS.payableGoods, summary, credit: f.total, supplierId: f.supplierId, ...(f.currency ? { currencyCode: f.currency.code, amountForeign: f.currency.totalForeign, rate: f.currency.rate } : {}) },
  ];
  return { date: f.date, summary, lines };
}

const document = { label: '采购发票', apiPath: (id: string) => `/api/v1/purchase-invoices/${id}` };

/** What the purchase module registers with the finance engine: the red reversal and the invoice voucher. */
export const purchaseInvoicePostings = {
  provisionalReversal: { rule: provisionalReversalVoucher, document },
  invoice: { rule: purchaseInvoiceVoucher, document },
};
