// Shared by sales and purchase red invoices (红字发票): a return of invoiced goods must name the
// invoice it reverses, and goods on different invoices of one order line cannot be told apart.
import { Decimal } from 'decimal.js';

/**
 * Pure: which invoice a returned quantity came on — the newest one that invoiced the order line and
 * still has that much not yet returned (the newest is the likeliest to be returned and to be still
 * open), else the newest with anything left, else the newest.
 */
export function pickOriginalInvoice<T extends { quantity: Decimal.Value; returned: Decimal.Value }>(newestFirst: T[], quantity: Decimal.Value): T | undefined {
  const left = (c: T) => new Decimal(c.quantity).minus(c.returned);
  return newestFirst.find((c) => left(c).gte(quantity)) ?? newestFirst.find((c) => left(c).gt(0)) ?? newestFirst[0];
}
