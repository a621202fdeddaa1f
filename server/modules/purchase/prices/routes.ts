// 供应商价目表: read with purchaseOrder:read (buyers and whoever sees purchase orders), change with
// purchaseOrder:update — the price list is the buyers' tool for pricing orders.
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  PickedPrice, SupplierPrice, SupplierPriceCreate, SupplierPriceListQuery, SupplierPricePage, SupplierPricePickQuery, SupplierPriceUpdate,
} from '../../../../shared/schemas/purchasing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createSupplierPrice, deleteSupplierPrice, getSupplierPrice, listSupplierPrices, pickPrice, updateSupplierPrice } from './service.ts';

export function supplierPriceRoutes(api: ApiRouter): void {
  const tag = '供应商价目表';
  // Before /supplier-prices/:id, so "pick" is not read as an id.
  api.route({
    method: 'get', path: '/supplier-prices/pick', tag, summary: '采购订单行的默认含税单价（价目表 → 标准成本 → 0）', permission: 'purchaseOrder:read',
    query: SupplierPricePickQuery, response: PickedPrice,
    handler: ({ ctx, query }) => pickPrice(ctx, query),
  });
  api.route({
    method: 'get', path: '/supplier-prices', tag, summary: '供应商价目表（分页、搜索供应商/物料、按供应商/物料/有效日期筛选）', permission: 'purchaseOrder:read',
    query: SupplierPriceListQuery, response: SupplierPricePage,
    handler: ({ ctx, query }) => listSupplierPrices(ctx, query),
  });
  api.route({
    method: 'get', path: '/supplier-prices/:id', tag, summary: '供应商价格详情', permission: 'purchaseOrder:read',
    params: IdParams, response: SupplierPrice,
    handler: ({ ctx, params }) => getSupplierPrice(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/supplier-prices', tag, summary: '新增供应商价格', permission: 'purchaseOrder:update', status: 201,
    body: SupplierPriceCreate, response: SupplierPrice,
    handler: ({ ctx, body }) => createSupplierPrice(ctx, body),
  });
  api.route({
    method: 'patch', path: '/supplier-prices/:id', tag, summary: '修改供应商价格', permission: 'purchaseOrder:update',
    params: IdParams, body: SupplierPriceUpdate, response: SupplierPrice,
    handler: ({ ctx, params, body }) => updateSupplierPrice(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/supplier-prices/:id', tag, summary: '删除供应商价格', permission: 'purchaseOrder:update', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteSupplierPrice(ctx, params.id),
  });
}
