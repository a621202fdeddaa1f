// Run by start, test, bench and build: dependency install scripts do not run on this npm, so we
// generate the Prisma client and build the mini-app ourselves, and only when their sources changed.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const force = process.argv.includes('--force');

function hashOf(paths: string[]): string {
  const h = crypto.createHash('sha256');
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (name !== 'dist' && name !== 'node_modules') walk(path.join(p, name));
    } else {
      h.update(path.relative(root, p));
      h.update(fs.readFileSync(p));
    }
  };
  for (const p of paths) walk(path.join(root, p));
  return h.digest('hex');
}

function step(name: string, stampFile: string, inputs: string[], run: () => void): void {
  const stamp = path.join(root, stampFile);
  const hash = hashOf(inputs);
  if (!force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  const t0 = Date.now();
  run();
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, hash);
  console.log(`[build] ${name} (${Date.now() - t0} ms)`);
}

step('prisma generate', 'server/generated/.stamp', ['prisma/schema.prisma', 'package-lock.json'], () => {
  execFileSync(path.join(root, 'node_modules/.bin/prisma'), ['generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    // The CLI wants DATABASE_URL even to generate; prisma.config.ts gives it a default.
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
});

step('mini-app (vite build)', 'miniapp/dist/.stamp', ['miniapp', 'shared', 'package-lock.json'], () => {
  execFileSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', 'miniapp/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
});
