// Pure rules of the stock documents (adjustments, transfers, counts): batches, unit precision,
// costs, count variances, date ranges, number formats. No I/O.
import { Decimal } from 'decimal.js';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';

export type DecimalLike = Decimal.Value | { toString(): string };
const dec = (v: DecimalLike) => new Decimal(typeof v === 'string' || typeof v === 'number' || v instanceof Decimal ? v : v.toString());

/** quantities 4 decimals, costs 6, amounts 2 (as the API shows them) */
export const qty = (v: DecimalLike): string => dec(v).toFixed(4);
export const cost = (v: DecimalLike): string => dec(v).toFixed(6);
export const money = (v: DecimalLike): string => dec(v).toFixed(2);

/**
 * 批次: a batch-tracked item needs one on every stock line, an item that is not batch-tracked must
 * not have one (its stock is kept under the empty batch).
 */
export function batchIssue(item: { code: string; batchTracked: boolean }, batchNo: string | null | undefined, field: string): FieldIssue | null {
  const batch = (batchNo ?? '').trim();
  if (item.batchTracked && !batch) return { field, message: `物料 ${item.code} 按批次管理，必须填写批次(炉号)` };
  if (!item.batchTracked && batch) return { field, message: `物料 ${item.code} 未启用批次管理，不能填写批次` };
  return null;
}

/** A quantity must not have more decimals than its unit allows (个 = 0). */
export function precisionIssue(quantity: string, unit: { name: string; precision: number }, field: string): FieldIssue | null {
  const d = dec(quantity);
  if (d.decimalPlaces() <= unit.precision) return null;
  return { field, message: unit.precision === 0 ? `单位「${unit.name}」的数量必须是整数` : `单位「${unit.name}」的数量最多 ${unit.precision} 位小数` };
}

/**
 * The cost at which stock comes in when the request names none: the item's moving average cost
 * while it has stock, else its standard cost.
 */
export function defaultInboundCost(stock: { quantity: DecimalLike; averageCost: DecimalLike } | null, standardCost: DecimalLike): string {
  if (stock && dec(stock.quantity).gt(0) && dec(stock.averageCost).gt(0)) return cost(stock.averageCost);
  return cost(standardCost);
}

/** 盘点差异 = 实盘 − 账面 (the book quantity at posting time); + is a gain, − a loss. */
export function countVariance(counted: DecimalLike, book: DecimalLike): Decimal {
  return dec(counted).minus(dec(book));
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The instant a Shanghai calendar day (YYYY-MM-DD) starts. */
export function shanghaiDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/** [from 00:00, to + 1 day 00:00) in Asia/Shanghai; either end may be open. */
export function dayRange(from?: string, to?: string): { gte?: Date; lt?: Date } {
  return {
    ...(from ? { gte: shanghaiDayStart(from) } : {}),
    ...(to ? { lt: new Date(shanghaiDayStart(to).getTime() + 86_400_000) } : {}),
  };
}

/** Whole days between two instants (rounded down), for 呆滞天数. */
export function daysBetween(earlier: Date, later: Date): number {
  return Math.floor((later.getTime() - earlier.getTime()) / 86_400_000);
}

/** "M8螺栓（M8×30 外六角）" — how messages name an item. */
export function itemLabel(item: { code: string; name: string; spec?: string | null }): string {
  return `${item.name}${item.spec ? `（${item.spec}）` : ''}[${item.code}]`;
}

/** LIKE pattern for "contains" with the wildcards in the keyword taken literally. */
export function containsPattern(keyword: string): string {
  return `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Keyword split into terms (each must match): "M8 螺栓" → ["M8", "螺栓"]. */
export function keywordTerms(keyword: string): string[] {
  return keyword.trim().split(/\s+/).filter(Boolean).slice(0, 5);
}

/**
 * Runs one line's ledger call; a stock conflict (库存不足, 已被预留) is answered naming the line,
 * so the client can point at it: 「第 2 行：库存不足…」 with details[0].field = body.lines.1.quantity.
 */
export async function atLine<T>(index: number, field: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFLICT') throw new AppError('CONFLICT', `第 ${index + 1} 行：${e.message}`, [{ field, message: e.message }]);
    throw e;
  }
}

/** One 400 carrying every issue found, if there are any. */
export function throwIssues(issues: FieldIssue[], head?: string): void {
  if (!issues.length) return;
  throw new AppError('VALIDATION_FAILED', issuesMessage(issues, head), issues);
}
