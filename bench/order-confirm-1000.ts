// order_confirm_1000: confirming one sales order of 1,000 lines (reserve every line, timeline,
// events, audit) in one transaction with set-based statements, against the same confirmation done
// line by line (a SELECT … FOR UPDATE and an UPDATE per line on a pooled connection with prepared
// statements and the same indexes). ratio = baseline time / our time; goals: ratio ≥ 10 and ours < 500 ms.
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { inCompany } from '../server/db/transaction.ts';
import { receiveStock } from '../server/modules/inventory/stock/ledger.ts';
import { applyOrderConfirmation } from '../server/modules/sales/orders/confirm.ts';
import { loadActor } from '../server/platform/auth.ts';
import { runSqlUseCase } from '../server/platform/services.ts';
import type { BenchEnv, BenchResult } from './run.ts';

const LINES = 1000;
const RUNS = 11;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function orderConfirm1000Bench(env: BenchEnv): Promise<BenchResult> {
  const sys = env.database.system;
  const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
  const companyId = company.id;
  const wh = await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH02' } });
  const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const customer = await sys.customer.findFirstOrThrow({ where: { companyId, code: 'C0001' } });
  const boss = await sys.user.findFirstOrThrow({ where: { companyId, username: 'boss' } });
  const actor = await loadActor(sys, { userId: boss.id, companyId });
  const ctx = { db: env.database.app, actor };

  // 1,000 items with plenty of stock in 成品仓.
  await sys.item.createMany({
    data: Array.from({ length: LINES }, (_, i) => ({
      companyId, code: `BENCH-${String(i).padStart(4, '0')}`, name: `基准物料${i}`, kind: 'finished' as const, baseUnitId: pcs.id, salePrice: '1.000000',
    })),
  });
  const items = await sys.item.findMany({ where: { companyId, code: { startsWith: 'BENCH-' } }, orderBy: { code: 'asc' } });
  await inCompany(env.database.app, companyId, (tx) =>
    receiveStock(tx, { companyId, kind: 'opening', source: { type: 'bench', id: 'opening' } }, items.map((i) => ({ itemId: i.id, warehouseId: wh.id, quantity: '1000000', unitCost: '0.5' }))),
  { timeoutMs: 300_000 });

  async function draftOrder(number: string, lines = items): Promise<string> {
    const order = await sys.salesOrder.create({
      data: {
        companyId, number, customerId: customer.id, ownerId: boss.id, warehouseId: wh.id, orderDate: new Date(),
        totalAmount: '0', lines: {
          createMany: {
            data: lines.map((it, k) => ({
              companyId, lineNo: k + 1, itemId: it.id, warehouseId: wh.id, unitId: pcs.id, factor: '1', quantity: '10', baseQuantity: '10',
              listPrice: '1', unitPrice: '1', taxRate: '0.13', amount: '8.85', taxAmount: '1.15', amountWithTax: '10.00',
            })),
          },
        },
      },
    });
    return order.id;
  }

  // The drafts first, then the statistics autovacuum keeps on a live database.
  const drafts: string[] = [];
  for (let r = 0; r <= RUNS; r++) drafts.push(await draftOrder(`BENCH-SO-${r}`));
  // A server that has been taking orders has confirmed some on every connection of its pool (the
  // statement is the same whatever the number of lines): one-line orders, confirmed all at once.
  const warmers: string[] = [];
  for (let n = 0; n < env.poolSize; n++) warmers.push(await draftOrder(`BENCH-WARM-${n}`, items.slice(n, n + 1)));
  const owner = new pg.Client({ connectionString: env.ownerUrl });
  await owner.connect();
  await owner.query('VACUUM ANALYZE');
  await owner.query('CHECKPOINT');
  await owner.end();

  // Ours: the real use case in its own transaction, on the path POST /sales-orders/:id/confirm takes (a SqlSession).
  async function confirmOurs(id: string, lines = LINES): Promise<number> {
    const t0 = performance.now();
    const session = await env.database.sql.open(companyId);
    const result = await runSqlUseCase({ ...ctx, session }, (tx) => applyOrderConfirmation(tx, ctx, id)).finally(() => session.close());
    const ms = performance.now() - t0;
    const reserved = new Decimal(result.reserved);
    if (!reserved.eq(lines * 10) || result.shortLines !== 0) throw new Error(`order_confirm_1000: reserved ${reserved} of ${lines * 10}`);
    return ms;
  }

  // Baseline: line by line, prepared statements, one pooled connection, one transaction.
  async function confirmLineByLine(): Promise<number> {
    const c = await env.pool.connect();
    try {
      const t0 = performance.now();
      await c.query('BEGIN');
      await c.query({ name: 'b_set', text: `SELECT set_config('app.company_id', $1, true)`, values: [companyId] });
      for (const it of items) {
        const { rows } = await c.query({
          name: 'b_sel',
          text: `SELECT id, on_hand - reserved AS available FROM stock_level WHERE company_id = $1 AND item_id = $2 AND warehouse_id = $3 FOR UPDATE`,
          values: [companyId, it.id, wh.id],
        });
        const take = Decimal.min(10, rows[0].available).toString();
        await c.query({ name: 'b_upd', text: `UPDATE stock_level SET reserved = reserved + $1 WHERE id = $2`, values: [take, rows[0].id] });
      }
      await c.query('COMMIT');
      return performance.now() - t0;
    } finally {
      c.release();
    }
  }

  // One unmeasured round of each (code paths compiled, plans cached), then the two alternate, so
  // that the machine's noise falls on both alike.
  await Promise.all(warmers.map((id) => confirmOurs(id, 1)));
  await confirmOurs(drafts.shift()!);
  await confirmLineByLine();
  const ours: number[] = [];
  const base: number[] = [];
  for (const id of drafts) {
    ours.push(await confirmOurs(id));
    base.push(await confirmLineByLine());
  }
  const value = median(ours);
  const baseline = median(base);
  const ratio = baseline / value;
  return { name: 'order_confirm_1000', value, baseline, unit: 'ms', ratio, goal: '>=10 and value<500ms', pass: ratio >= 10 && value < 500 };
}
