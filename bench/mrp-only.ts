// Our MRP run alone on the mrp_run bench's data, without the 35 s baseline: for profiling and for
// comparing changes quickly (`npx tsx bench/mrp-only.ts`; EXP_RUNS=n runs, default 5; EXP_HOLD=s keeps
// the database up s seconds afterwards and prints its URLs, for psql). Figures to report come from
// `npm run bench -- mrp_run`, which measures the baseline in the same run.
import pg from 'pg';
import { startMrpRun } from '../server/modules/manufacturing/mrp/service.ts';
import { startBenchDatabase } from './database.ts';
import { prepareMrpBench } from './mrp-run.ts';

const { url, database, stop } = await startBenchDatabase(20);
try {
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  try {
    const { ctx } = await prepareMrpBench(database, owner);
    const runs = Number(process.env.EXP_RUNS ?? 5);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = await startMrpRun(ctx);
      ms.push(performance.now() - t0);
      console.log(`run ${i}: ${(performance.now() - t0).toFixed(0)} ms ${r.state} ${r.purchaseCount}+${r.productionCount}`);
    }
    console.log('median', [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!.toFixed(0));
    if (process.env.EXP_HOLD) {
      console.log('OWNER_URL', url, 'APP', database.appUrl);
      await new Promise((r) => setTimeout(r, Number(process.env.EXP_HOLD) * 1000));
    }
  } finally {
    await owner.end();
  }
} finally {
  await stop();
}
