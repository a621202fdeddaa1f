// 应收的凭证规则 — pure, registered with the finance engine like the shipment's.
//
// 销售发票 (财会〔2016〕22号: the VAT obligation arises at the earliest of invoice, payment or delivery):
//   • goods already shipped: the shipment voucher booked 借 应收账款 / 贷 主营业务收入 / 贷 销项税额 at
//     delivery, so the invoice posts NOTHING for them (no revenue, no second 销项);
//   • goods not yet shipped (预开票): the invoice creates the claim and the VAT now, the revenue comes at
//     delivery: 借 应收账款 价税合计 / 贷 预收账款 不含税 / 贷 应交税费—应交增值税—销项税额 税额;
//   • free lines (服务费 and other charges with no delivery document): the invoice is the recognition
//     point: 借 应收账款 / 贷 主营业务收入 / 贷 销项税额.
//   A 小规模纳税人 credits 应交税费—应交增值税 with the tax instead of 销项税额.
// 收款单: 借 银行存款 (1002) or 库存现金 (1001) / 贷 应收账款 (客户) up to the customer's open invoices;
//   the rest is an advance: 贷 预收账款 (客户).
// 核销 that uses a receipt's advance part: 借 预收账款 / 贷 应收账款 (cancelling it: the reverse), in
//   foreign currency at each document's rate with the difference to 汇兑损益.
import { Decimal } from 'decimal.js';
import {
  ACCOUNTS, advanceTransfer, deferredOutputVatMoveLines, exchangeDifferenceLine, foreignFields,
  type PostingFacts, type PostingLine, type SettlementCurrency, type VoucherDraft,
} from '../../finance/index.ts';

/** 2203 预收账款 (小企业会计准则); not in the finance ACCOUNTS map, which names only what the engine's own rules use. */
export const ADVANCE_RECEIVED = '2203';

type TaxpayerKind = 'generalTaxpayer' | 'smallScaleTaxpayer';
const vatAccount = (k: TaxpayerKind) => (k === 'smallScaleTaxpayer' ? ACCOUNTS.vat : ACCOUNTS.outputVat);

export interface SalesInvoicePostingFacts extends PostingFacts {
  date: string;
  taxpayerKind: TaxpayerKind;
  customerId: string;
  customerName: string;
  invoiceNo: string;
  /** base currency, to the fen: the part billed before its goods shipped */
  ahead: { amount: string; tax: string };
  /** free lines: recognised at the invoice */
  free: { amount: string; tax: string };
  /**
   * a foreign-currency order: the part billed ahead is a receivable in its currency (价税合计 there);
   * free lines (entered in CNY) stay a CNY receivable
   */
  currency?: { code: string; rate: string; aheadForeign: string } | null;
  /** 待转销项税额 of the order's shipments this invoice brings forward (借 待转销项税额 / 贷 销项税额) */
  deferredVat?: string;
}

export function salesInvoiceVoucher(f: SalesInvoicePostingFacts): VoucherDraft | null {
  const summary = `销售发票 ${f.documentNumber} ${f.customerName}（${f.invoiceNo}）`;
  const customerId = f.customerId;
  const aheadNet = new Decimal(f.ahead.amount);
  const freeNet = new Decimal(f.free.amount);
  const tax = new Decimal(f.ahead.tax).plus(f.free.tax);
  const total = aheadNet.plus(freeNet).plus(tax);
  const moved = deferredOutputVatMoveLines([{ customerId, amount: f.deferredVat ?? 0 }], `${summary} 待转销项税额转销项`.slice(0, 200));
  if (total.isZero() && !moved.length) return null;
  const receivable: PostingLine[] = f.currency
    ? [
        { account: ACCOUNTS.receivable, summary, debit: aheadNet.plus(f.ahead.tax), customerId, currencyCode: f.currency.code, amountForeign: f.currency.aheadForeign, rate: f.currency.rate },
        { account: ACCOUNTS.receivable, summary, debit: freeNet.plus(f.free.tax), customerId },
      ]
    : [{ account: ACCOUNTS.receivable, summary, debit: total, customerId }];
  const lines: PostingLine[] = [
    ...receivable,
    { account: ADVANCE_RECEIVED, summary: `预开票 ${f.documentNumber}`, credit: aheadNet, customerId },
    { account: ACCOUNTS.revenue, summary, credit: freeNet, customerId },
    { account: vatAccount(f.taxpayerKind), summary, credit: tax, customerId },
    ...moved,
  ];
  return { date: f.date, summary, lines };
}

export interface CustomerReceiptPostingFacts extends PostingFacts {
  date: string;
  customerId: string;
  customerName: string;
  /** 1002 银行存款 | 1001 库存现金 */
  accountCode: string;
  amount: string;
  /** the part beyond the customer's open invoices */
  advance: string;
  /**
   * 外币收款: the currency, the foreign amount and the day's rate (amount = foreign × rate); the
   * bank, 应收 and 预收 lines carry their foreign part (预收's part in proportion, 应收 the rest)
   */
  currency?: { code: string; rate: string; amountForeign: string } | null;
  /** 待转销项税额 of shipments this payment brings forward (借 待转销项税额 / 贷 销项税额) */
  deferredVat?: string;
}

export function customerReceiptVoucher(f: CustomerReceiptPostingFacts): VoucherDraft | null {
  const summary = `收款 ${f.documentNumber} ${f.customerName}`;
  const amount = new Decimal(f.amount);
  const advance = new Decimal(f.advance);
  const c = f.currency;
  const foreign = c ? new Decimal(c.amountForeign) : null;
  const advanceForeign = foreign && !amount.isZero() ? foreign.times(advance).div(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP) : null;
  const fx = (part: Decimal | null) => (c && part ? { currencyCode: c.code, amountForeign: part, rate: c.rate } : {});
  return {
    date: f.date,
    summary,
    lines: [
      { account: f.accountCode, summary, debit: amount, customerId: f.customerId, ...fx(foreign) },
      { account: ACCOUNTS.receivable, summary, credit: amount.minus(advance), customerId: f.customerId, ...fx(foreign && foreign.minus(advanceForeign!)) },
      { account: ADVANCE_RECEIVED, summary: `预收 ${f.documentNumber} ${f.customerName}`, credit: advance, customerId: f.customerId, ...fx(advanceForeign) },
      ...deferredOutputVatMoveLines([{ customerId: f.customerId, amount: f.deferredVat ?? 0 }], `${summary} 待转销项税额转销项`.slice(0, 200)),
    ],
  };
}

export interface ArMatchPostingFacts extends PostingFacts {
  date: string;
  customerId: string;
  customerName: string;
  invoiceNumber: string;
  receiptNumber: string;
  /** the match: off the invoice (CNY at its rate), off the receipt (CNY at its rate), the foreign amount */
  amount?: string;
  receiptAmount?: string;
  amountForeign?: string | null;
  /** the part of the receipt side the match used from the receipt's advance (> 0, else nothing is posted) */
  fromAdvance: string;
  /** a foreign receipt / invoice: its currency and rate (null or absent: CNY) */
  receiptCurrency?: SettlementCurrency | null;
  invoiceCurrency?: SettlementCurrency | null;
  /** 财务费用 or its 汇兑损益 sub-account, for a rate difference */
  gainLossAccount?: string;
  /** true when the match is cancelled: the transfer goes back */
  undo: boolean;
}

/**
 * 借 预收账款 (the advance used, at the receipt's rate, its foreign part) / 贷 应收账款 (the same
 * share of the invoice side, at the invoice's rate): a foreign advance moves its foreign amount
 * out of 预收 and off 应收 alike; when the two rates differ the CNY difference is 汇兑损益
 * (a gain credits 财务费用, a loss debits it). Cancelling posts the reverse.
 */
export function arMatchVoucher(f: ArMatchPostingFacts): VoucherDraft | null {
  if (new Decimal(f.fromAdvance).isZero()) return null;
  const t = advanceTransfer({
    invoiceAmount: f.amount ?? f.fromAdvance, moneyAmount: f.receiptAmount ?? f.amount ?? f.fromAdvance, amountForeign: f.amountForeign ?? null,
    fromAdvance: f.fromAdvance, moneyCurrency: f.receiptCurrency ?? null, invoiceCurrency: f.invoiceCurrency ?? null,
  });
  const summary = `${f.undo ? '取消核销' : '预收冲应收'} ${f.receiptNumber} → ${f.invoiceNumber} ${f.customerName}`;
  const advance: PostingLine = { account: ADVANCE_RECEIVED, summary, customerId: f.customerId, ...foreignFields(f.receiptCurrency ?? null, t.advanceForeign) };
  const receivable: PostingLine = { account: ACCOUNTS.receivable, summary, customerId: f.customerId, ...foreignFields(f.invoiceCurrency ?? null, t.settledForeign) };
  const difference = exchangeDifferenceLine(f.gainLossAccount ?? ACCOUNTS.financeExpenses, t.advance.minus(t.settled), summary);
  const lines: PostingLine[] = f.undo
    ? [{ ...receivable, debit: t.settled }, { ...advance, credit: t.advance }, ...(difference ? [swapSides(difference)] : [])]
    : [{ ...advance, debit: t.advance }, { ...receivable, credit: t.settled }, ...(difference ? [difference] : [])];
  return { date: f.date, summary, lines };
}

/** The same line on the other side (a cancellation's voucher). */
const swapSides = (l: PostingLine): PostingLine => {
  const { debit, credit, ...rest } = l;
  return { ...rest, ...(debit !== undefined ? { credit: debit } : {}), ...(credit !== undefined ? { debit: credit } : {}) };
};

/** What the sales module registers with the finance engine for its receivable documents. */
export const salesInvoicePosting = {
  rule: salesInvoiceVoucher,
  document: { label: '销售发票', apiPath: (id: string) => `/api/v1/sales-invoices/${id}` },
};
export interface AdvanceReceiptPostingFacts extends PostingFacts {
  date: string;
  customerId: string;
  customerName: string;
  orderNumber: string;
  /** base currency, at the order's rate */
  amount: string;
  /** the money's account (absent: 1002 银行存款) and whether it is kept in the order's currency */
  accountCode?: string;
  accountInCurrency?: boolean;
  /** a foreign-currency order: the amount in its currency and the rate */
  currency?: { code: string; rate: string; amountForeign: string } | null;
  /** 待转销项税额 of the order's shipments this payment brings forward (借 待转销项税额 / 贷 销项税额) */
  deferredVat?: string;
}

/**
 * 订单预收款 (the order's own 登记预收款): the money is in the bank and owed back as goods, so
 * 借 银行存款 (or the account named) / 贷 预收账款 (customer), in CNY at the order's rate; the 预收 line
 * keeps the foreign amount of a foreign-currency order, and so does the bank line when its account is
 * kept in that currency.
 */
export function advanceReceiptVoucher(f: AdvanceReceiptPostingFacts): VoucherDraft | null {
  const amount = new Decimal(f.amount);
  if (amount.isZero()) return null;
  const summary = `预收款 ${f.orderNumber} ${f.customerName}`;
  const c = f.currency;
  const fx = c ? { currencyCode: c.code, amountForeign: new Decimal(c.amountForeign), rate: c.rate } : {};
  return {
    date: f.date,
    summary,
    lines: [
      { account: f.accountCode ?? ACCOUNTS.bank, summary, debit: amount, customerId: f.customerId, ...(f.accountInCurrency ? fx : {}) },
      { account: ADVANCE_RECEIVED, summary, credit: amount, customerId: f.customerId, ...fx },
      ...deferredOutputVatMoveLines([{ customerId: f.customerId, amount: f.deferredVat ?? 0 }], `${summary} 待转销项税额转销项`.slice(0, 200)),
    ],
  };
}

export const advanceReceiptPosting = {
  rule: advanceReceiptVoucher,
  document: { label: '订单预收款', apiPath: (id: string) => `/api/v1/advance-receipts/${id}` },
};

export const customerReceiptPosting = {
  rule: customerReceiptVoucher,
  document: { label: '收款单', apiPath: (id: string) => `/api/v1/customer-receipts/${id}` },
};
export const arMatchPosting = {
  rule: arMatchVoucher,
  document: { label: '应收核销', apiPath: (id: string) => `/api/v1/ar-matches/${id}` },
};

// 坏账核销 (小企业会计准则 has no 坏账准备: a confirmed bad debt is a loss when confirmed):
//   借 营业外支出 / 贷 应收账款 (客户), the invoice's open amount.
export interface ArWriteOffPostingFacts extends PostingFacts {
  date: string;
  customerId: string;
  customerName: string;
  amount: string;
  reason: string;
}

export function arWriteOffVoucher(f: ArWriteOffPostingFacts): VoucherDraft | null {
  const amount = new Decimal(f.amount);
  if (amount.isZero()) return null;
  const summary = `坏账核销 ${f.documentNumber} ${f.customerName}（${f.reason}）`.slice(0, 200);
  return {
    date: f.date,
    summary,
    lines: [
      { account: ACCOUNTS.nonOperatingExpenses, summary, debit: amount, customerId: f.customerId },
      { account: ACCOUNTS.receivable, summary, credit: amount, customerId: f.customerId },
    ],
  };
}

export const arWriteOffPosting = {
  rule: arWriteOffVoucher,
  document: { label: '坏账核销', apiPath: (id: string) => `/api/v1/sales-invoices/${id}` },
};
