// The lines of a receipt or a return name lines of their purchase order, a quantity in that line's
// unit, and a batch (炉号) for batch-tracked items. Checked here, all at once, before anything is written.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { QualityStatus } from '../../../../shared/schemas/purchasing.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { AppError, issuesMessage } from '../../../platform/errors.ts';
import { progressOf, toBaseQuantity } from '../../inventory/index.ts';
import { assertUnitPrecision } from '../orders/support.ts';

export interface StockLineInput {
  orderLineId: string;
  quantity: string;
  batchNo?: string;
  qualityStatus: QualityStatus;
}

type OrderLine = Prisma.PurchaseOrderLineGetPayload<object>;

export interface StockLine {
  n: number;
  field: string;
  orderLine: OrderLine;
  itemLabel: string;
  unitName: string;
  quantity: string;
  baseQuantity: string;
  batchNo: string;
  qualityStatus: QualityStatus;
}

export async function resolveStockLines(tx: Tx, orderId: string, lines: StockLineInput[]): Promise<StockLine[]> {
  const orderLines = await tx.purchaseOrderLine.findMany({ where: { orderId, id: { in: [...new Set(lines.map((l) => l.orderLineId))] } } });
  const byId = new Map(orderLines.map((l) => [l.id, l]));
  const items = await tx.item.findMany({ where: { id: { in: orderLines.map((l) => l.itemId) } }, select: { id: true, code: true, name: true, spec: true, batchTracked: true } });
  const itemById = new Map(items.map((i) => [i.id, i]));
  const units = await tx.unit.findMany({ where: { id: { in: orderLines.map((l) => l.unitId) } }, select: { id: true, name: true } });
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const issues: FieldIssue[] = [];
  const out: StockLine[] = [];
  lines.forEach((l, n) => {
    const field = `body.lines.${n}`;
    const ol = byId.get(l.orderLineId);
    if (!ol) return void issues.push({ field: `${field}.orderLineId`, message: '不是该采购订单的明细行' });
    const item = itemById.get(ol.itemId);
    const label = item ? `${item.code} ${item.name}` : ol.itemId;
    const batchNo = l.batchNo ?? '';
    if (item?.batchTracked && !batchNo) return void issues.push({ field: `${field}.batchNo`, message: `物料 ${label} 按批次（炉号）管理，必须填写批次号` });
    if (item && !item.batchTracked && batchNo) return void issues.push({ field: `${field}.batchNo`, message: `物料 ${label} 未启用批次管理，不能填写批次号` });
    const baseQuantity = toBaseQuantity(l.quantity, ol.factor.toString());
    if (new Decimal(baseQuantity).lte(0)) return void issues.push({ field: `${field}.quantity`, message: '折算为基本单位后数量为 0' });
    out.push({
      n, field, orderLine: ol, itemLabel: label, unitName: unitName.get(ol.unitId) ?? '', quantity: l.quantity, baseQuantity, batchNo, qualityStatus: l.qualityStatus,
    });
  });
  if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
  await assertUnitPrecision(tx, out.map((l) => ({ unitId: l.orderLine.unitId, quantity: l.quantity, field: `${l.field}.quantity` })));
  return out;
}

/** A base-unit quantity back in the order line's unit, for messages. */
export function inLineUnit(base: Decimal.Value, factor: Decimal.Value): string {
  return String(Number(new Decimal(base).div(factor).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4)));
}

/** 收货进度 of an order from its lines: net received (received − returned) against ordered. */
export async function refreshReceiptProgress(tx: Tx, orderId: string): Promise<'none' | 'partial' | 'full'> {
  const lines = await tx.purchaseOrderLine.findMany({ where: { orderId }, select: { baseQuantity: true, receivedQuantity: true, returnedQuantity: true } });
  // Each line counts up to what it ordered, so an over-receipt on one line does not fill another.
  let done = new Decimal(0);
  let total = new Decimal(0);
  let allFull = true;
  for (const l of lines) {
    const net = new Decimal(l.receivedQuantity.toString()).minus(l.returnedQuantity.toString());
    const ordered = new Decimal(l.baseQuantity.toString());
    done = done.plus(Decimal.min(net, ordered));
    total = total.plus(ordered);
    if (net.lt(ordered)) allFull = false;
  }
  let progress = progressOf(done, total);
  if (progress === 'full' && !allFull) progress = 'partial';
  await tx.purchaseOrder.update({ where: { id: orderId }, data: { receiptProgress: progress } });
  return progress;
}
