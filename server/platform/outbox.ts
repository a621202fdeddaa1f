// 发件箱: domain events are written in the transaction that caused them. The one consumer is the
// chat notice planner (server/modules/notices/planning.ts): it takes due events with FOR UPDATE SKIP LOCKED inside
// its own transaction, so several processes share the work and none is planned twice; delivered
// events are pruned by the notices module's retention (server/modules/notices/retention.ts).
import type { SqlTx } from '../db/sql-session.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export interface DomainEvent {
  type: string;
  aggregate?: string;
  aggregateId?: string;
  payload: Prisma.InputJsonValue;
}

export async function emitEvent(tx: SqlTx, companyId: string, event: DomainEvent): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO outbox_event (company_id, type, aggregate, aggregate_id, payload)
    VALUES (${companyId}::uuid, ${event.type}, ${event.aggregate ?? null}, ${event.aggregateId ?? null}, ${JSON.stringify(event.payload)}::jsonb)`;
}
