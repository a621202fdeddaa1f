// 物料清单 (BOM) routes: read with bom:read, every write with bom:write. The fixed paths (explode,
// where-used) come before /boms/:id so they are not read as an id.
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  Bom, BomCreate, BomExplodeQuery, BomExplosion, BomListQuery, BomPage, BomVersionCreate, BomVersionParams, BomVersionUpdate, BomWhereUsed, BomWhereUsedQuery,
} from '../../../../shared/schemas/manufacturing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { addBomVersion, bomWhereUsed, createBom, explodeBom, getBom, listBoms, updateBomVersion } from './service.ts';

export function bomRoutes(api: ApiRouter): void {
  const tag = '物料清单';
  api.route({
    method: 'get', path: '/boms/explode', tag, summary: '多层展开：母件数量在某日按有效版本展开到末级（基本单位，含损耗，逐层向上取整）', permission: 'bom:read',
    query: BomExplodeQuery, response: BomExplosion,
    handler: ({ ctx, query }) => explodeBom(ctx, query),
  });
  api.route({
    method: 'get', path: '/boms/where-used', tag, summary: '反查：物料被哪些 BOM 使用（直接与间接上级）', permission: 'bom:read',
    query: BomWhereUsedQuery, response: BomWhereUsed,
    handler: ({ ctx, query }) => bomWhereUsed(ctx, query),
  });
  api.route({
    method: 'get', path: '/boms', tag, summary: 'BOM 列表（分页，按母件编码/名称或 BOM 编码搜索）', permission: 'bom:read',
    query: BomListQuery, response: BomPage,
    handler: ({ ctx, query }) => listBoms(ctx, query),
  });
  api.route({
    method: 'get', path: '/boms/:id', tag, summary: 'BOM 详情（全部版本及明细）', permission: 'bom:read',
    params: IdParams, response: Bom,
    handler: ({ ctx, params }) => getBom(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/boms', tag, summary: '新建 BOM 及第一个版本（拒绝循环、无换算率的单位）', permission: 'bom:write', status: 201,
    body: BomCreate, response: Bom,
    handler: ({ ctx, body }) => createBom(ctx, body),
  });
  api.route({
    method: 'post', path: '/boms/:id/versions', tag, summary: '新增 BOM 版本（有效期不能与其他版本重叠）', permission: 'bom:write', status: 201,
    params: IdParams, body: BomVersionCreate, response: Bom,
    handler: ({ ctx, params, body }) => addBomVersion(ctx, params.id, body),
  });
  api.route({
    method: 'patch', path: '/boms/:id/versions/:versionId', tag, summary: '修改 BOM 版本（需提交该版本的 version；lines 整体替换）', permission: 'bom:write',
    params: BomVersionParams, body: BomVersionUpdate, response: Bom,
    handler: ({ ctx, params, body }) => updateBomVersion(ctx, params.id, params.versionId, body),
  });
}
