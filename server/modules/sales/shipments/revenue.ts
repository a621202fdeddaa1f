// 销售收入 of a shipment — pure: what the goods shipped on an order line are worth, net and tax, in
// the base currency, to the fen. As the order's shipped amount is kept (lineValueSql), a line's
// shipped part is worth round(amount × shipped ÷ ordered, 2) at every point, so the shipment takes
// the value after it less the value before it: partial shipments add up to the line exactly.
import { Decimal } from 'decimal.js';

export interface ShippedLineInput {
  /** the order line's 不含税金额 and 价税合计, order currency */
  amount: Decimal.Value;
  amountWithTax: Decimal.Value;
  /** the order line's quantity, base units (> 0) */
  baseQuantity: Decimal.Value;
  /** shipped quantity on the line before and after this shipment, base units */
  shippedBefore: Decimal.Value;
  shippedAfter: Decimal.Value;
  /** order currency → base currency (1 for CNY) */
  exchangeRate: Decimal.Value;
}

const fen = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

function share(total: Decimal.Value, ordered: Decimal, before: Decimal.Value, after: Decimal.Value): Decimal {
  const at = (q: Decimal.Value) => fen(new Decimal(total).mul(q).div(ordered));
  return at(after).minus(at(before));
}

/** Net revenue and output VAT (价税合计 − net) of the shipped part, base currency. */
export function shippedRevenue(l: ShippedLineInput): { amount: string; tax: string } {
  const ordered = new Decimal(l.baseQuantity);
  if (ordered.lte(0)) return { amount: '0.00', tax: '0.00' };
  const withTax = fen(share(l.amountWithTax, ordered, l.shippedBefore, l.shippedAfter).mul(l.exchangeRate));
  const amount = fen(share(l.amount, ordered, l.shippedBefore, l.shippedAfter).mul(l.exchangeRate));
  return { amount: amount.toFixed(2), tax: withTax.minus(amount).toFixed(2) };
}
