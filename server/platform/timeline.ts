// 订单时间线: every step of an order (who, when, what, quantities) is a timeline entry and an
// `order.progress` domain event, in the transaction of the step — written by one statement.
import type { Tx } from '../db/transaction.ts';
import { Prisma } from '../generated/prisma/client.ts';
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

/**
 * A step whose number, message and data may be SQL over the caller's statement (a number taken in
 * it, quantities it has just reserved); data as SQL is a jsonb expression.
 */
export interface TimelineStepSql extends Omit<TimelineStep, 'number' | 'message' | 'data'> {
  number: string | Prisma.Sql;
  message: string | Prisma.Sql;
  data?: Prisma.InputJsonValue | Prisma.Sql;
}

export interface TimelineEntryRow {
  id: string;
  at: Date;
  message: string;
}

/**
 * The step as two CTEs for a caller's WITH: `<name>` inserts the entry (RETURNING id as text, at,
 * message, data) and `<name>_event` the `order.progress` event built from it.
 */
export function timelineStepSql(ctx: UseCaseContext, step: TimelineStepSql, name = 'step'): Prisma.Sql {
  const data = step.data instanceof Prisma.Sql ? step.data : Prisma.sql`${step.data === undefined ? null : JSON.stringify(step.data)}::jsonb`;
  const cte = Prisma.raw(name);
  return Prisma.sql`
    ${cte} AS (
      INSERT INTO timeline_entry (company_id, order_type, order_id, kind, message, data, actor_id, at)
      VALUES (${ctx.actor.companyId}::uuid, ${step.orderType}, ${step.orderId}::uuid, ${step.kind}, (${step.message})::text,
              ${data}, ${ctx.actor.userId}::uuid, now())
      RETURNING id::text, at, message, data),
    ${Prisma.raw(`${name}_event`)} AS (
      INSERT INTO outbox_event (company_id, type, aggregate, aggregate_id, payload)
      SELECT ${ctx.actor.companyId}::uuid, 'order.progress', ${step.orderType}, ${step.orderId},
             jsonb_build_object('orderType', ${step.orderType}::text, 'orderId', ${step.orderId}::text, 'number', (${step.number})::text,
                                'kind', ${step.kind}::text, 'message', s.message, 'actor', ${ctx.actor.name}::text, 'data', s.data)
        FROM ${cte} s)`;
}

export async function addTimelineStep(tx: Tx, ctx: UseCaseContext, step: TimelineStep): Promise<TimelineEntryRow> {
  const [row] = await tx.$queryRaw<TimelineEntryRow[]>`WITH ${timelineStepSql(ctx, step)} SELECT id, at, message FROM step`;
  return row!;
}
