// The lean path of order entry (SqlSession on postgres.js): the same values as Prisma's $queryRaw,
// row-level security by the session's company, the last statement committing with it, rollback
// on failure and on close, and sign-in inside the request's transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastStatement, SqlSession } from '../../server/db/sql-session.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { Prisma } from '../../server/generated/prisma/client.ts';
import { toAppError } from '../../server/platform/errors.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, loginAs } from '../helpers/factories.ts';

let t: TestApp;
let companyId: string;
beforeAll(async () => {
  t = await createTestApp();
  companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
});
afterAll(() => t?.close());

async function withSession<T>(fn: (s: SqlSession) => Promise<T>, company = companyId): Promise<T> {
  const s = await t.database.sql.open(company);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

const probe = (id: string) => Prisma.sql`
  SELECT 1.50::numeric(18, 2) AS amount, 42::bigint AS big, 7::int AS small, DATE '2026-12-06' AS day,
         TIMESTAMP '2026-12-06 10:11:12.345' AS at_utc, TIMESTAMPTZ '2026-12-06 10:11:12.345+08' AS at_zone,
         '{"a": [1, "二"]}'::jsonb AS doc, json_build_object('k', 1.5) AS obj, ARRAY['x', 'y'] AS words, ARRAY[1.25, 2]::numeric[] AS amounts,
         true AS yes, NULL::text AS nothing, ${id}::uuid AS id, 'pendingApproval'::document_state AS state,
         ${'2026-12-31'}::date AS given_day, ${new Date('2026-12-06T02:00:00Z')}::timestamptz AS given_at, ${'12.3400'}::numeric AS given_amount,
         ${[id, id]}::uuid[] AS given_ids, ${JSON.stringify({ b: '三' })}::jsonb AS given_doc, ${false}::boolean AS given_flag, ${3}::int AS given_int, ${null}::text AS given_null`;

describe('SqlSession 与 Prisma 读出同样的值', () => {
  it('numeric、bigint、date、timestamp、json、数组、枚举与参数：两条路径结果相同', async () => {
    const id = '0b0e2b4e-55c1-4a8e-9c8e-3f1c3b4a5d6e';
    const viaPrisma = await inCompany(t.database.app, companyId, (tx) => tx.$queryRaw<Record<string, unknown>[]>(probe(id)));
    const viaSession = await withSession((s) => s.$queryRaw<Record<string, unknown>[]>(probe(id)));
    const shown = (rows: Record<string, unknown>[]) =>
      Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, v instanceof Date ? `date:${v.toISOString()}` : Prisma.Decimal.isDecimal(v) ? `decimal:${String(v)}` : typeof v === 'bigint' ? `bigint:${v}` : v]));
    expect(shown(viaSession)).toEqual(shown(viaPrisma));
    expect(shown(viaSession)).toMatchObject({
      amount: 'decimal:1.5', big: 'bigint:42', small: 7, day: 'date:2026-12-06T00:00:00.000Z', at_utc: 'date:2026-12-06T10:11:12.345Z',
      at_zone: 'date:2026-12-06T02:11:12.345Z', doc: { a: [1, '二'] }, obj: { k: 1.5 }, words: ['x', 'y'], yes: true, nothing: null, id, state: 'pendingApproval',
      given_day: 'date:2026-12-31T00:00:00.000Z', given_at: 'date:2026-12-06T02:00:00.000Z', given_amount: 'decimal:12.34', given_ids: [id, id], given_doc: { b: '三' }, given_flag: false, given_int: 3, given_null: null,
    });
  });

  it('行级安全按会话的公司：只看见本公司的客户', async () => {
    const ours = await t.database.system.customer.count({ where: { companyId } });
    const seen = await withSession((s) => s.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM customer`);
    expect(seen[0]!.n).toBe(ours);
    const other = await withSession((s) => s.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM customer`, '00000000-0000-4000-8000-000000000000');
    expect(other[0]!.n).toBe(0);
  });
});

describe('事务边界', () => {
  it('最后一条语句与 COMMIT 一起发出：提交后别的连接看得见，之后再发语句被拒绝', async () => {
    const key = `session-commit-${Date.now()}`;
    await withSession(async (s) => {
      const rows = await lastStatement<{ key: string }[]>(s, Prisma.sql`INSERT INTO outbox_event (company_id, type, payload) VALUES (${companyId}::uuid, ${key}, '{}'::jsonb) RETURNING type AS key`);
      expect(rows[0]!.key).toBe(key);
      expect(s.isOpen).toBe(false);
      await expect(s.$queryRaw`SELECT 1`).rejects.toThrow(/after the transaction ended/);
    });
    expect(await t.database.system.outboxEvent.count({ where: { type: key } })).toBe(1);
  });

  it('最后一条语句失败：什么也不提交，错误按 SQLSTATE 翻译（重复 → DUPLICATE）', async () => {
    const type = `session-fail-${Date.now()}`;
    const code = (await t.database.system.customer.findFirstOrThrow({ where: { companyId } })).code;
    const err = await withSession(async (s) => {
      await s.$executeRaw`INSERT INTO outbox_event (company_id, type, payload) VALUES (${companyId}::uuid, ${type}, '{}'::jsonb)`;
      return lastStatement(s, Prisma.sql`INSERT INTO customer (id, company_id, code, name) VALUES (gen_random_uuid(), ${companyId}::uuid, ${code}, '重复编码')`).then(
        () => null,
        (e: unknown) => e,
      );
    });
    expect(toAppError(err).code).toBe('DUPLICATE');
    expect(await t.database.system.outboxEvent.count({ where: { type } })).toBe(0);
  });

  it('未提交就关闭：回滚，连接归还连接池（反复开关不耗尽）', async () => {
    const type = `session-close-${Date.now()}`;
    for (let i = 0; i < 30; i++) {
      await withSession((s) => s.$executeRaw`INSERT INTO outbox_event (company_id, type, payload) VALUES (${companyId}::uuid, ${type}, '{}'::jsonb)`);
    }
    expect(await t.database.system.outboxEvent.count({ where: { type } })).toBe(0);
  });
});

describe('在请求的事务里登录（POST /sales-orders 与 /confirm）', () => {
  it('没有权限：403，什么也不写；之后同一条路由照常工作（连接未泄漏）', async () => {
    const customer = await t.database.system.customer.findFirstOrThrow({ where: { companyId, code: 'C0002' } });
    const item = await t.database.system.item.findFirstOrThrow({ where: { companyId, code: 'FG-BLT-M8X30' } });
    const before = await t.database.system.salesOrder.count();
    const zhao = await as(t, 'zhao.ck'); // 仓管: no salesOrder:create
    for (let i = 0; i < 25; i++) {
      const res = await zhao('post', '/api/v1/sales-orders').send({ customerId: customer.id, lines: [{ itemId: item.id, quantity: '1' }] });
      expect(res.status).toBe(403);
    }
    expect(await t.database.system.salesOrder.count()).toBe(before);
    const li = await as(t, 'li.xs');
    const ok = await li('post', '/api/v1/sales-orders').send({ customerId: customer.id, lines: [{ itemId: item.id, quantity: '1' }] });
    expect(ok.status).toBe(201);
    expect(ok.body.number).toMatch(/^SO-\d{8}-\d{4}$/);
  });

  it('密码重置后旧令牌在这两条路由上也失效（401）；没有令牌 401', async () => {
    const token = await loginAs(t, 'wu.xs');
    const admin = await as(t, 'admin');
    const wu = await t.database.system.user.findFirstOrThrow({ where: { companyId, username: 'wu.xs' } });
    await new Promise((r) => setTimeout(r, 1100)); // iat has whole seconds
    expect((await admin('post', `/api/v1/users/${wu.id}/password`).send({ password: 'Changed2027' })).status).toBe(204);
    const res = await t.http().post('/api/v1/sales-orders').set('Authorization', `Bearer ${token}`).send({ customerId: wu.id, lines: [] });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('密码已重置');
    const none = await t.http().post('/api/v1/sales-orders/00000000-0000-4000-8000-000000000000/confirm').send({});
    expect(none.status).toBe(401);
  });
});
