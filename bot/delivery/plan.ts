// 通知计划: turn committed domain events into deliveries, one per chat target, in one transaction
// with marking the events done — so each event is planned exactly once, whichever server process
// claims it. Shortages claimed together become one digest card per target.
import type { Db } from '../../server/db/database.ts';
import type { Prisma } from '../../server/generated/prisma/client.ts';
import { orderProgressCard } from '../cards/order-progress.ts';
import { expensePaidCard } from '../cards/expense-paid.ts';
import { parseExpensePaidPayload, parseOrderProgressPayload, parseShortagePayload, type ShortagePayload } from '../../server/modules/notices/payloads.ts';
import { shortageCard, shortageDigestCard } from '../cards/shortage.ts';
import { cardToText } from '../cards/text.ts';
import type { CardView, Platform } from '../../server/platform/channels.ts';
import { NOTICE_TOPICS } from '../../shared/enums.ts';
import { APPROVAL_EVENTS, planApprovalNotices } from '../approvals/plan.ts';

/** Events that go to one person (no route): the applicant of a paid expense claim. */
export const PERSONAL_EVENTS = ['expenseClaim.paid'] as const;
/** Order steps the order's salesperson is always told of, route or not. */
const OWNER_MUST_KNOW = new Set(['reservationCut']);

interface EventRow {
  id: bigint;
  company_id: string;
  type: string;
  aggregate_id: string | null;
  payload: unknown;
}

interface RouteRow {
  id: string;
  topic: string;
  platform: Platform;
  target_kind: string;
  target_id: string;
  customer_id: string | null;
  to_owner: boolean;
}

export interface PlannedDelivery {
  companyId: string;
  eventId: bigint | null;
  platform: Platform;
  targetKind: string;
  targetId: string;
  card: CardView;
  text: string;
  idempotencyKey: string;
  /** approval cards: the copy is recorded when sent (approvalId), or this delivery updates a copy */
  approvalId?: string | null;
  taskId?: string | null;
  updatesCardId?: string | null;
}

export interface PlanOptions {
  limit?: number;
  /** shortage events younger than this wait, so a burst lands in one digest */
  debounceMs?: number;
  publicBaseUrl?: string;
  /** plan only for these platforms (the ones switched on); a route to a platform that is off gets nothing, rather than a pile of stale notices later */
  platforms?: readonly Platform[];
}

/** Claims due notice events (SKIP LOCKED), writes their deliveries, marks them delivered. Returns how many events. */
export async function planDeliveries(system: Db, opts: PlanOptions = {}): Promise<number> {
  const limit = opts.limit ?? 500;
  const debounce = opts.debounceMs ?? 2000;
  return system.$transaction(async (tx) => {
    const events = await tx.$queryRaw<EventRow[]>`
      SELECT id, company_id::text, type, aggregate_id, payload FROM outbox_event
       WHERE status = 'pending' AND available_at <= now() AND type = ANY(${[...NOTICE_TOPICS, ...APPROVAL_EVENTS, ...PERSONAL_EVENTS]}::text[])
         AND (type <> 'stock.shortage' OR created_at <= now() - (${debounce} * interval '1 millisecond'))
       ORDER BY id LIMIT ${limit}
       FOR UPDATE SKIP LOCKED`;
    if (!events.length) return 0;
    const planned: PlannedDelivery[] = [];
    for (const [companyId, list] of groupBy(events, (e) => e.company_id)) {
      const routes = await tx.$queryRaw<RouteRow[]>`
        SELECT id::text, topic, platform::text AS platform, target_kind, target_id, customer_id::text, to_owner
          FROM notification_route WHERE company_id = ${companyId}::uuid AND active
           AND (${opts.platforms ?? null}::text[] IS NULL OR platform::text = ANY(${opts.platforms ?? null}::text[]))`;
      planned.push(...(await planShortages(tx, companyId, list.filter((e) => e.type === 'stock.shortage'), routes, opts)));
      planned.push(...(await planProgress(tx, companyId, list.filter((e) => e.type === 'order.progress'), routes, opts)));
      planned.push(...(await planApprovalNotices(tx, system, companyId, list.filter((e) => e.type.startsWith('approval.')), opts)));
      planned.push(...(await planExpensePaid(tx, companyId, list.filter((e) => e.type === 'expenseClaim.paid'), opts)));
    }
    for (const d of planned) {
      await tx.$executeRaw`
        INSERT INTO notice_delivery (company_id, event_id, platform, target_kind, target_id, card, text, idempotency_key, approval_id, task_id, updates_card_id)
        VALUES (${d.companyId}::uuid, ${d.eventId}, ${d.platform}::chat_platform, ${d.targetKind}, ${d.targetId},
                ${JSON.stringify(d.card)}::jsonb, ${d.text}, ${d.idempotencyKey}, ${d.approvalId ?? null}::uuid, ${d.taskId ?? null}::uuid, ${d.updatesCardId ?? null}::uuid)
        ON CONFLICT (company_id, idempotency_key) DO NOTHING`;
    }
    await tx.$executeRaw`
      UPDATE outbox_event SET status = 'delivered', delivered_at = now(), attempts = attempts + 1
       WHERE id = ANY(${events.map((e) => e.id)}::bigint[])`;
    return events.length;
  }, { timeout: 60_000 });
}

function groupBy<T, K>(xs: T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

async function planShortages(_tx: Prisma.TransactionClient, companyId: string, events: EventRow[], routes: RouteRow[], opts: PlanOptions): Promise<PlannedDelivery[]> {
  if (!events.length) return [];
  const payloads = events.map((e) => parseShortagePayload(e.payload)).filter((p): p is ShortagePayload => p !== null);
  if (!payloads.length) return [];
  const card = payloads.length === 1 ? shortageCard(payloads[0]!, { baseUrl: opts.publicBaseUrl }) : shortageDigestCard(payloads, { baseUrl: opts.publicBaseUrl });
  const key = events.length === 1 ? `shortage:${events[0]!.id}` : `shortage-digest:${events[0]!.id}-${events.at(-1)!.id}`;
  return routes
    .filter((r) => r.topic === 'stock.shortage')
    .map((r) => ({
      companyId, eventId: events[0]!.id, platform: r.platform, targetKind: r.target_kind, targetId: r.target_id,
      card, text: cardToText(card), idempotencyKey: `${key}:${r.id}`,
    }));
}

async function planProgress(tx: Prisma.TransactionClient, companyId: string, events: EventRow[], routes: RouteRow[], opts: PlanOptions): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const p = parseOrderProgressPayload(e.payload);
    if (!p || p.orderType !== 'salesOrder') continue;
    const [order] = await tx.$queryRaw<{ customer_id: string; owner_id: string }[]>`
      SELECT customer_id::text, owner_id::text FROM sales_order WHERE id = ${p.orderId}::uuid`;
    if (!order) continue;
    const card = orderProgressCard(p, { baseUrl: opts.publicBaseUrl });
    const toldOwnerOn = new Set<string>();
    for (const r of routes.filter((r) => r.topic === 'order.progress' && (!r.customer_id || r.customer_id === order.customer_id))) {
      out.push({ companyId, eventId: e.id, platform: r.platform, targetKind: r.target_kind, targetId: r.target_id, card, text: cardToText(card), idempotencyKey: `progress:${e.id}:${r.id}` });
      if (r.to_owner) {
        const [who] = await tx.$queryRaw<{ external_user_id: string }[]>`
          SELECT external_user_id FROM platform_identity WHERE user_id = ${order.owner_id}::uuid AND platform = ${r.platform}::chat_platform`;
        if (who && !toldOwnerOn.has(r.platform)) {
          toldOwnerOn.add(r.platform);
          out.push({ companyId, eventId: e.id, platform: r.platform, targetKind: 'user', targetId: who.external_user_id, card, text: cardToText(card), idempotencyKey: `progress:${e.id}:${r.id}:owner` });
        }
      }
    }
    // Stock the salesperson counted on is gone (a count or loss cut the order's reservation): when no
    // route told them already, they hear of it directly on each platform they are bound to.
    if (OWNER_MUST_KNOW.has(p.kind) && toldOwnerOn.size === 0) {
      const identities = await tx.$queryRaw<{ platform: Platform; external_user_id: string }[]>`
        SELECT platform::text AS platform, external_user_id FROM platform_identity WHERE user_id = ${order.owner_id}::uuid ORDER BY platform`;
      for (const who of identities) {
        if (opts.platforms && !opts.platforms.includes(who.platform)) continue;
        out.push({ companyId, eventId: e.id, platform: who.platform, targetKind: 'user', targetId: who.external_user_id, card, text: cardToText(card), idempotencyKey: `progress:${e.id}:owner:${who.platform}` });
      }
    }
  }
  return out;
}

/** 报销已付款: a personal notice to the applicant, on each switched-on platform they are bound to. */
async function planExpensePaid(tx: Prisma.TransactionClient, companyId: string, events: EventRow[], opts: PlanOptions): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const p = parseExpensePaidPayload(e.payload);
    if (!p) continue;
    const card = expensePaidCard(p, { baseUrl: opts.publicBaseUrl });
    const identities = await tx.$queryRaw<{ platform: Platform; external_user_id: string }[]>`
      SELECT platform::text AS platform, external_user_id FROM platform_identity WHERE user_id = ${p.applicantId}::uuid ORDER BY platform`;
    for (const who of identities) {
      if (opts.platforms && !opts.platforms.includes(who.platform)) continue;
      out.push({
        companyId, eventId: e.id, platform: who.platform, targetKind: 'user', targetId: who.external_user_id,
        card, text: cardToText(card), idempotencyKey: `expense-paid:${e.id}:${who.platform}`,
      });
    }
  }
  return out;
}
