// The organisation as approver rules see it, read in the caller's transaction. Filters on the
// company explicitly as well, so the system role (timers) reads one company only.
import type { Tx } from '../../db/transaction.ts';
import type { OrgDepartment, OrgSnapshot, OrgUser } from './rules.ts';

export async function loadOrgSnapshot(tx: Tx, companyId: string): Promise<OrgSnapshot> {
  const [users, departments, members] = await Promise.all([
    tx.$queryRaw<{ id: string; name: string; manager_id: string | null; department_id: string | null; active: boolean }[]>`
      SELECT id::text, name, manager_id::text, department_id::text, active FROM app_user WHERE company_id = ${companyId}::uuid ORDER BY employee_no`,
    tx.$queryRaw<{ id: string; parent_id: string | null; head_id: string | null }[]>`
      SELECT id::text, parent_id::text, head_id::text FROM department WHERE company_id = ${companyId}::uuid`,
    tx.$queryRaw<{ code: string; user_id: string }[]>`
      SELECT r.code, ur.user_id::text FROM user_role ur JOIN role r ON r.id = ur.role_id JOIN app_user u ON u.id = ur.user_id
       WHERE r.company_id = ${companyId}::uuid ORDER BY u.employee_no`,
  ]);
  const roleMembers = new Map<string, string[]>();
  for (const m of members) roleMembers.set(m.code, [...(roleMembers.get(m.code) ?? []), m.user_id]);
  return {
    users: new Map(users.map((u): [string, OrgUser] => [u.id, { id: u.id, name: u.name, managerId: u.manager_id, departmentId: u.department_id, active: u.active }])),
    departments: new Map(departments.map((d): [string, OrgDepartment] => [d.id, { id: d.id, parentId: d.parent_id, headId: d.head_id }])),
    roleMembers,
  };
}

/** Names of users, one query. */
export async function userNames(tx: Tx, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].filter((i): i is string => !!i))];
  if (!unique.length) return new Map();
  const rows = await tx.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}
