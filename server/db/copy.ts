// COPY … FROM STDIN in PostgreSQL's text format, on a raw pg client (withTransactionClient gives the
// one of a Prisma transaction): the fastest way to write tens of thousands of rows. Text format:
// columns separated by tab, rows by newline, \N for null, and backslash, tab, newline and carriage
// return inside a value written as \\, \t, \n, \r.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A column value: text as it is (escaped here), null, or a boolean. */
export type CopyValue = string | boolean | null | undefined;

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY text format. */
export function copyField(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : v;
}

/** One row in COPY text format, newline included. */
export const copyLine = (values: readonly CopyValue[]): string => `${values.map(copyField).join('\t')}\n`;

/** rows per chunk written to the stream: big enough that per-write overhead vanishes, small enough not to hold much */
const CHUNK_ROWS = 2000;

/**
 * COPY `rows` into `table` (columns in order) on `client`; resolves with the number of rows copied.
 * Not for tables under row-level security (PostgreSQL refuses COPY FROM into them): copy into a
 * temporary table and INSERT … SELECT from it.
 */
export async function copyRows<R>(client: pg.ClientBase, table: string, columns: readonly string[], rows: readonly R[], toValues: (row: R) => readonly CopyValue[]): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  function* chunks() {
    for (let n = 0; n < rows.length; n += CHUNK_ROWS) {
      let chunk = '';
      for (const r of rows.slice(n, n + CHUNK_ROWS)) chunk += copyLine(toValues(r));
      yield chunk;
    }
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), stream);
  return stream.rowCount;
}
