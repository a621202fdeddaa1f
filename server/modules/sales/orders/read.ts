// The order detail in three SQL statements (header, lines with reservations, advance receipts and
// timeline), whatever the number of lines; the statements live in store.ts, the mapper in dto.ts.
// Creating and confirming (the hot path) reply with the same mapper over the rows their own
// statements return, so they reply without a second transaction.
import { accessByPermission, type AttachableDocument } from '../../attachments/index.ts';
import { rowsOf } from '../../../db/rows.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { SalesOrder, TimelineEntry } from '../../../../shared/schemas/sales/orders.ts';
import type { Actor } from '../../../platform/actor.ts';
import { notFound } from '../../../platform/errors.ts';
import { documentDtos, returnInclude, shipmentInclude } from '../shipments/dto.ts';
import { orderDetailOf, orderHeaderOf, timelineOf } from './dto.ts';
import { orderExtras, orderHeader, orderHeaders, orderInScope, orderLines, orderTimeline } from './store.ts';

/** The whole order as the API shows it, if the actor may see it (404 otherwise). */
export async function readOrderDetail(tx: Tx, actor: Actor, id: string): Promise<SalesOrder> {
  const [o] = await rowsOf(tx, orderHeader(id, actor));
  if (!o) throw notFound('销售订单');
  const lines = await rowsOf(tx, orderLines(id, o.state === 'confirmed'));
  const [extras] = await rowsOf(tx, orderExtras(id));
  const docs = o.has_documents
    ? await documentDtos(
        tx,
        await tx.shipment.findMany({ where: { orderId: id }, include: shipmentInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
        await tx.salesReturn.findMany({ where: { orderId: id }, include: returnInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      )
    : { shipments: [], returns: [] };
  return orderDetailOf(o, lines, extras!, docs);
}

/** The headers of these orders as the API lists them, in the order of `ids` (the caller has scoped them). */
export async function readOrderHeaders(tx: Tx, ids: string[]): Promise<SalesOrder[]> {
  if (!ids.length) return [];
  const rows = new Map((await rowsOf(tx, orderHeaders(ids))).map((o) => [o.id, o]));
  // (one deleted meanwhile drops out of the page)
  return ids.flatMap((id) => (rows.has(id) ? [orderHeaderOf(rows.get(id)!)] : []));
}

/** The order's timeline, oldest first (the caller has checked the order is visible). */
export async function readOrderTimeline(tx: Tx, orderId: string): Promise<TimelineEntry[]> {
  const [row] = await rowsOf(tx, orderTimeline(orderId));
  return timelineOf(row!.timeline);
}

/** Whether the order exists and lies in the actor's data scope (one cheap statement). */
export async function orderVisible(tx: Tx, actor: Actor, id: string): Promise<boolean> {
  const rows = await rowsOf(tx, orderInScope(id, actor));
  return rows.length > 0;
}

/** 404 unless the order exists and lies in the actor's data scope. */
export async function assertOrderVisible(tx: Tx, actor: Actor, id: string): Promise<void> {
  if (!(await orderVisible(tx, actor, id))) throw notFound('销售订单');
}

/** 订单附件 (客户回传的盖章订单扫描件 …): seen with the order, added by whoever may edit it. */
export const salesOrderAttachable: AttachableDocument = {
  label: '销售订单',
  access: (tx, actor, id) => accessByPermission(actor, { read: 'salesOrder:read', change: 'salesOrder:update' }, () => orderVisible(tx, actor, id)),
};
