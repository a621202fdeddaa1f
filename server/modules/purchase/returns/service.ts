// 采购退货: received goods go back to the supplier — the part not yet invoiced at its 暂估 (its share
// of what the order line's receipts booked, each at its receipt's exchange rate, less what invoices
// and earlier returns took), the part already invoiced at its invoiced cost and 价税合计 (split.ts) —
// but never take more value out of stock than it holds. A line can return at most
// what it received less what it already returned (conditional update, and a CHECK constraint
// behind it). Returned goods are expected again: the order line's open quantity (在订量) is
// ordered − received + returned, as the ledger's shortage check counts it; close the order if the
// supplier will not redeliver.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { PurchaseReturn, PurchaseReturnCreate, PurchaseReturnListQuery } from '../../../../shared/schemas/purchasing.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordChange } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { postDocument, todayInShanghai } from '../../finance/index.ts';
import { issueStock } from '../../inventory/index.ts';
import { lockOrder, stateConflict } from '../orders/lock.ts';
import { scopedUserIds } from '../orders/refs.ts';
import { lineConflict, momentRange, plain } from '../orders/support.ts';
import { returnDtos, returnInclude } from '../receipts/dto.ts';
import { inLineUnit, refreshReceiptProgress, resolveStockLines } from '../receipts/lines.ts';
import { lockSupplier } from '../invoices/service.ts';
import { issueRedInvoices } from '../payables/red-invoices.ts';
import { splitReturn } from './split.ts';
import type { PurchaseReturnPostingFacts } from './voucher.ts';

export async function returnToSupplier(ctx: UseCaseContext, orderId: string, input: PurchaseReturnCreate): Promise<PurchaseReturn> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const order = await lockOrder(tx, ctx.actor, orderId);
    if (order.state !== 'confirmed' && order.state !== 'closed') throw stateConflict(order, '退货');
    // The supplier's row lock orders this return with the supplier's purchase invoices (they take it
    // first too), so the invoiced quantities read below cannot move until this return commits.
    await lockSupplier(tx, order.supplierId);
    const lines = await resolveStockLines(tx, orderId, input.lines);
    // Each line splits into what was still 暂估 and what was already invoiced (split.ts), each valued
    // by what is left of it on the order line. The conditional update locks the order line, so no
    // receipt or return of it runs in between.
    const values: { amount: string; unitCost: string; provisional: string; invoicedQuantity: string; invoicedCost: string; invoicedTotal: string }[] = [];
    // earlier lines of this return on the same order line (not yet written)
    const takenNow = new Map<string, { amount: Decimal; invoicedQuantity: Decimal; invoicedCost: Decimal; invoicedTotal: Decimal }>();
    for (const l of lines) {
      const [moved] = await tx.$queryRaw<{ received: string; returned: string }[]>`
        UPDATE purchase_order_line SET returned_quantity = returned_quantity + ${l.baseQuantity}::numeric
         WHERE id = ${l.orderLine.id}::uuid AND returned_quantity + ${l.baseQuantity}::numeric <= received_quantity
        RETURNING received_quantity::text AS received, returned_quantity::text AS returned`;
      if (moved) {
        const b = await orderLineTotals(tx, l.orderLine.id);
        const zero = new Decimal(0);
        const pending = takenNow.get(l.orderLine.id) ?? { amount: zero, invoicedQuantity: zero, invoicedCost: zero, invoicedTotal: zero };
        const returnedBefore = new Decimal(moved.returned).minus(l.baseQuantity); // includes this return's earlier lines
        const returnedInvoicedQty = pending.invoicedQuantity.plus(b.returnedInvoicedQty);
        const returnedInvoicedCost = pending.invoicedCost.plus(b.returnedInvoicedCost);
        const returnedInvoicedTotal = pending.invoicedTotal.plus(b.returnedInvoicedTotal);
        const returnedProvisional = pending.amount.plus(b.returnedAmount).minus(returnedInvoicedCost);
        const split = splitReturn({
          provisionalQuantity: new Decimal(moved.received).minus(b.invoicedQty).minus(returnedBefore.minus(returnedInvoicedQty)),
          provisionalValue: new Decimal(b.booked).minus(b.reversed).minus(returnedProvisional),
          invoicedQuantity: new Decimal(b.invoicedQty).minus(returnedInvoicedQty),
          invoicedCost: new Decimal(b.invoicedCost).minus(returnedInvoicedCost),
          invoicedTotal: new Decimal(b.invoicedTotal).minus(returnedInvoicedTotal),
        }, l.baseQuantity);
        const amount = split.provisional.plus(split.invoicedCost);
        takenNow.set(l.orderLine.id, {
          amount: pending.amount.plus(amount), invoicedQuantity: pending.invoicedQuantity.plus(split.invoicedQuantity),
          invoicedCost: pending.invoicedCost.plus(split.invoicedCost), invoicedTotal: pending.invoicedTotal.plus(split.invoicedTotal),
        });
        values.push({
          amount: amount.toFixed(2), unitCost: amount.div(l.baseQuantity).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6), provisional: split.provisional.toFixed(2),
          invoicedQuantity: split.invoicedQuantity.toFixed(4), invoicedCost: split.invoicedCost.toFixed(2), invoicedTotal: split.invoicedTotal.toFixed(2),
        });
        continue;
      }
      const cur = await tx.purchaseOrderLine.findUniqueOrThrow({ where: { id: l.orderLine.id } });
      const factor = cur.factor.toString();
      const left = Decimal.max(0, new Decimal(cur.receivedQuantity.toString()).minus(cur.returnedQuantity.toString()));
      const u = l.unitName;
      throw lineConflict(
        `${l.field}.quantity`,
        `第 ${cur.lineNo} 行 ${l.itemLabel} 退货超过已收数量：已收 ${inLineUnit(cur.receivedQuantity.toString(), factor)} ${u}，` +
          `已退 ${inLineUnit(cur.returnedQuantity.toString(), factor)} ${u}，本次 ${plain(l.quantity)} ${u}，最多还可退 ${inLineUnit(left, factor)} ${u}`,
      );
    }
    const number = await nextDocumentNumber(tx, companyId, 'RT');
    const returnedAt = input.returnedAt ? new Date(input.returnedAt) : new Date();
    // The stock goes out first: what it takes decides the return's price variance, written with it.
    const docId = crypto.randomUUID();
    const rows = lines.map((l, k) => ({
      id: crypto.randomUUID(), companyId, returnId: docId, orderLineId: l.orderLine.id, itemId: l.orderLine.itemId, warehouseId: l.orderLine.warehouseId,
      batchNo: l.batchNo, qualityStatus: l.qualityStatus, baseQuantity: l.baseQuantity, ...values[k]!, priceVariance: '0.00',
    }));
    const stored = ({ returnId: _r, provisional: _p, ...r }: (typeof rows)[number]) => r;
    const outbound = [...rows].sort((a, b) => a.itemId.localeCompare(b.itemId) || a.warehouseId.localeCompare(b.warehouseId));
    // Out at the 暂估 / invoiced cost while the stock holds that much value; otherwise at the moving
    // average, and the difference is the return's 价格差异 (for finance to post to 主营业务成本).
    const issued = await issueStock(
      tx,
      { companyId, userId: ctx.actor.userId, kind: 'purchaseReturn', source: { type: 'purchaseReturn', id: docId, documentNo: number }, occurredAt: returnedAt, remark: input.reason.slice(0, 200) },
      outbound.map((r) => ({ itemId: r.itemId, warehouseId: r.warehouseId, batchNo: r.batchNo, qualityStatus: r.qualityStatus, quantity: r.baseQuantity, amount: r.amount, sourceLineId: r.id })),
    );
    outbound.forEach((r, k) => { r.priceVariance = issued[k]!.variance.toFixed(2); });
    const priceVariance = rows.reduce((a, r) => a.plus(r.priceVariance), new Decimal(0));
    await tx.purchaseReturn.create({
      data: {
        id: docId, companyId, number, orderId, supplierId: order.supplierId, returnedAt, reason: input.reason,
        priceVariance: priceVariance.toFixed(2), createdById: ctx.actor.userId, lines: { createMany: { data: rows.map(stored) } },
      },
    });
    // The invoiced part becomes red invoices against the invoices it came on (settled against them as
    // far as they are open); the return's voucher carries their 应付货款 lines.
    const redInvoices = await issueRedInvoices(tx, ctx, { id: docId, number, date: todayInShanghai(returnedAt), supplierId: order.supplierId }, rows);
    await postDocument(tx, ctx, 'purchaseReturn', { ...(await returnFacts(tx, { id: docId, number, returnedAt, supplierId: order.supplierId }, rows)), redInvoices });
    const progress = await refreshReceiptProgress(tx, orderId);
    const [dto] = await returnDtos(tx, [await tx.purchaseReturn.findUniqueOrThrow({ where: { id: docId }, include: returnInclude })]);
    await recordChange(tx, ctx, {
      action: 'create', entity: 'purchaseReturn', entityId: docId, after: dto,
      payload: { number, orderId, orderNumber: order.number, supplierId: order.supplierId, reason: input.reason, lines: rows.length, priceVariance: priceVariance.toFixed(2) },
    });
    await addTimelineStep(tx, ctx, {
      orderType: 'purchaseOrder', orderId, number: order.number, kind: 'returned',
      message: `退货 ${lines.map((l) => `${l.itemLabel} ${plain(l.quantity)} ${l.unitName}`).join('、')}（${number}）：${input.reason}`,
      data: {
        returnId: docId, returnNumber: number, reason: input.reason, receiptProgress: progress,
        lines: lines.map((l, k) => ({
          orderLineId: l.orderLine.id, itemId: l.orderLine.itemId, quantity: l.quantity, unit: l.unitName, baseQuantity: l.baseQuantity,
          batchNo: l.batchNo, qualityStatus: l.qualityStatus, unitCost: rows[k]!.unitCost, amount: rows[k]!.amount, priceVariance: rows[k]!.priceVariance,
        })),
      },
    });
    return dto!;
  });
}

/**
 * An order line's running totals in base currency: what its receipts booked and how much of them was
 * invoiced; what its invoices reversed of the 暂估, their cost and 价税合计; what earlier returns took
 * (amount asked of the stock, and the invoiced quantity, cost and 价税合计 within it).
 */
async function orderLineTotals(tx: Tx, orderLineId: string) {
  const [b] = await tx.$queryRaw<[{
    booked: string; invoicedQty: string; reversed: string; invoicedCost: string; invoicedTotal: string;
    returnedAmount: string; returnedInvoicedQty: string; returnedInvoicedCost: string; returnedInvoicedTotal: string;
  }]>`
    SELECT r.booked::text AS booked, r.invoiced_qty::text AS "invoicedQty",
           i.reversed::text AS reversed, i.cost::text AS "invoicedCost", i.total::text AS "invoicedTotal",
           t.amount::text AS "returnedAmount", t.qty::text AS "returnedInvoicedQty", t.cost::text AS "returnedInvoicedCost", t.total::text AS "returnedInvoicedTotal"
      FROM (SELECT COALESCE(SUM(amount), 0) AS booked, COALESCE(SUM(invoiced_quantity), 0) AS invoiced_qty
              FROM receipt_line WHERE order_line_id = ${orderLineId}::uuid) r,
           (SELECT COALESCE(SUM(pil.provisional_amount), 0) AS reversed, COALESCE(SUM(pil.cost_amount), 0) AS cost,
                   COALESCE(SUM(pil.amount + pil.tax_amount), 0) AS total
              FROM purchase_invoice_line pil JOIN receipt_line rl ON rl.id = pil.receipt_line_id
             WHERE rl.order_line_id = ${orderLineId}::uuid) i,
           (SELECT COALESCE(SUM(amount), 0) AS amount, COALESCE(SUM(invoiced_quantity), 0) AS qty,
                   COALESCE(SUM(invoiced_cost), 0) AS cost, COALESCE(SUM(invoiced_total), 0) AS total
              FROM purchase_return_line WHERE order_line_id = ${orderLineId}::uuid) t`;
  return b;
}

/** What the return's voucher is made of: each line's 暂估 and invoiced parts and the value the stock gave up (asked − variance). */
async function returnFacts(
  tx: Tx,
  ret: { id: string; number: string; returnedAt: Date; supplierId: string },
  rows: { itemId: string; amount: string; provisional: string; invoicedCost: string; invoicedTotal: string; priceVariance: string }[],
): Promise<PurchaseReturnPostingFacts> {
  const [supplier, items] = await Promise.all([
    tx.supplier.findUniqueOrThrow({ where: { id: ret.supplierId }, select: { name: true } }),
    tx.item.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.itemId))] } }, select: { id: true, kind: true } }),
  ]);
  const kindOf = new Map(items.map((i) => [i.id, i.kind]));
  return {
    documentId: ret.id, documentNumber: ret.number, date: todayInShanghai(ret.returnedAt), supplierId: ret.supplierId, supplierName: supplier.name,
    lines: rows.map((r) => ({
      itemId: r.itemId, itemKind: kindOf.get(r.itemId) ?? 'raw', provisional: r.provisional, invoicedCost: r.invoicedCost, invoicedTotal: r.invoicedTotal,
      stockValue: new Decimal(r.amount).minus(r.priceVariance).toFixed(2),
    })),
  };
}

/** Returns follow their order's data scope (the buyer); purchase_return has no relation to its order. */
async function returnScope(tx: Tx, actor: Actor): Promise<Prisma.PurchaseReturnWhereInput> {
  const allowed = await scopedUserIds(tx, actor);
  if (allowed === null) return {};
  const orders = await tx.purchaseOrder.findMany({ where: { buyerId: { in: allowed } }, select: { id: true } });
  return { orderId: { in: orders.map((o) => o.id) } };
}

export async function listPurchaseReturns(ctx: UseCaseContext, query: PurchaseReturnListQuery): Promise<Page<PurchaseReturn>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.PurchaseReturnWhereInput[] = [
      await returnScope(tx, ctx.actor),
      { supplierId: query.supplierId, orderId: query.orderId, returnedAt: momentRange(query.dateFrom, query.dateTo) },
    ];
    if (query.itemId) and.push({ lines: { some: { itemId: query.itemId } } });
    if (query.q) {
      const like = containsText(query.q);
      const suppliers = await tx.supplier.findMany({ where: { OR: [{ code: like }, { name: like }] }, select: { id: true } });
      const orders = await tx.purchaseOrder.findMany({ where: { number: like }, select: { id: true } });
      and.push({ OR: [{ number: like }, { reason: like }, { orderId: { in: orders.map((o) => o.id) } }, { supplierId: { in: suppliers.map((s) => s.id) } }] });
    }
    const where: Prisma.PurchaseReturnWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.PurchaseReturnOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.purchaseReturn.findMany({ where, orderBy, include: returnInclude, ...w }), () => tx.purchaseReturn.count({ where }), (r) => r);
    return { ...page, items: await returnDtos(tx, page.items) };
  });
}

export async function getPurchaseReturn(ctx: UseCaseContext, id: string): Promise<PurchaseReturn> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.purchaseReturn.findFirst({ where: { AND: [{ id }, await returnScope(tx, ctx.actor)] }, include: returnInclude });
    if (!row) throw notFound('采购退货单');
    return (await returnDtos(tx, [row]))[0]!;
  });
}
