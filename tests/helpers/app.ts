// A fresh database per test file (cloned from the migrated, seeded template) and the real app on it.
import crypto from 'node:crypto';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import supertest from 'supertest';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { connectDatabase, type Database } from '../../server/db/database.ts';
import { loadJwtSecret, TokenSigner } from '../../server/platform/auth.ts';
import { loadConfig, type Config } from '../../server/platform/config.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import type { ApiRouter } from '../../server/platform/http.ts';
import type { Express } from 'express';

export interface TestApp {
  app: Express;
  api: ApiRouter;
  http: () => supertest.Agent;
  database: Database;
  config: Config;
  dbName: string;
  close(): Promise<void>;
}

/** Runs one statement as the embedded server's superuser (CREATE/DROP DATABASE). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<{ name: string; ownerUrl: string }> {
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  // Two files cloning the template at the same instant can collide ("being accessed by other users").
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
      break;
    } catch (e) {
      if (attempt >= 20 || !/being accessed/.test(String((e as Error).message))) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${name}`;
  return { name, ownerUrl: url.toString() };
}

/**
 * `opts.log`: the app's logger (default silent), e.g. one writing to memory to read what the server logs.
 * `opts.chat`: the chat adapters built from the config (default: as the server builds them), e.g. with a test clock.
 */
export async function createTestApp(env: Record<string, string> = {}, opts: { log?: Logger; chat?: (config: Config) => ReadonlyMap<Platform, ChannelAdapter> } = {}): Promise<TestApp> {
  const { name, ownerUrl } = await createTestDatabase();
  const database = connectDatabase(ownerUrl, {
    poolSize: 20,
    onClose: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  });
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const tokens = new TokenSigner(await loadJwtSecret(database.system, config.JWT_SECRET));
  const { app, api } = buildApp({ database, config, log: opts.log ?? pino({ level: 'silent' }), tokens, ...(opts.chat ? { chat: opts.chat(config) } : {}) });
  return { app, api, http: () => supertest.agent(app), database, config, dbName: name, close: () => database.close() };
}
