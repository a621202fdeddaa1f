// 项目的接口: 项目列表、报销明细的项目选择、详情、新增、修改、结束（关闭）与重新打开，及项目收支表.
import { IdParams } from '../../../../shared/schemas/common.ts';
import { Project, ProjectClose, ProjectCreate, ProjectIncome, ProjectIncomeQuery, ProjectListQuery, ProjectOptionPage, ProjectOptionsQuery, ProjectPage, ProjectReopen, ProjectUpdate } from '../../../../shared/schemas/projects.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { getProjectIncome } from './income.ts';
import { closeProject, createProject, getProject, listProjectOptions, listProjects, reopenProject, updateProject } from './service.ts';

export function projectRoutes(api: ApiRouter): void {
  const tag = '项目';
  api.route({
    method: 'get', path: '/projects', tag, summary: '项目列表（分页、搜索编码/名称，按状态、客户筛选）', permission: 'project:read',
    query: ProjectListQuery, response: ProjectPage,
    handler: ({ ctx, query }) => listProjects(ctx, query),
  });
  // Anyone signed in may file an expense claim (its routes need no permission), so anyone may pick
  // its lines' project here — without project:read's customer, manager and dates. Before /:id.
  api.route({
    method: 'get', path: '/projects/options', tag, summary: '项目选择（报销明细用）：进行中的项目，分页、搜索编码/名称，只含 id、编码、名称', permission: null,
    query: ProjectOptionsQuery, response: ProjectOptionPage,
    handler: ({ ctx, query }) => listProjectOptions(ctx, query),
  });
  api.route({
    method: 'get', path: '/projects/:id', tag, summary: '项目详情', permission: 'project:read',
    params: IdParams, response: Project,
    handler: ({ ctx, params }) => getProject(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/projects', tag, summary: '新增项目（凭证分录可按项目辅助核算）', permission: 'project:write', status: 201,
    body: ProjectCreate, response: Project,
    handler: ({ ctx, body }) => createProject(ctx, body),
  });
  api.route({
    method: 'patch', path: '/projects/:id', tag, summary: '修改项目（需提交 version）', permission: 'project:write',
    params: IdParams, body: ProjectUpdate, response: Project,
    handler: ({ ctx, params, body }) => updateProject(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/projects/:id/close', tag, summary: '结束项目（结束日期之后的凭证不能再记到该项目）', permission: 'project:write',
    params: IdParams, body: ProjectClose, response: Project,
    handler: ({ ctx, params, body }) => closeProject(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/projects/:id/reopen', tag, summary: '重新打开已结束的项目', permission: 'project:write',
    params: IdParams, body: ProjectReopen, response: Project,
    handler: ({ ctx, params, body }) => reopenProject(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/project-income', tag, summary: '项目收支表（按项目汇总期间内收入、成本费用与在建投入）', permission: 'voucher:read',
    query: ProjectIncomeQuery, response: ProjectIncome,
    handler: ({ ctx, query }) => getProjectIncome(ctx, query),
  });
}
