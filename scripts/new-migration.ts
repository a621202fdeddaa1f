// npm run db:migration -- <name>
// Diffs prisma/schema.prisma against the committed one (`git show HEAD:prisma/schema.prisma`: the
// schema every committed migration adds up to, which tests/platform/schema-drift.test.ts checks), writes
// prisma/migrations/<timestamp>_<name>/migration.sql, and appends row-level-security policies for
// every new table that carries company_id. So: edit the schema, generate, then commit both together.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../server/db/embedded.ts';
import { MIGRATIONS_DIR } from '../server/db/migrate.ts';
import { tenantPolicySql, tenantTablesCreatedBy } from '../server/db/rls.ts';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
if (!name) {
  console.error('用法: npm run db:migration -- <迁移名称，如 add_sales_order>');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '..');
const schema = path.join(root, 'prisma/schema.prisma');

/** The committed schema, or null in a repository where it was never committed (then: from empty). */
function committedSchema(): string | null {
  try {
    return execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

// With the adapter config the CLI insists on reaching a database, even for a schema-to-schema diff.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yq-migration-'));
const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), persistent: false });
try {
  const previous = committedSchema();
  const previousFile = path.join(tmp, 'previous.prisma');
  if (previous !== null) fs.writeFileSync(previousFile, previous);
  const from = previous !== null ? ['--from-schema-datamodel', previousFile] : ['--from-empty'];
  const sql = execFileSync(
    path.join(root, 'node_modules/.bin/prisma'),
    ['migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'],
    { cwd: root, env: { ...process.env, DATABASE_URL: pg.adminUrl }, encoding: 'utf8' },
  );
  if (/^-- This is an empty migration\.\s*$/m.test(sql) || !sql.trim()) {
    console.log('schema.prisma 与已提交的版本相同，无需新迁移（先生成迁移，再一起提交）');
  } else {
    const tables = tenantTablesCreatedBy(sql);
    const rls = tables.length ? `\n-- Row-level security for new tenant tables\n${tables.map(tenantPolicySql).join('\n')}\n` : '';
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql + rls);
    console.log(`已生成 ${path.relative(root, dir)}/migration.sql（${tables.length} 张新租户表已加行级安全策略）`);
  }
} finally {
  await pg.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
