// The signed-in user as every use case sees them: company, permissions and data scope.
import type { DataScope } from '../generated/prisma/enums.ts';
import type { Permission } from '../../shared/permissions.ts';
import { lacking } from './errors.ts';

export interface Actor {
  userId: string;
  companyId: string;
  username: string;
  name: string;
  departmentId: string | null;
  permissions: ReadonlySet<string>;
  /** the widest data scope of the user's roles */
  dataScope: DataScope;
  /** the user's department and every department below it */
  departmentIds: readonly string[];
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has('*') || actor.permissions.has(permission);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw lacking(permission);
}

const SCOPE_RANK: Record<DataScope, number> = { own: 0, department: 1, all: 2 };
export function widestScope(scopes: DataScope[]): DataScope {
  return scopes.reduce<DataScope>((a, b) => (SCOPE_RANK[b] > SCOPE_RANK[a] ? b : a), 'own');
}

/**
 * Prisma `where` fragment limiting rows owned by a user (ownerField) to the actor's data scope:
 * own → rows they own; department → rows owned by anyone in their department subtree; all → every row.
 */
export function ownerScope(actor: Actor, ownerField = 'ownerId', ownerRelation = 'owner'): Record<string, unknown> {
  switch (actor.dataScope) {
    case 'all':
      return {};
    case 'department':
      return { OR: [{ [ownerField]: actor.userId }, { [ownerRelation]: { departmentId: { in: [...actor.departmentIds] } } }] };
    default:
      return { [ownerField]: actor.userId };
  }
}

/** Whether a user (as an owner of rows) falls within the actor's data scope. */
export function withinScope(actor: Actor, user: { id: string; departmentId: string | null }): boolean {
  return (
    actor.dataScope === 'all' ||
    user.id === actor.userId ||
    (actor.dataScope === 'department' && user.departmentId !== null && actor.departmentIds.includes(user.departmentId))
  );
}
