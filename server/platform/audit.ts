// 审计日志: who, when, what, before and after, written in the same transaction as the change.
import type { Tx } from '../db/transaction.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { emitEvent } from './outbox.ts';
import type { UseCaseContext } from './services.ts';

export type AuditAction = 'create' | 'update' | 'delete' | 'import' | 'login' | string;

/** Plain JSON of a row: decimals as strings, dates as ISO strings, binary data left out. */
export function snapshot(row: unknown): Prisma.InputJsonValue | undefined {
  if (row === undefined || row === null) return undefined;
  return JSON.parse(
    JSON.stringify(row, (key, value) => {
      if (key === 'passwordHash' || key === 'data') return undefined;
      if (typeof value === 'bigint') return value.toString();
      return value;
    }),
  ) as Prisma.InputJsonValue;
}

export interface AuditEntry {
  action: AuditAction;
  entity: string;
  entityId: string;
  /** a row or object (snapshotted to JSON), or a jsonb expression over the caller's statement */
  before?: unknown;
  after?: unknown;
}

/** The entry's INSERT as SQL, to run alone or as a CTE of the statement that makes the change. */
export function auditSql(ctx: UseCaseContext, entry: AuditEntry): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO audit_log (company_id, user_id, action, entity, entity_id, before, after, request_id, at)
    VALUES (${ctx.actor.companyId}::uuid, ${ctx.actor.userId}::uuid, ${entry.action}, ${entry.entity}, ${entry.entityId},
            ${jsonbOf(entry.before)}, ${jsonbOf(entry.after)}, ${ctx.requestId || null}, now())`;
}

export async function recordAudit(tx: Tx, ctx: UseCaseContext, entry: AuditEntry): Promise<void> {
  // Plain SQL: this runs in every use case, and the ORM's per-call cost is what a busy server feels.
  await tx.$executeRaw(auditSql(ctx, entry));
}

function jsonbOf(v: unknown): Prisma.Sql {
  if (v instanceof Prisma.Sql) return v;
  const s = snapshot(v);
  return Prisma.sql`${s === undefined ? null : JSON.stringify(s)}::jsonb`;
}

/** Many entries at once (imports). */
export async function recordAudits(
  tx: Tx,
  ctx: UseCaseContext,
  entries: { action: AuditAction; entity: string; entityId: string; before?: unknown; after?: unknown }[],
): Promise<void> {
  if (!entries.length) return;
  await tx.auditLog.createMany({
    data: entries.map((e) => ({
      companyId: ctx.actor.companyId,
      userId: ctx.actor.userId,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId,
      before: snapshot(e.before),
      after: snapshot(e.after),
      requestId: ctx.requestId || null,
    })),
  });
}

const PAST: Record<string, string> = { create: 'created', update: 'updated', delete: 'deleted' };

/**
 * A create, update or delete of a record: the audit entry and the `<entity>.<created|updated|deleted>`
 * domain event, both in the caller's transaction.
 */
export async function recordChange(
  tx: Tx,
  ctx: UseCaseContext,
  change: { action: 'create' | 'update' | 'delete'; entity: string; entityId: string; before?: unknown; after?: unknown; payload: Prisma.InputJsonValue },
): Promise<void> {
  await recordAudit(tx, ctx, change);
  await emitEvent(tx, ctx.actor.companyId, {
    type: `${change.entity}.${PAST[change.action]}`,
    aggregate: change.entity,
    aggregateId: change.entityId,
    payload: change.payload,
  });
}
