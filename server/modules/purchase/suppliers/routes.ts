import { IdParams, ImportResult } from '../../../../shared/schemas/common.ts';
import { Supplier, SupplierCreate, SupplierListQuery, SupplierPage, SupplierUpdate } from '../../../../shared/schemas/purchase.ts';
import { sendWorkbook, uploadedWorkbook, XLSX_MIME } from '../../../platform/excel.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { exportSuppliers, importSuppliers } from './excel.ts';
import { registerAttachable } from '../../attachments/index.ts';
import { createSupplier, deleteSupplier, getSupplier, listSuppliers, supplierAttachable, updateSupplier } from './service.ts';

export function supplierRoutes(api: ApiRouter): void {
  const tag = '供应商';
  registerAttachable('supplier', supplierAttachable);
  // Before /suppliers/:id, so "export" is not read as an id.
  api.route({
    method: 'get', path: '/suppliers/export', tag, summary: '导出供应商到 Excel（按当前筛选）', permission: 'supplier:export',
    query: SupplierListQuery.omit({ page: true, pageSize: true }), rawResponse: { contentType: XLSX_MIME, description: '供应商.xlsx' },
    handler: async ({ ctx, query, res }) => sendWorkbook(res, '供应商.xlsx', await exportSuppliers(ctx, query)),
  });
  api.route({
    method: 'post', path: '/suppliers/import', tag, summary: '从 Excel 导入供应商（按编码新增或更新；任一行有误则全部不写入）', permission: 'supplier:import',
    upload: { field: 'file' }, response: ImportResult,
    handler: ({ ctx, req }) => importSuppliers(ctx, uploadedWorkbook(req)),
  });
  api.route({
    method: 'get', path: '/suppliers', tag, summary: '供应商列表（分页、搜索、筛选）', permission: 'supplier:read',
    query: SupplierListQuery, response: SupplierPage,
    handler: ({ ctx, query }) => listSuppliers(ctx, query),
  });
  api.route({
    method: 'get', path: '/suppliers/:id', tag, summary: '供应商详情', permission: 'supplier:read',
    params: IdParams, response: Supplier,
    handler: ({ ctx, params }) => getSupplier(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/suppliers', tag, summary: '新增供应商', permission: 'supplier:create', status: 201,
    body: SupplierCreate, response: Supplier,
    handler: ({ ctx, body }) => createSupplier(ctx, body),
  });
  api.route({
    method: 'patch', path: '/suppliers/:id', tag, summary: '修改供应商（需提交 version）', permission: 'supplier:update',
    params: IdParams, body: SupplierUpdate, response: Supplier,
    handler: ({ ctx, params, body }) => updateSupplier(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/suppliers/:id', tag, summary: '删除供应商', permission: 'supplier:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteSupplier(ctx, params.id),
  });
}
