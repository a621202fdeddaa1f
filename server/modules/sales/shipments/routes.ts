import { IdParams } from '../../../../shared/schemas/common.ts';
import { SalesReturn, SalesReturnCreate, SalesReturnListQuery, SalesReturnPage, Shipment, ShipmentCreate, ShipmentListQuery, ShipmentPage } from '../../../../shared/schemas/sales/shipments.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createReturn, getReturn, listReturns } from '../returns/service.ts';
import { createShipment, getShipment, listShipments } from './service.ts';

export function shipmentRoutes(api: ApiRouter): void {
  const tag = '销售出库与退货';
  api.route({
    method: 'post', path: '/sales-orders/:id/shipments', tag, summary: '按订单发货（销售出库单，可部分发货；消耗预留、按移动加权平均出库）', permission: 'shipment:create', status: 201,
    params: IdParams, body: ShipmentCreate, response: Shipment,
    handler: ({ ctx, params, body }) => createShipment(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/sales-orders/:id/returns', tag, summary: '销售退货（按发货成本入库）', permission: 'shipment:create', status: 201,
    params: IdParams, body: SalesReturnCreate, response: SalesReturn,
    handler: ({ ctx, params, body }) => createReturn(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/shipments', tag, summary: '销售出库单列表（分页、搜索、筛选；按订单的数据范围）', permission: 'shipment:read',
    query: ShipmentListQuery, response: ShipmentPage,
    handler: ({ ctx, query }) => listShipments(ctx, query),
  });
  api.route({
    method: 'get', path: '/shipments/:id', tag, summary: '销售出库单详情', permission: 'shipment:read',
    params: IdParams, response: Shipment,
    handler: ({ ctx, params }) => getShipment(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/sales-returns', tag, summary: '销售退货单列表（分页、搜索、筛选；按订单的数据范围）', permission: 'shipment:read',
    query: SalesReturnListQuery, response: SalesReturnPage,
    handler: ({ ctx, query }) => listReturns(ctx, query),
  });
  api.route({
    method: 'get', path: '/sales-returns/:id', tag, summary: '销售退货单详情', permission: 'shipment:read',
    params: IdParams, response: SalesReturn,
    handler: ({ ctx, params }) => getReturn(ctx, params.id),
  });
}
