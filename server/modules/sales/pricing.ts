// Sales lines priced one way for quotations and orders: items, their conversions and units read by
// one raw statement (order entry's hot path), the unit's precision respected, default prices from
// the item (converted to the unit and the document's currency), amounts from shared/money.ts and
// totals from documentTotals.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Tx } from '../../db/transaction.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Currency, ExchangeRate, Item, Unit, UnitConversion } from '../../generated/prisma/client.ts';
import type { RowOf } from '../../db/rows.ts';
import type { FieldIssue } from '../../../shared/errors.ts';
import { documentTotals, lineAmounts, type DocumentTotals } from '../../../shared/money.ts';
import type { SalesLineInput } from '../../../shared/schemas/sales/lines.ts';
import { AppError, invalid, issuesMessage } from '../../platform/errors.ts';
import { factorFor, toBaseQuantity } from '../inventory/index.ts';
import { decimalsOf } from './support.ts';

export interface PricedLine {
  id: string;
  lineNo: number;
  itemId: string;
  unitId: string;
  factor: string;
  quantity: string;
  baseQuantity: string;
  listPrice: string;
  unitPrice: string;
  discountRate: string;
  taxRate: string;
  amount: string;
  taxAmount: string;
  amountWithTax: string;
  /** list price × quantity (not stored on the line; feeds the document's list total) */
  listAmount: string;
  /** YYYY-MM-DD */
  requestedDate: string | null;
}

export interface PricedLines {
  lines: PricedLine[];
  totals: DocumentTotals;
}

/** What pricing needs about the lines' items (with their unit conversions) and units, as lineFactsSql reads it. */
export interface LineFacts {
  items: (RowOf<Item, 'id' | 'code' | 'name' | 'spec' | 'baseUnitId' | 'salesUnitId' | 'salePrice' | 'taxRate' | 'active'> & {
    conversions: RowOf<UnitConversion, 'unitId' | 'factor'>[];
  })[];
  units: RowOf<Unit, 'id' | 'name' | 'precision'>[];
}

/**
 * One statement (a row of two JSON columns, `items` and `units`) reading what pricing needs: the
 * lines' items with their conversions, and every unit the lines may end up in (given, else the
 * item's sales unit, else its base unit). A use case can fold it into its own first read.
 */
export function lineFactsSql(input: SalesLineInput[]): Prisma.Sql {
  const itemIds = [...new Set(input.map((l) => l.itemId))];
  const unitIds = [...new Set(input.flatMap((l) => (l.unitId ? [l.unitId] : [])))];
  return Prisma.sql`
    SELECT
      (SELECT coalesce(json_agg(json_build_object('id', i.id, 'code', i.code, 'name', i.name, 'spec', i.spec, 'base_unit_id', i.base_unit_id, 'sales_unit_id', i.sales_unit_id,
                 'sale_price', i.sale_price::text, 'tax_rate', i.tax_rate::text, 'active', i.active,
                 'conversions', (SELECT coalesce(json_agg(json_build_object('unit_id', c.unit_id, 'factor', c.factor::text)), '[]'::json)
                                   FROM unit_conversion c WHERE c.item_id = i.id))), '[]'::json)
         FROM item i WHERE i.id = ANY(${itemIds}::uuid[])) AS items,
      (SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'precision', u.precision)), '[]'::json)
         FROM unit u
        WHERE u.id = ANY(${unitIds}::uuid[])
           OR u.id IN (SELECT coalesce(i.sales_unit_id, i.base_unit_id) FROM item i WHERE i.id = ANY(${itemIds}::uuid[]))) AS units`;
}

/** Lines as the request gives them (quantity in any of the item's units) → rows to store, with totals. */
export async function priceSalesLines(tx: Tx, input: SalesLineInput[], opts: { exchangeRate: string; field?: string }): Promise<PricedLines> {
  const [facts] = await tx.$queryRaw<LineFacts[]>(lineFactsSql(input));
  return priceLinesWith(facts!, input, opts);
}

/**
 * The pricing itself, on facts already read: unknown or inactive items and units the item does not
 * have answer 400 naming the line (as every document's lines do), then the unit's precision, the
 * default price (the item's, per base unit in CNY, converted to the unit and the currency) and amounts.
 */
export function priceLinesWith(facts: LineFacts, input: SalesLineInput[], opts: { exchangeRate: string; field?: string }): PricedLines {
  const field = opts.field ?? 'body.lines';
  const items = new Map(facts.items.map((i) => [i.id, i]));
  const unitById = new Map(facts.units.map((u) => [u.id, u]));
  // First the items and units (as every document resolves its lines), then the quantities.
  const resolved: { line: SalesLineInput; item: LineFacts['items'][number]; unitId: string; factor: string; baseQuantity: string }[] = [];
  const unresolved: FieldIssue[] = [];
  input.forEach((line, n) => {
    const item = items.get(line.itemId);
    if (!item) return void unresolved.push({ field: `${field}.${n}.itemId`, message: '物料不存在' });
    if (!item.active) return void unresolved.push({ field: `${field}.${n}.itemId`, message: `物料 ${item.code} 已停用` });
    const unitId = line.unitId ?? item.sales_unit_id ?? item.base_unit_id;
    let factor: string;
    try {
      factor = factorFor({ baseUnitId: item.base_unit_id, conversions: item.conversions.map((c) => ({ unitId: c.unit_id, factor: c.factor })) }, unitId);
    } catch {
      return void unresolved.push({ field: `${field}.${n}.unitId`, message: `物料 ${item.code} 没有该计量单位` });
    }
    resolved.push({ line, item, unitId, factor, baseQuantity: toBaseQuantity(line.quantity, factor) });
  });
  if (unresolved.length) {
    throw new AppError('VALIDATION_FAILED', issuesMessage(unresolved), unresolved);
  }
  const issues: FieldIssue[] = [];
  const rate = opts.exchangeRate;
  const lines = resolved.map((r, n): PricedLine => {
    const unit = unitById.get(r.unitId);
    if (unit && decimalsOf(r.line.quantity) > unit.precision) {
      issues.push({ field: `${field}.${n}.quantity`, message: unit.precision === 0 ? `计量单位「${unit.name}」的数量必须是整数` : `计量单位「${unit.name}」最多 ${unit.precision} 位小数` });
    } else if (new Decimal(r.baseQuantity).lte(0)) {
      issues.push({ field: `${field}.${n}.quantity`, message: '换算为基本单位后数量为 0' });
    }
    if (r.line.unitPrice !== undefined && (r.line.listPrice !== undefined || r.line.discountRate !== undefined)) {
      issues.push({ field: `${field}.${n}.unitPrice`, message: '成交单价不能与折前单价、折扣率同时填写' });
    }
    const taxRate = r.line.taxRate ?? new Decimal(r.item.tax_rate).toString();
    const { listPrice, discountRate, amounts } = priceOf(r.line, companyPrice(r.item.sale_price, r.factor, rate), taxRate);
    return {
      id: crypto.randomUUID(),
      lineNo: n + 1,
      itemId: r.item.id,
      unitId: r.unitId,
      factor: r.factor,
      quantity: r.line.quantity,
      baseQuantity: r.baseQuantity,
      listPrice,
      unitPrice: amounts.unitPrice,
      discountRate,
      taxRate,
      amount: amounts.amount,
      taxAmount: amounts.taxAmount,
      amountWithTax: amounts.amountWithTax,
      listAmount: amounts.listAmount,
      requestedDate: r.line.requestedDate ?? null,
    };
  });
  if (issues.length) {
    throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
  }
  return { lines, totals: documentTotals(lines) };
}

/** 牌价: the item's sale price (per base unit, in CNY) in the line's unit and the document's currency, 6 decimals. */
export function companyPrice(salePrice: Decimal.Value, factor: Decimal.Value, exchangeRate: Decimal.Value): string {
  return new Decimal(salePrice).mul(factor).div(exchangeRate).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6);
}

/**
 * A line's prices: the list price is always the company's; the selling price is the one proposed
 * (unitPrice, or a proposed pre-discount listPrice less the discount), else the company's less the
 * discount. The discount stored — the one approvals see — is then against the company's price
 * (4 decimals; 0 for a price above it), never against a price the client sent.
 */
export function priceOf(line: Pick<SalesLineInput, 'quantity' | 'listPrice' | 'unitPrice' | 'discountRate'>, listPrice: string, taxRate: string) {
  const proposed = line.unitPrice ?? (line.listPrice !== undefined ? new Decimal(line.listPrice).mul(new Decimal(1).minus(line.discountRate ?? 0)).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6) : undefined);
  if (proposed === undefined) {
    const discountRate = line.discountRate ?? '0';
    return { listPrice, discountRate, amounts: lineAmounts({ quantity: line.quantity, listPrice, discountRate, taxRate }) };
  }
  const list = new Decimal(listPrice);
  const off = list.gt(0) ? new Decimal(1).minus(new Decimal(proposed).div(list)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP) : new Decimal(0);
  const sold = lineAmounts({ quantity: line.quantity, listPrice: proposed, discountRate: 0, taxRate });
  const listAmount = new Decimal(line.quantity).mul(list).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  return { listPrice, discountRate: Decimal.max(off, 0).toFixed(4), amounts: { ...sold, listAmount } };
}

/** A decimal as the database or a request gives it (Prisma's Decimal prints itself). */
type Num = string | number | { toString(): string };

/**
 * A stored line as input again. Without rates (an order from a quotation) it keeps its selling
 * price: what was quoted holds. With the old and new exchange rates (a draft whose currency or date
 * changed) a line sold at the company's price less a discount keeps that discount off the company's
 * price in the new currency; any other keeps its selling price, converted at old rate ÷ new rate
 * (6 decimals). Either way the discount is judged again against the company's price.
 */
export function lineAsInput(
  l: { itemId: string; unitId: string; quantity: Num; listPrice: Num; unitPrice: Num; discountRate: Num; taxRate: Num; requestedDate?: string | null },
  rates?: { from: Num; to: Num },
): SalesLineInput {
  const d = (v: Num) => new Decimal(v.toString());
  const base = { itemId: l.itemId, unitId: l.unitId, quantity: d(l.quantity).toFixed(4), taxRate: d(l.taxRate).toFixed(4), requestedDate: l.requestedDate ?? null };
  const discounted = d(l.listPrice).mul(new Decimal(1).minus(d(l.discountRate))).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
  if (rates && discounted.eq(d(l.unitPrice))) return { ...base, discountRate: d(l.discountRate).toFixed(4) };
  const unitPrice = rates ? d(l.unitPrice).mul(d(rates.from)).div(d(rates.to)) : d(l.unitPrice);
  return { ...base, unitPrice: unitPrice.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6) };
}

/** What exchangeRateSql reads about a currency (null when there is no such currency). */
export type RateFact = RowOf<Currency, 'isBase'> & { rate: RowOf<ExchangeRate, 'rate'>['rate'] | null };

/**
 * 汇率 as a JSON value (RateFact) for a SELECT list: the currency (its code a string or SQL) and its
 * latest rate dated on or before the date.
 */
export function exchangeRateSql(currencyCode: string | Prisma.Sql, date: string): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object('is_base', c.is_base,
             'rate', (SELECT r.rate::text FROM exchange_rate r WHERE r.currency_id = c.id AND r.rate_date <= ${date}::date ORDER BY r.rate_date DESC LIMIT 1))
      FROM currency c WHERE c.code = (${currencyCode})::text)`;
}

/**
 * 汇率: 1 unit of the currency in CNY on the date — the latest rate dated on or before it; the
 * base currency is 1. 400 naming the field when the currency or a rate is missing.
 */
export function rateFrom(fact: RateFact | null, currencyCode: string, date: string, field = 'body.currencyCode'): string {
  if (!fact) throw invalid(field, `币别 ${currencyCode} 不存在`);
  if (fact.is_base) return '1.000000';
  if (!fact.rate) throw invalid(field, `没有 ${currencyCode} 在 ${date} 当天或之前的汇率，请先在币别中维护汇率`);
  return fact.rate;
}

export async function exchangeRateOn(tx: Tx, currencyCode: string, date: string, field = 'body.currencyCode'): Promise<string> {
  const [row] = await tx.$queryRaw<{ fact: RateFact | null }[]>`SELECT ${exchangeRateSql(currencyCode, date)} AS fact`;
  return rateFrom(row?.fact ?? null, currencyCode, date, field);
}

/** The columns a sales line stores (quotation and order lines share them). */
export function lineColumns(l: PricedLine) {
  return {
    id: l.id, lineNo: l.lineNo, itemId: l.itemId, unitId: l.unitId, factor: l.factor, quantity: l.quantity, baseQuantity: l.baseQuantity,
    listPrice: l.listPrice, unitPrice: l.unitPrice, discountRate: l.discountRate, taxRate: l.taxRate,
    amount: l.amount, taxAmount: l.taxAmount, amountWithTax: l.amountWithTax,
  };
}
