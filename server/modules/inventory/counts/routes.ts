import { IdParams } from '../../../../shared/schemas/common.ts';
import { StockCount, StockCountCreate, StockCountListQuery, StockCountPage, StockCountUpdate } from '../../../../shared/schemas/stock.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { postStockCount } from './post.ts';
import { cancelStockCount, createStockCount, getStockCount, listStockCounts, updateStockCount } from './service.ts';

export function stockCountRoutes(api: ApiRouter): void {
  const tag = '盘点单';
  api.route({
    method: 'post', path: '/stock/counts', tag, summary: '新建盘点单（按仓库生成账面数量快照，默认该仓库所有有结存的物料）',
    permission: 'stock:create', status: 201, body: StockCountCreate, response: StockCount,
    handler: ({ ctx, body }) => createStockCount(ctx, body),
  });
  api.route({
    method: 'get', path: '/stock/counts', tag, summary: '盘点单列表', permission: 'stock:read',
    query: StockCountListQuery, response: StockCountPage,
    handler: ({ ctx, query }) => listStockCounts(ctx, query),
  });
  api.route({
    method: 'get', path: '/stock/counts/:id', tag, summary: '盘点单详情（盘点中显示当前账面和差异预览）', permission: 'stock:read',
    params: IdParams, response: StockCount,
    handler: ({ ctx, params }) => getStockCount(ctx, params.id),
  });
  api.route({
    method: 'patch', path: '/stock/counts/:id', tag, summary: '录入实盘数量（需提交 version）', permission: 'stock:create',
    params: IdParams, body: StockCountUpdate, response: StockCount,
    handler: ({ ctx, params, body }) => updateStockCount(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/stock/counts/:id/post', tag, summary: '盘点过账：差异 = 实盘 − 过账时的账面数量，生成盘盈/盘亏流水',
    permission: 'stock:create', params: IdParams, response: StockCount,
    handler: ({ ctx, params }) => postStockCount(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/stock/counts/:id/cancel', tag, summary: '取消盘点单', permission: 'stock:create',
    params: IdParams, response: StockCount,
    handler: ({ ctx, params }) => cancelStockCount(ctx, params.id),
  });
}
