// 部门: a tree per company. Moving a department never creates a cycle; deleting one is refused
// while it still has sub-departments or users.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Department, DepartmentCreate, DepartmentListQuery, DepartmentNode, DepartmentUpdate } from '../../../../shared/schemas/org.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';

const include = {
  parent: { select: { id: true, name: true } },
  _count: { select: { children: true, users: true } },
} satisfies Prisma.DepartmentInclude;
type DepartmentRow = Prisma.DepartmentGetPayload<{ include: typeof include }>;

export function toDepartmentDto(d: DepartmentRow): Department {
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    parentId: d.parentId,
    parent: d.parent,
    sort: d.sort,
    childCount: d._count.children,
    userCount: d._count.users,
    createdAt: isoShanghai(d.createdAt),
    updatedAt: isoShanghai(d.updatedAt),
    version: d.version,
  };
}

/** Serialises changes to the company's tree so two concurrent moves cannot close a cycle together. */
export async function lockOrgTree(tx: Tx, companyId: string, tree: 'department' | 'manager'): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`org-tree:${tree}:${companyId}`}, 0))`;
}

export async function listDepartments(ctx: UseCaseContext, query: DepartmentListQuery): Promise<Page<Department>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.DepartmentWhereInput = { AND: [keywordWhere(query.q, ['code', 'name']), { parentId: query.parentId }] };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.DepartmentOrderByWithRelationInput[];
    return findPage(query, (w) => tx.department.findMany({ where, orderBy, include, ...w }), () => tx.department.count({ where }), toDepartmentDto);
  });
}

/** The whole tree, siblings ordered by sort then code. */
export async function departmentTree(ctx: UseCaseContext): Promise<{ items: DepartmentNode[] }> {
  return runUseCase(ctx, async (tx) => {
    const rows = await tx.department.findMany({
      orderBy: [{ sort: 'asc' }, { code: 'asc' }],
      select: { id: true, code: true, name: true, sort: true, parentId: true, _count: { select: { users: true } } },
    });
    const nodes = new Map<string, DepartmentNode>(
      rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, sort: r.sort, userCount: r._count.users, children: [] }]),
    );
    const roots: DepartmentNode[] = [];
    for (const r of rows) {
      const parent = r.parentId ? nodes.get(r.parentId) : undefined;
      (parent ? parent.children : roots).push(nodes.get(r.id)!);
    }
    return { items: roots };
  });
}

async function findDepartment(tx: Tx, id: string): Promise<DepartmentRow> {
  const row = await tx.department.findUnique({ where: { id }, include });
  if (!row) throw notFound('部门');
  return row;
}

export async function getDepartment(ctx: UseCaseContext, id: string): Promise<Department> {
  return runUseCase(ctx, async (tx) => toDepartmentDto(await findDepartment(tx, id)));
}

async function assertCodeFree(tx: Tx, code: string, exceptId?: string): Promise<void> {
  const taken = await tx.department.findFirst({ where: { code, NOT: exceptId ? { id: exceptId } : undefined }, select: { name: true } });
  if (taken) throw new AppError('DUPLICATE', `部门编码 ${code} 已被「${taken.name}」使用`, [{ field: 'body.code', message: '已存在' }]);
}

async function assertParentExists(tx: Tx, parentId: string): Promise<void> {
  const parent = await tx.department.findUnique({ where: { id: parentId }, select: { id: true } });
  if (!parent) throw invalid('body.parentId', '上级部门不存在');
}

/** True when `candidateId` is `id` itself or lies anywhere below it. */
async function isSelfOrDescendant(tx: Tx, id: string, candidateId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ found: boolean }[]>`
    WITH RECURSIVE sub AS (
      SELECT id FROM department WHERE id = ${id}::uuid
      UNION SELECT d.id FROM department d JOIN sub ON d.parent_id = sub.id)
    SELECT EXISTS (SELECT 1 FROM sub WHERE id = ${candidateId}::uuid) AS found`;
  return rows[0]?.found === true;
}

export async function createDepartment(ctx: UseCaseContext, input: DepartmentCreate): Promise<Department> {
  return runUseCase(ctx, async (tx) => {
    await assertCodeFree(tx, input.code);
    if (input.parentId) await assertParentExists(tx, input.parentId);
    const row = await tx.department.create({
      data: { companyId: ctx.actor.companyId, code: input.code, name: input.name, parentId: input.parentId ?? null, sort: input.sort },
      include,
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'department', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toDepartmentDto(row);
  });
}

export async function updateDepartment(ctx: UseCaseContext, id: string, input: DepartmentUpdate): Promise<Department> {
  return runUseCase(ctx, async (tx) => {
    const { version, ...fields } = input;
    if (fields.parentId !== undefined) await lockOrgTree(tx, ctx.actor.companyId, 'department');
    const before = await findDepartment(tx, id);
    if (fields.code !== undefined && fields.code !== before.code) await assertCodeFree(tx, fields.code, id);
    if (fields.parentId) {
      await assertParentExists(tx, fields.parentId);
      if (await isSelfOrDescendant(tx, id, fields.parentId)) {
        throw invalid('body.parentId', fields.parentId === id ? '不能把部门设为自己的上级' : `不能把「${before.name}」移到它自己的下级部门之下`);
      }
    }
    await updateVersioned(tx.department, { where: { id }, version, data: fields, label: '部门' });
    const after = await findDepartment(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'department', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toDepartmentDto(after);
  });
}

export async function deleteDepartment(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    await lockOrgTree(tx, ctx.actor.companyId, 'department');
    const before = await findDepartment(tx, id);
    const children = await tx.department.count({ where: { parentId: id } });
    const users = await tx.user.count({ where: { departmentId: id } });
    if (children > 0 || users > 0) {
      const parts = [children > 0 ? `${children} 个下级部门` : '', users > 0 ? `${users} 个用户` : ''].filter(Boolean).join('、');
      throw new AppError('IN_USE', `部门「${before.name}」下还有 ${parts}，不能删除`);
    }
    await tx.department.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'department', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}
