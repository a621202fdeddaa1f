// trial_balance: the product's 科目余额表 (getTrialBalance: opening, the period's debits and credits,
// closing, rolled up over the account tree; dimensions off) over a month of 1,000,000 voucher lines
// (100,000 balanced vouchers of 10 lines on the company's postable accounts), with another 100,000
// lines in the five months before it for the opening balances. Baseline, in the same run: one SQL
// SUM(debit), SUM(credit) … GROUP BY account over the month's lines. Both must give the same
// period totals, account by account (checked; the bench fails otherwise). ratio = our time /
// baseline time (medians of 5 after a warm-up); goal ≤ 2.
import pg from 'pg';
import { Decimal } from 'decimal.js';
import { getTrialBalance } from '../server/modules/finance/reports/service.ts';
import { loadActor } from '../server/platform/auth.ts';
import type { BenchEnv, BenchResult } from './run.ts';

const PERIOD = '2025-06';
const VOUCHERS = Number(process.env.BENCH_TB_VOUCHERS ?? 100_000);
const OPENING_VOUCHERS_PER_MONTH = VOUCHERS / 50;
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const say = (msg: string) => { if (process.env.BENCH_VERBOSE) console.error(`[trial_balance] ${msg}`); };

/** n balanced vouchers of 10 lines (5 debit/credit pairs) in a month, set-based. */
async function generate(owner: pg.Client, companyId: string, period: string, n: number) {
  await owner.query('BEGIN');
  await owner.query('SET LOCAL session_replication_role = replica');
  await owner.query(
    `INSERT INTO voucher (id, company_id, period, seq, number, voucher_date, summary, total_debit, total_credit)
     SELECT md5('tb' || $2 || g)::uuid, $1::uuid, $2, g, '记-' || lpad(g::text, 4, '0'), ($2 || '-' || lpad((1 + g % 28)::text, 2, '0'))::date,
            '基准凭证 ' || g, t.total, t.total
       FROM generate_series(1, $3::int) g,
            LATERAL (SELECT sum(1 + ((g * 31 + k * 17) % 100000) / 100.0) AS total FROM generate_series(0, 4) k) t`,
    [companyId, period, n],
  );
  await owner.query(
    `WITH acc AS (SELECT array_agg(id ORDER BY code) AS ids, count(*)::int AS n FROM account WHERE company_id = $1::uuid AND NOT has_children)
     INSERT INTO voucher_line (id, company_id, voucher_id, period, line_no, account_id, summary, debit, credit)
     SELECT gen_random_uuid(), $1::uuid, md5('tb' || $2 || g)::uuid, $2, k * 2 + side + 1,
            acc.ids[1 + (CASE WHEN side = 0 THEN g * 7 + k * 13 ELSE g * 11 + k * 5 + 3 END) % acc.n],
            '基准分录',
            CASE WHEN side = 0 THEN 1 + ((g * 31 + k * 17) % 100000) / 100.0 ELSE 0 END,
            CASE WHEN side = 1 THEN 1 + ((g * 31 + k * 17) % 100000) / 100.0 ELSE 0 END
       FROM acc, generate_series(1, $3::int) g, generate_series(0, 4) k, generate_series(0, 1) side`,
    [companyId, period, n],
  );
  await owner.query(
    `INSERT INTO accounting_period (id, company_id, period, last_voucher_no) VALUES (gen_random_uuid(), $1::uuid, $2, $3)
     ON CONFLICT (company_id, period) DO UPDATE SET last_voucher_no = EXCLUDED.last_voucher_no`,
    [companyId, period, n],
  );
  await owner.query('COMMIT');
}

export async function trialBalanceBench(env: BenchEnv): Promise<BenchResult> {
  const sys = env.database.system;
  const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
  const companyId = company.id;
  const boss = await sys.user.findFirstOrThrow({ where: { companyId, username: 'boss' } });
  const ctx = { db: env.database.app, actor: await loadActor(sys, { userId: boss.id, companyId }) };
  const owner = new pg.Client({ connectionString: env.ownerUrl });
  await owner.connect();
  try {
    let t0 = performance.now();
    for (const m of ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05']) await generate(owner, companyId, m, OPENING_VOUCHERS_PER_MONTH);
    await generate(owner, companyId, PERIOD, VOUCHERS);
    await owner.query('VACUUM ANALYZE voucher_line');
    await owner.query('VACUUM ANALYZE voucher');
    const { rows: [count] } = await owner.query<{ n: string }>(`SELECT count(*)::text AS n FROM voucher_line WHERE company_id = $1 AND period = $2`, [companyId, PERIOD]);
    say(`generated ${count!.n} lines in ${PERIOD} in ${(performance.now() - t0).toFixed(0)} ms`);

    const baseline = async () => {
      const t = performance.now();
      const { rows } = await owner.query<{ account_id: string; debit: string; credit: string }>(
        `SELECT account_id::text, SUM(debit)::text AS debit, SUM(credit)::text AS credit FROM voucher_line
          WHERE company_id = $1 AND period = $2 GROUP BY account_id`,
        [companyId, PERIOD],
      );
      return { rows, ms: performance.now() - t };
    };
    const ours = async () => {
      const t = performance.now();
      const tb = await getTrialBalance(ctx, { period: PERIOD });
      return { tb, ms: performance.now() - t };
    };

    // Warm-up of each (plans, caches), then alternate.
    const warmOurs = await ours();
    const warmBase = await baseline();
    const byAccount = new Map(warmBase.rows.map((r) => [r.account_id, r]));
    const sum = (k: 'debit' | 'credit') => warmBase.rows.reduce((s, r) => s.plus(r[k]), new Decimal(0)).toFixed(2);
    if (warmOurs.tb.totals.period.debit !== sum('debit') || warmOurs.tb.totals.period.credit !== sum('credit')) {
      throw new Error(`trial_balance: totals differ: ours ${JSON.stringify(warmOurs.tb.totals.period)}, baseline debit ${sum('debit')} credit ${sum('credit')}`);
    }
    for (const r of warmOurs.tb.rows.filter((x) => x.postable)) {
      const b = byAccount.get(r.accountId);
      const bd = new Decimal(b?.debit ?? 0).toFixed(2);
      const bc = new Decimal(b?.credit ?? 0).toFixed(2);
      if (r.period.debit !== bd || r.period.credit !== bc) throw new Error(`trial_balance: account ${r.code} differs: ours ${r.period.debit}/${r.period.credit}, baseline ${bd}/${bc}`);
    }
    if (!warmOurs.tb.balanced) throw new Error('trial_balance: ours does not balance');

    const o: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      b.push((await baseline()).ms);
      o.push((await ours()).ms);
      say(`run ${i + 1}: ours ${o[i]!.toFixed(0)} ms, baseline ${b[i]!.toFixed(0)} ms`);
    }
    const value = median(o);
    const base = median(b);
    const ratio = value / base;
    return {
      name: 'trial_balance', value, baseline: base, unit: 'ms', ratio, goal: '<=2', pass: ratio <= 2,
      detail: `lines=${count!.n} opening_lines=${5 * OPENING_VOUCHERS_PER_MONTH * 10} accounts=${warmBase.rows.length} period_debit=${warmOurs.tb.totals.period.debit} identical=true`,
    };
  } finally {
    await owner.end();
  }
}
