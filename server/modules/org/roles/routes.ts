import { IdParams } from '../../../../shared/schemas/common.ts';
import { PermissionCatalogue, Role, RoleCreate, RoleListQuery, RolePage, RoleUpdate } from '../../../../shared/schemas/org.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createRole, deleteRole, getRole, listRoles, permissionCatalogue, updateRole } from './service.ts';

export function roleRoutes(api: ApiRouter): void {
  const tag = '角色';
  api.route({
    method: 'get', path: '/permissions', tag, summary: '权限目录（含中文名称）与可选数据范围', permission: null,
    response: PermissionCatalogue,
    handler: async () => permissionCatalogue(),
  });
  api.route({
    method: 'get', path: '/roles', tag, summary: '角色列表（分页、搜索、按数据范围筛选）', permission: 'role:read',
    query: RoleListQuery, response: RolePage,
    handler: ({ ctx, query }) => listRoles(ctx, query),
  });
  api.route({
    method: 'get', path: '/roles/:id', tag, summary: '角色详情', permission: 'role:read',
    params: IdParams, response: Role,
    handler: ({ ctx, params }) => getRole(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/roles', tag, summary: '新增角色', permission: 'role:create', status: 201,
    body: RoleCreate, response: Role,
    handler: ({ ctx, body }) => createRole(ctx, body),
  });
  api.route({
    method: 'patch', path: '/roles/:id', tag, summary: '修改角色（需提交 version；permissions 整体替换，对持有人立即生效）', permission: 'role:update',
    params: IdParams, body: RoleUpdate, response: Role,
    handler: ({ ctx, params, body }) => updateRole(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/roles/:id', tag, summary: '删除角色（须无用户持有）', permission: 'role:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteRole(ctx, params.id),
  });
}
