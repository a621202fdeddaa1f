import { IdParams } from '../../../shared/schemas/common.ts';
import {
  NoticeDelivery, NoticeDeliveryListQuery, NoticeDeliveryPage, NoticeDeliveryParams,
  NotificationRoute, NotificationRouteCreate, NotificationRouteListQuery, NotificationRoutePage, NotificationRouteUpdate,
} from '../../../shared/schemas/notices.ts';
import type { ApiRouter } from '../../platform/http.ts';
import {
  createNotificationRoute, deleteNotificationRoute, getNotificationRoute, listNoticeDeliveries, listNotificationRoutes,
  resendNoticeDelivery, updateNotificationRoute,
} from './service.ts';

export function noticeRoutes(api: ApiRouter): void {
  const tag = '通知';
  api.route({
    method: 'get', path: '/notification-routes', tag, summary: '通知路由列表（哪个群收哪类通知）', permission: 'notificationRoute:read',
    query: NotificationRouteListQuery, response: NotificationRoutePage,
    handler: ({ ctx, query }) => listNotificationRoutes(ctx, query),
  });
  api.route({
    method: 'get', path: '/notification-routes/:id', tag, summary: '通知路由详情', permission: 'notificationRoute:read',
    params: IdParams, response: NotificationRoute,
    handler: ({ ctx, params }) => getNotificationRoute(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/notification-routes', tag, summary: '新增通知路由（公司级，或只针对某客户的订单）', permission: 'notificationRoute:create', status: 201,
    body: NotificationRouteCreate, response: NotificationRoute,
    handler: ({ ctx, body }) => createNotificationRoute(ctx, body),
  });
  api.route({
    method: 'patch', path: '/notification-routes/:id', tag, summary: '修改通知路由（需提交 version）', permission: 'notificationRoute:update',
    params: IdParams, body: NotificationRouteUpdate, response: NotificationRoute,
    handler: ({ ctx, params, body }) => updateNotificationRoute(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/notification-routes/:id', tag, summary: '删除通知路由', permission: 'notificationRoute:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteNotificationRoute(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/notice-deliveries', tag, summary: '通知投递记录（可筛选发送失败的）', permission: 'noticeDelivery:read',
    query: NoticeDeliveryListQuery, response: NoticeDeliveryPage,
    handler: ({ ctx, query }) => listNoticeDeliveries(ctx, query),
  });
  api.route({
    method: 'post', path: '/notice-deliveries/:id/resend', tag, summary: '重新发送一条发送失败的通知', permission: 'noticeDelivery:resend',
    params: NoticeDeliveryParams, response: NoticeDelivery,
    handler: ({ ctx, params }) => resendNoticeDelivery(ctx, params.id),
  });
}
