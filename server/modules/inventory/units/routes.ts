import { IdParams } from '../../../../shared/schemas/common.ts';
import { Unit, UnitCreate, UnitListQuery, UnitPage, UnitUpdate } from '../../../../shared/schemas/inventory.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createUnit, deleteUnit, getUnit, listUnits, updateUnit } from './service.ts';

export function unitRoutes(api: ApiRouter): void {
  const tag = '计量单位';
  api.route({
    method: 'get', path: '/units', tag, summary: '计量单位列表（分页、搜索）', permission: 'unit:read',
    query: UnitListQuery, response: UnitPage,
    handler: ({ ctx, query }) => listUnits(ctx, query),
  });
  api.route({
    method: 'get', path: '/units/:id', tag, summary: '计量单位详情', permission: 'unit:read',
    params: IdParams, response: Unit,
    handler: ({ ctx, params }) => getUnit(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/units', tag, summary: '新增计量单位', permission: 'unit:create', status: 201,
    body: UnitCreate, response: Unit,
    handler: ({ ctx, body }) => createUnit(ctx, body),
  });
  api.route({
    method: 'patch', path: '/units/:id', tag, summary: '修改计量单位（需提交 version）', permission: 'unit:update',
    params: IdParams, body: UnitUpdate, response: Unit,
    handler: ({ ctx, params, body }) => updateUnit(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/units/:id', tag, summary: '删除计量单位（有物料使用时拒绝）', permission: 'unit:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteUnit(ctx, params.id),
  });
}
