// 生产制造: 物料清单（BOM）— versions with effective dates, lines in any unit of the component,
// multi-level explosion and where-used.
import { BooleanQuery, DateOnly, decimalString, Id, OptionalText, pageOf, pageQuery, Quantity, ScrapRate, Timestamp, Version, z } from './common.ts';
import { CodeRef } from './inventory.ts';
import { ItemRef } from './purchasing.ts';
import { BOM_ISSUE_METHODS, COST_ALLOCATION_BASES, COST_BASES, PRODUCTION_TASK_STATES } from '../enums.ts';

export {
  BOM_ISSUE_METHOD_LABELS, BOM_ISSUE_METHODS, COST_ALLOCATION_BASIS_LABELS, COST_BASIS_LABELS, KITTING_ARRIVAL_LABELS,
  MRP_DEMAND_KIND_LABELS, MRP_RUN_STATE_LABELS, MRP_SUGGESTION_KIND_LABELS, MRP_SUGGESTION_STATE_LABELS, PRODUCTION_TASK_STATE_LABELS,
} from '../enums.ts';
export type { BomIssueMethod, CostAllocationBasis, CostBasis } from '../enums.ts';

/** 用量: > 0, up to 6 decimals (a carton per piece is 0.001). */
const QuantityPer = () => decimalString({ scale: 6, min: 0 }).refine((v) => Number(v) > 0, { message: '用量必须大于 0' });
const IssueMethod = z.enum(BOM_ISSUE_METHODS, { message: `发料方式只能是 ${BOM_ISSUE_METHODS.join(', ')}` });

export const BomLineInput = z.object({
  componentItemId: Id.openapi({ description: '子件物料' }),
  unitId: Id.nullish().openapi({ description: '用量的计量单位：子件的基本单位或其换算单位之一；默认基本单位' }),
  quantity: QuantityPer().openapi({ description: '用量：每「母件基数」个母件需要的子件数量（该计量单位）', example: '5.2' }),
  scrapRate: ScrapRate().nullish().openapi({ description: '损耗率（0 ≤ s < 1），空 = 用子件物料的损耗率' }),
  issueMethod: IssueMethod.default('kit').openapi({ description: 'kit 配套领料，backflush 倒冲' }),
  operation: OptionalText(50).openapi({ description: '工序' }),
  phantom: z.boolean({ message: '必须是 true 或 false' }).default(false).openapi({ description: '虚拟件（跳层）' }),
  remark: OptionalText(200),
});
export type BomLineInput = z.input<typeof BomLineInput>;

const Lines = z.array(BomLineInput).min(1, '至少一行明细').max(500, '明细最多 500 行');
const BatchQuantity = Quantity().refine((v) => Number(v) > 0, { message: '母件基数必须大于 0' });
const versionFields = {
  validFrom: DateOnly.openapi({ description: '生效日期' }),
  validTo: DateOnly.nullish().openapi({ description: '失效日期（含）；空 = 长期有效' }),
  batchQuantity: BatchQuantity.openapi({ description: '母件基数：明细用量对应的母件数量（母件基本单位），如 1000 表示千件用量', example: '1000' }),
  remark: OptionalText(500),
};
const validRange = (v: { validFrom?: string; validTo?: string | null }) => !v.validFrom || !v.validTo || v.validTo >= v.validFrom;
const rangeMessage = { message: '失效日期不能早于生效日期', path: ['validTo'] };

export const BomVersionCreate = z
  .object({ ...versionFields, batchQuantity: versionFields.batchQuantity.default('1'), lines: Lines })
  .refine(validRange, rangeMessage)
  .openapi('BomVersionCreate');
export type BomVersionCreate = z.output<typeof BomVersionCreate>;

export const BomCreate = z
  .object({
    parentItemId: Id.openapi({ description: '母件物料（每个母件一份 BOM）' }),
    code: z.string().trim().min(1, '编码不能为空').max(32, '编码最长 32 个字符').nullish(),
    ...versionFields,
    remark: OptionalText(500).openapi({ description: 'BOM 备注' }),
    validFrom: versionFields.validFrom.optional().openapi({ description: '第一个版本的生效日期；默认今天' }),
    batchQuantity: versionFields.batchQuantity.default('1'),
    lines: Lines,
  })
  .refine(validRange, rangeMessage)
  .openapi('BomCreate', { description: '新建 BOM 及其第一个版本（V1）' });
export type BomCreate = z.output<typeof BomCreate>;

export const BomVersionUpdate = z
  .object({ ...versionFields, lines: Lines })
  .partial()
  .extend({ version: Version })
  .refine(validRange, rangeMessage)
  .openapi('BomVersionUpdate', { description: '只需提交要修改的字段；lines 提交时整体替换；需提交该版本的 version' });
export type BomVersionUpdate = z.output<typeof BomVersionUpdate>;

export const BomVersionParams = z.object({ id: Id, versionId: Id });

const UnitRef = CodeRef;
export const BomItemRef = ItemRef.extend({ baseUnit: UnitRef, sourcing: z.string(), sourcingLabel: z.string() });

export const BomLine = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  component: BomItemRef,
  unit: UnitRef,
  quantity: z.string(),
  factor: z.string(),
  baseQuantity: z.string().openapi({ description: '用量 × 换算率（子件基本单位）' }),
  scrapRate: z.string().nullable().openapi({ description: '行上的损耗率；空 = 用子件的' }),
  effectiveScrapRate: z.string().openapi({ description: '实际使用的损耗率' }),
  issueMethod: IssueMethod,
  issueMethodLabel: z.string(),
  operation: z.string().nullable(),
  phantom: z.boolean(),
  remark: z.string().nullable(),
});

export const BomVersion = z.object({
  id: z.string(),
  versionNo: z.number().int(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  batchQuantity: z.string(),
  remark: z.string().nullable(),
  lines: z.array(BomLine),
  updatedAt: Timestamp,
  version: z.number(),
});
export type BomVersion = z.output<typeof BomVersion>;

export const Bom = z
  .object({
    id: z.string(),
    code: z.string().nullable(),
    parent: BomItemRef,
    remark: z.string().nullable(),
    currentVersionNo: z.number().int().nullable().openapi({ description: '今天有效的版本号' }),
    versions: z.array(BomVersion),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Bom');
export type Bom = z.output<typeof Bom>;

export const BomSummary = z
  .object({
    id: z.string(),
    code: z.string().nullable(),
    parent: BomItemRef,
    remark: z.string().nullable(),
    versionCount: z.number().int(),
    currentVersionNo: z.number().int().nullable().openapi({ description: '今天（北京时间）有效的版本号；空 = 今天没有有效版本' }),
    currentValidFrom: z.string().nullable().openapi({ description: '今天有效版本的生效日期' }),
    currentLineCount: z.number().int().openapi({ description: '今天有效版本的明细行数；没有有效版本为 0' }),
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('BomSummary');
export type BomSummary = z.output<typeof BomSummary>;

/** q: the parent's code or name, or the BOM's code */
export const BomListQuery = pageQuery(['code', 'updatedAt']);
export type BomListQuery = z.output<typeof BomListQuery>;
export const BomPage = pageOf(BomSummary).openapi('BomPage');

export const BomExplodeQuery = z.object({
  itemId: Id.openapi({ description: '母件物料' }),
  quantity: Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' }).default('1').openapi({ description: '母件数量（基本单位）' }),
  date: DateOnly.optional().openapi({ description: '按该日期有效的版本展开；默认今天' }),
});
export type BomExplodeQuery = z.output<typeof BomExplodeQuery>;

export interface BomExplosionNode {
  item: z.output<typeof BomItemRef>;
  level: number;
  quantity: string;
  versionNo: number | null;
  bomId: string | null;
  lineId: string | null;
  quantityPer: string | null;
  unit: z.output<typeof UnitRef> | null;
  batchQuantity: string | null;
  scrapRate: string | null;
  issueMethod: 'kit' | 'backflush' | null;
  operation: string | null;
  phantom: boolean;
  children: BomExplosionNode[];
}
export const BomExplosionNode: z.ZodType<BomExplosionNode> = z.lazy(() =>
  z.object({
    item: BomItemRef,
    level: z.number().int(),
    quantity: z.string().openapi({ description: '展开数量（基本单位，含损耗，按单位精度向上取整）' }),
    versionNo: z.number().int().nullable().openapi({ description: '该物料自身展开所用的 BOM 版本；空 = 末级' }),
    bomId: z.string().nullable().openapi({ description: 'versionNo 所属的 BOM；空 = 末级' }),
    // the parent's BOM line this node comes from (null on the root), so a client needs no BOM of its own to show 用量
    lineId: z.string().nullable().openapi({ description: '上级 BOM 的明细行；根为空' }),
    quantityPer: z.string().nullable().openapi({ description: '用量（明细行录入的数量与单位）：每「母件基数」个上级需要的数量；根为空', example: '0.013000' }),
    unit: UnitRef.nullable().openapi({ description: '用量的计量单位；根为空' }),
    batchQuantity: z.string().nullable().openapi({ description: '上级所用版本的母件基数（上级基本单位）；根为空', example: '1000.0000' }),
    scrapRate: z.string().nullable(),
    issueMethod: IssueMethod.nullable(),
    operation: z.string().nullable(),
    phantom: z.boolean(),
    children: z.array(BomExplosionNode),
  }),
).openapi('BomExplosionNode');
export const BomExplosion = z
  .object({
    date: z.string(),
    quantity: z.string(),
    root: BomExplosionNode,
    totals: z.array(z.object({ item: BomItemRef, quantity: z.string() })).openapi({ description: '各物料合计（共用件汇总，不含根）' }),
  })
  .openapi('BomExplosion');
export type BomExplosion = z.output<typeof BomExplosion>;

export const BomWhereUsedQuery = z.object({
  itemId: Id.openapi({ description: '被查询的物料（子件）' }),
  date: DateOnly.optional().openapi({ description: '只看该日期有效的版本；默认全部版本' }),
});
export type BomWhereUsedQuery = z.output<typeof BomWhereUsedQuery>;
export const BomWhereUsed = z
  .object({
    item: BomItemRef,
    usages: z.array(z.object({
      level: z.number().int().openapi({ description: '1 = 直接上级，2 = 上级的上级…' }),
      parent: BomItemRef,
      component: BomItemRef,
      bomId: z.string(),
      versionNo: z.number().int(),
      quantity: z.string(),
      unit: UnitRef,
      phantom: z.boolean(),
    })),
  })
  .openapi('BomWhereUsed');
export type BomWhereUsed = z.output<typeof BomWhereUsed>;

// ---------------------------------------------------------------- BOM 成本卷积（模拟报价）

export const BomCostRollupParams = z.object({ itemId: Id.openapi({ description: '母件物料' }) });
export const BomCostRollupQuery = z.object({
  basis: z.enum(COST_BASES, { message: `计价口径只能是 ${COST_BASES.join(', ')}` }).default('standard')
    .openapi({ description: 'standard 标准成本，latestPurchase 最新采购价（采购订单），movingAverage 库存移动平均成本；没有该价格的末级物料按标准成本并注明' }),
  quantity: Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' }).default('1').openapi({ description: '母件数量（基本单位）' }),
  date: DateOnly.optional().openapi({ description: '按该日期有效的 BOM 版本；默认今天' }),
});
export type BomCostRollupQuery = z.output<typeof BomCostRollupQuery>;

export interface BomCostNode {
  item: z.output<typeof BomItemRef>;
  level: number;
  quantity: string;
  unitPrice: string;
  source: 'standard' | 'latestPurchase' | 'movingAverage' | 'standardFallback' | null;
  sourceLabel: string;
  amount: string;
  phantom: boolean;
  children: BomCostNode[];
}
export const BomCostNode: z.ZodType<BomCostNode> = z.lazy(() =>
  z.object({
    item: BomItemRef,
    level: z.number().int(),
    quantity: z.string().openapi({ description: '展开数量（基本单位，含各层损耗，不逐层取整），6 位小数' }),
    unitPrice: z.string().openapi({ description: '单价（基本单位）：末级为所取价格，上级为金额 ÷ 数量；6 位小数' }),
    source: z.enum([...COST_BASES, 'standardFallback']).nullable().openapi({ description: '价格来源；standardFallback = 该口径无价格，按标准成本；上级为空（由子件汇总）' }),
    sourceLabel: z.string(),
    amount: z.string().openapi({ description: '金额 = 数量 × 单价（上级为子件合计），6 位小数，只在合计时取到分' }),
    phantom: z.boolean(),
    children: z.array(BomCostNode),
  }),
).openapi('BomCostNode');
export const BomCostRollup = z
  .object({
    date: z.string(),
    basis: z.enum(COST_BASES),
    basisLabel: z.string(),
    quantity: z.string(),
    root: BomCostNode,
    total: z.string().openapi({ description: '材料成本合计（元，到分）' }),
    unitCost: z.string().openapi({ description: '单位材料成本（元/基本单位，6 位小数）' }),
    fallbacks: z.number().int().openapi({ description: '按标准成本代替的末级物料行数' }),
  })
  .openapi('BomCostRollup', { description: 'BOM 成本卷积：材料成本（物料没有人工/制造费用定额，不含人工和制造费用）' });
export type BomCostRollup = z.output<typeof BomCostRollup>;

// ---------------------------------------------------------------- 成本计算（月末实际成本）

/** YYYY-MM, a real month */
const Period = z.string({ message: '会计期间必须是文本' }).trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '会计期间格式应为 YYYY-MM（如 2026-12）');
const PoolAmount = () => decimalString({ scale: 2, min: 0 });

export const CostCloseCreate = z
  .object({
    period: Period.openapi({ description: '会计期间（月），如 2026-12；不能晚于本月', example: '2026-12' }),
    labourPool: PoolAmount().openapi({ description: '本月直接人工（元）', example: '4000' }),
    overheadPool: PoolAmount().openapi({ description: '本月制造费用（元）', example: '2000' }),
    basis: z.enum(COST_ALLOCATION_BASES, { message: `分配标准只能是 ${COST_ALLOCATION_BASES.join(', ')}` })
      .openapi({ description: 'hours 按本月报工工时，output 按本月完工入库数量' }),
  })
  .openapi('CostCloseCreate');
export type CostCloseCreate = z.output<typeof CostCloseCreate>;

export const CostCloseListQuery = pageQuery(['period']);
export type CostCloseListQuery = z.output<typeof CostCloseListQuery>;

export const CostCloseLine = z.object({
  lineNo: z.number().int(),
  task: z.object({ id: z.string(), number: z.string() }),
  item: BomItemRef,
  openingWip: z.string().openapi({ description: '期初在产品（上次成本计算留下的）' }),
  material: z.string().openapi({ description: '本月直接材料：领料单据金额，加上所耗本月自制半成品的实际成本差额（逐步综合结转）' }),
  hours: z.string(),
  labour: z.string(),
  overhead: z.string(),
  actualTotal: z.string().openapi({ description: '本月实际成本合计 = 期初在产品 + 材料 + 人工 + 制造费用' }),
  receivedQuantity: z.string().openapi({ description: '本月完工入库数量' }),
  unreceivedQuantity: z.string().openapi({ description: '月末未入库数量（已完工或已关闭为 0）' }),
  unitCost: z.string().openapi({ description: '完工单位成本 = 实际成本 ÷ (入库 + 未入库)' }),
  completedValue: z.string().openapi({ description: '本月完工产品实际成本' }),
  provisionalValue: z.string().openapi({ description: '本月完工入库的暂估（标准成本）金额' }),
  wip: z.string().openapi({ description: '月末在产品 = 实际成本 − 完工产品成本' }),
  revaluation: z.string().openapi({ description: '差额 = 完工产品实际成本 − 暂估金额' }),
  toStock: z.string().openapi({ description: '差额中调整到仍在库存货的部分（已记成本调整流水）' }),
  toCostOfSales: z.string().openapi({ description: '差额中已发出部分，记入主营业务成本（待财务过账）' }),
});
export const CostClose = z
  .object({
    id: z.string(),
    period: z.string(),
    state: z.string(),
    stateLabel: z.string(),
    labourPool: z.string(),
    overheadPool: z.string(),
    basis: z.enum(COST_ALLOCATION_BASES),
    basisLabel: z.string(),
    taskCount: z.number().int(),
    materialTotal: z.string(),
    actualTotal: z.string(),
    completedTotal: z.string(),
    provisionalTotal: z.string(),
    wipTotal: z.string(),
    revaluationToStock: z.string(),
    revaluationToCostOfSales: z.string(),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi('CostClose');
export type CostClose = z.output<typeof CostClose>;
export const CostCloseDetail = CostClose.extend({ lines: z.array(CostCloseLine) }).openapi('CostCloseDetail', {
  description: '成本计算：每张有本月领料、入库或报工的生产任务单一行。在产品规则：月末已完工（或已关闭）的任务，全部成本为本月完工产品成本；'
    + '未完工的任务按数量在已入库与未入库之间分配（未入库按完整一件计），完工产品成本 = 实际成本 × 入库 ÷ (入库 + 未入库)，在产品 = 实际成本 − 完工产品成本。'
    + '完工产品实际成本与暂估的差额，按移动加权平均重演该物料此后的出入库，仍在库的部分调整库存价值（成本调整流水），已发出的部分记入主营业务成本，待财务过账。',
});
export type CostCloseDetail = z.output<typeof CostCloseDetail>;
export const CostClosePage = pageOf(CostClose).openapi('CostClosePage');

// ---------------------------------------------------------------- 齐套分析

export const KittingQuery = z.object({
  itemId: Id.openapi({ description: '要生产的物料（有 BOM 的母件）' }),
  quantity: Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' }).openapi({ description: '生产数量（母件基本单位）', example: '1000' }),
  date: DateOnly.optional().openapi({ description: '按该日期有效的 BOM 版本展开；默认今天' }),
});
export type KittingQuery = z.output<typeof KittingQuery>;

export const KittingArrivalStatus = z.enum(['covered', 'arrives', 'undated', 'insufficient', 'none']);

export const KittingComponent = z
  .object({
    item: BomItemRef,
    need: z.string().openapi({ description: '需求量（基本单位，含损耗，各层向上取整）' }),
    free: z.string().openapi({ description: '可用库存 = 合格在库 − 预留（各仓库合计；待检、不合格不算）' }),
    short: z.string().openapi({ description: '缺口 = 需求 − 可用（不小于 0）' }),
    kitable: z.string().openapi({ description: '只看这个物料时可齐套的母件数量' }),
    limiting: z.boolean().openapi({ description: '是瓶颈物料（决定了可齐套数量）' }),
    arrival: z.object({
      status: KittingArrivalStatus,
      statusLabel: z.string(),
      date: z.string().nullable().openapi({ description: '累计在途补齐缺口的承诺交期' }),
      label: z.string().openapi({ description: '「2026-12-20 到货」「无在途」「在途不足，仍缺 340」' }),
      supply: z.array(z.object({ number: z.string().openapi({ description: '采购订单号' }), promisedDate: z.string().nullable(), quantity: z.string() }))
        .openapi({ description: '计入的在途（已审核采购订单未入库部分），按交期先后，到补齐为止' }),
    }),
  })
  .openapi('KittingComponent');

export const Kitting = z
  .object({
    date: z.string().openapi({ description: 'BOM 版本日期' }),
    item: BomItemRef,
    versionNo: z.number().int(),
    quantity: z.string().openapi({ description: '要生产的数量' }),
    kitable: z.string().openapi({ description: '现在可齐套（可生产）的数量，按母件单位精度向下取整' }),
    complete: z.boolean().openapi({ description: '全部可齐套' }),
    readyDate: z.string().nullable().openapi({ description: '全部缺口都由带交期的在途补齐的日期；空 = 已齐套或有缺口补不齐' }),
    limiting: z.array(BomItemRef).openapi({ description: '瓶颈物料' }),
    fromStock: z.array(z.object({ item: BomItemRef, quantity: z.string() })).openapi({ description: '先用的半成品库存（可用部分；它的下层物料只算余下要做的数量）' }),
    components: z.array(KittingComponent).openapi({ description: '末级物料（虚拟件穿透；有 BOM 的半成品先用自身的可用库存，余下的展开到末级），瓶颈在前，再按缺口' }),
  })
  .openapi('Kitting');
export type Kitting = z.output<typeof Kitting>;

export const SalesOrderKitting = z
  .object({
    order: z.object({ id: z.string(), number: z.string(), state: z.string(), stateLabel: z.string(), customer: z.object({ id: z.string(), name: z.string() }) }),
    date: z.string(),
    lines: z.array(z.object({
      lineId: z.string(),
      lineNo: z.number().int(),
      item: BomItemRef,
      openQuantity: z.string().openapi({ description: '待生产 = 订单数量 − 已发 − 预留（基本单位）' }),
      kitting: Kitting.nullable().openapi({ description: '空 = 不需要齐套（外购、已发或已预留完、无有效 BOM，见 note）' }),
      note: z.string().nullable(),
    })).openapi({ description: '各行按行号先后共用库存与在途：前面的行用掉的，后面的行不再算' }),
  })
  .openapi('SalesOrderKitting');
export type SalesOrderKitting = z.output<typeof SalesOrderKitting>;

export const SalesOrderKittingQuery = z.object({
  date: DateOnly.optional().openapi({ description: '按该日期有效的 BOM 版本展开；默认今天' }),
});
export type SalesOrderKittingQuery = z.output<typeof SalesOrderKittingQuery>;

// ---------------------------------------------------------------- 物料需求计划 (MRP)

const MrpRunStateEnum = z.enum(['running', 'completed', 'failed']);
const MrpKindEnum = z.enum(['purchase', 'production'], { message: '类型只能是 purchase, production' });
const MrpStateEnum = z.enum(['suggested', 'firmed', 'released'], { message: '状态只能是 suggested, firmed, released' });

export const MrpRun = z
  .object({
    id: z.string(),
    state: MrpRunStateEnum,
    stateLabel: z.string(),
    startedBy: z.object({ id: z.string(), name: z.string() }),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    progress: z.number().int().openapi({ description: '0–100' }),
    stage: z.string().openapi({ description: '当前步骤' }),
    purchaseCount: z.number().int(),
    productionCount: z.number().int(),
    pastDueCount: z.number().int(),
    purchaseAmount: z.string().openapi({ description: '采购建议金额（最近采购价，无则标准成本）' }),
    error: z.string().nullable(),
  })
  .openapi('MrpRun');
export type MrpRun = z.output<typeof MrpRun>;
export const MrpRunListQuery = pageQuery(['startedAt']);
export type MrpRunListQuery = z.output<typeof MrpRunListQuery>;
export const MrpRunPage = pageOf(MrpRun).openapi('MrpRunPage');

export const MrpPeggingRow = z.object({
  demandKind: z.string().openapi({ description: 'salesOrder | forecast | productionMaterial | suggestion | safetyStock' }),
  ref: z.string().nullable().openapi({ description: '如 SO-2026-0012/2' }),
  parentSuggestionId: z.string().nullable(),
  quantity: z.string(),
});
export const MrpSuggestion = z
  .object({
    id: z.string(),
    runId: z.string(),
    item: BomItemRef,
    kind: MrpKindEnum,
    kindLabel: z.string(),
    quantity: z.string(),
    orderDate: z.string(),
    dueDate: z.string(),
    pastDue: z.boolean(),
    bomVersionId: z.string().nullable(),
    state: MrpStateEnum,
    stateLabel: z.string(),
    released: z.object({ type: z.string(), id: z.string(), number: z.string() }).nullable(),
    pegging: z.array(MrpPeggingRow),
    orders: z.array(z.string()).openapi({ description: '该建议最终服务的销售订单号（经上级建议追溯）' }),
    version: z.number(),
  })
  .openapi('MrpSuggestion');
export type MrpSuggestion = z.output<typeof MrpSuggestion>;
export const MrpSuggestionListQuery = pageQuery(['dueDate', 'orderDate']).extend({
  runId: Id.optional().openapi({ description: '只看某次计算产生的建议' }),
  kind: MrpKindEnum.optional(),
  state: MrpStateEnum.optional(),
  pastDue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export type MrpSuggestionListQuery = z.output<typeof MrpSuggestionListQuery>;
export const MrpSuggestionPage = pageOf(MrpSuggestion).openapi('MrpSuggestionPage');
export const MrpSuggestionUpdate = z
  .object({
    quantity: Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' }).optional(),
    dueDate: DateOnly.optional(),
    version: Version,
  })
  .openapi('MrpSuggestionUpdate');
export type MrpSuggestionUpdate = z.output<typeof MrpSuggestionUpdate>;
export const MrpSuggestionIds = z
  .object({ ids: z.array(Id).min(1, '至少选择一条建议').max(200, '一次最多 200 条建议') })
  .openapi('MrpSuggestionIds');
export type MrpSuggestionIds = z.output<typeof MrpSuggestionIds>;
export const MrpFirmResult = z.object({ firmed: z.number().int() }).openapi('MrpFirmResult');
export const MrpReleaseResult = z
  .object({
    released: z.number().int(),
    requisition: z.object({ id: z.string(), number: z.string() }).nullable().openapi({ description: '采购建议合并生成的请购单（没有采购建议时为 null）' }),
    productionTasks: z.array(z.object({ id: z.string(), number: z.string() })).openapi({ description: '生产建议各生成的生产任务单' }),
  })
  .openapi('MrpReleaseResult');
export type MrpReleaseResult = z.output<typeof MrpReleaseResult>;

// ---------------------------------------------------------------- 生产任务单

const ProductionTaskStateEnum = z.enum(PRODUCTION_TASK_STATES, { message: `状态只能是 ${PRODUCTION_TASK_STATES.join(', ')}` });
const PositiveQuantity = () => Quantity().refine((v) => Number(v) > 0, { message: '必须大于 0' });

export const ProductionTaskCreate = z
  .object({
    itemId: Id,
    quantity: PositiveQuantity().openapi({ description: '生产数量（基本单位）' }),
    materialWarehouseId: Id.openapi({ description: '领料仓库' }),
    warehouseId: Id.openapi({ description: '完工入库仓库' }),
    plannedStart: DateOnly,
    plannedFinish: DateOnly,
    salesOrderLineId: Id.optional().openapi({ description: '以销定产：来源销售订单行' }),
    remark: OptionalText(500),
  })
  .refine((v) => v.plannedFinish >= v.plannedStart, { message: '计划完工日期不能早于计划开工日期', path: ['plannedFinish'] })
  .openapi('ProductionTaskCreate');
export type ProductionTaskCreate = z.output<typeof ProductionTaskCreate>;

export const ProductionTaskListQuery = pageQuery(['number', 'plannedStart']).extend({
  state: ProductionTaskStateEnum.optional(),
});
export type ProductionTaskListQuery = z.output<typeof ProductionTaskListQuery>;

/** 配套领料: the finished-goods quantity whose kit materials are issued; none = the kit-able quantity. */
export const ProductionTaskIssue = z
  .object({
    quantity: PositiveQuantity().optional().openapi({
      description: '配套数量（成品基本单位）；不填 = 按领料仓库的可用库存现在能配齐的套数（可齐套数量）领料，一套也配不齐则拒绝并说明瓶颈物料',
    }),
  })
  .openapi('ProductionTaskIssue');
export type ProductionTaskIssue = z.output<typeof ProductionTaskIssue>;

/** 完工入库 (partial allowed); backflush materials are issued with it. */
export const ProductionTaskReceipt = z
  .object({ quantity: PositiveQuantity().openapi({ description: '入库数量（成品基本单位）' }) })
  .openapi('ProductionTaskReceipt');
export type ProductionTaskReceipt = z.output<typeof ProductionTaskReceipt>;

export const ProductionTaskMaterial = z.object({
  lineNo: z.number().int(),
  item: BomItemRef,
  requiredQuantity: z.string(),
  issuedQuantity: z.string(),
  issuedAmount: z.string(),
  issueMethod: z.enum(BOM_ISSUE_METHODS),
  issueMethodLabel: z.string(),
  operation: z.string().nullable(),
});
export const ProductionTaskEvent = z.object({ at: Timestamp, action: z.string(), user: z.string().nullable(), detail: z.unknown() });
export const ProductionTask = z
  .object({
    id: z.string(),
    number: z.string(),
    item: BomItemRef,
    bomVersionId: z.string().nullable(),
    quantity: z.string(),
    materialWarehouse: CodeRef,
    warehouse: CodeRef,
    plannedStart: z.string(),
    plannedFinish: z.string(),
    state: ProductionTaskStateEnum,
    stateLabel: z.string(),
    sourceKind: z.string(),
    salesOrderLineId: z.string().nullable(),
    mrpSuggestionId: z.string().nullable(),
    kittedQuantity: z.string(),
    receivedQuantity: z.string(),
    issuedAmount: z.string(),
    receivedAmount: z.string(),
    remark: z.string().nullable(),
    version: z.number(),
  })
  .openapi('ProductionTask');
export type ProductionTask = z.output<typeof ProductionTask>;
export const ProductionTaskDetail = ProductionTask.extend({
  reportedGoodQuantity: z.string().openapi({ description: '报工良品数量合计' }),
  reportedScrapQuantity: z.string().openapi({ description: '报工报废数量合计' }),
  reportedHours: z.string().openapi({ description: '报工工时合计' }),
  kitableQuantity: z.string().nullable().openapi({
    description: '可齐套数量：领料仓库的可用库存（合格在库 − 预留）现在能配齐的套数，即不填数量的配套领料会领的套数；已下达或生产中且未配套完时才有',
  }),
  materials: z.array(ProductionTaskMaterial),
  timeline: z.array(ProductionTaskEvent),
}).openapi('ProductionTaskDetail');
export type ProductionTaskDetail = z.output<typeof ProductionTaskDetail>;
export const ProductionTaskPage = pageOf(ProductionTask).openapi('ProductionTaskPage');

/** 以销定产: one task per sales order line, for its open quantity not covered by reserved stock. */
export const ProductionTaskFromSalesOrders = z
  .object({
    salesOrderLineIds: z.array(Id).min(1, '至少选择一行').max(100, '一次最多 100 行'),
    materialWarehouseId: Id.openapi({ description: '领料仓库' }),
    warehouseId: Id.openapi({ description: '完工入库仓库' }),
  })
  .openapi('ProductionTaskFromSalesOrders');
export type ProductionTaskFromSalesOrders = z.output<typeof ProductionTaskFromSalesOrders>;
export const ProductionTaskBatchResult = z
  .object({ tasks: z.array(z.object({ id: z.string(), number: z.string(), salesOrderLineId: z.string(), quantity: z.string() })) })
  .openapi('ProductionTaskBatchResult');
export type ProductionTaskBatchResult = z.output<typeof ProductionTaskBatchResult>;

// ---------------------------------------------------------------- 报工

/** 报工: good/scrap in the task item's base unit, hours at most 24 per report (one person's day). */
export const WorkReportCreate = z
  .object({
    operation: OptionalText(50).openapi({ description: '工序；任务用料标了工序时须是其中之一' }),
    goodQuantity: Quantity().default('0').openapi({ description: '良品数量（成品基本单位）' }),
    scrapQuantity: Quantity().default('0').openapi({ description: '报废数量（成品基本单位）' }),
    hours: decimalString({ scale: 2, min: 0, max: 24 }).default('0').openapi({ description: '工时（小时，每次最多 24）' }),
    workerId: Id.optional().openapi({ description: '作业人员；默认报工人本人' }),
    workDate: DateOnly.optional().openapi({ description: '作业日期；默认今天' }),
    remark: OptionalText(200),
  })
  .refine((v) => Number(v.goodQuantity) + Number(v.scrapQuantity) > 0 || Number(v.hours) > 0, { message: '良品数量、报废数量和工时不能都为 0', path: ['goodQuantity'] })
  .openapi('WorkReportCreate');
export type WorkReportCreate = z.output<typeof WorkReportCreate>;

export const WorkReport = z
  .object({
    id: z.string(),
    number: z.string(),
    task: z.object({ id: z.string(), number: z.string(), item: BomItemRef }),
    operation: z.string().nullable(),
    goodQuantity: z.string(),
    scrapQuantity: z.string(),
    hours: z.string(),
    worker: z.object({ id: z.string(), name: z.string() }),
    workDate: z.string(),
    remark: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi('WorkReport');
export type WorkReport = z.output<typeof WorkReport>;
export const WorkReportPage = pageOf(WorkReport).openapi('WorkReportPage');

export const WorkReportListQuery = pageQuery(['workDate', 'number']).extend({
  taskId: Id.optional(),
  workerId: Id.optional(),
  from: DateOnly.optional(),
  to: DateOnly.optional(),
});
export type WorkReportListQuery = z.output<typeof WorkReportListQuery>;
// ---------------------------------------------------------------- 足缺料分析

export const ShortageAnalysisQuery = pageQuery(['plannedStart']).extend({
  shortOnly: BooleanQuery.optional().openapi({ description: '只看缺料的任务' }),
});
export type ShortageAnalysisQuery = z.output<typeof ShortageAnalysisQuery>;

export const ShortageMaterial = z
  .object({
    item: BomItemRef,
    required: z.string().openapi({ description: '未领的配套用量（基本单位）' }),
    allocated: z.string().openapi({ description: '按计划开工先后分到的可用库存（合格在库 − 预留）' }),
    short: z.string().openapi({ description: '缺口 = 未领用量 − 分到的库存' }),
    arrival: z.object({
      status: KittingArrivalStatus,
      statusLabel: z.string(),
      date: z.string().nullable().openapi({ description: '补齐缺口的采购订单承诺交期' }),
      label: z.string().openapi({ description: '「2026-12-20 到货」「无在途」「在途不足，仍缺 40」' }),
      orders: z.array(z.string()).openapi({ description: '缺口占用的采购订单号，按到货先后' }),
    }),
  })
  .openapi('ShortageMaterial');

export const ShortageTask = z
  .object({
    task: z.object({
      id: z.string(), number: z.string(), item: BomItemRef, quantity: z.string(), plannedStart: z.string(),
      state: ProductionTaskStateEnum, stateLabel: z.string(),
    }),
    complete: z.boolean().openapi({ description: '齐套（没有缺口）' }),
    statusLabel: z.string().openapi({ description: '齐套 / 缺料' }),
    materials: z.array(ShortageMaterial).openapi({ description: '未领完的配套物料，缺料的在前' }),
  })
  .openapi('ShortageTask');
export type ShortageTask = z.output<typeof ShortageTask>;
export const ShortageTaskPage = pageOf(ShortageTask).openapi('ShortageTaskPage');

// ---------------------------------------------------------------- 生产任务单齐套分析

export const ProductionTaskKittingQuery = z.object({
  productionTaskIds: z
    .string()
    .trim()
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(Id).min(1, '至少选择一张生产任务单').max(100, '一次最多 100 张生产任务单'))
    .openapi({ type: 'string', description: '逗号分隔的生产任务单 ID（计划、已下达或生产中的任务）' }),
});
export type ProductionTaskKittingQuery = z.output<typeof ProductionTaskKittingQuery>;

export const ProductionTaskKitting = z
  .object({
    tasks: z.array(z.object({
      task: z.object({
        id: z.string(), number: z.string(), item: BomItemRef, quantity: z.string(), kittedQuantity: z.string(), plannedStart: z.string(),
        state: ProductionTaskStateEnum, stateLabel: z.string(),
      }),
      openQuantity: z.string().openapi({ description: '未配套 = 数量 − 已配套（成品基本单位）' }),
      kitting: Kitting.nullable().openapi({
        description: '未配套数量的齐套情况：components 是未领完的配套物料（倒冲物料在完工入库时发出，不在其中），need 为未配套数量还要领的量；'
          + 'date 为计划开工日，versionNo 为任务的 BOM 版本。空 = 已全部配套（见 note）',
      }),
      note: z.string().nullable(),
    })).openapi({ description: '按计划开工日、再按单号先后分配：前面的任务可齐套数量用掉的库存、缺口占用的在途，后面的任务不再算' }),
  })
  .openapi('ProductionTaskKitting');
export type ProductionTaskKitting = z.output<typeof ProductionTaskKitting>;
