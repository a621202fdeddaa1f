// 采购订单 as the API shows it: the header, the lines with what was received and returned, the
// receipts, the returns and the timeline.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import {
  DOCUMENT_STATE_LABELS, PROGRESS_LABELS, type PurchaseOrder, type PurchaseOrderSummary, type TimelineEntry,
} from '../../../../shared/schemas/purchasing.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { notFound } from '../../../platform/errors.ts';
import { receiptDtos, receiptInclude, returnDtos, returnInclude } from '../receipts/dto.ts';
import { loadRefs, type Refs } from './refs.ts';
import { dateOnlyOf } from './support.ts';

export const orderInclude = { lines: { orderBy: { lineNo: 'asc' } } } satisfies Prisma.PurchaseOrderInclude;
export type OrderRow = Prisma.PurchaseOrderGetPayload<{ include: typeof orderInclude }>;
type OrderHeaderRow = Prisma.PurchaseOrderGetPayload<object>;
type OrderLineRow = OrderRow['lines'][number];

/** 未到数量 = ordered − received + returned (returned goods are expected again), never below 0. */
export function openQuantity(l: Pick<OrderLineRow, 'baseQuantity' | 'receivedQuantity' | 'returnedQuantity'>): Decimal {
  const open = new Decimal(l.baseQuantity.toString()).minus(l.receivedQuantity.toString()).plus(l.returnedQuantity.toString());
  return open.gt(0) ? open : new Decimal(0);
}

function header(o: OrderHeaderRow, refs: Refs) {
  return {
    id: o.id,
    number: o.number,
    supplier: refs.supplier(o.supplierId),
    buyer: refs.user(o.buyerId),
    warehouse: refs.warehouse(o.warehouseId),
    currencyCode: o.currencyCode,
    exchangeRate: o.exchangeRate.toFixed(6),
    orderDate: dateOnlyOf(o.orderDate),
    state: o.state,
    stateLabel: DOCUMENT_STATE_LABELS[o.state],
    receiptProgress: o.receiptProgress,
    receiptProgressLabel: PROGRESS_LABELS[o.receiptProgress],
    totalAmount: o.totalAmount.toFixed(2),
    totalTax: o.totalTax.toFixed(2),
    totalWithTax: o.totalWithTax.toFixed(2),
    remark: o.remark,
    confirmedAt: o.confirmedAt ? isoShanghai(o.confirmedAt) : null,
    createdAt: isoShanghai(o.createdAt),
    updatedAt: isoShanghai(o.updatedAt),
    version: o.version,
  };
}

function lineDto(l: OrderLineRow, refs: Refs) {
  return {
    id: l.id,
    lineNo: l.lineNo,
    item: refs.item(l.itemId),
    warehouse: refs.warehouse(l.warehouseId),
    unit: refs.unit(l.unitId),
    factor: l.factor.toFixed(6),
    quantity: l.quantity.toFixed(4),
    baseQuantity: l.baseQuantity.toFixed(4),
    unitPrice: l.unitPrice.toFixed(6),
    taxRate: l.taxRate.toFixed(4),
    amount: l.amount.toFixed(2),
    taxAmount: l.taxAmount.toFixed(2),
    amountWithTax: l.amountWithTax.toFixed(2),
    promisedDate: l.promisedDate ? dateOnlyOf(l.promisedDate) : null,
    requisitionLineId: l.requisitionLineId,
    receivedQuantity: l.receivedQuantity.toFixed(4),
    returnedQuantity: l.returnedQuantity.toFixed(4),
    openQuantity: openQuantity(l).toFixed(4),
  };
}

export async function summaryDtos(tx: Tx, rows: (OrderHeaderRow & { _count: { lines: number } })[]): Promise<PurchaseOrderSummary[]> {
  const refs = await loadRefs(tx, { suppliers: rows.map((r) => r.supplierId), users: rows.map((r) => r.buyerId), warehouses: rows.map((r) => r.warehouseId) });
  return rows.map((r) => ({ ...header(r, refs), lineCount: r._count.lines }));
}

export async function timelineOf(tx: Tx, orderType: string, orderId: string): Promise<TimelineEntry[]> {
  const entries = await tx.timelineEntry.findMany({ where: { orderType, orderId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const refs = await loadRefs(tx, { users: entries.map((e) => e.actorId) });
  return entries.map((e) => ({
    id: e.id.toString(), kind: e.kind, message: e.message, data: e.data ?? null,
    actor: e.actorId ? refs.user(e.actorId) : null, at: isoShanghai(e.at),
  }));
}

/** The full order; `where` may carry the data scope. 404 when it is not there (or not visible). */
export async function orderDto(tx: Tx, where: Prisma.PurchaseOrderWhereInput): Promise<PurchaseOrder> {
  const o = await tx.purchaseOrder.findFirst({ where, include: orderInclude });
  if (!o) throw notFound('采购订单');
  const [receipts, returns, timeline, refs] = await Promise.all([
    tx.receipt.findMany({ where: { orderId: o.id }, include: receiptInclude, orderBy: [{ receivedAt: 'asc' }, { number: 'asc' }] }),
    tx.purchaseReturn.findMany({ where: { orderId: o.id }, include: returnInclude, orderBy: [{ returnedAt: 'asc' }, { number: 'asc' }] }),
    timelineOf(tx, 'purchaseOrder', o.id),
    loadRefs(tx, {
      suppliers: [o.supplierId], users: [o.buyerId], warehouses: [o.warehouseId, ...o.lines.map((l) => l.warehouseId)],
      items: o.lines.map((l) => l.itemId), units: o.lines.map((l) => l.unitId),
    }),
  ]);
  return {
    ...header(o, refs),
    lines: o.lines.map((l) => lineDto(l, refs)),
    receipts: await receiptDtos(tx, receipts),
    returns: await returnDtos(tx, returns),
    timeline,
  };
}
