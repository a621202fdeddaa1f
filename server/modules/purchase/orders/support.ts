// Small pieces the purchasing use cases share: the exchange rate of a day, a unit's precision,
// date filters, and the conflict error that names a document line.
import type { Tx } from '../../../db/transaction.ts';
import { AppError, invalid, issuesMessage } from '../../../platform/errors.ts';
import { dateOnlyOf, dateOnlyToDb, rateInEffect } from '../../finance/index.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';

export { dateOnlyOf, dateOnlyToDb };

/** The rate of `currencyCode` in effect on `date` (YYYY-MM-DD); 400 on `field` when there is none. */
export async function exchangeRateOn(tx: Tx, currencyCode: string, date: string, field: string): Promise<string> {
  const currency = await tx.currency.findFirst({ where: { code: currencyCode }, select: { id: true, code: true, isBase: true } });
  if (!currency) throw invalid(field, `币别 ${currencyCode} 不存在`);
  const rates = currency.isBase
    ? []
    : await tx.exchangeRate.findMany({ where: { currencyId: currency.id, rateDate: { lte: dateOnlyToDb(date) } }, orderBy: { rateDate: 'desc' }, take: 1 });
  const found = rateInEffect(currency, rates.map((r) => ({ rateDate: dateOnlyOf(r.rateDate), rate: r.rate.toFixed(6) })), date);
  if (!found) throw invalid(field, `没有 ${currencyCode} 在 ${date} 及之前的汇率，请先在币别中录入`);
  return found.rate;
}

/** Quantities may have no more decimals than their unit allows (个 = 0). */
export async function assertUnitPrecision(tx: Tx, lines: { unitId: string; quantity: string; field: string }[]): Promise<void> {
  if (!lines.length) return;
  const units = await tx.unit.findMany({ where: { id: { in: [...new Set(lines.map((l) => l.unitId))] } }, select: { id: true, name: true, precision: true } });
  const byId = new Map(units.map((u) => [u.id, u]));
  const issues: FieldIssue[] = [];
  for (const l of lines) {
    const unit = byId.get(l.unitId);
    const decimals = (l.quantity.split('.')[1] ?? '').replace(/0+$/, '').length;
    if (unit && decimals > unit.precision) {
      issues.push({ field: l.field, message: unit.precision === 0 ? `计量单位「${unit.name}」的数量必须是整数` : `计量单位「${unit.name}」的数量最多 ${unit.precision} 位小数` });
    }
  }
  if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
}

/** A date-only column between two YYYY-MM-DD days (inclusive). */
export function dayRange(from?: string, to?: string): { gte?: Date; lte?: Date } | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { gte: dateOnlyToDb(from) } : {}), ...(to ? { lte: dateOnlyToDb(to) } : {}) };
}

/** A timestamp column within two YYYY-MM-DD days in Asia/Shanghai (inclusive). */
export function momentRange(from?: string, to?: string): { gte?: Date; lt?: Date } | undefined {
  if (!from && !to) return undefined;
  const start = (d: string) => new Date(`${d}T00:00:00+08:00`);
  return {
    ...(from ? { gte: start(from) } : {}),
    ...(to ? { lt: new Date(start(to).getTime() + 86_400_000) } : {}),
  };
}

/** 409 naming the request field, for a line the state of the data refuses. */
export function lineConflict(field: string, message: string): AppError {
  return new AppError('CONFLICT', message, [{ field, message }]);
}

/** A decimal as stored (4 decimals), without trailing zeros, for messages: "10.5". */
export function plain(v: { toString(): string }): string {
  const s = Number(v.toString());
  return Number.isFinite(s) ? String(Number(s.toFixed(4))) : v.toString();
}
