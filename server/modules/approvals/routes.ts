// 审批: flow definitions (approvalFlow:*) and the mini-app's approvals. The personal lists and
// actions need only a sign-in: the engine checks who takes part (approver, applicant, CC).
import {
  ApprovalAddApprover, ApprovalComment, ApprovalDecision, ApprovalDetail, ApprovalFlow, ApprovalFlowCreate, ApprovalFlowListQuery,
  ApprovalFlowPage, ApprovalFlowUpdate, ApprovalListQuery, ApprovalPage, ApprovalTransfer, ApprovalWithdraw,
} from '../../../shared/schemas/approvals.ts';
import { IdParams } from '../../../shared/schemas/common.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { addApprover, commentOnApproval, transferApproval, withdrawApproval } from './actions.ts';
import { createFlow, getFlow, listFlows, setFlowActive, updateFlow } from './flows.ts';
import { getApproval, listApprovals } from './queries.ts';
import { decideApproval } from './service.ts';

export function approvalRoutes(api: ApiRouter): void {
  const flows = '审批流程';
  api.route({
    method: 'get', path: '/approval-flows', tag: flows, summary: '审批流程列表（默认只列当前版本；allVersions=true 含历史版本）', permission: 'approvalFlow:read',
    query: ApprovalFlowListQuery, response: ApprovalFlowPage,
    handler: ({ ctx, query }) => listFlows(ctx, query),
  });
  api.route({
    method: 'get', path: '/approval-flows/:id', tag: flows, summary: '审批流程详情（任一版本）', permission: 'approvalFlow:read',
    params: IdParams, response: ApprovalFlow,
    handler: ({ ctx, params }) => getFlow(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/approval-flows', tag: flows, summary: '新增审批流程（每个业务类型一个，版本 1）', permission: 'approvalFlow:create', status: 201,
    body: ApprovalFlowCreate, response: ApprovalFlow,
    handler: ({ ctx, body }) => createFlow(ctx, body),
  });
  api.route({
    method: 'patch', path: '/approval-flows/:id', tag: flows, summary: '修改审批流程：生成新版本并设为当前版本（需提交当前 version）', permission: 'approvalFlow:update',
    params: IdParams, body: ApprovalFlowUpdate, response: ApprovalFlow,
    handler: ({ ctx, params, body }) => updateFlow(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/approval-flows/:id/deactivate', tag: flows, summary: '停用审批流程（新单据不再需要审批；运行中的审批照常进行）', permission: 'approvalFlow:delete',
    params: IdParams, response: ApprovalFlow,
    handler: ({ ctx, params }) => setFlowActive(ctx, params.id, false),
  });
  api.route({
    method: 'post', path: '/approval-flows/:id/activate', tag: flows, summary: '启用审批流程', permission: 'approvalFlow:update',
    params: IdParams, response: ApprovalFlow,
    handler: ({ ctx, params }) => setFlowActive(ctx, params.id, true),
  });

  const tag = '审批';
  // The lists come before /approvals/:id, so "pending" is not read as an id.
  api.route({
    method: 'get', path: '/approvals/pending', tag, summary: '待我审批（分页、搜索）', permission: null,
    query: ApprovalListQuery, response: ApprovalPage,
    handler: ({ ctx, query }) => listApprovals(ctx, 'pending', query),
  });
  api.route({
    method: 'get', path: '/approvals/submitted', tag, summary: '我发起的审批', permission: null,
    query: ApprovalListQuery, response: ApprovalPage,
    handler: ({ ctx, query }) => listApprovals(ctx, 'submitted', query),
  });
  api.route({
    method: 'get', path: '/approvals/cc', tag, summary: '抄送我的审批', permission: null,
    query: ApprovalListQuery, response: ApprovalPage,
    handler: ({ ctx, query }) => listApprovals(ctx, 'cc', query),
  });
  api.route({
    method: 'get', path: '/approvals', tag, summary: '全部审批（需 approval:read）', permission: 'approval:read',
    query: ApprovalListQuery, response: ApprovalPage,
    handler: ({ ctx, query }) => listApprovals(ctx, 'all', query),
  });
  api.route({
    method: 'get', path: '/approvals/:id', tag, summary: '审批详情：节点、审批人、历史、单据摘要（参与人或 approval:read 可见）', permission: null,
    params: IdParams, response: ApprovalDetail,
    handler: ({ ctx, params }) => getApproval(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/approvals/:id/decide', tag, summary: '同意 / 驳回（驳回需填写原因；documentVersion 与审批依据的版本不一致时 409）', permission: null,
    params: IdParams, body: ApprovalDecision, response: ApprovalDetail,
    handler: ({ ctx, params, body }) => decideApproval(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/approvals/:id/withdraw', tag, summary: '撤回（仅申请人，且尚无人处理）', permission: null,
    params: IdParams, body: ApprovalWithdraw, response: ApprovalDetail,
    handler: ({ ctx, params, body }) => withdrawApproval(ctx, params.id, body.comment),
  });
  api.route({
    method: 'post', path: '/approvals/:id/transfer', tag, summary: '转交：把我在当前节点的审批交给他人', permission: null,
    params: IdParams, body: ApprovalTransfer, response: ApprovalDetail,
    handler: ({ ctx, params, body }) => transferApproval(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/approvals/:id/add-approver', tag, summary: '加签：在当前节点增加一名审批人', permission: null,
    params: IdParams, body: ApprovalAddApprover, response: ApprovalDetail,
    handler: ({ ctx, params, body }) => addApprover(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/approvals/:id/comment', tag, summary: '评论（参与人）', permission: null,
    params: IdParams, body: ApprovalComment, response: ApprovalDetail,
    handler: ({ ctx, params, body }) => commentOnApproval(ctx, params.id, body.comment),
  });
}
