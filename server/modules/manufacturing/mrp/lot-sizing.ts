// Quantity rules of one item: rounding up to the unit's precision, scrap, lot sizes.
import { Decimal as BaseDecimal } from 'decimal.js';
import type { LotPolicy } from './types.ts';

/** 40 significant digits: products of three 10-digit factors stay exact before rounding up. */
export const D = BaseDecimal.clone({ precision: 40, rounding: BaseDecimal.ROUND_HALF_UP });
export type D = InstanceType<typeof D>;

export const ZERO = new D(0);

/** Up to the unit's precision: 13.2 bolts of a 0-decimal unit are 14. */
export const roundUp = (q: D, precision: number): D => q.toDecimalPlaces(precision, D.ROUND_UP);

/** gross = net / (1 − s), rounded up to the precision; the caller has refused s ≥ 1. */
export const withScrap = (net: D, scrap: D, precision: number): D =>
  roundUp(scrap.isZero() ? net : net.div(new D(1).minus(scrap)), precision);

/** Lot-for-lot: the net itself; fixed: ceil(max(moq, net) / multiple) × multiple. */
export function lotSize(net: D, policy: NormalizedLot, precision: number): D {
  if (policy.kind === 'lotForLot') return roundUp(net, precision);
  const base = D.max(policy.moq, net);
  return roundUp(base.div(policy.multiple).toDecimalPlaces(0, D.ROUND_UP).mul(policy.multiple), precision);
}

export type NormalizedLot = { kind: 'lotForLot' } | { kind: 'fixed'; moq: D; multiple: D };

export function normalizeLot(policy: LotPolicy): NormalizedLot {
  return policy.kind === 'lotForLot' ? policy : { kind: 'fixed', moq: new D(policy.moq.toString()), multiple: new D(policy.multiple.toString()) };
}
