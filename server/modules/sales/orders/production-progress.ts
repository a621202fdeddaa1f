// 生产进度 on the sales order (以销定产): a production task made for an order line tells the order's
// timeline when it starts (生产中) and when its finished goods are all in (完工待发货); the timeline
// step's `order.progress` event carries it to the order's chat routes and salesperson.
import type { Tx } from '../../../db/transaction.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';

export type ProductionProgressKind = 'productionStarted' | 'productionCompleted';

export interface ProductionProgress {
  salesOrderLineId: string;
  kind: ProductionProgressKind;
  taskId: string;
  taskNumber: string;
  /** base unit of the line's item: the task's quantity (started) or what was received (completed) */
  quantity: string;
}

/** Writes the step in the caller's transaction; a line that no longer exists writes nothing. */
export async function recordProductionProgress(tx: Tx, ctx: UseCaseContext, p: ProductionProgress): Promise<void> {
  const line = await tx.salesOrderLine.findUnique({ where: { id: p.salesOrderLineId }, select: { lineNo: true, orderId: true, itemId: true } });
  if (!line) return;
  const [order, item] = await Promise.all([
    tx.salesOrder.findUniqueOrThrow({ where: { id: line.orderId }, select: { number: true } }),
    tx.item.findUniqueOrThrow({ where: { id: line.itemId }, select: { name: true, baseUnit: { select: { name: true } } } }),
  ]);
  const qty = `${trimZeros(p.quantity)} ${item.baseUnit.name}`;
  const message = p.kind === 'productionStarted'
    ? `第 ${line.lineNo} 行 ${item.name} 生产中：生产任务单 ${p.taskNumber}（${qty}）已开工`
    : `第 ${line.lineNo} 行 ${item.name} 完工待发货：生产任务单 ${p.taskNumber} 已完工入库 ${qty}`;
  await addTimelineStep(tx, ctx, {
    orderType: 'salesOrder', orderId: line.orderId, number: order.number, kind: p.kind, message,
    data: { lineNo: line.lineNo, taskId: p.taskId, taskNumber: p.taskNumber, quantity: p.quantity },
  });
}

const trimZeros = (q: string) => (q.includes('.') ? q.replace(/\.?0+$/, '') : q);
