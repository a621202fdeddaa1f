// How cards and answers write numbers, amounts, times and links: pure helpers, no I/O.
import { Decimal } from 'decimal.js';
import { formatYuan } from '../../shared/money.ts';

const group = (whole: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * A quantity as people read it: trailing zeros trimmed, thousands grouped, the unit name after it
 * where known ("50,000 个", "1.5 吨", "0"). Anything that is not a number is shown as given.
 */
export function formatQuantity(quantity: Decimal.Value, unit?: string | null): string {
  let d: Decimal;
  try {
    d = new Decimal(quantity);
  } catch {
    return String(quantity);
  }
  const fixed = d.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4).replace(/\.?0+$/, '');
  const negative = fixed.startsWith('-');
  const [whole, frac] = (negative ? fixed.slice(1) : fixed).split('.') as [string, string?];
  const text = `${negative && fixed !== '-0' ? '-' : ''}${group(whole)}${frac ? `.${frac}` : ''}`;
  return unit ? `${text} ${unit}` : text;
}

/** An amount in its currency: CNY as ¥1,234.50, others as "USD 1,234.50". */
export function formatAmount(amount: Decimal.Value, currencyCode = 'CNY'): string {
  if (currencyCode === 'CNY') return formatYuan(amount);
  const d = new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const [whole, cents] = d.abs().toFixed(2).split('.') as [string, string];
  return `${d.isNegative() && !d.isZero() ? '-' : ''}${currencyCode} ${group(whole)}.${cents}`;
}

/** "11-22 15:03" from an ISO timestamp in Shanghai time ("2026-11-22T15:03:08.123+08:00"). */
export function shortTime(iso: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[1]}-${m[2]} ${m[3]}:${m[4]}` : iso;
}

/** A link into the mini-app: PUBLIC_BASE_URL + /m/#/<route> (relative when no base URL is set). */
export function miniAppUrl(baseUrl: string | undefined, route: string): string {
  const base = (baseUrl ?? '').replace(/\/+$/, '');
  return `${base}/m/#/${route.replace(/^\/+/, '')}`;
}
