// 齐套分析 routes, read-only, with kitting:read (planner, sales, warehouse, purchasing: the answer
// shows component quantities and PO dates, never the BOM's structure or prices). The sales order
// variant also needs salesOrder:read and keeps to the actor's data scope; the production task variant
// needs what reading tasks needs (productionTask:read or :report; tasks are not data-scoped). 足缺料分析
// over production tasks is read with productionTask:read.
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  Kitting, KittingQuery, ProductionTaskKitting, ProductionTaskKittingQuery, SalesOrderKitting, SalesOrderKittingQuery, ShortageAnalysisQuery, ShortageTaskPage,
} from '../../../../shared/schemas/manufacturing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { assertReadOrReport } from '../production/routes.ts';
import { kittingFor, kittingForProductionTasks, kittingForSalesOrder } from './service.ts';
import { shortageAnalysis } from './shortage.ts';

export function kittingRoutes(api: ApiRouter): void {
  const tag = '齐套分析';
  api.route({
    method: 'get', path: '/kitting', tag, permission: 'kitting:read',
    summary: '齐套分析：按 BOM 展开到末级，对照可用库存（合格在库 − 预留）与在途采购，得出现在可生产的数量、瓶颈物料和缺料的到货日期',
    query: KittingQuery, response: Kitting,
    handler: ({ ctx, query }) => kittingFor(ctx, query),
  });
  api.route({
    method: 'get', path: '/kitting/sales-orders/:id', tag, permission: 'kitting:read',
    summary: '销售订单齐套分析：各行待生产数量（订单 − 已发 − 预留）中自制物料的齐套情况，各行按行号共用库存与在途（另需销售订单查看权限，按数据范围）',
    params: IdParams, query: SalesOrderKittingQuery, response: SalesOrderKitting,
    handler: ({ ctx, params, query }) => kittingForSalesOrder(ctx, params.id, query),
  });
  api.route({
    method: 'get', path: '/kitting/production-tasks', tag, permission: 'kitting:read',
    summary: '生产任务单齐套分析：所选任务（计划、已下达、生产中）未配套的数量中现在可齐套多少、瓶颈物料、缺料到货日期；各任务按计划开工日再按单号先后共用可用库存与在途（另需查看生产任务单权限）',
    query: ProductionTaskKittingQuery, response: ProductionTaskKitting,
    handler: ({ ctx, query }) => { assertReadOrReport(ctx.actor); return kittingForProductionTasks(ctx, query); },
  });
  // registered before /production-tasks/:id (this module's routes mount first)
  api.route({
    method: 'get', path: '/production-tasks/shortage-analysis', tag: '生产任务单', permission: 'productionTask:read',
    summary: '足缺料分析：已下达和生产中的任务按计划开工先后分配可用库存（合格在库 − 预留），缺口按到货先后占用在途采购，给出每个任务每种物料的需求、分到的库存、缺口与预计到货',
    query: ShortageAnalysisQuery, response: ShortageTaskPage,
    handler: ({ ctx, query }) => shortageAnalysis(ctx, query),
  });
}
