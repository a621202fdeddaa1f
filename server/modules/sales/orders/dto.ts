// 销售订单 as the API shows it, from the rows of the store's statements: the one mapper for the
// list (headers), the detail, the replies of create and confirm, and the timeline.
import type { SalesOrder, TimelineEntry } from '../../../../shared/schemas/sales/orders.ts';
import { DOCUMENT_STATE_LABELS } from '../../../../shared/enums.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import type { ExtrasRow, HeaderRow, LineRow, TimelineRow } from './store.ts';

const gone = '（已删除）';
const iso = (v: string | Date) => isoShanghai(new Date(v));

/** The header (a list page's row; the detail without lines, documents, receipts and timeline). */
export function orderHeaderOf(o: HeaderRow): SalesOrder {
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
    agreedPaymentDate: o.agreed_payment_date,
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
  };
}

export function timelineOf(rows: TimelineRow[]): TimelineEntry[] {
  return rows.map((e) => ({
    id: e.id, kind: e.kind, message: e.message, data: e.data ?? null, at: iso(e.at),
    actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? gone } : null,
  }));
}

/** The whole order from its rows (the same shape whichever statement read them). */
export function orderDetailOf(o: HeaderRow, lines: LineRow[], extras: ExtrasRow, docs: Pick<SalesOrder, 'shipments' | 'returns'>): SalesOrder {
  return {
    ...orderHeaderOf(o),
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
      customerReceipt: { id: a.receipt_id, number: a.receipt_number },
    })),
    timeline: timelineOf(extras.timeline),
  };
}
