// Statements run as named prepared statements (planned once per connection), except set-based
// ones over big arrays, which are planned for their real size every time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('预备语句', () => {
  it('同一连接上重复的查询只解析、规划一次；上千元素的数组查询不预备', async () => {
    const names = await t.database.system.$transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.$queryRaw`SELECT count(*)::int AS n FROM company WHERE code = ${`NOPE${i}`}`;
      const many = Array.from({ length: 1000 }, (_, i) => `CODE${i}`);
      await tx.$queryRaw`SELECT count(*)::int AS n FROM company WHERE code = ANY(${many}::text[]) AND 'bulky' = 'bulky'`;
      return tx.$queryRaw<{ name: string; statement: string }[]>`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'yq\\_%'`;
    });
    const counting = names.filter((n) => n.statement.includes('WHERE code = $1'));
    expect(counting).toHaveLength(1);
    expect(names.some((n) => n.statement.includes("'bulky'"))).toBe(false);
  });
});
