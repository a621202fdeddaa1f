import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  StockAdjustment, StockAdjustmentCreate, StockAdjustmentListQuery, StockAdjustmentPage, StockBalanceListQuery, StockBalancePage,
  StockItemParams, StockLevelListQuery, StockLevelPage, StockPosition, StockReservationListQuery, StockReservationPage,
} from '../../../../shared/schemas/stock.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createStockAdjustment, getStockAdjustment, listStockAdjustments } from './adjustments.ts';
import { listReservations, listStockBalances, listStockLevels, stockPositionOf } from './queries.ts';

export function stockRoutes(api: ApiRouter): void {
  const tag = '库存';
  api.route({
    method: 'post', path: '/stock/adjustments', tag, summary: '期初库存 / 库存调整（正数入库，负数出库；按批次管理的物料须填批次）',
    permission: 'stock:create', status: 201, body: StockAdjustmentCreate, response: StockAdjustment,
    handler: ({ ctx, body }) => createStockAdjustment(ctx, body),
  });
  api.route({
    method: 'get', path: '/stock/adjustments', tag, summary: '库存调整单列表', permission: 'stock:read',
    query: StockAdjustmentListQuery, response: StockAdjustmentPage,
    handler: ({ ctx, query }) => listStockAdjustments(ctx, query),
  });
  api.route({
    method: 'get', path: '/stock/adjustments/:id', tag, summary: '库存调整单详情', permission: 'stock:read',
    params: IdParams, response: StockAdjustment,
    handler: ({ ctx, params }) => getStockAdjustment(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/stock/levels', tag, summary: '库存水位：物料 × 仓库的在库、预留、可用、在订、安全库存', permission: 'stock:read',
    query: StockLevelListQuery, response: StockLevelPage,
    handler: ({ ctx, query }) => listStockLevels(ctx, query),
  });
  api.route({
    method: 'get', path: '/stock/balances', tag, summary: '库存余额：物料 × 仓库 × 批次 × 质检状态', permission: 'stock:read',
    query: StockBalanceListQuery, response: StockBalancePage,
    handler: ({ ctx, query }) => listStockBalances(ctx, query),
  });
  api.route({
    method: 'get', path: '/stock/items/:itemId', tag, summary: '单个物料的库存：各仓库与合计、平均成本、金额、批次', permission: 'stock:read',
    params: StockItemParams, response: StockPosition,
    handler: ({ ctx, params }) => stockPositionOf(ctx, params.itemId),
  });
  api.route({
    method: 'get', path: '/stock/reservations', tag, summary: '预留明细：谁占用了预留数量（销售订单行）', permission: 'stock:read',
    query: StockReservationListQuery, response: StockReservationPage,
    handler: ({ ctx, query }) => listReservations(ctx, query),
  });
}
