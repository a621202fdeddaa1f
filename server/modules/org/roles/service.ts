// 角色: a named set of permissions and a data scope. Changes apply to every holder on their next
// request, since the actor's permissions are read fresh each time.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { DATA_SCOPE_LABELS, DATA_SCOPES } from '../../../../shared/enums.ts';
import { ACTIONS, ALL_PERMISSIONS, permissionLabel, RESOURCES, type Action, type Resource } from '../../../../shared/permissions.ts';
import type { PermissionCatalogue, Role, RoleCreate, RoleListQuery, RoleUpdate } from '../../../../shared/schemas/org.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, forbidden, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { assertAdministratorRemains, assertMayGrant, lockAdministrators, shortfall } from '../grants.ts';
import { isoShanghai } from '../../../../shared/time.ts';

const include = { _count: { select: { users: true } } } satisfies Prisma.RoleInclude;
type RoleRow = Prisma.RoleGetPayload<{ include: typeof include }>;

export function toRoleDto(r: RoleRow): Role {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    permissions: r.permissions,
    dataScope: r.dataScope,
    dataScopeLabel: DATA_SCOPE_LABELS[r.dataScope],
    userCount: r._count.users,
    createdAt: isoShanghai(r.createdAt),
    updatedAt: isoShanghai(r.updatedAt),
    version: r.version,
  };
}

/** The permission catalogue with Chinese labels, and the data scopes a role can have. */
export function permissionCatalogue(): PermissionCatalogue {
  return {
    items: ALL_PERMISSIONS.map((p) => {
      const [resource, action] = p.split(':') as [Resource, Action];
      return { permission: p, label: permissionLabel(p), resource, resourceLabel: RESOURCES[resource], action, actionLabel: ACTIONS[action] };
    }),
    dataScopes: DATA_SCOPES.map((value) => ({ value, label: DATA_SCOPE_LABELS[value] })),
  };
}

export async function listRoles(ctx: UseCaseContext, query: RoleListQuery): Promise<Page<Role>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.RoleWhereInput = { AND: [keywordWhere(query.q, ['code', 'name']), { dataScope: query.dataScope }] };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.RoleOrderByWithRelationInput[];
    return findPage(query, (w) => tx.role.findMany({ where, orderBy, include, ...w }), () => tx.role.count({ where }), toRoleDto);
  });
}

async function findRole(tx: Tx, id: string): Promise<RoleRow> {
  const row = await tx.role.findUnique({ where: { id }, include });
  if (!row) throw notFound('角色');
  return row;
}

export async function getRole(ctx: UseCaseContext, id: string): Promise<Role> {
  return runUseCase(ctx, async (tx) => toRoleDto(await findRole(tx, id)));
}

async function assertCodeFree(tx: Tx, code: string, exceptId?: string): Promise<void> {
  const taken = await tx.role.findFirst({ where: { code, NOT: exceptId ? { id: exceptId } : undefined }, select: { name: true } });
  if (taken) throw new AppError('DUPLICATE', `角色编码 ${code} 已被「${taken.name}」使用`, [{ field: 'body.code', message: '已存在' }]);
}

export async function createRole(ctx: UseCaseContext, input: RoleCreate): Promise<Role> {
  return runUseCase(ctx, async (tx) => {
    assertMayGrant(ctx.actor, [input]);
    await assertCodeFree(tx, input.code);
    const row = await tx.role.create({ data: { ...input, companyId: ctx.actor.companyId }, include });
    await recordChange(tx, ctx, { action: 'create', entity: 'role', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toRoleDto(row);
  });
}

export async function updateRole(ctx: UseCaseContext, id: string, input: RoleUpdate): Promise<Role> {
  return runUseCase(ctx, async (tx) => {
    const { version, ...fields } = input;
    // What a role allows decides who is an administrator: lock before reading.
    const grantEdit = fields.permissions !== undefined || fields.dataScope !== undefined;
    if (grantEdit) await lockAdministrators(tx, ctx.actor.companyId);
    const before = await findRole(tx, id);
    const permissions = fields.permissions ?? before.permissions;
    const dataScope = fields.dataScope ?? before.dataScope;
    const changesGrant = dataScope !== before.dataScope || permissions.length !== before.permissions.length || permissions.some((p) => !before.permissions.includes(p));
    // Editing a role at all needs everything it allows; changing what it allows needs the result too.
    const above = shortfall(ctx.actor, [before]);
    if (above) throw forbidden(`不能修改权限比你大的角色：${above}`);
    assertMayGrant(ctx.actor, [{ name: before.name, permissions, dataScope }]);
    if (changesGrant && (await tx.userRole.count({ where: { roleId: id, userId: ctx.actor.userId } })) > 0) {
      throw forbidden(`不能修改自己所持角色「${before.name}」的权限或数据范围，请由其他管理员操作`);
    }
    if (fields.code !== undefined && fields.code !== before.code) await assertCodeFree(tx, fields.code, id);
    await updateVersioned(tx.role, { where: { id }, version, data: fields, label: '角色' });
    if (changesGrant) await assertAdministratorRemains(tx);
    const after = await findRole(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'role', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toRoleDto(after);
  });
}

export async function deleteRole(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findRole(tx, id);
    const holders = await tx.userRole.count({ where: { roleId: id } });
    if (holders > 0) throw new AppError('IN_USE', `角色「${before.name}」已分配给 ${holders} 个用户，不能删除`);
    await tx.role.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'role', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}
