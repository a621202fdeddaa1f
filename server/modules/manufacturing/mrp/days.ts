// Day arithmetic on 'YYYY-MM-DD' strings, in UTC so no time zone or DST shifts a day.
import { MrpInputError } from './errors.ts';

const DAY_MS = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function assertDay(value: string, what: string): void {
  if (!DAY_RE.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new MrpInputError('INVALID_INPUT', `${what}的日期 ${value} 无效（应为 YYYY-MM-DD）`);
  }
}

export function addDays(day: string, days: number): string {
  if (days === 0) return day;
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO day strings compare correctly as strings. */
export const maxDay = (a: string, b: string): string => (a < b ? b : a);
