// Quantity rules of one item: rounding up to the unit's precision, scrap, lot sizes. Quantities
// are fixed-point bigints (quantity.ts), so every rule here is exact.
import { ceilDiv, maxQ, pow10, SCALE, type Ratio } from './quantity.ts';

/** The item's smallest step in fixed-point units: 10^(10 − precision). */
export const stepOf = (precision: number): bigint => pow10(SCALE - precision);

/** Up to the unit's step: 13.2 bolts of a 0-decimal unit are 14. */
export const roundUp = (q: bigint, step: bigint): bigint => ceilDiv(q, step) * step;

/** One BOM line as a single fraction, scrap included, over the component's step (see explodeQuantity). */
export interface LineRatio {
  num: bigint;
  /** den × the component's step */
  denStep: bigint;
  step: bigint;
}

/**
 * component = parent × perParent / (1 − s) = parent × num / den with num = perParent.num × s.den
 * and den = perParent.den × (s.den − s.num).
 */
export function lineRatio(perParent: Ratio, scrap: Ratio, step: bigint): LineRatio {
  return { num: perParent.num * scrap.den, denStep: perParent.den * (scrap.den - scrap.num) * step, step };
}

/** The component's gross need for a parent quantity, rounded up to the component's step. */
export const explodeQuantity = (parent: bigint, line: LineRatio): bigint => ceilDiv(parent * line.num, line.denStep) * line.step;

export type LotRule = { kind: 'lotForLot' } | { kind: 'fixed'; moq: bigint; multiple: bigint };

/** Lot-for-lot: the net itself; fixed: ceil(max(moq, net) / multiple) × multiple. Then up to the unit's step. */
export function lotSize(net: bigint, rule: LotRule, step: bigint): bigint {
  if (rule.kind === 'lotForLot') return roundUp(net, step);
  return roundUp(ceilDiv(maxQ(rule.moq, net), rule.multiple) * rule.multiple, step);
}
