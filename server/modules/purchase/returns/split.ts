// 采购退货 — pure: which part of a returned quantity was still 暂估 and which the supplier had already
// invoiced, and what each is worth. Returns come off the order line (not a receipt line), so the
// not-yet-invoiced quantity goes back first: while some of the line is still 暂估 the supplier simply
// invoices less; only beyond that does the return need a red invoice (红字发票) against what was
// invoiced. Each part takes its pro-rata share of what is left of its value (the last unit takes
// the remainder), as bookedShare does for stock.
import { Decimal } from 'decimal.js';
import { bookedShare } from '../../inventory/index.ts';

export interface ReturnBasis {
  /** received, not invoiced and not returned: base units, and the 暂估 still booked for it */
  provisionalQuantity: Decimal.Value;
  provisionalValue: Decimal.Value;
  /** invoiced and not returned: base units, its invoiced cost (what the stock carries) and 价税合计 */
  invoicedQuantity: Decimal.Value;
  invoicedCost: Decimal.Value;
  invoicedTotal: Decimal.Value;
}

export interface ReturnSplit {
  provisionalQuantity: Decimal;
  /** 暂估 given back */
  provisional: Decimal;
  invoicedQuantity: Decimal;
  invoicedCost: Decimal;
  invoicedTotal: Decimal;
}

export function splitReturn(b: ReturnBasis, quantity: Decimal.Value): ReturnSplit {
  const q = new Decimal(quantity);
  const held = Decimal.max(new Decimal(b.provisionalQuantity), 0);
  const provisionalQuantity = Decimal.min(q, held);
  const invoicedQuantity = q.minus(provisionalQuantity);
  const share = (value: Decimal.Value, of: Decimal.Value, take: Decimal) =>
    (take.gt(0) ? new Decimal(bookedShare(value, Decimal.max(new Decimal(of), 0), take).amount) : new Decimal(0));
  return {
    provisionalQuantity,
    provisional: share(b.provisionalValue, held, provisionalQuantity),
    invoicedQuantity,
    invoicedCost: share(b.invoicedCost, b.invoicedQuantity, invoicedQuantity),
    invoicedTotal: share(b.invoicedTotal, b.invoicedQuantity, invoicedQuantity),
  };
}
