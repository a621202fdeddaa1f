// 工作日历: the company's holidays and 调休 workdays (admin keeps them; company-wide), and the
// calendar a leave period is counted on.
import type { Tx } from '../../db/transaction.ts';
import type { Prisma, WorkCalendarDay as DayRow } from '../../generated/prisma/client.ts';
import {
  WORK_CALENDAR_KIND_LABELS, type WorkCalendarDay, type WorkCalendarDayCreate, type WorkCalendarListQuery,
} from '../../../shared/schemas/oa.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, type Page } from '../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb } from '../finance/index.ts';
import type { WorkCalendar } from './leave-days.ts';

const toDto = (r: DayRow): WorkCalendarDay => ({ id: r.id, date: dateOnlyOf(r.date), kind: r.kind, kindLabel: WORK_CALENDAR_KIND_LABELS[r.kind], name: r.name });

export async function listWorkCalendar(ctx: UseCaseContext, query: WorkCalendarListQuery): Promise<Page<WorkCalendarDay>> {
  return runUseCase(ctx, async (tx) => {
    const year = query.year ? { date: { gte: dateOnlyToDb(`${query.year}-01-01`), lte: dateOnlyToDb(`${query.year}-12-31`) } } : {};
    const where: Prisma.WorkCalendarDayWhereInput = { AND: [year, { kind: query.kind }, keywordWhere(query.q, ['name'])] };
    const orderBy = orderByOf(query.sort, 'date') as Prisma.WorkCalendarDayOrderByWithRelationInput[];
    return findPage(query, (w) => tx.workCalendarDay.findMany({ where, orderBy, ...w }), () => tx.workCalendarDay.count({ where }), toDto);
  });
}

export async function createWorkCalendarDay(ctx: UseCaseContext, input: WorkCalendarDayCreate): Promise<WorkCalendarDay> {
  return runUseCase(ctx, async (tx) => {
    const date = dateOnlyToDb(input.date);
    if (await tx.workCalendarDay.findFirst({ where: { date }, select: { id: true } })) {
      throw new AppError('DUPLICATE', `${input.date} 已在工作日历中，请先删除再添加`, [{ field: 'body.date', message: '已存在' }]);
    }
    const row = await tx.workCalendarDay.create({ data: { companyId: ctx.actor.companyId, date, kind: input.kind, name: input.name } });
    await recordAudit(tx, ctx, { action: 'create', entity: 'workCalendarDay', entityId: row.id, after: toDto(row) });
    return toDto(row);
  });
}

export async function deleteWorkCalendarDay(ctx: UseCaseContext, id: string): Promise<void> {
  await runUseCase(ctx, async (tx) => {
    const row = await tx.workCalendarDay.findFirst({ where: { id } });
    if (!row) throw notFound('工作日历日期');
    await tx.workCalendarDay.delete({ where: { id } });
    await recordAudit(tx, ctx, { action: 'delete', entity: 'workCalendarDay', entityId: id, before: toDto(row) });
  });
}

/** The company's calendar rows for [from, to] (YYYY-MM-DD, inclusive). */
export async function loadWorkCalendar(tx: Tx, from: string, to: string): Promise<WorkCalendar> {
  const rows = await tx.workCalendarDay.findMany({ where: { date: { gte: dateOnlyToDb(from), lte: dateOnlyToDb(to) } }, select: { date: true, kind: true } });
  return {
    holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => dateOnlyOf(r.date))),
    makeUpWorkdays: new Set(rows.filter((r) => r.kind === 'makeUpWorkday').map((r) => dateOnlyOf(r.date))),
  };
}
