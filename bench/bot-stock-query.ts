// bot_stock_query: 「库存 M8螺栓」 end to end on WeCom — a callback signed and encrypted exactly as
// WeCom sends it is POSTed (keep-alive) to /callbacks/wecom of a server configured for the WeCom
// fake; each sample runs from just before the POST until the fake records the answer to wang.cg
// (its recorder resolves a promise: no polling). Sequential samples, after a warm-up, first with a
// ledger of 10,000 stock moves, then, in the same run, with 1,000,000 (bulk-loaded set-based as the
// owner, balances / levels / item totals kept equal to the moves, then ANALYZE).
// value = p99 at 1M, baseline = p99 at 10k, ratio = value / baseline; goal ≤ 1.5.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { formatQuantity } from '../bot/cards/format.ts';
import { startWecomFake, wecomCallback, wecomTextXml, type WecomFake } from '../tests/fakes/wecom.ts';
import type { BenchEnv, BenchResult } from './run.ts';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_LEDGER ?? 1_000_000);
const CHUNK = 250_000;
/** the share of all moves that go to M8螺栓 (it takes that share of the item slots) */
const M8_SHARE = 0.1;

const wecom = { corpId: 'wwbenchcorp', token: 'benchToken', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', agentId: 1000002 };

type Sent = WecomFake['sent'][number];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
const ms = (v: number) => v.toFixed(2);
const sizeLabel = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}m` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

/**
 * Appends moves number `from`+1 … `to` of the bench's own sequence, then adds their sums to
 * stock_balance, stock_level and item_stock in the same transaction. Move k goes to slot
 * k mod S (item), warehouse (k div S) mod 2; round r = k div 2S is a receipt of 10 when r mod 5 < 3
 * and an issue of 4 otherwise, so every item × warehouse's running balance stays ≥ 0.
 */
async function appendMoves(owner: pg.Client, companyId: string, slots: string[], warehouses: string[], from: number, to: number): Promise<void> {
  await owner.query('BEGIN');
  // Bulk load as the owner (a superuser here): foreign-key triggers off for this transaction only
  // (every item and warehouse id comes from those tables), about twice as fast.
  await owner.query('SET LOCAL session_replication_role = replica');
  try {
    const [{ before }] = (await owner.query<{ before: string }>(`SELECT coalesce(max(id), 0)::text AS before FROM stock_move`)).rows as [{ before: string }];
    // Each slot's unit cost: its current moving average, else its standard cost, else 1.
    const { rows: costs } = await owner.query<{ cost: string }>(
      `SELECT coalesce(nullif(st.average_cost, 0), nullif(i.standard_cost, 0), 1)::numeric(18, 6)::text AS cost
         FROM unnest($1::uuid[]) WITH ORDINALITY AS s(item_id, ord) JOIN item i ON i.id = s.item_id
         LEFT JOIN item_stock st ON st.item_id = i.id AND st.company_id = i.company_id ORDER BY s.ord`, [slots]);
    if (costs.length !== slots.length) throw new Error('bot_stock_query: slot costs');
    for (let a = from; a < to; a += CHUNK) {
      await owner.query(
        `INSERT INTO stock_move (company_id, kind, item_id, warehouse_id, quantity, unit_cost, amount, source_type, source_id, document_no, remark, occurred_at, created_at)
         SELECT $1::uuid, (CASE WHEN g.q > 0 THEN 'purchaseReceipt' ELSE 'salesShipment' END)::stock_move_kind, ($2::uuid[])[g.slot + 1], ($3::uuid[])[g.wh + 1],
                g.q, ($5::numeric[])[g.slot + 1], round(g.q * ($5::numeric[])[g.slot + 1], 2), 'bench', 'bsq-' || (g.k / 8), 'BSQ' || lpad((g.k / 8)::text, 9, '0'), $4,
                timestamptz '2024-01-01 00:00:00+08' + g.k * interval '20 seconds', now()
           FROM (SELECT k, k % $6::int AS slot, (k / $6::int) % 2 AS wh, CASE WHEN (k / (2 * $6::int)) % 5 < 3 THEN 10 ELSE -4 END AS q
                   FROM generate_series($7::int, $8::int - 1) AS k) g`,
        [companyId, slots, warehouses, '基准测试批量流水', costs.map((c) => c.cost), slots.length, a, Math.min(to, a + CHUNK)],
      );
    }
    const delta = `SELECT company_id, item_id, warehouse_id, batch_no, quality_status, sum(quantity) AS q, sum(amount) AS a
                     FROM stock_move WHERE id > $1::bigint GROUP BY 1, 2, 3, 4, 5`;
    await owner.query(
      `INSERT INTO stock_balance (id, company_id, item_id, warehouse_id, batch_no, quality_status, on_hand, last_moved_at)
       SELECT gen_random_uuid(), company_id, item_id, warehouse_id, batch_no, quality_status, q, now() FROM (${delta}) d
       ON CONFLICT (company_id, item_id, warehouse_id, batch_no, quality_status)
       DO UPDATE SET on_hand = stock_balance.on_hand + EXCLUDED.on_hand, last_moved_at = now()`, [before]);
    await owner.query(
      `INSERT INTO stock_level (id, company_id, item_id, warehouse_id, on_hand, updated_at)
       SELECT gen_random_uuid(), company_id, item_id, warehouse_id, q, now() FROM (${delta}) d WHERE quality_status = 'passed'
       ON CONFLICT (company_id, item_id, warehouse_id) DO UPDATE SET on_hand = stock_level.on_hand + EXCLUDED.on_hand, updated_at = now()`, [before]);
    await owner.query(
      `INSERT INTO item_stock (id, company_id, item_id, quantity, value, average_cost, last_moved_at, updated_at)
       SELECT gen_random_uuid(), company_id, item_id, sum(q), sum(a), round(sum(a) / nullif(sum(q), 0), 6), now(), now() FROM (${delta}) d GROUP BY 2, 3
       ON CONFLICT (company_id, item_id) DO UPDATE SET
         quantity = item_stock.quantity + EXCLUDED.quantity,
         value = item_stock.value + EXCLUDED.value,
         average_cost = CASE WHEN item_stock.quantity + EXCLUDED.quantity > 0
                             THEN round((item_stock.value + EXCLUDED.value) / (item_stock.quantity + EXCLUDED.quantity), 6)
                             ELSE item_stock.average_cost END,
         last_moved_at = now(), updated_at = now()`, [before]);
    await owner.query('COMMIT');
  } catch (e) {
    await owner.query('ROLLBACK');
    throw e;
  }
  await owner.query('ANALYZE stock_move, stock_balance, stock_level, item_stock');
}

/** Every balance equals the sum of its moves, every item total too (a full pass over the ledger). */
async function checkConsistent(owner: pg.Client): Promise<void> {
  const { rows: [r] } = await owner.query<{ balances: number; levels: number; items: number }>(`
    WITH m AS (SELECT company_id, item_id, warehouse_id, batch_no, quality_status, sum(quantity) AS q FROM stock_move GROUP BY 1, 2, 3, 4, 5)
    SELECT (SELECT count(*) FROM m FULL JOIN stock_balance b USING (company_id, item_id, warehouse_id, batch_no, quality_status)
             WHERE coalesce(m.q, 0) <> coalesce(b.on_hand, 0))::int AS balances,
           (SELECT count(*) FROM (SELECT company_id, item_id, warehouse_id, sum(q) AS q FROM m WHERE quality_status = 'passed' GROUP BY 1, 2, 3) p
              FULL JOIN stock_level l USING (company_id, item_id, warehouse_id) WHERE coalesce(p.q, 0) <> coalesce(l.on_hand, 0))::int AS levels,
           (SELECT count(*) FROM (SELECT company_id, item_id, sum(q) AS q FROM m GROUP BY 1, 2) t
              FULL JOIN item_stock s USING (company_id, item_id) WHERE coalesce(t.q, 0) <> coalesce(s.quantity, 0))::int AS items`);
  if (r!.balances || r!.levels || r!.items) throw new Error(`bot_stock_query: ledger and balances disagree ${JSON.stringify(r)}`);
}

export async function botStockQueryBench(env: BenchEnv): Promise<BenchResult> {
  const sys = env.database.system;
  const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
  const m8 = await sys.item.findFirstOrThrow({ where: { companyId: company.id, code: 'FG-BLT-M8X30' }, include: { baseUnit: true } });
  const items = await sys.item.findMany({ where: { companyId: company.id, NOT: { id: m8.id } }, select: { id: true }, orderBy: { code: 'asc' } });
  const slots = [...Array<string>(Math.ceil((items.length * M8_SHARE) / (1 - M8_SHARE))).fill(m8.id), ...items.map((i) => i.id)];
  const warehouses = await Promise.all(['WH01', 'WH02'].map(async (code) => (await sys.warehouse.findFirstOrThrow({ where: { companyId: company.id, code } })).id));
  await sys.companyPlatform.create({ data: { companyId: company.id, platform: 'wecom', orgKey: wecom.corpId } });

  // Something on order too, so the answer's 在订 comes from an open purchase order line.
  const buyer = { Authorization: `Bearer ${await env.token('wang.cg')}`, 'Content-Type': 'application/json' };
  const supplier = await sys.supplier.findFirstOrThrow({ where: { companyId: company.id }, orderBy: { code: 'asc' } });
  const po = await fetch(`${env.baseUrl}/api/v1/purchase-orders`, {
    method: 'POST', headers: buyer,
    body: JSON.stringify({ supplierId: supplier.id, lines: warehouses.map((w) => ({ itemId: m8.id, quantity: '5000', unitPrice: '0.03', warehouseId: w })) }),
  });
  const poBody = (await po.json()) as { id: string };
  const confirmed = await fetch(`${env.baseUrl}/api/v1/purchase-orders/${poBody.id}/confirm`, { method: 'POST', headers: buyer, body: '{}' });
  if (po.status !== 201 || confirmed.status !== 200) throw new Error(`bot_stock_query: purchase order ${po.status}/${confirmed.status}`);

  const fake = await startWecomFake({ corpId: wecom.corpId, secret: 'benchSecret', agentId: wecom.agentId });
  // The fake records each accepted message/send with sent.push: resolve the waiting sample there.
  let waiter: ((s: { at: number; m: Sent }) => void) | null = null;
  const push = fake.sent.push.bind(fake.sent);
  fake.sent.push = (...sent: Sent[]) => {
    const at = performance.now();
    const n = push(...sent);
    for (const m of sent) if (m.touser === 'wang.cg') waiter?.({ at, m });
    return n;
  };
  const server = await env.startApp({
    WECOM_CORP_ID: wecom.corpId, WECOM_SECRET: 'benchSecret', WECOM_AGENT_ID: String(wecom.agentId), WECOM_TOKEN: wecom.token,
    WECOM_ENCODING_AES_KEY: wecom.encodingAesKey, WECOM_BASE_URL: fake.url,
  });
  const owner = new pg.Client({ connectionString: env.ownerUrl });
  await owner.connect();

  let msgSeq = 7_000_000_000;
  /** one 库存 question; ms from the POST to the fake recording the answer */
  async function ask(expect: string[]): Promise<number> {
    const cb = wecomCallback(wecomTextXml({ corpId: wecom.corpId, from: 'wang.cg', content: '库存 M8螺栓', msgId: String(++msgSeq) }), wecom);
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<{ at: number; m: Sent }>((resolve, reject) => {
      waiter = resolve;
      timer = setTimeout(() => reject(new Error('bot_stock_query: no answer within 10 s')), 10_000);
    });
    const t0 = performance.now();
    const res = await fetch(`${server.baseUrl}/callbacks/wecom?${new URLSearchParams(cb.query)}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: cb.body });
    await res.text();
    if (res.status !== 200) throw new Error(`bot_stock_query: callback answered ${res.status}`);
    const { at, m } = await answered.finally(() => clearTimeout(timer));
    waiter = null;
    const text = JSON.stringify(m.body);
    if (!expect.every((e) => text.includes(e))) throw new Error(`bot_stock_query: answer lacks ${expect.join(' / ')}: ${text.slice(0, 300)}`);
    return at - t0;
  }

  async function measure(): Promise<{ p50: number; p99: number; max: number }> {
    const [lv] = await sys.$queryRaw<{ on_hand: string }[]>`SELECT coalesce(sum(on_hand), 0)::text AS on_hand FROM stock_level WHERE item_id = ${m8.id}::uuid`;
    // 在库合计 from the levels; 在订合计 = the two open purchase lines
    // Totals are shown in the sales unit with the base unit beside them: 「在库合计：4.896 箱（4,896 个）」.
    const expect = ['在库合计：', `${formatQuantity(lv!.on_hand, m8.baseUnit.name)}）`, '在订合计：', `${formatQuantity(10_000, m8.baseUnit.name)}）`];
    for (let i = 0; i < WARMUP; i++) await ask(expect);
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) times.push(await ask(expect));
    fake.sent.length = 0;
    times.sort((a, b) => a - b);
    return { p50: pct(times, 0.5), p99: pct(times, 0.99), max: times[times.length - 1]! };
  }

  try {
    const existing = await sys.stockMove.count();
    let added = 0;
    const grow = async (size: number) => {
      const t0 = Date.now();
      await appendMoves(owner, company.id, slots, warehouses, added, size - existing);
      added = size - existing;
      const n = await sys.stockMove.count();
      if (n !== size) throw new Error(`bot_stock_query: ledger holds ${n} moves, wanted ${size}`);
      return Date.now() - t0;
    };
    const loadSmall = await grow(SMALL);
    const small = await measure();
    const loadLarge = await grow(LARGE);
    const large = await measure();
    const t0 = Date.now();
    await checkConsistent(owner);
    const checkMs = Date.now() - t0;
    const ratio = large.p99 / small.p99;
    const m8Moves = await sys.stockMove.count({ where: { itemId: m8.id } });
    const [a, b] = [sizeLabel(SMALL), sizeLabel(LARGE)];
    const detail = `p50_${a}=${ms(small.p50)}ms p99_${a}=${ms(small.p99)}ms max_${a}=${ms(small.max)}ms p50_${b}=${ms(large.p50)}ms p99_${b}=${ms(large.p99)}ms max_${b}=${ms(large.max)}ms`
      + ` samples=${SAMPLES} warmup=${WARMUP} m8_moves=${m8Moves} load_${a}=${loadSmall}ms load_${b}=${loadLarge}ms check=${checkMs}ms`;
    return { name: 'bot_stock_query', value: large.p99, baseline: small.p99, unit: 'ms', ratio, goal: '<=1.5', pass: ratio <= 1.5, detail };
  } finally {
    await owner.end();
    await server.close();
    await fake.close();
  }
}
