// 项目 use cases, each one transaction, scoped to the company: list, detail, create, edit, close
// (已结束 at an end date; vouchers dated later may no longer name it) and reopen. Also the check a
// manual voucher's lines go through when they name a project.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { PROJECT_STATUS_LABELS, type Project, type ProjectClose, type ProjectCreate, type ProjectListQuery, type ProjectOption, type ProjectOptionsQuery, type ProjectUpdate } from '../../../../shared/schemas/projects.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { assertUserExists } from '../../../platform/references.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb, todayInShanghai } from '../currencies/rates.ts';
import { closingEndDate, projectPostingProblem } from './rules.ts';

const include = {
  customer: { select: { id: true, code: true, name: true } },
  manager: { select: { id: true, name: true } },
} satisfies Prisma.ProjectInclude;
type ProjectRow = Prisma.ProjectGetPayload<{ include: typeof include }>;

const dateOrNull = (d: Date | null) => (d ? dateOnlyOf(d) : null);

function toProjectDto(p: ProjectRow): Project {
  return {
    id: p.id, code: p.code, name: p.name, customer: p.customer, manager: p.manager,
    startDate: dateOrNull(p.startDate), endDate: dateOrNull(p.endDate),
    status: p.status, statusLabel: PROJECT_STATUS_LABELS[p.status], remark: p.remark,
    createdAt: isoShanghai(p.createdAt), updatedAt: isoShanghai(p.updatedAt), version: p.version,
  };
}

export async function listProjects(ctx: UseCaseContext, query: ProjectListQuery): Promise<Page<Project>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.ProjectWhereInput = {
      AND: [keywordWhere(query.q, ['code', 'name', 'remark']), { status: query.status, customerId: query.customerId }],
    };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.ProjectOrderByWithRelationInput[];
    return findPage(query, (w) => tx.project.findMany({ where, orderBy, include, ...w }), () => tx.project.count({ where }), toProjectDto);
  });
}

/** 进行中 projects by code or name, only id/code/name: the picker of an expense line, open to every claimant. */
export async function listProjectOptions(ctx: UseCaseContext, query: ProjectOptionsQuery): Promise<Page<ProjectOption>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.ProjectWhereInput = { AND: [keywordWhere(query.q, ['code', 'name']), { status: 'active' }] };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.ProjectOrderByWithRelationInput[];
    const select = { id: true, code: true, name: true } satisfies Prisma.ProjectSelect;
    return findPage(query, (w) => tx.project.findMany({ where, orderBy, select, ...w }), () => tx.project.count({ where }), (p) => p);
  });
}

async function findProject(tx: Tx, id: string): Promise<ProjectRow> {
  const row = await tx.project.findUnique({ where: { id }, include });
  if (!row) throw notFound('项目');
  return row;
}

export async function getProject(ctx: UseCaseContext, id: string): Promise<Project> {
  return runUseCase(ctx, async (tx) => toProjectDto(await findProject(tx, id)));
}

async function assertReferences(tx: Tx, input: { customerId?: string | null; managerId?: string | null }): Promise<void> {
  if (input.customerId && !(await tx.customer.findUnique({ where: { id: input.customerId }, select: { id: true } }))) {
    throw invalid('body.customerId', '客户不存在');
  }
  if (input.managerId) await assertUserExists(tx, input.managerId, 'body.managerId');
}

async function assertCodeFree(tx: Tx, code: string, exceptId?: string): Promise<void> {
  const other = await tx.project.findFirst({ where: { code, NOT: exceptId ? { id: exceptId } : undefined }, select: { name: true } });
  if (other) throw new AppError('CONFLICT', `项目编码 ${code} 已被「${other.name}」使用`, [{ field: 'body.code', message: '编码已存在' }]);
}

const dbDates = (input: { startDate?: string | null; endDate?: string | null }) => ({
  ...(input.startDate !== undefined ? { startDate: input.startDate ? dateOnlyToDb(input.startDate) : null } : {}),
  ...(input.endDate !== undefined ? { endDate: input.endDate ? dateOnlyToDb(input.endDate) : null } : {}),
});

export async function createProject(ctx: UseCaseContext, input: ProjectCreate): Promise<Project> {
  return runUseCase(ctx, async (tx) => {
    await assertReferences(tx, input);
    await assertCodeFree(tx, input.code);
    const row = await tx.project.create({
      data: {
        companyId: ctx.actor.companyId, code: input.code, name: input.name, customerId: input.customerId ?? null,
        managerId: input.managerId ?? null, remark: input.remark ?? null, ...dbDates(input),
      },
      include,
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'project', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toProjectDto(row);
  });
}

export async function updateProject(ctx: UseCaseContext, id: string, input: ProjectUpdate): Promise<Project> {
  return runUseCase(ctx, async (tx) => {
    const before = await findProject(tx, id);
    const { version, startDate, endDate, ...fields } = input;
    await assertReferences(tx, fields);
    if (fields.code && fields.code !== before.code) await assertCodeFree(tx, fields.code, id);
    const start = startDate !== undefined ? startDate : dateOrNull(before.startDate);
    const end = endDate !== undefined ? endDate : dateOrNull(before.endDate);
    if (start && end && end < start) throw invalid('body.endDate', '结束日期不能早于开始日期');
    // A closed project's end date bounds the vouchers that name it: moving it goes through close/reopen.
    if (before.status === 'closed' && endDate !== undefined && end !== dateOrNull(before.endDate)) {
      throw invalid('body.endDate', '项目已结束，结束日期不能修改（先重新打开项目）');
    }
    await updateVersioned(tx.project, { where: { id }, version, data: { ...fields, ...dbDates({ startDate, endDate }) }, label: '项目' });
    const after = await findProject(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'project', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toProjectDto(after);
  });
}

export async function closeProject(ctx: UseCaseContext, id: string, input: ProjectClose): Promise<Project> {
  return runUseCase(ctx, async (tx) => {
    const before = await findProject(tx, id);
    if (before.status === 'closed') throw new AppError('CONFLICT', `项目「${before.code} ${before.name}」已于 ${dateOrNull(before.endDate)} 结束`);
    const end = closingEndDate({ startDate: dateOrNull(before.startDate), endDate: dateOrNull(before.endDate) }, input.endDate, todayInShanghai());
    if ('problem' in end) throw invalid('body.endDate', end.problem);
    // Vouchers already booked after the end date would contradict it.
    const later = await tx.voucherLine.findFirst({
      where: { projectId: id, voucher: { voucherDate: { gt: dateOnlyToDb(end.endDate) } } },
      select: { voucher: { select: { number: true, period: true, voucherDate: true } } },
    });
    if (later) {
      const v = later.voucher;
      throw new AppError('CONFLICT', `项目在 ${end.endDate} 之后还有凭证（${v.period} ${v.number}，${dateOnlyOf(v.voucherDate)}），结束日期不能早于它`, [{ field: 'body.endDate', message: '晚于结束日期还有凭证' }]);
    }
    await updateVersioned(tx.project, { where: { id }, version: input.version, data: { status: 'closed', endDate: dateOnlyToDb(end.endDate) }, label: '项目' });
    const after = await findProject(tx, id);
    await recordAudit(tx, ctx, { action: 'close', entity: 'project', entityId: id, before, after });
    return toProjectDto(after);
  });
}

export async function reopenProject(ctx: UseCaseContext, id: string, input: { version: number }): Promise<Project> {
  return runUseCase(ctx, async (tx) => {
    const before = await findProject(tx, id);
    if (before.status !== 'closed') throw new AppError('CONFLICT', `项目「${before.code} ${before.name}」正在进行中，不需要重新打开`);
    await updateVersioned(tx.project, { where: { id }, version: input.version, data: { status: 'active' }, label: '项目' });
    const after = await findProject(tx, id);
    await recordAudit(tx, ctx, { action: 'reopen', entity: 'project', entityId: id, before, after });
    return toProjectDto(after);
  });
}

/**
 * The projects a voucher's lines name: each exists in the company (row-level security hides other
 * companies' projects) and takes a voucher of this date (a closed project not after its end date).
 */
export async function projectLineIssues(tx: Tx, lines: readonly { projectId?: string | null }[], date: string): Promise<FieldIssue[]> {
  const ids = [...new Set(lines.flatMap((l) => (l.projectId ? [l.projectId] : [])))];
  if (!ids.length) return [];
  const rows = await tx.project.findMany({ where: { id: { in: ids } }, select: { id: true, code: true, name: true, status: true, endDate: true } });
  const byId = new Map(rows.map((r) => [r.id, { ...r, endDate: dateOrNull(r.endDate) }]));
  return lines.flatMap((l, n) => {
    if (!l.projectId) return [];
    const p = byId.get(l.projectId);
    const problem = p ? projectPostingProblem(p, date) : '项目不存在';
    return problem ? [{ field: `body.lines.${n}.projectId`, message: problem }] : [];
  });
}
