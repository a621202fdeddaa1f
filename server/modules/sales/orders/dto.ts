// Replies for 销售订单 lists (headers with names) and the timeline; the detail is read in read.ts.
import type { Tx } from '../../../db/transaction.ts';
import type { SalesOrder as SalesOrderRow, TimelineEntry as TimelineRow } from '../../../generated/prisma/client.ts';
import type { SalesOrder, TimelineEntry } from '../../../../shared/schemas/sales/orders.ts';
import { DOCUMENT_STATE_LABELS } from '../../../../shared/enums.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { dateOnlyOf, lookupNames, named, unknownCoded, unknownNamed, type Names } from '../support.ts';

function headerDto(o: SalesOrderRow, names: Names, quotations: Map<string, string>): SalesOrder {
  return {
    id: o.id,
    number: o.number,
    customer: named(names.customers, o.customerId, unknownCoded),
    owner: named(names.users, o.ownerId, unknownNamed),
    warehouse: named(names.warehouses, o.warehouseId, unknownCoded),
    quotation: o.quotationId ? { id: o.quotationId, number: quotations.get(o.quotationId) ?? '' } : null,
    currencyCode: o.currencyCode,
    exchangeRate: o.exchangeRate.toFixed(6),
    orderDate: dateOnlyOf(o.orderDate),
    requestedDate: o.requestedDate ? dateOnlyOf(o.requestedDate) : null,
    paymentTermDays: o.paymentTermDays,
    prepaymentRequired: o.prepaymentRequired,
    state: o.state,
    stateLabel: DOCUMENT_STATE_LABELS[o.state],
    shipmentProgress: o.shipmentProgress,
    invoiceProgress: o.invoiceProgress,
    paymentProgress: o.paymentProgress,
    listTotal: o.listTotal.toFixed(2),
    totalAmount: o.totalAmount.toFixed(2),
    totalTax: o.totalTax.toFixed(2),
    totalWithTax: o.totalWithTax.toFixed(2),
    advanceReceived: o.advanceReceived.toFixed(2),
    creditOverride: o.creditOverride,
    remark: o.remark,
    confirmedAt: o.confirmedAt ? isoShanghai(o.confirmedAt) : null,
    createdAt: isoShanghai(o.createdAt),
    updatedAt: isoShanghai(o.updatedAt),
    version: o.version,
  };
}

async function quotationNumbers(tx: Tx, orders: SalesOrderRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(orders.map((o) => o.quotationId).filter((i): i is string => !!i))];
  if (!ids.length) return new Map();
  const rows = await tx.quotation.findMany({ where: { id: { in: ids } }, select: { id: true, number: true } });
  return new Map(rows.map((q) => [q.id, q.number]));
}

/** Order headers for a list page: names looked up once for the whole page. */
export async function orderHeaderDtos(tx: Tx, orders: SalesOrderRow[]): Promise<SalesOrder[]> {
  const names = await lookupNames(tx, {
    customers: orders.map((o) => o.customerId),
    users: orders.map((o) => o.ownerId),
    warehouses: orders.map((o) => o.warehouseId),
  });
  const quotations = await quotationNumbers(tx, orders);
  return orders.map((o) => headerDto(o, names, quotations));
}

export function timelineDtos(rows: TimelineRow[], names: Names): TimelineEntry[] {
  return rows.map((e) => ({
    id: e.id.toString(),
    kind: e.kind,
    message: e.message,
    data: e.data ?? null,
    actor: e.actorId ? named(names.users, e.actorId, unknownNamed) : null,
    at: isoShanghai(e.at),
  }));
}

export async function orderTimeline(tx: Tx, orderId: string): Promise<TimelineEntry[]> {
  const rows = await tx.timelineEntry.findMany({ where: { orderType: 'salesOrder', orderId }, orderBy: { id: 'asc' } });
  return timelineDtos(rows, await lookupNames(tx, { users: rows.map((r) => r.actorId) }));
}
