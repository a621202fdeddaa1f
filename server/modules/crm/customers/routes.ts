import { IdParams } from '../../../../shared/schemas/common.ts';
import { Customer, CustomerCreate, CustomerListQuery, CustomerPage, CustomerUpdate } from '../../../../shared/schemas/crm.ts';
import { ImportResult } from '../../../../shared/schemas/common.ts';
import { sendWorkbook, uploadedWorkbook, XLSX_MIME } from '../../../platform/excel.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { exportCustomers, importCustomers } from './excel.ts';
import { registerAttachable } from '../../attachments/index.ts';
import { createCustomer, customerAttachable, deleteCustomer, getCustomer, listCustomers, updateCustomer } from './service.ts';

export function customerRoutes(api: ApiRouter): void {
  const tag = '客户';
  registerAttachable('customer', customerAttachable);
  // Before /customers/:id, so "export" is not read as an id.
  api.route({
    method: 'get', path: '/customers/export', tag, summary: '导出客户到 Excel（按当前筛选和数据范围）', permission: 'customer:export',
    query: CustomerListQuery.omit({ page: true, pageSize: true }), rawResponse: { contentType: XLSX_MIME, description: '客户.xlsx' },
    handler: async ({ ctx, query, res }) => sendWorkbook(res, '客户.xlsx', await exportCustomers(ctx, query)),
  });
  api.route({
    method: 'post', path: '/customers/import', tag, summary: '从 Excel 导入客户（按编码新增或更新；任一行有误则全部不写入）', permission: 'customer:import',
    upload: { field: 'file' }, response: ImportResult,
    handler: ({ ctx, req }) => importCustomers(ctx, uploadedWorkbook(req)),
  });
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
