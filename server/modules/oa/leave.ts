// 请假: the applicant's own request; submit runs the 请假 flow (部门负责人, 总经理 over 3 days
// in the demo); approved leave shows in the department's calendar list.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../db/transaction.ts';
import type { LeaveRequest as LeaveRow, Prisma } from '../../generated/prisma/client.ts';
import {
  DOCUMENT_STATE_LABELS, LEAVE_KIND_LABELS,
  type LeaveCalendarQuery, type LeaveDays, type LeaveDaysQuery, type LeaveRequest, type LeaveRequestCreate, type LeaveRequestListQuery, type LeaveRequestUpdate,
} from '../../../shared/schemas/oa.ts';
import { isoShanghai } from '../../../shared/time.ts';
import { can, type Actor } from '../../platform/actor.ts';
import { recordAudit, recordChange } from '../../platform/audit.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../platform/listing.ts';
import { nextDocumentNumber } from '../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { leaveDateRange, leaveDays, MAX_LEAVE_CALENDAR_DAYS } from './leave-days.ts';
import { involvedInApproval, latestApprovals, submitForApproval, type DescribedSubmit } from '../approvals/index.ts';
import { namesOf } from './support.ts';
import { loadWorkCalendar } from './work-calendar.ts';

const ownOrAll = (actor: Actor): Prisma.LeaveRequestWhereInput => (can(actor, 'approval:read') ? {} : { applicantId: actor.userId });

async function toDtos(tx: Tx, rows: LeaveRow[]): Promise<LeaveRequest[]> {
  const names = await namesOf(tx, rows.map((r) => r.applicantId), rows.map((r) => r.departmentId));
  const approvals = await latestApprovals(tx, 'leaveRequest', rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id, number: r.number,
    applicant: { id: r.applicantId, name: names.users.get(r.applicantId) ?? '（已删除）' },
    department: r.departmentId ? { id: r.departmentId, name: names.departments.get(r.departmentId) ?? '（已删除）' } : null,
    kind: r.kind, kindLabel: LEAVE_KIND_LABELS[r.kind], startAt: isoShanghai(r.startAt), endAt: isoShanghai(r.endAt), days: r.days.toFixed(1),
    reason: r.reason, state: r.state, stateLabel: DOCUMENT_STATE_LABELS[r.state], approvalId: approvals.get(r.id) ?? null,
    createdAt: isoShanghai(r.createdAt), version: r.version,
  }));
}

export async function listLeave(ctx: UseCaseContext, query: LeaveRequestListQuery): Promise<Page<LeaveRequest>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.LeaveRequestWhereInput = { AND: [ownOrAll(ctx.actor), keywordWhere(query.q, ['number', 'reason']), { state: query.state }] };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.LeaveRequestOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.leaveRequest.findMany({ where, orderBy, ...w }), () => tx.leaveRequest.count({ where }), (r) => r);
    return { ...page, items: await toDtos(tx, page.items) };
  });
}

/** The applicant's own request, any with approval:read, or one the user approves or is CC'd on. */
async function findVisible(tx: Tx, actor: Actor, id: string): Promise<LeaveRow> {
  const row = await tx.leaveRequest.findFirst({ where: { id } });
  const visible = row && (row.applicantId === actor.userId || can(actor, 'approval:read') || (await involvedInApproval(tx, actor.userId, 'leaveRequest', id)));
  if (!row || !visible) throw notFound('请假单');
  return row;
}

export async function getLeave(ctx: UseCaseContext, id: string): Promise<LeaveRequest> {
  return runUseCase(ctx, async (tx) => (await toDtos(tx, [await findVisible(tx, ctx.actor, id)]))[0]!);
}

/** 请假天数 of [start, end) on the company's work calendar; 400 when no working time is in it or the period is absurdly long. */
async function countLeaveDays(tx: Tx, start: Date, end: Date): Promise<LeaveDays> {
  const range = leaveDateRange(start, end);
  if (Date.parse(range.to) - Date.parse(range.from) > MAX_LEAVE_CALENDAR_DAYS * 86_400_000) {
    throw invalid('body.endAt', `请假时间跨度不能超过 ${MAX_LEAVE_CALENDAR_DAYS} 天`);
  }
  const days = leaveDays(start, end, await loadWorkCalendar(tx, range.from, range.to));
  return { days, ...range };
}

/** 预览: what a leave from start to end counts, for the form to show before saving. */
export async function previewLeaveDays(ctx: UseCaseContext, query: LeaveDaysQuery): Promise<LeaveDays> {
  return runUseCase(ctx, (tx) => countLeaveDays(tx, new Date(query.startAt), new Date(query.endAt)));
}

/** The days the calendar gives [start, end): a `days` the applicant gave must agree, and there must be some. */
async function checkedLeaveDays(tx: Tx, start: Date, end: Date, given: string | undefined): Promise<string> {
  const { days } = await countLeaveDays(tx, start, end);
  // The applicant's own figure is only a cross-check: the calendar decides, and so decides who approves.
  if (given !== undefined && !new Decimal(given).eq(days)) {
    const message = `请假天数 ${given} 天 与按工作日历计算的 ${new Decimal(days).toString()} 天不符`;
    throw new AppError('VALIDATION_FAILED', message, [{ field: 'body.days', message }]);
  }
  if (new Decimal(days).isZero()) throw invalid('body.endAt', '所选时间内没有工作日，无需请假');
  return days;
}

export async function createLeave(ctx: UseCaseContext, input: LeaveRequestCreate): Promise<LeaveRequest> {
  return runUseCase(ctx, async (tx) => {
    const startAt = new Date(input.startAt);
    const endAt = new Date(input.endAt);
    const days = await checkedLeaveDays(tx, startAt, endAt, input.days);
    const number = await nextDocumentNumber(tx, ctx.actor.companyId, 'QJ');
    const row = await tx.leaveRequest.create({
      data: {
        companyId: ctx.actor.companyId, number, applicantId: ctx.actor.userId, departmentId: ctx.actor.departmentId, kind: input.kind,
        startAt, endAt, days, reason: input.reason,
      },
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'leaveRequest', entityId: row.id, after: row, payload: { number, days } });
    return (await toDtos(tx, [row]))[0]!;
  });
}

/** Only the applicant's draft changes; the days are counted again for the new period. */
export async function updateLeave(ctx: UseCaseContext, id: string, input: LeaveRequestUpdate): Promise<LeaveRequest> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisible(tx, ctx.actor, id);
    if (before.applicantId !== ctx.actor.userId) throw forbidden('只有申请人可以修改请假单');
    const startAt = input.startAt ? new Date(input.startAt) : before.startAt;
    const endAt = input.endAt ? new Date(input.endAt) : before.endAt;
    if (endAt <= startAt) throw invalid('body.endAt', '结束时间必须晚于开始时间');
    const days = await checkedLeaveDays(tx, startAt, endAt, input.days);
    const { count } = await tx.leaveRequest.updateMany({
      where: { id, version: input.version, state: 'draft' },
      data: { kind: input.kind, startAt, endAt, days, reason: input.reason, version: { increment: 1 } },
    });
    if (count !== 1) {
      if (before.state !== 'draft') throw new AppError('CONFLICT', `请假单${DOCUMENT_STATE_LABELS[before.state]}，不能修改`);
      throw new AppError('VERSION_CONFLICT', '请假单已被修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
    }
    const after = await tx.leaveRequest.findUniqueOrThrow({ where: { id } });
    await recordChange(tx, ctx, { action: 'update', entity: 'leaveRequest', entityId: id, before, after, payload: { number: after.number, days } });
    return (await toDtos(tx, [after]))[0]!;
  });
}

export async function submitLeave(ctx: UseCaseContext, id: string): Promise<LeaveRequest> {
  await runUseCase(ctx, async (tx) => {
    const leave = await findVisible(tx, ctx.actor, id);
    if (leave.applicantId !== ctx.actor.userId) throw forbidden('只有申请人可以提交请假单');
    // Counted again: the calendar may have changed since the draft was saved, and the flow's conditions need the true figure.
    const { days } = await countLeaveDays(tx, leave.startAt, leave.endAt);
    if (new Decimal(days).isZero()) throw invalid('body.endAt', '所选时间内没有工作日，无需请假');
    if (!leave.days.eq(days)) await tx.leaveRequest.updateMany({ where: { id, state: 'draft' }, data: { days } });
    const started = await submitForApproval<DescribedSubmit>(tx, ctx, 'leaveRequest', id, {
      facts: { leaveDays: days }, title: `请假 · ${ctx.actor.name} · ${LEAVE_KIND_LABELS[leave.kind]} ${days} 天`,
      summary: {
        fields: [
          { label: '类型', value: LEAVE_KIND_LABELS[leave.kind] },
          { label: '时间', value: `${isoShanghai(leave.startAt).slice(0, 16).replace('T', ' ')} 至 ${isoShanghai(leave.endAt).slice(0, 16).replace('T', ' ')}` },
          { label: '天数', value: `${days} 天` },
          { label: '事由', value: leave.reason },
        ],
      },
    });
    if (!started) await approveLeave(tx, ctx, id, 'draft');
  });
  return getLeave(ctx, id);
}

export async function approveLeave(tx: Tx, ctx: UseCaseContext, id: string, from: 'draft' | 'pendingApproval'): Promise<void> {
  const n = await tx.$executeRaw`
    UPDATE leave_request SET state = 'confirmed', updated_at = now(), version = version + 1 WHERE id = ${id}::uuid AND state = ${from}::document_state`;
  if (n !== 1) throw new AppError('CONFLICT', '请假单状态已变化，不能批准');
  await recordAudit(tx, ctx, { action: 'approve', entity: 'leaveRequest', entityId: id, before: { state: from }, after: { state: 'confirmed' } });
}

/**
 * 请假日历: approved leave overlapping [from, to] (Asia/Shanghai days) in a department and the ones
 * below it — the actor's own department by default; others only within the actor's data scope.
 */
export async function leaveCalendar(ctx: UseCaseContext, query: LeaveCalendarQuery): Promise<LeaveRequest[]> {
  return runUseCase(ctx, async (tx) => {
    const root = query.departmentId ?? ctx.actor.departmentId;
    if (!root) return [];
    if (ctx.actor.dataScope !== 'all' && root !== ctx.actor.departmentId && !ctx.actor.departmentIds.includes(root)) throw forbidden('只能查看本部门及下级部门的请假日历');
    const subtree = await tx.$queryRaw<{ id: string }[]>`
      WITH RECURSIVE d AS (SELECT id FROM department WHERE id = ${root}::uuid UNION ALL SELECT c.id FROM department c JOIN d ON c.parent_id = d.id)
      SELECT id::text FROM d`;
    const rows = await tx.leaveRequest.findMany({
      where: {
        state: 'confirmed', departmentId: { in: subtree.map((d) => d.id) },
        startAt: { lt: new Date(Date.parse(`${query.to}T00:00:00+08:00`) + 86_400_000) }, endAt: { gt: new Date(`${query.from}T00:00:00+08:00`) },
      },
      orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
      take: 1000,
    });
    return toDtos(tx, rows);
  });
}
