import { IdParams } from '../../../../shared/schemas/common.ts';
import { Department, DepartmentCreate, DepartmentListQuery, DepartmentPage, DepartmentTree, DepartmentUpdate } from '../../../../shared/schemas/org.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createDepartment, deleteDepartment, departmentTree, getDepartment, listDepartments, updateDepartment } from './service.ts';

export function departmentRoutes(api: ApiRouter): void {
  const tag = '部门';
  api.route({
    method: 'get', path: '/departments', tag, summary: '部门列表（平铺，分页、搜索、按上级筛选）', permission: 'department:read',
    query: DepartmentListQuery, response: DepartmentPage,
    handler: ({ ctx, query }) => listDepartments(ctx, query),
  });
  api.route({
    method: 'get', path: '/departments/tree', tag, summary: '部门树（嵌套）', permission: 'department:read',
    response: DepartmentTree,
    handler: ({ ctx }) => departmentTree(ctx),
  });
  api.route({
    method: 'get', path: '/departments/:id', tag, summary: '部门详情', permission: 'department:read',
    params: IdParams, response: Department,
    handler: ({ ctx, params }) => getDepartment(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/departments', tag, summary: '新增部门', permission: 'department:create', status: 201,
    body: DepartmentCreate, response: Department,
    handler: ({ ctx, body }) => createDepartment(ctx, body),
  });
  api.route({
    method: 'patch', path: '/departments/:id', tag, summary: '修改或移动部门（需提交 version）', permission: 'department:update',
    params: IdParams, body: DepartmentUpdate, response: Department,
    handler: ({ ctx, params, body }) => updateDepartment(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/departments/:id', tag, summary: '删除部门（须无下级部门和用户）', permission: 'department:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteDepartment(ctx, params.id),
  });
}
