// 销售出库单: ships against one confirmed order, partial or whole. One transaction: lock the
// order, check every line, issue stock through the ledger (consuming each line's reservation),
// bump shipped quantities with a conditional update, progress, timeline, audit.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { Shipment, ShipmentCreate, ShipmentListQuery } from '../../../../shared/schemas/sales/shipments.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, keywordWhere, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { invoicedQuantities, returnedUninvoiced } from '../receivables/invoices.ts';
import { postDocument, todayInShanghai } from '../../finance/index.ts';
import { issueStock, progressOf } from '../../inventory/index.ts';
import { lockOrder } from '../orders/lifecycle.ts';
import { assertOrderVisible } from '../orders/read.ts';
import { dateOnlyOf, dateOnlyToDb, money, salespersonScope } from '../support.ts';
import { documentDtos, shipmentInclude } from './dto.ts';
import { checkDocumentLines, type CheckedLine } from './lines.ts';
import { defersOutputVat } from './output-vat.ts';
import { shippedRevenue } from './revenue.ts';
import type { ShipmentPostingFacts } from './voucher.ts';

const SHIP_REFUSAL: Record<string, string> = {
  draft: '订单尚未确认，不能发货',
  pendingApproval: '订单待审批中，不能发货',
  closed: '订单已关闭，不能发货',
  cancelled: '订单已取消，不能发货',
};

export async function createShipment(ctx: UseCaseContext, orderId: string, input: ShipmentCreate): Promise<Shipment> {
  const shipmentId = await runUseCase(ctx, async (tx) => {
    await assertOrderVisible(tx, ctx.actor, orderId);
    const locked = await lockOrder(tx, orderId);
    if (locked.state !== 'confirmed') throw new AppError('CONFLICT', SHIP_REFUSAL[locked.state] ?? '订单当前状态不能发货');
    const order = await tx.salesOrder.findUniqueOrThrow({ where: { id: orderId } });
    if (order.prepaymentRequired && order.advanceReceived.lt(order.totalWithTax)) {
      throw new AppError('CONFLICT', `款到发货：预收款 ${money(order.currencyCode, order.advanceReceived.toString())} 未达订单价税合计 ${money(order.currencyCode, order.totalWithTax.toString())}，不能发货`);
    }
    const lines = await checkDocumentLines(tx, orderId, input.lines, {
      room: (l) => new Decimal(l.baseQuantity.toString()).minus(l.shippedQuantity.toString()),
      tooMuch: (l, room) => `第 ${l.lineNo} 行最多还可发 ${room}`,
    });

    const companyId = ctx.actor.companyId;
    const number = await nextDocumentNumber(tx, companyId, 'SH');
    const shipment = await tx.shipment.create({
      data: { companyId, number, orderId, customerId: order.customerId, remark: input.remark ?? null, createdById: ctx.actor.userId },
    });
    const lineIds = lines.map(() => crypto.randomUUID());
    const issued = await issueStock(
      tx,
      { companyId, userId: ctx.actor.userId, kind: 'salesShipment', source: { type: 'shipment', id: shipment.id, documentNo: number } },
      lines.map((l, i) => ({
        itemId: l.orderLine.itemId, warehouseId: l.orderLine.warehouseId, batchNo: l.batchNo, quantity: l.baseQuantity, sourceLineId: lineIds[i],
        consumes: { demandType: 'salesOrderLine' as const, demandId: l.orderLine.id },
      })),
    );
    await tx.shipmentLine.createMany({
      data: lines.map((l, i) => ({
        id: lineIds[i], companyId, shipmentId: shipment.id, orderLineId: l.orderLine.id, itemId: l.orderLine.itemId,
        warehouseId: l.orderLine.warehouseId, batchNo: l.batchNo, unitId: l.unitId, quantity: l.quantity, baseQuantity: l.baseQuantity,
        unitCost: issued[i]!.unitCost.toFixed(6), amount: issued[i]!.amount.toFixed(2),
      })),
    });
    await bumpLines(tx, lines, 'shipped_quantity', 'base_quantity');
    const facts = await shipmentFacts(tx, shipment, order, lines, issued.map((m) => m.amount.toFixed(2)));
    await postDocument(tx, ctx, 'shipment', facts);
    if (facts.deferOutputVat) await recordDeferredVat(tx, shipment.id, facts, order.agreedPaymentDate!);
    const [sums] = await tx.$queryRaw<{ shipped: string; ordered: string; amount: string }[]>`
      SELECT coalesce(sum(shipped_quantity), 0)::text AS shipped, coalesce(sum(base_quantity), 0)::text AS ordered, ${lineValueSql('shipped_quantity')} AS amount
        FROM sales_order_line WHERE order_id = ${orderId}::uuid`;
    const progress = progressOf(sums!.shipped, sums!.ordered);
    await tx.salesOrder.update({ where: { id: orderId }, data: { shipmentProgress: progress, shippedAmount: sums!.amount, version: { increment: 1 } } });

    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId, number: order.number, kind: 'shipped',
      message: `发货 ${lines.map((l) => l.text).join('、')}（${number}）`,
      data: {
        shipmentId: shipment.id, shipmentNumber: number, shipmentProgress: progress,
        lines: lines.map((l, i) => ({ lineNo: l.orderLine.lineNo, itemId: l.orderLine.itemId, quantity: l.quantity, unit: l.unitName, baseQuantity: l.baseQuantity, unitCost: issued[i]!.unitCost.toFixed(6) })),
      },
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'shipment', entityId: shipment.id, after: { ...shipment, lines: lines.map((l) => ({ orderLineId: l.orderLine.id, baseQuantity: l.baseQuantity })) } });
    return shipment.id;
  });
  return getShipment(ctx, shipmentId);
}

/** What the shipment's voucher is made of: each line's revenue, tax and the stock value that left, base currency. */
async function shipmentFacts(
  tx: Prisma.TransactionClient,
  shipment: { id: string; companyId: string; number: string; shippedAt: Date },
  order: { customerId: string; currencyCode: string; exchangeRate: Prisma.Decimal; agreedPaymentDate: Date | null; advanceReceived: Prisma.Decimal },
  lines: CheckedLine[],
  costs: string[],
): Promise<ShipmentPostingFacts> {
  const [company, customer, items] = await Promise.all([
    tx.company.findUniqueOrThrow({ where: { id: shipment.companyId }, select: { taxpayerKind: true } }),
    tx.customer.findUniqueOrThrow({ where: { id: order.customerId }, select: { name: true } }),
    tx.item.findMany({ where: { id: { in: [...new Set(lines.map((l) => l.orderLine.itemId))] } }, select: { id: true, kind: true } }),
  ]);
  const kindOf = new Map(items.map((i) => [i.id, i.kind]));
  // 预开票: what issued invoices of the order lines already billed, counted from the first shipped unit
  // past the goods returned before they were invoiced (those never will be).
  const lineIds = [...new Set(lines.map((l) => l.orderLine.id))];
  const [billed, gone] = [await invoicedQuantities(tx, lineIds, null), await returnedUninvoiced(tx, lineIds)];
  const invoiced = new Map(lineIds.map((id) => [id, (billed.get(id) ?? new Decimal(0)).plus(gone.get(id) ?? 0)]));
  // Several lines of the request may ship from one order line: each starts where the one before it ended.
  const shipped = new Map<string, Decimal>();
  const date = todayInShanghai(shipment.shippedAt);
  return {
    documentId: shipment.id, documentNumber: shipment.number, date,
    taxpayerKind: company.taxpayerKind, customerId: order.customerId, customerName: customer.name,
    // 外币订单: the receivable is kept in the order's currency too, at the order's rate (the one the amounts were converted at).
    currency: order.currencyCode !== 'CNY' ? { code: order.currencyCode, rate: order.exchangeRate.toFixed(6) } : null,
    deferOutputVat: defersOutputVat({
      taxpayerKind: company.taxpayerKind, shipDate: date, agreedPaymentDate: order.agreedPaymentDate ? dateOnlyOf(order.agreedPaymentDate) : null,
      paymentReceived: order.advanceReceived.gt(0),
    }),
    lines: lines.flatMap((l, i) => {
      const before = shipped.get(l.orderLine.id) ?? new Decimal(l.orderLine.shippedQuantity.toString());
      const after = before.plus(l.baseQuantity);
      shipped.set(l.orderLine.id, after);
      const valueAt = (from: Decimal, to: Decimal, exchangeRate: string) => shippedRevenue({
        amount: l.orderLine.amount.toString(), amountWithTax: l.orderLine.amountWithTax.toString(), baseQuantity: l.orderLine.baseQuantity.toString(),
        shippedBefore: from, shippedAfter: to, exchangeRate,
      });
      const valueOf = (from: Decimal, to: Decimal) => {
        const base = valueAt(from, to, order.exchangeRate.toString());
        if (order.currencyCode === 'CNY') return base;
        const foreign = valueAt(from, to, '1');
        return { ...base, foreignWithTax: new Decimal(foreign.amount).plus(foreign.tax).toFixed(2) };
      };
      const itemKind = kindOf.get(l.orderLine.itemId) ?? 'finished';
      // the part within what was invoiced before it shipped, then the rest
      const split = Decimal.min(after, Decimal.max(before, invoiced.get(l.orderLine.id) ?? 0));
      if (split.lte(before)) return [{ itemId: l.orderLine.itemId, itemKind, ...valueOf(before, after), cost: costs[i]! }];
      return [
        { itemId: l.orderLine.itemId, itemKind, ...valueOf(before, split), cost: costs[i]!, billedAhead: true },
        ...(split.lt(after) ? [{ itemId: l.orderLine.itemId, itemKind, ...valueOf(split, after), cost: '0' }] : []),
      ];
    }),
  };
}

/** What the shipment put into 待转销项税额 (its lines not billed ahead), for the move that comes later. */
async function recordDeferredVat(tx: Prisma.TransactionClient, shipmentId: string, facts: ShipmentPostingFacts, dueOn: Date): Promise<void> {
  const billed = facts.lines.filter((l) => !l.billedAhead);
  const tax = billed.reduce((t, l) => t.plus(l.tax), new Decimal(0));
  const withTax = billed.reduce((t, l) => t.plus(l.amount).plus(l.tax), new Decimal(0));
  await tx.shipment.update({ where: { id: shipmentId }, data: { deferredOutputVat: tax.toFixed(2), deferredAmountWithTax: withTax.toFixed(2), outputVatDueOn: dueOn } });
}

/**
 * 价税合计 of the part of an order's lines a quantity column holds (shipped or returned), as text:
 * each line's share rounded to 2 and summed, recomputed whole each time (so a line shipped in full
 * counts exactly its amount, whatever the partial shipments before). Over sales_order_line rows.
 */
export function lineValueSql(column: 'shipped_quantity' | 'returned_quantity'): Prisma.Sql {
  return Prisma.sql`coalesce(sum(round(amount_with_tax * ${Prisma.raw(column)} / nullif(base_quantity, 0), 2)), 0)::text`;
}

/**
 * Adds the lines' quantities to a running column only while it stays within its bound (the
 * database CHECK backs this); a line that would overrun is a 409.
 */
export async function bumpLines(
  tx: Prisma.TransactionClient,
  lines: CheckedLine[],
  column: 'shipped_quantity' | 'returned_quantity',
  bound: 'base_quantity' | 'shipped_quantity',
): Promise<void> {
  const per = new Map<string, Decimal>();
  for (const l of lines) per.set(l.orderLine.id, (per.get(l.orderLine.id) ?? new Decimal(0)).plus(l.baseQuantity));
  const ids = [...per.keys()];
  const qtys = ids.map((id) => per.get(id)!.toFixed(4));
  const updated = column === 'shipped_quantity'
    ? await tx.$executeRaw`
        UPDATE sales_order_line l SET shipped_quantity = l.shipped_quantity + v.qty
          FROM unnest(${ids}::uuid[], ${qtys}::numeric[]) AS v(id, qty)
         WHERE l.id = v.id AND l.shipped_quantity + v.qty <= l.base_quantity`
    : await tx.$executeRaw`
        UPDATE sales_order_line l SET returned_quantity = l.returned_quantity + v.qty
          FROM unnest(${ids}::uuid[], ${qtys}::numeric[]) AS v(id, qty)
         WHERE l.id = v.id AND l.returned_quantity + v.qty <= l.shipped_quantity`;
  if (updated !== ids.length) throw new AppError('CONFLICT', bound === 'base_quantity' ? '发货数量超过订单未发数量' : '退货数量超过已发未退数量');
}

export async function listShipments(ctx: UseCaseContext, query: ShipmentListQuery): Promise<Page<Shipment>> {
  return runUseCase(ctx, async (tx) => {
    let keyword: Prisma.ShipmentWhereInput = {};
    if (query.q) {
      const customers = await tx.customer.findMany({ where: keywordWhere(query.q, ['name', 'code']), select: { id: true }, take: 500 });
      keyword = { OR: [{ number: containsText(query.q) }, { order: { number: containsText(query.q) } }, { customerId: { in: customers.map((c) => c.id) } }] };
    }
    const where: Prisma.ShipmentWhereInput = {
      AND: [
        { order: await salespersonScope(tx, ctx.actor) },
        keyword,
        {
          orderId: query.orderId,
          customerId: query.customerId,
          shippedAt: query.from || query.to ? { gte: query.from ? shanghaiStart(query.from) : undefined, lt: query.to ? shanghaiStart(query.to, 1) : undefined } : undefined,
        },
      ],
    };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.ShipmentOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.shipment.findMany({ where, orderBy, include: shipmentInclude, ...w }), () => tx.shipment.count({ where }), (r) => r);
    return { ...page, items: (await documentDtos(tx, page.items, [])).shipments };
  });
}

export async function getShipment(ctx: UseCaseContext, id: string): Promise<Shipment> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.shipment.findFirst({ where: { AND: [{ id }, { order: await salespersonScope(tx, ctx.actor) }] }, include: shipmentInclude });
    if (!row) throw notFound('销售出库单');
    return (await documentDtos(tx, [row], [])).shipments[0]!;
  });
}

/** The instant a Shanghai calendar day starts (plus `days`). */
export function shanghaiStart(date: string, days = 0): Date {
  return new Date(dateOnlyToDb(date).getTime() + days * 86_400_000 - 8 * 3_600_000);
}
