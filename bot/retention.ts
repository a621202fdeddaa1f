// The chat side's housekeeping: inbound event ids past every platform's resend window, and outbox
// events delivered more than OUTBOX_RETENTION_DAYS ago (one global setting, not per company: the
// outbox is a delivery queue, not a record anyone reads back). Pending and dead events are kept.
// Runs hourly in each process; the deletes are idempotent, so several processes may run it at once.
import type { Db } from '../server/db/database.ts';
import { pruneInbound } from './inbound.ts';

export interface RetentionResult {
  inboundIds: number;
  outboxEvents: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes delivered outbox events older than `days`; returns how many. */
export async function pruneDeliveredOutbox(system: Db, now: Date, days: number): Promise<number> {
  return system.$executeRaw`DELETE FROM outbox_event WHERE status = 'delivered' AND delivered_at < ${new Date(now.getTime() - days * DAY_MS)}`;
}

export async function runRetention(system: Db, now: Date, opts: { outboxRetentionDays: number }): Promise<RetentionResult> {
  return { inboundIds: await pruneInbound(system, now), outboxEvents: await pruneDeliveredOutbox(system, now, opts.outboxRetentionDays) };
}

export interface RetentionJob {
  stop(): void;
}

export function startRetentionJob(system: Db, opts: { outboxRetentionDays: number; everyMs?: number; log: { error(obj: object, msg?: string): void } }): RetentionJob {
  const tick = () => void runRetention(system, new Date(), opts).catch((e: unknown) => opts.log.error({ err: e }, '清理回调去重记录/发件箱出错'));
  const timer = setInterval(tick, opts.everyMs ?? 60 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
