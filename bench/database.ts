// The benches' database: a throwaway embedded PostgreSQL with the schema bootstrapped and the demo
// company seeded, for `npm run bench` (bench/run.ts) and the single-bench scripts (bench/mrp-only.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { seedDemoCompany } from '../prisma/seed.ts';
import { bootstrapDatabase, connectDatabase, type Database } from '../server/db/database.ts';
import { startEmbeddedPostgres } from '../server/db/embedded.ts';

export interface BenchDatabase {
  /** the owner's URL of the bench database */
  url: string;
  database: Database;
  /** closes the pools, stops PostgreSQL and removes its files */
  stop(): Promise<void>;
}

export async function startBenchDatabase(poolSize: number): Promise<BenchDatabase> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yq-bench-'));
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), persistent: false });
  const stopServer = async () => {
    await embedded.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const url = new URL(embedded.adminUrl);
    const admin = new pg.Client({ connectionString: embedded.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE yq_bench');
    await admin.end();
    url.pathname = '/yq_bench';
    await bootstrapDatabase(url.toString());
    const database = connectDatabase(url.toString(), { poolSize });
    try {
      await seedDemoCompany(database.system, { onlyIfEmpty: true, env: {} });
    } catch (e) {
      await database.close();
      throw e;
    }
    return {
      url: url.toString(), database,
      stop: async () => {
        await database.close();
        await stopServer();
      },
    };
  } catch (e) {
    await stopServer();
    throw e;
  }
}
