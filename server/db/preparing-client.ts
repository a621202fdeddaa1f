// A pg Client that runs every parameterised query as a named prepared statement (name = hash of
// the SQL), so PostgreSQL plans each distinct statement once per connection instead of on every
// call. Prisma's adapter sends unnamed statements; planning was ~5 ms of PostgreSQL CPU per order.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

// COPY needs the pg client of the transaction itself, which Prisma does not hand out. So a marker
// statement goes through Prisma (on the transaction's connection) and this client, about to send it,
// first runs the registered work on itself: same connection, same transaction, in order.
const CONNECTION_PREFIX = 'yq-conn:';
interface ConnectionWork { fn: (client: pg.ClientBase) => Promise<unknown>; done: boolean; out?: unknown; failed?: { error: unknown } }
const connectionWork = new Map<string, ConnectionWork>();

/** The shape toAppError reads (SQLSTATE and message, as the Prisma adapter reports them). */
const asDriverError = (e: unknown) =>
  e instanceof pg.DatabaseError ? Object.assign(new Error(e.message), { cause: { originalCode: e.code, originalMessage: e.message } }) : e;

/**
 * Runs fn with the raw pg client of the Prisma transaction `tx` (e.g. for COPY, see copy.ts), in the
 * transaction, before whatever tx runs next. Nothing else may run on tx meanwhile (await it).
 */
export async function withTransactionClient<T>(tx: { $queryRaw<R>(q: TemplateStringsArray, ...values: unknown[]): PromiseLike<R> }, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const key = `${CONNECTION_PREFIX}${randomUUID()}`;
  const work: ConnectionWork = { fn, done: false };
  connectionWork.set(key, work);
  try {
    await tx.$queryRaw`SELECT ${key}::text AS k`;
  } catch (e) {
    // fn's own error, not Prisma's wrapping of it
    if (work.failed) throw asDriverError(work.failed.error);
    throw e;
  } finally {
    connectionWork.delete(key);
  }
  if (!work.done) throw new Error('withTransactionClient: the transaction does not run on a PreparingClient');
  return work.out as T;
}

/** per connection: beyond this many distinct statements, the rest run unnamed */
const MAX_PREPARED = 1000;

/** set-based statements over big arrays (1,000 order lines) need a plan for their real size, not a generic one */
const bulky = (values: unknown[]) => values.some((v) => Array.isArray(v) && v.length > 50);

type QueryConfig = { text?: unknown; name?: unknown; values?: unknown[] };

export class PreparingClient extends pg.Client {
  private prepared = new Set<string>();

  override query(...args: unknown[]): never {
    const [config] = args as [QueryConfig | string | undefined];
    const work = config && typeof config === 'object' && Array.isArray(config.values) && config.values.length === 1 && typeof config.values[0] === 'string'
      ? connectionWork.get(config.values[0]) : undefined;
    if (work && !work.done) {
      return (async () => {
        try {
          work.out = await work.fn(this);
        } catch (error) {
          work.failed = { error };
          throw error;
        } finally {
          work.done = true;
        }
        return (super.query as (...a: unknown[]) => unknown)(...args);
      })() as never;
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
