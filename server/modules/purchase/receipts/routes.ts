// 采购入库单 routes: receiving needs receipt:create (the warehouse), reading receipt:read.
import { IdParams } from '../../../../shared/schemas/common.ts';
import { Receipt, ReceiptCreate, ReceiptListQuery, ReceiptPage } from '../../../../shared/schemas/purchasing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { getReceipt, listReceipts, receivePurchaseOrder } from './service.ts';

export function receiptRoutes(api: ApiRouter): void {
  const tag = '采购入库';
  api.route({
    method: 'post', path: '/purchase-orders/:id/receipts', tag, summary: '采购入库（部分或全部；超过超收容差拒绝）', permission: 'receipt:create', status: 201,
    params: IdParams, body: ReceiptCreate, response: Receipt,
    handler: ({ ctx, params, body }) => receivePurchaseOrder(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/purchase-receipts', tag, summary: '采购入库单列表（分页、搜索单号/订单号/供应商、按供应商/订单/物料/日期筛选）', permission: 'receipt:read',
    query: ReceiptListQuery, response: ReceiptPage,
    handler: ({ ctx, query }) => listReceipts(ctx, query),
  });
  api.route({
    method: 'get', path: '/purchase-receipts/:id', tag, summary: '采购入库单详情', permission: 'receipt:read',
    params: IdParams, response: Receipt,
    handler: ({ ctx, params }) => getReceipt(ctx, params.id),
  });
}
