import { IdParams } from '../../../../shared/schemas/common.ts';
import { Customer, CustomerCreate, CustomerListQuery, CustomerPage, CustomerUpdate } from '../../../../shared/schemas/crm.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createCustomer, deleteCustomer, getCustomer, listCustomers, updateCustomer } from './service.ts';

export function customerRoutes(api: ApiRouter): void {
  const tag = '客户';
  api.route({
    method: 'get', path: '/customers', tag, summary: '客户列表（分页、搜索、筛选、按数据范围）', permission: 'customer:read',
    query: CustomerListQuery, response: CustomerPage,
    handler: ({ ctx, query }) => listCustomers(ctx, query),
  });
  api.route({
    method: 'get', path: '/customers/:id', tag, summary: '客户详情', permission: 'customer:read',
    params: IdParams, response: Customer,
    handler: ({ ctx, params }) => getCustomer(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/customers', tag, summary: '新增客户', permission: 'customer:create', status: 201,
    body: CustomerCreate, response: Customer,
    handler: ({ ctx, body }) => createCustomer(ctx, body),
  });
  api.route({
    method: 'patch', path: '/customers/:id', tag, summary: '修改客户（需提交 version）', permission: 'customer:update',
    params: IdParams, body: CustomerUpdate, response: Customer,
    handler: ({ ctx, params, body }) => updateCustomer(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/customers/:id', tag, summary: '删除客户', permission: 'customer:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteCustomer(ctx, params.id),
  });
}
