// 销售订单: list, detail, create, edit and delete drafts — each one transaction, within the
// actor's data scope (the salesperson's).
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { SalesLineInput } from '../../../../shared/schemas/sales/lines.ts';
import type { SalesOrder, SalesOrderCreate, SalesOrderListQuery, SalesOrderUpdate, TimelineEntry } from '../../../../shared/schemas/sales/orders.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, keywordWhere, orderByOf, type Page } from '../../../platform/listing.ts';
import { runSqlUseCase, runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { exchangeRateOn, lineAsInput, priceSalesLines, type PricedLines } from '../pricing.ts';
import { dateOnlyOf, dateOnlyToDb, salespersonScope, stateConflict } from '../support.ts';
import { checkSalesperson, insertDraftOrder, insertOrderLines, shipFromWarehouse, totalsColumns, visibleCustomer } from './draft.ts';
import { assertOrderVisible, readOrderDetail, readOrderHeaders, readOrderTimeline } from './read.ts';

/** The order if the actor may see it (data scope on the salesperson), else 404. */
export async function findVisibleOrder(tx: Tx, actor: Actor, id: string) {
  const order = await tx.salesOrder.findFirst({ where: { AND: [{ id }, await salespersonScope(tx, actor)] } });
  if (!order) throw notFound('销售订单');
  return order;
}

export async function loadOrderDetail(tx: Tx, actor: Actor, id: string): Promise<SalesOrder> {
  return readOrderDetail(tx, actor, id);
}

export async function listOrders(ctx: UseCaseContext, query: SalesOrderListQuery): Promise<Page<SalesOrder>> {
  return runUseCase(ctx, async (tx) => {
    let keyword: Prisma.SalesOrderWhereInput = {};
    if (query.q) {
      const customers = await tx.customer.findMany({ where: keywordWhere(query.q, ['name', 'code']), select: { id: true }, take: 500 });
      keyword = { OR: [{ number: containsText(query.q) }, { customerId: { in: customers.map((c) => c.id) } }] };
    }
    const where: Prisma.SalesOrderWhereInput = {
      AND: [
        await salespersonScope(tx, ctx.actor),
        keyword,
        {
          state: query.state,
          customerId: query.customerId,
          ownerId: query.ownerId,
          shipmentProgress: query.shipmentProgress,
          orderDate: query.from || query.to ? { gte: query.from ? dateOnlyToDb(query.from) : undefined, lte: query.to ? dateOnlyToDb(query.to) : undefined } : undefined,
        },
      ],
    };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.SalesOrderOrderByWithRelationInput[];
    // The page's ids through the ORM's filters; the rows through the store, as the detail reads them.
    const page = await findPage(query, (w) => tx.salesOrder.findMany({ where, orderBy, ...w, select: { id: true } }), () => tx.salesOrder.count({ where }), (r) => r.id);
    return { ...page, items: await readOrderHeaders(tx, page.items) };
  });
}

export async function getOrder(ctx: UseCaseContext, id: string): Promise<SalesOrder> {
  return runUseCase(ctx, (tx) => loadOrderDetail(tx, ctx.actor, id));
}

export async function getOrderTimeline(ctx: UseCaseContext, id: string): Promise<TimelineEntry[]> {
  return runUseCase(ctx, async (tx) => {
    await assertOrderVisible(tx, ctx.actor, id);
    return readOrderTimeline(tx, id);
  });
}

export async function createOrder(ctx: UseCaseContext, input: SalesOrderCreate): Promise<SalesOrder> {
  const order = await runSqlUseCase(ctx, (tx) => insertDraftOrder(tx, ctx, input));
  return order.detail;
}

/** Only a draft can be edited; pending approval or confirmed orders are locked (409). */
export async function updateOrder(ctx: UseCaseContext, id: string, input: SalesOrderUpdate): Promise<SalesOrder> {
  await runUseCase(ctx, async (tx) => {
    const before = await findVisibleOrder(tx, ctx.actor, id);
    if (before.state !== 'draft') throw stateConflict(before.state, '不能修改');
    // Everything is checked before anything is written.
    const customer = input.customerId ? await visibleCustomer(tx, ctx, input.customerId) : null;
    if (input.ownerId) await checkSalesperson(tx, ctx, input.ownerId);
    const warehouseId = input.warehouseId ? await shipFromWarehouse(tx, input.warehouseId) : before.warehouseId;
    const orderDate = input.orderDate ?? dateOnlyOf(before.orderDate);
    const currencyCode = input.currencyCode ?? (customer && customer.id !== before.customerId ? customer.currencyCode : before.currencyCode);
    const exchangeRate =
      currencyCode !== before.currencyCode || orderDate !== dateOnlyOf(before.orderDate) ? await exchangeRateOn(tx, currencyCode, orderDate) : before.exchangeRate.toFixed(6);
    // A new rate re-prices the lines kept, so the amounts (and the approvals and credit that read them in CNY) follow the currency.
    const rateChanged = !new Decimal(exchangeRate).eq(before.exchangeRate.toString());
    const lines = input.lines ?? (rateChanged ? await linesAtRate(tx, id, before.exchangeRate.toString(), exchangeRate) : null);
    const priced: PricedLines | null = lines ? await priceSalesLines(tx, lines, { exchangeRate }) : null;

    const { count } = await tx.salesOrder.updateMany({
      where: { id, version: input.version, state: 'draft' },
      data: {
        customerId: customer?.id, ownerId: input.ownerId, warehouseId, currencyCode, exchangeRate, orderDate: dateOnlyToDb(orderDate),
        requestedDate: input.requestedDate === undefined ? undefined : input.requestedDate ? dateOnlyToDb(input.requestedDate) : null,
        paymentTermDays: input.paymentTermDays, prepaymentRequired: input.prepaymentRequired, remark: input.remark,
        agreedPaymentDate: input.agreedPaymentDate === undefined ? undefined : input.agreedPaymentDate ? dateOnlyToDb(input.agreedPaymentDate) : null,
        ...(priced ? totalsColumns(priced) : {}),
        version: { increment: 1 },
      },
    });
    if (count !== 1) {
      const now = await tx.salesOrder.findUnique({ where: { id }, select: { state: true } });
      if (!now) throw notFound('销售订单');
      if (now.state !== 'draft') throw stateConflict(now.state, '不能修改');
      throw new AppError('VERSION_CONFLICT', '销售订单已被他人修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
    }
    if (priced) {
      await tx.salesOrderLine.deleteMany({ where: { orderId: id } });
      await insertOrderLines(tx, ctx.actor.companyId, id, warehouseId, priced);
    } else if (warehouseId !== before.warehouseId) {
      await tx.salesOrderLine.updateMany({ where: { orderId: id }, data: { warehouseId } });
    }
    const after = await tx.salesOrder.findUniqueOrThrow({ where: { id } });
    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId: id, number: after.number, kind: 'updated',
      message: `修改订单${priced ? `（明细 ${priced.lines.length} 行）` : ''}`,
      data: { fields: Object.keys(input).filter((k) => k !== 'version') },
    });
    await recordAudit(tx, ctx, { action: 'update', entity: 'salesOrder', entityId: id, before, after });
  });
  // Read back after the commit, so the locks are held no longer than the change needs.
  return getOrder(ctx, id);
}

/** The order's stored lines as input again at a new exchange rate (see lineAsInput). */
async function linesAtRate(tx: Tx, orderId: string, from: string, to: string): Promise<SalesLineInput[]> {
  const rows = await tx.salesOrderLine.findMany({ where: { orderId }, orderBy: { lineNo: 'asc' } });
  return rows.map((l) => lineAsInput({ ...l, requestedDate: l.requestedDate ? dateOnlyOf(l.requestedDate) : null }, { from, to }));
}

/** Deletes a draft (lines go with it); anything past draft is kept and cancelled instead. */
export async function deleteOrder(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisibleOrder(tx, ctx.actor, id);
    const { count } = await tx.salesOrder.deleteMany({ where: { id, state: 'draft' } });
    if (count !== 1) {
      const now = await tx.salesOrder.findUnique({ where: { id }, select: { state: true } });
      throw now ? stateConflict(now.state, '不能删除（请取消订单）') : notFound('销售订单');
    }
    await recordChange(tx, ctx, { action: 'delete', entity: 'salesOrder', entityId: id, before, payload: { number: before.number } });
  });
}
