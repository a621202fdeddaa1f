// Who holds a permission: the active users of the company (row-level security) with a role that
// names it. A wildcard role ('*', 老板 and 管理员) holds every permission but is not meant by a
// notice for the people who do the work (待检 goes to the inspectors, not to the boss).
import type { SqlTx } from '../../../db/sql-session.ts';
import type { Permission } from '../../../../shared/permissions.ts';

export async function usersNamedIn(tx: SqlTx, permission: Permission): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT u.id::text FROM app_user u JOIN user_role ur ON ur.user_id = u.id JOIN role r ON r.id = ur.role_id
     WHERE u.active AND ${permission} = ANY(r.permissions)
     ORDER BY 1`;
  return rows.map((r) => r.id);
}
