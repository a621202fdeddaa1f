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
