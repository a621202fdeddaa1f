// 订单时间线: every step of an order (who, when, what, quantities) is a timeline entry and an
// `order.progress` domain event, in the transaction of the step.
import type { Tx } from '../db/transaction.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { emitEvent } from './outbox.ts';
import type { UseCaseContext } from './services.ts';

export type OrderType = 'salesOrder' | 'purchaseOrder';

export interface TimelineStep {
  orderType: OrderType;
  orderId: string;
  /** the order's number, for notices */
  number: string;
  /** e.g. created, submitted, confirmed, shipped, returned, cancelled, closed, advanceReceived, received */
  kind: string;
  /** what people read, in Chinese: "发货 3 箱（SH-20261123-0001）" */
  message: string;
  data?: Prisma.InputJsonValue;
}

export async function addTimelineStep(tx: Tx, ctx: UseCaseContext, step: TimelineStep): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO timeline_entry (company_id, order_type, order_id, kind, message, data, actor_id, at)
    VALUES (${ctx.actor.companyId}::uuid, ${step.orderType}, ${step.orderId}::uuid, ${step.kind}, ${step.message},
            ${step.data === undefined ? null : JSON.stringify(step.data)}::jsonb, ${ctx.actor.userId}::uuid, now())`;
  await emitEvent(tx, ctx.actor.companyId, {
    type: 'order.progress',
    aggregate: step.orderType,
    aggregateId: step.orderId,
    payload: { orderType: step.orderType, orderId: step.orderId, number: step.number, kind: step.kind, message: step.message, actor: ctx.actor.name, data: step.data ?? null },
  });
}
