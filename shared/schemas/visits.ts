// 拜访: plans, check-in with a position from the phone, photos, notes, check-out.
import { COORD_SYSTEMS, POSITION_SOURCES, VISIT_STATES } from '../enums.ts';
import { BooleanQuery, Id, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';

const PhoneTime = (what: string) =>
  z.iso.datetime({ offset: true, message: `${what}格式应为 ISO 8601，如 2026-12-07T10:00:00.000+08:00` }).openapi({ format: 'date-time' });

/**
 * 签到位置, as the phone read it: the coordinates in the system its source gives (browsers and WeCom
 * WGS-84 by default, DingTalk with coordinate 1 and Feishu with gcj02 GCJ-02), and two times from
 * the phone's own clock — when the fix was taken and when it was sent — so its clock skew cancels.
 */
export const Position = z
  .object({
    lat: z.number({ message: '纬度应为数字' }).min(-90, '纬度应在 -90 到 90 之间').max(90, '纬度应在 -90 到 90 之间'),
    lng: z.number({ message: '经度应为数字' }).min(-180, '经度应在 -180 到 180 之间').max(180, '经度应在 -180 到 180 之间'),
    coordSystem: z.enum(COORD_SYSTEMS, { message: '坐标系只能是 wgs84、gcj02、bd09' }),
    accuracy: z.number({ message: '定位精度应为数字（米）' }).min(0, '定位精度不能为负').max(100_000, '定位精度最大 100000 米'),
    source: z.enum(POSITION_SOURCES, { message: '定位来源只能是 browser、lark、wecom、dingtalk' }),
    capturedAt: PhoneTime('定位时间'),
    sentAt: PhoneTime('发送时间'),
  })
  .openapi('Position', { description: '手机上取得的位置；capturedAt、sentAt 都是手机时间（两者之差不受手机时钟偏差影响）' });
export type Position = z.infer<typeof Position>;

export const VisitCheckIn = z
  .object({ position: Position.optional() })
  .refine((v) => v.position !== undefined, { message: '签到必须带上当前位置，请允许定位后重试', path: ['position'] })
  .openapi('VisitCheckIn');

export const VisitCreate = z
  .object({
    customerId: Id,
    plannedAt: PhoneTime('计划时间'),
    purpose: OptionalText(200),
    salespersonId: Id.nullish().openapi({ description: '拜访的销售员；默认为本人（经理可安排本部门的销售员）' }),
  })
  .openapi('VisitCreate');

export const VisitUpdate = z
  .object({
    notes: OptionalText(2000),
    nextStep: OptionalText(500),
    opportunityId: Id.nullish().openapi({ description: '推进的商机（商机模块接入后生效）' }),
    opportunityStage: z.string().trim().min(1, '商机阶段不能为空').max(40, '最长 40 个字符').nullish(),
    version: Version,
  })
  .refine((v) => (v.opportunityStage == null) || v.opportunityId != null, { message: '修改商机阶段时必须指明商机', path: ['opportunityId'] })
  .openapi('VisitUpdate', { description: '拜访记录：纪要、下一步，可同时推进商机阶段' });

export const VisitCancel = z
  .object({ reason: z.string({ message: '请填写取消原因' }).trim().min(1, '请填写取消原因').max(200, '最长 200 个字符') })
  .openapi('VisitCancel');

const LatLng = z.object({ lat: z.string(), lng: z.string() });

export const VisitCheckInView = z.object({
  at: Timestamp.openapi({ description: '服务器记录的签到时间（以此为准）' }),
  capturedAt: Timestamp,
  sentAt: Timestamp,
  source: z.enum(POSITION_SOURCES),
  sourceLabel: z.string(),
  coordSystem: z.enum(COORD_SYSTEMS),
  accuracy: z.string().openapi({ description: '定位精度（米）' }),
  wgs84: LatLng,
  gcj02: LatLng,
  distanceMeters: z.number().int().nullable().openapi({ description: '距客户位置（米）；null = 客户没有位置，距离未知' }),
  radiusMeters: z.number().int(),
  distanceWarning: z.boolean().openapi({ description: '超出公司设定的签到半径' }),
  pinProposed: z.boolean().openapi({ description: '客户没有位置：此次签到位置作为客户位置的建议，待经理采用' }),
  pinAppliedAt: Timestamp.nullable(),
});

export const VisitPhoto = z
  .object({
    id: z.string().openapi({ description: '附件 ID；内容在 /api/v1/attachments/{id}/content' }),
    fileName: z.string(),
    mimeType: z.string(),
    size: z.number().int(),
    createdAt: Timestamp,
    overlay: z.object({ time: z.string(), place: z.string(), person: z.string() }).openapi({ description: '水印文字（时间、地点、人），取自服务器记录' }),
  })
  .openapi('VisitPhoto');

export const Visit = z
  .object({
    id: z.string(),
    state: z.enum(VISIT_STATES),
    stateLabel: z.string(),
    closeReason: z.string().nullable(),
    salesperson: z.object({ id: z.string(), name: z.string() }),
    customer: z.object({ id: z.string(), code: z.string(), name: z.string(), address: z.string().nullable(), latitude: z.string().nullable(), longitude: z.string().nullable() }),
    plannedAt: Timestamp,
    purpose: z.string().nullable(),
    checkIn: VisitCheckInView.nullable(),
    notes: z.string().nullable(),
    nextStep: z.string().nullable(),
    opportunityId: z.string().nullable(),
    opportunityStage: z.string().nullable(),
    checkOut: z.object({ at: Timestamp, durationMinutes: z.number().int(), minMinutes: z.number().int(), tooShort: z.boolean() }).nullable(),
    photos: z.array(VisitPhoto).optional().openapi({ description: '详情才带' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Visit');

const Day = z.iso.date({ message: '日期格式应为 YYYY-MM-DD' });

export const VisitListQuery = pageQuery(['plannedAt', 'createdAt']).extend({
  date: Day.optional().openapi({ description: '计划日期（北京时间）' }),
  salespersonId: Id.optional(),
  customerId: Id.optional(),
  state: z.enum(VISIT_STATES, { message: `状态只能是 ${VISIT_STATES.join('、')}` }).optional(),
  warning: BooleanQuery.optional().openapi({ description: 'true = 只看有预警的（超出签到半径或时长过短）' }),
});
export const VisitPage = pageOf(Visit).openapi('VisitPage');

export type VisitCreate = z.infer<typeof VisitCreate>;
export type VisitUpdate = z.infer<typeof VisitUpdate>;
export type VisitCheckIn = z.infer<typeof VisitCheckIn>;
export type Visit = z.infer<typeof Visit>;
export type VisitPhoto = z.infer<typeof VisitPhoto>;
export type VisitListQuery = z.infer<typeof VisitListQuery>;
