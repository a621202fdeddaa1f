// A pg Client that runs every parameterised query as a named prepared statement (name = hash of
// the SQL), so PostgreSQL plans each distinct statement once per connection instead of on every
// call. Prisma's adapter sends unnamed statements; planning was ~5 ms of PostgreSQL CPU per order.
import { createHash } from 'node:crypto';
import pg from 'pg';

/** per connection: beyond this many distinct statements, the rest run unnamed */
const MAX_PREPARED = 1000;

/** set-based statements over big arrays (1,000 order lines) need a plan for their real size, not a generic one */
const bulky = (values: unknown[]) => values.some((v) => Array.isArray(v) && v.length > 50);

type QueryConfig = { text?: unknown; name?: unknown; values?: unknown[] };

export class PreparingClient extends pg.Client {
  private prepared = new Set<string>();

  override query(...args: unknown[]): never {
    const [config] = args as [QueryConfig | string | undefined];
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
