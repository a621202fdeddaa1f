import { ReconcileReport, SlowMovingPage, SlowMovingQuery, StockMoveListQuery, StockMovePage } from '../../../../shared/schemas/stock.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { listStockMoves } from './moves.ts';
import { reconcileStock } from './reconcile.ts';
import { slowMovingReport } from './slow-moving.ts';

export function stockReportRoutes(api: ApiRouter): void {
  const tag = '库存报表';
  api.route({
    method: 'get', path: '/stock/moves', tag, summary: '库存流水账（按物料查询时给出各仓库的滚动结存和期初/收入/发出/期末）', permission: 'stock:read',
    query: StockMoveListQuery, response: StockMovePage,
    handler: ({ ctx, query }) => listStockMoves(ctx, query),
  });
  api.route({
    method: 'get', path: '/stock/reports/slow-moving', tag, summary: '呆滞料：有库存且 N 天（默认 90）无出入库的物料，按金额从高到低', permission: 'stock:read',
    query: SlowMovingQuery, response: SlowMovingPage,
    handler: ({ ctx, query }) => slowMovingReport(ctx, query),
  });
  api.route({
    method: 'get', path: '/stock/reports/reconcile', tag, summary: '库存对账：余额与流水、水位与余额、预留与预留明细、物料结存与余额、物料库存金额与流水金额的差异（应为空）',
    permission: 'stock:export', response: ReconcileReport,
    handler: ({ ctx }) => reconcileStock(ctx),
  });
}
