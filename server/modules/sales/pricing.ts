// Sales lines priced one way for quotations and orders: items and units resolved in one query,
// the unit's precision respected, default prices from the item (converted to the unit and the
// document's currency), amounts from shared/money.ts and totals from documentTotals.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Tx } from '../../db/transaction.ts';
import type { FieldIssue } from '../../../shared/errors.ts';
import { documentTotals, lineAmounts, type DocumentTotals } from '../../../shared/money.ts';
import type { SalesLineInput } from '../../../shared/schemas/sales/lines.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { resolveLines } from '../inventory/items/lines.ts';
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

/** Lines as the request gives them (quantity in any of the item's units) → rows to store, with totals. */
export async function priceSalesLines(tx: Tx, input: SalesLineInput[], opts: { exchangeRate: string; field?: string }): Promise<PricedLines> {
  const field = opts.field ?? 'body.lines';
  const resolved = await resolveLines(tx, input, { defaultUnit: 'sales', field });
  const units = await tx.$queryRaw<{ id: string; name: string; precision: number }[]>`
    SELECT id::text, name, precision FROM unit WHERE id = ANY(${[...new Set(resolved.map((r) => r.unitId))]}::uuid[])`;
  const unitById = new Map(units.map((u) => [u.id, u]));
  const issues: FieldIssue[] = [];
  const rate = new Decimal(opts.exchangeRate);
  const lines = resolved.map((r, n): PricedLine => {
    const unit = unitById.get(r.unitId);
    if (unit && decimalsOf(r.line.quantity) > unit.precision) {
      issues.push({ field: `${field}.${n}.quantity`, message: unit.precision === 0 ? `计量单位「${unit.name}」的数量必须是整数` : `计量单位「${unit.name}」最多 ${unit.precision} 位小数` });
    } else if (new Decimal(r.baseQuantity).lte(0)) {
      issues.push({ field: `${field}.${n}.quantity`, message: '换算为基本单位后数量为 0' });
    }
    // The item's sale price is per base unit in the base currency (CNY).
    const listPrice = r.line.listPrice ?? new Decimal(r.item.salePrice).mul(r.factor).div(rate).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6);
    const discountRate = r.line.discountRate ?? '0';
    const taxRate = r.line.taxRate ?? r.item.taxRate;
    const amounts = lineAmounts({ quantity: r.line.quantity, listPrice, discountRate, taxRate });
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
    throw new AppError('VALIDATION_FAILED', `明细行有误 — ${issues.slice(0, 3).map((i) => `${i.field}: ${i.message}`).join('；')}`, issues);
  }
  return { lines, totals: documentTotals(lines) };
}

/**
 * 汇率: 1 unit of the currency in CNY on the date — the latest rate dated on or before it; the
 * base currency is 1. 400 naming the field when the currency or a rate is missing.
 */
export async function exchangeRateOn(tx: Tx, currencyCode: string, date: string, field = 'body.currencyCode'): Promise<string> {
  const [currency] = await tx.$queryRaw<{ is_base: boolean; rate: string | null }[]>`
    SELECT c.is_base,
           (SELECT r.rate::text FROM exchange_rate r WHERE r.currency_id = c.id AND r.rate_date <= ${date}::date ORDER BY r.rate_date DESC LIMIT 1) AS rate
      FROM currency c WHERE c.code = ${currencyCode}`;
  if (!currency) throw invalid(field, `币别 ${currencyCode} 不存在`);
  if (currency.is_base) return '1.000000';
  if (!currency.rate) throw invalid(field, `没有 ${currencyCode} 在 ${date} 当天或之前的汇率，请先在币别中维护汇率`);
  return currency.rate;
}

/** The columns a sales line stores (quotation and order lines share them). */
export function lineColumns(l: PricedLine) {
  return {
    id: l.id, lineNo: l.lineNo, itemId: l.itemId, unitId: l.unitId, factor: l.factor, quantity: l.quantity, baseQuantity: l.baseQuantity,
    listPrice: l.listPrice, unitPrice: l.unitPrice, discountRate: l.discountRate, taxRate: l.taxRate,
    amount: l.amount, taxAmount: l.taxAmount, amountWithTax: l.amountWithTax,
  };
}
