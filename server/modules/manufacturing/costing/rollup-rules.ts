// BOM 成本卷积 (模拟报价) as a pure function, no I/O: the material cost of a quantity of a parent,
// from its multi-level explosion (scrap grossed up at every level, units converted by the lines'
// base quantities, phantoms passed through like every item with a BOM), each leaf priced on one basis.
import { Decimal } from 'decimal.js';
import type { CostBasis } from '../../../../shared/enums.ts';
import { explode, type ExplosionNode, type ExplosionSource } from '../bom/rules.ts';

/** Where a leaf's unit price came from: the basis asked for, or the standard cost when the basis has none. */
export type PriceSource = CostBasis | 'standardFallback';

export interface LeafPrice {
  /** per base unit, any precision */
  unitPrice: string;
  source: PriceSource;
}

export interface RollupNode {
  itemId: string;
  level: number;
  /** extended quantity in the item's base unit, not rounded */
  quantity: Decimal;
  /** a leaf's price, or an assembly's amount ÷ quantity; not rounded */
  unitPrice: Decimal;
  /** leaf: the price's source; assembly: null (its cost is its components') */
  source: PriceSource | null;
  /** not rounded */
  amount: Decimal;
  phantom: boolean;
  children: RollupNode[];
}

export interface Rollup {
  root: RollupNode;
  /** Σ leaves, to the fen */
  total: Decimal;
  /** total ÷ quantity, 6 decimals (a bolt costs ¥0.074061) */
  unitCost: Decimal;
  /** leaves priced at the standard cost because the basis had no price for them */
  fallbacks: number;
}

/** Decimals an explosion for costing keeps: no rounding up per level (a quote is not one batch's rounding). */
const UNROUNDED = 20;

/**
 * Rolls up `quantity` (base unit) of `rootItemId`: the explosion without rounding up per level, every
 * leaf (an item without a BOM on the date; a phantom without one is a leaf too) at `priceOf`, every
 * assembly the sum of its children. Amounts keep full precision; only the total is rounded, once.
 * A cycle throws BomCycleError (from the explosion).
 */
export function rollUpCost(
  rootItemId: string, quantity: string,
  source: Omit<ExplosionSource, 'precisionOf'>, priceOf: (itemId: string) => LeafPrice,
): Rollup {
  const exploded = explode(rootItemId, quantity, { ...source, precisionOf: () => UNROUNDED });
  let fallbacks = 0;
  const cost = (n: ExplosionNode): RollupNode => {
    const qty = new Decimal(n.quantity);
    const phantom = n.line?.phantom ?? false;
    if (!n.children.length) {
      const price = priceOf(n.itemId);
      if (price.source === 'standardFallback') fallbacks++;
      const unitPrice = new Decimal(price.unitPrice);
      return { itemId: n.itemId, level: n.level, quantity: qty, unitPrice, source: price.source, amount: qty.times(unitPrice), phantom, children: [] };
    }
    const children = n.children.map(cost);
    const amount = children.reduce((s, c) => s.plus(c.amount), new Decimal(0));
    return { itemId: n.itemId, level: n.level, quantity: qty, unitPrice: qty.isZero() ? new Decimal(0) : amount.div(qty), source: null, amount, phantom, children };
  };
  const root = cost(exploded);
  const total = root.amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return { root, total, unitCost: root.amount.div(quantity).toDecimalPlaces(6, Decimal.ROUND_HALF_UP), fallbacks };
}

/**
 * A leaf's price on `basis`: the basis' own figure when it has one (a latest purchase price; a moving
 * average of stock that was ever valued), else the item's standard cost, marked as a fallback.
 */
export function pickPrice(basis: CostBasis, standard: string, latestPurchase: string | undefined, movingAverage: string | undefined): LeafPrice {
  if (basis === 'standard') return { unitPrice: standard, source: 'standard' };
  const own = basis === 'latestPurchase' ? latestPurchase : movingAverage;
  return own !== undefined ? { unitPrice: own, source: basis } : { unitPrice: standard, source: 'standardFallback' };
}
