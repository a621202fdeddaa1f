// 采购订单 routes. Closing (no more deliveries expected) needs purchaseOrder:cancel: it cancels
// the open remainder. The on-order view of an item needs purchaseOrder:read.
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  DocumentReason, ItemOnOrder, PurchaseOrder, PurchaseOrderCreate, PurchaseOrderListQuery, PurchaseOrderPage, PurchaseOrderUpdate,
} from '../../../../shared/schemas/purchasing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { itemOnOrder } from './on-order.ts';
import { registerAttachable } from '../../attachments/index.ts';
import { createPurchaseOrder, deletePurchaseOrder, getPurchaseOrder, listPurchaseOrders, purchaseOrderAttachable, updatePurchaseOrder } from './service.ts';
import { cancelPurchaseOrder, closePurchaseOrder, confirmPurchaseOrder, submitPurchaseOrder } from './state.ts';

export function purchaseOrderRoutes(api: ApiRouter): void {
  registerAttachable('purchaseOrder', purchaseOrderAttachable);
  const tag = '采购订单';
  api.route({
    method: 'get', path: '/items/:id/on-order', tag, summary: '物料在订量：已确认采购订单未到的数量（按仓库，列出来源订单）', permission: 'purchaseOrder:read',
    params: IdParams, response: ItemOnOrder,
    handler: ({ ctx, params }) => itemOnOrder(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/purchase-orders', tag, summary: '采购订单列表（分页、搜索单号/供应商、按状态/供应商/采购员/仓库/物料/收货进度/日期筛选，按数据范围）',
    permission: 'purchaseOrder:read', query: PurchaseOrderListQuery, response: PurchaseOrderPage,
    handler: ({ ctx, query }) => listPurchaseOrders(ctx, query),
  });
  api.route({
    method: 'get', path: '/purchase-orders/:id', tag, summary: '采购订单详情（明细、入库单、退货单、时间线）', permission: 'purchaseOrder:read',
    params: IdParams, response: PurchaseOrder,
    handler: ({ ctx, params }) => getPurchaseOrder(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/purchase-orders', tag, summary: '新增采购订单（草稿；单价默认取供应商价目表）', permission: 'purchaseOrder:create', status: 201,
    body: PurchaseOrderCreate, response: PurchaseOrder,
    handler: ({ ctx, body }) => createPurchaseOrder(ctx, body),
  });
  api.route({
    method: 'patch', path: '/purchase-orders/:id', tag, summary: '修改采购订单草稿（需提交 version；lines 整体替换）', permission: 'purchaseOrder:update',
    params: IdParams, body: PurchaseOrderUpdate, response: PurchaseOrder,
    handler: ({ ctx, params, body }) => updatePurchaseOrder(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/purchase-orders/:id', tag, summary: '删除采购订单草稿', permission: 'purchaseOrder:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deletePurchaseOrder(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/purchase-orders/:id/submit', tag, summary: '提交采购订单（当前采购订单审批流程适用时进入待审批并发起审批；否则直接确认）', permission: 'purchaseOrder:update',
    params: IdParams, response: PurchaseOrder,
    handler: ({ ctx, params }) => submitPurchaseOrder(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/purchase-orders/:id/confirm', tag, summary: '确认采购订单（草稿 → 已确认；采购订单审批流程适用时改为进入待审批；并发确认只有一次生效）', permission: 'purchaseOrder:confirm',
    params: IdParams, response: PurchaseOrder,
    handler: ({ ctx, params }) => confirmPurchaseOrder(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/purchase-orders/:id/cancel', tag, summary: '取消采购订单（尚未入库时；待审批中取消则审批结束为已撤回）', permission: 'purchaseOrder:cancel',
    params: IdParams, body: DocumentReason, response: PurchaseOrder,
    handler: ({ ctx, params, body }) => cancelPurchaseOrder(ctx, params.id, body.reason),
  });
  api.route({
    method: 'post', path: '/purchase-orders/:id/close', tag, summary: '关闭采购订单（余量不再到货，退出在订量；仍可退货）', permission: 'purchaseOrder:cancel',
    params: IdParams, body: DocumentReason, response: PurchaseOrder,
    handler: ({ ctx, params, body }) => closePurchaseOrder(ctx, params.id, body.reason),
  });
}
