import { IdParams } from '../../../../shared/schemas/common.ts';
import { Item, ItemCreate, ItemListQuery, ItemPage, ItemUnitList, ItemUpdate } from '../../../../shared/schemas/inventory.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createItem, deleteItem, getItem, getItemUnits, listItems, updateItem } from './service.ts';

export function itemRoutes(api: ApiRouter): void {
  const tag = '物料';
  api.route({
    method: 'get', path: '/items', tag, summary: '物料列表（分页、搜索、按类型/来源/分类/状态筛选）', permission: 'item:read',
    query: ItemListQuery, response: ItemPage,
    handler: ({ ctx, query }) => listItems(ctx, query),
  });
  api.route({
    method: 'get', path: '/items/:id', tag, summary: '物料详情', permission: 'item:read',
    params: IdParams, response: Item,
    handler: ({ ctx, params }) => getItem(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/items/:id/units', tag, summary: '物料可用的计量单位及换算率（基本单位在前）', permission: 'item:read',
    params: IdParams, response: ItemUnitList,
    handler: ({ ctx, params }) => getItemUnits(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/items', tag, summary: '新增物料', permission: 'item:create', status: 201,
    body: ItemCreate, response: Item,
    handler: ({ ctx, body }) => createItem(ctx, body),
  });
  api.route({
    method: 'patch', path: '/items/:id', tag, summary: '修改物料（需提交 version；conversions 提交时整体替换）', permission: 'item:update',
    params: IdParams, body: ItemUpdate, response: Item,
    handler: ({ ctx, params, body }) => updateItem(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/items/:id', tag, summary: '删除物料', permission: 'item:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteItem(ctx, params.id),
  });
}
