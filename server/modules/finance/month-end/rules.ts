// 期末处理的凭证规则 — pure: from a period's balances to the month-end vouchers, each step run
// alone and again (a second run posts only what is still left, so nothing is ever booked twice):
//   期末调汇: each foreign-currency balance (外币核算 account, currency, and customer / supplier on
//     往来 accounts) at the month-end rate: round(foreign balance × rate, 2) − its CNY balance is the
//     adjustment on the account (foreign amount 0: only CNY moves), Σ against 财务费用—汇兑损益 (a
//     gain credits it, a loss debits it); a rerun finds every balance already at the rate;
//   待转销项税额转出: 借 待转销项税额 / 贷 应交增值税—销项税额 for the shipments whose agreed payment
//     date (赊销, 实施细则 第三十八条) fell by the month's end with no invoice nor payment before it;
//     run before 转出未交增值税 (which counts 应交增值税 only: 待转销项税额 is not yet payable);
//   转出未交增值税: 借 应交增值税—转出未交增值税 / 贷 未交增值税, the credit balance left on 应交增值税
//     at the month's end (销项 + 进项税额转出 − 进项, after any 留抵 brought forward), when above 0;
//   税金及附加: 城建税, 教育费附加, 地方教育附加 on the VAT payable of the month, with the company's
//     rates and reliefs (六税两费减半; the two 附加 exempt when the month's sales ≤ the threshold):
//     借 税金及附加 / 贷 应交税费—应交城市维护建设税 …, less what an earlier run of the month booked;
//   计提所得税 (应付税款法): 借 所得税费用 / 贷 应交税费—应交所得税, the month's 利润总额 (before
//     结转损益, 所得税费用 itself left out) × the company's rate, 0 for a loss month, less what an
//     earlier run of the month booked; run before 结转损益, which then carries 所得税费用 too;
//   结转损益: every 损益 account's balance at the month's end into 本年利润;
//   年末: 本年利润's balance into 利润分配—未分配利润 (December only).
import { Decimal } from 'decimal.js';
import { ACCOUNTS } from '../accounts/chart.ts';
import type { PostingFacts, PostingLine, VoucherDraft } from '../posting/registry.ts';

export const MONTH_END_STEPS = ['fxRevaluation', 'deferredOutputVat', 'vatTransfer', 'surcharges', 'incomeTax', 'profitTransfer', 'yearEnd'] as const;
export type MonthEndStep = (typeof MONTH_END_STEPS)[number];
export const MONTH_END_STEP_LABELS: Record<MonthEndStep, string> = {
  fxRevaluation: '期末调汇',
  deferredOutputVat: '待转销项税额转出',
  vatTransfer: '转出未交增值税',
  surcharges: '计提税金及附加',
  incomeTax: '计提所得税',
  profitTransfer: '结转损益',
  yearEnd: '年末结转本年利润',
};
/** The voucher source type of a step's vouchers; month-end vouchers are told apart by the prefix. */
export const MONTH_END_SOURCE_PREFIX = 'monthEnd.';
export const monthEndSourceType = (step: MonthEndStep) => `${MONTH_END_SOURCE_PREFIX}${step}`;

const zero = new Decimal(0);
const fen = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** The last day of a YYYY-MM period. */
export function periodEnd(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${period}-${String(last).padStart(2, '0')}`;
}

/** A line on the account's side that an amount of this sign (as debit − credit) needs; null for 0. */
function line(account: string, net: Decimal, summary: string): PostingLine | null {
  if (net.isZero()) return null;
  return net.gt(0) ? { account, summary, debit: net } : { account, summary, credit: net.neg() };
}
const lines = (...ls: (PostingLine | null)[]) => ls.filter((l): l is PostingLine => l !== null);

interface StepFacts extends PostingFacts {
  period: string;
}

// ---------- 待转销项税额转出 ----------

/**
 * 借 应交税费—待转销项税额 / 贷 应交税费—应交增值税—销项税额, per customer: the move of output VAT
 * once its obligation arises. The sales invoice's and the receipt's vouchers carry these lines for
 * the shipments they bring forward; the month-end step makes a voucher of them for the agreed dates.
 */
export function deferredOutputVatMoveLines(moves: readonly { customerId: string; amount: Decimal.Value }[], summary: string): PostingLine[] {
  const per = new Map<string, Decimal>();
  for (const m of moves) per.set(m.customerId, (per.get(m.customerId) ?? zero).plus(m.amount));
  return [...per].filter(([, a]) => !a.isZero()).flatMap(([customerId, amount]) => [
    { account: ACCOUNTS.deferredOutputVat, summary, debit: amount, customerId },
    { account: ACCOUNTS.outputVat, summary, credit: amount, customerId },
  ]);
}

export interface DeferredOutputVatFacts extends StepFacts {
  /** the 待转销项税额 whose agreed date fell by the month's end, claimed by this run */
  moves: { customerId: string; amount: Decimal.Value }[];
}

export function deferredOutputVatVoucher(f: DeferredOutputVatFacts): VoucherDraft | null {
  const summary = `${f.period} 待转销项税额转出（到约定收款日期）`;
  const ls = deferredOutputVatMoveLines(f.moves, summary);
  return ls.length ? { date: periodEnd(f.period), summary, lines: ls } : null;
}

// ---------- 转出未交增值税 ----------

export interface VatTransferFacts extends StepFacts {
  /** 应交增值税 (all its sub-accounts) at the month's end, credit − debit */
  vatCreditBalance: Decimal.Value;
}

export function vatTransferAmount(vatCreditBalance: Decimal.Value): Decimal {
  const b = new Decimal(vatCreditBalance);
  return b.gt(0) ? fen(b) : zero;
}

export function vatTransferVoucher(f: VatTransferFacts): VoucherDraft | null {
  const amount = vatTransferAmount(f.vatCreditBalance);
  if (amount.isZero()) return null;
  const summary = `${f.period} 转出未交增值税`;
  return {
    date: periodEnd(f.period), summary,
    lines: [{ account: ACCOUNTS.unpaidVatTransferredOut, summary, debit: amount }, { account: ACCOUNTS.unpaidVat, summary, credit: amount }],
  };
}

// ---------- 税金及附加 ----------

export interface SurchargeSettings {
  urbanConstructionTaxRate: Decimal.Value;
  educationSurchargeRate: Decimal.Value;
  localEducationSurchargeRate: Decimal.Value;
  sixTaxesHalfRelief: boolean;
  smallSalesSurchargeExempt: boolean;
  surchargeExemptThreshold: Decimal.Value;
}

export const DEFAULT_SURCHARGE_SETTINGS: SurchargeSettings = {
  urbanConstructionTaxRate: '0.07', educationSurchargeRate: '0.03', localEducationSurchargeRate: '0.02',
  sixTaxesHalfRelief: false, smallSalesSurchargeExempt: true, surchargeExemptThreshold: '100000',
};

export interface Surcharges {
  urbanConstructionTax: Decimal;
  educationSurcharge: Decimal;
  localEducationSurcharge: Decimal;
  /** the two 附加 exempt for small sales */
  exempt: boolean;
}

/**
 * The month's 附加税费 on its VAT payable: each to the fen (half up) after the 减半; the two 附加 are
 * 0 when the exemption is on and the month's sales (不含税) are at most the threshold.
 */
export function computeSurcharges(vatPayable: Decimal.Value, monthSales: Decimal.Value, s: SurchargeSettings): Surcharges {
  const base = Decimal.max(new Decimal(vatPayable), 0);
  const factor = s.sixTaxesHalfRelief ? new Decimal('0.5') : new Decimal(1);
  const exempt = s.smallSalesSurchargeExempt && new Decimal(monthSales).lte(s.surchargeExemptThreshold);
  const tax = (rate: Decimal.Value) => fen(base.times(rate).times(factor));
  return {
    urbanConstructionTax: tax(s.urbanConstructionTaxRate),
    educationSurcharge: exempt ? zero : tax(s.educationSurchargeRate),
    localEducationSurcharge: exempt ? zero : tax(s.localEducationSurchargeRate),
    exempt,
  };
}

export interface SurchargeFacts extends StepFacts {
  due: Surcharges;
  /** what earlier runs of this step booked for the month, per tax (credit − debit) */
  booked: { urbanConstructionTax: Decimal.Value; educationSurcharge: Decimal.Value; localEducationSurcharge: Decimal.Value };
}

export function surchargeVoucher(f: SurchargeFacts): VoucherDraft | null {
  const summary = `${f.period} 计提税金及附加`;
  const delta = {
    [ACCOUNTS.urbanConstructionTax]: f.due.urbanConstructionTax.minus(f.booked.urbanConstructionTax),
    [ACCOUNTS.educationSurcharge]: f.due.educationSurcharge.minus(f.booked.educationSurcharge),
    [ACCOUNTS.localEducationSurcharge]: f.due.localEducationSurcharge.minus(f.booked.localEducationSurcharge),
  };
  const total = Object.values(delta).reduce((t, d) => t.plus(d), zero);
  const ls = lines(
    line(ACCOUNTS.taxesAndSurcharges, total, summary),
    ...Object.entries(delta).map(([account, d]) => line(account, d.neg(), summary)),
  );
  if (ls.length < 2) return null;
  return { date: periodEnd(f.period), summary, lines: ls };
}

// ---------- 所得税 (应付税款法) ----------

export interface IncomeTaxFacts extends StepFacts {
  /** 利润总额 of the month: its 损益 postings other than 结转损益 and 所得税费用, credit − debit */
  profitBeforeTax: Decimal.Value;
  rate: Decimal.Value;
  /** 所得税费用 earlier runs of this step booked for the month (debit − credit) */
  booked: Decimal.Value;
}

/** max(0, 利润总额) × rate, to the fen (half up): a loss month owes none. */
export function incomeTaxDue(profitBeforeTax: Decimal.Value, rate: Decimal.Value): Decimal {
  return fen(Decimal.max(new Decimal(profitBeforeTax), 0).times(rate));
}

export function incomeTaxVoucher(f: IncomeTaxFacts): VoucherDraft | null {
  const delta = incomeTaxDue(f.profitBeforeTax, f.rate).minus(f.booked);
  if (delta.isZero()) return null;
  const summary = `${f.period} 计提所得税`;
  return {
    date: periodEnd(f.period), summary,
    lines: lines(line(ACCOUNTS.incomeTaxExpense, delta, summary), line(ACCOUNTS.incomeTaxPayable, delta.neg(), summary)),
  };
}

// ---------- 结转损益 ----------

export interface ProfitTransferFacts extends StepFacts {
  /** each 损益 account's own balance at the month's end, debit − credit */
  balances: { code: string; net: Decimal.Value }[];
}

export function profitTransferVoucher(f: ProfitTransferFacts): VoucherDraft | null {
  const summary = `${f.period} 结转损益`;
  const closing = [...f.balances].sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((b) => ({ code: b.code, net: new Decimal(b.net) })).filter((b) => !b.net.isZero());
  if (!closing.length) return null;
  // Each account is brought to 0 (its balance on the other side); the difference is the profit (贷) or loss (借).
  const profit = closing.reduce((t, b) => t.plus(b.net), zero);
  return {
    date: periodEnd(f.period), summary,
    lines: lines(...closing.map((b) => line(b.code, b.net.neg(), summary)), line(ACCOUNTS.currentYearProfit, profit, summary)),
  };
}

// ---------- 年末: 本年利润 → 利润分配—未分配利润 ----------

export interface YearEndFacts extends StepFacts {
  /** 本年利润 at December's end, credit − debit (a profit above 0) */
  profitCreditBalance: Decimal.Value;
}

export function yearEndVoucher(f: YearEndFacts): VoucherDraft | null {
  const profit = new Decimal(f.profitCreditBalance);
  if (profit.isZero()) return null;
  const summary = `${f.period.slice(0, 4)} 年度本年利润转入未分配利润`;
  return {
    date: periodEnd(f.period), summary,
    lines: lines(line(ACCOUNTS.currentYearProfit, profit, summary), line(ACCOUNTS.undistributedProfit, profit.neg(), summary)),
  };
}

// ---------- 期末调汇 ----------

/** One foreign-currency balance at the month's end, both as debit − credit. */
export interface FxBalance {
  account: string;
  currencyCode: string;
  customerId?: string | null;
  supplierId?: string | null;
  foreign: Decimal.Value;
  base: Decimal.Value;
}

export interface FxRevaluationFacts extends StepFacts {
  balances: FxBalance[];
  /** the month-end rate of each currency the balances name (CNY per unit) */
  rates: Record<string, Decimal.Value>;
  /** 财务费用 or its 汇兑损益 sub-account */
  gainLossAccount: string;
}

/** What a balance moves by at the rate (debit − credit): round(foreign × rate, 2) − CNY balance. */
export function fxAdjustment(b: Pick<FxBalance, 'foreign' | 'base'>, rate: Decimal.Value): Decimal {
  return fen(new Decimal(b.foreign).times(rate)).minus(b.base);
}

/** Σ of the adjustments: above 0 a gain (汇兑收益), below 0 a loss. */
export function fxGain(f: Pick<FxRevaluationFacts, 'balances' | 'rates'>): Decimal {
  return f.balances.reduce((t, b) => t.plus(fxAdjustment(b, f.rates[b.currencyCode]!)), zero);
}

export function fxRevaluationVoucher(f: FxRevaluationFacts): VoucherDraft | null {
  const summary = `${f.period} 期末调汇`;
  const adjusted = f.balances.map((b) => {
    const rate = new Decimal(f.rates[b.currencyCode]!);
    const l = line(b.account, fxAdjustment(b, rate), `${summary} ${b.currencyCode} @${rate.toFixed(6)}`);
    return l && { ...l, customerId: b.customerId ?? null, supplierId: b.supplierId ?? null, currencyCode: b.currencyCode, amountForeign: 0, rate: rate.toFixed(6) };
  });
  const ls = lines(...adjusted);
  if (!ls.length) return null;
  // 汇兑收益 is a credit to 财务费用 (a negative expense), a loss a debit.
  return { date: periodEnd(f.period), summary, lines: lines(...ls, line(f.gainLossAccount, fxGain(f).neg(), summary)) };
}
