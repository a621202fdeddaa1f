// 通知 housekeeping: chat inbound event ids past every platform's resend window, and outbox events
// delivered more than OUTBOX_RETENTION_DAYS ago (one global setting, not per company: the outbox is a
// delivery queue, not a record anyone reads back). Pending and dead events are kept.
// Runs hourly in each process (started by bot/runtime.ts); the deletes are idempotent, so several
// processes may run it at once.
import type { Db } from '../../db/database.ts';

export interface RetentionOptions {
  outboxRetentionDays: number;
  /** how long an inbound id is kept; the chat side owns the figure (bot/inbound.ts INBOUND_RETENTION_MS) */
  inboundRetentionMs: number;
}

export interface RetentionResult {
  inboundIds: number;
  outboxEvents: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes inbound event ids received more than `retentionMs` ago; returns how many. */
export async function pruneInboundIds(system: Db, now: Date, retentionMs: number): Promise<number> {
  return system.$executeRaw`DELETE FROM chat_inbound_event WHERE received_at < ${new Date(now.getTime() - retentionMs)}`;
}

/** Deletes delivered outbox events older than `days`; returns how many. */
export async function pruneDeliveredOutbox(system: Db, now: Date, days: number): Promise<number> {
  return system.$executeRaw`DELETE FROM outbox_event WHERE status = 'delivered' AND delivered_at < ${new Date(now.getTime() - days * DAY_MS)}`;
}

export async function runRetention(system: Db, now: Date, opts: RetentionOptions): Promise<RetentionResult> {
  return {
    inboundIds: await pruneInboundIds(system, now, opts.inboundRetentionMs),
    outboxEvents: await pruneDeliveredOutbox(system, now, opts.outboxRetentionDays),
  };
}

export interface RetentionJob {
  stop(): void;
}

export function startRetentionJob(
  system: Db,
  opts: RetentionOptions & { everyMs?: number; log: { error(obj: object, msg?: string): void } },
): RetentionJob {
  const tick = () => void runRetention(system, new Date(), opts).catch((e: unknown) => opts.log.error({ err: e }, '清理回调去重记录/发件箱出错'));
  const timer = setInterval(tick, opts.everyMs ?? 60 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
