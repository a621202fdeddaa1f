// 报工 routes: reporting needs productionTask:report (车间工人); reading reports needs read or report,
// and a reporter without productionTask:read sees only his own reports (data scope in the service).
import { IdParams } from '../../../../shared/schemas/common.ts';
import { WorkReport, WorkReportCreate, WorkReportListQuery, WorkReportPage } from '../../../../shared/schemas/manufacturing.ts';
import { z } from '../../../../shared/schemas/common.ts';
import { assertReadOrReport } from '../production/routes.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { listWorkReports, reportWork, taskWorkReports } from './service.ts';

export function workReportRoutes(api: ApiRouter): void {
  const tag = '报工';
  api.route({
    method: 'post', path: '/production-tasks/:id/work-reports', tag, summary: '报工：工序、良品/报废数量、工时、作业人员（默认本人）；仅已下达或生产中的任务，已下达的任务首次报工即转为生产中', permission: 'productionTask:report', status: 201,
    params: IdParams, body: WorkReportCreate, response: WorkReport,
    handler: ({ ctx, params, body }) => reportWork(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/production-tasks/:id/work-reports', tag, summary: '生产任务单的报工记录（需要查看生产任务单或报工权限；只有报工权限的只看自己的）', permission: null,
    params: IdParams, response: z.array(WorkReport),
    handler: ({ ctx, params }) => { assertReadOrReport(ctx.actor); return taskWorkReports(ctx, params.id); },
  });
  api.route({
    method: 'get', path: '/work-reports', tag, summary: '报工记录（分页；按任务、作业人员、日期筛选，按单号/任务号/工序/人员搜索；只有报工权限的只看自己的）', permission: null,
    query: WorkReportListQuery, response: WorkReportPage,
    handler: ({ ctx, query }) => { assertReadOrReport(ctx.actor); return listWorkReports(ctx, query); },
  });
}
