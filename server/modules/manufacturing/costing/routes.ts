// 成本 routes: BOM 成本卷积 (模拟报价) with bom:read.
import { BomCostRollup, BomCostRollupParams, BomCostRollupQuery } from '../../../../shared/schemas/manufacturing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { bomCostRollup } from './rollup-service.ts';

export function costingRoutes(api: ApiRouter): void {
  api.route({
    method: 'get', path: '/boms/:itemId/cost-rollup', tag: '物料清单',
    summary: 'BOM 成本卷积（模拟报价）：按某日有效版本多层展开（含各层损耗、单位换算、虚拟件穿透），末级物料按标准成本 / 最新采购价 / 移动平均成本计价，合计到分',
    permission: 'bom:read',
    params: BomCostRollupParams, query: BomCostRollupQuery, response: BomCostRollup,
    handler: ({ ctx, params, query }) => bomCostRollup(ctx, params.itemId, query),
  });
}
