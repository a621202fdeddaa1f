// 销售退货: goods come back against an order, no more than shipped − returned per line, at the
// value they were shipped at, to the fen (the line's shipped value pro rata, less earlier returns).
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { SalesReturn, SalesReturnCreate, SalesReturnListQuery } from '../../../../shared/schemas/sales/shipments.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, keywordWhere, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { postDocument, todayInShanghai } from '../../finance/index.ts';
import { bookedShare, receiveStock } from '../../inventory/index.ts';
import { lockOrder } from '../orders/lifecycle.ts';
import { assertOrderVisible } from '../orders/read.ts';
import { salespersonScope } from '../support.ts';
import type { SalesReturnPostingFacts } from './voucher.ts';
import { documentDtos, returnInclude } from '../shipments/dto.ts';
import { checkDocumentLines, type CheckedLine } from '../shipments/lines.ts';
import { shippedRevenue } from '../shipments/revenue.ts';
import { bumpLines, lineValueSql, shanghaiStart } from '../shipments/service.ts';
import { returnDeferredVat } from '../shipments/deferred-vat.ts';
import { issueSalesRedInvoices } from '../receivables/red-invoices.ts';

export async function createReturn(ctx: UseCaseContext, orderId: string, input: SalesReturnCreate): Promise<SalesReturn> {
  const returnId = await runUseCase(ctx, async (tx) => {
    await assertOrderVisible(tx, ctx.actor, orderId);
    // The customer first (as a receipt and a 核销 take it), so a return's red invoice and a receipt
    // or match of the same invoice see each other's amounts.
    await tx.$queryRaw`SELECT id FROM customer WHERE id = (SELECT customer_id FROM sales_order WHERE id = ${orderId}::uuid) FOR UPDATE`;
    const locked = await lockOrder(tx, orderId);
    if (locked.state !== 'confirmed' && locked.state !== 'closed') throw new AppError('CONFLICT', '订单没有发货，不能退货');
    const order = await tx.salesOrder.findUniqueOrThrow({ where: { id: orderId }, select: { number: true, customerId: true, exchangeRate: true, currencyCode: true } });
    const lines = await checkDocumentLines(tx, orderId, input.lines, {
      room: (l) => new Decimal(l.shippedQuantity.toString()).minus(l.returnedQuantity.toString()),
      tooMuch: (l, room) => `第 ${l.lineNo} 行最多可退 ${room}`,
    });
    // The value the goods left at: each line's share of what its order line's shipments took out of
    // stock less what earlier returns brought back (the order is locked, so nothing moves in between).
    const lineIds = [...new Set(lines.map((l) => l.orderLine.id))];
    const booked = await tx.$queryRaw<{ order_line_id: string; booked: string }[]>`
      SELECT l.id::text AS order_line_id,
             ((SELECT coalesce(sum(s.amount), 0) FROM shipment_line s WHERE s.order_line_id = l.id)
            - (SELECT coalesce(sum(r.amount), 0) FROM sales_return_line r WHERE r.order_line_id = l.id))::text AS booked
        FROM sales_order_line l WHERE l.id = ANY(${lineIds}::uuid[])`;
    const left = new Map(booked.map((b) => [b.order_line_id, new Decimal(b.booked)]));
    const net = new Map(lines.map((l) => [l.orderLine.id, new Decimal(l.orderLine.shippedQuantity.toString()).minus(l.orderLine.returnedQuantity.toString())]));
    const values = lines.map((l) => {
      const id = l.orderLine.id;
      const value = bookedShare(left.get(id) ?? 0, net.get(id)!, l.baseQuantity);
      left.set(id, (left.get(id) ?? new Decimal(0)).minus(value.amount));
      net.set(id, net.get(id)!.minus(l.baseQuantity));
      return value;
    });

    const invoicedParts = await invoicedSplit(tx, lines);

    const companyId = ctx.actor.companyId;
    const number = await nextDocumentNumber(tx, companyId, 'SR');
    const salesReturn = await tx.salesReturn.create({
      data: { companyId, number, orderId, customerId: order.customerId, reason: input.reason ?? null, createdById: ctx.actor.userId },
    });
    const rows = lines.map((l, i) => ({
      id: crypto.randomUUID(), companyId, returnId: salesReturn.id, orderLineId: l.orderLine.id, itemId: l.orderLine.itemId,
      warehouseId: l.orderLine.warehouseId, batchNo: l.batchNo, qualityStatus: l.input.qualityStatus ?? ('passed' as const),
      unitId: l.unitId, quantity: l.quantity, baseQuantity: l.baseQuantity, ...values[i]!,
    }));
    await tx.salesReturnLine.createMany({ data: rows });
    await receiveStock(
      tx,
      { companyId, userId: ctx.actor.userId, kind: 'salesReturn', source: { type: 'salesReturn', id: salesReturn.id, documentNo: number }, remark: input.reason ?? undefined },
      rows.map((r) => ({ itemId: r.itemId, warehouseId: r.warehouseId, batchNo: r.batchNo, qualityStatus: r.qualityStatus, quantity: r.baseQuantity, amount: r.amount, sourceLineId: r.id })),
    );
    await bumpLines(tx, lines, 'returned_quantity', 'shipped_quantity');
    const facts = await returnFacts(tx, salesReturn, order, lines, rows.map((r) => r.amount));
    if (facts.taxpayerKind === 'generalTaxpayer') {
      const tax = facts.lines.reduce((t, l) => t.plus(l.tax), new Decimal(0));
      const withTax = facts.lines.reduce((t, l) => t.plus(l.amount).plus(l.tax), new Decimal(0));
      facts.fromDeferred = await returnDeferredVat(tx, orderId, { tax, amountWithTax: withTax });
    }
    await postDocument(tx, ctx, 'salesReturn', facts);
    // The invoiced part becomes 销售红字发票 against the invoices it came on (matched against them as
    // far as they are open; the rest is owed back to the customer). The voucher above already took
    // its 价税合计 off 应收账款.
    await issueSalesRedInvoices(
      tx, ctx, { id: salesReturn.id, number, date: facts.date, customerId: order.customerId, currency: order.currencyCode !== 'CNY' ? { code: order.currencyCode, rate: order.exchangeRate.toFixed(6) } : null },
      rows.flatMap((r, i) => {
        const q = invoicedParts[i]!;
        if (q.isZero()) return [];
        const all = q.eq(r.baseQuantity);
        const share = (v: string) => (all ? new Decimal(v) : new Decimal(v).mul(q).div(r.baseQuantity).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
        const { amount, tax } = facts.lines[i]!;
        return [{
          id: r.id, orderLineId: r.orderLineId, invoicedQuantity: q.toFixed(4),
          invoicedTotal: share(new Decimal(amount).plus(tax).toFixed(2)).toFixed(2), invoicedTax: share(tax).toFixed(2),
        }];
      }),
    );
    // What came back no longer counts as owed (credit exposure reads the order's amounts).
    await tx.$executeRaw`
      UPDATE sales_order SET returned_amount = (SELECT ${lineValueSql('returned_quantity')}::numeric FROM sales_order_line WHERE order_id = ${orderId}::uuid),
             version = version + 1, updated_at = now()
       WHERE id = ${orderId}::uuid`;

    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId, number: order.number, kind: 'returned',
      message: `退货 ${lines.map((l) => l.text).join('、')}（${number}）${input.reason ? `：${input.reason}` : ''}`,
      data: {
        returnId: salesReturn.id, returnNumber: number, reason: input.reason ?? null,
        lines: lines.map((l, i) => ({ lineNo: l.orderLine.lineNo, itemId: l.orderLine.itemId, quantity: l.quantity, unit: l.unitName, baseQuantity: l.baseQuantity, unitCost: rows[i]!.unitCost, amount: rows[i]!.amount, qualityStatus: rows[i]!.qualityStatus })),
      },
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'salesReturn', entityId: salesReturn.id, after: { ...salesReturn, lines: rows } });
    return salesReturn.id;
  });
  return getReturn(ctx, returnId);
}

/**
 * How much of each line the customer had already been invoiced for, in base units. Per order line the
 * goods shipped and not yet invoiced go back first (nothing to take off an invoice: the invoice simply
 * bills less); beyond them the goods were invoiced and need a red invoice. Read before the return
 * bumps the order line (under the order's lock, which issuing an invoice takes too).
 */
async function invoicedSplit(tx: Prisma.TransactionClient, lines: CheckedLine[]): Promise<Decimal[]> {
  const ids = [...new Set(lines.map((l) => l.orderLine.id))];
  const rows = await tx.$queryRaw<{ id: string; held: string }[]>`
    SELECT l.id::text, GREATEST(l.shipped_quantity - l.returned_quantity
             - (coalesce((SELECT sum(il.quantity) FROM sales_invoice_line il JOIN sales_invoice i ON i.id = il.invoice_id
                           WHERE il.order_line_id = l.id AND i.state = 'issued'), 0)
              - coalesce((SELECT sum(x.invoiced_quantity) FROM sales_return_line x WHERE x.order_line_id = l.id), 0)), 0)::text AS held
      FROM sales_order_line l WHERE l.id = ANY(${ids}::uuid[])`;
  const held = new Map(rows.map((r) => [r.id, new Decimal(r.held)]));
  return lines.map((l) => {
    const q = new Decimal(l.baseQuantity);
    const uninvoiced = Decimal.min(q, held.get(l.orderLine.id) ?? 0);
    held.set(l.orderLine.id, (held.get(l.orderLine.id) ?? new Decimal(0)).minus(uninvoiced));
    return q.minus(uninvoiced);
  });
}

/** What the return's voucher is made of: each line's revenue and tax given back, and the stock value that came back, base currency. */
async function returnFacts(
  tx: Prisma.TransactionClient,
  salesReturn: { id: string; companyId: string; number: string; returnedAt: Date },
  order: { customerId: string; exchangeRate: Prisma.Decimal; currencyCode: string },
  lines: CheckedLine[],
  costs: string[],
): Promise<SalesReturnPostingFacts> {
  const [company, customer, items] = await Promise.all([
    tx.company.findUniqueOrThrow({ where: { id: salesReturn.companyId }, select: { taxpayerKind: true } }),
    tx.customer.findUniqueOrThrow({ where: { id: order.customerId }, select: { name: true } }),
    tx.item.findMany({ where: { id: { in: [...new Set(lines.map((l) => l.orderLine.itemId))] } }, select: { id: true, kind: true } }),
  ]);
  const kindOf = new Map(items.map((i) => [i.id, i.kind]));
  // The order line's value at the returned quantity after this line less before it (several lines may return from one order line).
  const returned = new Map<string, Decimal>();
  return {
    documentId: salesReturn.id, documentNumber: salesReturn.number, date: todayInShanghai(salesReturn.returnedAt),
    taxpayerKind: company.taxpayerKind, customerId: order.customerId, customerName: customer.name,
    currency: order.currencyCode !== 'CNY' ? { code: order.currencyCode, rate: order.exchangeRate.toFixed(6) } : null,
    lines: lines.map((l, i) => {
      const before = returned.get(l.orderLine.id) ?? new Decimal(l.orderLine.returnedQuantity.toString());
      const after = before.plus(l.baseQuantity);
      returned.set(l.orderLine.id, after);
      const valueAt = (exchangeRate: string) => shippedRevenue({
        amount: l.orderLine.amount.toString(), amountWithTax: l.orderLine.amountWithTax.toString(), baseQuantity: l.orderLine.baseQuantity.toString(),
        shippedBefore: before, shippedAfter: after, exchangeRate,
      });
      const revenue = valueAt(order.exchangeRate.toString());
      // a foreign order's 价税合计 given back in its currency (the shipment's 应收 line carried it)
      const foreign = order.currencyCode === 'CNY' ? null : valueAt('1');
      return {
        itemId: l.orderLine.itemId, itemKind: kindOf.get(l.orderLine.itemId) ?? 'finished', ...revenue, cost: costs[i]!,
        ...(foreign ? { foreignWithTax: new Decimal(foreign.amount).plus(foreign.tax).toFixed(2) } : {}),
      };
    }),
  };
}

export async function listReturns(ctx: UseCaseContext, query: SalesReturnListQuery): Promise<Page<SalesReturn>> {
  return runUseCase(ctx, async (tx) => {
    let keyword: Prisma.SalesReturnWhereInput = {};
    if (query.q) {
      const customers = await tx.customer.findMany({ where: keywordWhere(query.q, ['name', 'code']), select: { id: true }, take: 500 });
      keyword = { OR: [{ number: containsText(query.q) }, { order: { number: containsText(query.q) } }, { customerId: { in: customers.map((c) => c.id) } }] };
    }
    const where: Prisma.SalesReturnWhereInput = {
      AND: [
        { order: await salespersonScope(tx, ctx.actor) },
        keyword,
        {
          orderId: query.orderId,
          customerId: query.customerId,
          returnedAt: query.from || query.to ? { gte: query.from ? shanghaiStart(query.from) : undefined, lt: query.to ? shanghaiStart(query.to, 1) : undefined } : undefined,
        },
      ],
    };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.SalesReturnOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.salesReturn.findMany({ where, orderBy, include: returnInclude, ...w }), () => tx.salesReturn.count({ where }), (r) => r);
    return { ...page, items: (await documentDtos(tx, [], page.items)).returns };
  });
}

export async function getReturn(ctx: UseCaseContext, id: string): Promise<SalesReturn> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.salesReturn.findFirst({ where: { AND: [{ id }, { order: await salespersonScope(tx, ctx.actor) }] }, include: returnInclude });
    if (!row) throw notFound('销售退货单');
    return (await documentDtos(tx, [], [row])).returns[0]!;
  });
}
