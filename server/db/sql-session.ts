// The lean path for the hottest requests (order entry): one connection, raw SQL only, and the
// statements of a transaction pipelined — BEGIN, the company and the sign-in's reads go out in one
// write, and the statement that takes the contended locks goes out together with its COMMIT, so
// those locks are never held across a trip back to Node (postgres.js pipelines; pg does not).
// Use cases written against `SqlTx` run on this or, unchanged, in a Prisma transaction.
import postgres from 'postgres';
import { Prisma } from '../generated/prisma/client.ts';
import type { Tx } from './transaction.ts';

/** What raw-SQL use cases need of a transaction; a Prisma interactive transaction is one too. */
export interface SqlTx {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>;
}

/** Thrown by raw-SQL code that needs the ORM when it runs on a SqlSession: the use case is run again in a Prisma transaction. */
export class NeedsOrm extends Error {
  constructor(why: string) {
    super(`needs a Prisma transaction: ${why}`);
  }
}

/** The Prisma transaction behind a SqlTx, or NeedsOrm when it is a SqlSession (nothing is written before this is asked). */
export function ormOf(tx: SqlTx, why: string): Tx {
  if (tx instanceof SqlSession) throw new NeedsOrm(why);
  return tx as Tx;
}

/**
 * The last statement of the use case's transaction: on a SqlSession the COMMIT goes out with it
 * (the reply comes once both are done); in a Prisma transaction it is an ordinary statement and the
 * transaction commits when the use case returns. Nothing may be run on `tx` after it.
 */
export function lastStatement<T>(tx: SqlTx, query: Prisma.Sql): PromiseLike<T> {
  return tx instanceof SqlSession ? tx.queryAndCommit<T>(query) : tx.$queryRaw<T>(query);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Two reads that do not depend on each other: on a SqlSession they travel together (one round
 * trip); in a Prisma transaction they run one after the other (its connection takes one at a time).
 */
export async function readTogether<A, B>(tx: SqlTx, a: () => PromiseLike<A>, b: () => PromiseLike<B>): Promise<[A, B]> {
  if (tx instanceof SqlSession) return Promise.all([a(), b()]);
  const first = await a();
  return [first, await b()];
}

/** Statements whose arrays are this long are planned for their real size each time (unnamed), not once per connection. */
const bulky = (values: unknown[]) => values.some((v) => Array.isArray(v) && v.length > 50);

/** Driver errors in the shape toAppError reads (SQLSTATE and message, as the Prisma adapter reports them). */
function driverError(e: unknown): unknown {
  if (e instanceof postgres.PostgresError) {
    return Object.assign(new Error(e.message), { cause: { originalCode: e.code, originalMessage: e.message } });
  }
  return e;
}

function toSql(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  return query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
}

type State = 'open' | 'committed' | 'closed';

/** One transaction on a reserved connection. Statements are sent as soon as they are called, so calls not awaited in between travel together. */
export class SqlSession implements SqlTx {
  private state: State = 'open';
  /** sent, not yet awaited by anyone (BEGIN, set_config): their errors surface with the next statement */
  private unconfirmed: Promise<unknown>[] = [];

  constructor(private readonly conn: postgres.ReservedSql) {}

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /**
   * BEGIN and the company for row-level security as one simple-protocol message, sent without
   * waiting (it goes out with the first statement). The id is inlined: open() checked it is a UUID.
   */
  begin(companyId: string): void {
    this.unconfirmed.push(this.sendSimple(`BEGIN; SELECT set_config('app.company_id', '${companyId}', true)`));
  }

  private sendSimple(text: string): Promise<unknown> {
    const p = Promise.resolve(this.conn.unsafe(text).execute()).catch((e: unknown) => Promise.reject(driverError(e)));
    p.catch(() => {});
    return p;
  }

  private send(query: Prisma.Sql): Promise<postgres.RowList<postgres.Row[]>> {
    if (this.state !== 'open') return Promise.reject(new Error(`SqlSession: statement after the transaction ended (${this.state})`));
    const values = query.values as postgres.ParameterOrJSON<never>[];
    const q = this.conn.unsafe(query.text, values, { prepare: !bulky(query.values) }).execute();
    // Rejections are handled by whoever awaits it; never unhandled.
    const p = Promise.resolve(q).catch((e: unknown) => Promise.reject(driverError(e)));
    p.catch(() => {});
    return p;
  }

  private async settle<T>(p: Promise<T>): Promise<T> {
    const earlier = this.unconfirmed;
    this.unconfirmed = [];
    const [out] = await Promise.all([p, ...earlier]);
    return out;
  }

  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
    return this.settle(this.send(toSql(query, values))) as Promise<T>;
  }

  async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number> {
    const r = await this.settle(this.send(toSql(query, values)));
    return r.count;
  }

  /** The statement and COMMIT sent together (pipelined, no round trip between them); resolves with the statement's rows once both are done. */
  async queryAndCommit<T>(query: Prisma.Sql): Promise<T> {
    const rows = this.send(query);
    const commit = this.sendSimple('COMMIT');
    this.state = 'committed';
    const [out] = await Promise.all([this.settle(rows), commit]);
    return out as T;
  }

  async commit(): Promise<void> {
    if (this.state !== 'open') return;
    const done = this.send(Prisma.sql`COMMIT`);
    this.state = 'committed';
    await this.settle(done);
  }

  /** Rolls back what is still open and gives the connection back. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const open = this.state === 'open';
    this.unconfirmed = [];
    try {
      if (open) await this.conn.unsafe('ROLLBACK').execute();
    } catch {
      // a broken connection: postgres.js replaces it
    } finally {
      this.state = 'closed';
      this.conn.release();
    }
  }
}

/** The connections of the lean path: the app role (row-level security applies), timestamps in UTC like the Prisma clients. */
export class SqlPool {
  private readonly sql: postgres.Sql;

  constructor(connectionString: string, max: number) {
    this.sql = postgres(connectionString, {
      max,
      prepare: true,
      // While the database is down: a connect gives up after 5 s and a request waiting for a
      // connection after 10 s (503 either way), and reconnects are tried at most a second apart,
      // so the pool is back within a second or so of the database.
      connect_timeout: 5,
      queue_timeout: 10,
      backoff: (attempt: number) => Math.min(0.25 * attempt, 1),
      onnotice: () => {},
      // Its statements look rows up by key: a plan made once per connection serves every call (left to
      // itself PostgreSQL re-plans some of them on every call, e.g. lookups by an array of ids).
      connection: { TimeZone: 'UTC', application_name: 'yunqiao-sql', plan_cache_mode: 'force_generic_plan' },
      // The values Prisma's $queryRaw gives, so the same code reads the same types on either path.
      types: {
        // a JSON parameter arrives as text (as with pg): sent as it is, not encoded once more
        json: { to: 114, from: [114, 3802], serialize: (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)), parse: (x: string) => JSON.parse(x) as unknown },
        numeric: { to: 1700, from: [1700], serialize: (x: unknown) => String(x), parse: (x: string) => new Prisma.Decimal(x) },
        bigint: { to: 20, from: [20], serialize: (x: unknown) => String(x), parse: (x: string) => BigInt(x) },
        date: {
          to: 1082, from: [1082],
          serialize: (x: unknown) => (x instanceof Date ? x.toISOString().slice(0, 10) : String(x)),
          parse: (x: string) => new Date(`${x}T00:00:00Z`),
        },
        timestamp: {
          to: 1114, from: [1114],
          serialize: (x: unknown) => (x instanceof Date ? x.toISOString() : String(x)),
          parse: (x: string) => new Date(`${x.replace(' ', 'T')}Z`),
        },
      },
    });
  }

  /** A transaction for `companyId`: BEGIN and the company go out with its first statement. Close it when done. */
  async open(companyId: string): Promise<SqlSession> {
    if (!UUID.test(companyId)) throw new Error(`SqlSession: company id is not a UUID: ${companyId}`);
    const session = new SqlSession(await this.sql.reserve());
    session.begin(companyId);
    return session;
  }

  /** One round trip on any connection of the pool (health checks). */
  async ping(): Promise<void> {
    await this.sql.unsafe('SELECT 1').execute();
  }

  async end(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}
