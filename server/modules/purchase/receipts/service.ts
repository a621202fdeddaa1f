// 采购入库单: goods come in against a confirmed purchase order, partially or whole, never beyond
// the company's over-receipt tolerance — checked by a conditional update on the order line, so no
// number of simultaneous receipts gets past it. One transaction: the order row lock, the line
// updates, the receipt, the stock ledger, progress, timeline and audit. A foreign-currency receipt
// is valued at the rate of its own date (小企业会计准则: the transaction date's spot rate, or the
// month's average as the company chooses), not at the order's: the receipt keeps the rate it used.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Receipt, ReceiptCreate, ReceiptListQuery } from '../../../../shared/schemas/purchasing.ts';
import { recordChange } from '../../../platform/audit.ts';
import { invalid, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { receiveStock } from '../../inventory/index.ts';
import { openInspections } from '../../quality/index.ts';
import { lockOrder, stateConflict } from '../orders/lock.ts';
import { scopedUserIds } from '../orders/refs.ts';
import { lineConflict, momentRange, plain } from '../orders/support.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { Actor } from '../../../platform/actor.ts';
import { monthStart, postDocument, rateOnBasis, todayInShanghai } from '../../finance/index.ts';
import type { ExchangeRateBasis } from '../../../generated/prisma/enums.ts';
import { receiptDtos, receiptInclude } from './dto.ts';
import { inLineUnit, refreshReceiptProgress, resolveStockLines } from './lines.ts';
import { orderLineMoveValue } from './valuation.ts';
import type { ReceiptPostingFacts } from './voucher.ts';

export async function receivePurchaseOrder(ctx: UseCaseContext, orderId: string, input: ReceiptCreate): Promise<Receipt> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const order = await lockOrder(tx, ctx.actor, orderId);
    if (order.state !== 'confirmed') throw stateConflict(order, '入库');
    const lines = await resolveStockLines(tx, orderId, input.lines);
    const { receiptTolerance, receiptRateBasis } = await tx.company.findUniqueOrThrow({ where: { id: companyId }, select: { receiptTolerance: true, receiptRateBasis: true } });
    const tolerance = receiptTolerance.toString();
    // The rate of the receipt's own day (Asia/Shanghai), checked before anything is written.
    const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
    const exchangeRate = await receiptRate(tx, order.currencyCode, todayInShanghai(receivedAt), receiptRateBasis);
    // Each line's value: what the order line's net received quantity is worth after it, less before it.
    const values: { amount: string; unitCost: string }[] = [];
    for (const l of lines) {
      const [moved] = await tx.$queryRaw<{ net: string }[]>`
        UPDATE purchase_order_line SET received_quantity = received_quantity + ${l.baseQuantity}::numeric
         WHERE id = ${l.orderLine.id}::uuid
           AND received_quantity - returned_quantity + ${l.baseQuantity}::numeric <= round(base_quantity * (1 + ${tolerance}::numeric), 4)
        RETURNING (received_quantity - returned_quantity)::text AS net`;
      if (moved) {
        values.push(orderLineMoveValue(l.orderLine, moved.net, l.baseQuantity, exchangeRate));
        continue;
      }
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
    const receipt = await tx.receipt.create({
      data: {
        companyId, number, orderId, supplierId: order.supplierId, receivedAt, exchangeRate, rateBasis: receiptRateBasis,
        remark: input.remark ?? null, createdById: ctx.actor.userId,
      },
    });
    const rows = lines.map((l, k) => ({
      id: crypto.randomUUID(), companyId, receiptId: receipt.id, orderLineId: l.orderLine.id, itemId: l.orderLine.itemId, warehouseId: l.orderLine.warehouseId,
      batchNo: l.batchNo, qualityStatus: l.qualityStatus, baseQuantity: l.baseQuantity, ...values[k]!,
    }));
    await tx.receiptLine.createMany({ data: rows });
    // Items in a fixed order, so two receipts of the same items never wait on each other crosswise.
    const inbound = [...rows].sort((a, b) => a.itemId.localeCompare(b.itemId) || a.warehouseId.localeCompare(b.warehouseId));
    await receiveStock(
      tx,
      { companyId, userId: ctx.actor.userId, kind: 'purchaseReceipt', source: { type: 'receipt', id: receipt.id, documentNo: number }, occurredAt: receivedAt },
      inbound.map((r) => ({ itemId: r.itemId, warehouseId: r.warehouseId, batchNo: r.batchNo, qualityStatus: r.qualityStatus, quantity: r.baseQuantity, amount: r.amount, sourceLineId: r.id })),
    );
    // 待检 lines wait for 质检: one inspection record each (the inspectors hear of it in chat).
    const pending = rows.filter((r) => r.qualityStatus === 'pending');
    if (pending.length) {
      await openInspections(tx, ctx, {
        sourceType: 'purchaseReceipt', sourceId: receipt.id, sourceNo: number,
        lines: pending.map((r) => ({ itemId: r.itemId, warehouseId: r.warehouseId, batchNo: r.batchNo, quantity: r.baseQuantity, sourceLineId: r.id })),
      });
    }
    await postDocument(tx, ctx, 'receipt', await receiptFacts(tx, { id: receipt.id, number, receivedAt, supplierId: order.supplierId }, rows));
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
        receiptId: receipt.id, receiptNumber: number, receiptProgress: progress, currencyCode: order.currencyCode, exchangeRate, rateBasis: receiptRateBasis,
        lines: lines.map((l, k) => ({
          orderLineId: l.orderLine.id, itemId: l.orderLine.itemId, quantity: l.quantity, unit: l.unitName, baseQuantity: l.baseQuantity,
          batchNo: l.batchNo, qualityStatus: l.qualityStatus, unitCost: rows[k]!.unitCost, amount: rows[k]!.amount,
        })),
      },
    });
    return dto!;
  });
}

/** What the receipt's voucher is made of: each line's value that entered stock (base currency) and the item's kind. */
async function receiptFacts(
  tx: Tx,
  receipt: { id: string; number: string; receivedAt: Date; supplierId: string },
  rows: { itemId: string; amount: string }[],
): Promise<ReceiptPostingFacts> {
  const [supplier, items] = await Promise.all([
    tx.supplier.findUniqueOrThrow({ where: { id: receipt.supplierId }, select: { name: true } }),
    tx.item.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.itemId))] } }, select: { id: true, kind: true } }),
  ]);
  const kindOf = new Map(items.map((i) => [i.id, i.kind]));
  return {
    documentId: receipt.id, documentNumber: receipt.number, date: todayInShanghai(receipt.receivedAt),
    supplierId: receipt.supplierId, supplierName: supplier.name,
    lines: rows.map((r) => ({ itemId: r.itemId, itemKind: kindOf.get(r.itemId) ?? 'raw', amount: r.amount })),
  };
}

/** The rate the receipt of `date` (YYYY-MM-DD, Asia/Shanghai) is valued at; 400 on body.receivedAt when none applies. */
async function receiptRate(tx: Tx, currencyCode: string, date: string, basis: ExchangeRateBasis): Promise<string> {
  const found = await rateOnBasis(tx, currencyCode, date, basis);
  if (found === undefined) throw invalid('body.receivedAt', `币别 ${currencyCode} 不存在，无法折算入库成本`);
  if (found === null) {
    throw invalid('body.receivedAt', basis === 'monthlyAverage'
      ? `没有 ${currencyCode} 在 ${monthStart(date)} 至 ${date} 适用的汇率，无法按当月平均汇率折算入库成本，请先在「币别与汇率」中录入`
      : `没有 ${currencyCode} 在 ${date} 及之前的汇率，无法按入库日汇率折算入库成本，请先在「币别与汇率」中录入`);
  }
  return found.rate;
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
