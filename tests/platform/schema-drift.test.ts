// Schema has one source: the migrations build exactly what prisma/schema.prisma describes, plus the
// hand-written objects listed in server/db/hand-written.ts and nothing else. Database A is a clone
// of the migrated template; database B gets `prisma migrate diff --from-empty
// --to-schema-datamodel` (TOOLCHAIN.md: --from-migrations and db pull do not work in adapter mode).
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { HAND_WRITTEN, type HandWrittenKind } from '../../server/db/hand-written.ts';
import { MIGRATIONS_DIR } from '../../server/db/migrate.ts';
import { adminQuery, createTestDatabase } from '../helpers/app.ts';

const root = path.resolve(import.meta.dirname, '../..');

type CatalogKind = 'index' | 'constraint' | 'trigger' | 'function' | 'storage';
const CATALOG_KIND: Record<HandWrittenKind, CatalogKind> = {
  'foreign key': 'constraint', check: 'constraint', 'partial index': 'index', trigger: 'trigger', function: 'function', storage: 'storage',
};

interface Catalog {
  tables: string[];
  columns: string[];
  enums: string[];
  /** name → definition (constraint: `table.name`, trigger: `table.name`, storage: `table.option` / `table.column storage`) */
  objects: Record<CatalogKind, Map<string, string>>;
  /** tables with a company_id column (or the company table) and their row-level security state */
  rls: { table: string; enabled: boolean; forced: boolean; policies: string[] }[];
}

async function readCatalog(url: string): Promise<Catalog> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async <T extends object>(sql: string) => (await c.query<T>(sql)).rows;
    const tables = await q<{ t: string }>(`
      SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations' ORDER BY 1`);
    const columns = await q<{ s: string }>(`
      SELECT format('%s.%s %s(%s,%s,%s,%s) %s default=%s', table_name, column_name, udt_name, character_maximum_length,
                    numeric_precision, numeric_scale, datetime_precision, CASE is_nullable WHEN 'YES' THEN 'null' ELSE 'not null' END,
                    coalesce(column_default, '-')) AS s
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1`);
    const enums = await q<{ s: string }>(`
      SELECT t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS s
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = 'public' GROUP BY t.typname ORDER BY 1`);
    const pairs = async (sql: string) => new Map((await q<{ k: string; v: string }>(sql)).map((r) => [r.k, r.v]));
    const objects: Catalog['objects'] = {
      index: await pairs(`
        SELECT indexname AS k, indexdef AS v FROM pg_indexes
         WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
      constraint: await pairs(`
        SELECT r.relname || '.' || k.conname AS k, pg_get_constraintdef(k.oid) AS v
          FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
         WHERE n.nspname = 'public' AND r.relname <> '_prisma_migrations' AND k.contype <> 'n'`),
      trigger: await pairs(`
        SELECT r.relname || '.' || g.tgname AS k, pg_get_triggerdef(g.oid) AS v
          FROM pg_trigger g JOIN pg_class r ON r.oid = g.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace
         WHERE n.nspname = 'public' AND NOT g.tgisinternal`),
      function: await pairs(`
        SELECT p.proname AS k, pg_get_function_result(p.oid) AS v
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`),
      // table options (fillfactor) and columns stored other than their type's default (SET STORAGE)
      storage: await pairs(`
        SELECT c.relname || '.' || split_part(o, '=', 1) AS k, split_part(o, '=', 2) AS v
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, unnest(c.reloptions) o
         WHERE n.nspname = 'public'
        UNION ALL
        SELECT c.relname || '.' || a.attname || ' storage' AS k, a.attstorage::text AS v
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attstorage <> t.typstorage`),
    };
    const rls = await q<{ table: string; enabled: boolean; forced: boolean; policies: string[] | null }>(`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             (SELECT array_agg(p.policyname::text ORDER BY p.policyname) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname) AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND (c.relname = 'company' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped))
       ORDER BY 1`);
    return {
      tables: tables.map((r) => r.t), columns: columns.map((r) => r.s), enums: enums.map((r) => r.s), objects,
      rls: rls.map((r) => ({ ...r, policies: r.policies ?? [] })),
    };
  } finally {
    await c.end();
  }
}

const dbUrl = (name: string) => Object.assign(new URL(inject('pgAdminUrl')), { pathname: `/${name}` }).toString();

let a: Catalog;
let b: Catalog;
const dropped: string[] = [];

beforeAll(async () => {
  const migrated = await createTestDatabase();
  dropped.push(migrated.name);
  const fromSchema = `drift_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${fromSchema}`);
  dropped.push(fromSchema);
  // The CLI needs a reachable DATABASE_URL even for a schema-only diff (adapter mode).
  const { stdout: sql } = await promisify(execFile)(
    path.join(root, 'node_modules/.bin/prisma'),
    ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
    { cwd: root, env: { ...process.env, DATABASE_URL: dbUrl(fromSchema) }, maxBuffer: 16 * 1024 * 1024 },
  );
  const c = new pg.Client({ connectionString: dbUrl(fromSchema) });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
  [a, b] = await Promise.all([readCatalog(migrated.ownerUrl), readCatalog(dbUrl(fromSchema))]);
});
afterAll(async () => {
  for (const name of dropped) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describe('迁移与 schema.prisma 一致（schema 只有一个来源）', () => {
  it('表、列（类型、可空、默认值）、枚举完全相同', () => {
    expect(a.tables).toEqual(b.tables);
    expect(a.columns).toEqual(b.columns);
    expect(a.enums).toEqual(b.enums);
  });

  it('索引、约束、触发器、函数、存储参数：迁移只比 schema 多出 server/db/hand-written.ts 清单上的对象', () => {
    const extra: string[] = [];
    const missing: string[] = [];
    const changed: string[] = [];
    for (const [kind, inA] of Object.entries(a.objects) as [CatalogKind, Map<string, string>][]) {
      const inB = b.objects[kind];
      for (const [name, def] of inA) {
        if (!inB.has(name)) extra.push(`${kind} ${name}`);
        else if (inB.get(name) !== def) changed.push(`${kind} ${name}: ${def} ≠ ${inB.get(name)}`);
      }
      for (const name of inB.keys()) if (!inA.has(name)) missing.push(`${kind} ${name}`);
    }
    const listed = HAND_WRITTEN.flatMap((h) => h.names.map((n) => `${CATALOG_KIND[h.kind]} ${n}`)).sort();
    expect(changed).toEqual([]);
    expect(missing).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
    expect(extra.sort()).toEqual(listed);
  });

  it('清单上的每个对象是它所说的那种，并由它所写的迁移创建', () => {
    const wrong: string[] = [];
    for (const h of HAND_WRITTEN) {
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, h.migration, 'migration.sql'), 'utf8');
      for (const name of h.names) {
        const def = a.objects[CATALOG_KIND[h.kind]].get(name) ?? '';
        const shortName = name.split('.').pop()!.replace(/ storage$/, '');
        const isKind = {
          'foreign key': def.startsWith('FOREIGN KEY'), check: def.startsWith('CHECK'), 'partial index': / WHERE /.test(def),
          trigger: def.startsWith('CREATE TRIGGER'), function: def === 'trigger', storage: def !== '',
        }[h.kind];
        if (!isKind) wrong.push(`${name} is not a ${h.kind}: ${def}`);
        if (!sql.includes(h.kind === 'storage' ? (shortName === 'fillfactor' ? 'fillfactor' : 'SET STORAGE') : shortName)) wrong.push(`${name} not in ${h.migration}`);
      }
      expect(h.why.length, h.names[0]).toBeGreaterThan(20);
    }
    expect(wrong).toEqual([]);
  });

  it('每张带 company_id 的表：行级安全已启用且强制，有租户隔离与系统角色两条策略', () => {
    expect(a.rls.length).toBeGreaterThan(40);
    const wrong = a.rls.filter((t) => !t.enabled || !t.forced || t.policies.join() !== 'system_access,tenant_isolation');
    expect(wrong).toEqual([]);
  });
});
