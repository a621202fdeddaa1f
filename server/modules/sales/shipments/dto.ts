// Replies for 销售出库单 and 销售退货: lines in the unit they were entered in, with names.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { SalesReturn, Shipment } from '../../../../shared/schemas/sales/shipments.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { lookupNames, named, unknownCoded, unknownItem, unknownNamed } from '../support.ts';

export const shipmentInclude = { lines: { orderBy: { id: 'asc' } } } satisfies Prisma.ShipmentInclude;
export const returnInclude = { lines: { orderBy: { id: 'asc' } } } satisfies Prisma.SalesReturnInclude;
export type ShipmentRow = Prisma.ShipmentGetPayload<{ include: typeof shipmentInclude }>;
export type ReturnRow = Prisma.SalesReturnGetPayload<{ include: typeof returnInclude }>;

/** Shipments and returns as replies; one query per kind of name, whatever their number. */
export async function documentDtos(tx: Tx, shipments: ShipmentRow[], returns: ReturnRow[]): Promise<{ shipments: Shipment[]; returns: SalesReturn[] }> {
  const docs = [...shipments, ...returns];
  const lines = [...shipments.flatMap((s) => s.lines), ...returns.flatMap((r) => r.lines)];
  const [orderLines, orders] = await Promise.all([
    lines.length
      ? tx.salesOrderLine.findMany({ where: { id: { in: [...new Set(lines.map((l) => l.orderLineId))] } }, select: { id: true, lineNo: true, unitId: true, factor: true } })
      : [],
    docs.length ? tx.salesOrder.findMany({ where: { id: { in: [...new Set(docs.map((d) => d.orderId))] } }, select: { id: true, number: true } }) : [],
  ]);
  // 红字发票 made with the returns (one per original invoice), with the original invoice's numbers.
  const reds = returns.length ? await tx.salesRedInvoice.findMany({ where: { returnId: { in: returns.map((r) => r.id) } }, orderBy: { number: 'asc' } }) : [];
  const originals = reds.length
    ? await tx.salesInvoice.findMany({ where: { id: { in: [...new Set(reds.map((x) => x.originalInvoiceId))] } }, select: { id: true, number: true, invoiceNo: true } })
    : [];
  const originalOf = new Map(originals.map((i) => [i.id, i]));
  const orderLineById = new Map(orderLines.map((l) => [l.id, l]));
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const names = await lookupNames(tx, {
    customers: docs.map((d) => d.customerId),
    users: docs.map((d) => d.createdById),
    items: lines.map((l) => l.itemId),
    units: [...orderLines.map((l) => l.unitId), ...lines.flatMap((l) => (l.unitId ? [l.unitId] : []))],
    warehouses: lines.map((l) => l.warehouseId),
  });
  const lineDto = (l: ShipmentRow['lines'][number] | ReturnRow['lines'][number]) => {
    const ol = orderLineById.get(l.orderLineId);
    const factor = new Decimal(ol?.factor.toString() ?? 1);
    return {
      id: l.id,
      orderLineId: l.orderLineId,
      lineNo: ol?.lineNo ?? 0,
      item: named(names.items, l.itemId, unknownItem),
      warehouse: named(names.warehouses, l.warehouseId, unknownCoded),
      batchNo: l.batchNo,
      // As entered; lines written before units were kept: in the order line's unit.
      unit: l.unitId ? named(names.units, l.unitId, unknownNamed) : ol ? named(names.units, ol.unitId, unknownNamed) : unknownNamed(''),
      quantity: l.quantity ? l.quantity.toFixed(4) : new Decimal(l.baseQuantity.toString()).div(factor).toFixed(4),
      baseQuantity: l.baseQuantity.toFixed(4),
      unitCost: l.unitCost.toFixed(6),
      amount: l.amount.toFixed(2),
    };
  };
  const head = (d: ShipmentRow | ReturnRow) => ({
    id: d.id,
    number: d.number,
    order: orderById.get(d.orderId) ?? { id: d.orderId, number: '' },
    customer: named(names.customers, d.customerId, unknownCoded),
    createdBy: d.createdById ? named(names.users, d.createdById, unknownNamed) : null,
    createdAt: isoShanghai(d.createdAt),
  });
  return {
    shipments: shipments.map((s) => ({ ...head(s), shippedAt: isoShanghai(s.shippedAt), remark: s.remark, lines: byLineNo(s.lines.map(lineDto)) })),
    returns: returns.map((r) => ({
      ...head(r),
      returnedAt: isoShanghai(r.returnedAt),
      reason: r.reason,
      lines: byLineNo(r.lines.map((l) => ({ ...lineDto(l), qualityStatus: l.qualityStatus }))),
      redInvoices: reds.filter((x) => x.returnId === r.id).map((x) => ({
        id: x.id, number: x.number, redInvoiceNo: x.redInvoiceNo, originalInvoice: originalOf.get(x.originalInvoiceId)!,
        totalAmount: x.totalAmount.toFixed(2), taxAmount: x.taxAmount.toFixed(2),
      })),
    })),
  };
}

/** Document lines in the order's line order (their own ids are random). */
function byLineNo<T extends { lineNo: number; id: string }>(lines: T[]): T[] {
  return lines.sort((a, b) => a.lineNo - b.lineNo || (a.id < b.id ? -1 : 1));
}
