// 借贷平衡 — pure: a voucher's lines each a debit or a credit (the other 0), to the fen, and the two
// totals equal and not 0 (有借必有贷，借贷必相等). Blue vouchers carry positive amounts; a 红字 voucher
// (a reversal) carries negative ones, so both its totals are below 0.
import { Decimal } from 'decimal.js';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { formatYuan } from '../../../../shared/money.ts';

export interface AmountLine {
  debit?: Decimal.Value | null;
  credit?: Decimal.Value | null;
}

export interface VoucherTotals {
  debit: Decimal;
  credit: Decimal;
}

const dec = (v: Decimal.Value | null | undefined) => new Decimal(v ?? 0);

export function voucherTotals(lines: readonly AmountLine[]): VoucherTotals {
  return lines.reduce<VoucherTotals>((t, l) => ({ debit: t.debit.plus(dec(l.debit)), credit: t.credit.plus(dec(l.credit)) }), {
    debit: new Decimal(0), credit: new Decimal(0),
  });
}

/**
 * What is wrong with the lines as a voucher (empty when it may be saved). `red`: the lines of a
 * 红字冲销 voucher (amounts below 0); otherwise amounts are above 0. `field` prefixes the paths.
 */
export function balanceIssues(lines: readonly AmountLine[], opts: { red?: boolean; field?: string } = {}): FieldIssue[] {
  const field = opts.field ?? 'body.lines';
  const issues: FieldIssue[] = [];
  if (lines.length < 2) issues.push({ field, message: '凭证至少要有两行分录（有借有贷）' });
  lines.forEach((l, n) => {
    const debit = dec(l.debit);
    const credit = dec(l.credit);
    if (debit.isZero() === credit.isZero()) {
      issues.push({ field: `${field}.${n}.debit`, message: debit.isZero() ? '借方金额和贷方金额必须填一个' : '借方金额和贷方金额只能填一个' });
      return;
    }
    const amount = debit.isZero() ? credit : debit;
    const side = debit.isZero() ? 'credit' : 'debit';
    if (amount.decimalPlaces() > 2) issues.push({ field: `${field}.${n}.${side}`, message: '金额最多 2 位小数（到分）' });
    else if (!opts.red && amount.lt(0)) issues.push({ field: `${field}.${n}.${side}`, message: '金额必须大于 0（更正已记账的凭证请用红字冲销）' });
    else if (opts.red && amount.gt(0)) issues.push({ field: `${field}.${n}.${side}`, message: '红字凭证的金额必须小于 0' });
  });
  if (issues.length) return issues;
  const t = voucherTotals(lines);
  if (!t.debit.eq(t.credit)) {
    issues.push({ field, message: `借贷不平衡：借方合计 ${formatYuan(t.debit.toFixed(2))}，贷方合计 ${formatYuan(t.credit.toFixed(2))}，相差 ${formatYuan(t.debit.minus(t.credit).abs().toFixed(2))}` });
  } else if (t.debit.isZero()) {
    issues.push({ field, message: '凭证金额合计不能为 0' });
  }
  return issues;
}

export interface ForeignLine extends AmountLine {
  currencyCode?: string | null;
  amountForeign?: Decimal.Value | null;
  rate?: Decimal.Value | null;
  /** the line's account as found (undefined: not found, reported elsewhere) */
  account?: { code: string; fullName: string; fxAccounting: boolean; currencyCode: string | null };
}

/**
 * 外币核算 — pure. Every line: an account kept in one currency takes only that currency and needs
 * the foreign amount. `strict` (a manual voucher): a currency only on a 外币核算 account, with a
 * foreign amount of the line's sign and a rate above 0, and the line's amount = foreign × rate to
 * the fen (half up). A rule's lines (期末调汇: foreign 0) are trusted beyond the first check.
 */
export function foreignIssues(lines: readonly ForeignLine[], opts: { strict: boolean; field?: string }): FieldIssue[] {
  const field = opts.field ?? 'body.lines';
  const issues: FieldIssue[] = [];
  lines.forEach((l, n) => {
    const a = l.account;
    if (!a) return;
    const currency = l.currencyCode && l.currencyCode !== 'CNY' ? l.currencyCode : null;
    const name = `「${a.code} ${a.fullName}」`;
    if (a.currencyCode && currency !== a.currencyCode) {
      issues.push({ field: `${field}.${n}.currencyCode`, message: `科目${name}按 ${a.currencyCode} 外币核算，分录的币别必须是 ${a.currencyCode}` });
      return;
    }
    if (a.currencyCode && l.amountForeign == null) {
      issues.push({ field: `${field}.${n}.amountForeign`, message: `科目${name}按 ${a.currencyCode} 外币核算，请填写外币金额` });
      return;
    }
    if (!opts.strict || !currency) return;
    if (!a.fxAccounting) {
      issues.push({ field: `${field}.${n}.currencyCode`, message: `科目${name}不是外币核算科目，不能填写外币` });
      return;
    }
    if (l.amountForeign == null) {
      issues.push({ field: `${field}.${n}.amountForeign`, message: `外币 ${currency} 的分录请填写外币金额` });
      return;
    }
    if (l.rate == null || new Decimal(l.rate).lte(0)) {
      issues.push({ field: `${field}.${n}.rate`, message: `外币 ${currency} 的分录请填写大于 0 的汇率` });
      return;
    }
    const amount = dec(l.debit).isZero() ? dec(l.credit) : dec(l.debit);
    const foreign = new Decimal(l.amountForeign);
    const expected = foreign.times(l.rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    if (foreign.isZero() || foreign.isNeg() !== amount.isNeg()) {
      issues.push({ field: `${field}.${n}.amountForeign`, message: '外币金额不能为 0，且正负要与本位币金额相同' });
    } else if (!expected.eq(amount)) {
      issues.push({
        field: `${field}.${n}.amountForeign`,
        message: `外币金额 ${currency} ${foreign.toFixed(2)} × 汇率 ${new Decimal(l.rate).toFixed(6)} = ${formatYuan(expected.toFixed(2))}，与本位币金额 ${formatYuan(amount.toFixed(2))} 不符`,
      });
    }
  });
  return issues;
}
