// CRM routes beside customers: 线索, 商机 (stages, pipeline, forecast), 跟进记录 and the customer 360.
import { IdParams, z } from '../../../shared/schemas/common.ts';
import {
  Customer360, FollowUp, FollowUpCreate, FollowUpListQuery, FollowUpPage, ForecastQuery, Lead, LeadAssign, LeadConvert, LeadCreate, LeadListQuery, LeadPage, LeadUpdate,
  Opportunity, OpportunityCreate, OpportunityDetail, OpportunityForecast, OpportunityListQuery, OpportunityPage, OpportunityStageList, OpportunityStageMove,
  OpportunityStagesReplace, OpportunityUpdate, Pipeline, PipelineQuery,
} from '../../../shared/schemas/crm-pipeline.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { customer360 } from './customer-360/service.ts';
import { createFollowUp, deleteFollowUp, getFollowUp, listFollowUps } from './follow-ups/service.ts';
import { assignLead, convertLead, createLead, deleteLead, getLead, listLeads, updateLead } from './leads/service.ts';
import {
  createOpportunity, deleteOpportunity, forecast, getOpportunity, listOpportunities, moveOpportunityStage, moveStageFromVisit, pipeline, updateOpportunity,
} from './opportunities/service.ts';
import { onVisitOpportunityStage } from './visits/service.ts';
import { listStages, replaceStages } from './opportunities/stages.ts';

const LeadConversion = z
  .object({ lead: Lead, customer: z.object({ id: z.string(), code: z.string(), name: z.string() }), opportunity: Opportunity.nullable() })
  .openapi('LeadConversion');

export function crmRoutes(api: ApiRouter): void {
  // a visit's note may move its opportunity along (拜访中推进商机), in the visit's transaction
  onVisitOpportunityStage((tx, ctx, change) => moveStageFromVisit(tx, ctx, change));
  leadRoutes(api);
  opportunityRoutes(api);
  followUpRoutes(api);
  api.route({
    method: 'get', path: '/customers/:id/360', tag: '客户', summary: '客户 360：资料、联系人、跟进记录、商机、订单进度、应收与逾期、审批中的单据、拜访', permission: 'customer:read',
    params: IdParams, response: Customer360,
    handler: ({ ctx, params }) => customer360(ctx, params.id),
  });
}

function leadRoutes(api: ApiRouter): void {
  const tag = '线索';
  api.route({
    method: 'get', path: '/leads', tag, summary: '线索列表（分页、搜索、按数据范围）', permission: 'lead:read',
    query: LeadListQuery, response: LeadPage,
    handler: ({ ctx, query }) => listLeads(ctx, query),
  });
  api.route({
    method: 'get', path: '/leads/:id', tag, summary: '线索详情', permission: 'lead:read',
    params: IdParams, response: Lead,
    handler: ({ ctx, params }) => getLead(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/leads', tag, summary: '新增线索', permission: 'lead:create', status: 201,
    body: LeadCreate, response: Lead,
    handler: ({ ctx, body }) => createLead(ctx, body),
  });
  api.route({
    method: 'patch', path: '/leads/:id', tag, summary: '修改线索、改状态（无效需填原因；需提交 version）', permission: 'lead:update',
    params: IdParams, body: LeadUpdate, response: Lead,
    handler: ({ ctx, params, body }) => updateLead(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/leads/:id/assign', tag, summary: '分配线索给数据范围内的销售员', permission: 'lead:assign',
    params: IdParams, body: LeadAssign, response: Lead,
    handler: ({ ctx, params, body }) => assignLead(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/leads/:id/convert', tag, summary: '转化为客户（和商机），一个事务；只能转化一次，同名客户拒绝', permission: 'lead:convert',
    params: IdParams, body: LeadConvert, response: LeadConversion,
    handler: ({ ctx, params, body }) => convertLead(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/leads/:id', tag, summary: '删除线索（已转化的不能删除）', permission: 'lead:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteLead(ctx, params.id),
  });
}

function opportunityRoutes(api: ApiRouter): void {
  const tag = '商机';
  api.route({
    method: 'get', path: '/opportunity-stages', tag, summary: '商机阶段（每个阶段的赢单概率）', permission: 'opportunity:read',
    response: OpportunityStageList,
    handler: ({ ctx }) => listStages(ctx),
  });
  api.route({
    method: 'put', path: '/opportunity-stages', tag, summary: '设置进行中的商机阶段及赢单概率', permission: 'opportunityStage:write',
    body: OpportunityStagesReplace, response: OpportunityStageList,
    handler: ({ ctx, body }) => replaceStages(ctx, body),
  });
  // Before /opportunities/:id, so "pipeline" is not read as an id.
  api.route({
    method: 'get', path: '/opportunities/pipeline', tag, summary: '销售漏斗：进行中的商机按阶段的个数、金额、加权金额', permission: 'opportunity:read',
    query: PipelineQuery, response: Pipeline,
    handler: ({ ctx, query }) => pipeline(ctx, query),
  });
  api.route({
    method: 'get', path: '/opportunities/forecast', tag, summary: '销售预测：按预计成交月份和销售员，金额 × 赢单概率', permission: 'opportunity:read',
    query: ForecastQuery, response: OpportunityForecast,
    handler: ({ ctx, query }) => forecast(ctx, query),
  });
  api.route({
    method: 'get', path: '/opportunities', tag, summary: '商机列表（分页、搜索、按数据范围）', permission: 'opportunity:read',
    query: OpportunityListQuery, response: OpportunityPage,
    handler: ({ ctx, query }) => listOpportunities(ctx, query),
  });
  api.route({
    method: 'get', path: '/opportunities/:id', tag, summary: '商机详情与阶段变更记录', permission: 'opportunity:read',
    params: IdParams, response: OpportunityDetail,
    handler: ({ ctx, params }) => getOpportunity(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/opportunities', tag, summary: '新增商机', permission: 'opportunity:create', status: 201,
    body: OpportunityCreate, response: Opportunity,
    handler: ({ ctx, body }) => createOpportunity(ctx, body),
  });
  api.route({
    method: 'patch', path: '/opportunities/:id', tag, summary: '修改商机（需提交 version）', permission: 'opportunity:update',
    params: IdParams, body: OpportunityUpdate, response: Opportunity,
    handler: ({ ctx, params, body }) => updateOpportunity(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/opportunities/:id/stage', tag, summary: '变更商机阶段（记录变更历史；输单、无效需填原因）', permission: 'opportunity:update',
    params: IdParams, body: OpportunityStageMove, response: OpportunityDetail,
    handler: ({ ctx, params, body }) => moveOpportunityStage(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/opportunities/:id', tag, summary: '删除商机', permission: 'opportunity:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteOpportunity(ctx, params.id),
  });
}

function followUpRoutes(api: ApiRouter): void {
  const tag = '跟进记录';
  api.route({
    method: 'get', path: '/follow-ups', tag, summary: '跟进记录（分页、搜索、按数据范围）', permission: 'followUp:read',
    query: FollowUpListQuery, response: FollowUpPage,
    handler: ({ ctx, query }) => listFollowUps(ctx, query),
  });
  api.route({
    method: 'get', path: '/follow-ups/:id', tag, summary: '跟进记录详情', permission: 'followUp:read',
    params: IdParams, response: FollowUp,
    handler: ({ ctx, params }) => getFollowUp(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/follow-ups', tag, summary: '写跟进记录（下次联系日期写到客户上，当天在聊天里提醒）', permission: 'followUp:create', status: 201,
    body: FollowUpCreate, response: FollowUp,
    handler: ({ ctx, body }) => createFollowUp(ctx, body),
  });
  api.route({
    method: 'delete', path: '/follow-ups/:id', tag, summary: '删除跟进记录', permission: 'followUp:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteFollowUp(ctx, params.id),
  });
}
