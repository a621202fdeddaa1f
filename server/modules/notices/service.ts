// 通知路由 (which chat gets which notice) and 通知投递 (each notice's fate: sent, retrying,
// failed and re-sendable). Use cases, each one transaction, scoped to the company.
import type { Tx } from '../../db/transaction.ts';
import type { NotificationRoute as RouteRow, NoticeDelivery as DeliveryRow } from '../../generated/prisma/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { CHAT_PLATFORM_LABELS, DELIVERY_STATUS_LABELS, NOTICE_TOPIC_LABELS, type NoticeTopic } from '../../../shared/enums.ts';
import type {
  NoticeDelivery, NoticeDeliveryListQuery, NotificationRoute, NotificationRouteCreate, NotificationRouteListQuery, NotificationRouteUpdate,
} from '../../../shared/schemas/notices.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { recordAudit, recordChange } from '../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';

type CustomerRef = { id: string; code: string; name: string };

function toRouteDto(r: RouteRow, customer: CustomerRef | null): NotificationRoute {
  return {
    id: r.id,
    topic: r.topic as NoticeTopic,
    topicLabel: NOTICE_TOPIC_LABELS[r.topic as NoticeTopic] ?? r.topic,
    platform: r.platform,
    platformLabel: CHAT_PLATFORM_LABELS[r.platform],
    targetKind: r.targetKind === 'user' ? 'user' : 'group',
    targetId: r.targetId,
    customer,
    toOwner: r.toOwner,
    name: r.name,
    active: r.active,
    createdAt: isoShanghai(r.createdAt),
    updatedAt: isoShanghai(r.updatedAt),
    version: r.version,
  };
}

async function customersOf(tx: Tx, ids: (string | null)[]): Promise<Map<string, CustomerRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await tx.customer.findMany({ where: { id: { in: wanted } }, select: { id: true, code: true, name: true } });
  return new Map(rows.map((c) => [c.id, c]));
}

/** A customer filter and "also the salesperson" only make sense for order progress. */
async function checkRoute(tx: Tx, route: { topic: NoticeTopic; customerId?: string | null; toOwner?: boolean; targetKind: string }): Promise<void> {
  if (route.topic !== 'order.progress') {
    if (route.customerId) throw invalid('body.customerId', '只有「订单进度」可以指定客户');
    if (route.toOwner) throw invalid('body.toOwner', '只有「订单进度」可以同时私信销售员');
  }
  if (route.customerId && !(await tx.customer.findUnique({ where: { id: route.customerId }, select: { id: true } }))) {
    throw invalid('body.customerId', '客户不存在');
  }
}

export async function listNotificationRoutes(ctx: UseCaseContext, query: NotificationRouteListQuery): Promise<Page<NotificationRoute>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.NotificationRouteWhereInput = {
      AND: [keywordWhere(query.q, ['name', 'targetId']), { topic: query.topic, platform: query.platform, customerId: query.customerId, active: query.active }],
    };
    const orderBy = orderByOf(query.sort, 'createdAt') as Prisma.NotificationRouteOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.notificationRoute.findMany({ where, orderBy, ...w }), () => tx.notificationRoute.count({ where }), (r) => r);
    const customers = await customersOf(tx, page.items.map((r) => r.customerId));
    return { ...page, items: page.items.map((r) => toRouteDto(r, r.customerId ? customers.get(r.customerId) ?? null : null)) };
  });
}

async function findRoute(tx: Tx, id: string): Promise<RouteRow> {
  const row = await tx.notificationRoute.findUnique({ where: { id } });
  if (!row) throw notFound('通知路由');
  return row;
}

async function routeDto(tx: Tx, row: RouteRow): Promise<NotificationRoute> {
  const customers = await customersOf(tx, [row.customerId]);
  return toRouteDto(row, row.customerId ? customers.get(row.customerId) ?? null : null);
}

export async function getNotificationRoute(ctx: UseCaseContext, id: string): Promise<NotificationRoute> {
  return runUseCase(ctx, async (tx) => routeDto(tx, await findRoute(tx, id)));
}

export async function createNotificationRoute(ctx: UseCaseContext, input: NotificationRouteCreate): Promise<NotificationRoute> {
  return runUseCase(ctx, async (tx) => {
    await checkRoute(tx, input);
    const row = await tx.notificationRoute.create({ data: { ...input, companyId: ctx.actor.companyId } });
    await recordChange(tx, ctx, { action: 'create', entity: 'notificationRoute', entityId: row.id, after: row, payload: { topic: row.topic, platform: row.platform, targetId: row.targetId } });
    return routeDto(tx, row);
  });
}

export async function updateNotificationRoute(ctx: UseCaseContext, id: string, input: NotificationRouteUpdate): Promise<NotificationRoute> {
  return runUseCase(ctx, async (tx) => {
    const before = await findRoute(tx, id);
    const { version, ...fields } = input;
    await checkRoute(tx, {
      topic: fields.topic ?? (before.topic as NoticeTopic),
      customerId: fields.customerId === undefined ? before.customerId : fields.customerId,
      toOwner: fields.toOwner ?? before.toOwner,
      targetKind: fields.targetKind ?? before.targetKind,
    });
    await updateVersioned(tx.notificationRoute, { where: { id }, version, data: fields, label: '通知路由' });
    const after = await findRoute(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'notificationRoute', entityId: id, before, after, payload: { topic: after.topic, platform: after.platform, targetId: after.targetId } });
    return routeDto(tx, after);
  });
}

export async function deleteNotificationRoute(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findRoute(tx, id);
    await tx.notificationRoute.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'notificationRoute', entityId: id, before, payload: { topic: before.topic, platform: before.platform, targetId: before.targetId } });
  });
}

/** The planner's keys start with the topic's short name (server/modules/notices/planning.ts). */
function topicOfKey(key: string): string | null {
  if (key.startsWith('shortage')) return 'stock.shortage';
  if (key.startsWith('progress')) return 'order.progress';
  if (key.startsWith('mrp')) return 'mrp.completed';
  if (key.startsWith('statement')) return 'receivables.statement';
  return null;
}

function toDeliveryDto(d: DeliveryRow): NoticeDelivery {
  const card = d.card as { title?: unknown } | null;
  return {
    id: d.id.toString(),
    topic: topicOfKey(d.idempotencyKey),
    platform: d.platform,
    platformLabel: CHAT_PLATFORM_LABELS[d.platform],
    targetKind: d.targetKind,
    targetId: d.targetId,
    title: typeof card?.title === 'string' ? card.title : null,
    text: d.text,
    status: d.status,
    statusLabel: DELIVERY_STATUS_LABELS[d.status],
    attempts: d.attempts,
    lastError: d.lastError,
    messageId: d.messageId,
    availableAt: isoShanghai(d.availableAt),
    createdAt: isoShanghai(d.createdAt),
    sentAt: d.sentAt ? isoShanghai(d.sentAt) : null,
  };
}

export async function listNoticeDeliveries(ctx: UseCaseContext, query: NoticeDeliveryListQuery): Promise<Page<NoticeDelivery>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.NoticeDeliveryWhereInput = {
      AND: [keywordWhere(query.q, ['targetId', 'text', 'lastError']), { status: query.status, platform: query.platform }],
    };
    const orderBy = orderByOf(query.sort, '-createdAt') as Prisma.NoticeDeliveryOrderByWithRelationInput[];
    return findPage(query, (w) => tx.noticeDelivery.findMany({ where, orderBy, ...w }), () => tx.noticeDelivery.count({ where }), toDeliveryDto);
  });
}

/** 重新发送 a notice that gave up: back to pending, attempts from zero, due now. */
export async function resendNoticeDelivery(ctx: UseCaseContext, id: string): Promise<NoticeDelivery> {
  return runUseCase(ctx, async (tx) => {
    const key = BigInt(id);
    const claimed = await tx.noticeDelivery.updateMany({
      where: { id: key, status: 'failed' },
      data: { status: 'pending', attempts: 0, availableAt: new Date(), claimedBy: null, claimedUntil: null },
    });
    const row = await tx.noticeDelivery.findUnique({ where: { id: key } });
    if (!row) throw notFound('通知');
    if (claimed.count === 0) throw new AppError('CONFLICT', `只有发送失败的通知可以重新发送（当前：${DELIVERY_STATUS_LABELS[row.status]}）`);
    await recordAudit(tx, ctx, { action: 'resend', entity: 'noticeDelivery', entityId: id, before: { status: 'failed', lastError: row.lastError }, after: { status: 'pending' } });
    return toDeliveryDto(row);
  });
}
