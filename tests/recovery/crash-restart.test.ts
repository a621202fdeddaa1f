// 崩溃后重启: `kill -9` of the server leaves its embedded PostgreSQL running on data/pg; the next
// start must stop that leftover and come up healthy (it used to die with
// "triggerUncaughtException undefined"). Runs the real server (server/main.ts) in child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, processAlive, readPostmasterPid, startEmbeddedPostgres } from '../../server/db/embedded.ts';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let pgDir: string;
let port: number;
const children: ChildProcess[] = [];
let output = '';

/** node itself (no npx/tsx wrapper), so SIGKILL hits the server process and nothing else. */
function startServer(): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  children.push(child);
  return child;
}

async function waitHealthy(child: ChildProcess, ms: number): Promise<void> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`服务器已退出 (${child.exitCode ?? child.signalCode})\n${output.slice(-3000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok && ((await res.json()) as { status: string }).status === 'ok') return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${ms} ms 内未就绪\n${output.slice(-3000)}`);
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function gone(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    if (!processAlive(pid)) return true;
  }
  return false;
}

describe('崩溃后重启', () => {
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yq-crash-'));
    pgDir = path.join(dataDir, 'pg');
    port = await freePort();
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    // whatever happened, no postgres may outlive the test
    const left = readPostmasterPid(pgDir)?.pid;
    if (left && processAlive(left)) {
      process.kill(left, 'SIGINT');
      if (!(await gone(left, 10_000))) process.kill(left, 'SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('kill -9 之后再次启动：遗留的 PostgreSQL 被停止，30 秒内 /healthz 正常；SIGTERM 停止后不留 postgres', async () => {
    const first = startServer();
    await waitHealthy(first, 90_000); // the first start initialises and seeds the database
    const orphan = readPostmasterPid(pgDir)!.pid;
    first.kill('SIGKILL');
    await exited(first);
    // the situation of the bug: the server is gone, its postmaster still holds the data folder
    expect(processAlive(orphan)).toBe(true);

    const t0 = Date.now();
    const second = startServer();
    await waitHealthy(second, 30_000);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(processAlive(orphan)).toBe(false);
    expect(output).toContain(`发现上次运行遗留的 PostgreSQL（进程 ${orphan}`);
    const current = readPostmasterPid(pgDir)!.pid;
    expect(current).not.toBe(orphan);

    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    expect(await gone(current, 5_000)).toBe(true);
    expect(fs.existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);
  }, 150_000);

  it('postmaster.pid 指向的活进程不是本数据目录的 PostgreSQL：拒绝启动，说明目录、进程与做法，且不动那个进程；npm start 打印这句话并以 1 退出', async () => {
    const dir = path.join(dataDir, 'foreign', 'pg');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '18\n'); // an initialised folder: no initdb
    // this test process stands for a program that got the pid after a crash
    fs.writeFileSync(path.join(dir, 'postmaster.pid'), `${process.pid}\n${dir}\n1765000000\n5432\n`);
    const said = `数据目录 ${dir} 的 postmaster.pid 记录的进程 ${process.pid} 不是这个数据目录的 PostgreSQL`;
    const error = await startEmbeddedPostgres({ dataDir: dir, persistent: true }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(said);
    expect((error as Error).message).toContain(`删除 ${path.join(dir, 'postmaster.pid')} 再启动`);
    expect(fs.existsSync(path.join(dir, 'postmaster.pid'))).toBe(true);

    // the server itself: the cause on stderr in plain words (it used to be "triggerUncaughtException undefined")
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.dirname(dir), PORT: '0' };
    delete env.DATABASE_URL;
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(server);
    let stderr = '';
    server.stderr!.on('data', (d) => (stderr += String(d)));
    expect(await exited(server)).toBe(1);
    expect(stderr).toContain(`云桥启动失败：${said}`);
    expect(stderr).not.toContain('triggerUncaughtException');
  });

  it('数据目录正被运行中的进程使用（其 PostgreSQL 的父进程是 Node）：拒绝启动，不停止那个数据库', async () => {
    // this run's own database (tests/setup/global-setup.ts, a child of vitest's main process)
    const port = new URL(inject('pgAdminUrl')).port;
    let busy: { pid: number; dir: string } | undefined;
    for (const name of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      let args: string[];
      try {
        args = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      } catch {
        continue;
      }
      if (path.basename(args[0]!) === 'postgres' && args[args.indexOf('-p') + 1] === port) busy = { pid: Number(name), dir: args[args.indexOf('-D') + 1]! };
    }
    expect(busy).toBeDefined();
    expect(readPostmasterPid(busy!.dir)!.pid).toBe(busy!.pid);
    const error = await startEmbeddedPostgres({ dataDir: busy!.dir, persistent: true }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(new RegExp(`^数据目录 ${busy!.dir} 正被另一个运行中的云桥使用（Node 进程 \\d+，其 PostgreSQL 进程 ${busy!.pid}，端口 ${port}）`));
    expect(processAlive(busy!.pid)).toBe(true);
  });
});
