// customer_list: a salesperson's first page of customers through the whole stack (JWT, actor
// with permissions and data scope, RLS transaction, list + count, JSON) against the bare minimum
// the database must do for the same answer (set company, the same SELECT and COUNT on a pooled
// pg connection). Same concurrency, same duration.
import type { BenchEnv, BenchResult } from './run.ts';

const CONCURRENCY = 10;
const DURATION_MS = 5_000;

async function loop(fn: () => Promise<void>): Promise<number> {
  let done = 0;
  const end = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        await fn();
        done++;
      }
    }),
  );
  return done / (DURATION_MS / 1000);
}

export async function customerListBench(env: BenchEnv): Promise<BenchResult> {
  const token = await env.token('li.xs');
  const owner = await env.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
  const userId: string = owner.body.id;
  const companyId: string = owner.body.companyId;

  const baseline = await loop(async () => {
    const c = await env.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query({ name: 'setco', text: `SELECT set_config('app.company_id', $1, true)`, values: [companyId] });
      await c.query({ name: 'list', text: `SELECT * FROM customer WHERE owner_id = $1 ORDER BY code, id LIMIT 20`, values: [userId] });
      await c.query({ name: 'count', text: `SELECT count(*) FROM customer WHERE owner_id = $1`, values: [userId] });
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  });
  const ours = await loop(async () => {
    const res = await fetch(`${env.baseUrl}/api/v1/customers?page=1&pageSize=20`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`customer list ${res.status}`);
    await res.arrayBuffer();
  });
  const ratio = ours / baseline;
  return { name: 'customer_list', value: ours, baseline, unit: 'req/s', ratio, goal: '>=0.1', pass: ratio >= 0.1 };
}
