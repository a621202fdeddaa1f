// 授权边界: what a user administrator may hand out. Nobody grants a permission or a data scope
// they do not hold themselves, nobody changes the roles they hold (or what those roles allow), nobody
// manages an account that can do more than they can (resetting its password or binding a chat
// identity to it would make it theirs), and the company always keeps an active administrator.
import type { Tx } from '../../db/transaction.ts';
import type { DataScope } from '../../generated/prisma/enums.ts';
import { DATA_SCOPE_LABELS } from '../../../shared/enums.ts';
import { permissionLabel, type Permission } from '../../../shared/permissions.ts';
import { widestScope, type Actor } from '../../platform/actor.ts';
import { AppError, forbidden } from '../../platform/errors.ts';

/** A role as the rules see it. */
export interface Grant {
  name: string;
  permissions: readonly string[];
  dataScope: DataScope;
}

const ALL = '*';

/** The permissions among `permissions` that the actor does not hold ('*' is held only by holders of '*'). */
export function notHeld(actor: Pick<Actor, 'permissions'>, permissions: readonly string[]): string[] {
  if (actor.permissions.has(ALL)) return [];
  return [...new Set(permissions.filter((p) => !actor.permissions.has(p)))];
}

function labelOf(p: string): string {
  return p === ALL ? '全部权限（*）' : permissionLabel(p as Permission);
}

function describe(missing: string[]): string {
  const shown = missing.slice(0, 5).map(labelOf).join('、');
  return missing.length > 5 ? `${shown} 等 ${missing.length} 项` : shown;
}

/** What the actor lacks to hand out these roles: permissions, or a wider data scope; undefined when nothing. */
export function shortfall(actor: Pick<Actor, 'permissions' | 'dataScope'>, roles: readonly Grant[]): string | undefined {
  for (const role of roles) {
    const missing = notHeld(actor, role.permissions);
    if (missing.length) return `角色「${role.name}」含 ${describe(missing)}，你没有`;
    if (widestScope([actor.dataScope, role.dataScope]) !== actor.dataScope) {
      return `角色「${role.name}」的数据范围是「${DATA_SCOPE_LABELS[role.dataScope]}」，大于你的「${DATA_SCOPE_LABELS[actor.dataScope]}」`;
    }
  }
  return undefined;
}

/** 403 unless the actor holds everything the roles allow. */
export function assertMayGrant(actor: Actor, roles: readonly Grant[]): void {
  const lack = shortfall(actor, roles);
  if (lack) throw forbidden(`不能授予你自己没有的权限或数据范围：${lack}`);
}

/** The roles a user holds, with what they allow. */
export async function rolesOf(tx: Tx, userId: string): Promise<Grant[]> {
  const rows = await tx.userRole.findMany({ where: { userId }, select: { role: { select: { name: true, permissions: true, dataScope: true } } } });
  return rows.map((r) => r.role);
}

/** Managing an account (its roles, password, chat identities, state) needs everything that account can do. */
export async function assertMayManageUser(tx: Tx, actor: Actor, target: { id: string; name: string }): Promise<void> {
  if (target.id === actor.userId) return;
  const lack = shortfall(actor, await rolesOf(tx, target.id));
  if (lack) throw forbidden(`不能管理权限比你大的用户「${target.name}」：${lack}`);
}

/**
 * Serialises the changes that can take away an administrator (roles, activation, deletion, role
 * permissions), so two administrators removing each other at once cannot both succeed.
 */
export async function lockAdministrators(tx: Tx, companyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`org-admins:${companyId}`}, 0))`;
}

/** After the change, in the same transaction: at least one active user still holds '*'. */
export async function assertAdministratorRemains(tx: Tx): Promise<void> {
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM app_user u
     WHERE u.active AND EXISTS (SELECT 1 FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = u.id AND '*' = ANY (r.permissions))`;
  if (!row?.n) throw new AppError('CONFLICT', '不能移除最后一位系统管理员：公司至少要保留一位在职的、拥有全部权限（*）的用户');
}
