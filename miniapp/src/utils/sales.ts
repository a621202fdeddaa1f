// The phone's quotation / sales order form: lines as typed (item, unit, quantity, 折扣 in %) →
// the API's lines, and the estimate shown while typing. The API prices the lines itself (牌价 =
// the item's sale price × the unit's factor) and decides whether a discount needs approval; the
// figures here are only what the user sees before saving.
import type { Item } from '../../../shared/schemas/inventory';
import type { SalesLineInput } from '../../../shared/schemas/sales/lines';
import { divideDecimal, isPositiveDecimal, multiplyDecimal, subtractDecimal, sumDecimals, trimDecimal } from './format';

export type SaleItem = Pick<Item, 'id' | 'code' | 'name' | 'spec' | 'baseUnit' | 'salesUnit' | 'conversions' | 'salePrice'>;

export interface SalesLineDraft {
  item: SaleItem | null;
  unitId: string;
  quantity: string;
  /** 折扣 in percent ('' = none): "15" → 15 % off */
  discountPercent: string;
}

export interface UnitOption {
  id: string;
  name: string;
  /** base units per this unit ("1" for the base unit) */
  factor: string;
}

export function emptySalesLine(): SalesLineDraft {
  return { item: null, unitId: '', quantity: '', discountPercent: '' };
}

/** The item's units: the base unit first, then its conversions (as the item API lists them). */
export function unitOptions(item: SaleItem): UnitOption[] {
  return [
    { id: item.baseUnit.id, name: item.baseUnit.name, factor: '1' },
    ...item.conversions.map((c) => ({ id: c.unit.id, name: c.unit.name, factor: trimDecimal(c.factor) ?? c.factor })),
  ];
}

/** "箱（1 箱 = 1000 个）"; the base unit by its name alone */
export function unitOptionLabel(option: UnitOption, item: SaleItem): string {
  return option.factor === '1' ? option.name : `${option.name}（1 ${option.name} = ${option.factor} ${item.baseUnit.name}）`;
}

/** A picked item goes on the line in its sales unit (else its base unit), as the API defaults it. */
export function withItem(line: SalesLineDraft, item: SaleItem): void {
  line.item = item;
  line.unitId = item.salesUnit?.id ?? item.baseUnit.id;
}

/** 牌价 per unit of the line (CNY): the item's sale price (per base unit) × the unit's factor. */
export function listPriceOf(line: SalesLineDraft): string | null {
  if (!line.item) return null;
  const option = unitOptions(line.item).find((u) => u.id === line.unitId);
  return option ? multiplyDecimal(line.item.salePrice, option.factor, 6) : null;
}

const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;

/** A 折扣 field's problem ('' is no discount): 0–100 with at most 2 decimals. */
export function percentError(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (!PERCENT.test(v)) return '折扣请填写 0–100 的数字，最多 2 位小数';
  if (subtractDecimal('100', v)?.startsWith('-')) return '折扣不能超过 100%';
  return undefined;
}

/** "15" → "0.15" (a rate as the API takes it); '' → "0" */
export function percentToRate(percent: string): string {
  return percent.trim() ? (divideDecimal(percent.trim(), '100', 4) ?? '0') : '0';
}

/** 行折扣 then 整单折扣 on what is left: 1 − (1 − line)(1 − order), 4 decimals (the API's precision). */
export function combinedRate(linePercent: string, orderPercent: string): string {
  const keep = multiplyDecimal(subtractDecimal('1', percentToRate(linePercent)) ?? '1', subtractDecimal('1', percentToRate(orderPercent)) ?? '1', 4) ?? '1';
  return subtractDecimal('1', keep) ?? '0';
}

/** The line's 价税合计 before saving: quantity × 牌价 × (1 − combined discount), 2 decimals; null when not computable yet. */
export function lineEstimate(line: SalesLineDraft, orderPercent: string): string | null {
  const price = listPriceOf(line);
  if (price === null || !isPositiveDecimal(line.quantity.trim())) return null;
  const gross = multiplyDecimal(line.quantity.trim(), price, 6);
  const keep = subtractDecimal('1', combinedRate(line.discountPercent, orderPercent));
  return gross && keep ? multiplyDecimal(gross, keep, 2) : null;
}

export function estimateTotal(lines: SalesLineDraft[], orderPercent: string): string | null {
  const each = lines.map((l) => lineEstimate(l, orderPercent));
  return each.some((e) => e === null) ? null : sumDecimals(each as string[]);
}

export type LineField = 'itemId' | 'quantity' | 'discountRate';

/** What the user must fix on a line before saving (the API checks again, with the unit's precision). */
export function salesLineErrors(line: SalesLineDraft): Partial<Record<LineField, string>> {
  const errors: Partial<Record<LineField, string>> = {};
  if (!line.item) errors.itemId = '请选择物料';
  const q = line.quantity.trim();
  if (!q) errors.quantity = '请填写数量';
  else if (!/^\d+(\.\d{1,4})?$/.test(q) || !isPositiveDecimal(q)) errors.quantity = '数量必须大于 0，最多 4 位小数';
  const d = percentError(line.discountPercent);
  if (d) errors.discountRate = d;
  return errors;
}

/** The lines as the API takes them: the unit chosen, the discount as a rate (none when 0). */
export function salesLinesInput(lines: SalesLineDraft[], orderPercent: string): SalesLineInput[] {
  return lines.map((l) => {
    const rate = combinedRate(l.discountPercent, orderPercent);
    return {
      itemId: l.item?.id ?? '',
      unitId: l.unitId || null,
      quantity: l.quantity.trim(),
      ...(isPositiveDecimal(rate) ? { discountRate: rate } : {}),
    };
  });
}
