// 质检 routes: read with qualityInspection:read, record a result with qualityInspection:record (质检员).
import { IdParams } from '../../../shared/schemas/common.ts';
import { QualityInspectionDetail, QualityInspectionListQuery, QualityInspectionPage, QualityInspectionRecord } from '../../../shared/schemas/quality.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { getInspection, listInspections, recordInspection } from './service.ts';

export function qualityRoutes(api: ApiRouter): void {
  const tag = '质检';
  api.route({
    method: 'get', path: '/quality-inspections', tag, summary: '检验单列表（分页，按单号/来源单号/物料搜索，按状态筛选）', permission: 'qualityInspection:read',
    query: QualityInspectionListQuery, response: QualityInspectionPage,
    handler: ({ ctx, query }) => listInspections(ctx, query),
  });
  api.route({
    method: 'get', path: '/quality-inspections/:id', tag, summary: '检验单详情（含录入记录）', permission: 'qualityInspection:read',
    params: IdParams, response: QualityInspectionDetail,
    handler: ({ ctx, params }) => getInspection(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/quality-inspections/:id/results', tag,
    summary: '录入质检结果：合格与让步接收转为合格库存（可用），不合格转入不良品仓；合计不超过待检数量，可分次录入', permission: 'qualityInspection:record',
    params: IdParams, body: QualityInspectionRecord, response: QualityInspectionDetail,
    handler: ({ ctx, params, body }) => recordInspection(ctx, params.id, body),
  });
}
