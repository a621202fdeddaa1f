// Days as integers (days since 1970-01-01, UTC) inside the engine, 'YYYY-MM-DD' outside: no time
// zone or DST can shift a day, and comparing or offsetting a day is integer arithmetic.
import { MrpInputError } from './errors.ts';

const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** 'YYYY-MM-DD' → day number; refuses anything else (including 2026-02-30). */
const known = new Map<string, number>();

export function dayNumber(value: string, what: string): number {
  const hit = known.get(value);
  if (hit !== undefined) return hit;
  const ms = DAY_RE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new MrpInputError('INVALID_INPUT', `${what}的日期 ${value} 无效（应为 YYYY-MM-DD）`);
  }
  if (known.size > 100_000) known.clear();
  known.set(value, ms / DAY_MS);
  return ms / DAY_MS;
}

/** Day number → 'YYYY-MM-DD', cached: a run formats the same few hundred days many times. */
export function dayFormatter(): (n: number) => string {
  const cache = new Map<number, string>();
  return (n) => {
    let text = cache.get(n);
    if (text === undefined) {
      text = new Date(n * DAY_MS).toISOString().slice(0, 10);
      cache.set(n, text);
    }
    return text;
  };
}
