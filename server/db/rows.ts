// Rows of hand-written SQL, typed from the generated Prisma models: a module's store names the
// model fields a statement reads, so a column renamed or retyped in schema.prisma fails `tsc`
// there, and its select lists are checked (`satisfies`) to give exactly the row type's columns.
import type { Prisma } from '../generated/prisma/client.ts';
import { lastStatement, type SqlTx } from './sql-session.ts';

/** `customerId` → `customer_id`: schema.prisma maps every field to its snake_case column. */
export type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S;

/** A value as a store's statements return it: decimals and bigints cast to text (their scale kept), the rest as the driver gives it. */
type Wire<V> = V extends Prisma.Decimal ? string : V extends bigint ? string : V;

/**
 * Fields K of model M as a raw statement returns them: snake_case names, decimals and bigints as
 * text; fields in AsText (date-only columns given as 'YYYY-MM-DD', …) as text too. Nullability
 * follows the schema.
 */
export type RowOf<M, K extends keyof M & string, AsText extends K = never> = {
  [P in K as SnakeCase<P>]: P extends AsText ? (null extends M[P] ? string | null : string) : Wire<M[P]>;
};

/** A row type's select list: every column of the row, each with its SQL expression (check the object with `satisfies SelectList<Row>`). */
export type SelectList<Row> = { readonly [C in keyof Row & string]: string };

/** `expr AS column, …` of a checked select list, for a statement's SELECT or RETURNING. */
export function selectList<Row>(columns: SelectList<Row>): string {
  return Object.entries(columns).map(([name, expr]) => `${expr as string} AS ${name}`).join(', ');
}

declare const rowBrand: unique symbol;

/** A complete statement together with the type of its rows (built by a store; run with `rowsOf`). */
export type Statement<Row> = Prisma.Sql & { readonly [rowBrand]?: Row };

/** Marks a statement with the row type it returns. */
export function statement<Row>(sql: Prisma.Sql): Statement<Row> {
  return sql as Statement<Row>;
}

/** Runs a store's statement in the caller's transaction (sent at once: on a SqlSession, calls not awaited in between travel together). */
export function rowsOf<Row>(tx: SqlTx, s: Statement<Row>): PromiseLike<Row[]> {
  return tx.$queryRaw<Row[]>(s);
}

/** The use case's last statement (see lastStatement: on a SqlSession its COMMIT goes out with it), with the store's row type. */
export function lastRowsOf<Row>(tx: SqlTx, s: Statement<Row>): PromiseLike<Row[]> {
  return lastStatement<Row[]>(tx, s);
}
