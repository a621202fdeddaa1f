// 在订量: what confirmed purchase orders still bring in, per warehouse, with the orders it comes from.
// The same rule as the ledger's shortage check: ordered − received + returned on confirmed orders.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { ItemOnOrder } from '../../../../shared/schemas/purchasing.ts';
import { notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { openQuantity } from './dto.ts';
import { loadRefs } from './refs.ts';
import { dateOnlyOf } from './support.ts';

export async function itemOnOrder(ctx: UseCaseContext, itemId: string): Promise<ItemOnOrder> {
  return runUseCase(ctx, async (tx) => {
    const item = await tx.item.findUnique({ where: { id: itemId }, select: { id: true, code: true, name: true, spec: true, baseUnitId: true } });
    if (!item) throw notFound('物料');
    // Not limited by the data scope: on-order stock is a fact about the item, like its balance.
    const lines = await tx.purchaseOrderLine.findMany({
      where: { itemId, order: { state: 'confirmed' } },
      include: { order: { select: { id: true, number: true, supplierId: true } } },
      orderBy: [{ promisedDate: { sort: 'asc', nulls: 'last' } }, { order: { number: 'asc' } }, { lineNo: 'asc' }],
    });
    const open = lines.filter((l) => openQuantity(l).gt(0));
    const refs = await loadRefs(tx, { units: [item.baseUnitId], warehouses: open.map((l) => l.warehouseId), suppliers: open.map((l) => l.order.supplierId) });
    const byWarehouse = new Map<string, typeof open>();
    for (const l of open) byWarehouse.set(l.warehouseId, [...(byWarehouse.get(l.warehouseId) ?? []), l]);
    const warehouses = [...byWarehouse.entries()].map(([warehouseId, ls]) => ({
      warehouse: refs.warehouse(warehouseId),
      quantity: ls.reduce((a, l) => a.plus(openQuantity(l)), new Decimal(0)).toFixed(4),
      orders: ls.map((l) => ({
        orderId: l.order.id, number: l.order.number, supplier: refs.supplier(l.order.supplierId), orderLineId: l.id,
        promisedDate: l.promisedDate ? dateOnlyOf(l.promisedDate) : null,
        orderedQuantity: l.baseQuantity.toFixed(4), receivedQuantity: l.receivedQuantity.toFixed(4), returnedQuantity: l.returnedQuantity.toFixed(4),
        openQuantity: openQuantity(l).toFixed(4),
      })),
    }));
    warehouses.sort((a, b) => a.warehouse.code.localeCompare(b.warehouse.code));
    return {
      item: { id: item.id, code: item.code, name: item.name, spec: item.spec },
      baseUnit: refs.unit(item.baseUnitId),
      total: warehouses.reduce((a, w) => a.plus(w.quantity), new Decimal(0)).toFixed(4),
      warehouses,
    };
  });
}

export interface OpenPurchaseSupply {
  itemId: string;
  orderNumber: string;
  orderLineId: string;
  /** YYYY-MM-DD; null when the line has no promised date */
  promisedDate: string | null;
  /** ordered − received + returned, base unit */
  quantity: string;
}

/**
 * What confirmed purchase orders still bring in of these items, line by line with the promised
 * date (earliest first, undated last), in the caller's transaction: the supply 齐套分析 counts.
 */
export async function openPurchaseSupply(tx: Tx, itemIds: readonly string[]): Promise<OpenPurchaseSupply[]> {
  if (!itemIds.length) return [];
  const lines = await tx.purchaseOrderLine.findMany({
    where: { itemId: { in: [...new Set(itemIds)] }, order: { state: 'confirmed' } },
    select: { id: true, itemId: true, promisedDate: true, baseQuantity: true, receivedQuantity: true, returnedQuantity: true, order: { select: { number: true } } },
    orderBy: [{ promisedDate: { sort: 'asc', nulls: 'last' } }, { order: { number: 'asc' } }, { lineNo: 'asc' }],
  });
  return lines
    .map((l) => ({ l, open: openQuantity(l) }))
    .filter(({ open }) => open.gt(0))
    .map(({ l, open }) => ({
      itemId: l.itemId, orderNumber: l.order.number, orderLineId: l.id,
      promisedDate: l.promisedDate ? dateOnlyOf(l.promisedDate) : null, quantity: open.toFixed(4),
    }));
}
