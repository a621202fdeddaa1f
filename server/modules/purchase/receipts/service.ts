// 采购入库单: goods come in against a confirmed purchase order, partially or whole, never beyond
// the company's over-receipt tolerance — checked by a conditional update on the order line, so no
// number of simultaneous receipts gets past it. One transaction: the order row lock, the line
// updates, the receipt, the stock ledger, progress, timeline and audit.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Receipt, ReceiptCreate, ReceiptListQuery } from '../../../../shared/schemas/purchasing.ts';
import { recordChange } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { receiveStock } from '../../inventory/stock/ledger.ts';
import { lockOrder, stateConflict } from '../orders/lock.ts';
import { scopedUserIds } from '../orders/refs.ts';
import { lineConflict, momentRange, plain } from '../orders/support.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { Actor } from '../../../platform/actor.ts';
import { receiptUnitCost } from '../prices/pick.ts';
import { receiptDtos, receiptInclude } from './dto.ts';
import { inLineUnit, refreshReceiptProgress, resolveStockLines } from './lines.ts';

export async function receivePurchaseOrder(ctx: UseCaseContext, orderId: string, input: ReceiptCreate): Promise<Receipt> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const order = await lockOrder(tx, ctx.actor, orderId);
    if (order.state !== 'confirmed') throw stateConflict(order, '入库');
    const lines = await resolveStockLines(tx, orderId, input.lines);
    const { receiptTolerance } = await tx.company.findUniqueOrThrow({ where: { id: companyId }, select: { receiptTolerance: true } });
    const tolerance = receiptTolerance.toString();
    for (const l of lines) {
      const n = await tx.$executeRaw`
        UPDATE purchase_order_line SET received_quantity = received_quantity + ${l.baseQuantity}::numeric
         WHERE id = ${l.orderLine.id}::uuid
           AND received_quantity - returned_quantity + ${l.baseQuantity}::numeric <= round(base_quantity * (1 + ${tolerance}::numeric), 4)`;
      if (n === 1) continue;
      const cur = await tx.purchaseOrderLine.findUniqueOrThrow({ where: { id: l.orderLine.id } });
      const factor = cur.factor.toString();
      const max = new Decimal(cur.baseQuantity.toString()).mul(new Decimal(1).plus(tolerance)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
      const net = new Decimal(cur.receivedQuantity.toString()).minus(cur.returnedQuantity.toString());
      const left = Decimal.max(0, max.minus(net));
      const u = l.unitName;
      throw lineConflict(
        `${l.field}.quantity`,
        `第 ${cur.lineNo} 行 ${l.itemLabel} 超收：订购 ${plain(cur.quantity)} ${u}，已收 ${inLineUnit(net, factor)} ${u}，本次 ${plain(l.quantity)} ${u}；` +
          `超收容差 ${plain(new Decimal(tolerance).mul(100))}%，最多可收 ${inLineUnit(max, factor)} ${u}，还可收 ${inLineUnit(left, factor)} ${u}`,
      );
    }
    const number = await nextDocumentNumber(tx, companyId, 'RC');
    const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
    const receipt = await tx.receipt.create({
      data: { companyId, number, orderId, supplierId: order.supplierId, receivedAt, remark: input.remark ?? null, createdById: ctx.actor.userId },
    });
    const rows = lines.map((l) => ({
      id: crypto.randomUUID(), companyId, receiptId: receipt.id, orderLineId: l.orderLine.id, itemId: l.orderLine.itemId, warehouseId: l.orderLine.warehouseId,
      batchNo: l.batchNo, qualityStatus: l.qualityStatus, baseQuantity: l.baseQuantity,
      unitCost: receiptUnitCost({ unitPrice: l.orderLine.unitPrice.toString(), factor: l.orderLine.factor.toString(), taxRate: l.orderLine.taxRate.toString(), exchangeRate: order.exchangeRate }),
    }));
    await tx.receiptLine.createMany({ data: rows });
    // Items in a fixed order, so two receipts of the same items never wait on each other crosswise.
    const inbound = [...rows].sort((a, b) => a.itemId.localeCompare(b.itemId) || a.warehouseId.localeCompare(b.warehouseId));
    await receiveStock(
      tx,
      { companyId, userId: ctx.actor.userId, kind: 'purchaseReceipt', source: { type: 'receipt', id: receipt.id, documentNo: number }, occurredAt: receivedAt },
      inbound.map((r) => ({ itemId: r.itemId, warehouseId: r.warehouseId, batchNo: r.batchNo, qualityStatus: r.qualityStatus, quantity: r.baseQuantity, unitCost: r.unitCost, sourceLineId: r.id })),
    );
    const progress = await refreshReceiptProgress(tx, orderId);
    const [dto] = await receiptDtos(tx, [await tx.receipt.findUniqueOrThrow({ where: { id: receipt.id }, include: receiptInclude })]);
    await recordChange(tx, ctx, {
      action: 'create', entity: 'receipt', entityId: receipt.id, after: dto,
      payload: { number, orderId, orderNumber: order.number, supplierId: order.supplierId, lines: rows.length, receiptProgress: progress },
    });
    await addTimelineStep(tx, ctx, {
      orderType: 'purchaseOrder', orderId, number: order.number, kind: 'received',
      message: `入库 ${lines.map((l) => `${l.itemLabel} ${plain(l.quantity)} ${l.unitName}`).join('、')}（${number}）`,
      data: {
        receiptId: receipt.id, receiptNumber: number, receiptProgress: progress,
        lines: lines.map((l, k) => ({
          orderLineId: l.orderLine.id, itemId: l.orderLine.itemId, quantity: l.quantity, unit: l.unitName, baseQuantity: l.baseQuantity,
          batchNo: l.batchNo, qualityStatus: l.qualityStatus, unitCost: rows[k]!.unitCost,
        })),
      },
    });
    return dto!;
  });
}

/** Receipts follow their order's data scope (the buyer). */
async function receiptScope(tx: Tx, actor: Actor): Promise<Prisma.ReceiptWhereInput> {
  const allowed = await scopedUserIds(tx, actor);
  return allowed === null ? {} : { order: { buyerId: { in: allowed } } };
}

export async function listReceipts(ctx: UseCaseContext, query: ReceiptListQuery): Promise<Page<Receipt>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.ReceiptWhereInput[] = [
      await receiptScope(tx, ctx.actor),
      { supplierId: query.supplierId, orderId: query.orderId, receivedAt: momentRange(query.dateFrom, query.dateTo) },
    ];
    if (query.itemId) and.push({ lines: { some: { itemId: query.itemId } } });
    if (query.q) {
      const like = containsText(query.q);
      const suppliers = await tx.supplier.findMany({ where: { OR: [{ code: like }, { name: like }] }, select: { id: true } });
      and.push({ OR: [{ number: like }, { remark: like }, { order: { number: like } }, { supplierId: { in: suppliers.map((s) => s.id) } }] });
    }
    const where: Prisma.ReceiptWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.ReceiptOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.receipt.findMany({ where, orderBy, include: receiptInclude, ...w }), () => tx.receipt.count({ where }), (r) => r);
    return { ...page, items: await receiptDtos(tx, page.items) };
  });
}

export async function getReceipt(ctx: UseCaseContext, id: string): Promise<Receipt> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.receipt.findFirst({ where: { AND: [{ id }, await receiptScope(tx, ctx.actor)] }, include: receiptInclude });
    if (!row) throw notFound('采购入库单');
    return (await receiptDtos(tx, [row]))[0]!;
  });
}
