// 付款与核销的凭证规则 — pure.
// 付款单: 借 应付账款—应付货款 (up to what the supplier is owed when paid)
//         借 预付账款 (the rest: an advance)
//         贷 库存现金 / 银行存款 (the account the money left from)
// 核销 of an advance against an invoice: 借 应付账款—应付货款 贷 预付账款 (the advance becomes payment
// of the debt), in foreign currency at each document's rate with the difference to 汇兑损益; settling
// the part already booked against 应付账款 moves no money and posts nothing.
import { Decimal } from 'decimal.js';
import {
  ACCOUNTS, advanceTransfer, exchangeDifferenceLine, foreignFields, type PostingFacts, type PostingLine, type SettlementCurrency, type VoucherDraft,
} from '../../finance/index.ts';

/** 预付账款 (小企业会计准则 1123) */
export const PREPAYMENT_ACCOUNT = '1123';

/**
 * How a payment divides: against 应付账款 up to the supplier's open payable (never below 0), the
 * rest an advance.
 */
export function splitPayment(amount: Decimal.Value, openPayable: Decimal.Value): { payable: Decimal; advance: Decimal } {
  const total = new Decimal(amount);
  const payable = Decimal.min(total, Decimal.max(new Decimal(openPayable), 0));
  return { payable, advance: total.minus(payable) };
}

/**
 * How much of a settlement of `amount` comes out of the payment's advance: the payment's settled
 * amount goes through its 应付账款 part first, then its advance part.
 */
export function advanceShare(payment: { payableAmount: Decimal.Value }, settledBefore: Decimal.Value, amount: Decimal.Value): Decimal {
  const payableLeft = Decimal.max(new Decimal(payment.payableAmount).minus(settledBefore), 0);
  return Decimal.max(new Decimal(amount).minus(payableLeft), 0);
}

export interface SupplierPaymentFacts extends PostingFacts {
  date: string;
  supplierId: string;
  supplierName: string;
  /** 1001… / 1002… */
  accountCode: string;
  payable: string;
  advance: string;
  /** 外币付款: the bank, 应付 and 预付 lines carry their foreign part (预付's in proportion, 应付 the rest) */
  currency?: { code: string; rate: string; amountForeign: string } | null;
}

export function supplierPaymentVoucher(f: SupplierPaymentFacts): VoucherDraft | null {
  const summary = `付款 ${f.documentNumber} ${f.supplierName}`;
  const total = new Decimal(f.payable).plus(f.advance);
  const c = f.currency;
  const foreign = c ? new Decimal(c.amountForeign) : null;
  const advanceForeign = foreign && !total.isZero() ? foreign.times(f.advance).div(total).toDecimalPlaces(2, Decimal.ROUND_HALF_UP) : null;
  const fx = (part: Decimal | null) => (c && part ? { currencyCode: c.code, amountForeign: part, rate: c.rate } : {});
  const lines: PostingLine[] = [
    { account: ACCOUNTS.payableGoods, summary, debit: f.payable, supplierId: f.supplierId, ...fx(foreign && foreign.minus(advanceForeign!)) },
    { account: PREPAYMENT_ACCOUNT, summary: `预付 ${f.documentNumber} ${f.supplierName}`, debit: f.advance, supplierId: f.supplierId, ...fx(advanceForeign) },
    { account: f.accountCode, summary, credit: total, ...fx(foreign) },
  ];
  return { date: f.date, summary, lines };
}

export interface AdvanceSettlementPart {
  invoiceNo: string;
  /** the settlement: off the invoice (CNY at its rate), off the payment (CNY at its rate), the foreign amount */
  amount: string;
  paymentAmount: string;
  amountForeign: string | null;
  /** the part of paymentAmount that came out of the payment's advance */
  fromAdvance: string;
  invoiceCurrency: SettlementCurrency | null;
}

export interface AdvanceSettlementFacts extends PostingFacts {
  date: string;
  supplierId: string;
  supplierName: string;
  /** the invoices' numbers, for the summary */
  invoiceNos: string[];
  fromAdvance: string;
  /** each settlement that used the advance (absent: all CNY, 应付 moves by fromAdvance) */
  parts?: AdvanceSettlementPart[];
  /** a foreign payment: its currency and rate */
  paymentCurrency?: SettlementCurrency | null;
  /** 财务费用 or its 汇兑损益 sub-account, for a rate difference */
  gainLossAccount?: string;
}

/**
 * 借 应付账款—应付货款 (each invoice's share, at its rate and in its currency) / 贷 预付账款 (the
 * advance used, at the payment's rate, its foreign part); a difference between the rates is
 * 汇兑损益 (a gain credits 财务费用, a loss debits it).
 */
export function advanceSettlementVoucher(f: AdvanceSettlementFacts): VoucherDraft | null {
  if (new Decimal(f.fromAdvance).isZero()) return null;
  const summary = `预付款核销 ${f.documentNumber} ${f.supplierName} 发票 ${f.invoiceNos.join('、')}`.slice(0, 200);
  const paymentCurrency = f.paymentCurrency ?? null;
  const parts = (f.parts ?? [{ invoiceNo: '', amount: f.fromAdvance, paymentAmount: f.fromAdvance, amountForeign: null, fromAdvance: f.fromAdvance, invoiceCurrency: null }])
    .filter((p) => !new Decimal(p.fromAdvance).isZero())
    .map((p) => ({ p, t: advanceTransfer({ invoiceAmount: p.amount, moneyAmount: p.paymentAmount, amountForeign: p.amountForeign, fromAdvance: p.fromAdvance, moneyCurrency: paymentCurrency, invoiceCurrency: p.invoiceCurrency }) }));
  const base = { account: ACCOUNTS.payableGoods, summary, supplierId: f.supplierId };
  // CNY invoices' shares on one line; a foreign invoice's on its own (its rate)
  const cny = parts.filter(({ p }) => !p.invoiceCurrency).reduce((t, { t: x }) => t.plus(x.settled), new Decimal(0));
  const payable: PostingLine[] = [
    ...(cny.isZero() ? [] : [{ ...base, debit: cny }]),
    ...parts.filter(({ p }) => p.invoiceCurrency).map(({ p, t }) => ({ ...base, debit: t.settled, ...foreignFields(p.invoiceCurrency, t.settledForeign) })),
  ];
  const advance = parts.reduce((t, { t: x }) => t.plus(x.advance), new Decimal(0));
  const advanceForeign = paymentCurrency ? parts.reduce((t, { t: x }) => t.plus(x.advanceForeign ?? 0), new Decimal(0)) : null;
  const settled = parts.reduce((t, { t: x }) => t.plus(x.settled), new Decimal(0));
  const difference = exchangeDifferenceLine(f.gainLossAccount ?? ACCOUNTS.financeExpenses, settled.minus(advance), summary);
  return {
    date: f.date, summary,
    lines: [
      ...payable,
      { account: PREPAYMENT_ACCOUNT, summary, credit: advance, supplierId: f.supplierId, ...foreignFields(paymentCurrency, advanceForeign) },
      ...(difference ? [difference] : []),
    ],
  };
}

const paymentDocument = { label: '付款单', apiPath: (id: string) => `/api/v1/supplier-payments/${id}` };

export const supplierPaymentPostings = {
  payment: { rule: supplierPaymentVoucher, document: paymentDocument },
  advanceSettlement: { rule: advanceSettlementVoucher, document: { label: '付款核销', apiPath: paymentDocument.apiPath } },
};
