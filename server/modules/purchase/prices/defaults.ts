// 默认采购价: the price list first, then the item's standard cost, then 0 — one query for all lines.
import type { Tx } from '../../../db/transaction.ts';
import { dateOnlyOf, dateOnlyToDb } from '../orders/support.ts';
import { pickSupplierPrice, standardCostPrice, type PriceEntry } from './pick.ts';

export interface PriceLine {
  itemId: string;
  unitId: string;
  quantity: string;
  factor: string;
  standardCost: string;
  taxRate: string;
}

export interface DefaultPrice {
  unitPrice: string;
  source: 'priceList' | 'standardCost' | 'none';
  supplierPriceId: string | null;
}

export interface PriceContext {
  supplierId: string;
  currencyCode: string;
  exchangeRate: string;
  /** YYYY-MM-DD */
  date: string;
}

export async function defaultPrices(tx: Tx, c: PriceContext, lines: PriceLine[]): Promise<DefaultPrice[]> {
  if (!lines.length) return [];
  const day = dateOnlyToDb(c.date);
  const rows = await tx.supplierPrice.findMany({
    where: {
      supplierId: c.supplierId,
      itemId: { in: [...new Set(lines.map((l) => l.itemId))] },
      currencyCode: c.currencyCode,
      validFrom: { lte: day },
      OR: [{ validTo: null }, { validTo: { gte: day } }],
    },
  });
  const entries: PriceEntry[] = rows.map((r) => ({
    id: r.id, supplierId: r.supplierId, itemId: r.itemId, unitId: r.unitId, price: r.price.toFixed(6), currencyCode: r.currencyCode,
    minQuantity: r.minQuantity.toFixed(4), validFrom: dateOnlyOf(r.validFrom), validTo: r.validTo ? dateOnlyOf(r.validTo) : null,
  }));
  return lines.map((l) => {
    const hit = pickSupplierPrice(entries, { supplierId: c.supplierId, itemId: l.itemId, unitId: l.unitId, quantity: l.quantity, date: c.date, currencyCode: c.currencyCode });
    if (hit) return { unitPrice: hit.price, source: 'priceList', supplierPriceId: hit.id };
    const fromCost = standardCostPrice({ standardCost: l.standardCost, factor: l.factor, taxRate: l.taxRate, exchangeRate: c.exchangeRate });
    return Number(fromCost) > 0 ? { unitPrice: fromCost, source: 'standardCost', supplierPriceId: null } : { unitPrice: '0.000000', source: 'none', supplierPriceId: null };
  });
}
