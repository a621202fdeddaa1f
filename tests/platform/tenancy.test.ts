// 租户隔离: a second company's users see and change none of the first company's data, and the
// database itself (row-level security) refuses cross-company reads and writes by the app role.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, customerInput, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let ours: AuthedClient;
let theirs: AuthedClient;
let other: Awaited<ReturnType<typeof createSecondCompany>>;
let demoCompanyId: string;
let demoCustomerId: string;

beforeAll(async () => {
  t = await createTestApp();
  other = await createSecondCompany(t);
  ours = await as(t, 'admin', { companyCode: 'YUNQIAO' });
  theirs = await as(t, other.adminUsername);
  const c = await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0001', NOT: { companyId: other.companyId } } });
  demoCompanyId = c.companyId;
  demoCustomerId = c.id;
});
afterAll(async () => t?.close());

describe('通过 API 的跨公司访问', () => {
  it('另一家公司的管理员只看到自己公司的客户', async () => {
    const list = await theirs('get', '/api/v1/customers?pageSize=200');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].id).toBe(other.customerId);
    const mine = await ours('get', '/api/v1/customers?pageSize=200');
    expect(mine.body.items.map((c: { id: string }) => c.id)).not.toContain(other.customerId);
  });

  it('用我方客户的 ID 查看、修改、删除都得到 404，数据不变', async () => {
    expect((await theirs('get', `/api/v1/customers/${demoCustomerId}`)).status).toBe(404);
    expect((await theirs('patch', `/api/v1/customers/${demoCustomerId}`).send({ version: 1, name: '被篡改' })).status).toBe(404);
    expect((await theirs('delete', `/api/v1/customers/${demoCustomerId}`)).status).toBe(404);
    const row = await t.database.system.customer.findUniqueOrThrow({ where: { id: demoCustomerId } });
    expect(row.name).not.toBe('被篡改');
  });

  it('编码按公司唯一：两家公司都可以有 C0001；新建客户落在自己的公司', async () => {
    const res = await theirs('post', '/api/v1/customers').send(customerInput({ code: 'C0002' }));
    expect(res.status).toBe(201);
    const row = await t.database.system.customer.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.companyId).toBe(other.companyId);
    expect(await t.database.system.customer.count({ where: { code: 'C0001' } })).toBe(2);
  });
});

describe('数据库行级安全（以应用角色直接执行 SQL）', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: t.database.appUrl });
    await client.connect();
  });
  afterAll(async () => client?.end());

  it('应用角色不是超级用户，也不能绕过行级安全', async () => {
    const { rows } = await client.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('未设置公司时看不到任何行', async () => {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM customer');
    expect(rows[0].n).toBe(0);
  });

  it('设置为对方公司后，读不到、改不到、删不到我方数据', async () => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.company_id', $1, true)`, [other.companyId]);
      const read = await client.query('SELECT * FROM customer WHERE id = $1', [demoCustomerId]);
      expect(read.rowCount).toBe(0);
      const all = await client.query('SELECT DISTINCT company_id::text AS c FROM customer');
      expect(all.rows).toEqual([{ c: other.companyId }]);
      const upd = await client.query(`UPDATE customer SET name = '越权修改' WHERE id = $1`, [demoCustomerId]);
      expect(upd.rowCount).toBe(0);
      const del = await client.query('DELETE FROM customer WHERE company_id = $1', [demoCompanyId]);
      expect(del.rowCount).toBe(0);
      const users = await client.query('SELECT count(*)::int AS n FROM app_user WHERE company_id = $1', [demoCompanyId]);
      expect(users.rows[0].n).toBe(0);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('写入另一家公司的行被数据库拒绝（42501）', async () => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.company_id', $1, true)`, [other.companyId]);
      await expect(
        client.query(`INSERT INTO customer (id, company_id, code, name, updated_at) VALUES (gen_random_uuid(), $1, 'X1', '越权新增', now())`, [demoCompanyId]),
      ).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.query('ROLLBACK');
    }
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.company_id', $1, true)`, [other.companyId]);
      // Moving one's own row into another company is refused too (WITH CHECK).
      await expect(client.query('UPDATE customer SET company_id = $1 WHERE id = $2', [demoCompanyId, other.customerId])).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('公司设置只在本事务内有效，不会带到连接池的下一个使用者', async () => {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.company_id', $1, true)`, [demoCompanyId]);
    expect((await client.query('SELECT count(*)::int AS n FROM customer')).rows[0].n).toBeGreaterThan(0);
    await client.query('COMMIT');
    expect((await client.query('SELECT count(*)::int AS n FROM customer')).rows[0].n).toBe(0);
  });
});

describe('架构约束', () => {
  it('每张带 company_id 的表都启用并强制了行级安全，且有租户策略', async () => {
    const owner = new pg.Client({ connectionString: t.database.ownerUrl });
    await owner.connect();
    try {
      const { rows } = await owner.query<{ table: string; rls: boolean; forced: boolean; policies: string[] }>(`
        SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
               coalesce(array_agg(p.polname::text) FILTER (WHERE p.polname IS NOT NULL), '{}') AS policies
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
          LEFT JOIN pg_policy p ON p.polrelid = c.oid
         WHERE c.relkind = 'r'
           AND (c.relname = 'company' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'company_id'))
         GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity`);
      expect(rows.length).toBeGreaterThanOrEqual(20);
      for (const r of rows) {
        expect({ table: r.table, rls: r.rls, forced: r.forced }).toEqual({ table: r.table, rls: true, forced: true });
        expect(r.policies.sort()).toEqual(['system_access', 'tenant_isolation']);
      }
    } finally {
      await owner.end();
    }
  });

  it('没有 company_id 的表只有这几张全局表（新表要么是租户表、受行级安全保护，要么在这里说明为何全局）', async () => {
    // Each is cross-company by nature: migrations bookkeeping, a callback's (platform, event id)
    // dedupe record taken before the company is known, sign-in counters keyed by username/IP
    // before anyone is signed in, and process-wide settings (the JWT secret).
    const GLOBAL_TABLES = ['_prisma_migrations', 'chat_inbound_event', 'login_throttle', 'system_setting'];
    const owner = new pg.Client({ connectionString: t.database.ownerUrl });
    await owner.connect();
    try {
      const { rows } = await owner.query<{ table: string }>(`
        SELECT c.relname AS table
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         WHERE c.relkind IN ('r', 'p') AND c.relname <> 'company'
           AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'company_id' AND NOT a.attisdropped)
         ORDER BY 1`);
      expect(rows.map((r) => r.table)).toEqual(GLOBAL_TABLES);
    } finally {
      await owner.end();
    }
  });
});
