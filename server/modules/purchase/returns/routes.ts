// 采购退货 routes: the resource 采购入库与退货 (receipt) covers both, so returning needs receipt:create.
import { IdParams } from '../../../../shared/schemas/common.ts';
import { PurchaseReturn, PurchaseReturnCreate, PurchaseReturnListQuery, PurchaseReturnPage } from '../../../../shared/schemas/purchasing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { getPurchaseReturn, listPurchaseReturns, returnToSupplier } from './service.ts';

export function purchaseReturnRoutes(api: ApiRouter): void {
  const tag = '采购退货';
  api.route({
    method: 'post', path: '/purchase-orders/:id/returns', tag, summary: '采购退货（未开票部分按暂估冲暂估应付款，已开票部分按发票成本出库并冲减应付货款与进项税额，按原发票生成退货红字发票并核销其未核销金额；不超过已收减已退）', permission: 'receipt:create', status: 201,
    params: IdParams, body: PurchaseReturnCreate, response: PurchaseReturn,
    handler: ({ ctx, params, body }) => returnToSupplier(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/purchase-returns', tag, summary: '采购退货单列表（分页、搜索、按供应商/订单/物料/日期筛选）', permission: 'receipt:read',
    query: PurchaseReturnListQuery, response: PurchaseReturnPage,
    handler: ({ ctx, query }) => listPurchaseReturns(ctx, query),
  });
  api.route({
    method: 'get', path: '/purchase-returns/:id', tag, summary: '采购退货单详情', permission: 'receipt:read',
    params: IdParams, response: PurchaseReturn,
    handler: ({ ctx, params }) => getPurchaseReturn(ctx, params.id),
  });
}
