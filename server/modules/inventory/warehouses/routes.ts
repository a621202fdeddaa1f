import { IdParams } from '../../../../shared/schemas/common.ts';
import { Warehouse, WarehouseCreate, WarehouseListQuery, WarehousePage, WarehouseUpdate } from '../../../../shared/schemas/warehouse.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createWarehouse, deleteWarehouse, getWarehouse, listWarehouses, updateWarehouse } from './service.ts';

export function warehouseRoutes(api: ApiRouter): void {
  const tag = '仓库';
  api.route({
    method: 'get', path: '/warehouses', tag, summary: '仓库列表（分页、搜索、筛选）', permission: 'warehouse:read',
    query: WarehouseListQuery, response: WarehousePage,
    handler: ({ ctx, query }) => listWarehouses(ctx, query),
  });
  api.route({
    method: 'get', path: '/warehouses/:id', tag, summary: '仓库详情', permission: 'warehouse:read',
    params: IdParams, response: Warehouse,
    handler: ({ ctx, params }) => getWarehouse(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/warehouses', tag, summary: '新增仓库', permission: 'warehouse:create', status: 201,
    body: WarehouseCreate, response: Warehouse,
    handler: ({ ctx, body }) => createWarehouse(ctx, body),
  });
  api.route({
    method: 'patch', path: '/warehouses/:id', tag, summary: '修改仓库（需提交 version）', permission: 'warehouse:update',
    params: IdParams, body: WarehouseUpdate, response: Warehouse,
    handler: ({ ctx, params, body }) => updateWarehouse(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/warehouses/:id', tag, summary: '删除仓库', permission: 'warehouse:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteWarehouse(ctx, params.id),
  });
}
