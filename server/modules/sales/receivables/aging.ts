// 账龄 — pure: an open invoice's bucket by its due date (开票日期 + 客户账期) against the as-of day.
import { Decimal } from 'decimal.js';

export type AgingBucket = 'notDue' | 'd1to30' | 'd31to60' | 'd61to90' | 'over90';
export const AGING_BUCKETS: readonly AgingBucket[] = ['notDue', 'd1to30', 'd31to60', 'd61to90', 'over90'];

/** Days overdue (as-of − due, YYYY-MM-DD) → bucket; not yet due (≤ 0 days) is 未到期. */
export function agingBucket(dueDate: string, asOf: string): AgingBucket {
  const days = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / 86_400_000);
  if (days <= 0) return 'notDue';
  if (days <= 30) return 'd1to30';
  if (days <= 60) return 'd31to60';
  if (days <= 90) return 'd61to90';
  return 'over90';
}

export type Buckets = Record<AgingBucket | 'total' | 'overdue', Decimal>;

export function emptyBuckets(): Buckets {
  return { notDue: new Decimal(0), d1to30: new Decimal(0), d31to60: new Decimal(0), d61to90: new Decimal(0), over90: new Decimal(0), total: new Decimal(0), overdue: new Decimal(0) };
}

/** Adds an open amount into its bucket, the total and (when due) the overdue sum. */
export function addToBuckets(b: Buckets, open: Decimal.Value, bucket: AgingBucket): void {
  b[bucket] = b[bucket].plus(open);
  b.total = b.total.plus(open);
  if (bucket !== 'notDue') b.overdue = b.overdue.plus(open);
}

export function bucketsDto(b: Buckets): Record<AgingBucket | 'total' | 'overdue', string> {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.toFixed(2)])) as Record<AgingBucket | 'total' | 'overdue', string>;
}
