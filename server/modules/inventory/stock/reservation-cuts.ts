// 盘亏 / 报损 below the reserved quantity: the stock is gone whatever the books say, so the loss is
// posted and the reservations on that level are cut — the most recently confirmed orders first —
// until reserved ≤ on hand again. Each sales order that lost reservation gets a timeline entry (and
// with it the `order.progress` event its routes carry to the group and the salesperson), all in the
// caller's transaction, after the ledger's lock order: the items' `item_stock` rows first, then the
// level, then its reservations.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { DemandType } from '../../../generated/prisma/enums.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';

export interface LossOnLevel {
  itemId: string;
  warehouseId: string;
  /** base unit, > 0: what is about to leave the level's 合格 on-hand */
  quantity: Decimal.Value;
}

export interface ReservationCut {
  demandType: DemandType;
  demandId: string;
  itemId: string;
  warehouseId: string;
  /** what the demand held before, what was cut, what it keeps (base unit) */
  held: Decimal;
  cut: Decimal;
  left: Decimal;
  /** sales order lines only */
  order: { id: string; number: string; lineNo: number; wanted: Decimal } | null;
}

interface HeldRow {
  id: string;
  demand_type: DemandType;
  demand_id: string;
  quantity: string;
  order_id: string | null;
  order_number: string | null;
  line_no: number | null;
  wanted: string | null;
}

/**
 * Which reservations give way, and how much: `excess` taken from `held` in the order given (most
 * recently confirmed first), each cut by at most what it holds. Pure.
 */
export function planCuts<T extends { quantity: Decimal.Value }>(held: readonly T[], excess: Decimal.Value): { row: T; cut: Decimal }[] {
  let left = Decimal.max(0, excess);
  const out: { row: T; cut: Decimal }[] = [];
  for (const row of held) {
    if (left.lte(0)) break;
    const cut = Decimal.min(left, row.quantity);
    if (cut.lte(0)) continue;
    out.push({ row, cut });
    left = left.minus(cut);
  }
  return out;
}

/**
 * Cuts the reservations of one level so that, after `loss.quantity` leaves it, reserved ≤ on hand.
 * Call it right before issuing the loss (the level is locked here and stays locked until commit).
 */
export async function cutReservationsForLoss(tx: Tx, companyId: string, loss: LossOnLevel): Promise<ReservationCut[]> {
  // One statement in the ledger's lock order: the item's row (usually held by the caller already),
  // then its level. An item without an item_stock row has never had stock: no level, nothing to cut.
  const [level] = await tx.$queryRaw<{ on_hand: string; reserved: string }[]>`
    WITH item_lock AS (SELECT item_id FROM item_stock WHERE company_id = ${companyId}::uuid AND item_id = ${loss.itemId}::uuid FOR UPDATE)
    SELECT on_hand::text, reserved::text FROM stock_level
     WHERE company_id = ${companyId}::uuid AND item_id = ${loss.itemId}::uuid AND warehouse_id = ${loss.warehouseId}::uuid
       AND (SELECT count(*) FROM item_lock) > 0
     FOR UPDATE`;
  if (!level) return [];
  const after = Decimal.max(0, new Decimal(level.on_hand).minus(loss.quantity));
  const excess = new Decimal(level.reserved).minus(after);
  if (excess.lte(0)) return [];
  // Most recently confirmed order first; a demand that is not a sales order line by when it reserved.
  const held = await tx.$queryRaw<HeldRow[]>`
    SELECT r.id::text, r.demand_type::text AS demand_type, r.demand_id::text, r.quantity::text,
           o.id::text AS order_id, o.number AS order_number, l.line_no, (l.base_quantity - l.shipped_quantity)::text AS wanted
      FROM reservation r
      LEFT JOIN sales_order_line l ON r.demand_type = 'salesOrderLine' AND l.id = r.demand_id
      LEFT JOIN sales_order o ON o.id = l.order_id
     WHERE r.company_id = ${companyId}::uuid AND r.item_id = ${loss.itemId}::uuid AND r.warehouse_id = ${loss.warehouseId}::uuid AND r.quantity > 0
     ORDER BY coalesce(o.confirmed_at, r.created_at) DESC, o.number DESC NULLS LAST, l.line_no DESC NULLS LAST, r.id DESC
     FOR UPDATE OF r`;
  const cuts = planCuts(held, excess);
  const total = cuts.reduce((a, c) => a.plus(c.cut), new Decimal(0));
  await tx.$executeRaw`
    UPDATE reservation r SET quantity = r.quantity - c.cut, updated_at = now()
      FROM unnest(${cuts.map((c) => c.row.id)}::uuid[], ${cuts.map((c) => c.cut.toString())}::numeric[]) AS c(id, cut)
     WHERE r.id = c.id`;
  await tx.$executeRaw`
    UPDATE stock_level SET reserved = reserved - ${total.toString()}::numeric, updated_at = now()
     WHERE company_id = ${companyId}::uuid AND item_id = ${loss.itemId}::uuid AND warehouse_id = ${loss.warehouseId}::uuid`;
  return cuts.map(({ row, cut }) => ({
    demandType: row.demand_type, demandId: row.demand_id, itemId: loss.itemId, warehouseId: loss.warehouseId,
    held: new Decimal(row.quantity), cut, left: new Decimal(row.quantity).minus(cut),
    order: row.order_id ? { id: row.order_id, number: row.order_number ?? '', lineNo: row.line_no ?? 0, wanted: new Decimal(row.wanted ?? 0) } : null,
  }));
}

const plain = (d: Decimal) => d.toDecimalPlaces(4).toString();

/**
 * One timeline entry (kind `reservationCut`, so one `order.progress` event) per sales order that
 * lost reservation, naming the document, each line's item, reserved before → after and short.
 */
export async function announceReservationCuts(tx: Tx, ctx: UseCaseContext, cuts: ReservationCut[], source: { type: string; id: string; number: string; label: string }): Promise<void> {
  // A demand cut twice by one document (two batches of its item lost) is one line: first held → last left.
  const byDemand = new Map<string, ReservationCut>();
  for (const c of cuts) {
    const key = `${c.demandType}|${c.demandId}|${c.warehouseId}`;
    const prev = byDemand.get(key);
    byDemand.set(key, prev ? { ...prev, cut: prev.cut.plus(c.cut), left: c.left } : c);
  }
  const byOrder = new Map<string, ReservationCut[]>();
  for (const c of byDemand.values()) if (c.order) byOrder.set(c.order.id, [...(byOrder.get(c.order.id) ?? []), c]);
  if (!byOrder.size) return;
  const items = await tx.item.findMany({
    where: { id: { in: [...new Set(cuts.map((c) => c.itemId))] } },
    select: { id: true, code: true, name: true, spec: true, baseUnit: { select: { name: true } } },
  });
  const itemOf = new Map(items.map((i) => [i.id, i]));
  for (const [orderId, list] of byOrder) {
    list.sort((a, b) => a.order!.lineNo - b.order!.lineNo);
    const parts = list.map((c) => {
      const item = itemOf.get(c.itemId);
      const name = item ? `${item.name}${item.spec ? `（${item.spec}）` : ''}` : c.itemId;
      const unit = item?.baseUnit?.name ?? '';
      const short = Decimal.max(0, c.order!.wanted.minus(c.left));
      return `第 ${c.order!.lineNo} 行 ${name} 预留 ${plain(c.held)} → ${plain(c.left)} ${unit}，缺货 ${plain(short)} ${unit}`;
    });
    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId, number: list[0]!.order!.number, kind: 'reservationCut',
      message: `${source.label}（${source.number}）后库存不足，预留减少：${parts.join('；')}`,
      data: {
        source: { type: source.type, id: source.id, number: source.number },
        lines: list.map((c) => ({
          lineId: c.demandId, lineNo: c.order!.lineNo, itemId: c.itemId, warehouseId: c.warehouseId,
          reservedBefore: c.held.toFixed(4), cut: c.cut.toFixed(4), reserved: c.left.toFixed(4),
          short: Decimal.max(0, c.order!.wanted.minus(c.left)).toFixed(4),
        })),
      },
    });
  }
}

/** The cuts as plain values, for the document's audit entry. */
export function cutsForAudit(cuts: ReservationCut[]): { demandType: string; demandId: string; orderNumber: string | null; cut: string; reserved: string }[] {
  return cuts.map((c) => ({ demandType: c.demandType, demandId: c.demandId, orderNumber: c.order?.number ?? null, cut: c.cut.toFixed(4), reserved: c.left.toFixed(4) }));
}
