import { IdParams, ImportResult } from '../../../../shared/schemas/common.ts';
import { Item, ItemCreate, ItemListQuery, ItemPage, ItemUnitList, ItemUpdate } from '../../../../shared/schemas/inventory.ts';
import { sendWorkbook, uploadedWorkbook, XLSX_MIME } from '../../../platform/excel.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { exportItems, importItems } from './excel.ts';
import { createItem, deleteItem, getItem, getItemUnits, listItems, updateItem } from './service.ts';

export function itemRoutes(api: ApiRouter): void {
  const tag = '物料';
  // Before /items/:id, so "export" is not read as an id.
  api.route({
    method: 'get', path: '/items/export', tag, summary: '导出物料到 Excel（按当前筛选；单位、分类以编码表示）', permission: 'item:export',
    query: ItemListQuery.omit({ page: true, pageSize: true }), rawResponse: { contentType: XLSX_MIME, description: '物料.xlsx' },
    handler: async ({ ctx, query, res }) => sendWorkbook(res, '物料.xlsx', await exportItems(ctx, query)),
  });
  api.route({
    method: 'post', path: '/items/import', tag, summary: '从 Excel 导入物料（按编码新增或更新；换算写作 BOX=1000;PACK=100；任一行有误则全部不写入）', permission: 'item:import',
    upload: { field: 'file' }, response: ImportResult,
    handler: ({ ctx, req }) => importItems(ctx, uploadedWorkbook(req)),
  });
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
