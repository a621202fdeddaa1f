import { z } from 'zod';
import { IdParams } from '../../../../shared/schemas/common.ts';
import { Visit, VisitCancel, VisitCheckIn, VisitCreate, VisitListQuery, VisitPage, VisitPhoto, VisitUpdate } from '../../../../shared/schemas/visits.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { registerAttachable, uploadAttachment } from '../../attachments/index.ts';
import {
  applyProposedPin, assertCanAddPhoto, cancelVisit, checkIn, checkOut, createVisit, getVisit, listVisits, todayVisits, updateVisit, visitAttachable, visitPhoto,
} from './service.ts';

export function visitRoutes(api: ApiRouter): void {
  const tag = '拜访';
  registerAttachable('visit', visitAttachable);
  // Before /visits/:id, so "today" is not read as an id.
  api.route({
    method: 'get', path: '/visits/today', tag, summary: '今日拜访计划（本人：今天计划的和仍在拜访中的）', permission: 'visit:read',
    response: z.array(Visit),
    handler: ({ ctx }) => todayVisits(ctx),
  });
  api.route({
    method: 'get', path: '/visits', tag, summary: '拜访列表（按数据范围：销售员看本人，经理看本部门；可按日期、销售员、预警筛选）', permission: 'visit:read',
    query: VisitListQuery, response: VisitPage,
    handler: ({ ctx, query }) => listVisits(ctx, query),
  });
  api.route({
    method: 'get', path: '/visits/:id', tag, summary: '拜访详情（含照片和水印文字）', permission: 'visit:read',
    params: IdParams, response: Visit,
    handler: ({ ctx, params }) => getVisit(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/visits', tag, summary: '安排拜访计划', permission: 'visit:write', status: 201,
    body: VisitCreate, response: Visit,
    handler: ({ ctx, body }) => createVisit(ctx, body),
  });
  api.route({
    method: 'post', path: '/visits/:id/check-in', tag, summary: '签到（带手机定位；服务器换算坐标、计算距客户距离）', permission: 'visit:write',
    params: IdParams, body: VisitCheckIn, response: Visit,
    handler: ({ ctx, params, body }) => checkIn(ctx, params.id, body.position!),
  });
  api.route({
    method: 'post', path: '/visits/:id/photos', tag, summary: '上传拜访照片（multipart，字段 file；只收图片）', permission: 'visit:write', status: 201,
    params: IdParams, upload: { field: 'file' }, response: VisitPhoto,
    handler: async ({ ctx, params, req }) => {
      await assertCanAddPhoto(ctx, params.id);
      const photo = await uploadAttachment(ctx, req.file, { entity: 'visit', entityId: params.id });
      return visitPhoto(ctx, params.id, photo.id);
    },
  });
  api.route({
    method: 'patch', path: '/visits/:id', tag, summary: '填写拜访记录（纪要、下一步、商机阶段；需提交 version）', permission: 'visit:write',
    params: IdParams, body: VisitUpdate, response: Visit,
    handler: ({ ctx, params, body }) => updateVisit(ctx, params.id, body),
  });
  api.route({
    method: 'post', path: '/visits/:id/check-out', tag, summary: '签退（计算拜访时长，过短标记）', permission: 'visit:write',
    params: IdParams, response: Visit,
    handler: ({ ctx, params }) => checkOut(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/visits/:id/cancel', tag, summary: '取消拜访计划（签到前；须填原因）', permission: 'visit:write',
    params: IdParams, body: VisitCancel, response: Visit,
    handler: ({ ctx, params, body }) => cancelVisit(ctx, params.id, body.reason),
  });
  api.route({
    method: 'post', path: '/visits/:id/apply-pin', tag, summary: '采用拜访签到位置作为客户位置（客户原无位置时）', permission: 'visit:confirm',
    params: IdParams, response: Visit,
    handler: ({ ctx, params }) => applyProposedPin(ctx, params.id),
  });
}
