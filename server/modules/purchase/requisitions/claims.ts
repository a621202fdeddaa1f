// 请购已下单数量: purchase order lines that come from a requisition line add their base quantity
// to its orderedQuantity by a conditional update, so however many orders race for one
// requisition line, no more is ever ordered than was requested. Cancelling or deleting the
// order gives it back.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { invalid } from '../../../platform/errors.ts';
import { lineConflict, plain } from '../orders/support.ts';

export interface Claim {
  requisitionLineId: string | null;
  itemId: string;
  /** base unit */
  baseQuantity: string;
  /** request field of the requisition line id, for errors */
  field: string;
}

export async function claimRequisitionLines(tx: Tx, claims: Claim[]): Promise<void> {
  const lineIds = [...new Set(claims.map((c) => c.requisitionLineId).filter((id): id is string => !!id))];
  if (!lineIds.length) return;
  // Hold the requisitions (shared) so a cancellation waits for this order, or this order sees it.
  await tx.$queryRaw`
    SELECT r.id FROM purchase_requisition r
     WHERE r.id IN (SELECT requisition_id FROM purchase_requisition_line WHERE id = ANY(${lineIds}::uuid[]))
     ORDER BY r.id FOR SHARE`;
  for (const c of claims) {
    if (!c.requisitionLineId) continue;
    const n = await tx.$executeRaw`
      UPDATE purchase_requisition_line rl SET ordered_quantity = rl.ordered_quantity + ${c.baseQuantity}::numeric
       WHERE rl.id = ${c.requisitionLineId}::uuid AND rl.item_id = ${c.itemId}::uuid
         AND rl.ordered_quantity + ${c.baseQuantity}::numeric <= rl.base_quantity
         AND EXISTS (SELECT 1 FROM purchase_requisition r WHERE r.id = rl.requisition_id AND r.state = 'confirmed')`;
    if (n === 1) continue;
    const line = await tx.purchaseRequisitionLine.findUnique({ where: { id: c.requisitionLineId }, include: { requisition: { select: { number: true, state: true } } } });
    if (!line) throw invalid(c.field, '请购单行不存在');
    if (line.itemId !== c.itemId) throw invalid(c.field, `请购单 ${line.requisition.number} 第 ${line.lineNo} 行的物料与订单行不同`);
    if (line.requisition.state !== 'confirmed') throw lineConflict(c.field, `请购单 ${line.requisition.number} 未提交或已取消，不能下单`);
    const left = new Decimal(line.baseQuantity.toString()).minus(line.orderedQuantity.toString());
    throw lineConflict(
      c.field,
      `请购单 ${line.requisition.number} 第 ${line.lineNo} 行超量下单：请购 ${plain(line.baseQuantity)}，已下单 ${plain(line.orderedQuantity)}，本次 ${plain(c.baseQuantity)}（基本单位），最多还可下单 ${plain(left)}`,
    );
  }
}

/** Gives back what the order's lines took from their requisition lines. */
export async function releaseRequisitionLines(tx: Tx, orderId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE purchase_requisition_line rl SET ordered_quantity = GREATEST(0, rl.ordered_quantity - s.q)
      FROM (SELECT requisition_line_id, sum(base_quantity) AS q FROM purchase_order_line
             WHERE order_id = ${orderId}::uuid AND requisition_line_id IS NOT NULL GROUP BY requisition_line_id) s
     WHERE rl.id = s.requisition_line_id`;
}
