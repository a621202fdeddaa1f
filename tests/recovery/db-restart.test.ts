// PostgreSQL restarts under order traffic. A server of its own (its own embedded instance, port and
// data folder, so the other test files are untouched) takes a stream of order creates and
// confirms while the database is stopped and started again: during the outage every request fails
// fast with 503 数据库暂不可用 and Retry-After (never 500, never a hang), /healthz names each pool,
// and within 10 s of the restart every endpoint answers again without restarting the app; no
// connection is left broken (more sequential orders than the pool has connections succeed).
// Then a real server process (server/main.ts) is stopped with SIGTERM while the database is down:
// it exits within 10 s.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCompany } from '../../prisma/seed.ts';
import { buildApp } from '../../server/app.ts';
import { bootstrapDatabase, connectDatabase, type Database } from '../../server/db/database.ts';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { loadJwtSecret, TokenSigner } from '../../server/platform/auth.ts';
import { loadConfig } from '../../server/platform/config.ts';

const POOL = 6;
let dir: string;
let pgPort: number;
let ownerUrl: string;
let embedded: EmbeddedDatabase;
let database: Database;
let server: Server;
let base: string;
let token: string;
let ids: { customerId: string; itemId: string };

const startPg = (port?: number) => startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: true, port });

interface Reply { status: number; body: { id?: string; error?: { code: string; message: string }; pools?: Record<string, string> }; retryAfter: string | null }

async function call(method: string, url: string, body?: unknown, at = base): Promise<Reply> {
  // A hang is a failure: nothing may take longer than 12 s (the pool's connect and queue limits are 5 s and 10 s).
  const res = await fetch(at + url, {
    method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(12_000),
  });
  const text = await res.text();
  let parsed: Reply['body'] = {};
  try { parsed = JSON.parse(text) as Reply['body']; } catch { /* not JSON */ }
  return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after') };
}

const newOrder = () => call('post', '/api/v1/sales-orders', { customerId: ids.customerId, lines: [{ itemId: ids.itemId, quantity: '1' }] });

/** Create then confirm (both on the order path's own pool); the statuses seen. */
async function orderRound(): Promise<Reply[]> {
  const created = await newOrder();
  if (created.status !== 201) return [created];
  return [created, await call('post', `/api/v1/sales-orders/${created.body.id}/confirm`, {})];
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yq-restart-'));
  embedded = await startPg();
  pgPort = embedded.port;
  const url = new URL(embedded.adminUrl);
  url.pathname = '/postgres';
  ownerUrl = url.toString();
  await bootstrapDatabase(ownerUrl);
  database = connectDatabase(ownerUrl, { poolSize: POOL });
  await seedDemoCompany(database.system, { onlyIfEmpty: true, env: {}, noticeRoutes: false });
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const tokens = new TokenSigner(await loadJwtSecret(database.system, config.JWT_SECRET));
  const { app } = buildApp({ database, config, log: pino({ level: 'silent' }), tokens });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'li.xs', password: 'yunqiao123' }) });
  token = ((await login.json()) as { token: string }).token;
  const customer = await database.system.customer.findFirstOrThrow({ where: { owner: { username: 'li.xs' } } });
  const item = await database.system.item.findFirstOrThrow({ where: { name: 'M8螺栓' } });
  ids = { customerId: customer.id, itemId: item.id };
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await database?.close();
  await embedded?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('数据库重启', () => {
  it('下单与确认流不断：停库期间 503 + Retry-After，从不 500 或挂起；重启后 10 秒内所有接口恢复，连接不泄漏', async () => {
    expect((await orderRound()).map((r) => r.status)).toEqual([201, 200]);
    let running = true;
    const seen: Reply[] = [];
    const stream = (async () => {
      while (running) seen.push(...(await Promise.all([orderRound(), orderRound(), orderRound()])).flat());
    })();
    await new Promise((r) => setTimeout(r, 300));
    await embedded.stop();

    const during = await Promise.all([newOrder(), call('get', '/api/v1/sales-orders'), call('get', '/api/v1/items?q=M8'), call('get', '/healthz')]);
    for (const r of during) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe('5');
    }
    expect(during.slice(0, 3).map((r) => r.body.error)).toEqual(Array(3).fill({ code: 'DB_UNAVAILABLE', message: '数据库暂不可用，请稍后重试' }));
    expect(during[3]!.body).toMatchObject({ status: 'error', db: 'unreachable', pools: { app: 'unreachable', system: 'unreachable', sql: 'unreachable' } });

    embedded = await startPg(pgPort);
    const restartedAt = Date.now();
    let healthy = false;
    while (!healthy && Date.now() - restartedAt < 10_000) {
      const replies = [...(await orderRound()), await call('get', '/api/v1/sales-orders'), await call('get', '/healthz')];
      healthy = replies.every((r) => r.status === 200 || r.status === 201);
      if (!healthy) await new Promise((r) => setTimeout(r, 200));
    }
    expect(healthy, 'every endpoint answers within 10 s of the restart').toBe(true);
    running = false;
    await stream;
    // Through the whole outage: successes or 503s, never a 500.
    expect([...new Set(seen.map((r) => r.status))].filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    expect(seen.some((r) => r.status === 503)).toBe(true);

    // No connection was left broken or leaked: more sequential orders than the pool has connections.
    for (let i = 0; i < POOL * 2; i++) expect((await orderRound()).map((r) => r.status)).toEqual([201, 200]);
    expect((await call('get', '/healthz')).body).toEqual({ status: 'ok', db: 'ok', pools: { app: 'ok', system: 'ok', sql: 'ok' } });
  }, 90_000);

  it('数据库停着时 SIGTERM：服务进程 10 秒内退出', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DATABASE_URL: ownerUrl, PORT: String(port), LOG_LEVEL: 'warn', DELIVERY_POLL_MS: '200' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const t0 = Date.now();
      let up = false;
      while (!up && Date.now() - t0 < 40_000) {
        up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
        if (!up) await new Promise((r) => setTimeout(r, 250));
      }
      expect(up, stderr).toBe(true);
      // A keep-alive client and an outage: neither may hold the stop.
      await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'keep-alive' } });
      await embedded.stop();
      await new Promise((r) => setTimeout(r, 500));
      const stopAt = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
      expect(code, stderr).not.toBe('hung');
      expect(Date.now() - stopAt).toBeLessThan(10_000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      embedded = await startPg(pgPort);
    }
  }, 90_000);
});
