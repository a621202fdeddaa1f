// 采购订单: list, read, and the draft's create / update / delete. Each use case is one transaction;
// the data scope applies to the buyer.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type {
  PurchaseOrder, PurchaseOrderCreate, PurchaseOrderLineInput, PurchaseOrderListQuery, PurchaseOrderSummary, PurchaseOrderUpdate,
} from '../../../../shared/schemas/purchasing.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { accessByPermission, type AttachableDocument } from '../../attachments/index.ts';
import { claimRequisitionLines, releaseRequisitionLines } from '../requisitions/claims.ts';
import { buildOrderLines, lineRows, resolveHeader, totalsOf, type BuiltLine, type HeaderInput } from './build.ts';
import { orderDto, summaryDtos } from './dto.ts';
import { lockOrder, stateConflict } from './lock.ts';
import { userScopeWhere } from './refs.ts';
import { dateOnlyOf, dateOnlyToDb, dayRange } from './support.ts';

export async function orderScope(tx: Tx, ctx: UseCaseContext): Promise<Prisma.PurchaseOrderWhereInput> {
  return (await userScopeWhere(tx, ctx.actor, 'buyerId')) as Prisma.PurchaseOrderWhereInput;
}

/** 采购订单附件 (供应商回签的订单扫描件 …): seen with the order (the buyer's data scope), added by whoever may edit it. */
export const purchaseOrderAttachable: AttachableDocument = {
  label: '采购订单',
  access: (tx, actor, id) =>
    accessByPermission(actor, { read: 'purchaseOrder:read', change: 'purchaseOrder:update' }, async () =>
      !!(await tx.purchaseOrder.findFirst({ where: { AND: [{ id }, (await userScopeWhere(tx, actor, 'buyerId')) as Prisma.PurchaseOrderWhereInput] }, select: { id: true } }))),
};

export async function listPurchaseOrders(ctx: UseCaseContext, query: PurchaseOrderListQuery): Promise<Page<PurchaseOrderSummary>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.PurchaseOrderWhereInput[] = [
      await orderScope(tx, ctx),
      {
        state: query.state, supplierId: query.supplierId, buyerId: query.buyerId, warehouseId: query.warehouseId,
        receiptProgress: query.receiptProgress, orderDate: dayRange(query.dateFrom, query.dateTo),
      },
    ];
    if (query.itemId) and.push({ lines: { some: { itemId: query.itemId } } });
    if (query.q) {
      const like = containsText(query.q);
      const suppliers = await tx.supplier.findMany({ where: { OR: [{ code: like }, { name: like }] }, select: { id: true } });
      and.push({ OR: [{ number: like }, { remark: like }, { supplierId: { in: suppliers.map((s) => s.id) } }] });
    }
    const where: Prisma.PurchaseOrderWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.PurchaseOrderOrderByWithRelationInput[];
    const page = await findPage(
      query,
      (w) => tx.purchaseOrder.findMany({ where, orderBy, include: { _count: { select: { lines: true } } }, ...w }),
      () => tx.purchaseOrder.count({ where }),
      (r) => r,
    );
    return { ...page, items: await summaryDtos(tx, page.items) };
  });
}

export async function getPurchaseOrder(ctx: UseCaseContext, id: string): Promise<PurchaseOrder> {
  return runUseCase(ctx, async (tx) => orderDto(tx, { AND: [{ id }, await orderScope(tx, ctx)] }));
}

const claimsOf = (lines: BuiltLine[], field: string) =>
  lines.map((l, n) => ({ requisitionLineId: l.requisitionLineId, itemId: l.itemId, baseQuantity: l.baseQuantity, field: `${field}.${n}.requisitionLineId` }));

/** Creates a draft order in the caller's transaction (also used by 请购单 → 采购订单). */
export async function createOrderInTx(
  tx: Tx,
  ctx: UseCaseContext,
  input: HeaderInput & { remark?: string | null; lines: PurchaseOrderLineInput[] },
  opts: { linesField?: string; claimField?: string } = {},
): Promise<{ id: string; number: string }> {
  const head = await resolveHeader(tx, ctx.actor, input);
  const lines = await buildOrderLines(tx, head, input.lines, opts.linesField);
  const totals = totalsOf(lines);
  const companyId = ctx.actor.companyId;
  const number = await nextDocumentNumber(tx, companyId, 'PO');
  const order = await tx.purchaseOrder.create({
    data: {
      companyId, number, supplierId: head.supplierId, buyerId: head.buyerId, warehouseId: head.warehouseId, currencyCode: head.currencyCode,
      exchangeRate: head.exchangeRate, orderDate: dateOnlyToDb(head.orderDate), remark: input.remark ?? null,
      totalAmount: totals.totalAmount, totalTax: totals.totalTax, totalWithTax: totals.totalWithTax,
    },
  });
  // Claim first: an unknown requisition line is a 400 naming the line, before the insert's foreign key sees it.
  await claimRequisitionLines(tx, claimsOf(lines, opts.claimField ?? opts.linesField ?? 'body.lines'));
  await tx.purchaseOrderLine.createMany({ data: lineRows(companyId, order.id, lines) });
  await recordChange(tx, ctx, {
    action: 'create', entity: 'purchaseOrder', entityId: order.id, after: { ...order, lines },
    payload: { number, supplier: head.supplierName, totalWithTax: totals.totalWithTax, currencyCode: head.currencyCode },
  });
  await addTimelineStep(tx, ctx, {
    orderType: 'purchaseOrder', orderId: order.id, number, kind: 'created',
    message: `创建采购订单：${head.supplierName}，${lines.length} 行，价税合计 ${totals.totalWithTax} ${head.currencyCode}`,
    data: { lines: lines.length, totalWithTax: totals.totalWithTax, currencyCode: head.currencyCode },
  });
  return { id: order.id, number };
}

export async function createPurchaseOrder(ctx: UseCaseContext, input: PurchaseOrderCreate): Promise<PurchaseOrder> {
  return runUseCase(ctx, async (tx) => {
    const { id } = await createOrderInTx(tx, ctx, input);
    return orderDto(tx, { id });
  });
}

export async function updatePurchaseOrder(ctx: UseCaseContext, id: string, input: PurchaseOrderUpdate): Promise<PurchaseOrder> {
  return runUseCase(ctx, async (tx) => {
    const locked = await lockOrder(tx, ctx.actor, id);
    if (locked.state !== 'draft') throw stateConflict(locked, '修改（只能修改草稿）');
    if (locked.version !== input.version) {
      throw new AppError('VERSION_CONFLICT', '采购订单已被他人修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
    }
    const before = await tx.purchaseOrder.findUniqueOrThrow({ where: { id }, include: { lines: { orderBy: { lineNo: 'asc' } } } });
    const head = await resolveHeader(tx, ctx.actor, {
      supplierId: input.supplierId ?? before.supplierId,
      buyerId: input.buyerId ?? before.buyerId,
      warehouseId: input.warehouseId ?? before.warehouseId,
      orderDate: input.orderDate ?? dateOnlyOf(before.orderDate),
    });
    // Without new lines the existing ones are kept as they are (prices included); lines that
    // followed the order's warehouse follow it to the new one.
    const lineInputs: PurchaseOrderLineInput[] =
      input.lines ??
      before.lines.map((l) => ({
        itemId: l.itemId, unitId: l.unitId, quantity: l.quantity.toFixed(4), unitPrice: l.unitPrice.toFixed(6), taxRate: l.taxRate.toFixed(4),
        promisedDate: l.promisedDate ? dateOnlyOf(l.promisedDate) : null,
        warehouseId: l.warehouseId === before.warehouseId ? head.warehouseId : l.warehouseId, requisitionLineId: l.requisitionLineId,
      }));
    await releaseRequisitionLines(tx, id);
    const lines = await buildOrderLines(tx, head, lineInputs);
    const totals = totalsOf(lines);
    await tx.purchaseOrderLine.deleteMany({ where: { orderId: id } });
    await claimRequisitionLines(tx, claimsOf(lines, 'body.lines'));
    await tx.purchaseOrderLine.createMany({ data: lineRows(ctx.actor.companyId, id, lines) });
    const after = await tx.purchaseOrder.update({
      where: { id },
      data: {
        supplierId: head.supplierId, buyerId: head.buyerId, warehouseId: head.warehouseId, currencyCode: head.currencyCode,
        exchangeRate: head.exchangeRate, orderDate: dateOnlyToDb(head.orderDate), remark: input.remark === undefined ? undefined : input.remark,
        totalAmount: totals.totalAmount, totalTax: totals.totalTax, totalWithTax: totals.totalWithTax, version: { increment: 1 },
      },
    });
    await recordChange(tx, ctx, {
      action: 'update', entity: 'purchaseOrder', entityId: id, before, after: { ...after, lines },
      payload: { number: after.number, supplier: head.supplierName, totalWithTax: totals.totalWithTax },
    });
    return orderDto(tx, { id });
  });
}

export async function deletePurchaseOrder(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const locked = await lockOrder(tx, ctx.actor, id);
    if (locked.state !== 'draft') throw stateConflict(locked, '删除（只能删除草稿；已确认的订单请取消）');
    const before = await tx.purchaseOrder.findUnique({ where: { id }, include: { lines: true } });
    if (!before) throw notFound('采购订单');
    await releaseRequisitionLines(tx, id);
    await tx.purchaseOrder.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'purchaseOrder', entityId: id, before, payload: { number: before.number } });
  });
}
