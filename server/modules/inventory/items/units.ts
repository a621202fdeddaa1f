// An item's units: how many base units one unit holds, converting quantities to the base unit,
// and the rules an item's unit set must satisfy. Pure functions, no I/O.
import { Decimal } from 'decimal.js';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';

/** A decimal as the database or the API gives it (string, or a Prisma Decimal). */
export type DecimalValue = string | number | { toString(): string };

export interface ItemUnits {
  baseUnitId: string;
  conversions: readonly { unitId: string; factor: DecimalValue }[];
}

function toDecimal(value: DecimalValue, what: string): Decimal {
  try {
    return new Decimal(value.toString());
  } catch {
    throw new AppError('VALIDATION_FAILED', `${what}不是有效的数字`);
  }
}

/** quantity (in some unit) × factor → quantity in the base unit, 4 decimals, rounded half-up. */
export function toBaseQuantity(quantity: string, factor: string): string {
  return toDecimal(quantity, '数量').times(toDecimal(factor, '换算率')).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
}

/** How many base units one `unitId` holds for this item ("1.000000" for the base unit itself). */
export function factorFor(item: ItemUnits, unitId: string, field?: string): string {
  if (unitId === item.baseUnitId) return '1.000000';
  const conversion = item.conversions.find((c) => c.unitId === unitId);
  if (!conversion) {
    throw new AppError('VALIDATION_FAILED', '物料没有该计量单位', field ? [{ field, message: '物料没有该计量单位' }] : undefined);
  }
  return toDecimal(conversion.factor, '换算率').toFixed(6);
}

/** The unit choices of an item after a create or update, as they will be stored. */
export interface ItemUnitPlan {
  baseUnitId: string;
  purchaseUnitId: string | null;
  salesUnitId: string | null;
  conversions: readonly { unitId: string }[];
}

/**
 * What is wrong with an item's units: a conversion for the base unit, a unit converted twice, a
 * purchase or sales unit that is neither the base unit nor converted. `conversionsGiven` says
 * whether the request carried the conversions (else a clash is blamed on the base unit).
 */
export function unitPlanIssues(plan: ItemUnitPlan, opts: { conversionsGiven: boolean }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  plan.conversions.forEach((c, i) => {
    const field = `body.conversions.${i}.unitId`;
    if (c.unitId === plan.baseUnitId) {
      issues.push(
        opts.conversionsGiven
          ? { field, message: '基本单位不需要换算率' }
          : { field: 'body.baseUnitId', message: '该单位已是物料的换算单位，请同时调整 conversions' },
      );
    } else if (seen.has(c.unitId)) {
      issues.push({ field, message: '换算单位重复' });
    }
    seen.add(c.unitId);
  });
  const usable = new Set([plan.baseUnitId, ...seen]);
  if (plan.purchaseUnitId && !usable.has(plan.purchaseUnitId)) {
    issues.push({ field: 'body.purchaseUnitId', message: '采购单位必须是基本单位或换算单位之一' });
  }
  if (plan.salesUnitId && !usable.has(plan.salesUnitId)) {
    issues.push({ field: 'body.salesUnitId', message: '销售单位必须是基本单位或换算单位之一' });
  }
  return issues;
}

/** Throws a 400 listing every issue, if there are any. */
export function assertUnitPlan(plan: ItemUnitPlan, opts: { conversionsGiven: boolean }): void {
  const issues = unitPlanIssues(plan, opts);
  if (issues.length === 0) return;
  const head = issuesMessage(issues);
  throw new AppError('VALIDATION_FAILED', head, issues);
}
