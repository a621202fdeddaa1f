// 成本 routes: BOM 成本卷积 (模拟报价) with bom:read; 成本计算 (month-end actual costing) read with
// costClose:read and run with costClose:run (会计).
import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  BomCostRollup, BomCostRollupParams, BomCostRollupQuery, CostCloseCreate, CostCloseDetail, CostCloseListQuery, CostClosePage,
} from '../../../../shared/schemas/manufacturing.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { getCostClose, listCostCloses, runCostClose } from './close-service.ts';
import { bomCostRollup } from './rollup-service.ts';

export function costingRoutes(api: ApiRouter): void {
  api.route({
    method: 'get', path: '/boms/:itemId/cost-rollup', tag: '物料清单',
    summary: 'BOM 成本卷积（模拟报价）：按某日有效版本多层展开（含各层损耗、单位换算、虚拟件穿透），末级物料按标准成本 / 最新采购价 / 移动平均成本计价，合计到分',
    permission: 'bom:read',
    params: BomCostRollupParams, query: BomCostRollupQuery, response: BomCostRollup,
    handler: ({ ctx, params, query }) => bomCostRollup(ctx, params.itemId, query),
  });
  const tag = '成本计算';
  api.route({
    method: 'post', path: '/cost-closes', tag, permission: 'costClose:run', status: 201,
    summary: '月末成本计算：按本月领料（单据金额）+ 按工时或产量分配的人工与制造费用，算出各生产任务单的实际成本、完工单位成本与在产品；'
      + '未完工任务按数量在已入库与未入库之间分配；完工产品实际成本与暂估（标准成本）的差额，仍在库的调整库存价值，已发出的记入主营业务成本待财务过账。同一月份只能计算一次（409）',
    body: CostCloseCreate, response: CostCloseDetail,
    handler: ({ ctx, body }) => runCostClose(ctx, body),
  });
  api.route({
    method: 'get', path: '/cost-closes', tag, summary: '成本计算列表（分页，按期间倒序）', permission: 'costClose:read',
    query: CostCloseListQuery, response: CostClosePage,
    handler: ({ ctx, query }) => listCostCloses(ctx, query),
  });
  api.route({
    method: 'get', path: '/cost-closes/:id', tag, summary: '成本计算详情（每张生产任务单一行）', permission: 'costClose:read',
    params: IdParams, response: CostCloseDetail,
    handler: ({ ctx, params }) => getCostClose(ctx, params.id),
  });
}
