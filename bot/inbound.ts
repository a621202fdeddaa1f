// Platforms redeliver events and messages (retries, timeouts): the first sight of an id wins.
import type { Db } from '../server/db/database.ts';
import type { Platform } from './types.ts';

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
