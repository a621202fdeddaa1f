// 调拨单: stock moves from one warehouse to another in one transaction — out of the source at the
// moving average cost (合格, unreserved stock only), into the destination at the value that left
// the source, to the fen, so the item's quantity, value and average cost stay as they were.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { StockTransfer, StockTransferCreate, StockTransferListQuery } from '../../../../shared/schemas/stock.ts';
import { recordChange } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { atLine, cost, dayRange, money, qty } from '../stock/checks.ts';
import { issueStock, receiveStock, type MoveContext, lockItemStock } from '../stock/ledger.ts';
import { assertWarehouse, itemRefs, userRefs, warehouseRefs } from '../stock/queries.ts';
import { resolveStockLines } from '../stock/stock-lines.ts';

export const TRANSFER_SOURCE = 'stockTransfer';

const include = { lines: { orderBy: { lineNo: 'asc' } } } satisfies Prisma.StockTransferInclude;
type TransferRow = Prisma.StockTransferGetPayload<{ include: typeof include }>;

export async function createStockTransfer(ctx: UseCaseContext, input: StockTransferCreate): Promise<StockTransfer> {
  return runUseCase(ctx, async (tx) => {
    await assertWarehouse(tx, input.fromWarehouseId, 'body.fromWarehouseId');
    await assertWarehouse(tx, input.toWarehouseId, 'body.toWarehouseId');
    const lines = await resolveStockLines(tx, input.lines);
    const companyId = ctx.actor.companyId;
    const number = await nextDocumentNumber(tx, companyId, 'TR');
    const transfer = await tx.stockTransfer.create({
      data: {
        companyId, number, fromWarehouseId: input.fromWarehouseId, toWarehouseId: input.toWarehouseId,
        remark: input.remark ?? null, createdById: ctx.actor.userId,
        lines: { create: lines.map((l, n) => ({ companyId, lineNo: n + 1, itemId: l.item.id, batchNo: l.batchNo, quantity: l.baseQuantity })) },
      },
      include,
    });
    // Out of one warehouse, then into the other: lock every item first, in the ledger's order.
    await lockItemStock(tx, companyId, lines.map((l) => l.item.id));
    const source = { type: TRANSFER_SOURCE, id: transfer.id, documentNo: number };
    const out: MoveContext = { companyId, userId: ctx.actor.userId, kind: 'transferOut', source, remark: input.remark ?? undefined };
    const into: MoveContext = { ...out, kind: 'transferIn' };
    for (const [n, line] of transfer.lines.entries()) {
      const moved = { itemId: line.itemId, batchNo: line.batchNo, quantity: line.quantity.toString(), sourceLineId: line.id };
      const [issued] = await atLine(n, `body.lines.${n}.quantity`, () => issueStock(tx, out, [{ ...moved, warehouseId: input.fromWarehouseId }]));
      await receiveStock(tx, into, [{ ...moved, warehouseId: input.toWarehouseId, amount: issued!.amount }]);
    }
    const [dto] = await toDtos(tx, [transfer]);
    await recordChange(tx, ctx, {
      action: 'create', entity: 'stockTransfer', entityId: transfer.id, after: dto,
      payload: { number, fromWarehouseId: input.fromWarehouseId, toWarehouseId: input.toWarehouseId, lineCount: lines.length, totalAmount: dto!.totalAmount },
    });
    return dto!;
  });
}

/** DTOs of transfers, with each line's unit cost and amount taken from its transfer-in move. */
async function toDtos(tx: Tx, rows: TransferRow[]): Promise<StockTransfer[]> {
  const moves = await tx.stockMove.findMany({
    where: { sourceType: TRANSFER_SOURCE, sourceId: { in: rows.map((r) => r.id) }, kind: 'transferIn' },
    select: { sourceLineId: true, unitCost: true, amount: true },
  });
  const byLine = new Map(moves.map((m) => [m.sourceLineId, m]));
  const items = await itemRefs(tx, rows.flatMap((r) => r.lines.map((l) => l.itemId)));
  const warehouses = await warehouseRefs(tx, rows.flatMap((r) => [r.fromWarehouseId, r.toWarehouseId]));
  const users = await userRefs(tx, rows.map((r) => r.createdById));
  return rows.map((r) => {
    const lines = r.lines.map((l) => {
      const m = byLine.get(l.id);
      const { batchTracked: _b, standardCost: _s, ...item } = items.get(l.itemId)!;
      return {
        id: l.id, lineNo: l.lineNo, item, batchNo: l.batchNo, quantity: qty(l.quantity.toString()),
        unitCost: cost(m?.unitCost.toString() ?? 0), amount: money(m?.amount.toString() ?? 0),
      };
    });
    return {
      id: r.id, number: r.number, fromWarehouse: warehouses.get(r.fromWarehouseId)!, toWarehouse: warehouses.get(r.toWarehouseId)!,
      remark: r.remark, totalAmount: money(lines.reduce((a, l) => a.plus(l.amount), new Decimal(0))), lineCount: lines.length,
      createdBy: r.createdById ? users.get(r.createdById) ?? null : null, createdAt: isoShanghai(r.createdAt), lines,
    };
  });
}

export async function getStockTransfer(ctx: UseCaseContext, id: string): Promise<StockTransfer> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.stockTransfer.findUnique({ where: { id }, include });
    if (!row) throw notFound('调拨单');
    return (await toDtos(tx, [row]))[0]!;
  });
}

export async function listStockTransfers(ctx: UseCaseContext, query: StockTransferListQuery): Promise<Page<Omit<StockTransfer, 'lines'>>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.StockTransferWhereInput = {
      AND: [
        keywordWhere(query.q, ['number', 'remark']),
        query.warehouseId ? { OR: [{ fromWarehouseId: query.warehouseId }, { toWarehouseId: query.warehouseId }] } : {},
        { fromWarehouseId: query.fromWarehouseId, toWarehouseId: query.toWarehouseId },
        query.itemId ? { lines: { some: { itemId: query.itemId } } } : {},
        query.dateFrom || query.dateTo ? { createdAt: dayRange(query.dateFrom, query.dateTo) } : {},
      ],
    };
    const orderBy = orderByOf(query.sort, '-createdAt') as Prisma.StockTransferOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.stockTransfer.findMany({ where, orderBy, include, ...w }), () => tx.stockTransfer.count({ where }), (r) => r);
    const dtos = await toDtos(tx, page.items);
    return { ...page, items: dtos.map(({ lines: _l, ...rest }) => rest) };
  });
}
