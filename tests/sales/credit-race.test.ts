// 信用额度 under concurrency: the customer row lock in checkCredit is what stops parallel
// confirmations from all passing the same exposure read. A trigger (test-only, on this customer's
// confirmations) holds each confirming transaction for 30 ms between the credit check and its
// commit, so without the lock every confirmation would read the same exposure and pass: the test
// fails deterministically without it (checked by removing FOR UPDATE in credit.ts).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let owner: pg.Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  owner = new pg.Client({ connectionString: t.database.ownerUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('信用额度的并发', () => {
  it('额度 ¥1,000，30 张 ¥100 的订单同时确认：恰好 10 张确认，其余 409 给出数字；占用恰好 ¥1,000', async () => {
    const sys = t.database.system;
    const companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    const owned = await sys.user.findFirstOrThrow({ where: { username: 'admin' } });
    const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
    const customer = await sys.customer.create({ data: { companyId, code: `CREDIT-RACE-${Date.now()}`, name: '并发额度测试客户', ownerId: owned.id, creditLimit: '1000' } });
    // A service item: no stock involved, the order's value is the only thing at stake.
    const item = await sys.item.create({ data: { companyId, code: `CREDIT-RACE-${Date.now()}`, name: '额度测试服务', kind: 'service', baseUnitId: pcs.id, salePrice: '100' } });
    await owner.query(`
      CREATE FUNCTION test_slow_confirm() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.03); RETURN NEW; END $$`);
    await owner.query(`
      CREATE TRIGGER test_slow_confirm BEFORE UPDATE OF state ON sales_order FOR EACH ROW
      WHEN (NEW.customer_id = '${customer.id}' AND NEW.state = 'confirmed' AND OLD.state <> 'confirmed')
      EXECUTE FUNCTION test_slow_confirm()`);

    const drafts = await Promise.all(Array.from({ length: 30 }, async () => {
      const res = await admin('post', '/api/v1/sales-orders').send({ customerId: customer.id, lines: [{ itemId: item.id, quantity: '1', taxRate: '0' }] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.totalWithTax).toBe('100.00');
      return res.body.id as string;
    }));
    const results = await Promise.all(drafts.map((id) => admin('post', `/api/v1/sales-orders/${id}/confirm`).send({})));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(20);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.error.message).toMatch(/^超出信用额度：额度 ¥1,000\.00，已占用 ¥1,000\.00，本单 ¥100\.00/);
    }
    const confirmed = await sys.salesOrder.count({ where: { customerId: customer.id, state: 'confirmed' } });
    expect(confirmed).toBe(10);
  });
});
