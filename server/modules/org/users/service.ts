// 用户: accounts of the company's staff, their roles, manager, department and platform identities.
// Passwords are only ever stored as bcrypt hashes and never leave this module.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { CHAT_PLATFORM_LABELS } from '../../../../shared/enums.ts';
import type { Colleague, ColleagueListQuery, IdentityCreate, User, UserCreate, UserListQuery, UserUpdate } from '../../../../shared/schemas/org.ts';
import { hashPassword } from '../../../platform/auth.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, forbidden, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { clearLoginFailures } from '../../auth/index.ts';
import { lockOrgTree } from '../departments/service.ts';
import { assertAdministratorRemains, assertMayGrant, assertMayManageUser, lockAdministrators, type Grant } from '../grants.ts';
import { isoShanghai } from '../../../../shared/time.ts';

const include = {
  department: { select: { id: true, name: true } },
  manager: { select: { id: true, name: true } },
  roles: { select: { role: { select: { id: true, code: true, name: true } } }, orderBy: { role: { code: 'asc' } } },
  identities: { select: { id: true, platform: true, externalUserId: true, unionId: true }, orderBy: { platform: 'asc' } },
} satisfies Prisma.UserInclude;
const omit = { passwordHash: true } as const;
type UserRow = Prisma.UserGetPayload<{ include: typeof include; omit: typeof omit }>;

export function toUserDto(u: UserRow): User {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    employeeNo: u.employeeNo,
    mobile: u.mobile,
    email: u.email,
    department: u.department,
    manager: u.manager,
    active: u.active,
    roles: u.roles.map((r) => r.role),
    identities: u.identities,
    createdAt: isoShanghai(u.createdAt),
    updatedAt: isoShanghai(u.updatedAt),
    version: u.version,
  };
}

export async function listUsers(ctx: UseCaseContext, query: UserListQuery): Promise<Page<User>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.UserWhereInput = {
      AND: [
        keywordWhere(query.q, ['username', 'name', 'employeeNo', 'mobile']),
        { departmentId: query.departmentId, active: query.active, roles: query.roleId ? { some: { roleId: query.roleId } } : undefined },
      ],
    };
    const orderBy = orderByOf(query.sort, 'username') as Prisma.UserOrderByWithRelationInput[];
    return findPage(query, (w) => tx.user.findMany({ where, orderBy, include, omit, ...w }), () => tx.user.count({ where }), toUserDto);
  });
}

/** 通讯录 for any signed-in user (转交 / 加签 pickers): active colleagues, name and department only. */
export async function listColleagues(ctx: UseCaseContext, query: ColleagueListQuery): Promise<Page<Colleague>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.UserWhereInput = { AND: [keywordWhere(query.q, ['username', 'name']), { active: true, departmentId: query.departmentId }] };
    const orderBy = orderByOf(query.sort, 'name') as Prisma.UserOrderByWithRelationInput[];
    const select = { id: true, username: true, name: true, department: { select: { id: true, name: true } } } satisfies Prisma.UserSelect;
    return findPage(query, (w) => tx.user.findMany({ where, orderBy, select, ...w }), () => tx.user.count({ where }), (u) => u);
  });
}

async function findUser(tx: Tx, id: string): Promise<UserRow> {
  const row = await tx.user.findUnique({ where: { id }, include, omit });
  if (!row) throw notFound('用户');
  return row;
}

export async function getUser(ctx: UseCaseContext, id: string): Promise<User> {
  return runUseCase(ctx, async (tx) => toUserDto(await findUser(tx, id)));
}

// ---------- checks ----------

async function assertFree(tx: Tx, field: 'username' | 'employeeNo', value: string, exceptId?: string): Promise<void> {
  const taken = await tx.user.findFirst({ where: { [field]: value, NOT: exceptId ? { id: exceptId } : undefined }, select: { name: true } });
  const label = field === 'username' ? '用户名' : '工号';
  if (taken) throw new AppError('DUPLICATE', `${label} ${value} 已被「${taken.name}」使用`, [{ field: `body.${field}`, message: '已存在' }]);
}

async function assertDepartment(tx: Tx, departmentId: string): Promise<void> {
  if (!(await tx.department.findUnique({ where: { id: departmentId }, select: { id: true } }))) throw invalid('body.departmentId', '部门不存在');
}

/** The distinct role ids, each checked to exist in the company, and what those roles allow. */
async function checkRoles(tx: Tx, roleIds: string[]): Promise<{ ids: string[]; grants: Grant[] }> {
  const found = new Map((await tx.role.findMany({ where: { id: { in: roleIds } }, select: { id: true, name: true, permissions: true, dataScope: true } })).map((r) => [r.id, r]));
  const missing = roleIds.findIndex((id) => !found.has(id));
  if (missing >= 0) throw invalid(`body.roleIds.${missing}`, '角色不存在');
  return { ids: [...new Set(roleIds)], grants: [...found.values()] };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The manager must exist, must not be the user, and must not report (directly or not) to the user. */
async function checkManager(tx: Tx, managerId: string, userId?: string): Promise<void> {
  if (managerId === userId) throw invalid('body.managerId', '不能把自己设为直属上级');
  if (!(await tx.user.findUnique({ where: { id: managerId }, select: { id: true } }))) throw invalid('body.managerId', '直属上级不存在');
  if (!userId) return;
  const rows = await tx.$queryRaw<{ found: boolean }[]>`
    WITH RECURSIVE up AS (
      SELECT id, manager_id FROM app_user WHERE id = ${managerId}::uuid
      UNION SELECT u.id, u.manager_id FROM app_user u JOIN up ON u.id = up.manager_id)
    SELECT EXISTS (SELECT 1 FROM up WHERE id = ${userId}::uuid) AS found`;
  if (rows[0]?.found) throw invalid('body.managerId', '上级关系不能形成循环（所选上级是该用户的下属）');
}

// ---------- use cases ----------

export async function createUser(ctx: UseCaseContext, input: UserCreate): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    await assertFree(tx, 'username', input.username);
    await assertFree(tx, 'employeeNo', input.employeeNo);
    if (input.departmentId) await assertDepartment(tx, input.departmentId);
    if (input.managerId) await checkManager(tx, input.managerId);
    const { ids: roleIds, grants } = await checkRoles(tx, input.roleIds);
    assertMayGrant(ctx.actor, grants);
    const row = await tx.user.create({
      data: {
        companyId,
        username: input.username,
        passwordHash,
        name: input.name,
        employeeNo: input.employeeNo,
        mobile: input.mobile ?? null,
        email: input.email ?? null,
        departmentId: input.departmentId ?? null,
        managerId: input.managerId ?? null,
        active: input.active,
        roles: { create: roleIds.map((roleId) => ({ companyId, roleId })) },
      },
      include,
      omit,
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'user', entityId: row.id, after: row });
    await emitEvent(tx, companyId, { type: 'user.created', aggregate: 'user', aggregateId: row.id, payload: { username: row.username, name: row.name } });
    return toUserDto(row);
  });
}

export async function updateUser(ctx: UseCaseContext, id: string, input: UserUpdate): Promise<User> {
  return runUseCase(ctx, async (tx) => {
    const { version, roleIds, ...fields } = input;
    // Roles and activation decide who is an administrator: lock before reading.
    const touchesAdministrators = roleIds !== undefined || fields.active === false;
    if (touchesAdministrators) await lockAdministrators(tx, ctx.actor.companyId);
    if (fields.managerId) await lockOrgTree(tx, ctx.actor.companyId, 'manager');
    const before = await findUser(tx, id);
    await assertMayManageUser(tx, ctx.actor, before);
    if (fields.active === false && id === ctx.actor.userId) throw invalid('body.active', '不能停用自己的账号');
    if (fields.username !== undefined && fields.username !== before.username) await assertFree(tx, 'username', fields.username, id);
    if (fields.employeeNo !== undefined && fields.employeeNo !== before.employeeNo) await assertFree(tx, 'employeeNo', fields.employeeNo, id);
    if (fields.departmentId) await assertDepartment(tx, fields.departmentId);
    if (fields.managerId) await checkManager(tx, fields.managerId, id);
    let roles: string[] | undefined;
    if (roleIds) {
      const checked = await checkRoles(tx, roleIds);
      const changed = !sameSet(checked.ids, before.roles.map((r) => r.role.id));
      if (changed && id === ctx.actor.userId) throw forbidden('不能修改自己的角色，请由其他管理员操作');
      assertMayGrant(ctx.actor, checked.grants);
      if (changed) roles = checked.ids;
    }
    await updateVersioned(tx.user, { where: { id }, version, data: fields, label: '用户' });
    if (roles) {
      await tx.userRole.deleteMany({ where: { userId: id } });
      await tx.userRole.createMany({ data: roles.map((roleId) => ({ companyId: ctx.actor.companyId, userId: id, roleId })) });
    }
    if (touchesAdministrators) await assertAdministratorRemains(tx);
    const after = await findUser(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'user', entityId: id, before, after, payload: { username: after.username, name: after.name } });
    return toUserDto(after);
  });
}

export async function deleteUser(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    await lockAdministrators(tx, ctx.actor.companyId);
    const before = await findUser(tx, id);
    if (id === ctx.actor.userId) throw new AppError('CONFLICT', '不能删除当前登录的账号');
    await assertMayManageUser(tx, ctx.actor, before);
    const customers = await tx.customer.count({ where: { ownerId: id } });
    if (customers > 0) {
      throw new AppError('IN_USE', `用户「${before.name}」是 ${customers} 个客户的负责人，不能删除；请先转交客户，或改为停用`);
    }
    const warehouses = await tx.warehouse.count({ where: { managerId: id } });
    if (warehouses > 0) {
      throw new AppError('IN_USE', `用户「${before.name}」是 ${warehouses} 个仓库的负责人，不能删除；请先更换仓库负责人，或改为停用`);
    }
    await tx.user.delete({ where: { id } });
    await assertAdministratorRemains(tx);
    await recordChange(tx, ctx, { action: 'delete', entity: 'user', entityId: id, before, payload: { username: before.username, name: before.name } });
  });
}

export async function resetPassword(ctx: UseCaseContext, id: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  return runUseCase(ctx, async (tx) => {
    const user = await findUser(tx, id);
    await assertMayManageUser(tx, ctx.actor, user);
    // Tokens issued before now stop working: a reset password ends the old sessions.
    await tx.user.update({ where: { id }, data: { passwordHash, credentialsChangedAt: new Date() } });
    await recordAudit(tx, ctx, { action: 'resetPassword', entity: 'user', entityId: id });
    await emitEvent(tx, ctx.actor.companyId, { type: 'user.passwordReset', aggregate: 'user', aggregateId: id, payload: { username: user.username, name: user.name } });
  });
}

/** 解锁: lets an account locked by failed sign-ins try again at once. */
export async function unlockLogin(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const user = await findUser(tx, id);
    await assertMayManageUser(tx, ctx.actor, user);
    const hadFailures = await clearLoginFailures(tx, user.id);
    await recordAudit(tx, ctx, { action: 'loginUnlocked', entity: 'user', entityId: id, after: { hadFailures } });
  });
}

export async function bindIdentity(ctx: UseCaseContext, userId: string, input: IdentityCreate): Promise<User> {
  return runUseCase(ctx, async (tx) => {
    const user = await findUser(tx, userId);
    await assertMayManageUser(tx, ctx.actor, user);
    const platform = CHAT_PLATFORM_LABELS[input.platform];
    const taken = await tx.platformIdentity.findFirst({
      where: { platform: input.platform, externalUserId: input.externalUserId },
      select: { user: { select: { name: true } } },
    });
    if (taken) {
      throw new AppError('DUPLICATE', `该${platform}账号（${input.externalUserId}）已绑定到用户「${taken.user.name}」`, [{ field: 'body.externalUserId', message: '已被绑定' }]);
    }
    if (user.identities.some((i) => i.platform === input.platform)) {
      throw new AppError('DUPLICATE', `用户「${user.name}」已绑定${platform}账号，请先解除原绑定`, [{ field: 'body.platform', message: '该平台已绑定' }]);
    }
    const identity = await tx.platformIdentity.create({
      data: { companyId: ctx.actor.companyId, userId, platform: input.platform, externalUserId: input.externalUserId, unionId: input.unionId ?? null },
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'platformIdentity', entityId: identity.id, after: identity });
    await emitEvent(tx, ctx.actor.companyId, {
      type: 'user.identityBound', aggregate: 'user', aggregateId: userId,
      payload: { username: user.username, platform: identity.platform, externalUserId: identity.externalUserId },
    });
    return toUserDto(await findUser(tx, userId));
  });
}

export async function unbindIdentity(ctx: UseCaseContext, userId: string, identityId: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const identity = await tx.platformIdentity.findFirst({ where: { id: identityId, userId }, include: { user: { select: { username: true, name: true } } } });
    if (!identity) throw notFound('平台身份绑定');
    await assertMayManageUser(tx, ctx.actor, { id: userId, name: identity.user.name });
    await tx.platformIdentity.delete({ where: { id: identityId } });
    const { user, ...before } = identity;
    await recordAudit(tx, ctx, { action: 'delete', entity: 'platformIdentity', entityId: identityId, before });
    await emitEvent(tx, ctx.actor.companyId, {
      type: 'user.identityUnbound', aggregate: 'user', aggregateId: userId,
      payload: { username: user.username, platform: identity.platform, externalUserId: identity.externalUserId },
    });
  });
}
