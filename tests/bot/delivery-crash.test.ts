// 通知不丢: the server process is killed (SIGKILL, no clean-up) while it is sending notices; once
// it is started again every notice arrives, and at most the one that was in flight arrives twice.
// A real child process runs server/main.ts against this file's database and the WeCom fake.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const NOTICES = 30;
let t: TestApp;
let fake: WecomFake;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startWecomFake({ corpId: 'wwcrash', secret: 'crash-secret', agentId: 1000002 });
  t = await createTestApp();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yq-crash-'));
  const companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await t.database.system.noticeDelivery.createMany({
    data: Array.from({ length: NOTICES }, (_, i) => ({
      companyId, platform: 'wecom' as const, targetKind: 'user', targetId: `member${String(i).padStart(2, '0')}`,
      text: `订单进度通知 ${i}`, idempotencyKey: `crash-test:${i}`,
    })),
  });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await fake?.close();
  await t?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function startServer(): ChildProcess {
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${t.dbName}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME,
      DATABASE_URL: url.toString(), PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
      WECOM_CORP_ID: 'wwcrash', WECOM_SECRET: 'crash-secret', WECOM_AGENT_ID: '1000002', WECOM_BASE_URL: fake.url,
      DELIVERY_POLL_MS: '50', DELIVERY_LEASE_MS: '1500',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  children.push(child);
  return child;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`等待超时: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const statusCounts = async () => {
  const rows = await t.database.system.noticeDelivery.groupBy({ by: ['status'], _count: true });
  return Object.fromEntries(rows.map((r) => [r.status, r._count])) as Record<string, number>;
};

describe('发送途中杀掉服务进程', () => {
  it('重启后每条通知都送达，最多重复在途的那一条', async () => {
    fake.setDelay(120); // a slow platform: the kill lands while sends are under way
    const first = startServer();
    await until('第一个进程开始发送', () => fake.sent.length >= 5);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const sentBeforeKill = new Set(fake.sent.map((m) => m.touser)).size;
    const afterKill = await statusCounts();
    expect(sentBeforeKill).toBeLessThan(NOTICES); // really killed mid-delivery
    expect(afterKill.pending ?? 0).toBeGreaterThan(0);

    fake.setDelay(0);
    const second = startServer();
    await until('全部通知送达', async () => (await statusCounts()).sent === NOTICES);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    const received = fake.sent.map((m) => m.touser);
    expect(new Set(received).size).toBe(NOTICES);
    expect(received.length - NOTICES).toBeLessThanOrEqual(1);
    const rows = await t.database.system.noticeDelivery.findMany();
    expect(rows.every((r) => r.status === 'sent' && r.messageId)).toBe(true);
  }, 120_000);
});
