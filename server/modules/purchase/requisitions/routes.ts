// 请购单 routes. Submitting needs purchaseRequisition:confirm (it confirms the requisition until
// approvals exist); turning lines into a purchase order needs purchaseOrder:create.
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  DocumentReason, PurchaseOrder, Requisition, RequisitionCreate, RequisitionListQuery, RequisitionPage, RequisitionToOrder, RequisitionUpdate,
} from '../../../../shared/schemas/purchasing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import {
  cancelRequisition, createRequisition, deleteRequisition, getRequisition, listRequisitions, submitRequisition, updateRequisition,
} from './service.ts';
import { requisitionToOrder } from './to-order.ts';

export function requisitionRoutes(api: ApiRouter): void {
  const tag = '请购单';
  api.route({
    method: 'get', path: '/purchase-requisitions', tag, summary: '请购单列表（分页、搜索单号/备注、按状态/来源/申请人/物料/日期筛选，按数据范围）',
    permission: 'purchaseRequisition:read', query: RequisitionListQuery, response: RequisitionPage,
    handler: ({ ctx, query }) => listRequisitions(ctx, query),
  });
  api.route({
    method: 'get', path: '/purchase-requisitions/:id', tag, summary: '请购单详情（含明细与已下的采购订单）', permission: 'purchaseRequisition:read',
    params: IdParams, response: Requisition,
    handler: ({ ctx, params }) => getRequisition(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/purchase-requisitions', tag, summary: '新增请购单（草稿）', permission: 'purchaseRequisition:create', status: 201,
    body: RequisitionCreate, response: Requisition,
    handler: ({ ctx, body }) => createRequisition(ctx, body),
  });
  api.route({
    method: 'patch', path: '/purchase-requisitions/:id', tag, summary: '修改请购单草稿（需提交 version；lines 整体替换）', permission: 'purchaseRequisition:update',
    params: IdParams, body: RequisitionUpdate, response: Requisition,
    handler: ({ ctx, params, body }) => updateRequisition(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/purchase-requisitions/:id', tag, summary: '删除请购单草稿', permission: 'purchaseRequisition:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteRequisition(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/purchase-requisitions/:id/submit', tag, summary: '提交请购单（草稿 → 已确认）', permission: 'purchaseRequisition:confirm',
    params: IdParams, response: Requisition,
    handler: ({ ctx, params }) => submitRequisition(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/purchase-requisitions/:id/cancel', tag, summary: '取消请购单（尚未下单时）', permission: 'purchaseRequisition:cancel',
    params: IdParams, body: DocumentReason, response: Requisition,
    handler: ({ ctx, params, body }) => cancelRequisition(ctx, params.id, body.reason),
  });
  api.route({
    method: 'post', path: '/purchase-requisitions/:id/to-order', tag, summary: '请购单转采购订单（生成草稿订单，累计下单不超过请购数量）',
    permission: 'purchaseOrder:create', status: 201, params: IdParams, body: RequisitionToOrder, response: PurchaseOrder,
    handler: ({ ctx, params, body }) => requisitionToOrder(ctx, params.id, body),
  });
}
