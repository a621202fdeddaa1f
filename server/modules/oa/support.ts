// What the OA documents share: names for replies. (Submitting, the way back to draft and the
// approvals of a document are the approvals engine's: server/modules/approvals/index.ts.)
import type { Tx } from '../../db/transaction.ts';

/** Names of users and departments, one query each. */
export async function namesOf(tx: Tx, userIds: (string | null)[], departmentIds: (string | null)[]) {
  const u = [...new Set(userIds.filter((i): i is string => !!i))];
  const d = [...new Set(departmentIds.filter((i): i is string => !!i))];
  const [users, departments] = await Promise.all([
    u.length ? tx.user.findMany({ where: { id: { in: u } }, select: { id: true, name: true } }) : [],
    d.length ? tx.department.findMany({ where: { id: { in: d } }, select: { id: true, name: true } }) : [],
  ]);
  return { users: new Map(users.map((x) => [x.id, x.name])), departments: new Map(departments.map((x) => [x.id, x.name])) };
}
