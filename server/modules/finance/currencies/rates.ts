// 汇率: which rate is in effect on a date, and a month's average — pure, no database.
import { Decimal } from 'decimal.js';
import { shanghaiDay } from '../../../../shared/time.ts';

/** A recorded exchange rate: rateDate as YYYY-MM-DD, rate as a decimal string. */
export interface DatedRate {
  rateDate: string;
  rate: string;
}

export interface RateInEffect {
  currencyCode: string;
  rateDate: string;
  rate: string;
}

/** The base currency converts to itself at exactly 1. */
export const BASE_RATE = '1.000000';

/**
 * The rate of `currency` in effect on `date`: the latest rate dated on or before it (a rate set
 * on a later day never applies backwards). The base currency is always 1 on the day asked.
 * `null` when nothing was recorded on or before that date.
 */
export function rateInEffect(currency: { code: string; isBase: boolean }, rates: readonly DatedRate[], date: string): RateInEffect | null {
  if (currency.isBase) return { currencyCode: currency.code, rateDate: date, rate: BASE_RATE };
  let best: DatedRate | undefined;
  for (const r of rates) {
    // YYYY-MM-DD strings order the same way as the dates they name.
    if (r.rateDate <= date && (best === undefined || r.rateDate > best.rateDate)) best = r;
  }
  return best ? { currencyCode: currency.code, rateDate: best.rateDate, rate: best.rate } : null;
}

/** The first day of `date`'s month, YYYY-MM-DD. */
export function monthStart(date: string): string {
  return `${date.slice(0, 8)}01`;
}

/**
 * 当月平均汇率 of `currency` as of `date`: the arithmetic mean, over every calendar day from the 1st
 * of `date`'s month through `date` itself, of the rate in effect that day (rateInEffect: the latest
 * rate dated on or before it), rounded half-up to 6 decimals. Each day counts once however many
 * rates were recorded around it, so a rate left unchanged for a week weighs a week. Days before the
 * first recorded rate are left out; `null` when no day of the range has a rate. Rates dated after
 * `date` never count: a receipt's value does not depend on rates not yet known when it was made.
 * `rateDate` of the result is the last day of the range.
 */
export function monthlyAverageRate(currency: { code: string; isBase: boolean }, rates: readonly DatedRate[], date: string): RateInEffect | null {
  if (currency.isBase) return { currencyCode: currency.code, rateDate: date, rate: BASE_RATE };
  const sorted = rates.filter((r) => r.rateDate <= date).sort((a, b) => (a.rateDate < b.rateDate ? -1 : a.rateDate > b.rateDate ? 1 : 0));
  let sum = new Decimal(0);
  let days = 0;
  let k = -1; // index of the rate in effect on `day`
  for (let day = monthStart(date); day <= date; day = nextDay(day)) {
    while (k + 1 < sorted.length && sorted[k + 1]!.rateDate <= day) k++;
    if (k < 0) continue;
    sum = sum.plus(sorted[k]!.rate);
    days++;
  }
  if (!days) return null;
  return { currencyCode: currency.code, rateDate: date, rate: sum.div(days).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6) };
}

function nextDay(date: string): string {
  const d = dateOnlyToDb(date);
  d.setUTCDate(d.getUTCDate() + 1);
  return dateOnlyOf(d);
}

/** A `@db.Date` column value (midnight UTC) from YYYY-MM-DD, and back. */
export function dateOnlyToDb(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}
export function dateOnlyOf(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDay(now).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
}
