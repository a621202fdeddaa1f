// 核销 across exchange rates — pure. A match of a receipt (or payment) with an invoice takes an amount
// off the invoice's open amount, in CNY at the invoice's rate. When the money and the invoice are in
// the same foreign currency, what settles is the foreign amount: the same foreign amount comes off
// the money at ITS rate, so both reach 0 together even though their CNY differ. The advance part of
// such a match moves 预收/预付 at the money's rate and 应收/应付 at the invoice's rate; the difference
// is realised 汇兑损益 (财务费用), so the foreign and CNY balances of both accounts stay right.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { ACCOUNTS } from '../accounts/chart.ts';
import type { PostingLine } from '../posting/registry.ts';

const fen = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** A document's currency and rate (CNY per unit); null: a CNY document. */
export interface SettlementCurrency {
  code: string;
  rate: Decimal.Value;
}

export interface SettlementSide {
  /** what it has open, CNY */
  open: Decimal.Value;
  currency: SettlementCurrency | null;
}

export type SettlementAmounts =
  | { ok: true; invoiceAmount: Decimal; moneyAmount: Decimal; foreign: Decimal | null; currencyCode: string | null }
  | { ok: false; problem: 'currencyMismatch' };

/** A CNY amount's foreign value at the rate, to the cent. */
const foreignOf = (amount: Decimal, currency: SettlementCurrency) => fen(amount.div(currency.rate));

/**
 * What a match of `amount` (CNY off the invoice) takes off the money: the same CNY when either is in
 * CNY (the foreign amount then is that of the foreign one, if any); the same foreign amount at the
 * money's rate when both are in one currency — all of what the money has open when that foreign
 * amount is all of its foreign. Two different foreign currencies do not match.
 */
export function settlementAmounts(amount: Decimal.Value, invoice: Pick<SettlementSide, 'currency'>, money: SettlementSide): SettlementAmounts {
  const a = new Decimal(amount);
  const ic = invoice.currency;
  const mc = money.currency;
  if (ic && mc && ic.code !== mc.code) return { ok: false, problem: 'currencyMismatch' };
  if (!ic && !mc) return { ok: true, invoiceAmount: a, moneyAmount: a, foreign: null, currencyCode: null };
  if (!ic) return { ok: true, invoiceAmount: a, moneyAmount: a, foreign: foreignOf(a, mc!), currencyCode: mc!.code };
  const foreign = foreignOf(a, ic);
  if (!mc) return { ok: true, invoiceAmount: a, moneyAmount: a, foreign, currencyCode: ic.code };
  const moneyOpen = new Decimal(money.open);
  const moneyAmount = foreign.eq(foreignOf(moneyOpen, mc)) ? moneyOpen : fen(foreign.times(mc.rate));
  return { ok: true, invoiceAmount: a, moneyAmount, foreign, currencyCode: ic.code };
}

export interface AdvanceTransferFacts {
  /** the match: CNY off the invoice, CNY off the money, the foreign amount (null: both CNY) */
  invoiceAmount: Decimal.Value;
  moneyAmount: Decimal.Value;
  amountForeign: Decimal.Value | null;
  /** the part of moneyAmount that came out of the money's advance */
  fromAdvance: Decimal.Value;
  moneyCurrency: SettlementCurrency | null;
  invoiceCurrency: SettlementCurrency | null;
}

/**
 * The advance part of a match as the two amounts it moves: the advance account's (CNY at the money's
 * rate) and the invoice account's (the same share of the invoice side), each with its foreign share
 * when its document is foreign.
 */
export function advanceTransfer(f: AdvanceTransferFacts): {
  advance: Decimal; advanceForeign: Decimal | null; settled: Decimal; settledForeign: Decimal | null;
} {
  const fromAdvance = new Decimal(f.fromAdvance);
  const moneyAmount = new Decimal(f.moneyAmount);
  const whole = fromAdvance.eq(moneyAmount);
  const share = (v: Decimal.Value) => (whole ? new Decimal(v) : moneyAmount.isZero() ? new Decimal(0) : fen(new Decimal(v).times(fromAdvance).div(moneyAmount)));
  const foreign = f.amountForeign === null ? null : share(f.amountForeign);
  return {
    advance: fromAdvance,
    advanceForeign: f.moneyCurrency ? foreign : null,
    settled: share(f.invoiceAmount),
    settledForeign: f.invoiceCurrency ? foreign : null,
  };
}

/** The foreign-currency fields of a voucher line (nothing for CNY). */
export function foreignFields(currency: SettlementCurrency | null, amountForeign: Decimal | null): Pick<PostingLine, 'currencyCode' | 'amountForeign' | 'rate'> {
  return currency && amountForeign ? { currencyCode: currency.code, amountForeign, rate: new Decimal(currency.rate).toFixed(6) } : {};
}

/**
 * The 汇兑损益 line of a transfer: `debitMinusCredit` is what the other lines leave unbalanced
 * (Σ debit − Σ credit); a gain (the others' debits exceed) credits 财务费用, a loss debits it.
 */
export function exchangeDifferenceLine(account: string, debitMinusCredit: Decimal, summary: string): PostingLine | null {
  if (debitMinusCredit.isZero()) return null;
  return debitMinusCredit.gt(0) ? { account, summary: `${summary} 汇兑损益`, credit: debitMinusCredit } : { account, summary: `${summary} 汇兑损益`, debit: debitMinusCredit.neg() };
}

/** 汇兑损益: the company's sub-account of 财务费用 so named, else 财务费用 itself. */
export async function exchangeGainLossAccount(tx: Tx): Promise<string> {
  const [sub] = await tx.$queryRaw<{ code: string }[]>`
    SELECT c.code FROM account c JOIN account p ON p.id = c.parent_id WHERE p.code = ${ACCOUNTS.financeExpenses} AND c.name = '汇兑损益' LIMIT 1`;
  return sub?.code ?? ACCOUNTS.financeExpenses;
}
