// One embedded PostgreSQL for the whole run, with a template database that is migrated and
// holds the demo company; every test file clones it (CREATE DATABASE … TEMPLATE …).
import fs from 'node:fs';
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
  const admin = new pg.Client({ connectionString: embedded.adminUrl });
  await admin.connect();
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

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
