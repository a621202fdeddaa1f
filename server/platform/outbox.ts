// 发件箱: domain events are written in the transaction that caused them; a consumer (chat
// delivery, later) claims them after commit with FOR UPDATE SKIP LOCKED, so several server
// processes share the work and none is delivered twice at once.
import type { Db } from '../db/database.ts';
import type { SqlTx } from '../db/sql-session.ts';
import type { Tx } from '../db/transaction.ts';
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

export interface ClaimedEvent {
  id: bigint;
  companyId: string;
  type: string;
  aggregate: string | null;
  aggregateId: string | null;
  payload: unknown;
  attempts: number;
}

/** Claims up to `limit` due events for `worker` for `leaseMs`; run with the system-role client. */
export async function claimOutboxEvents(system: Db, opts: { worker: string; limit: number; leaseMs: number; types?: string[] }): Promise<ClaimedEvent[]> {
  const types = opts.types ?? null;
  const rows = await system.$queryRaw<
    { id: bigint; company_id: string; type: string; aggregate: string | null; aggregate_id: string | null; payload: unknown; attempts: number }[]
  >`
    UPDATE outbox_event o
       SET claimed_by = ${opts.worker}, claimed_until = now() + (${opts.leaseMs} * interval '1 millisecond'), attempts = o.attempts + 1
     WHERE o.id IN (
       SELECT id FROM outbox_event
        WHERE status = 'pending' AND available_at <= now()
          AND (claimed_until IS NULL OR claimed_until < now())
          AND (${types}::text[] IS NULL OR type = ANY(${types}::text[]))
        ORDER BY id
        LIMIT ${opts.limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING o.id, o.company_id::text AS company_id, o.type, o.aggregate, o.aggregate_id, o.payload, o.attempts`;
  return rows
    .map((r) => ({ id: r.id, companyId: r.company_id, type: r.type, aggregate: r.aggregate, aggregateId: r.aggregate_id, payload: r.payload, attempts: r.attempts }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

export async function markEventDelivered(system: Db, id: bigint, worker: string): Promise<boolean> {
  const n = await system.$executeRaw`
    UPDATE outbox_event SET status = 'delivered', delivered_at = now(), claimed_until = NULL
     WHERE id = ${id} AND claimed_by = ${worker} AND status = 'pending'`;
  return n === 1;
}

/** Back-off doubles from 5 s up to 30 min; after maxAttempts the event is dead (kept for inspection). */
export async function markEventFailed(system: Db, id: bigint, worker: string, error: string, maxAttempts = 10): Promise<void> {
  await system.$executeRaw`
    UPDATE outbox_event
       SET last_error = ${error.slice(0, 2000)}, claimed_until = NULL,
           status = CASE WHEN attempts >= ${maxAttempts} THEN 'dead'::outbox_status ELSE 'pending'::outbox_status END,
           available_at = now() + least(interval '30 minutes', (5 * power(2, attempts - 1)) * interval '1 second')
     WHERE id = ${id} AND claimed_by = ${worker}`;
}
