// A pg Client that runs every parameterised query as a named prepared statement (name = hash of
// the SQL), so PostgreSQL plans each distinct statement once per connection instead of on every
// call. Prisma's adapter sends unnamed statements; planning was ~5 ms of PostgreSQL CPU per order.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

// Big parameters (an MRP run's tens of megabytes of rows as one json text) cost seconds going
// through Prisma's query interpreter, against a tenth of that handed to pg directly. So the statement
// goes through Prisma (the transaction's connection) carrying a short key, and this client, which
// sends it, puts the registered value in the key's place.
const BULK_PREFIX = 'yq-bulk:';
const bulkValues = new Map<string, unknown>();

/** A key to pass as a query parameter in place of `value`, valid until `release()` (call it in a finally). */
export function bulkParameter(value: unknown): { key: string; release(): void } {
  const key = `${BULK_PREFIX}${randomUUID()}`;
  bulkValues.set(key, value);
  return { key, release: () => void bulkValues.delete(key) };
}

const withBulkValues = (values: unknown[]) =>
  values.some((v) => typeof v === 'string' && v.startsWith(BULK_PREFIX) && bulkValues.has(v))
    ? values.map((v) => (typeof v === 'string' && bulkValues.has(v) ? bulkValues.get(v) : v))
    : values;

/** per connection: beyond this many distinct statements, the rest run unnamed */
const MAX_PREPARED = 1000;

/** set-based statements over big arrays (1,000 order lines) need a plan for their real size, not a generic one */
const bulky = (values: unknown[]) => values.some((v) => Array.isArray(v) && v.length > 50);

type QueryConfig = { text?: unknown; name?: unknown; values?: unknown[] };

export class PreparingClient extends pg.Client {
  private prepared = new Set<string>();

  override query(...args: unknown[]): never {
    const [config] = args as [QueryConfig | string | undefined];
    if (config && typeof config === 'object' && Array.isArray(config.values)) {
      const values = withBulkValues(config.values);
      // Prisma's adapter passes the values a second time, as query()'s second argument
      if (values !== config.values) args = [{ ...config, values }, ...(Array.isArray(args[1]) ? [values, ...args.slice(2)] : args.slice(1))];
    }
    if (config && typeof config === 'object' && typeof config.text === 'string' && config.name === undefined && Array.isArray(config.values) && !bulky(config.values)) {
      const name = `yq_${createHash('sha1').update(config.text).digest('base64url')}`;
      if (this.prepared.has(name) || this.prepared.size < MAX_PREPARED) {
        this.prepared.add(name);
        args[0] = { ...config, name };
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
