// What purchasing documents point at (suppliers, items, units, warehouses, users) has no Prisma
// relation on the document tables, so DTOs look the names up in one query per kind.
import type { Tx } from '../../../db/transaction.ts';
import type { Actor } from '../../../platform/actor.ts';

export interface CodeRef {
  id: string;
  code: string;
  name: string;
}
export interface ItemRef extends CodeRef {
  spec: string | null;
}
export interface UserRef {
  id: string;
  name: string;
}

export interface RefIds {
  suppliers?: Iterable<string | null | undefined>;
  items?: Iterable<string | null | undefined>;
  units?: Iterable<string | null | undefined>;
  warehouses?: Iterable<string | null | undefined>;
  users?: Iterable<string | null | undefined>;
}

export interface Refs {
  supplier(id: string): CodeRef;
  item(id: string): ItemRef;
  unit(id: string): CodeRef;
  warehouse(id: string): CodeRef;
  user(id: string): UserRef;
}

const ids = (v?: Iterable<string | null | undefined>) => [...new Set([...(v ?? [])].filter((x): x is string => !!x))];
const gone = (id: string) => ({ id, code: '?', name: '（已删除）' });

export async function loadRefs(tx: Tx, want: RefIds): Promise<Refs> {
  const [suppliers, items, units, warehouses, users] = await Promise.all([
    ids(want.suppliers).length ? tx.supplier.findMany({ where: { id: { in: ids(want.suppliers) } }, select: { id: true, code: true, name: true } }) : [],
    ids(want.items).length ? tx.item.findMany({ where: { id: { in: ids(want.items) } }, select: { id: true, code: true, name: true, spec: true } }) : [],
    ids(want.units).length ? tx.unit.findMany({ where: { id: { in: ids(want.units) } }, select: { id: true, code: true, name: true } }) : [],
    ids(want.warehouses).length ? tx.warehouse.findMany({ where: { id: { in: ids(want.warehouses) } }, select: { id: true, code: true, name: true } }) : [],
    ids(want.users).length ? tx.user.findMany({ where: { id: { in: ids(want.users) } }, select: { id: true, name: true } }) : [],
  ]);
  const s = new Map(suppliers.map((r) => [r.id, r]));
  const i = new Map(items.map((r) => [r.id, r]));
  const u = new Map(units.map((r) => [r.id, r]));
  const w = new Map(warehouses.map((r) => [r.id, r]));
  const p = new Map(users.map((r) => [r.id, r]));
  return {
    supplier: (id) => s.get(id) ?? gone(id),
    item: (id) => i.get(id) ?? { ...gone(id), spec: null },
    unit: (id) => u.get(id) ?? gone(id),
    warehouse: (id) => w.get(id) ?? gone(id),
    user: (id) => p.get(id) ?? { id, name: '（已删除）' },
  };
}

/**
 * 数据范围 on purchasing documents: the users whose documents (as buyer / requester) the actor may
 * see; `null` = everyone's. Documents have no relation to their user, so the department scope is
 * resolved to user ids here.
 */
export async function scopedUserIds(tx: Tx, actor: Actor): Promise<string[] | null> {
  if (actor.dataScope === 'all') return null;
  if (actor.dataScope === 'own' || !actor.departmentIds.length) return [actor.userId];
  const users = await tx.user.findMany({ where: { departmentId: { in: [...actor.departmentIds] } }, select: { id: true } });
  return [...new Set([actor.userId, ...users.map((u) => u.id)])];
}

export async function userScopeWhere(tx: Tx, actor: Actor, field: string): Promise<Record<string, unknown>> {
  const allowed = await scopedUserIds(tx, actor);
  return allowed === null ? {} : { [field]: { in: allowed } };
}
