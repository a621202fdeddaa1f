// 通知计划: turn committed domain events into deliveries (who gets which card for which event),
// one per chat target, in one transaction with marking the events done — so each event is planned
// exactly once, whichever server process claims it. Each company's events are planned in a
// transaction set to that company (row-level security): the planner sees only that company's
// routes, people, orders and approvals. Other modules' data comes through their index.ts. The card
// itself is drawn by a renderer the caller passes in (the chat side owns the cards).
import type { Db } from '../../db/database.ts';
import { inCompany, type Tx } from '../../db/transaction.ts';
import type { CardView, Platform } from '../../platform/channels.ts';
import type { Actor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { NOTICE_TOPICS } from '../../../shared/enums.ts';
import type { ApprovalDetail } from '../../../shared/schemas/approvals.ts';
import { loadApprovalDetail } from '../approvals/index.ts';
import { chatIdentitiesOf, type ChatIdentity } from '../auth/index.ts';
import { usersNamedIn } from '../org/index.ts';
import { orderParties } from '../sales/index.ts';
import {
  parseBossDailyPayload, parseCustomerStatementPayload, parseFollowUpDuePayload, parseExpensePaidPayload, parseOverdueDigestPayload, parseInspectionDuePayload, parseMrpCompletedPayload, parseOrderProgressPayload, parseProductionShortagePayload, parseShortagePayload,
  type BossDailyPayload, type CustomerStatementPayload, type FollowUpDuePayload, type ExpensePaidPayload, type OverdueDigestPayload, type InspectionDuePayload, type MrpCompletedPayload, type OrderProgressPayload, type ProductionShortagePayload, type ShortagePayload,
} from './payloads.ts';

export const APPROVAL_EVENTS = ['approval.requested', 'approval.changed', 'approval.decided', 'approval.reminder'] as const;
/** Events that go to one person (no route): the applicant of a paid expense claim. */
export const PERSONAL_EVENTS = ['expenseClaim.paid', 'finance.bossDaily', 'receivables.overdueDigest', 'crm.followUpDue'] as const;
/** Events without a topic of their own that join a topic's card: production shortages join the purchasing group's shortage digest. */
export const JOINING_EVENTS = ['production.shortage'] as const;
/** Events for the chat groups routed to one customer (notification_route.customer_id), whatever the route's topic. */
export const CUSTOMER_GROUP_EVENTS = ['receivables.statement'] as const;
/** Events that wait out the debounce, so a burst lands in one digest card. */
const DEBOUNCED_EVENTS: string[] = ['stock.shortage', 'production.shortage'];
/** Events for the people who hold the permission to act on them (no route): 待检 to the inspectors. */
export const INSPECTOR_EVENTS = ['quality.inspectionDue'] as const;
/** Order steps the order's salesperson is always told of, route or not. */
const OWNER_MUST_KNOW = new Set(['reservationCut']);

/** What a notice is about; the renderer turns it into a card. */
export type NoticeSubject =
  /** items below safety stock, and production tasks that went short (`tasks`, possibly empty) */
  | { kind: 'shortage'; payloads: ShortagePayload[]; tasks?: ProductionShortagePayload[] }
  | { kind: 'orderProgress'; payload: OrderProgressPayload }
  | { kind: 'expensePaid'; payload: ExpensePaidPayload }
  | { kind: 'bossDaily'; payload: BossDailyPayload }
  | { kind: 'overdueDigest'; payload: OverdueDigestPayload }
  | { kind: 'followUpDue'; payload: FollowUpDuePayload }
  | { kind: 'mrpCompleted'; payload: MrpCompletedPayload }
  | { kind: 'inspectionDue'; payload: InspectionDuePayload }
  | { kind: 'customerStatement'; payload: CustomerStatementPayload }
  /** actionable false: a copy whose recipient has nothing (more) to decide; reminder: 催办 */
  | { kind: 'approval'; approval: ApprovalDetail; actionable?: boolean; reminder?: boolean };

export interface RenderedNotice {
  card: CardView;
  text: string;
}

export type NoticeRenderer = (subject: NoticeSubject, opts: { baseUrl?: string }) => RenderedNotice;

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
  render: NoticeRenderer;
  limit?: number;
  /** shortage events younger than this wait, so a burst lands in one digest */
  debounceMs?: number;
  publicBaseUrl?: string;
  /** plan only for these platforms (the ones switched on); a route to a platform that is off gets nothing, rather than a pile of stale notices later */
  platforms?: readonly Platform[];
  /** a company's planning failed (its events are then planned one by one; the failing one waits and is retried) */
  onError?: (err: unknown, companyId: string) => void;
}

/** The app role (row-level security) plans; the system role only finds which companies have due events. */
export interface PlannerDb {
  app: Db;
  system: Db;
}

interface EventRow {
  id: bigint;
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

interface Planning {
  tx: Tx;
  db: Db;
  companyId: string;
  opts: PlanOptions;
}

const EVENT_TYPES: readonly string[] = [...NOTICE_TOPICS, ...JOINING_EVENTS, ...APPROVAL_EVENTS, ...PERSONAL_EVENTS, ...INSPECTOR_EVENTS, ...CUSTOMER_GROUP_EVENTS];

/** Claims due notice events (SKIP LOCKED), writes their deliveries, marks them delivered. Returns how many events. */
export async function planNotices(db: PlannerDb, opts: PlanOptions): Promise<number> {
  const limit = opts.limit ?? 500;
  const debounce = opts.debounceMs ?? 2000;
  // The one cross-company read: which companies have due events (the outbox's own columns, nothing else).
  const companies = await db.system.$queryRaw<{ company_id: string }[]>`
    SELECT company_id::text FROM outbox_event
     WHERE status = 'pending' AND available_at <= now() AND type = ANY(${EVENT_TYPES}::text[])
       AND (type <> ALL(${DEBOUNCED_EVENTS}::text[]) OR created_at <= now() - (${debounce} * interval '1 millisecond'))
     GROUP BY company_id ORDER BY min(id)`;
  let planned = 0;
  for (const { company_id: companyId } of companies) {
    if (planned >= limit) break;
    try {
      planned += await inCompany(db.app, companyId, (tx) => planCompany({ tx, db: db.app, companyId, opts }, limit - planned, debounce), { timeoutMs: 60_000 });
    } catch (err) {
      // One company's bad event must not hold back the others, nor its own later events: plan it
      // event by event, setting aside (with back-off) the ones that fail.
      opts.onError?.(err, companyId);
      planned += await planOneByOne(db, companyId, opts, limit - planned, debounce);
    }
  }
  return planned;
}

/** After a failed round: one event per transaction; a failing event is retried later and given up after MAX_PLAN_ATTEMPTS. */
async function planOneByOne(db: PlannerDb, companyId: string, opts: PlanOptions, limit: number, debounce: number): Promise<number> {
  let planned = 0;
  while (planned < limit) {
    try {
      const n = await inCompany(db.app, companyId, (tx) => planCompany({ tx, db: db.app, companyId, opts }, 1, debounce), { timeoutMs: 60_000 });
      if (!n) break;
      planned += n;
    } catch (err) {
      opts.onError?.(err, companyId);
      const setAside = await inCompany(db.app, companyId, (tx) => setAsideOldestDue(tx, err, debounce));
      if (!setAside) break;
    }
  }
  return planned;
}

const MAX_PLAN_ATTEMPTS = 10;

/** The event a one-event round failed on is the company's oldest due one: back off (2^n s, at most an hour), or give up. */
async function setAsideOldestDue(tx: Tx, err: unknown, debounce: number): Promise<boolean> {
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    UPDATE outbox_event SET attempts = attempts + 1, last_error = ${message},
           status = CASE WHEN attempts + 1 >= ${MAX_PLAN_ATTEMPTS} THEN 'dead'::outbox_status ELSE status END,
           available_at = now() + least(power(2, attempts + 1), 3600) * interval '1 second'
     WHERE id = (SELECT id FROM outbox_event
                  WHERE status = 'pending' AND available_at <= now() AND type = ANY(${EVENT_TYPES}::text[])
                    AND (type <> ALL(${DEBOUNCED_EVENTS}::text[]) OR created_at <= now() - (${debounce} * interval '1 millisecond'))
                  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.length > 0;
}

async function planCompany(p: Planning, limit: number, debounce: number): Promise<number> {
  const { tx, companyId, opts } = p;
  const events = await tx.$queryRaw<EventRow[]>`
    SELECT id, type, aggregate_id, payload FROM outbox_event
     WHERE status = 'pending' AND available_at <= now() AND type = ANY(${EVENT_TYPES}::text[])
       AND (type <> ALL(${DEBOUNCED_EVENTS}::text[]) OR created_at <= now() - (${debounce} * interval '1 millisecond'))
     ORDER BY id LIMIT ${limit}
     FOR UPDATE SKIP LOCKED`;
  if (!events.length) return 0;
  const routes = await tx.$queryRaw<RouteRow[]>`
    SELECT id::text, topic, platform::text AS platform, target_kind, target_id, customer_id::text, to_owner
      FROM notification_route WHERE active
       AND (${opts.platforms ?? null}::text[] IS NULL OR platform::text = ANY(${opts.platforms ?? null}::text[]))`;
  const planned = [
    ...planShortages(p, events.filter((e) => e.type === 'stock.shortage' || e.type === 'production.shortage'), routes),
    ...(await planProgress(p, events.filter((e) => e.type === 'order.progress'), routes)),
    ...(await planApprovalNotices(p, events.filter((e) => e.type.startsWith('approval.')))),
    ...(await planExpensePaid(p, events.filter((e) => e.type === 'expenseClaim.paid'))),
    ...(await planBossDaily(p, events.filter((e) => e.type === 'finance.bossDaily'))),
    ...(await planOverdueDigest(p, events.filter((e) => e.type === 'receivables.overdueDigest'))),
    ...(await planFollowUpDue(p, events.filter((e) => e.type === 'crm.followUpDue'))),
    ...planMrpCompleted(p, events.filter((e) => e.type === 'mrp.completed'), routes),
    ...(await planInspectionDue(p, events.filter((e) => e.type === 'quality.inspectionDue'))),
    ...planCustomerStatements(p, events.filter((e) => e.type === 'receivables.statement'), routes),
  ];
  for (const d of planned) {
    await tx.$executeRaw`
      INSERT INTO notice_delivery (company_id, event_id, platform, target_kind, target_id, card, text, idempotency_key, approval_id, task_id, updates_card_id)
      VALUES (${companyId}::uuid, ${d.eventId}, ${d.platform}::chat_platform, ${d.targetKind}, ${d.targetId},
              ${JSON.stringify(d.card)}::jsonb, ${d.text}, ${d.idempotencyKey}, ${d.approvalId ?? null}::uuid, ${d.taskId ?? null}::uuid, ${d.updatesCardId ?? null}::uuid)
      ON CONFLICT (company_id, idempotency_key) DO NOTHING`;
  }
  await tx.$executeRaw`
    UPDATE outbox_event SET status = 'delivered', delivered_at = now(), attempts = attempts + 1
     WHERE id = ANY(${events.map((e) => e.id)}::bigint[])`;
  return events.length;
}

const on = (opts: PlanOptions, platform: Platform) => !opts.platforms || opts.platforms.includes(platform);

/** 缺料预警: the items below safety stock and the production tasks that went short, one digest card per route of the topic. */
function planShortages({ companyId, opts }: Planning, events: EventRow[], routes: RouteRow[]): PlannedDelivery[] {
  if (!events.length) return [];
  const payloads = events.filter((e) => e.type === 'stock.shortage').map((e) => parseShortagePayload(e.payload)).filter((p): p is ShortagePayload => p !== null);
  const tasks = events.filter((e) => e.type === 'production.shortage').map((e) => parseProductionShortagePayload(e.payload)).filter((p): p is ProductionShortagePayload => p !== null);
  if (!payloads.length && !tasks.length) return [];
  const { card, text } = opts.render({ kind: 'shortage', payloads, tasks }, { baseUrl: opts.publicBaseUrl });
  const key = events.length === 1 ? `shortage:${events[0]!.id}` : `shortage-digest:${events[0]!.id}-${events.at(-1)!.id}`;
  return routes
    .filter((r) => r.topic === 'stock.shortage')
    .map((r) => ({
      companyId, eventId: events[0]!.id, platform: r.platform, targetKind: r.target_kind, targetId: r.target_id,
      card, text, idempotencyKey: `${key}:${r.id}`,
    }));
}

async function planProgress({ tx, companyId, opts }: Planning, events: EventRow[], routes: RouteRow[]): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const p = parseOrderProgressPayload(e.payload);
    if (!p || p.orderType !== 'salesOrder') continue;
    const order = await orderParties(tx, p.orderId);
    if (!order) continue;
    const { card, text } = opts.render({ kind: 'orderProgress', payload: p }, { baseUrl: opts.publicBaseUrl });
    const toldOwnerOn = new Set<string>();
    for (const r of routes.filter((r) => r.topic === 'order.progress' && (!r.customer_id || r.customer_id === order.customerId))) {
      out.push({ companyId, eventId: e.id, platform: r.platform, targetKind: r.target_kind, targetId: r.target_id, card, text, idempotencyKey: `progress:${e.id}:${r.id}` });
      if (r.to_owner) {
        const who = (await chatIdentitiesOf(tx, order.ownerId)).find((i) => i.platform === r.platform);
        if (who && !toldOwnerOn.has(r.platform)) {
          toldOwnerOn.add(r.platform);
          out.push({ companyId, eventId: e.id, platform: r.platform, targetKind: 'user', targetId: who.externalUserId, card, text, idempotencyKey: `progress:${e.id}:${r.id}:owner` });
        }
      }
    }
    // Stock the salesperson counted on is gone (a count or loss cut the order's reservation): when no
    // route told them already, they hear of it directly on each platform they are bound to.
    if (OWNER_MUST_KNOW.has(p.kind) && toldOwnerOn.size === 0) {
      for (const who of await identitiesOn(tx, order.ownerId, opts)) {
        out.push({ companyId, eventId: e.id, platform: who.platform, targetKind: 'user', targetId: who.externalUserId, card, text, idempotencyKey: `progress:${e.id}:owner:${who.platform}` });
      }
    }
  }
  return out;
}

/** 对账单: the card goes to every group routed to the customer (its 订单群), once per route. */
function planCustomerStatements({ companyId, opts }: Planning, events: EventRow[], routes: RouteRow[]): PlannedDelivery[] {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const payload = parseCustomerStatementPayload(e.payload);
    if (!payload) continue;
    const { card, text } = opts.render({ kind: 'customerStatement', payload }, { baseUrl: opts.publicBaseUrl });
    for (const r of routes.filter((r) => r.customer_id === payload.customerId)) {
      out.push({ companyId, eventId: e.id, platform: r.platform, targetKind: r.target_kind, targetId: r.target_id, card, text, idempotencyKey: `statement:${e.id}:${r.id}` });
    }
  }
  return out;
}

/** 物料需求计算完成: one summary card per run to each route of the topic (the planner group). */
function planMrpCompleted({ companyId, opts }: Planning, events: EventRow[], routes: RouteRow[]): PlannedDelivery[] {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const payload = parseMrpCompletedPayload(e.payload);
    if (!payload) continue;
    const { card, text } = opts.render({ kind: 'mrpCompleted', payload }, { baseUrl: opts.publicBaseUrl });
    for (const r of routes.filter((r) => r.topic === 'mrp.completed')) {
      out.push({ companyId, eventId: e.id, platform: r.platform, targetKind: r.target_kind, targetId: r.target_id, card, text, idempotencyKey: `mrp:${e.id}:${r.id}` });
    }
  }
  return out;
}

/**
 * 待检: each user whose role names qualityInspection:record (the 质检员) gets the card, on each
 * switched-on platform they are bound to. Who they are is read when the event is planned, so a
 * newly hired inspector gets the next one.
 */
async function planInspectionDue({ tx, companyId, opts }: Planning, events: EventRow[]): Promise<PlannedDelivery[]> {
  if (!events.length) return [];
  const inspectors = await usersNamedIn(tx, 'qualityInspection:record');
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const payload = parseInspectionDuePayload(e.payload);
    if (!payload) continue;
    const { card, text } = opts.render({ kind: 'inspectionDue', payload }, { baseUrl: opts.publicBaseUrl });
    for (const userId of inspectors) {
      for (const who of await identitiesOn(tx, userId, opts)) {
        out.push({
          companyId, eventId: e.id, platform: who.platform, targetKind: 'user', targetId: who.externalUserId,
          card, text, idempotencyKey: `inspection:${e.id}:${userId}:${who.platform}`,
        });
      }
    }
  }
  return out;
}

/** 报销已付款: a personal notice to the applicant, on each switched-on platform they are bound to. */
async function planExpensePaid({ tx, companyId, opts }: Planning, events: EventRow[]): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const p = parseExpensePaidPayload(e.payload);
    if (!p) continue;
    const { card, text } = opts.render({ kind: 'expensePaid', payload: p }, { baseUrl: opts.publicBaseUrl });
    for (const who of await identitiesOn(tx, p.applicantId, opts)) {
      out.push({
        companyId, eventId: e.id, platform: who.platform, targetKind: 'user', targetId: who.externalUserId,
        card, text, idempotencyKey: `expense-paid:${e.id}:${who.platform}`,
      });
    }
  }
  return out;
}

/** 老板日报: each boss named in the event gets the day's card on every platform they use. */
async function planBossDaily({ tx, companyId, opts }: Planning, events: EventRow[]): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const p = parseBossDailyPayload(e.payload);
    if (!p) continue;
    const { card, text } = opts.render({ kind: 'bossDaily', payload: p }, { baseUrl: opts.publicBaseUrl });
    for (const userId of p.userIds) {
      for (const who of await identitiesOn(tx, userId, opts)) {
        out.push({
          companyId, eventId: e.id, platform: who.platform, targetKind: 'user', targetId: who.externalUserId,
          card, text, idempotencyKey: `boss-daily:${p.date}:${userId}:${who.platform}`,
        });
      }
    }
  }
  return out;
}

/** 逾期应收周提醒: the salesperson named in the event gets the week's digest on every platform they use. */
async function planOverdueDigest({ tx, companyId, opts }: Planning, events: EventRow[]): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const p = parseOverdueDigestPayload(e.payload);
    if (!p) continue;
    const { card, text } = opts.render({ kind: 'overdueDigest', payload: p }, { baseUrl: opts.publicBaseUrl });
    for (const who of await identitiesOn(tx, p.userId, opts)) {
      out.push({
        companyId, eventId: e.id, platform: who.platform, targetKind: 'user', targetId: who.externalUserId,
        card, text, idempotencyKey: `overdue-digest:${p.week}:${p.userId}:${who.platform}`,
      });
    }
  }
  return out;
}

/** 跟进提醒: the salesperson who wrote the follow-up, on every platform they use, once per follow-up and day. */
async function planFollowUpDue({ tx, companyId, opts }: Planning, events: EventRow[]): Promise<PlannedDelivery[]> {
  const out: PlannedDelivery[] = [];
  for (const e of events) {
    const p = parseFollowUpDuePayload(e.payload);
    if (!p) continue;
    const { card, text } = opts.render({ kind: 'followUpDue', payload: p }, { baseUrl: opts.publicBaseUrl });
    for (const who of await identitiesOn(tx, p.userId, opts)) {
      out.push({
        companyId, eventId: e.id, platform: who.platform, targetKind: 'user', targetId: who.externalUserId,
        card, text, idempotencyKey: `follow-up-due:${p.date}:${p.followUpId}:${who.platform}`,
      });
    }
  }
  return out;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * 审批卡片: a new approver (requested, transfer, 加签, escalation, reminder) gets the card on every
 * platform that is on and they are bound to; every other change re-renders every copy already sent
 * (approval_card); the end also notifies the applicant.
 */
async function planApprovalNotices(p: Planning, events: EventRow[]): Promise<PlannedDelivery[]> {
  const { tx, companyId, opts } = p;
  const out: PlannedDelivery[] = [];
  const render = (subject: NoticeSubject) => opts.render(subject, { baseUrl: opts.publicBaseUrl });
  for (const e of events) {
    const payload = (e.payload ?? {}) as Record<string, unknown>;
    const approvalId = typeof payload.approvalId === 'string' ? payload.approvalId : e.aggregate_id;
    if (!approvalId) continue;
    const detail = await approvalForCard(p, approvalId);
    if (!detail) continue;
    const current = render({ kind: 'approval', approval: detail });
    const base = { companyId, eventId: e.id, approvalId, ...current };

    // New approvers (or a reminder): a copy of the card each, on each platform they use.
    const taskIds = strings(payload.taskIds);
    const approverIds = strings(payload.approverIds);
    if (detail.state === 'pending' && approverIds.length && e.type !== 'approval.decided') {
      const sent = e.type === 'approval.reminder' ? render({ kind: 'approval', approval: detail, reminder: true }) : current;
      for (const [i, userId] of approverIds.entries()) {
        for (const who of await identitiesOn(tx, userId, opts)) {
          out.push({
            ...base, ...sent, platform: who.platform, targetKind: 'user', targetId: who.externalUserId,
            taskId: taskIds[i] ?? null, idempotencyKey: `approval:${e.id}:${userId}:${who.platform}`,
          });
        }
      }
    }
    // Everything already sent shows the truth now (who decided, when; no buttons once ended).
    if (e.type !== 'approval.requested' || detail.state !== 'pending') {
      const copies = await tx.$queryRaw<{ id: string; platform: Platform; target_id: string; task_id: string | null }[]>`
        SELECT id::text, platform::text AS platform, target_id, task_id::text FROM approval_card
         WHERE approval_id = ${approvalId}::uuid ORDER BY created_at`;
      const taskState = new Map(detail.steps.flatMap((s) => s.tasks.map((t) => [t.id, t.state as string])));
      // Someone who has decided (or handed the task on) keeps a copy without buttons.
      const settled = render({ kind: 'approval', approval: detail, actionable: false });
      for (const c of copies) {
        if (!on(opts, c.platform)) continue;
        const copy = c.task_id && taskState.get(c.task_id) === 'pending' ? current : settled;
        out.push({ ...base, ...copy, platform: c.platform, targetKind: 'user', targetId: c.target_id, updatesCardId: c.id, idempotencyKey: `approval-update:${e.id}:${c.id}` });
      }
    }
    // The applicant hears how it ended.
    if (e.type === 'approval.decided' && detail.state !== 'withdrawn') {
      for (const who of await identitiesOn(tx, detail.applicant.id, opts)) {
        out.push({ ...base, platform: who.platform, targetKind: 'user', targetId: who.externalUserId, approvalId: null, idempotencyKey: `approval-result:${e.id}:${who.platform}` });
      }
    }
  }
  return out;
}

/** Reads any approval of the company (the planner acts for the company, not for a user). */
function plannerActor(companyId: string): Actor {
  return { userId: '00000000-0000-0000-0000-000000000000', companyId, username: 'system', name: '系统', departmentId: null, permissions: new Set(['approval:read']), dataScope: 'all', departmentIds: [] };
}

/** The approval as the card shows it; null when it is gone (or not this company's). */
async function approvalForCard({ tx, db, companyId }: Planning, approvalId: string): Promise<ApprovalDetail | null> {
  try {
    return await loadApprovalDetail(tx, { db, actor: plannerActor(companyId) }, approvalId);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

/** The user's chat identities on the platforms that are on. */
async function identitiesOn(tx: Tx, userId: string, opts: PlanOptions): Promise<ChatIdentity[]> {
  return (await chatIdentitiesOf(tx, userId)).filter((i) => on(opts, i.platform));
}
