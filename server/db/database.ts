// Opens the database: the embedded PostgreSQL unless DATABASE_URL is set; bootstraps roles,
// migrations and grants as the owner (under an advisory lock, so several processes can start
// at once); returns Prisma clients for the app role and the system role.
import { PrismaPg } from '@prisma/adapter-pg';
import path from 'node:path';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';
import { PreparingClient } from './preparing-client.ts';
import { SqlPool } from './sql-session.ts';
import { applyMigrations } from './migrate.ts';
import { APP_ROLE, SYSTEM_ROLE, ensureRoles, grantRoles, roleUrl } from './roles.ts';

export type Db = PrismaClient;

export interface Database {
  /** connects as the app role: row-level security applies */
  app: Db;
  /** connects as the system role: cross-company background work only */
  system: Db;
  /** the app role on postgres.js: raw SQL, pipelined (the order-entry hot path, see sql-session.ts) */
  sql: SqlPool;
  ownerUrl: string;
  appUrl: string;
  systemUrl: string;
  close(): Promise<void>;
}

const BOOTSTRAP_LOCK = 7_202_611; // pg_advisory_lock key for roles + migrations + grants

export async function bootstrapDatabase(ownerUrl: string, log: (msg: string) => void = () => {}): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
    await ensureRoles(client, ownerUrl);
    const applied = await applyMigrations(client);
    if (applied.length) log(`已应用数据库迁移: ${applied.join(', ')}`);
    await grantRoles(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK]).catch(() => {});
    await client.end();
  }
}

export function createPrismaClient(connectionString: string, max = 10): Db {
  // Prisma's pg adapter writes and reads timestamps without their offset, i.e. as UTC: a session in
  // any other time zone shifts every Prisma-written instant (and every DB default read back) by
  // the offset. So every connection runs in UTC; Shanghai days are computed explicitly.
  // connectionTimeoutMillis: while the database is down a request fails within seconds (503) instead
  // of waiting on a connection; a pooled client that errors is dropped by pg and replaced on demand.
  const pool = new pg.Pool({ connectionString, max, options: '-c TimeZone=UTC', Client: PreparingClient, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (the server restarts) is an 'error' event on the pool; pg
  // has already removed the client, and without a listener Node would crash the process.
  pool.on('error', () => {});
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}

export function connectDatabase(ownerUrl: string, opts: { poolSize?: number; onClose?: () => Promise<void> } = {}): Database {
  const appUrl = roleUrl(ownerUrl, APP_ROLE);
  const systemUrl = roleUrl(ownerUrl, SYSTEM_ROLE);
  const app = createPrismaClient(appUrl, opts.poolSize ?? 10);
  const system = createPrismaClient(systemUrl, Math.max(4, Math.ceil((opts.poolSize ?? 10) / 2)));
  const sql = new SqlPool(appUrl, opts.poolSize ?? 10);
  return {
    app,
    system,
    sql,
    ownerUrl,
    appUrl,
    systemUrl,
    async close() {
      await Promise.allSettled([app.$disconnect(), system.$disconnect(), sql.end()]);
      await opts.onClose?.();
    },
  };
}

async function ensureDatabaseExists(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8'`);
  } finally {
    await client.end();
  }
}

/** The server's database: DATABASE_URL, or the embedded PostgreSQL in `<dataDir>/pg`. */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; log: (msg: string) => void }): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let ownerUrl = opts.databaseUrl;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.resolve(opts.dataDir, 'pg'), persistent: true, notice: opts.log });
    opts.log(`内嵌 PostgreSQL 已启动，端口 ${embedded.port}`);
    await ensureDatabaseExists(embedded.adminUrl, 'yunqiao');
    const u = new URL(embedded.adminUrl);
    u.pathname = '/yunqiao';
    ownerUrl = u.toString();
  }
  try {
    await bootstrapDatabase(ownerUrl, opts.log);
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  return connectDatabase(ownerUrl, { onClose: async () => embedded?.stop() });
}
