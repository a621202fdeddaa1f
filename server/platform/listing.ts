// Lists: paging, keyword search and sort, the same on every list.
import { AppError, notFound } from './errors.ts';

export interface PageParams {
  page: number;
  pageSize: number;
  q?: string;
  sort?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Prisma orderBy from "field" / "-field", always ending on id so pages are stable. */
export function orderByOf(sort: string | undefined, fallback: string): Record<string, 'asc' | 'desc'>[] {
  const s = sort ?? fallback;
  const desc = s.startsWith('-');
  const field = desc ? s.slice(1) : s;
  return [{ [field]: desc ? 'desc' : 'asc' }, { id: 'asc' }];
}

/**
 * The keyword with LIKE's wildcards taken literally: Prisma's `contains` puts the value between two
 * `%` as it is, so a search for "%" or "_" would match every row. Backslash is PostgreSQL's default escape.
 */
export function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Case-insensitive "contains" of the keyword as typed, for a Prisma string filter. */
export function containsText(q: string): { contains: string; mode: 'insensitive' } {
  return { contains: escapeLike(q), mode: 'insensitive' };
}

/** Case-insensitive "contains" over the given fields. */
export function keywordWhere(q: string | undefined, fields: string[]): Record<string, unknown> {
  if (!q) return {};
  const match = containsText(q);
  return { OR: fields.map((f) => ({ [f]: match })) };
}

/** A Prisma model delegate, reduced to what versioned updates use. */
export interface VersionedDelegate {
  updateMany(args: object): Promise<{ count: number }>;
  findFirst(args: object): Promise<unknown>;
}

/** One page of rows and the total; `fetch` gets skip/take, `count` the same filter. */
export async function findPage<Row, T>(
  page: PageParams,
  fetch: (window: { skip: number; take: number }) => Promise<Row[]>,
  count: () => Promise<number>,
  toDto: (row: Row) => T,
): Promise<Page<T>> {
  const rows = await fetch({ skip: (page.page - 1) * page.pageSize, take: page.pageSize });
  const total = await count();
  return { items: rows.map(toDto), total, page: page.page, pageSize: page.pageSize };
}

/**
 * Optimistic update that the database itself enforces: the row changes only if its version is
 * still the one the client read. A stale version is a 409, an unknown (or out-of-scope) id a 404.
 */
export async function updateVersioned(
  delegate: VersionedDelegate,
  args: { where: Record<string, unknown>; version: number; data: object; label: string },
): Promise<void> {
  const { count } = await delegate.updateMany({
    where: { ...args.where, version: args.version },
    data: { ...args.data, version: { increment: 1 } },
  });
  if (count === 1) return;
  const exists = await delegate.findFirst({ where: args.where });
  if (!exists) throw notFound(args.label);
  throw new AppError('VERSION_CONFLICT', `${args.label}已被他人修改，请刷新后重试`, [{ field: 'body.version', message: '版本已过期' }]);
}
