// Money on document lines, computed one way everywhere (server, mini-app previews). Prices are
// tax-inclusive (含税单价), as Chinese invoices and price lists quote them; the tax is split out
// of the line total. Amounts round half-up to 2 decimals, unit prices to 6, quantities to 4.
import { Decimal } from 'decimal.js';
import { passengerTicketTaxText, type PassengerTicketKind } from './passenger-vat.ts';

export interface LineInput {
  quantity: Decimal.Value;
  /** 含税单价 before discount */
  listPrice: Decimal.Value;
  /** 0 … 1 */
  discountRate?: Decimal.Value;
  /** e.g. 0.13 */
  taxRate: Decimal.Value;
}

export interface LineAmounts {
  /** 含税单价 after discount, 6 decimals */
  unitPrice: string;
  /** 不含税金额 */
  amount: string;
  /** 税额 */
  taxAmount: string;
  /** 价税合计 */
  amountWithTax: string;
  /** list price × quantity, 2 decimals (for the document's discount) */
  listAmount: string;
}

const money = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

export function lineAmounts(l: LineInput): LineAmounts {
  const qty = new Decimal(l.quantity);
  const list = new Decimal(l.listPrice);
  const discount = new Decimal(l.discountRate ?? 0);
  const unitPrice = list.mul(new Decimal(1).minus(discount)).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
  const withTax = money(qty.mul(unitPrice));
  const amount = money(withTax.div(new Decimal(1).plus(l.taxRate)));
  return {
    unitPrice: unitPrice.toFixed(6),
    amount: amount.toFixed(2),
    taxAmount: withTax.minus(amount).toFixed(2),
    amountWithTax: withTax.toFixed(2),
    listAmount: money(qty.mul(list)).toFixed(2),
  };
}

export interface DocumentTotals {
  totalAmount: string;
  totalTax: string;
  totalWithTax: string;
  listTotal: string;
  /** 1 − Σ net line amounts / Σ list price × quantity, 4 decimals; 0 when there is no list total */
  discountRate: string;
}

/** Totals are the sums of the stored line amounts, so a document never drifts from its lines. */
export function documentTotals(lines: Pick<LineAmounts, 'amount' | 'taxAmount' | 'amountWithTax' | 'listAmount'>[]): DocumentTotals {
  const sum = (k: keyof (typeof lines)[number]) => lines.reduce((a, l) => a.plus(l[k]), new Decimal(0));
  const withTax = sum('amountWithTax');
  const list = sum('listAmount');
  const discount = list.gt(0) ? new Decimal(1).minus(withTax.div(list)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP) : new Decimal(0);
  return {
    totalAmount: sum('amount').toFixed(2),
    totalTax: sum('taxAmount').toFixed(2),
    totalWithTax: withTax.toFixed(2),
    listTotal: list.toFixed(2),
    discountRate: (discount.isNegative() ? new Decimal(0) : discount).toFixed(4),
  };
}

/** An amount in yuan as people read it: ¥1,234.50 (half-up to 2 decimals; negative as -¥1,234.50). */
export function formatYuan(amount: Decimal.Value): string {
  const d = new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const [whole, cents] = d.abs().toFixed(2).split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${d.isNegative() && !d.isZero() ? '-' : ''}¥${grouped}.${cents}`;
}

/** 国内旅客运输 tickets' input VAT (shared/passenger-vat.ts, the rule the mini-app's preview runs too), as a Decimal. */
export { DEFAULT_PASSENGER_VAT_RATES } from './passenger-vat.ts';

export function passengerTicketTax(kind: PassengerTicketKind, base: Decimal.Value, rates: { airRail: Decimal.Value; roadWater: Decimal.Value }): Decimal {
  return new Decimal(passengerTicketTaxText(kind, new Decimal(base).toFixed(), { airRail: new Decimal(rates.airRail).toFixed(), roadWater: new Decimal(rates.roadWater).toFixed() }));
}
