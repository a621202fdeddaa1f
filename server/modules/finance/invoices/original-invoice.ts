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

/**
 * A return's invoiced lines grouped by the invoice each came on (pickOriginalInvoice), counting what
 * earlier lines of the same return already gave each invoice (not yet written). candidatesOf: the
 * invoices of a line's order line, newest first, with what earlier returns took back.
 */
export async function groupByOriginalInvoice<
  L extends { id: string; orderLineId: string; invoicedQuantity: Decimal.Value },
  C extends { id: string; quantity: Decimal.Value; returned: Decimal.Value },
>(lines: L[], candidatesOf: (line: L) => Promise<C[]>): Promise<{ invoice: C; lines: L[] }[]> {
  const groups = new Map<string, { invoice: C; lines: L[] }>();
  const pending = new Map<string, Decimal>();
  for (const l of lines) {
    const candidates = await candidatesOf(l);
    const withPending = candidates.map((c) => ({ id: c.id, quantity: c.quantity, returned: new Decimal(c.returned).plus(pending.get(`${l.orderLineId}:${c.id}`) ?? 0) }));
    const picked = pickOriginalInvoice(withPending, l.invoicedQuantity);
    // the caller's split found an invoiced part, so the order line has an invoice
    if (!picked) throw new Error(`return line ${l.id}: invoiced part without an invoice`);
    const invoice = candidates.find((c) => c.id === picked.id)!;
    const key = `${l.orderLineId}:${invoice.id}`;
    pending.set(key, (pending.get(key) ?? new Decimal(0)).plus(l.invoicedQuantity));
    const g = groups.get(invoice.id) ?? { invoice, lines: [] };
    g.lines.push(l);
    groups.set(invoice.id, g);
  }
  return [...groups.values()];
}
