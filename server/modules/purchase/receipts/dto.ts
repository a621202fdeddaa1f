// 入库单与退货单 as the API shows them: lines in the order line's unit as well as the base unit.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { QUALITY_STATUS_LABELS, type PurchaseReturn, type Receipt } from '../../../../shared/schemas/purchasing.ts';
import { EXCHANGE_RATE_BASIS_LABELS } from '../../../../shared/enums.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { loadRefs, type Refs } from '../orders/refs.ts';

export const receiptInclude = { lines: { orderBy: { id: 'asc' } } } satisfies Prisma.ReceiptInclude;
export const returnInclude = { lines: { orderBy: { id: 'asc' } } } satisfies Prisma.PurchaseReturnInclude;
export type ReceiptRow = Prisma.ReceiptGetPayload<{ include: typeof receiptInclude }>;
export type ReturnRow = Prisma.PurchaseReturnGetPayload<{ include: typeof returnInclude }>;

type DocLine = ReceiptRow['lines'][number] | ReturnRow['lines'][number];
type Doc = { orderId: string; supplierId: string; createdById: string | null; lines: DocLine[] };

interface Lookup {
  refs: Refs;
  orders: Map<string, { number: string; currencyCode: string }>;
  orderLines: Map<string, { unitId: string; factor: string }>;
}

async function lookup(tx: Tx, docs: Doc[]): Promise<Lookup> {
  const lines = docs.flatMap((d) => d.lines);
  const [orders, orderLines] = await Promise.all([
    tx.purchaseOrder.findMany({ where: { id: { in: [...new Set(docs.map((d) => d.orderId))] } }, select: { id: true, number: true, currencyCode: true } }),
    tx.purchaseOrderLine.findMany({ where: { id: { in: [...new Set(lines.map((l) => l.orderLineId))] } }, select: { id: true, unitId: true, factor: true } }),
  ]);
  const refs = await loadRefs(tx, {
    suppliers: docs.map((d) => d.supplierId),
    users: docs.map((d) => d.createdById),
    items: lines.map((l) => l.itemId),
    warehouses: lines.map((l) => l.warehouseId),
    units: orderLines.map((l) => l.unitId),
  });
  return {
    refs,
    orders: new Map(orders.map((o) => [o.id, { number: o.number, currencyCode: o.currencyCode }])),
    orderLines: new Map(orderLines.map((l) => [l.id, { unitId: l.unitId, factor: l.factor.toString() }])),
  };
}

function lineDto(l: DocLine, k: Lookup) {
  const ol = k.orderLines.get(l.orderLineId);
  const base = new Decimal(l.baseQuantity.toString());
  return {
    id: l.id,
    orderLineId: l.orderLineId,
    item: k.refs.item(l.itemId),
    warehouse: k.refs.warehouse(l.warehouseId),
    unit: ol ? k.refs.unit(ol.unitId) : { id: '', code: '?', name: '?' },
    quantity: base.div(ol?.factor ?? 1).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
    baseQuantity: base.toFixed(4),
    batchNo: l.batchNo,
    qualityStatus: l.qualityStatus,
    qualityStatusLabel: QUALITY_STATUS_LABELS[l.qualityStatus],
    unitCost: l.unitCost.toFixed(6),
    amount: l.amount.toFixed(2),
  };
}

function common(d: Doc & { id: string; number: string; createdAt: Date }, k: Lookup) {
  const lines = d.lines.map((l) => lineDto(l, k));
  return {
    id: d.id,
    number: d.number,
    order: { id: d.orderId, number: k.orders.get(d.orderId)?.number ?? '?' },
    supplier: k.refs.supplier(d.supplierId),
    createdBy: d.createdById ? k.refs.user(d.createdById) : null,
    createdAt: isoShanghai(d.createdAt),
    totalAmount: lines.reduce((a, l) => a.plus(l.amount), new Decimal(0)).toFixed(2),
    lines,
  };
}

export async function receiptDtos(tx: Tx, rows: ReceiptRow[]): Promise<Receipt[]> {
  if (!rows.length) return [];
  const k = await lookup(tx, rows);
  return rows.map((r) => ({
    ...common(r, k), receivedAt: isoShanghai(r.receivedAt), currencyCode: k.orders.get(r.orderId)?.currencyCode ?? '?',
    exchangeRate: r.exchangeRate.toFixed(6), rateBasis: r.rateBasis, rateBasisLabel: EXCHANGE_RATE_BASIS_LABELS[r.rateBasis], remark: r.remark,
  }));
}

export async function returnDtos(tx: Tx, rows: ReturnRow[]): Promise<PurchaseReturn[]> {
  if (!rows.length) return [];
  const k = await lookup(tx, rows);
  // 红字发票 made with the returns (one per original invoice), with the original invoice's numbers.
  const reds = await tx.purchaseRedInvoice.findMany({ where: { returnId: { in: rows.map((r) => r.id) } }, orderBy: { number: 'asc' } });
  const originals = reds.length
    ? await tx.purchaseInvoice.findMany({ where: { id: { in: [...new Set(reds.map((x) => x.originalInvoiceId))] } }, select: { id: true, number: true, invoiceNo: true } })
    : [];
  const originalOf = new Map(originals.map((i) => [i.id, i]));
  return rows.map((r) => {
    const { lines, ...head } = common(r, k);
    return {
      ...head, returnedAt: isoShanghai(r.returnedAt), reason: r.reason, priceVariance: r.priceVariance.toFixed(2),
      redInvoices: reds.filter((x) => x.returnId === r.id).map((x) => ({
        id: x.id, number: x.number, redInvoiceNo: x.redInvoiceNo, originalInvoice: originalOf.get(x.originalInvoiceId)!,
        totalAmount: x.totalAmount.toFixed(2), inputVat: x.inputVat.toFixed(2),
      })),
      lines: lines.map((l, n) => {
        const row = r.lines[n]!;
        return {
          ...l, priceVariance: row.priceVariance.toFixed(2), invoicedQuantity: row.invoicedQuantity.toFixed(4),
          invoicedTotal: row.invoicedTotal.toFixed(2), inputVat: row.invoicedTotal.minus(row.invoicedCost).toFixed(2),
        };
      }),
    };
  });
}
