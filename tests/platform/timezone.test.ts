// Instants are instants: what Prisma writes, what the database stamps with now(), and what raw SQL
// reads back agree — whatever the server's own time zone (the embedded one runs Asia/Shanghai).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('时间', () => {
  it('Prisma 写入的时间、数据库 now() 与原生 SQL 读出的是同一时刻', async () => {
    const written = new Date('2026-11-23T21:36:19.901Z');
    const company = await t.database.system.company.create({ data: { code: 'TZCHECK', name: '时区检查', createdAt: written } });
    const [raw] = await t.database.system.$queryRaw<{ epoch: number; db_now_ms: number }[]>`
      SELECT extract(epoch FROM created_at)::float8 * 1000 AS epoch, extract(epoch FROM now())::float8 * 1000 AS db_now_ms FROM company WHERE id = ${company.id}::uuid`;
    expect(Math.round(raw!.epoch)).toBe(written.getTime());
    const stamped = await t.database.system.company.create({ data: { code: 'TZNOW', name: '默认时间' } });
    expect(Math.abs(stamped.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const readBack = await t.database.system.company.findUniqueOrThrow({ where: { id: company.id } });
    expect(readBack.createdAt.toISOString()).toBe(written.toISOString());
  });
});
