// Lines of the stock documents (adjustments, transfers): item and unit resolved as on every
// document, plus what stock lines need on top — the batch rule and the unit's precision.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { resolveLines, type LineRef, type ResolvedLine } from '../items/lines.ts';
import { batchIssue, precisionIssue, throwIssues } from './checks.ts';

export interface StockLineRef extends LineRef {
  batchNo?: string | null;
}

export interface ResolvedStockLine<L extends StockLineRef> extends ResolvedLine<L> {
  /** trimmed; '' for items that are not batch-tracked */
  batchNo: string;
}

/** Resolves the lines (400 naming body.lines.N.field for any problem); quantities may be signed. */
export async function resolveStockLines<L extends StockLineRef>(tx: Tx, lines: L[], field = 'body.lines'): Promise<ResolvedStockLine<L>[]> {
  const resolved = await resolveLines(tx, lines, { defaultUnit: 'base', field });
  const units = await tx.unit.findMany({ where: { id: { in: [...new Set(resolved.map((r) => r.unitId))] } }, select: { id: true, name: true, precision: true } });
  const unitById = new Map(units.map((u) => [u.id, u]));
  const issues: FieldIssue[] = [];
  resolved.forEach((r, n) => {
    const batch = batchIssue(r.item, r.line.batchNo, `${field}.${n}.batchNo`);
    if (batch) issues.push(batch);
    const unit = unitById.get(r.unitId);
    const precision = unit ? precisionIssue(r.line.quantity, unit, `${field}.${n}.quantity`) : null;
    if (precision) issues.push(precision);
    else if (new Decimal(r.baseQuantity).isZero()) issues.push({ field: `${field}.${n}.quantity`, message: '换算为基本单位后数量为 0' });
  });
  throwIssues(issues);
  return resolved.map((r) => ({ ...r, batchNo: (r.line.batchNo ?? '').trim() }));
}

