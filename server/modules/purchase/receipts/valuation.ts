// 入库金额 — pure: the value a receipt or a return moves is the order line's net amount (不含税金额)
// pro rata to the net quantity received, to the fen. The stock from a line is worth
// round(amount × net received ÷ ordered, 2) at every point, so partial receipts add up to the line
// exactly (the one that completes the line takes the remainder), a return takes back what its
// quantity was worth, and no unit cost rounded to 6 decimals is ever multiplied back.
import { Decimal } from 'decimal.js';

export interface LineValueInput {
  /** the order line's 不含税金额, in the order's currency */
  lineAmount: Decimal.Value;
  /** the order line's quantity in base units, > 0 */
  lineBaseQuantity: Decimal.Value;
  /** net received (received − returned), base units, before and after the document */
  netBefore: Decimal.Value;
  netAfter: Decimal.Value;
  /** order currency → base currency */
  exchangeRate: Decimal.Value;
}

const fen = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** What the line's net received quantity is worth, in the order's currency. */
export function lineValueAt(lineAmount: Decimal.Value, lineBaseQuantity: Decimal.Value, net: Decimal.Value): Decimal {
  const ordered = new Decimal(lineBaseQuantity);
  if (ordered.lte(0)) return new Decimal(0);
  return fen(new Decimal(lineAmount).mul(net).div(ordered));
}

/**
 * The value (≥ 0, base currency, to the fen) that moves when the net received quantity goes from
 * netBefore to netAfter — in for a receipt, out for a return — and its derived unit cost per base
 * unit (6 decimals, for display).
 */
export function stockDocValue(v: LineValueInput): { amount: string; unitCost: string } {
  const before = lineValueAt(v.lineAmount, v.lineBaseQuantity, v.netBefore);
  const after = lineValueAt(v.lineAmount, v.lineBaseQuantity, v.netAfter);
  const amount = fen(after.minus(before).abs().mul(v.exchangeRate));
  const qty = new Decimal(v.netAfter).minus(v.netBefore).abs();
  const unitCost = qty.gt(0) ? amount.div(qty).toDecimalPlaces(6, Decimal.ROUND_HALF_UP) : new Decimal(0);
  return { amount: amount.toFixed(2), unitCost: unitCost.toFixed(6) };
}

/**
 * What a receipt (`change` > 0) or a return (`change` < 0, base units) of a purchase order line
 * moves, given the line's net received quantity after it (as its conditional update returns it).
 */
export function orderLineMoveValue(
  line: { amount: { toString(): string }; baseQuantity: { toString(): string } },
  netAfter: Decimal.Value,
  change: Decimal.Value,
  exchangeRate: { toString(): string },
): { amount: string; unitCost: string } {
  return stockDocValue({
    lineAmount: line.amount.toString(), lineBaseQuantity: line.baseQuantity.toString(),
    netBefore: new Decimal(netAfter).minus(change), netAfter, exchangeRate: exchangeRate.toString(),
  });
}

