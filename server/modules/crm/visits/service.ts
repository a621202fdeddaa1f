// 拜访: use cases, each one transaction, scoped to the company and the actor's data scope (the
// visit's salesperson is its owner: a salesperson sees their own, a manager their department's).
// A plan still "planned" when its day (Beijing time) has ended becomes missed when visits are next
// read or changed (no timer: the first reader of the company's visits closes them, in its transaction).
import { POSITION_SOURCE_LABELS, VISIT_STATE_LABELS } from '../../../../shared/enums.ts';
import type { Position, Visit, VisitCreate, VisitListQuery, VisitUpdate } from '../../../../shared/schemas/visits.ts';
import { formatShanghai, isoShanghai } from '../../../../shared/time.ts';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import { can, ownerScope, withinScope, type Actor } from '../../../platform/actor.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, forbidden, invalid, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { assertUserExists } from '../../../platform/references.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { linkedAttachments, type AttachableDocument } from '../../attachments/index.ts';
import { customerScope } from '../customers/service.ts';
import { distanceCheck, positionAgeProblem, toWgsAndGcj } from './geo.ts';
import { todayInShanghai } from '../../finance/index.ts';
import { MISSED_REASON, shanghaiDayBounds, visitDuration } from './rules.ts';

const include = {
  salesperson: { select: { id: true, name: true } },
  customer: { select: { id: true, code: true, name: true, address: true, latitude: true, longitude: true } },
} satisfies Prisma.VisitInclude;
type VisitRow = Prisma.VisitGetPayload<{ include: typeof include }>;
type PhotoRow = Awaited<ReturnType<typeof linkedAttachments>>[number];

const dec = (d: Prisma.Decimal | null, places: number) => d?.toFixed(places) ?? '';

/** 水印: time, place and person from the server's records, never from the phone. */
function photoOverlay(v: VisitRow, photo: PhotoRow): { time: string; place: string; person: string } {
  const where = v.gcjLat ? ` · ${dec(v.gcjLat, 6)}, ${dec(v.gcjLng, 6)}` : '';
  const distance = v.checkInAt ? (v.distanceMeters === null ? ' · 距离未知' : ` · 距客户 ${v.distanceMeters} 米`) : '';
  return { time: formatShanghai(photo.createdAt), place: `${v.customer.name}${distance}${where}`, person: v.salesperson.name };
}

function toPhotoDto(v: VisitRow, p: PhotoRow) {
  return { id: p.id, fileName: p.fileName, mimeType: p.mimeType, size: p.size, createdAt: isoShanghai(p.createdAt), overlay: photoOverlay(v, p) };
}

export function toVisitDto(v: VisitRow, photos?: PhotoRow[]): Visit {
  return {
    id: v.id,
    state: v.state,
    stateLabel: VISIT_STATE_LABELS[v.state],
    closeReason: v.closeReason,
    salesperson: v.salesperson,
    customer: { ...v.customer, latitude: v.customer.latitude?.toFixed(6) ?? null, longitude: v.customer.longitude?.toFixed(6) ?? null },
    plannedAt: isoShanghai(v.plannedAt),
    purpose: v.purpose,
    checkIn: v.checkInAt && v.capturedAt && v.sentAt && v.positionSource && v.coordSystem
      ? {
          at: isoShanghai(v.checkInAt), capturedAt: isoShanghai(v.capturedAt), sentAt: isoShanghai(v.sentAt),
          source: v.positionSource, sourceLabel: POSITION_SOURCE_LABELS[v.positionSource], coordSystem: v.coordSystem,
          accuracy: dec(v.accuracyMeters, 1),
          wgs84: { lat: dec(v.wgsLat, 7), lng: dec(v.wgsLng, 7) },
          gcj02: { lat: dec(v.gcjLat, 7), lng: dec(v.gcjLng, 7) },
          distanceMeters: v.distanceMeters, radiusMeters: v.radiusMeters ?? 0, distanceWarning: v.distanceWarning,
          pinProposed: v.pinProposed, pinAppliedAt: v.pinAppliedAt ? isoShanghai(v.pinAppliedAt) : null,
        }
      : null,
    notes: v.notes,
    nextStep: v.nextStep,
    opportunityId: v.opportunityId,
    opportunityStage: v.opportunityStage,
    checkOut: v.checkOutAt && v.durationMinutes !== null
      ? { at: isoShanghai(v.checkOutAt), durationMinutes: v.durationMinutes, minMinutes: v.minMinutes ?? 0, tooShort: v.tooShort }
      : null,
    ...(photos ? { photos: photos.map((p) => toPhotoDto(v, p)) } : {}),
    createdAt: isoShanghai(v.createdAt),
    updatedAt: isoShanghai(v.updatedAt),
    version: v.version,
  };
}

/** Visits this actor may see: the data scope applies to the visit's salesperson. */
export function visitScope(actor: Actor): Prisma.VisitWhereInput {
  return ownerScope(actor, 'salespersonId', 'salesperson') as Prisma.VisitWhereInput;
}

/** Plans whose day has ended without a check-in become missed (RLS keeps this to the company). */
async function closeMissedPlans(tx: Tx, now = new Date()): Promise<void> {
  const { start } = shanghaiDayBounds(todayInShanghai(now));
  await tx.visit.updateMany({ where: { state: 'planned', plannedAt: { lt: start } }, data: { state: 'missed', closeReason: MISSED_REASON, version: { increment: 1 } } });
}

async function findVisible(tx: Tx, actor: Actor, id: string): Promise<VisitRow> {
  const row = await tx.visit.findFirst({ where: { AND: [{ id }, visitScope(actor)] }, include });
  if (!row) throw notFound('拜访');
  return row;
}

/** The visit, visible and the actor's own: check-in, photos, notes and check-out are done by the salesperson on the phone. */
async function findOwn(tx: Tx, actor: Actor, id: string, what: string): Promise<VisitRow> {
  const row = await findVisible(tx, actor, id);
  if (row.salespersonId !== actor.userId) throw forbidden(`只有拜访的销售员本人可以${what}`);
  return row;
}

function wrongState(v: VisitRow, what: string): AppError {
  return new AppError('CONFLICT', `拜访${VISIT_STATE_LABELS[v.state]}，不能${what}`);
}

/** 拜访附件 = 拜访照片: seen with the visit; added by its salesperson once checked in. */
export const visitAttachable: AttachableDocument = {
  label: '拜访',
  imagesOnly: true,
  access: async (tx, actor, id) => {
    if (!can(actor, 'visit:read')) return 'none';
    const v = await tx.visit.findFirst({ where: { AND: [{ id }, visitScope(actor)] }, select: { salespersonId: true, state: true } });
    if (!v) return 'none';
    return can(actor, 'visit:write') && v.salespersonId === actor.userId && (v.state === 'inProgress' || v.state === 'done') ? 'attach' : 'read';
  },
};

async function photosOf(tx: Tx, ids: string[]): Promise<Map<string, PhotoRow[]>> {
  const by = new Map<string, PhotoRow[]>();
  for (const p of await linkedAttachments(tx, 'visit', ids)) by.set(p.entityId, [...(by.get(p.entityId) ?? []), p]);
  return by;
}

export async function listVisits(ctx: UseCaseContext, query: VisitListQuery): Promise<Page<Visit>> {
  return runUseCase(ctx, async (tx) => {
    await closeMissedPlans(tx);
    const day = query.date ? shanghaiDayBounds(query.date) : undefined;
    const match = query.q ? containsText(query.q) : undefined;
    const where: Prisma.VisitWhereInput = {
      AND: [
        visitScope(ctx.actor),
        match ? { OR: [{ customer: { name: match } }, { customer: { code: match } }, { salesperson: { name: match } }, { purpose: match }] } : {},
        day ? { plannedAt: { gte: day.start, lt: day.end } } : {},
        query.warning === undefined ? {} : query.warning ? { OR: [{ distanceWarning: true }, { tooShort: true }] } : { distanceWarning: false, tooShort: false },
        { salespersonId: query.salespersonId, customerId: query.customerId, state: query.state },
      ],
    };
    const orderBy = orderByOf(query.sort, '-plannedAt') as Prisma.VisitOrderByWithRelationInput[];
    return findPage(query, (w) => tx.visit.findMany({ where, orderBy, include, ...w }), () => tx.visit.count({ where }), (r) => toVisitDto(r));
  });
}

/** 今日计划: the signed-in salesperson's visits planned for today, and any still in progress. */
export async function todayVisits(ctx: UseCaseContext): Promise<Visit[]> {
  return runUseCase(ctx, async (tx) => {
    await closeMissedPlans(tx);
    const { start, end } = shanghaiDayBounds(todayInShanghai());
    const rows = await tx.visit.findMany({
      where: { salespersonId: ctx.actor.userId, OR: [{ plannedAt: { gte: start, lt: end } }, { state: 'inProgress' }] },
      orderBy: [{ plannedAt: 'asc' }, { id: 'asc' }],
      include,
    });
    const photos = await photosOf(tx, rows.map((r) => r.id));
    return rows.map((r) => toVisitDto(r, photos.get(r.id) ?? []));
  });
}

export async function getVisit(ctx: UseCaseContext, id: string): Promise<Visit> {
  return runUseCase(ctx, async (tx) => {
    await closeMissedPlans(tx);
    const row = await findVisible(tx, ctx.actor, id);
    return toVisitDto(row, (await photosOf(tx, [id])).get(id) ?? []);
  });
}

/** For the customer's 360: its latest visits the actor may see, newest first (in the caller's transaction). */
export async function customerVisits(tx: Tx, actor: Actor, customerId: string, limit = 10): Promise<Visit[]> {
  await closeMissedPlans(tx);
  const rows = await tx.visit.findMany({
    where: { AND: [{ customerId }, visitScope(actor)] }, orderBy: [{ plannedAt: 'desc' }, { id: 'desc' }], take: limit, include,
  });
  return rows.map((r) => toVisitDto(r));
}

export async function createVisit(ctx: UseCaseContext, input: VisitCreate): Promise<Visit> {
  return runUseCase(ctx, async (tx) => {
    const salespersonId = input.salespersonId ?? ctx.actor.userId;
    if (salespersonId !== ctx.actor.userId) {
      const person = await assertUserExists(tx, salespersonId, 'body.salespersonId');
      if (!withinScope(ctx.actor, person)) throw forbidden('不能给数据范围以外的销售员安排拜访');
    }
    const customer = await tx.customer.findFirst({ where: { AND: [{ id: input.customerId }, customerScope(ctx.actor)] }, select: { id: true } });
    if (!customer) throw invalid('body.customerId', '客户不存在');
    const plannedAt = new Date(input.plannedAt);
    if (plannedAt < shanghaiDayBounds(todayInShanghai()).start) throw invalid('body.plannedAt', '计划时间不能早于今天');
    const row = await tx.visit.create({
      data: { companyId: ctx.actor.companyId, salespersonId, customerId: input.customerId, plannedAt, purpose: input.purpose ?? null, createdById: ctx.actor.userId },
      include,
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'visit', entityId: row.id, after: row, payload: { customer: row.customer.name, plannedAt: isoShanghai(plannedAt) } });
    return toVisitDto(row, []);
  });
}

/**
 * 签到: the position is converted to WGS-84 and GCJ-02 here, its distance to the customer's pin
 * (GCJ-02) stored with a warning beyond the company's radius; without a pin the position is
 * proposed as the pin. The record shows the server's time. A stale fix is refused before anything is read.
 */
export async function checkIn(ctx: UseCaseContext, id: string, position: Position): Promise<Visit> {
  const capturedAt = new Date(position.capturedAt);
  const sentAt = new Date(position.sentAt);
  const stale = positionAgeProblem(capturedAt, sentAt);
  if (stale) throw invalid('body.position.capturedAt', stale);
  return runUseCase(ctx, async (tx) => {
    await closeMissedPlans(tx);
    const visit = await findOwn(tx, ctx.actor, id, '签到');
    if (visit.state !== 'planned') throw wrongState(visit, '签到');
    const busy = await tx.visit.findFirst({ where: { salespersonId: ctx.actor.userId, state: 'inProgress' }, include });
    if (busy) throw new AppError('CONFLICT', `正在拜访${busy.customer.name}，请先签退再签到`);
    const { visitRadiusMeters } = await tx.company.findUniqueOrThrow({ where: { id: ctx.actor.companyId }, select: { visitRadiusMeters: true } });
    const { wgs84, gcj02 } = toWgsAndGcj({ lat: position.lat, lng: position.lng }, position.coordSystem);
    const c = visit.customer;
    const pin = c.latitude && c.longitude ? { lat: c.latitude.toNumber(), lng: c.longitude.toNumber() } : null;
    const { distanceMeters, warning } = distanceCheck(gcj02, pin, visitRadiusMeters);
    const at = new Date();
    const d7 = (n: number) => new Prisma.Decimal(n.toFixed(7));
    // state in the filter: of two check-ins at once, one finds the plan gone
    const { count } = await tx.visit.updateMany({
      where: { id, state: 'planned' },
      data: {
        state: 'inProgress', checkInAt: at, capturedAt, sentAt, positionSource: position.source, coordSystem: position.coordSystem,
        rawLat: d7(position.lat), rawLng: d7(position.lng), accuracyMeters: new Prisma.Decimal(position.accuracy.toFixed(1)),
        wgsLat: d7(wgs84.lat), wgsLng: d7(wgs84.lng), gcjLat: d7(gcj02.lat), gcjLng: d7(gcj02.lng),
        distanceMeters, radiusMeters: visitRadiusMeters, distanceWarning: warning, pinProposed: pin === null, version: { increment: 1 },
      },
    });
    if (count !== 1) throw new AppError('CONFLICT', '拜访已签到，请刷新');
    const after = await tx.visit.findUniqueOrThrow({ where: { id }, include });
    await recordAudit(tx, ctx, { action: 'checkIn', entity: 'visit', entityId: id, before: visit, after });
    return toVisitDto(after, (await photosOf(tx, [id])).get(id) ?? []);
  });
}

/**
 * Where a visit's opportunity stage change goes. The opportunities use case registers itself here
 * (crm/index.ts: onVisitOpportunityStage); until it does, a stage change is refused rather than
 * stored as if it had moved the opportunity.
 */
export type OpportunityStageHook = (tx: Tx, ctx: UseCaseContext, change: { visitId: string; customerId: string; opportunityId: string; stage: string }) => Promise<void>;
let opportunityStageHook: OpportunityStageHook | undefined;
export function onVisitOpportunityStage(hook: OpportunityStageHook | undefined): void {
  opportunityStageHook = hook;
}

/** 拜访记录: notes, next step and (through the hook) the opportunity's new stage. */
export async function updateVisit(ctx: UseCaseContext, id: string, input: VisitUpdate): Promise<Visit> {
  return runUseCase(ctx, async (tx) => {
    const before = await findOwn(tx, ctx.actor, id, '填写拜访记录');
    if (before.state !== 'inProgress' && before.state !== 'done') throw wrongState(before, '填写拜访记录（请先签到）');
    const { version, ...fields } = input;
    if (fields.opportunityStage != null && fields.opportunityId != null) {
      if (!opportunityStageHook) throw invalid('body.opportunityStage', '商机模块尚未启用，暂不能在拜访中推进商机阶段');
      await opportunityStageHook(tx, ctx, { visitId: id, customerId: before.customerId, opportunityId: fields.opportunityId, stage: fields.opportunityStage });
    }
    await updateVersioned(tx.visit, { where: { id }, version, data: fields, label: '拜访' });
    const after = await tx.visit.findUniqueOrThrow({ where: { id }, include });
    await recordChange(tx, ctx, { action: 'update', entity: 'visit', entityId: id, before, after, payload: { customer: after.customer.name } });
    return toVisitDto(after, (await photosOf(tx, [id])).get(id) ?? []);
  });
}

/** 签退: how long the visit took by the server's clock, flagged when shorter than the company's minimum. */
export async function checkOut(ctx: UseCaseContext, id: string): Promise<Visit> {
  return runUseCase(ctx, async (tx) => {
    const before = await findOwn(tx, ctx.actor, id, '签退');
    if (before.state !== 'inProgress' || !before.checkInAt) throw wrongState(before, '签退');
    const { visitMinMinutes } = await tx.company.findUniqueOrThrow({ where: { id: ctx.actor.companyId }, select: { visitMinMinutes: true } });
    const at = new Date();
    const { durationMinutes, tooShort } = visitDuration(before.checkInAt, at, visitMinMinutes);
    const { count } = await tx.visit.updateMany({
      where: { id, state: 'inProgress' },
      data: { state: 'done', checkOutAt: at, durationMinutes, minMinutes: visitMinMinutes, tooShort, version: { increment: 1 } },
    });
    if (count !== 1) throw new AppError('CONFLICT', '拜访已签退，请刷新');
    const after = await tx.visit.findUniqueOrThrow({ where: { id }, include });
    await recordAudit(tx, ctx, { action: 'checkOut', entity: 'visit', entityId: id, before, after });
    return toVisitDto(after, (await photosOf(tx, [id])).get(id) ?? []);
  });
}

/** 取消计划 (only before check-in), by the salesperson or a manager who sees it; the reason is kept. */
export async function cancelVisit(ctx: UseCaseContext, id: string, reason: string): Promise<Visit> {
  return runUseCase(ctx, async (tx) => {
    await closeMissedPlans(tx);
    const before = await findVisible(tx, ctx.actor, id);
    if (before.state !== 'planned') throw wrongState(before, '取消');
    const { count } = await tx.visit.updateMany({ where: { id, state: 'planned' }, data: { state: 'cancelled', closeReason: reason, version: { increment: 1 } } });
    if (count !== 1) throw new AppError('CONFLICT', '拜访状态已变化，请刷新');
    const after = await tx.visit.findUniqueOrThrow({ where: { id }, include });
    await recordAudit(tx, ctx, { action: 'cancel', entity: 'visit', entityId: id, before, after });
    return toVisitDto(after, []);
  });
}

/** A photo was stored through attachments (image bytes and size checked there): this is its reply, with the overlay. */
export async function visitPhoto(ctx: UseCaseContext, id: string, photoId: string) {
  return runUseCase(ctx, async (tx) => {
    const v = await findVisible(tx, ctx.actor, id);
    const photo = (await photosOf(tx, [id])).get(id)?.find((p) => p.id === photoId);
    if (!photo) throw notFound('拜访照片');
    return toPhotoDto(v, photo);
  });
}

/** Before a photo's bytes are stored: the visit is the actor's own and checked in. */
export async function assertCanAddPhoto(ctx: UseCaseContext, id: string): Promise<void> {
  await runUseCase(ctx, async (tx) => {
    const v = await findOwn(tx, ctx.actor, id, '拍照');
    if (v.state !== 'inProgress' && v.state !== 'done') throw wrongState(v, '拍照（请先签到）');
  });
}

/**
 * 采用拜访定位: the customer had no pin when this visit checked in; a manager (visit:confirm) makes
 * the check-in's GCJ-02 position the customer's pin. Audited on the customer and the visit.
 */
export async function applyProposedPin(ctx: UseCaseContext, id: string): Promise<Visit> {
  return runUseCase(ctx, async (tx) => {
    const visit = await findVisible(tx, ctx.actor, id);
    if (!visit.pinProposed || !visit.gcjLat || !visit.gcjLng) throw new AppError('CONFLICT', '这次拜访没有建议的客户位置');
    if (visit.pinAppliedAt) throw new AppError('CONFLICT', '这次拜访的定位已被采用');
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: visit.customerId } });
    if (customer.latitude !== null) throw new AppError('CONFLICT', `客户${customer.name}已有位置，未改动`);
    const latitude = new Prisma.Decimal(visit.gcjLat.toFixed(6));
    const longitude = new Prisma.Decimal(visit.gcjLng.toFixed(6));
    const updated = await tx.customer.updateMany({ where: { id: customer.id, latitude: null }, data: { latitude, longitude, version: { increment: 1 } } });
    if (updated.count !== 1) throw new AppError('CONFLICT', `客户${customer.name}已有位置，未改动`);
    const customerAfter = await tx.customer.findUniqueOrThrow({ where: { id: customer.id } });
    await recordChange(tx, ctx, { action: 'update', entity: 'customer', entityId: customer.id, before: customer, after: customerAfter, payload: { code: customer.code, name: customer.name, fromVisit: id } });
    await tx.visit.update({ where: { id }, data: { pinAppliedAt: new Date(), pinAppliedById: ctx.actor.userId, version: { increment: 1 } } });
    const after = await tx.visit.findUniqueOrThrow({ where: { id }, include });
    await recordAudit(tx, ctx, { action: 'applyPin', entity: 'visit', entityId: id, before: visit, after });
    return toVisitDto(after, (await photosOf(tx, [id])).get(id) ?? []);
  });
}
