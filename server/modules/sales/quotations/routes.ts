import { IdParams } from '../../../../shared/schemas/common.ts';
import { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import { Quotation, QuotationConvert, QuotationCreate, QuotationListQuery, QuotationPage, QuotationUpdate } from '../../../../shared/schemas/sales/quotations.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { changeQuotationState, convertQuotation } from './actions.ts';
import { createQuotation, deleteQuotation, getQuotation, listQuotations, updateQuotation } from './service.ts';

export function quotationRoutes(api: ApiRouter): void {
  const tag = '报价单';
  api.route({
    method: 'get', path: '/quotations', tag, summary: '报价单列表（分页、搜索、筛选、按数据范围）', permission: 'quotation:read',
    query: QuotationListQuery, response: QuotationPage,
    handler: ({ ctx, query }) => listQuotations(ctx, query),
  });
  api.route({
    method: 'get', path: '/quotations/:id', tag, summary: '报价单详情（含明细与转成的订单）', permission: 'quotation:read',
    params: IdParams, response: Quotation,
    handler: ({ ctx, params }) => getQuotation(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/quotations', tag, summary: '新增报价单（草稿）', permission: 'quotation:create', status: 201,
    body: QuotationCreate, response: Quotation,
    handler: ({ ctx, body }) => createQuotation(ctx, body),
  });
  api.route({
    method: 'patch', path: '/quotations/:id', tag, summary: '修改报价单草稿（需提交 version）', permission: 'quotation:update',
    params: IdParams, body: QuotationUpdate, response: Quotation,
    handler: ({ ctx, params, body }) => updateQuotation(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/quotations/:id', tag, summary: '删除报价单草稿', permission: 'quotation:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteQuotation(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/quotations/:id/send', tag, summary: '发送报价单（草稿 → 已发送）', permission: 'quotation:update',
    params: IdParams, response: Quotation,
    handler: ({ ctx, params }) => changeQuotationState(ctx, params.id, 'send'),
  });
  api.route({
    method: 'post', path: '/quotations/:id/accept', tag, summary: '客户接受报价（→ 已接受）', permission: 'quotation:confirm',
    params: IdParams, response: Quotation,
    handler: ({ ctx, params }) => changeQuotationState(ctx, params.id, 'accept'),
  });
  api.route({
    method: 'post', path: '/quotations/:id/expire', tag, summary: '报价单置为过期', permission: 'quotation:update',
    params: IdParams, response: Quotation,
    handler: ({ ctx, params }) => changeQuotationState(ctx, params.id, 'expire'),
  });
  api.route({
    method: 'post', path: '/quotations/:id/cancel', tag, summary: '取消报价单', permission: 'quotation:cancel',
    params: IdParams, response: Quotation,
    handler: ({ ctx, params }) => changeQuotationState(ctx, params.id, 'cancel'),
  });
  api.route({
    method: 'post', path: '/quotations/:id/convert', tag, summary: '报价单转销售订单（生成订单草稿，报价单置为已接受）', permission: 'salesOrder:create', status: 201,
    params: IdParams, body: QuotationConvert, response: SalesOrder,
    handler: ({ ctx, params, body }) => convertQuotation(ctx, params.id, body),
  });
}
