// The order detail in three SQL statements (header, lines with reservations, advance receipts and
// timeline), whatever the number of lines. Every write of an order replies with it: creating and
// confirming (the hot path) reuse these column lists inside their own statements and the mapper
// below, so they reply without a second transaction.
import { accessByPermission, type AttachableDocument } from '../../attachments/index.ts';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { DocumentState, Progress } from '../../../generated/prisma/enums.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import { DOCUMENT_STATE_LABELS } from '../../../../shared/enums.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import type { Actor } from '../../../platform/actor.ts';
import { notFound } from '../../../platform/errors.ts';
import { documentDtos, returnInclude, shipmentInclude } from '../shipments/dto.ts';
import { ownerScopeSql } from '../support.ts';

export interface HeaderRow {
  id: string; number: string; customer_id: string; customer_code: string | null; customer_name: string | null;
  owner_id: string; owner_name: string | null; warehouse_id: string; warehouse_code: string | null; warehouse_name: string | null;
  quotation_id: string | null; quotation_number: string | null; currency_code: string; exchange_rate: string; order_date: string;
  requested_date: string | null; payment_term_days: number; prepayment_required: boolean; state: DocumentState;
  shipment_progress: Progress; invoice_progress: Progress; payment_progress: Progress; list_total: string; total_amount: string;
  total_tax: string; total_with_tax: string; advance_received: string; credit_override: boolean; remark: string | null;
  confirmed_at: Date | null; created_at: Date; updated_at: Date; version: number; has_documents: boolean;
}

export interface LineRow {
  id: string; line_no: number; item_id: string; item_code: string | null; item_name: string | null; item_spec: string | null;
  unit_id: string; unit_name: string | null; warehouse_id: string; warehouse_code: string | null; warehouse_name: string | null;
  factor: string; quantity: string; base_quantity: string; list_price: string; unit_price: string; discount_rate: string; tax_rate: string;
  amount: string; tax_amount: string; amount_with_tax: string; requested_date: string | null; shipped_quantity: string;
  returned_quantity: string; reserved: string; short: string;
}

export interface ExtrasRow {
  advances: { id: string; amount: string; method: string | null; remark: string | null; received_at: string | Date; by_id: string | null; by_name: string | null }[];
  timeline: { id: string; kind: string; message: string; data: unknown; at: string | Date; actor_id: string | null; actor_name: string | null }[];
}

const gone = '（已删除）';
const iso = (v: string | Date) => isoShanghai(new Date(v));

/** The order's own columns as the API shows them (decimals as text in their scale), over order rows named `o`. */
export const ORDER_COLUMNS = Prisma.sql`
  o.id::text, o.number, o.customer_id::text, o.owner_id::text, o.warehouse_id::text, o.quotation_id::text,
  o.currency_code, o.exchange_rate::text, to_char(o.order_date, 'YYYY-MM-DD') AS order_date,
  to_char(o.requested_date, 'YYYY-MM-DD') AS requested_date, o.payment_term_days, o.prepayment_required, o.state::text AS state,
  o.shipment_progress::text AS shipment_progress, o.invoice_progress::text AS invoice_progress, o.payment_progress::text AS payment_progress,
  o.list_total::text, o.total_amount::text, o.total_tax::text, o.total_with_tax::text, o.advance_received::text, o.credit_override,
  o.remark, o.confirmed_at, o.created_at, o.updated_at, o.version`;

/** A line's own columns as the API shows them, over line rows named `l`. */
export const LINE_COLUMNS = Prisma.sql`
  l.id::text, l.line_no, l.item_id::text, l.unit_id::text, l.warehouse_id::text,
  l.factor::text, l.quantity::text, l.base_quantity::text, l.list_price::text, l.unit_price::text, l.discount_rate::text,
  l.tax_rate::text, l.amount::text, l.tax_amount::text, l.amount_with_tax::text, to_char(l.requested_date, 'YYYY-MM-DD') AS requested_date,
  l.shipped_quantity::text, l.returned_quantity::text`;

/**
 * The header as the API shows it (own columns and the names they point to), over order rows named
 * `o` from `source`: the table, or a CTE's RETURNING * of the statement that has just changed the order.
 */
export function orderHeaderSql(source: Prisma.Sql, extraColumns: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    SELECT ${ORDER_COLUMNS}, c.code AS customer_code, c.name AS customer_name, u.name AS owner_name,
           w.code AS warehouse_code, w.name AS warehouse_name, q.number AS quotation_number,
           (EXISTS (SELECT 1 FROM shipment s WHERE s.order_id = o.id) OR EXISTS (SELECT 1 FROM sales_return r WHERE r.order_id = o.id)) AS has_documents
           ${extraColumns}
      FROM ${source} o
      LEFT JOIN customer c ON c.id = o.customer_id
      LEFT JOIN app_user u ON u.id = o.owner_id
      LEFT JOIN warehouse w ON w.id = o.warehouse_id
      LEFT JOIN quotation q ON q.id = o.quotation_id`;
}

/** The order's lines as the API shows them (with names, reserved and short), over line rows named `l` from `source`. */
export function orderLinesSql(source: Prisma.Sql, orderId: string, open: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT ${LINE_COLUMNS}, i.code AS item_code, i.name AS item_name, i.spec AS item_spec, un.name AS unit_name,
           w.code AS warehouse_code, w.name AS warehouse_name,
           coalesce(r.reserved, 0)::numeric(18, 4)::text AS reserved,
           (CASE WHEN ${open} THEN GREATEST(0, l.base_quantity - l.shipped_quantity - coalesce(r.reserved, 0)) ELSE 0 END)::numeric(18, 4)::text AS short
      FROM ${source} l
      LEFT JOIN item i ON i.id = l.item_id
      LEFT JOIN unit un ON un.id = l.unit_id
      LEFT JOIN warehouse w ON w.id = l.warehouse_id
      LEFT JOIN (SELECT demand_id, sum(quantity) AS reserved FROM reservation
                  WHERE demand_type = 'salesOrderLine' AND demand_id IN (SELECT id FROM sales_order_line WHERE order_id = ${orderId}::uuid)
                  GROUP BY demand_id) r ON r.demand_id = l.id
     WHERE l.order_id = ${orderId}::uuid
     ORDER BY l.line_no`;
}

/** The order's advance receipts and timeline (oldest first), as one row of two JSON arrays. */
export function orderExtrasSql(orderId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT
      (SELECT coalesce(json_agg(json_build_object('id', a.id, 'amount', a.amount::text, 'method', a.method, 'remark', a.remark,
                 'received_at', a.received_at, 'by_id', a.created_by_id, 'by_name', u.name) ORDER BY a.received_at, a.id), '[]'::json)
         FROM advance_receipt a LEFT JOIN app_user u ON u.id = a.created_by_id WHERE a.order_id = ${orderId}::uuid) AS advances,
      (SELECT coalesce(json_agg(json_build_object('id', e.id::text, 'kind', e.kind, 'message', e.message, 'data', e.data, 'at', e.at,
                 'actor_id', e.actor_id, 'actor_name', u.name) ORDER BY e.id), '[]'::json)
         FROM timeline_entry e LEFT JOIN app_user u ON u.id = e.actor_id
        WHERE e.order_type = 'salesOrder' AND e.order_id = ${orderId}::uuid) AS timeline`;
}

/** The whole order as the API shows it, if the actor may see it (404 otherwise). */
export async function readOrderDetail(tx: Tx, actor: Actor, id: string): Promise<SalesOrder> {
  const [o] = await tx.$queryRaw<HeaderRow[]>`${orderHeaderSql(Prisma.sql`sales_order`)} WHERE o.id = ${id}::uuid AND ${ownerScopeSql(actor, 'o.owner_id')}`;
  if (!o) throw notFound('销售订单');
  const lines = await tx.$queryRaw<LineRow[]>(orderLinesSql(Prisma.sql`sales_order_line`, id, o.state === 'confirmed'));
  const [extras] = await tx.$queryRaw<ExtrasRow[]>(orderExtrasSql(id));
  const docs = o.has_documents
    ? await documentDtos(
        tx,
        await tx.shipment.findMany({ where: { orderId: id }, include: shipmentInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
        await tx.salesReturn.findMany({ where: { orderId: id }, include: returnInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
      )
    : { shipments: [], returns: [] };
  return orderDetailOf(o, lines, extras!, docs);
}

/** The reply of an order's detail from its rows (the same shape whichever statement read them). */
export function orderDetailOf(o: HeaderRow, lines: LineRow[], extras: ExtrasRow, docs: Pick<SalesOrder, 'shipments' | 'returns'>): SalesOrder {
  return {
    id: o.id,
    number: o.number,
    customer: { id: o.customer_id, code: o.customer_code ?? '', name: o.customer_name ?? gone },
    owner: { id: o.owner_id, name: o.owner_name ?? gone },
    warehouse: { id: o.warehouse_id, code: o.warehouse_code ?? '', name: o.warehouse_name ?? gone },
    quotation: o.quotation_id ? { id: o.quotation_id, number: o.quotation_number ?? '' } : null,
    currencyCode: o.currency_code,
    exchangeRate: o.exchange_rate,
    orderDate: o.order_date,
    requestedDate: o.requested_date,
    paymentTermDays: o.payment_term_days,
    prepaymentRequired: o.prepayment_required,
    state: o.state,
    stateLabel: DOCUMENT_STATE_LABELS[o.state],
    shipmentProgress: o.shipment_progress,
    invoiceProgress: o.invoice_progress,
    paymentProgress: o.payment_progress,
    listTotal: o.list_total,
    totalAmount: o.total_amount,
    totalTax: o.total_tax,
    totalWithTax: o.total_with_tax,
    advanceReceived: o.advance_received,
    creditOverride: o.credit_override,
    remark: o.remark,
    confirmedAt: o.confirmed_at ? isoShanghai(o.confirmed_at) : null,
    createdAt: isoShanghai(o.created_at),
    updatedAt: isoShanghai(o.updated_at),
    version: o.version,
    lines: lines.map((l) => ({
      id: l.id,
      lineNo: l.line_no,
      item: { id: l.item_id, code: l.item_code ?? '', name: l.item_name ?? gone, spec: l.item_spec },
      unit: { id: l.unit_id, name: l.unit_name ?? gone },
      warehouse: { id: l.warehouse_id, code: l.warehouse_code ?? '', name: l.warehouse_name ?? gone },
      factor: l.factor,
      quantity: l.quantity,
      baseQuantity: l.base_quantity,
      listPrice: l.list_price,
      unitPrice: l.unit_price,
      discountRate: l.discount_rate,
      taxRate: l.tax_rate,
      amount: l.amount,
      taxAmount: l.tax_amount,
      amountWithTax: l.amount_with_tax,
      requestedDate: l.requested_date,
      shippedQuantity: l.shipped_quantity,
      returnedQuantity: l.returned_quantity,
      reservedQuantity: l.reserved,
      shortQuantity: l.short,
    })),
    shipments: docs.shipments,
    returns: docs.returns,
    advanceReceipts: extras.advances.map((a) => ({
      id: a.id, amount: a.amount, method: a.method, remark: a.remark, receivedAt: iso(a.received_at),
      createdBy: a.by_id ? { id: a.by_id, name: a.by_name ?? gone } : null,
    })),
    timeline: extras.timeline.map((e) => ({
      id: e.id, kind: e.kind, message: e.message, data: e.data ?? null, at: iso(e.at),
      actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? gone } : null,
    })),
  };
}

/** Whether the order exists and lies in the actor's data scope (one cheap statement). */
export async function orderVisible(tx: Tx, actor: Actor, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok FROM sales_order o WHERE o.id = ${id}::uuid AND ${ownerScopeSql(actor, 'o.owner_id')}`;
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
