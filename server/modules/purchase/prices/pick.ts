// 采购默认价格 — pure, no database: which price-list entry applies to a purchase line, and what
// a line costs when nothing in the price list applies.
import { Decimal } from 'decimal.js';

/** One entry of the supplier price list, as plain values (dates as YYYY-MM-DD). */
export interface PriceEntry {
  id: string;
  supplierId: string;
  itemId: string;
  unitId: string;
  /** 含税单价 per unitId */
  price: string;
  currencyCode: string;
  /** in unitId; the price applies from this quantity on */
  minQuantity: string;
  validFrom: string;
  /** inclusive; null = open-ended */
  validTo: string | null;
}

export interface PriceCriteria {
  supplierId: string;
  itemId: string;
  unitId: string;
  quantity: Decimal.Value;
  /** YYYY-MM-DD */
  date: string;
  /** when given, only prices in this currency apply */
  currencyCode?: string;
}

/**
 * The price that applies: same supplier, item and unit (and currency when asked), valid on the
 * date, with a minimum quantity the line reaches; of those the one with the highest minimum
 * quantity (the best volume break), and among equal breaks the latest validFrom (the newest
 * quote). `null` when none applies.
 */
export function pickSupplierPrice<P extends PriceEntry>(prices: readonly P[], c: PriceCriteria): P | null {
  const qty = new Decimal(c.quantity);
  let best: P | null = null;
  for (const p of prices) {
    if (p.supplierId !== c.supplierId || p.itemId !== c.itemId || p.unitId !== c.unitId) continue;
    if (c.currencyCode && p.currencyCode !== c.currencyCode) continue;
    if (p.validFrom > c.date || (p.validTo !== null && p.validTo < c.date)) continue;
    if (new Decimal(p.minQuantity).gt(qty)) continue;
    if (best === null) {
      best = p;
      continue;
    }
    const cmp = new Decimal(p.minQuantity).comparedTo(best.minQuantity);
    if (cmp > 0 || (cmp === 0 && (p.validFrom > best.validFrom || (p.validFrom === best.validFrom && p.id > best.id)))) best = p;
  }
  return best;
}

/**
 * 标准成本折算的含税单价: the item's standard cost is per base unit, in the base currency and
 * without tax, so the price per order unit is standardCost × factor × (1 + taxRate) ÷ exchangeRate.
 * Receiving at this price then values the stock at exactly the standard cost. 6 decimals.
 */
export function standardCostPrice(p: { standardCost: Decimal.Value; factor: Decimal.Value; taxRate: Decimal.Value; exchangeRate: Decimal.Value }): string {
  const rate = new Decimal(p.exchangeRate);
  if (rate.lte(0)) return '0.000000';
  return new Decimal(p.standardCost).mul(p.factor).mul(new Decimal(1).plus(p.taxRate)).div(rate).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6);
}

/**
 * 入库成本: a purchase line's price turned into the cost of one base unit in the base currency,
 * without tax — unitPrice ÷ factor ÷ (1 + taxRate) × exchangeRate, rounded once to 6 decimals.
 * For showing and comparing only: receipts and returns value stock at the line's net amount pro
 * rata (receipts/valuation.ts), never at this unit cost multiplied back.
 */
export function receiptUnitCost(p: { unitPrice: Decimal.Value; factor: Decimal.Value; taxRate: Decimal.Value; exchangeRate: Decimal.Value }): string {
  return new Decimal(p.unitPrice)
    .div(p.factor)
    .div(new Decimal(1).plus(p.taxRate))
    .mul(p.exchangeRate)
    .toDecimalPlaces(6, Decimal.ROUND_HALF_UP)
    .toFixed(6);
}
