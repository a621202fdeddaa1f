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

/**
 * A return's value (base currency, to the fen): its quantity's share of what is still booked for
 * the order line — Σ what its receipts (or shipments) moved less Σ what earlier returns moved —
 * pro rata over the `net` quantity still received (or shipped). So goods go back at the rates and
 * costs they were actually booked at, and the return that takes the whole net quantity takes the
 * remainder exactly.
 */
export function bookedShare(booked: Decimal.Value, net: Decimal.Value, quantity: Decimal.Value): { amount: string; unitCost: string } {
  const qty = new Decimal(quantity);
  const held = new Decimal(net);
  const value = new Decimal(booked);
  const amount = qty.gte(held) ? value : held.gt(0) ? value.mul(qty).div(held).toDecimalPlaces(2, Decimal.ROUND_HALF_UP) : new Decimal(0);
  const unitCost = qty.gt(0) ? amount.div(qty).toDecimalPlaces(6, Decimal.ROUND_HALF_UP) : new Decimal(0);
  return { amount: amount.toFixed(2), unitCost: unitCost.toFixed(6) };
}
