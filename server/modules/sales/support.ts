// What every sales use case shares: the actor's data scope on the salesperson column, names for
// replies (the sales tables keep ids only), money and quantity wording, and dates.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../db/transaction.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { DocumentState } from '../../generated/prisma/enums.ts';
import { type Actor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';

export { dateOnlyOf, dateOnlyToDb, todayInShanghai } from '../finance/index.ts';

/**
 * `where` fragment for documents whose salesperson (ownerId) lies in the actor's data scope:
 * own → theirs, department → anyone's in their department subtree, all → every document.
 */
export async function salespersonScope(tx: Tx, actor: Actor): Promise<{ ownerId?: string | { in: string[] } }> {
  if (actor.dataScope === 'all') return {};
  if (actor.dataScope === 'own') return { ownerId: actor.userId };
  const users = await tx.user.findMany({ where: { departmentId: { in: [...actor.departmentIds] } }, select: { id: true } });
  return { ownerId: { in: [...new Set([actor.userId, ...users.map((u) => u.id)])] } };
}

/** The same data scope as SQL, on a salesperson/owner column (for the hot paths that use raw SQL). */
export function ownerScopeSql(actor: Actor, column: string): Prisma.Sql {
  const col = Prisma.raw(column);
  if (actor.dataScope === 'all') return Prisma.sql`TRUE`;
  if (actor.dataScope === 'own') return Prisma.sql`${col} = ${actor.userId}::uuid`;
  return Prisma.sql`(${col} = ${actor.userId}::uuid OR ${col} IN (SELECT id FROM app_user WHERE department_id = ANY(${[...actor.departmentIds]}::uuid[])))`;
}

export interface Names {
  customers: Map<string, { id: string; code: string; name: string }>;
  users: Map<string, { id: string; name: string }>;
  items: Map<string, { id: string; code: string; name: string; spec: string | null }>;
  units: Map<string, { id: string; name: string }>;
  warehouses: Map<string, { id: string; code: string; name: string }>;
}

const uniq = (ids: (string | null | undefined)[]) => [...new Set(ids.filter((i): i is string => !!i))];

/** Names of the rows a reply mentions, one query per kind. */
export async function lookupNames(
  tx: Tx,
  ids: { customers?: (string | null)[]; users?: (string | null)[]; items?: string[]; units?: string[]; warehouses?: string[] },
): Promise<Names> {
  const [customers, users, items, units, warehouses] = await Promise.all([
    ids.customers?.length ? tx.customer.findMany({ where: { id: { in: uniq(ids.customers) } }, select: { id: true, code: true, name: true } }) : [],
    ids.users?.length ? tx.user.findMany({ where: { id: { in: uniq(ids.users) } }, select: { id: true, name: true } }) : [],
    ids.items?.length ? tx.item.findMany({ where: { id: { in: uniq(ids.items) } }, select: { id: true, code: true, name: true, spec: true } }) : [],
    ids.units?.length ? tx.unit.findMany({ where: { id: { in: uniq(ids.units) } }, select: { id: true, name: true } }) : [],
    ids.warehouses?.length ? tx.warehouse.findMany({ where: { id: { in: uniq(ids.warehouses) } }, select: { id: true, code: true, name: true } }) : [],
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  return { customers: byId(customers), users: byId(users), items: byId(items), units: byId(units), warehouses: byId(warehouses) };
}

/** A name that should exist; a placeholder keeps a reply valid if the row is gone. */
export function named<T>(map: Map<string, T>, id: string, fallback: (id: string) => T): T {
  return map.get(id) ?? fallback(id);
}
export const unknownCoded = (id: string) => ({ id, code: '', name: '（已删除）' });
export const unknownNamed = (id: string) => ({ id, name: '（已删除）' });
export const unknownItem = (id: string) => ({ id, code: '', name: '（已删除）', spec: null });

const grouping = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** ¥500,000.00 */
export function yuan(value: Decimal.Value): string {
  return `¥${grouping.format(new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber())}`;
}

/** An amount in the document's currency: ¥1,234.00 for CNY, "USD 1,234.00" otherwise. */
export function money(currencyCode: string, value: Decimal.Value): string {
  return currencyCode === 'CNY' ? yuan(value) : `${currencyCode} ${yuan(value).slice(1)}`;
}

/** A quantity as people write it: 3, 2.5 (no trailing zeros). */
export function qtyText(value: Decimal.Value): string {
  return new Decimal(value).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toString();
}

/** Decimals of a decimal string ("1.50" → 2). */
export function decimalsOf(value: string): number {
  const frac = value.split('.')[1];
  return frac ? frac.replace(/0+$/, '').length : 0;
}

const STATE_WORD: Record<DocumentState, string> = {
  draft: '订单为草稿',
  pendingApproval: '订单待审批中',
  confirmed: '订单已确认',
  closed: '订单已关闭',
  cancelled: '订单已取消',
};

/** 409 "订单已确认，不能修改" and the like. */
export function stateConflict(state: DocumentState, what: string): AppError {
  return new AppError('CONFLICT', `${STATE_WORD[state]}，${what}`);
}
