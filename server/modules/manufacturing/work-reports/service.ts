// 报工 (work reports): a worker's good/scrap quantity and hours on a released or in-progress task,
// from the phone. Reporting locks the task's row like every other change of the task, so the first
// report of a released task starts it (→ 生产中) exactly once.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { WorkReport, WorkReportCreate, WorkReportListQuery } from '../../../../shared/schemas/manufacturing.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { can } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { forbidden, invalid, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb, todayInShanghai } from '../../finance/index.ts';
import { bomItemRef, bomItemsById } from '../bom/service.ts';
import { WORKING_STATES } from '../production/rules.ts';
import { assertPrecision, lockTask, stateConflict, taskStarted } from '../production/service.ts';

type ReportRow = Prisma.WorkReportGetPayload<object>;

async function reportDtos(tx: Tx, rows: ReportRow[]): Promise<WorkReport[]> {
  const taskIds = [...new Set(rows.map((r) => r.taskId))];
  const tasks = new Map((taskIds.length ? await tx.productionTask.findMany({ where: { id: { in: taskIds } }, select: { id: true, number: true, itemId: true } }) : []).map((t) => [t.id, t]));
  const items = await bomItemsById(tx, [...tasks.values()].map((t) => t.itemId));
  const userIds = [...new Set(rows.map((r) => r.workerId))];
  const users = new Map((userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : []).map((u) => [u.id, u.name]));
  return rows.map((r) => {
    const task = tasks.get(r.taskId)!;
    return {
      id: r.id, number: r.number, task: { id: task.id, number: task.number, item: bomItemRef(items.get(task.itemId), task.itemId) },
      operation: r.operation, goodQuantity: r.goodQuantity.toFixed(4), scrapQuantity: r.scrapQuantity.toFixed(4), hours: r.hours.toFixed(2),
      worker: { id: r.workerId, name: users.get(r.workerId) ?? '?' }, workDate: dateOnlyOf(r.workDate), remark: r.remark, createdAt: isoShanghai(r.createdAt),
    };
  });
}

/**
 * 报工 on a released or in-progress task. The operation, when the task's materials name operations,
 * must be one of them (free text otherwise); quantities in no more decimals than the item's unit;
 * the work date not in the future. Reporting for someone else needs productionTask:update (班组长/计划员).
 */
export async function reportWork(ctx: UseCaseContext, taskId: string, input: WorkReportCreate): Promise<WorkReport> {
  return runUseCase(ctx, async (tx) => {
    const task = await lockTask(tx, taskId);
    if (!(WORKING_STATES as readonly string[]).includes(task.state)) throw stateConflict(task, '报工');
    const workerId = input.workerId ?? ctx.actor.userId;
    if (workerId !== ctx.actor.userId && !can(ctx.actor, 'productionTask:update')) throw forbidden('只能为自己报工；为他人报工需要修改生产任务单的权限');
    if (workerId !== ctx.actor.userId) {
      const worker = await tx.user.findUnique({ where: { id: workerId }, select: { active: true } });
      if (!worker?.active) throw invalid('body.workerId', '用户不存在或已停用');
    }
    const today = todayInShanghai();
    const workDate = input.workDate ?? today;
    if (workDate > today) throw invalid('body.workDate', `不能晚于今天（${today}）`);
    const item = (await bomItemsById(tx, [task.itemId])).get(task.itemId)!;
    assertPrecision(item, input.goodQuantity, 'body.goodQuantity');
    assertPrecision(item, input.scrapQuantity, 'body.scrapQuantity');
    const operation = input.operation?.trim() || null;
    if (operation) {
      const named = (await tx.productionTaskMaterial.findMany({ where: { taskId, operation: { not: null } }, select: { operation: true }, distinct: ['operation'], orderBy: { operation: 'asc' } }))
        .map((m) => m.operation!);
      if (named.length && !named.includes(operation)) throw invalid('body.operation', `只能是${named.join('、')}之一（按本任务用料）`);
    }
    const number = await nextDocumentNumber(tx, ctx.actor.companyId, 'WR');
    const row = await tx.workReport.create({
      data: {
        companyId: ctx.actor.companyId, number, taskId, operation, goodQuantity: input.goodQuantity, scrapQuantity: input.scrapQuantity, hours: input.hours,
        workerId, workDate: dateOnlyToDb(workDate), remark: input.remark ?? null, createdById: ctx.actor.userId,
      },
    });
    if (task.state === 'released') await taskStarted(tx, ctx, task);
    await recordAudit(tx, ctx, {
      action: 'report', entity: 'productionTask', entityId: taskId,
      after: { number, operation, goodQuantity: input.goodQuantity, scrapQuantity: input.scrapQuantity, hours: input.hours, workerId, workDate },
    });
    const [dto] = await reportDtos(tx, [row]);
    return dto!;
  });
}

/** The work reports of one task (newest first); a reporter without productionTask:read sees only his own. */
export async function taskWorkReports(ctx: UseCaseContext, taskId: string): Promise<WorkReport[]> {
  return runUseCase(ctx, async (tx) => {
    if (!(await tx.productionTask.findUnique({ where: { id: taskId }, select: { id: true } }))) throw notFound('生产任务单');
    const rows = await tx.workReport.findMany({ where: { taskId, ...scope(ctx) }, orderBy: [{ number: 'desc' }, { id: 'asc' }] });
    return reportDtos(tx, rows);
  });
}

/** Data scope of reports: productionTask:read sees all, a reporter only his own. */
function scope(ctx: UseCaseContext): Prisma.WorkReportWhereInput {
  return can(ctx.actor, 'productionTask:read') ? {} : { workerId: ctx.actor.userId };
}

export async function listWorkReports(ctx: UseCaseContext, query: WorkReportListQuery): Promise<Page<WorkReport>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.WorkReportWhereInput[] = [scope(ctx), { taskId: query.taskId, workerId: query.workerId }];
    if (query.from) and.push({ workDate: { gte: dateOnlyToDb(query.from) } });
    if (query.to) and.push({ workDate: { lte: dateOnlyToDb(query.to) } });
    if (query.q) {
      const [tasks, users] = await Promise.all([
        tx.productionTask.findMany({ where: { number: containsText(query.q) }, select: { id: true } }),
        tx.user.findMany({ where: { name: containsText(query.q) }, select: { id: true } }),
      ]);
      and.push({ OR: [{ number: containsText(query.q) }, { operation: containsText(query.q) }, { taskId: { in: tasks.map((t) => t.id) } }, { workerId: { in: users.map((u) => u.id) } }] });
    }
    const where: Prisma.WorkReportWhereInput = { AND: and };
    const orderBy = [...orderByOf(query.sort, '-number'), { id: 'asc' }] as Prisma.WorkReportOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.workReport.findMany({ where, orderBy, ...w }), () => tx.workReport.count({ where }), (r) => r);
    return { ...page, items: await reportDtos(tx, page.items) };
  });
}

/**
 * Reported hours per task (Σ of every report), for month-end costing's labour and overhead
 * allocation; optionally only reports dated within [from, to]. Runs in the caller's transaction.
 */
export async function reportedHoursByTask(tx: Tx, opts: { taskIds?: string[]; from?: string; to?: string } = {}): Promise<Map<string, { good: Decimal; scrap: Decimal; hours: Decimal }>> {
  const rows = await tx.workReport.groupBy({
    by: ['taskId'],
    where: {
      taskId: opts.taskIds ? { in: opts.taskIds } : undefined,
      workDate: opts.from || opts.to ? { gte: opts.from ? dateOnlyToDb(opts.from) : undefined, lte: opts.to ? dateOnlyToDb(opts.to) : undefined } : undefined,
    },
    _sum: { goodQuantity: true, scrapQuantity: true, hours: true },
  });
  return new Map(rows.map((r) => [r.taskId, {
    good: new Decimal((r._sum.goodQuantity ?? 0).toString()), scrap: new Decimal((r._sum.scrapQuantity ?? 0).toString()), hours: new Decimal((r._sum.hours ?? 0).toString()),
  }]));
}
