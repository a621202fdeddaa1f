// 生产制造: 物料清单 (BOM: versions by effective date, multi-level explosion, where-used), and the
// MRP engine beside it. Other modules and the bot use manufacturing through this file.
import { onStockChange } from '../inventory/index.ts';
import { recheckProductionShortages } from './kitting/shortage.ts';

export { bomRoutes } from './bom/routes.ts';
export { componentQuantity, cycleThrough, explode, versionOn, whereUsed } from './bom/rules.ts';
export type { ExplosionNode, ExplosionSource, ExplosionVersion } from './bom/rules.ts';
export { costingRoutes } from './costing/routes.ts';
export { forecastRoutes } from './forecast/routes.ts';
export { kittingRoutes } from './kitting/routes.ts';
export { kittingFor, kittingForProductionTaskNumbers, kittingForSalesOrder } from './kitting/service.ts';
export { mrpRoutes } from './mrp/routes.ts';
export { noBomNote, releaseRunSuggestions } from './mrp/service.ts';
export { productionTaskRoutes } from './production/routes.ts';
export { workReportRoutes } from './work-reports/routes.ts';
export { reportedHoursByTask } from './work-reports/service.ts';

// 足缺料: a stock move or reservation of a material an open task needs re-checks the tasks in its
// transaction. A production task's own moves are re-checked by its use case once its materials are
// booked (checked in the middle, a kit issue would look like its own shortage).
onStockChange(async (tx, { companyId, itemIds, source }) => {
  if (source?.type === 'productionTask') return;
  await recheckProductionShortages(tx, companyId, itemIds);
});
export { productionPosting } from './production/voucher.ts';
export { costClosePosting } from './costing/voucher.ts';
