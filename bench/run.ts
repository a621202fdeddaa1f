// npm run bench: each figure is a ratio against a baseline measured in the same run, on the
// same machine, at the same moment (machines here are shared and noisy).
// Prints `BENCH <name> value=<v><unit> baseline=<b><unit> ratio=<r> goal=<g>` and writes bench/results.json.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import supertest from 'supertest';
import { buildApp } from '../server/app.ts';
import type { Database } from '../server/db/database.ts';
import { loadJwtSecret, TokenSigner } from '../server/platform/auth.ts';
import { loadConfig } from '../server/platform/config.ts';
import { customerListBench } from './customer-list.ts';
import { startBenchDatabase } from './database.ts';
import { orderConfirm1000Bench } from './order-confirm-1000.ts';
import { orderReserveBench } from './order-reserve.ts';
import { botStockQueryBench } from './bot-stock-query.ts';
import { miniappLoadBench } from './miniapp-load.ts';
import { mrpRunBench } from './mrp-run.ts';
import { trialBalanceBench } from './trial-balance.ts';

export interface BenchResult {
  name: string;
  value: number;
  baseline: number;
  unit: string;
  ratio: number;
  goal: string;
  pass: boolean;
  /** more figures, printed after goal= on the same line */
  detail?: string;
}

export interface BenchEnv {
  http: () => supertest.Agent;
  /** base URL of the running server, for keep-alive clients (fetch) */
  baseUrl: string;
  token: (username: string) => Promise<string>;
  pool: pg.Pool;
  ownerUrl: string;
  database: Database;
  /** connections per pool of the server under test */
  poolSize: number;
  /** another server on the same database with extra settings (e.g. a chat platform pointed at a fake) */
  startApp: (extraEnv: Record<string, string>) => Promise<{ baseUrl: string; close(): Promise<void> }>;
}

const POOL_SIZE = 20;
const { url, database, stop } = await startBenchDatabase(POOL_SIZE);
const results: BenchResult[] = [];
try {
  const tokens = new TokenSigner(await loadJwtSecret(database.system));
  const { app } = buildApp({ database, config: loadConfig({ LOG_LEVEL: 'silent' }), log: pino({ level: 'silent' }), tokens });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const http = () => supertest.agent(server);
  const pool = new pg.Pool({ connectionString: database.appUrl, max: 50 });
  // Idle clients lose their connection when the run ends (the database stops): not a crash.
  pool.on('error', () => {});
  const env: BenchEnv = {
    http,
    baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    pool,
    ownerUrl: url,
    database,
    poolSize: POOL_SIZE,
    token: async (username) => (await http().post('/api/v1/auth/login').send({ username, password: 'yunqiao123' })).body.token,
    startApp: async (extraEnv) => {
      const built = buildApp({ database, config: loadConfig({ LOG_LEVEL: 'silent', ...extraEnv }), log: pino({ level: 'silent' }), tokens });
      const s = built.app.listen(0, '127.0.0.1');
      await new Promise((r) => s.once('listening', r));
      const close = () => new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections(); });
      return { baseUrl: `http://127.0.0.1:${(s.address() as { port: number }).port}`, close };
    },
  };
  const only = process.argv.slice(2);
  for (const bench of [customerListBench, orderReserveBench, orderConfirm1000Bench, botStockQueryBench, mrpRunBench, trialBalanceBench, miniappLoadBench].filter((b) => !only.length || only.some((o) => b.name.toLowerCase().includes(o.replace(/_/g, '').toLowerCase())))) {
    const r = await bench(env);
    results.push(r);
    console.log(`BENCH ${r.name} value=${r.value.toFixed(1)}${r.unit} baseline=${r.baseline.toFixed(1)}${r.unit} ratio=${r.ratio.toFixed(3)} goal=${r.goal}${r.detail ? ` ${r.detail}` : ''}`);
  }
  await pool.end();
  server.close();
} finally {
  await stop();
}
fs.writeFileSync(path.join(import.meta.dirname, 'results.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
