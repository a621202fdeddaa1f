// 物料需求计划 (MRP) routes: run with mrp:run, read with mrp:read, edit/firm/release with mrp:write.
// The fixed suggestion paths (firm, release) are POSTs, so they never collide with PATCH /:id.
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  MrpFirmResult, MrpReleaseResult, MrpRun, MrpRunListQuery, MrpRunPage, MrpSuggestion, MrpSuggestionIds, MrpSuggestionListQuery, MrpSuggestionPage, MrpSuggestionUpdate,
} from '../../../../shared/schemas/manufacturing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import {
  firmMrpSuggestions, getMrpRun, listMrpRuns, listMrpSuggestions, releaseMrpSuggestions, startMrpRun, updateMrpSuggestion,
} from './service.ts';

export function mrpRoutes(api: ApiRouter): void {
  const tag = '物料需求计划';
  api.route({
    method: 'post', path: '/mrp/runs', tag, summary: '运行物料需求计算（全重排；每家公司同时只能有一个在运行，否则 409 并说明谁在运行）', permission: 'mrp:run', status: 201,
    response: MrpRun,
    handler: ({ ctx }) => startMrpRun(ctx),
  });
  api.route({
    method: 'get', path: '/mrp/runs', tag, summary: '物料需求计算记录（分页，最新在前）', permission: 'mrp:read',
    query: MrpRunListQuery, response: MrpRunPage,
    handler: ({ ctx, query }) => listMrpRuns(ctx, query),
  });
  api.route({
    method: 'get', path: '/mrp/runs/:id', tag, summary: '一次物料需求计算的状态与进度（运行中也可读）', permission: 'mrp:read',
    params: IdParams, response: MrpRun,
    handler: ({ ctx, params }) => getMrpRun(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/mrp/suggestions', tag, summary: '物料需求建议（分页，按物料编码/名称搜索，按类型/状态/是否过期筛选；含需求追溯与服务的订单）', permission: 'mrp:read',
    query: MrpSuggestionListQuery, response: MrpSuggestionPage,
    handler: ({ ctx, query }) => listMrpSuggestions(ctx, query),
  });
  api.route({
    method: 'post', path: '/mrp/suggestions/firm', tag, summary: '确认建议（确认后下次计算保留并作为供应）', permission: 'mrp:write',
    body: MrpSuggestionIds, response: MrpFirmResult,
    handler: ({ ctx, body }) => firmMrpSuggestions(ctx, body),
  });
  api.route({
    method: 'post', path: '/mrp/suggestions/release', tag, summary: '合并投放：所选采购建议生成一张请购单、生产建议各生成一张生产任务单（需相应的新增权限；并发点击只投放一次）', permission: 'mrp:write', status: 201,
    body: MrpSuggestionIds, response: MrpReleaseResult,
    handler: ({ ctx, body }) => releaseMrpSuggestions(ctx, body),
  });
  api.route({
    method: 'patch', path: '/mrp/suggestions/:id', tag, summary: '修改建议的数量或需求日期（需提交 version）', permission: 'mrp:write',
    params: IdParams, body: MrpSuggestionUpdate, response: MrpSuggestion,
    handler: ({ ctx, params, body }) => updateMrpSuggestion(ctx, params.id, body),
  });
}
