// Document lines name an item, a unit and a quantity; every document (quotation, sales order,
// requisition, purchase order…) resolves them the same way: one query for all the lines' items,
// the unit's factor, the quantity in the base unit. Unknown items or units answer 400 naming the line.
import type { Tx } from '../../../db/transaction.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';
import { factorFor, toBaseQuantity } from './units.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';

export interface LineRef {
  itemId: string;
  /** defaults to the item's sales unit (sales documents) / purchase unit (purchasing), else its base unit */
  unitId?: string | null;
  quantity: string;
}

export interface ResolvedItem {
  id: string;
  code: string;
  name: string;
  spec: string | null;
  baseUnitId: string;
  salesUnitId: string | null;
  purchaseUnitId: string | null;
  salePrice: string;
  standardCost: string;
  taxRate: string;
  batchTracked: boolean;
  safetyStock: string;
  active: boolean;
}

export interface ResolvedLine<L extends LineRef> {
  line: L;
  item: ResolvedItem;
  unitId: string;
  factor: string;
  baseQuantity: string;
}

export async function resolveLines<L extends LineRef>(
  tx: Tx,
  lines: L[],
  opts: { defaultUnit: 'sales' | 'purchase' | 'base'; field?: string },
): Promise<ResolvedLine<L>[]> {
  const field = opts.field ?? 'body.lines';
  const items = await tx.item.findMany({
    where: { id: { in: [...new Set(lines.map((l) => l.itemId))] } },
    include: { conversions: { select: { unitId: true, factor: true } } },
  });
  const byId = new Map(items.map((i) => [i.id, i]));
  const issues: FieldIssue[] = [];
  const out: ResolvedLine<L>[] = [];
  lines.forEach((line, n) => {
    const item = byId.get(line.itemId);
    if (!item) return void issues.push({ field: `${field}.${n}.itemId`, message: '物料不存在' });
    if (!item.active) return void issues.push({ field: `${field}.${n}.itemId`, message: `物料 ${item.code} 已停用` });
    const fallback = opts.defaultUnit === 'sales' ? item.salesUnitId : opts.defaultUnit === 'purchase' ? item.purchaseUnitId : null;
    const unitId = line.unitId ?? fallback ?? item.baseUnitId;
    let factor: string;
    try {
      factor = factorFor(item, unitId, `${field}.${n}.unitId`);
    } catch {
      return void issues.push({ field: `${field}.${n}.unitId`, message: `物料 ${item.code} 没有该计量单位` });
    }
    out.push({
      line,
      unitId,
      factor,
      baseQuantity: toBaseQuantity(line.quantity, factor),
      item: {
        id: item.id, code: item.code, name: item.name, spec: item.spec, baseUnitId: item.baseUnitId, salesUnitId: item.salesUnitId,
        purchaseUnitId: item.purchaseUnitId, salePrice: item.salePrice.toString(), standardCost: item.standardCost.toString(),
        taxRate: item.taxRate.toString(), batchTracked: item.batchTracked, safetyStock: item.safetyStock.toString(), active: item.active,
      },
    });
  });
  if (issues.length) {
    throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
  }
  return out;
}
