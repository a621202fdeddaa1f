import { IdParams } from '../../../../shared/schemas/common.ts';
import { StockTransfer, StockTransferCreate, StockTransferListQuery, StockTransferPage } from '../../../../shared/schemas/stock.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createStockTransfer, getStockTransfer, listStockTransfers } from './service.ts';

export function stockTransferRoutes(api: ApiRouter): void {
  const tag = '调拨单';
  api.route({
    method: 'post', path: '/stock/transfers', tag, summary: '新增调拨单（立即过账：调出仓按库存金额分摊出库，调入仓按调出金额入库；只能调拨未预留的合格库存）',
    permission: 'stock:create', status: 201, body: StockTransferCreate, response: StockTransfer,
    handler: ({ ctx, body }) => createStockTransfer(ctx, body),
  });
  api.route({
    method: 'get', path: '/stock/transfers', tag, summary: '调拨单列表', permission: 'stock:read',
    query: StockTransferListQuery, response: StockTransferPage,
    handler: ({ ctx, query }) => listStockTransfers(ctx, query),
  });
  api.route({
    method: 'get', path: '/stock/transfers/:id', tag, summary: '调拨单详情', permission: 'stock:read',
    params: IdParams, response: StockTransfer,
    handler: ({ ctx, params }) => getStockTransfer(ctx, params.id),
  });
}
