// 采购订单的表头与明细: who, where, which currency at which rate, and the lines with their units,
// default prices and amounts (shared/money.ts, the one way amounts are computed).
import type { Tx } from '../../../db/transaction.ts';
import type { PurchaseOrderLineInput } from '../../../../shared/schemas/purchasing.ts';
import { documentTotals, lineAmounts, type DocumentTotals } from '../../../../shared/money.ts';
import { withinScope, type Actor } from '../../../platform/actor.ts';
import { AppError, forbidden, invalid, issuesMessage } from '../../../platform/errors.ts';
import { assertUserExists } from '../../../platform/references.ts';
import { todayInShanghai } from '../../finance/index.ts';
import { resolveLines } from '../../inventory/index.ts';
import { defaultPrices } from '../prices/defaults.ts';
import { assertUnitPrecision, dateOnlyToDb, exchangeRateOn } from './support.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';

/** 默认收货仓库: 原材料仓 */
export const DEFAULT_WAREHOUSE_CODE = 'WH01';

export interface HeaderInput {
  supplierId: string;
  buyerId?: string;
  warehouseId?: string;
  orderDate?: string;
}

export interface OrderHeader {
  supplierId: string;
  supplierName: string;
  buyerId: string;
  warehouseId: string;
  currencyCode: string;
  exchangeRate: string;
  /** YYYY-MM-DD */
  orderDate: string;
}

export async function resolveHeader(tx: Tx, actor: Actor, input: HeaderInput): Promise<OrderHeader> {
  const supplier = await tx.supplier.findUnique({ where: { id: input.supplierId }, select: { id: true, name: true, currencyCode: true, active: true } });
  if (!supplier) throw invalid('body.supplierId', '供应商不存在');
  if (!supplier.active) throw invalid('body.supplierId', `供应商「${supplier.name}」已停用`);
  const buyerId = input.buyerId ?? actor.userId;
  if (buyerId !== actor.userId) {
    const buyer = await assertUserExists(tx, buyerId, 'body.buyerId');
    if (!withinScope(actor, buyer)) throw forbidden('不能把采购订单交给数据范围以外的采购员');
  }
  let warehouseId = input.warehouseId;
  if (warehouseId) {
    const wh = await tx.warehouse.findUnique({ where: { id: warehouseId }, select: { active: true, name: true } });
    if (!wh) throw invalid('body.warehouseId', '仓库不存在');
    if (!wh.active) throw invalid('body.warehouseId', `仓库「${wh.name}」已停用`);
  } else {
    const wh =
      (await tx.warehouse.findFirst({ where: { code: DEFAULT_WAREHOUSE_CODE, active: true }, select: { id: true } })) ??
      (await tx.warehouse.findFirst({ where: { active: true }, orderBy: { code: 'asc' }, select: { id: true } }));
    if (!wh) throw invalid('body.warehouseId', '没有可用的仓库，请先建立仓库');
    warehouseId = wh.id;
  }
  const orderDate = input.orderDate ?? todayInShanghai();
  const exchangeRate = await exchangeRateOn(tx, supplier.currencyCode, orderDate, 'body.orderDate');
  return { supplierId: supplier.id, supplierName: supplier.name, buyerId, warehouseId, currencyCode: supplier.currencyCode, exchangeRate, orderDate };
}

export interface BuiltLine {
  lineNo: number;
  itemId: string;
  itemLabel: string;
  warehouseId: string;
  unitId: string;
  factor: string;
  quantity: string;
  baseQuantity: string;
  unitPrice: string;
  taxRate: string;
  amount: string;
  taxAmount: string;
  amountWithTax: string;
  listAmount: string;
  promisedDate: Date | null;
  requisitionLineId: string | null;
}

export async function buildOrderLines(tx: Tx, header: OrderHeader, lines: PurchaseOrderLineInput[], field = 'body.lines'): Promise<BuiltLine[]> {
  const resolved = await resolveLines(tx, lines, { defaultUnit: 'purchase', field });
  await assertUnitPrecision(tx, resolved.map((r, n) => ({ unitId: r.unitId, quantity: r.line.quantity, field: `${field}.${n}.quantity` })));
  const lineWarehouses = [...new Set(lines.map((l) => l.warehouseId).filter((w): w is string => !!w))];
  if (lineWarehouses.length) {
    const found = new Set((await tx.warehouse.findMany({ where: { id: { in: lineWarehouses }, active: true }, select: { id: true } })).map((w) => w.id));
    const issues: FieldIssue[] = lines.flatMap((l, n) => (l.warehouseId && !found.has(l.warehouseId) ? [{ field: `${field}.${n}.warehouseId`, message: '仓库不存在或已停用' }] : []));
    if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
  }
  const unpriced = resolved.filter((r) => r.line.unitPrice === undefined);
  const defaults = await defaultPrices(
    tx,
    { supplierId: header.supplierId, currencyCode: header.currencyCode, exchangeRate: header.exchangeRate, date: header.orderDate },
    unpriced.map((r) => ({ itemId: r.item.id, unitId: r.unitId, quantity: r.line.quantity, factor: r.factor, standardCost: r.item.standardCost, taxRate: r.line.taxRate ?? r.item.taxRate })),
  );
  const priceOf = new Map(unpriced.map((r, k) => [r, defaults[k]!.unitPrice]));
  return resolved.map((r, n) => {
    const taxRate = r.line.taxRate ?? r.item.taxRate;
    const listPrice = r.line.unitPrice ?? priceOf.get(r)!;
    const amounts = lineAmounts({ quantity: r.line.quantity, listPrice, discountRate: 0, taxRate });
    return {
      lineNo: n + 1,
      itemId: r.item.id,
      itemLabel: r.item.spec ? `${r.item.name}（${r.item.spec}）` : r.item.name,
      warehouseId: r.line.warehouseId ?? header.warehouseId,
      unitId: r.unitId,
      factor: r.factor,
      quantity: r.line.quantity,
      baseQuantity: r.baseQuantity,
      unitPrice: amounts.unitPrice,
      taxRate,
      amount: amounts.amount,
      taxAmount: amounts.taxAmount,
      amountWithTax: amounts.amountWithTax,
      listAmount: amounts.listAmount,
      promisedDate: r.line.promisedDate ? dateOnlyToDb(r.line.promisedDate) : null,
      requisitionLineId: r.line.requisitionLineId ?? null,
    };
  });
}

export function totalsOf(lines: BuiltLine[]): DocumentTotals {
  return documentTotals(lines);
}

/** The order line rows to insert. */
export function lineRows(companyId: string, orderId: string, lines: BuiltLine[]) {
  return lines.map(({ itemLabel: _label, listAmount: _list, ...l }) => ({ ...l, companyId, orderId }));
}
