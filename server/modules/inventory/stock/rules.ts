// Pure stock rules (no I/O).
import { Decimal } from 'decimal.js';

/** 建议采购量: what brings available + on order back up to safety stock (never negative). */
export function suggestedPurchase(available: Decimal.Value, safetyStock: Decimal.Value, onOrder: Decimal.Value): Decimal {
  const gap = new Decimal(safetyStock).minus(available).minus(onOrder);
  return gap.gt(0) ? gap.toDecimalPlaces(4, Decimal.ROUND_UP) : new Decimal(0);
}

/** 进度: none / partial / full from done and total quantities. */
export function progressOf(done: Decimal.Value, total: Decimal.Value): 'none' | 'partial' | 'full' {
  const d = new Decimal(done);
  if (d.lte(0)) return 'none';
  return d.gte(total) ? 'full' : 'partial';
}
