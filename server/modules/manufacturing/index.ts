// 生产制造: 物料清单 (BOM: versions by effective date, multi-level explosion, where-used), and the
// MRP engine beside it. Other modules and the bot use manufacturing through this file.
export { bomRoutes } from './bom/routes.ts';
export { componentQuantity, cycleThrough, explode, versionOn, whereUsed } from './bom/rules.ts';
export type { ExplosionNode, ExplosionSource, ExplosionVersion } from './bom/rules.ts';
export { costingRoutes } from './costing/routes.ts';
export { kittingRoutes } from './kitting/routes.ts';
export { kittingFor, kittingForSalesOrder } from './kitting/service.ts';
export { mrpRoutes } from './mrp/routes.ts';
export { releaseRunSuggestions } from './mrp/service.ts';
export { productionTaskRoutes } from './production/routes.ts';
export { workReportRoutes } from './work-reports/routes.ts';
export { reportedHoursByTask } from './work-reports/service.ts';
