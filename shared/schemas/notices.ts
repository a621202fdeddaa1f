// 通知路由与通知投递: which chat gets which notice, and what happened to each notice.
import { CHAT_PLATFORMS, DELIVERY_STATUSES, NOTICE_TARGET_KINDS, NOTICE_TOPICS } from '../enums.ts';
import { BooleanQuery, Id, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';

const routeFields = {
  topic: z.enum(NOTICE_TOPICS, { message: `topic 只能是 ${NOTICE_TOPICS.join(', ')}` }).openapi({ description: 'stock.shortage 缺料提醒；order.progress 订单进度；mrp.completed 物料需求建议（计划群）' }),
  platform: z.enum(CHAT_PLATFORMS, { message: `platform 只能是 ${CHAT_PLATFORMS.join(', ')}` }),
  targetKind: z.enum(NOTICE_TARGET_KINDS, { message: '只能是 group（群聊）或 user（个人）' }),
  targetId: z
    .string({ message: '必须填写接收方' })
    .trim()
    .min(1, '必须填写接收方')
    .max(200, '最长 200 个字符')
    .openapi({ description: '飞书 chat_id / open_id；企业微信 chatid / userid / robot:<key>；钉钉 openConversationId / userId / robot:<token>；微信 群 id 或 topic:<群名>' }),
  customerId: Id.nullish().openapi({ description: '只推送这个客户的订单进度（order.progress）' }),
  toOwner: z.boolean({ message: '必须是 true 或 false' }).openapi({ description: '同时私信订单的销售员（order.progress）' }),
  name: OptionalText(60),
  active: z.boolean({ message: '必须是 true 或 false' }),
};

export const NotificationRouteCreate = z
  .object({ ...routeFields, toOwner: routeFields.toOwner.default(false), active: routeFields.active.default(true) })
  .openapi('NotificationRouteCreate');

export const NotificationRouteUpdate = z
  .object(routeFields)
  .partial()
  .extend({ version: Version })
  .openapi('NotificationRouteUpdate', { description: '只需提交要修改的字段' });

export const NotificationRoute = z
  .object({
    id: z.string(),
    topic: z.enum(NOTICE_TOPICS),
    topicLabel: z.string(),
    platform: z.enum(CHAT_PLATFORMS),
    platformLabel: z.string(),
    targetKind: z.enum(NOTICE_TARGET_KINDS),
    targetId: z.string(),
    customer: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
    toOwner: z.boolean(),
    name: z.string().nullable(),
    active: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('NotificationRoute');

export const NotificationRouteListQuery = pageQuery(['name', 'topic', 'platform', 'createdAt']).extend({
  topic: z.enum(NOTICE_TOPICS).optional(),
  platform: z.enum(CHAT_PLATFORMS).optional(),
  customerId: Id.optional(),
  active: BooleanQuery.optional(),
});
export const NotificationRoutePage = pageOf(NotificationRoute).openapi('NotificationRoutePage');

export const NoticeDelivery = z
  .object({
    id: z.string(),
    topic: z.string().nullable(),
    platform: z.enum(CHAT_PLATFORMS),
    platformLabel: z.string(),
    targetKind: z.string(),
    targetId: z.string(),
    title: z.string().nullable(),
    text: z.string().nullable(),
    status: z.enum(DELIVERY_STATUSES),
    statusLabel: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    messageId: z.string().nullable(),
    availableAt: Timestamp,
    createdAt: Timestamp,
    sentAt: Timestamp.nullable(),
  })
  .openapi('NoticeDelivery');

export const NoticeDeliveryListQuery = pageQuery(['createdAt', 'sentAt', 'attempts']).extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
  platform: z.enum(CHAT_PLATFORMS).optional(),
});
export const NoticeDeliveryPage = pageOf(NoticeDelivery).openapi('NoticeDeliveryPage');
export const NoticeDeliveryParams = z.object({ id: z.string().regex(/^\d{1,18}$/, '必须是通知编号（数字）') });

export type NotificationRouteCreate = z.infer<typeof NotificationRouteCreate>;
export type NotificationRouteUpdate = z.infer<typeof NotificationRouteUpdate>;
export type NotificationRoute = z.infer<typeof NotificationRoute>;
export type NotificationRouteListQuery = z.infer<typeof NotificationRouteListQuery>;
export type NoticeDelivery = z.infer<typeof NoticeDelivery>;
export type NoticeDeliveryListQuery = z.infer<typeof NoticeDeliveryListQuery>;
