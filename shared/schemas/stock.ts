// 库存: 期初/调整, 库存查询, 调拨单, 盘点单, 库存报表
import { BooleanQuery, DateOnly, decimalString, Id, OptionalText, pageOf, pageQuery, Quantity, Timestamp, UnitPrice, Version, z } from './common.ts';

// ---------------------------------------------------------------- enums

export { QUALITY_STATUS_LABELS, QUALITY_STATUSES, STOCK_MOVE_KIND_LABELS, STOCK_MOVE_KINDS, STOCK_COUNT_STATE_LABELS, STOCK_COUNT_STATES } from '../enums.ts';
export type { StockMoveKind, StockCountState } from '../enums.ts';
import { QUALITY_STATUSES, STOCK_MOVE_KINDS, STOCK_COUNT_STATES } from '../enums.ts';
export const QualityStatus = z.enum(QUALITY_STATUSES, { message: `质检状态只能是 ${QUALITY_STATUSES.join(', ')}` });
export type QualityStatus = z.infer<typeof QualityStatus>;

export const DEMAND_TYPES = ['salesOrderLine', 'productionMaterial'] as const;

// ---------------------------------------------------------------- building blocks

/** 批次(炉号): empty means none */
const BatchNo = z.string({ message: '批次必须是文本' }).trim().max(40, '批次最长 40 个字符');
/** a quantity > 0 with at most 4 decimals */
const PositiveQuantity = () => Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' });
/** signed: + in, − out; never 0 */
const SignedQuantity = decimalString({ scale: 4 })
  .refine((v) => Number(v) !== 0, { message: '数量不能为 0（正数入库，负数出库）' })
  .openapi({ example: '-5' });

const Ref = z.object({ id: z.string(), code: z.string(), name: z.string() });
export const StockItemRef = Ref.extend({ spec: z.string().nullable(), unit: z.string().openapi({ description: '基本单位名称' }) });
export const WarehouseRef = Ref;
const UserRef = z.object({ id: z.string(), name: z.string() }).nullable();

// ---------------------------------------------------------------- 期初 / 库存调整

export const StockAdjustmentLineInput = z.object({
  itemId: Id,
  unitId: Id.nullish().openapi({ description: '默认基本单位' }),
  quantity: SignedQuantity.openapi({ description: '正数入库（盘盈、期初），负数出库（报损）' }),
  unitCost: UnitPrice().nullish().openapi({ description: '入库单价（每基本单位）；不填 = 物料当前移动平均成本，没有则标准成本。出库按移动平均成本，不能指定' }),
  batchNo: BatchNo.nullish().openapi({ description: '批次(炉号)，按批次管理的物料必填' }),
  qualityStatus: QualityStatus.optional().openapi({ description: '默认合格' }),
});
export const StockAdjustmentCreate = z
  .object({
    warehouseId: Id,
    reason: z.string({ message: '调整原因必须是文本' }).trim().min(1, '请填写调整原因').max(200, '最长 200 个字符'),
    opening: z.boolean({ message: '必须是 true 或 false' }).default(false).openapi({ description: 'true = 期初库存（只能入库）' }),
    lines: z.array(StockAdjustmentLineInput).min(1, '至少一行').max(500, '最多 500 行'),
  })
  .openapi('StockAdjustmentCreate');

export const StockAdjustmentLine = z.object({
  lineNo: z.number().int(),
  item: StockItemRef,
  batchNo: z.string(),
  qualityStatus: QualityStatus,
  quantity: z.string().openapi({ description: '基本单位，带符号' }),
  unitCost: z.string(),
  amount: z.string(),
  moveId: z.string(),
});
export const StockAdjustment = z
  .object({
    id: z.string(),
    number: z.string(),
    kind: z.enum(['opening', 'adjustment']),
    warehouse: WarehouseRef,
    reason: z.string().nullable(),
    totalAmount: z.string(),
    occurredAt: Timestamp,
    createdBy: UserRef,
    lines: z.array(StockAdjustmentLine),
  })
  .openapi('StockAdjustment');
export const StockAdjustmentSummary = StockAdjustment.omit({ lines: true }).extend({ lineCount: z.number().int() }).openapi('StockAdjustmentSummary');
export const StockAdjustmentListQuery = pageQuery(['number', 'occurredAt']).extend({
  warehouseId: Id.optional(),
  itemId: Id.optional(),
  opening: BooleanQuery.optional(),
  dateFrom: DateOnly.optional(),
  dateTo: DateOnly.optional(),
});
export const StockAdjustmentPage = pageOf(StockAdjustmentSummary).openapi('StockAdjustmentPage');

// ---------------------------------------------------------------- 库存水位 / 余额 / 单个物料

export const StockLevelRow = z
  .object({
    item: StockItemRef,
    warehouse: WarehouseRef.nullable().openapi({ description: '仅在 belowSafety=true 且该物料在任何仓库都没有库存和在订时为空' }),
    onHand: z.string().openapi({ description: '合格在库' }),
    reserved: z.string(),
    available: z.string().openapi({ description: 'onHand − reserved' }),
    onOrder: z.string().openapi({ description: '已审核采购订单未入库数量（基本单位）' }),
    safetyStock: z.string().openapi({ description: '物料安全库存（全部仓库合计）' }),
    belowSafety: z.boolean().openapi({ description: '物料全部仓库可用合计低于安全库存' }),
  })
  .openapi('StockLevelRow');
export const StockLevelListQuery = pageQuery(['itemCode', 'itemName', 'warehouseCode', 'onHand', 'reserved', 'available', 'onOrder']).extend({
  warehouseId: Id.optional(),
  itemId: Id.optional(),
  categoryId: Id.optional().openapi({ description: '物料分类（含下级）' }),
  belowSafety: BooleanQuery.optional(),
  includeZero: BooleanQuery.optional().openapi({ description: 'true = 也列出在库、预留、在订都为 0 的行' }),
});
export const StockLevelPage = pageOf(StockLevelRow).openapi('StockLevelPage');

export const StockBalanceRow = z
  .object({
    item: StockItemRef,
    warehouse: WarehouseRef,
    batchNo: z.string(),
    qualityStatus: QualityStatus,
    onHand: z.string(),
    lastMovedAt: Timestamp.nullable(),
  })
  .openapi('StockBalanceRow');
export const StockBalanceListQuery = pageQuery(['itemCode', 'warehouseCode', 'batchNo', 'onHand', 'lastMovedAt']).extend({
  warehouseId: Id.optional(),
  itemId: Id.optional(),
  categoryId: Id.optional(),
  batchNo: BatchNo.optional(),
  qualityStatus: QualityStatus.optional(),
  includeZero: BooleanQuery.optional(),
});
export const StockBalancePage = pageOf(StockBalanceRow).openapi('StockBalancePage');

const Figures = {
  onHand: z.string().openapi({ description: '合格在库' }),
  reserved: z.string(),
  available: z.string(),
  pending: z.string().openapi({ description: '待检' }),
  rejected: z.string().openapi({ description: '不合格' }),
  onOrder: z.string(),
};
export const StockPosition = z
  .object({
    item: StockItemRef.extend({ batchTracked: z.boolean() }),
    safetyStock: z.string(),
    belowSafety: z.boolean(),
    averageCost: z.string(),
    value: z.string().openapi({ description: '库存金额（全部质检状态，按移动加权平均）' }),
    total: z.object(Figures),
    warehouses: z.array(z.object({ warehouse: WarehouseRef, ...Figures, value: z.string() })),
    batches: z.array(z.object({ warehouse: WarehouseRef, batchNo: z.string(), qualityStatus: QualityStatus, onHand: z.string() })),
  })
  .openapi('StockPosition');
export const StockItemMatch = StockItemRef.openapi('StockItemMatch');
export const StockItemParams = z.object({ itemId: Id });

// ---------------------------------------------------------------- 库存流水账

const KindList = z
  .string()
  .trim()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(STOCK_MOVE_KINDS, { message: `流水类型只能是 ${STOCK_MOVE_KINDS.join(', ')}` })).min(1, '至少一个类型'))
  .openapi({ type: 'string', description: '逗号分隔，如 salesShipment,salesReturn' });

export const StockMoveRow = z
  .object({
    id: z.string(),
    occurredAt: Timestamp,
    kind: z.enum(STOCK_MOVE_KINDS),
    kindLabel: z.string(),
    item: StockItemRef,
    warehouse: WarehouseRef,
    batchNo: z.string(),
    qualityStatus: QualityStatus,
    quantity: z.string(),
    unitCost: z.string(),
    amount: z.string(),
    balance: z.string().nullable().openapi({ description: '该物料在该仓库此笔之后的结存（按 itemId 查询时给出）' }),
    sourceType: z.string(),
    sourceId: z.string(),
    documentNo: z.string().nullable(),
    remark: z.string().nullable(),
    createdBy: UserRef,
  })
  .openapi('StockMoveRow');
export const StockMoveListQuery = pageQuery(['occurredAt']).extend({
  itemId: Id.optional(),
  warehouseId: Id.optional(),
  kind: KindList.optional(),
  batchNo: BatchNo.optional(),
  dateFrom: DateOnly.optional(),
  dateTo: DateOnly.optional(),
});
export const StockMovePage = pageOf(StockMoveRow)
  .extend({
    summary: z
      .array(z.object({ warehouse: WarehouseRef, opening: z.string(), received: z.string(), issued: z.string(), closing: z.string() }))
      .nullable()
      .openapi({ description: '按 itemId 查询时：各仓库期初、收入、发出、期末（按日期范围）' }),
  })
  .openapi('StockMovePage');

// ---------------------------------------------------------------- 预留

export const StockReservationRow = z
  .object({
    id: z.string(),
    item: StockItemRef,
    warehouse: WarehouseRef,
    demandType: z.enum(DEMAND_TYPES),
    demandId: z.string(),
    quantity: z.string(),
    salesOrder: z
      .object({ id: z.string(), number: z.string(), lineNo: z.number().int(), state: z.string(), customer: z.object({ id: z.string(), name: z.string() }) })
      .nullable()
      .openapi({ description: '销售订单行的预留：订单号、行号、客户（超出数据范围时为空）' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('StockReservationRow');
export const StockReservationListQuery = pageQuery(['createdAt', 'quantity']).extend({
  itemId: Id.optional(),
  warehouseId: Id.optional(),
  demandType: z.enum(DEMAND_TYPES).optional(),
});
export const StockReservationPage = pageOf(StockReservationRow).openapi('StockReservationPage');

// ---------------------------------------------------------------- 调拨单

export const StockTransferLineInput = z.object({
  itemId: Id,
  unitId: Id.nullish(),
  quantity: PositiveQuantity(),
  batchNo: BatchNo.nullish(),
});
export const StockTransferCreate = z
  .object({
    fromWarehouseId: Id,
    toWarehouseId: Id,
    remark: OptionalText(200),
    lines: z.array(StockTransferLineInput).min(1, '至少一行').max(500, '最多 500 行'),
  })
  .refine((v) => v.fromWarehouseId !== v.toWarehouseId, { path: ['toWarehouseId'], message: '调入仓库不能与调出仓库相同' })
  .openapi('StockTransferCreate');
export const StockTransferLine = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  item: StockItemRef,
  batchNo: z.string(),
  quantity: z.string().openapi({ description: '基本单位' }),
  unitCost: z.string(),
  amount: z.string(),
});
export const StockTransfer = z
  .object({
    id: z.string(),
    number: z.string(),
    fromWarehouse: WarehouseRef,
    toWarehouse: WarehouseRef,
    remark: z.string().nullable(),
    totalAmount: z.string(),
    lineCount: z.number().int(),
    createdBy: UserRef,
    createdAt: Timestamp,
    lines: z.array(StockTransferLine),
  })
  .openapi('StockTransfer');
export const StockTransferListQuery = pageQuery(['number', 'createdAt']).extend({
  warehouseId: Id.optional().openapi({ description: '调出或调入仓库' }),
  fromWarehouseId: Id.optional(),
  toWarehouseId: Id.optional(),
  itemId: Id.optional(),
  dateFrom: DateOnly.optional(),
  dateTo: DateOnly.optional(),
});
export const StockTransferPage = pageOf(StockTransfer.omit({ lines: true })).openapi('StockTransferPage');

// ---------------------------------------------------------------- 盘点单

export const StockCountCreate = z
  .object({
    warehouseId: Id,
    itemIds: z.array(Id).min(1, '至少一个物料').max(2000, '最多 2000 个物料').optional().openapi({ description: '默认：该仓库所有有结存的物料' }),
    remark: OptionalText(200),
  })
  .openapi('StockCountCreate');
export const StockCountUpdate = z
  .object({
    version: Version,
    remark: OptionalText(200),
    lines: z
      .array(z.object({ lineId: Id, countedQuantity: Quantity().nullable().openapi({ description: '实盘数量（基本单位）；null = 清空' }) }))
      .max(5000, '最多 5000 行')
      .default([]),
  })
  .openapi('StockCountUpdate');
export const StockCountLine = z.object({
  id: z.string(),
  item: StockItemRef,
  batchNo: z.string(),
  qualityStatus: QualityStatus,
  bookQuantity: z.string().openapi({ description: '建单时的账面数量' }),
  countedQuantity: z.string().nullable(),
  currentQuantity: z.string().nullable().openapi({ description: '盘点中：当前账面数量（过账按它计算差异）' }),
  variance: z.string().nullable().openapi({ description: '盘点中：实盘 − 当前账面（预览）；已过账：记入的差异' }),
  varianceAmount: z.string().nullable().openapi({ description: '已过账：差异金额' }),
});
export const StockCount = z
  .object({
    id: z.string(),
    number: z.string(),
    warehouse: WarehouseRef,
    state: z.enum(STOCK_COUNT_STATES),
    stateLabel: z.string(),
    remark: z.string().nullable(),
    lineCount: z.number().int(),
    countedCount: z.number().int(),
    createdBy: UserRef,
    createdAt: Timestamp,
    postedAt: Timestamp.nullable(),
    version: z.number().int(),
    lines: z.array(StockCountLine),
  })
  .openapi('StockCount');
export const StockCountListQuery = pageQuery(['number', 'createdAt', 'postedAt']).extend({
  warehouseId: Id.optional(),
  state: z.enum(STOCK_COUNT_STATES, { message: `状态只能是 ${STOCK_COUNT_STATES.join(', ')}` }).optional(),
  dateFrom: DateOnly.optional(),
  dateTo: DateOnly.optional(),
});
export const StockCountPage = pageOf(StockCount.omit({ lines: true })).openapi('StockCountPage');

// ---------------------------------------------------------------- 报表

export const SlowMovingQuery = pageQuery(['value', 'quantity', 'lastMovedAt', 'itemCode']).extend({
  days: z.coerce.number({ message: '应为数字' }).int('应为整数').min(1, '至少为 1').max(3650, '最大 3650').default(90),
  warehouseId: Id.optional(),
  categoryId: Id.optional(),
});
export const SlowMovingRow = z
  .object({
    item: StockItemRef,
    quantity: z.string(),
    averageCost: z.string(),
    value: z.string(),
    lastMovedAt: Timestamp.nullable(),
    idleDays: z.number().int().nullable(),
  })
  .openapi('SlowMovingRow');
export const SlowMovingPage = pageOf(SlowMovingRow).extend({ days: z.number().int(), totalValue: z.string() }).openapi('SlowMovingPage');

export const ReconcileDrift = z.object({
  check: z.enum(['balanceVsMoves', 'levelVsBalances', 'reservedVsReservations', 'itemStockVsBalances', 'itemValueVsMoves'])
    .openapi({ description: 'itemValueVsMoves: 物料库存金额与流水金额合计之差（金额两位小数，其余为数量）' }),
  item: Ref,
  warehouse: WarehouseRef.nullable(),
  batchNo: z.string().nullable(),
  qualityStatus: QualityStatus.nullable(),
  expected: z.string(),
  actual: z.string(),
});
export const ReconcileReport = z
  .object({ ok: z.boolean(), checkedAt: Timestamp, drifts: z.array(ReconcileDrift) })
  .openapi('StockReconcileReport');

// ---------------------------------------------------------------- types

export type StockItemRef = z.infer<typeof StockItemRef>;
export type WarehouseRef = z.infer<typeof WarehouseRef>;
export type StockAdjustmentCreate = z.infer<typeof StockAdjustmentCreate>;
export type StockAdjustment = z.infer<typeof StockAdjustment>;
export type StockAdjustmentSummary = z.infer<typeof StockAdjustmentSummary>;
export type StockAdjustmentListQuery = z.infer<typeof StockAdjustmentListQuery>;
export type StockLevelRow = z.infer<typeof StockLevelRow>;
export type StockLevelListQuery = z.infer<typeof StockLevelListQuery>;
export type StockBalanceRow = z.infer<typeof StockBalanceRow>;
export type StockBalanceListQuery = z.infer<typeof StockBalanceListQuery>;
export type StockPosition = z.infer<typeof StockPosition>;
export type StockMoveRow = z.infer<typeof StockMoveRow>;
export type StockMoveListQuery = z.infer<typeof StockMoveListQuery>;
export type StockMovePage = z.infer<typeof StockMovePage>;
export type StockReservationRow = z.infer<typeof StockReservationRow>;
export type StockReservationListQuery = z.infer<typeof StockReservationListQuery>;
export type StockTransferCreate = z.infer<typeof StockTransferCreate>;
export type StockTransfer = z.infer<typeof StockTransfer>;
export type StockTransferListQuery = z.infer<typeof StockTransferListQuery>;
export type StockCountCreate = z.infer<typeof StockCountCreate>;
export type StockCountUpdate = z.infer<typeof StockCountUpdate>;
export type StockCount = z.infer<typeof StockCount>;
export type StockCountListQuery = z.infer<typeof StockCountListQuery>;
export type SlowMovingQuery = z.infer<typeof SlowMovingQuery>;
export type SlowMovingRow = z.infer<typeof SlowMovingRow>;
export type SlowMovingPage = z.infer<typeof SlowMovingPage>;
export type ReconcileDrift = z.infer<typeof ReconcileDrift>;
export type ReconcileReport = z.infer<typeof ReconcileReport>;
