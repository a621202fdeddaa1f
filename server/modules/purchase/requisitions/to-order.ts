// 请购单 → 采购订单: the chosen lines (default: whatever is not yet ordered) become a draft purchase
// order for one supplier; each order line takes its quantity from the requisition line by a
// conditional update (claims.ts), so no line is ever ordered beyond what was requested.
import { Decimal } from 'decimal.js';
import type { PurchaseOrder, PurchaseOrderLineInput, RequisitionToOrder } from '../../../../shared/schemas/purchasing.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { orderDto } from '../orders/dto.ts';
import { createOrderInTx } from '../orders/service.ts';
import { dateOnlyOf } from '../orders/support.ts';
import { findRequisition, type RequisitionRow } from './service.ts';

type ReqLine = RequisitionRow['lines'][number];

/** What is left of a line, in its own unit when that is exact (to 4 decimals), else in the base unit. */
function remainderOf(l: ReqLine, baseUnitId: string): { unitId: string; quantity: string } {
  const left = new Decimal(l.baseQuantity.toString()).minus(l.orderedQuantity.toString());
  const inUnit = left.div(l.factor.toString());
  if (inUnit.decimalPlaces() <= 4) return { unitId: l.unitId, quantity: inUnit.toFixed(4) };
  return { unitId: baseUnitId, quantity: left.toFixed(4) };
}

export async function requisitionToOrder(ctx: UseCaseContext, id: string, input: RequisitionToOrder): Promise<PurchaseOrder> {
  return runUseCase(ctx, async (tx) => {
    const req = await findRequisition(tx, ctx, id);
    if (req.state !== 'confirmed') {
      const message = req.state === 'draft' ? `请购单 ${req.number} 尚未提交，不能下单` : `请购单 ${req.number} 已${req.state === 'cancelled' ? '取消' : '关闭'}，不能下单`;
      throw new AppError('CONFLICT', message, [{ field: 'params.id', message }]);
    }
    const byId = new Map(req.lines.map((l) => [l.id, l]));
    const items = await tx.item.findMany({ where: { id: { in: req.lines.map((l) => l.itemId) } }, select: { id: true, baseUnitId: true } });
    const baseUnit = new Map(items.map((i) => [i.id, i.baseUnitId]));
    const picks = input.lines ?? req.lines.filter((l) => l.orderedQuantity.lt(l.baseQuantity)).map((l) => ({ requisitionLineId: l.id, quantity: undefined }));
    if (!picks.length) {
      throw new AppError('CONFLICT', `请购单 ${req.number} 已全部下单`, [{ field: 'params.id', message: '没有未下单的数量' }]);
    }
    const issues: FieldIssue[] = [];
    const lines: PurchaseOrderLineInput[] = [];
    picks.forEach((p, n) => {
      const l = byId.get(p.requisitionLineId);
      if (!l) return void issues.push({ field: `body.lines.${n}.requisitionLineId`, message: '不是该请购单的明细行' });
      const qty = p.quantity ? { unitId: l.unitId, quantity: p.quantity } : remainderOf(l, baseUnit.get(l.itemId) ?? l.unitId);
      if (!p.quantity && Number(qty.quantity) <= 0) return void issues.push({ field: `body.lines.${n}.requisitionLineId`, message: `第 ${l.lineNo} 行已全部下单` });
      lines.push({ itemId: l.itemId, ...qty, promisedDate: l.requiredDate ? dateOnlyOf(l.requiredDate) : null, requisitionLineId: l.id });
    });
    if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
    const order = await createOrderInTx(
      tx,
      ctx,
      { supplierId: input.supplierId, warehouseId: input.warehouseId, orderDate: input.orderDate, remark: `来自请购单 ${req.number}`, lines },
      { linesField: 'body.lines' },
    );
    await recordAudit(tx, ctx, {
      action: 'toOrder', entity: 'purchaseRequisition', entityId: id,
      after: { orderId: order.id, orderNumber: order.number, lines: lines.map((l) => ({ requisitionLineId: l.requisitionLineId, unitId: l.unitId, quantity: l.quantity })) },
    });
    return orderDto(tx, { id: order.id });
  });
}
