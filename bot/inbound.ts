// Platforms redeliver events and messages (retries, timeouts): the first sight of an id wins.
// One rule for every platform: claim the id, handle the event, take the claim back when handling
// failed (so the platform's redelivery, or the user's next press, is acted on). Claims are rows of
// chat_inbound_event (a unique key), so they hold across processes; the notices module's retention job drops them once no
// platform would resend the event any more.
import type { Db } from '../server/db/database.ts';
import type { Platform } from '../server/platform/channels.ts';

/**
 * How long an inbound id is kept: longer than any platform resends (Feishu retries an event for
 * ~7 h: 15 s, 5 min, 1 h, 6 h; WeCom within 15 s; DingTalk robot signatures live 5 min here). An
 * event older than this is refused by its router, so a pruned id can never be acted on again.
 */
export const INBOUND_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Records the id; true when it had been seen before (so: do not act on it again). */
export async function alreadySeen(system: Db, platform: Platform, eventId: string): Promise<boolean> {
  const inserted = await system.$executeRaw`
    INSERT INTO chat_inbound_event (platform, event_id) VALUES (${platform}::chat_platform, ${eventId.slice(0, 128)})
    ON CONFLICT DO NOTHING`;
  return inserted === 0;
}

/** Takes back alreadySeen for an event whose handling failed, so a redelivery or a repeated click is acted on. */
export async function forgetSeen(system: Db, platform: Platform, eventId: string): Promise<void> {
  await system.$executeRaw`DELETE FROM chat_inbound_event WHERE platform = ${platform}::chat_platform AND event_id = ${eventId.slice(0, 128)}`;
}

/** The claim store a router is given: `seen` claims (true = someone had it already), `forget` releases. */
export interface InboundClaims {
  seen(eventId: string): Promise<boolean>;
  forget?(eventId: string): Promise<void>;
}

export type Once<T> = { duplicate: true } | { duplicate: false; result: T };

/**
 * Acts on an inbound event at most once: claims `eventId`, runs `handle`, and releases the claim
 * when `handle` throws (the error is rethrown for the router to answer "try again").
 */
export async function handleOnce<T>(claims: InboundClaims, eventId: string, handle: () => Promise<T>): Promise<Once<T>> {
  if (await claims.seen(eventId)) return { duplicate: true };
  try {
    return { duplicate: false, result: await handle() };
  } catch (e) {
    // If the release itself fails the id stays claimed until retention drops it: a lost answer, never a double action.
    await claims.forget?.(eventId).catch(() => undefined);
    throw e;
  }
}

/** Freshness of a callback's time (ms since epoch): refused when older than `windowMs` or that far ahead. */
export function isFresh(atMs: number, nowMs: number, windowMs: number): boolean {
  return Number.isFinite(atMs) && Math.abs(nowMs - atMs) <= windowMs;
}
