// 汇率: which rate is in effect on a date — pure, no database.
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
