// 生产任务单 routes: read with productionTask:read, create with :create, release/close/cancel with
// :update, 配套领料 and 完工入库 with :issue (the warehouse has read + issue).
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  ProductionTaskBatchResult, ProductionTaskCreate, ProductionTaskDetail, ProductionTaskFromSalesOrders, ProductionTaskIssue, ProductionTaskListQuery, ProductionTaskPage, ProductionTaskReceipt,
} from '../../../../shared/schemas/manufacturing.ts';
import { can, type Actor } from '../../../platform/actor.ts';
import { lacking } from '../../../platform/errors.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import {
  cancelProductionTask, closeProductionTask, createProductionTask, createTasksFromSalesOrders, getProductionTask, issueProductionTask, listProductionTasks, receiveProductionTask,
  releaseProductionTask,
} from './service.ts';

/** Tasks are read by planners (productionTask:read) and by workers who report on them (productionTask:report). */
export function assertReadOrReport(actor: Actor): void {
  if (!can(actor, 'productionTask:read') && !can(actor, 'productionTask:report')) throw lacking('productionTask:read');
}

export function productionTaskRoutes(api: ApiRouter): void {
  const tag = '生产任务单';
  api.route({
    method: 'post', path: '/production-tasks', tag, summary: '新建生产任务单（计划状态；物料须在计划开工日有有效的 BOM 版本）', permission: 'productionTask:create', status: 201,
    body: ProductionTaskCreate, response: ProductionTaskDetail,
    handler: ({ ctx, body }) => createProductionTask(ctx, body),
  });
  api.route({
    method: 'post', path: '/production-tasks/from-sales-orders', tag, summary: '以销定产：按所选销售订单行（未被库存预留的未发数量）各生成一张生产任务单；已有任务的行被拒绝', permission: 'productionTask:create', status: 201,
    body: ProductionTaskFromSalesOrders, response: ProductionTaskBatchResult,
    handler: ({ ctx, body }) => createTasksFromSalesOrders(ctx, body),
  });
  api.route({
    method: 'get', path: '/production-tasks', tag, summary: '生产任务单列表（分页，按单号/物料搜索，按状态筛选；需要查看生产任务单或报工权限）', permission: null,
    query: ProductionTaskListQuery, response: ProductionTaskPage,
    handler: ({ ctx, query }) => { assertReadOrReport(ctx.actor); return listProductionTasks(ctx, query); },
  });
  api.route({
    method: 'get', path: '/production-tasks/:id', tag, summary: '生产任务单详情（用料、报工合计与时间线；需要查看生产任务单或报工权限）', permission: null,
    params: IdParams, response: ProductionTaskDetail,
    handler: ({ ctx, params }) => { assertReadOrReport(ctx.actor); return getProductionTask(ctx, params.id); },
  });
  api.route({
    method: 'post', path: '/production-tasks/:id/release', tag, summary: '下达：按计划开工日有效的 BOM 版本展开用料（含损耗、跳层）', permission: 'productionTask:update',
    params: IdParams, response: ProductionTaskDetail,
    handler: ({ ctx, params }) => releaseProductionTask(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/production-tasks/:id/issue', tag, summary: '配套领料：按成品数量发出各配套物料的份额（库存不足则整单不发）', permission: 'productionTask:issue',
    params: IdParams, body: ProductionTaskIssue, response: ProductionTaskDetail,
    handler: ({ ctx, params, body }) => issueProductionTask(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/production-tasks/:id/receipts', tag, summary: '完工入库（可部分入库；按标准成本暂估入库，倒冲物料同时发出；全部入库即完工）', permission: 'productionTask:issue',
    params: IdParams, body: ProductionTaskReceipt, response: ProductionTaskDetail,
    handler: ({ ctx, params, body }) => receiveProductionTask(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/production-tasks/:id/close', tag, summary: '关闭生产任务单', permission: 'productionTask:update',
    params: IdParams, response: ProductionTaskDetail,
    handler: ({ ctx, params }) => closeProductionTask(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/production-tasks/:id/cancel', tag, summary: '取消生产任务单（仅计划或未领料的已下达任务）', permission: 'productionTask:update',
    params: IdParams, response: ProductionTaskDetail,
    handler: ({ ctx, params }) => cancelProductionTask(ctx, params.id),
  });
}
