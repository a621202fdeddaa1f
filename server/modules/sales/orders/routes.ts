import { IdParams } from '../../../../shared/schemas/common.ts';
import { SalesOrder, SalesOrderConfirm, SalesOrderCreate, SalesOrderListQuery, SalesOrderPage, SalesOrderReason, SalesOrderUpdate, Timeline } from '../../../../shared/schemas/sales/orders.ts';
import { AdvanceReceiptCreate } from '../../../../shared/schemas/sales/shipments.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { recordAdvanceReceipt } from '../receivables/advance-receipts.ts';
import { advanceReceiptOrder, cancelOrder, closeOrder, confirmOrder, submitOrder } from './lifecycle.ts';
import { registerAttachable } from '../../attachments/index.ts';
import { salesOrderAttachable } from './read.ts';
import { createOrder, deleteOrder, getOrder, getOrderTimeline, listOrders, updateOrder } from './service.ts';

export function salesOrderRoutes(api: ApiRouter): void {
  const tag = '销售订单';
  registerAttachable('salesOrder', salesOrderAttachable);
  api.route({
    method: 'get', path: '/sales-orders', tag, summary: '销售订单列表（分页、搜索、筛选：状态/客户/销售员/日期/发货进度；按数据范围）', permission: 'salesOrder:read',
    query: SalesOrderListQuery, response: SalesOrderPage,
    handler: ({ ctx, query }) => listOrders(ctx, query),
  });
  api.route({
    method: 'get', path: '/sales-orders/:id', tag, summary: '销售订单详情（明细含预留/已发/已退/缺货，出库、退货、预收与时间线）', permission: 'salesOrder:read',
    params: IdParams, response: SalesOrder,
    handler: ({ ctx, params }) => getOrder(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/sales-orders/:id/timeline', tag, summary: '订单时间线（最新的在最后）', permission: 'salesOrder:read',
    params: IdParams, response: Timeline,
    handler: ({ ctx, params }) => getOrderTimeline(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/sales-orders', tag, summary: '新增销售订单（草稿）', permission: 'salesOrder:create', status: 201, session: true,
    body: SalesOrderCreate, response: SalesOrder,
    handler: ({ ctx, body }) => createOrder(ctx, body),
  });
  api.route({
    method: 'patch', path: '/sales-orders/:id', tag, summary: '修改销售订单草稿（需提交 version；待审批、已确认的订单锁定）', permission: 'salesOrder:update',
    params: IdParams, body: SalesOrderUpdate, response: SalesOrder,
    handler: ({ ctx, params, body }) => updateOrder(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/sales-orders/:id', tag, summary: '删除销售订单草稿', permission: 'salesOrder:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteOrder(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/sales-orders/:id/submit', tag, summary: '提交订单（当前销售折扣审批流程适用时进入待审批并发起审批；否则直接确认）', permission: 'salesOrder:update',
    params: IdParams, body: SalesOrderConfirm, response: SalesOrder,
    handler: ({ ctx, params, body }) => submitOrder(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/sales-orders/:id/confirm', tag, summary: '确认订单：信用检查，按可用量预留库存（缺货不失败）', permission: 'salesOrder:confirm', session: true,
    params: IdParams, body: SalesOrderConfirm, response: SalesOrder,
    handler: ({ ctx, params, body }) => confirmOrder(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/sales-orders/:id/cancel', tag, summary: '取消订单（释放预留；已发货的订单不能取消）', permission: 'salesOrder:cancel',
    params: IdParams, body: SalesOrderReason, response: SalesOrder,
    handler: ({ ctx, params, body }) => cancelOrder(ctx, params.id, body.reason),
  });
  api.route({
    method: 'post', path: '/sales-orders/:id/close', tag, summary: '关闭订单（不再发货，释放剩余预留）', permission: 'salesOrder:cancel',
    params: IdParams, body: SalesOrderReason, response: SalesOrder,
    handler: ({ ctx, params, body }) => closeOrder(ctx, params.id, body.reason),
  });
  api.route({
    method: 'post', path: '/sales-orders/:id/advance-receipts', tag, summary: '登记预收款', permission: 'salesOrder:update', status: 201,
    params: IdParams, body: AdvanceReceiptCreate, response: SalesOrder,
    handler: ({ ctx, params, body }) => recordAdvanceReceipt(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/advance-receipts/:id', tag, summary: '预收款所属的销售订单（凭证的单据链接）', permission: 'salesOrder:read',
    params: IdParams, response: SalesOrder,
    handler: ({ ctx, params }) => advanceReceiptOrder(ctx, params.id),
  });
}
