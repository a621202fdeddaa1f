// Our MRP run alone on the mrp_run bench's data, without the 35 s baseline: for profiling and for
// comparing changes quickly (`npx tsx bench/mrp-only.ts`; EXP_RUNS=n runs, default 5; EXP_HOLD=s keeps
// the database up s seconds afterwards and prints its URLs, for psql). Figures to report come from
// `npm run bench -- mrp_run`, which measures the baseline in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { seedDemoCompany } from '../prisma/seed.ts';
import { bootstrapDatabase, connectDatabase } from '../server/db/database.ts';
import { startEmbeddedPostgres } from '../server/db/embedded.ts';
import { todayInShanghai } from '../server/modules/finance/index.ts';
import { startMrpRun } from '../server/modules/manufacturing/mrp/service.ts';
import { loadActor } from '../server/platform/auth.ts';
import { generate } from './mrp-run.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yq-exp-'));
const embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), persistent: false });
const url = new URL(embedded.adminUrl);
const admin = new pg.Client({ connectionString: embedded.adminUrl });
await admin.connect();
await admin.query('CREATE DATABASE yq_bench');
await admin.end();
url.pathname = '/yq_bench';
await bootstrapDatabase(url.toString());
const database = connectDatabase(url.toString(), { poolSize: 20 });
try {
  await seedDemoCompany(database.system, { onlyIfEmpty: true, env: {} });
  const sys = database.system;
  const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
  const companyId = company.id;
  const boss = await sys.user.findFirstOrThrow({ where: { companyId, username: 'boss' } });
  const actor = await loadActor(sys, { userId: boss.id, companyId });
  const ctx = { db: database.app, actor };
  const unit = async (code: string) => (await sys.unit.findFirstOrThrow({ where: { companyId, code } })).id;
  const ids = {
    pcs: await unit('PCS'), kg: await unit('KG'),
    wh: (await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH02' } })).id,
    customer: (await sys.customer.findFirstOrThrow({ where: { companyId }, orderBy: { code: 'asc' } })).id,
    supplier: (await sys.supplier.findFirstOrThrow({ where: { companyId }, orderBy: { code: 'asc' } })).id,
    user: boss.id,
  };
  const owner = new pg.Client({ connectionString: url.toString() });
  await owner.connect();
  await generate(owner, companyId, todayInShanghai(), ids);
  await owner.query('DELETE FROM sales_forecast WHERE company_id = $1', [companyId]);
  await owner.query('VACUUM ANALYZE');
  await owner.query('CHECKPOINT');
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
    console.log('OWNER_URL', url.toString(), 'APP', database.appUrl);
    await new Promise((r) => setTimeout(r, Number(process.env.EXP_HOLD) * 1000));
  }
  await owner.end();
} finally {
  await database.close();
  await embedded.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
