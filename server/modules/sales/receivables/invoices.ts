// 销售发票: a draft against a customer (order lines at the order's price, pro rata, or free lines),
// issued with its 数电票 number. Issuing decides, under the order's lock, which part of each order line
// its goods have already shipped (nothing to post: the shipment booked it) and which is billed ahead
// of shipment (预开票, posted against 预收账款), posts the voucher, and moves the order's 开票进度.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { SalesInvoice, SalesInvoiceCreate } from '../../../../shared/schemas/sales/receivables.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { postDocument } from '../../finance/index.ts';
import { progressOf } from '../../inventory/index.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { lockOrder } from '../orders/lifecycle.ts';
import { bringForwardDeferredVat } from '../shipments/deferred-vat.ts';
import { shippedRevenue } from '../shipments/revenue.ts';
import { dateOnlyOf, dateOnlyToDb, todayInShanghai, yuan } from '../support.ts';
import { customerInScope, customerScopeSql } from './scope.ts';
import type { SalesInvoicePostingFacts } from './voucher.ts';

const fen = (d: Decimal.Value) => new Decimal(d).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

function addDays(date: string, days: number): string {
  const d = dateOnlyToDb(date);
  d.setUTCDate(d.getUTCDate() + days);
  return dateOnlyOf(d);
}

/**
 * Base quantity of each order line already on issued invoices (other than `exceptInvoiceId`). The
 * shipment's rule needs it for goods billed ahead (预开票): the part of a shipment within
 * invoiced − shipped-before was booked by the invoice (应收 and 销项), so it should only move 预收 to 收入.
 */
export async function invoicedQuantities(tx: Tx, orderLineIds: string[], exceptInvoiceId: string | null): Promise<Map<string, Decimal>> {
  if (!orderLineIds.length) return new Map();
  const rows = await tx.$queryRaw<{ id: string; qty: string }[]>`
    SELECT l.order_line_id::text AS id, sum(l.quantity)::text AS qty
      FROM sales_invoice_line l JOIN sales_invoice i ON i.id = l.invoice_id
     WHERE l.order_line_id = ANY(${orderLineIds}::uuid[]) AND i.state = 'issued'
       AND (${exceptInvoiceId}::uuid IS NULL OR i.id <> ${exceptInvoiceId}::uuid)
     GROUP BY l.order_line_id`;
  return new Map(rows.map((r) => [r.id, new Decimal(r.qty)]));
}

/**
 * Base quantity of each order line returned before it was invoiced (a return's lines less their
 * invoiced part): those goods are back with us and cannot be shipped again, so they are never
 * invoiced. Goods returned after their invoice stay counted as invoiced — their red invoice undoes them.
 */
export async function returnedUninvoiced(tx: Tx, orderLineIds: string[]): Promise<Map<string, Decimal>> {
  if (!orderLineIds.length) return new Map();
  const rows = await tx.$queryRaw<{ id: string; qty: string }[]>`
    SELECT order_line_id::text AS id, sum(base_quantity - invoiced_quantity)::text AS qty
      FROM sales_return_line WHERE order_line_id = ANY(${orderLineIds}::uuid[]) GROUP BY order_line_id`;
  return new Map(rows.map((r) => [r.id, new Decimal(r.qty)]));
}

export async function createSalesInvoice(ctx: UseCaseContext, input: SalesInvoiceCreate): Promise<SalesInvoice> {
  const id = await runUseCase(ctx, async (tx) => {
    const customer = await customerInScope(tx, ctx.actor, input.customerId);
    const orderLines = input.lines.filter((l): l is { orderLineId: string; quantity: string } => 'orderLineId' in l);
    let order: { id: string; number: string; exchangeRate: string } | null = null;
    if (input.orderId) {
      const [row] = await tx.$queryRaw<{ id: string; number: string; exchange_rate: string; customer_id: string; state: string }[]>`
        SELECT id::text, number, exchange_rate::text, customer_id::text, state::text FROM sales_order WHERE id = ${input.orderId}::uuid`;
      if (!row) throw notFound('销售订单');
      if (row.customer_id !== customer.id) throw invalid('body.orderId', '订单不属于该客户');
      if (row.state === 'draft' || row.state === 'cancelled' || row.state === 'pendingApproval') throw new AppError('CONFLICT', '订单未确认或已取消，不能开票');
      order = { id: row.id, number: row.number, exchangeRate: row.exchange_rate };
    } else if (orderLines.length) {
      throw invalid('body.orderId', '有订单行的发票必须指定订单');
    }
    const olRows = orderLines.length
      ? await tx.salesOrderLine.findMany({ where: { id: { in: orderLines.map((l) => l.orderLineId) } } })
      : [];
    const olById = new Map(olRows.map((r) => [r.id, r]));
    const already = await invoicedQuantities(tx, olRows.map((r) => r.id), null);
    const gone = await returnedUninvoiced(tx, olRows.map((r) => r.id));
    const taken = new Map<string, Decimal>();
    const lines = input.lines.map((l, i) => {
      if ('orderLineId' in l) {
        const ol = olById.get(l.orderLineId);
        if (!ol || ol.orderId !== order!.id) throw invalid(`body.lines.${i}.orderLineId`, '订单行不属于该订单');
        const before = taken.get(ol.id) ?? already.get(ol.id) ?? new Decimal(0);
        const after = before.plus(l.quantity);
        const cap = new Decimal(ol.baseQuantity.toString()).minus(gone.get(ol.id) ?? 0);
        if (after.gt(cap)) {
          const returned = gone.get(ol.id)?.gt(0) ? `（未开票已退货 ${gone.get(ol.id)!.toString()}）` : '';
          throw invalid(`body.lines.${i}.quantity`, `第 ${ol.lineNo} 行最多还可开票 ${Decimal.max(0, cap.minus(before)).toString()}${returned}`);
        }
        taken.set(ol.id, after);
        const value = shippedRevenue({
          amount: ol.amount.toString(), amountWithTax: ol.amountWithTax.toString(), baseQuantity: ol.baseQuantity.toString(),
          shippedBefore: before, shippedAfter: after, exchangeRate: order!.exchangeRate,
        });
        return {
          orderLineId: ol.id, itemId: ol.itemId, description: `订单 ${order!.number} 第 ${ol.lineNo} 行`, quantity: new Decimal(l.quantity).toFixed(4),
          taxRate: ol.taxRate.toString(), amount: value.amount, taxAmount: value.tax, amountWithTax: fen(new Decimal(value.amount).plus(value.tax)).toFixed(2),
        };
      }
      const withTax = fen(l.amountWithTax);
      const tax = fen(withTax.mul(l.taxRate).div(new Decimal(1).plus(l.taxRate)));
      return {
        orderLineId: null, itemId: null, description: l.description, quantity: null,
        taxRate: l.taxRate, amount: withTax.minus(tax).toFixed(2), taxAmount: tax.toFixed(2), amountWithTax: withTax.toFixed(2),
      };
    });
    const sum = (k: 'amount' | 'taxAmount' | 'amountWithTax') => lines.reduce((t, l) => t.plus(l[k]), new Decimal(0)).toFixed(2);
    const invoiceDate = input.invoiceDate ?? todayInShanghai();
    const companyId = ctx.actor.companyId;
    const invoice = await tx.salesInvoice.create({
      data: {
        companyId, number: await nextDocumentNumber(tx, companyId, 'SI'), customerId: customer.id, orderId: order?.id ?? null, kind: input.kind,
        invoiceDate: dateOnlyToDb(invoiceDate), dueDate: dateOnlyToDb(addDays(invoiceDate, customer.paymentTermDays)),
        amount: sum('amount'), taxAmount: sum('taxAmount'), amountWithTax: sum('amountWithTax'), remark: input.remark ?? null, createdById: ctx.actor.userId,
        lines: { create: lines.map((l, i) => ({ ...l, companyId, lineNo: i + 1 })) },
      },
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'salesInvoice', entityId: invoice.id, after: { ...invoice, lines } });
    return invoice.id;
  });
  return getSalesInvoice(ctx, id);
}

export async function issueSalesInvoice(ctx: UseCaseContext, id: string, invoiceNo: string): Promise<SalesInvoice> {
  await runUseCase(ctx, async (tx) => {
    const found = await visibleInvoice(tx, ctx, id);
    // The order first (as shipments lock it), so a shipment and this issue see each other's lines.
    const order = found.orderId ? await lockOrder(tx, found.orderId) : null;
    const [locked] = await tx.$queryRaw<{ state: string }[]>`SELECT state FROM sales_invoice WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked!.state !== 'draft') throw new AppError('CONFLICT', '发票已开具，不能重复开具');
    const dup = await tx.salesInvoice.findFirst({ where: { invoiceNo }, select: { number: true } });
    if (dup) throw invalid('body.invoiceNo', `数电票号码已用于发票 ${dup.number}`);
    const invoice = await tx.salesInvoice.findUniqueOrThrow({ where: { id }, include: { lines: { orderBy: { lineNo: 'asc' } } } });
    const olIds = invoice.lines.flatMap((l) => (l.orderLineId ? [l.orderLineId] : []));
    const olRows = olIds.length ? await tx.salesOrderLine.findMany({ where: { id: { in: olIds } } }) : [];
    const olById = new Map(olRows.map((r) => [r.id, r]));
    const already = await invoicedQuantities(tx, olIds, id);
    const gone = await returnedUninvoiced(tx, olIds);
    const ahead = { amount: new Decimal(0), tax: new Decimal(0) };
    const free = { amount: new Decimal(0), tax: new Decimal(0) };
    const aheadByLine: { id: string; billedAhead: string }[] = [];
    // 外币订单: the part billed ahead is a receivable in the order's currency as well (at the order's rate).
    const fx = invoice.orderId ? await tx.salesOrder.findUniqueOrThrow({ where: { id: invoice.orderId }, select: { currencyCode: true, exchangeRate: true } }) : null;
    const currency = fx && fx.currencyCode !== 'CNY' ? { code: fx.currencyCode, rate: fx.exchangeRate.toFixed(6) } : null;
    let aheadForeign = new Decimal(0);
    for (const l of invoice.lines) {
      if (!l.orderLineId) {
        free.amount = free.amount.plus(l.amount.toString());
        free.tax = free.tax.plus(l.taxAmount.toString());
        continue;
      }
      const ol = olById.get(l.orderLineId)!;
      const before = already.get(ol.id) ?? new Decimal(0);
      const qty = new Decimal(l.quantity!.toString());
      const returned = gone.get(ol.id) ?? new Decimal(0);
      if (before.plus(qty).gt(new Decimal(ol.baseQuantity.toString()).minus(returned))) {
        throw new AppError('CONFLICT', `第 ${l.lineNo} 行超出订单可开票数量（别的发票已开具，或货已退回）`);
      }
      already.set(ol.id, before.plus(qty));
      // Shipped, kept and not yet invoiced: what this line may bill after the fact; the rest is billed ahead.
      const room = Decimal.max(0, new Decimal(ol.shippedQuantity.toString()).minus(returned).minus(before));
      const aheadQty = Decimal.max(0, qty.minus(room));
      if (aheadQty.isZero()) continue;
      const part = (v: Prisma.Decimal) => (aheadQty.eq(qty) ? new Decimal(v.toString()) : fen(new Decimal(v.toString()).mul(aheadQty).div(qty)));
      ahead.amount = ahead.amount.plus(part(l.amount));
      ahead.tax = ahead.tax.plus(part(l.taxAmount));
      aheadByLine.push({ id: l.id, billedAhead: part(l.amount).plus(part(l.taxAmount)).toFixed(2) });
      if (currency) {
        const foreign = shippedRevenue({
          amount: ol.amount.toString(), amountWithTax: ol.amountWithTax.toString(), baseQuantity: ol.baseQuantity.toString(),
          shippedBefore: before.plus(qty).minus(aheadQty), shippedAfter: before.plus(qty), exchangeRate: '1',
        });
        aheadForeign = aheadForeign.plus(foreign.amount).plus(foreign.tax);
      }
    }
    const billedAhead = ahead.amount.plus(ahead.tax);
    // Goods shipped before this invoice: an invoice is an obligation date, so the 待转销项税额 their
    // shipments booked (sold on an agreed payment date) becomes 销项税额 now, in this voucher.
    const afterShipment = invoice.lines.filter((l) => l.orderLineId).reduce((t, l) => t.plus(l.amountWithTax.toString()), new Decimal(0)).minus(billedAhead);
    const deferredVat = invoice.orderId
      ? await bringForwardDeferredVat(tx, { orderId: invoice.orderId }, afterShipment, `销售发票 ${invoice.number}`)
      : '0.00';
    for (const l of aheadByLine) await tx.salesInvoiceLine.update({ where: { id: l.id }, data: { billedAhead: l.billedAhead } });
    const issued = await tx.salesInvoice.update({
      where: { id }, data: { state: 'issued', invoiceNo, issuedAt: new Date(), billedAhead: billedAhead.toFixed(2) },
    });
    const [company, customer] = await Promise.all([
      tx.company.findUniqueOrThrow({ where: { id: ctx.actor.companyId }, select: { taxpayerKind: true } }),
      tx.customer.findUniqueOrThrow({ where: { id: invoice.customerId }, select: { name: true } }),
    ]);
    await postDocument<SalesInvoicePostingFacts>(tx, ctx, 'salesInvoice', {
      documentId: id, documentNumber: invoice.number, date: dateOnlyOf(invoice.invoiceDate), taxpayerKind: company.taxpayerKind,
      customerId: invoice.customerId, customerName: customer.name, invoiceNo,
      ahead: { amount: ahead.amount.toFixed(2), tax: ahead.tax.toFixed(2) }, free: { amount: free.amount.toFixed(2), tax: free.tax.toFixed(2) }, deferredVat,
      currency: currency ? { ...currency, aheadForeign: aheadForeign.toFixed(2) } : null,
    });
    if (order && invoice.orderId) {
      const [sums] = await tx.$queryRaw<{ invoiced: string; total: string }[]>`
        SELECT coalesce((SELECT sum(amount_with_tax) FROM sales_invoice WHERE order_id = ${invoice.orderId}::uuid AND state = 'issued'), 0)::text AS invoiced,
               total_with_tax::text AS total
          FROM sales_order WHERE id = ${invoice.orderId}::uuid`;
      const progress = progressOf(sums!.invoiced, sums!.total);
      await tx.salesOrder.update({ where: { id: invoice.orderId }, data: { invoiceProgress: progress, version: { increment: 1 } } });
      await addTimelineStep(tx, ctx, {
        orderType: 'salesOrder', orderId: invoice.orderId, number: order.number, kind: 'invoiced',
        message: `开票 ${yuan(invoice.amountWithTax.toString())}（${invoice.kind === 'special' ? '专票' : '普票'} ${invoiceNo}），累计开票 ${yuan(sums!.invoiced)}`,
        data: { invoiceId: id, invoiceNumber: invoice.number, invoiceNo, amountWithTax: invoice.amountWithTax.toFixed(2), invoiceProgress: progress },
      });
    }
    await recordAudit(tx, ctx, { action: 'issue', entity: 'salesInvoice', entityId: id, before: { state: 'draft' }, after: { state: issued.state, invoiceNo, billedAhead: issued.billedAhead } });
  });
  return getSalesInvoice(ctx, id);
}

/** The invoice's header if the actor may see it (its customer in scope), else 404. */
async function visibleInvoice(tx: Tx, ctx: UseCaseContext, id: string): Promise<{ id: string; orderId: string | null; customerId: string }> {
  const [row] = await tx.$queryRaw<{ id: string; orderId: string | null; customerId: string }[]>`
    SELECT id::text, order_id::text AS "orderId", customer_id::text AS "customerId" FROM sales_invoice
     WHERE id = ${id}::uuid AND ${customerScopeSql(ctx.actor, 'sales_invoice.customer_id')}`;
  if (!row) throw notFound('销售发票');
  return row;
}

type InvoiceRow = Prisma.SalesInvoiceGetPayload<{ include: { lines: true } }>;

async function invoiceDtos(tx: Tx, rows: InvoiceRow[]): Promise<SalesInvoice[]> {
  const [customers, orders] = await Promise.all([
    tx.customer.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.customerId))] } }, select: { id: true, code: true, name: true } }),
    tx.salesOrder.findMany({ where: { id: { in: rows.flatMap((r) => (r.orderId ? [r.orderId] : [])) } }, select: { id: true, number: true } }),
  ]);
  const c = new Map(customers.map((x) => [x.id, x]));
  const o = new Map(orders.map((x) => [x.id, x]));
  return rows.map((r) => ({
    id: r.id, number: r.number, customer: c.get(r.customerId) ?? { id: r.customerId, code: '', name: '（已删除）' },
    order: r.orderId ? (o.get(r.orderId) ?? null) : null, kind: r.kind as 'special' | 'ordinary', state: r.state as 'draft' | 'issued',
    invoiceNo: r.invoiceNo, invoiceDate: dateOnlyOf(r.invoiceDate), dueDate: dateOnlyOf(r.dueDate),
    amount: r.amount.toFixed(2), taxAmount: r.taxAmount.toFixed(2), amountWithTax: r.amountWithTax.toFixed(2),
    matchedAmount: r.matchedAmount.toFixed(2), openAmount: r.amountWithTax.minus(r.matchedAmount).toFixed(2), billedAhead: r.billedAhead.toFixed(2),
    writtenOffAmount: r.writtenOffAmount.toFixed(2), writtenOffOn: r.writtenOffOn ? dateOnlyOf(r.writtenOffOn) : null, writeOffReason: r.writeOffReason,
    remark: r.remark, issuedAt: r.issuedAt?.toISOString() ?? null,
    lines: r.lines.sort((a, b) => a.lineNo - b.lineNo).map((l) => ({
      lineNo: l.lineNo, orderLineId: l.orderLineId, itemId: l.itemId, description: l.description, quantity: l.quantity?.toString() ?? null,
      taxRate: l.taxRate.toString(), amount: l.amount.toFixed(2), taxAmount: l.taxAmount.toFixed(2), amountWithTax: l.amountWithTax.toFixed(2),
    })),
  }));
}

export async function getSalesInvoice(ctx: UseCaseContext, id: string): Promise<SalesInvoice> {
  return runUseCase(ctx, async (tx) => {
    await visibleInvoice(tx, ctx, id);
    const row = await tx.salesInvoice.findUniqueOrThrow({ where: { id }, include: { lines: true } });
    return (await invoiceDtos(tx, [row]))[0]!;
  });
}

export async function listSalesInvoices(ctx: UseCaseContext, q: { customerId?: string; state?: 'draft' | 'issued'; openOnly?: 'true' | 'false' }): Promise<{ items: SalesInvoice[] }> {
  return runUseCase(ctx, async (tx) => {
    const ids = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM sales_invoice
       WHERE ${customerScopeSql(ctx.actor, 'sales_invoice.customer_id')}
         AND (${q.customerId ?? null}::uuid IS NULL OR customer_id = ${q.customerId ?? null}::uuid)
         AND (${q.state ?? null}::text IS NULL OR state = ${q.state ?? null})
         AND (${q.openOnly === 'true'} = false OR (state = 'issued' AND matched_amount < amount_with_tax))
       ORDER BY invoice_date, number LIMIT 500`;
    const rows = await tx.salesInvoice.findMany({ where: { id: { in: ids.map((r) => r.id) } }, include: { lines: true }, orderBy: [{ invoiceDate: 'asc' }, { number: 'asc' }] });
    return { items: await invoiceDtos(tx, rows) };
  });
}
