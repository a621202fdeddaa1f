// 通知投递: send due deliveries through the platform adapters. Claimed with FOR UPDATE SKIP
// LOCKED and a lease (several server processes share the work); per-target rate limits (a group
// robot takes 20 a minute) postpone instead of bursting; failures back off exponentially with
// jitter and give up after MAX_ATTEMPTS (status failed: listed for admins, re-sendable).
// Cross-company by nature (the system role): one queue per platform app, whose rate limits count
// every company's sends; it touches only the notices module's own tables (notice_delivery,
// approval_card), through the channel contract (server/platform/channels.ts).
import type { Db } from '../../db/database.ts';
import { ChannelError, type CardView, type ChannelAdapter, type ChatTarget, type Platform, type SentMessage } from '../../platform/channels.ts';

export const MAX_ATTEMPTS = 8;
/** sends per target per minute; WeCom/DingTalk group robots allow 20 */
export const PER_TARGET_PER_MINUTE = 20;
/** sends per target per minute where the platform allows more: Feishu 5 per second per chat, a WeCom member 30 per minute from one app */
const TARGET_LIMITS: Partial<Record<Platform, { user: number; group: number }>> = {
  lark: { user: 300, group: 300 },
  wecom: { user: 30, group: PER_TARGET_PER_MINUTE },
};
/** sends per minute for one platform in all, across processes (a queue, not a burst the platform would throttle) */
export const PER_PLATFORM_PER_MINUTE = 600;

export function perTargetLimit(platform: Platform, kind: string, targetId: string): number {
  if (targetId.startsWith('robot:')) return PER_TARGET_PER_MINUTE;
  return TARGET_LIMITS[platform]?.[kind === 'user' ? 'user' : 'group'] ?? PER_TARGET_PER_MINUTE;
}

interface DueDelivery {
  id: bigint;
  platform: Platform;
  target_kind: string;
  target_id: string;
  card: CardView | null;
  text: string | null;
  attempts: number;
  idempotency_key: string;
  company_id: string;
  approval_id: string | null;
  task_id: string | null;
  updates_card_id: string | null;
}

export interface SendOptions {
  worker: string;
  limit?: number;
  leaseMs?: number;
  /** base of the exponential back-off, ms */
  backoffMs?: number;
  /** the whole platform's budget per minute (default PER_PLATFORM_PER_MINUTE) */
  perPlatformPerMinute?: number;
  now?: () => number;
}

export function backoffDelay(attempts: number, baseMs: number, random = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
  return Math.round(exp / 2 + random() * (exp / 2)); // "equal jitter"
}

/** Sends what is due; returns counts. */
export async function sendDueDeliveries(system: Db, adapters: ReadonlyMap<Platform, ChannelAdapter>, opts: SendOptions): Promise<{ sent: number; retried: number; failed: number; postponed: number }> {
  const platforms = [...adapters.keys()];
  const result = { sent: 0, retried: 0, failed: 0, postponed: 0 };
  if (!platforms.length) return result;
  const due = await system.$queryRaw<DueDelivery[]>`
    UPDATE notice_delivery d SET claimed_by = ${opts.worker}, claimed_until = now() + (${opts.leaseMs ?? 60_000} * interval '1 millisecond'),
           attempts = d.attempts + 1
     WHERE d.id IN (
       SELECT id FROM notice_delivery
        WHERE status = 'pending' AND available_at <= now() AND platform::text = ANY(${platforms}::text[])
          AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY id LIMIT ${opts.limit ?? 100}
        FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.platform::text AS platform, d.target_kind, d.target_id, d.card, d.text, d.attempts, d.idempotency_key,
              d.company_id::text, d.approval_id::text, d.task_id::text, d.updates_card_id::text`;
  due.sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const d of due) {
    // Rate limits: count what went out in the last minute (across processes: it is in the table).
    const limit = perTargetLimit(d.platform, d.target_kind, d.target_id);
    const [counts] = await system.$queryRaw<{ to_target: number; on_platform: number }[]>`
      SELECT count(*) FILTER (WHERE target_id = ${d.target_id})::int AS to_target, count(*)::int AS on_platform FROM notice_delivery
       WHERE platform = ${d.platform}::chat_platform AND status = 'sent' AND sent_at > now() - interval '1 minute'`;
    if (counts!.to_target >= limit) {
      await system.$executeRaw`
        UPDATE notice_delivery SET attempts = attempts - 1, claimed_until = NULL,
               available_at = (SELECT min(sent_at) FROM (SELECT sent_at FROM notice_delivery
                                WHERE platform = ${d.platform}::chat_platform AND target_id = ${d.target_id} AND status = 'sent'
                                ORDER BY sent_at DESC LIMIT ${limit}) last) + interval '1 minute'
         WHERE id = ${d.id}`;
      result.postponed++;
      continue;
    }
    if (counts!.on_platform >= (opts.perPlatformPerMinute ?? PER_PLATFORM_PER_MINUTE)) {
      await system.$executeRaw`
        UPDATE notice_delivery SET attempts = attempts - 1, claimed_until = NULL, available_at = now() + interval '5 seconds' WHERE id = ${d.id}`;
      result.postponed++;
      continue;
    }
    const adapter = adapters.get(d.platform)!;
    const target = { platform: d.platform, kind: d.target_kind === 'user' ? ('user' as const) : ('group' as const), id: d.target_id };
    try {
      // Each adapter maps the key onto its platform's dedupe field (Feishu uuid, DingTalk outTrackId, WeCom task_id).
      const send = { idempotencyKey: d.idempotency_key };
      const sent = d.updates_card_id && d.card
        ? await updateApprovalCopy(system, adapter, d.updates_card_id, target, d.card, send)
        : d.card ? await adapter.sendCard(target, d.card, send) : await adapter.sendText(target, d.text ?? '', send);
      if (d.approval_id && !d.updates_card_id) {
        // A copy of an approval card: remembered so that every copy can be re-rendered after the decision.
        await system.$executeRaw`
          INSERT INTO approval_card (id, company_id, approval_id, task_id, platform, target_id, message_id, response_code)
          VALUES (gen_random_uuid(), ${d.company_id}::uuid, ${d.approval_id}::uuid, ${d.task_id}::uuid, ${d.platform}::chat_platform, ${d.target_id},
                  ${sent.messageId}, ${sent.responseCode ?? null})`;
      }
      await system.$executeRaw`
        UPDATE notice_delivery SET status = 'sent', sent_at = now(), message_id = ${sent.messageId}, response_code = ${sent.responseCode ?? null},
               claimed_until = NULL, last_error = NULL
         WHERE id = ${d.id} AND claimed_by = ${opts.worker}`;
      result.sent++;
    } catch (e) {
      const retryable = e instanceof ChannelError ? e.retryable : true;
      const giveUp = !retryable || d.attempts >= MAX_ATTEMPTS;
      const delay = backoffDelay(d.attempts, opts.backoffMs ?? 5_000);
      await system.$executeRaw`
        UPDATE notice_delivery SET last_error = ${String((e as Error).message).slice(0, 1000)}, claimed_until = NULL,
               status = ${giveUp ? 'failed' : 'pending'}::delivery_status,
               available_at = now() + (${delay} * interval '1 millisecond')
         WHERE id = ${d.id} AND claimed_by = ${opts.worker}`;
      if (giveUp) result.failed++;
      else result.retried++;
    }
  }
  return result;
}

/** WeCom's response_code is single use and expires after 72 h: past that, a new message replaces the update. */
const WECOM_RESPONSE_CODE_MS = 72 * 3600_000;

/**
 * Re-renders one recorded copy of an approval card; falls back to a new message (which becomes the
 * copy) where it cannot be updated: a WeCom copy whose response_code is spent or older than 72 h
 * (updated_at is when the unspent code was recorded), or any update the platform refuses for good
 * (a code used elsewhere, a card too old to edit, a message gone). Retryable failures are retried.
 */
async function updateApprovalCopy(system: Db, adapter: ChannelAdapter, copyId: string, target: ChatTarget, card: CardView, send: { idempotencyKey: string }): Promise<SentMessage> {
  const [copy] = await system.$queryRaw<{ message_id: string; response_code: string | null; response_code_spent: boolean; updated_at: Date }[]>`
    SELECT message_id, response_code, response_code_spent, updated_at FROM approval_card WHERE id = ${copyId}::uuid`;
  const wecomSpent = target.platform === 'wecom' && (!copy?.response_code || copy.response_code_spent || Date.now() - copy.updated_at.getTime() > WECOM_RESPONSE_CODE_MS);
  if (copy && !wecomSpent) {
    const sent: SentMessage = { platform: target.platform, target, messageId: copy.message_id, responseCode: copy.response_code ?? undefined };
    try {
      await adapter.updateCard(sent, card);
      await system.$executeRaw`UPDATE approval_card SET response_code_spent = ${target.platform === 'wecom'}, updated_at = now() WHERE id = ${copyId}::uuid`;
      return sent;
    } catch (e) {
      if (!(e instanceof ChannelError) || e.retryable) throw e;
    }
  }
  const sent = await adapter.sendCard(target, card, send);
  await system.$executeRaw`
    UPDATE approval_card SET message_id = ${sent.messageId}, response_code = ${sent.responseCode ?? null}, response_code_spent = false, updated_at = now()
     WHERE id = ${copyId}::uuid`;
  return sent;
}
