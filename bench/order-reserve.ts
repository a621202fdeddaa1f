// order_reserve: 50 concurrent clients (in a process of their own) create and confirm 5-line sales orders through HTTP for
// 20 s on 20 hot items whose stock lasts the whole run; only confirmations that reserved every
// line count. Baseline, same concurrency and duration: the minimal transaction — the same 5
// conditional `UPDATE … RETURNING` on level rows — through a pooled pg with prepared statements.
// ratio = our confirmations per second / baseline transactions per second; goal ≥ 0.3, no oversell.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { inCompany } from '../server/db/transaction.ts';
import { receiveStock } from '../server/modules/inventory/stock/ledger.ts';
import { addOrderHistory } from './history.ts';
import { pick, type ClientsConfig, type ClientsResult } from './order-reserve-clients.ts';
import type { BenchEnv, BenchResult } from './run.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 20) * 1000;
const HOT = 20;

const WARMUP_MS = 3000;

/** Counts what finishes in the measured window, after an uncounted warm-up (as the clients of ours do). */
async function forDuration(fn: () => Promise<boolean>): Promise<{ done: number; seconds: number }> {
  let done = 0;
  const from = Date.now() + WARMUP_MS;
  const end = from + DURATION_MS;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < end) if ((await fn()) && Date.now() >= from && Date.now() <= end) done++;
  }));
  return { done, seconds: DURATION_MS / 1000 };
}

export async function orderReserveBench(env: BenchEnv): Promise<BenchResult> {
  const sys = env.database.system;
  const companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const wh1 = await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH01' } });
  const wh2 = await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH02' } });
  const sales = await sys.user.findFirstOrThrow({ where: { companyId, username: 'li.xs' } });
  // No credit limit (0), so the credit check passes however many orders pile up.
  const customer = await sys.customer.create({ data: { companyId, code: 'BENCH-HOT', name: '基准测试客户', ownerId: sales.id, creditLimit: '0' } });
  await sys.item.createMany({
    data: Array.from({ length: HOT }, (_, i) => ({ companyId, code: `HOT-${i}`, name: `热销物料${i}`, kind: 'finished' as const, baseUnitId: pcs.id, salePrice: '1.000000' })),
  });
  const items = await sys.item.findMany({ where: { companyId, code: { startsWith: 'HOT-' } }, orderBy: { code: 'asc' } });
  // Ours reserve in 成品仓 (WH02); the baseline updates the same items' rows in 原材料仓 (WH01).
  await inCompany(env.database.app, companyId, (tx) =>
    receiveStock(tx, { companyId, kind: 'opening', source: { type: 'bench', id: 'hot' } },
      items.flatMap((i) => [wh1, wh2].map((w) => ({ itemId: i.id, warehouseId: w.id, quantity: '1000000000', unitCost: '0.5' })))));
  // A year of past orders (5,000, closed) and statistics, as on a live database.
  await addOrderHistory(env.ownerUrl, {
    companyId, customerId: customer.id, ownerId: sales.id, warehouseId: wh2.id, unitId: pcs.id, itemIds: items.map((i) => i.id), orders: 5000, linesPerOrder: 5,
  });
  const baseRows = await sys.stockLevel.findMany({ where: { companyId, warehouseId: wh1.id, itemId: { in: items.map((i) => i.id) } }, orderBy: { id: 'asc' } });

  const baseline = await forDuration(async () => {
    const c = await env.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query({ name: 'r_set', text: `SELECT set_config('app.company_id', $1, true)`, values: [companyId] });
      for (const k of pick(5, HOT)) {
        const r = await c.query({ name: 'r_upd', text: `UPDATE stock_level SET reserved = reserved + 1 WHERE id = $1 AND on_hand - reserved >= 1 RETURNING id`, values: [baseRows[k]!.id] });
        if (r.rowCount !== 1) throw new Error('baseline ran out of stock');
      }
      await c.query('COMMIT');
      return true;
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  });

  // The clients run in a process of their own, as phones would: the server's process serves only.
  const config: ClientsConfig = {
    baseUrl: env.baseUrl, token: await env.token('li.xs'), customerId: customer.id, warehouseId: wh2.id,
    itemIds: items.map((i) => i.id), clients: CLIENTS, warmupMs: WARMUP_MS, durationMs: DURATION_MS,
  };
  const ours = await new Promise<ClientsResult>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'order-reserve-clients.ts'), JSON.stringify(config)],
      { maxBuffer: 1 << 20, timeout: WARMUP_MS + DURATION_MS + 120_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`order_reserve clients: ${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as ClientsResult)));
  });
  const failures = ours.failures;

  // No oversell: every level within its stock, and our reservations add up to the levels' reserved.
  const [check] = await sys.$queryRaw<{ over: number; drift: number }[]>`
    SELECT (SELECT count(*) FROM stock_level WHERE reserved > on_hand)::int AS over,
           (SELECT count(*) FROM stock_level l WHERE l.warehouse_id = ${wh2.id}::uuid AND l.item_id = ANY(${items.map((i) => i.id)}::uuid[])
               AND l.reserved <> (SELECT coalesce(sum(quantity), 0) FROM reservation r WHERE r.item_id = l.item_id AND r.warehouse_id = l.warehouse_id))::int AS drift`;
  if (check!.over || check!.drift) throw new Error(`order_reserve: oversell check failed ${JSON.stringify(check)}`);
  const value = ours.done / ours.seconds;
  const base = baseline.done / baseline.seconds;
  const ratio = value / base;
  if (failures) console.log(`order_reserve: ${failures} requests failed, first: ${ours.firstFailure}`);
  return { name: 'order_reserve', value, baseline: base, unit: 'tps', ratio, goal: '>=0.3 and no oversell', pass: ratio >= 0.3 };
}
