// 采购单据: 供应商价目表、请购单、采购订单、采购入库单、采购退货、在订量
import { DateOnly, Id, OptionalText, pageOf, pageQuery, Quantity, Rate, Timestamp, UnitPrice, Version, z } from './common.ts';
import { CurrencyCode } from './crm.ts';
import { CodeRef } from './inventory.ts';

// ---------------------------------------------------------------- labels

export {
  DOCUMENT_STATE_LABELS, DOCUMENT_STATES, PROGRESS_LABELS, PROGRESSES, REQUISITION_SOURCE_LABELS, REQUISITION_SOURCES, QUALITY_STATUS_LABELS, QUALITY_STATUSES,
} from '../enums.ts';
export type { DocumentState, Progress, RequisitionSource, QualityStatus } from '../enums.ts';
import { DOCUMENT_STATES, EXCHANGE_RATE_BASES, PROGRESSES, REQUISITION_SOURCES, QUALITY_STATUSES } from '../enums.ts';

// ---------------------------------------------------------------- building blocks

/** A document line's quantity: > 0, at most 4 decimals (and the unit's own precision, checked by the server). */
export const LineQuantity = () => Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' });
export const ItemRef = z.object({ id: z.string(), code: z.string(), name: z.string(), spec: z.string().nullable() });
export const UserRef = z.object({ id: z.string(), name: z.string() });
export const StateQuery = z.enum(DOCUMENT_STATES, { message: `状态只能是 ${DOCUMENT_STATES.join(', ')}` });
export const BatchNo = z.string({ message: '批次号必须是文本' }).trim().max(40, '批次号最长 40 个字符');
export const QualityStatusInput = z.enum(QUALITY_STATUSES, { message: `质检状态只能是 ${QUALITY_STATUSES.join(', ')}` });
const DateRange = {
  dateFrom: DateOnly.optional().openapi({ description: '起始日期（含）' }),
  dateTo: DateOnly.optional().openapi({ description: '截止日期（含）' }),
};
const Moment = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601，如 2026-11-23T10:00:00+08:00' });

// ---------------------------------------------------------------- 供应商价目表

const supplierPriceFields = {
  unitId: Id.nullish().openapi({ description: '计量单位，须是物料的单位之一；默认采购单位' }),
  price: UnitPrice().openapi({ description: '含税单价（每计量单位）' }),
  currencyCode: CurrencyCode.openapi({ description: '币别；默认供应商的币别' }),
  minQuantity: Quantity().openapi({ description: '起订量（该计量单位）：数量达到它时此价格才适用' }),
  validFrom: DateOnly.openapi({ description: '生效日期' }),
  validTo: DateOnly.nullish().openapi({ description: '失效日期（含）；空 = 长期有效' }),
};
const validRange = (v: { validFrom?: string; validTo?: string | null }) => !v.validFrom || !v.validTo || v.validTo >= v.validFrom;
const rangeMessage = { message: '失效日期不能早于生效日期', path: ['validTo'] };

export const SupplierPriceCreate = z
  .object({
    supplierId: Id,
    itemId: Id,
    ...supplierPriceFields,
    currencyCode: supplierPriceFields.currencyCode.optional(),
    minQuantity: supplierPriceFields.minQuantity.default('0'),
    validFrom: supplierPriceFields.validFrom.optional(),
  })
  .refine(validRange, rangeMessage)
  .openapi('SupplierPriceCreate');
export const SupplierPriceUpdate = z
  .object(supplierPriceFields)
  .partial()
  .refine(validRange, rangeMessage)
  .openapi('SupplierPriceUpdate', { description: '只需提交要修改的字段；供应商和物料不可修改（删除后重建）' });
export const SupplierPrice = z
  .object({
    id: z.string(),
    supplier: CodeRef,
    item: ItemRef,
    unit: CodeRef,
    price: z.string(),
    currencyCode: z.string(),
    minQuantity: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi('SupplierPrice');
export const SupplierPriceListQuery = pageQuery(['validFrom', 'price', 'minQuantity', 'createdAt']).extend({
  supplierId: Id.optional(),
  itemId: Id.optional(),
  validOn: DateOnly.optional().openapi({ description: '只列出该日有效的价格' }),
});
export const SupplierPricePage = pageOf(SupplierPrice).openapi('SupplierPricePage');
export const SupplierPricePickQuery = z.object({
  supplierId: Id,
  itemId: Id,
  unitId: Id.optional(),
  quantity: LineQuantity().optional(),
  date: DateOnly.optional(),
});
export const PickedPrice = z
  .object({
    unitId: z.string(),
    unitPrice: z.string().openapi({ description: '含税单价（供应商币别）' }),
    currencyCode: z.string(),
    source: z.enum(['priceList', 'standardCost', 'none']).openapi({ description: 'priceList 价目表 / standardCost 标准成本 / none 无' }),
    supplierPriceId: z.string().nullable(),
  })
  .openapi('PickedPurchasePrice');

// ---------------------------------------------------------------- 请购单

export const RequisitionLineInput = z.object({
  itemId: Id,
  unitId: Id.nullish().openapi({ description: '默认物料的采购单位' }),
  quantity: LineQuantity(),
  requiredDate: DateOnly.nullish(),
  supplierId: Id.nullish().openapi({ description: '建议供应商' }),
});
const requisitionLines = z.array(RequisitionLineInput).min(1, '至少一行明细').max(200, '明细最多 200 行');
export const RequisitionCreate = z
  .object({
    source: z.enum(REQUISITION_SOURCES, { message: `来源只能是 ${REQUISITION_SOURCES.join(', ')}` }).default('manual'),
    remark: OptionalText(500),
    lines: requisitionLines,
  })
  .openapi('PurchaseRequisitionCreate');
export const RequisitionUpdate = z
  .object({
    source: z.enum(REQUISITION_SOURCES, { message: `来源只能是 ${REQUISITION_SOURCES.join(', ')}` }).optional(),
    remark: OptionalText(500),
    lines: requisitionLines.optional(),
    version: Version,
  })
  .openapi('PurchaseRequisitionUpdate', { description: '只能修改草稿；lines 提交时整体替换' });
export const RequisitionLine = z.object({
  id: z.string(),
  lineNo: z.number(),
  item: ItemRef,
  unit: CodeRef,
  factor: z.string(),
  quantity: z.string(),
  baseQuantity: z.string(),
  requiredDate: z.string().nullable(),
  supplier: CodeRef.nullable(),
  orderedQuantity: z.string().openapi({ description: '已下采购订单的数量（基本单位）' }),
  remainingQuantity: z.string().openapi({ description: '尚未下单的数量（基本单位）' }),
});
export const Requisition = z
  .object({
    id: z.string(),
    number: z.string(),
    requester: UserRef,
    source: z.string(),
    sourceLabel: z.string(),
    state: z.string(),
    stateLabel: z.string(),
    orderProgress: z.string().openapi({ description: '下单进度 none / partial / full' }),
    remark: z.string().nullable(),
    lines: z.array(RequisitionLine),
    orders: z.array(z.object({ id: z.string(), number: z.string(), state: z.string() })),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('PurchaseRequisition');
export const RequisitionListQuery = pageQuery(['number', 'createdAt', 'updatedAt']).extend({
  state: StateQuery.optional(),
  source: z.enum(REQUISITION_SOURCES).optional(),
  requesterId: Id.optional(),
  itemId: Id.optional(),
  ...DateRange,
});
export const RequisitionPage = pageOf(Requisition).openapi('PurchaseRequisitionPage');
export const RequisitionToOrder = z
  .object({
    supplierId: Id,
    warehouseId: Id.optional(),
    orderDate: DateOnly.optional(),
    lines: z
      .array(z.object({ requisitionLineId: Id, quantity: LineQuantity().optional().openapi({ description: '请购单位的数量；默认全部未下单数量' }) }))
      .min(1, '至少一行')
      .max(200)
      .optional()
      .openapi({ description: '默认：所有尚未下单的行' }),
  })
  .openapi('PurchaseRequisitionToOrder');

// ---------------------------------------------------------------- 采购订单

export const PurchaseOrderLineInput = z.object({
  itemId: Id,
  unitId: Id.nullish().openapi({ description: '默认物料的采购单位' }),
  quantity: LineQuantity(),
  unitPrice: UnitPrice().optional().openapi({ description: '含税单价；默认取供应商价目表，其次标准成本，再次 0' }),
  taxRate: Rate().optional().openapi({ description: '默认物料的税率' }),
  promisedDate: DateOnly.nullish(),
  warehouseId: Id.nullish().openapi({ description: '收货仓库；默认订单的仓库' }),
  requisitionLineId: Id.nullish().openapi({ description: '来源请购单行' }),
});
const orderLines = z.array(PurchaseOrderLineInput).min(1, '至少一行明细').max(500, '明细最多 500 行');
const orderFields = {
  supplierId: Id,
  buyerId: Id.optional().openapi({ description: '采购员；默认当前用户' }),
  warehouseId: Id.optional().openapi({ description: '收货仓库；默认原材料仓 WH01' }),
  orderDate: DateOnly.optional().openapi({ description: '订单日期；默认今天。汇率取该日有效的汇率' }),
  remark: OptionalText(500),
};
export const PurchaseOrderCreate = z.object({ ...orderFields, lines: orderLines }).openapi('PurchaseOrderCreate');
export const PurchaseOrderUpdate = z
  .object({ ...orderFields, supplierId: Id.optional(), lines: orderLines.optional(), version: Version })
  .openapi('PurchaseOrderUpdate', { description: '只能修改草稿；lines 提交时整体替换' });

export const PurchaseOrderLine = z.object({
  id: z.string(),
  lineNo: z.number(),
  item: ItemRef,
  warehouse: CodeRef,
  unit: CodeRef,
  factor: z.string(),
  quantity: z.string(),
  baseQuantity: z.string(),
  unitPrice: z.string(),
  taxRate: z.string(),
  amount: z.string(),
  taxAmount: z.string(),
  amountWithTax: z.string(),
  promisedDate: z.string().nullable(),
  requisitionLineId: z.string().nullable(),
  receivedQuantity: z.string().openapi({ description: '已收（基本单位）' }),
  returnedQuantity: z.string().openapi({ description: '已退（基本单位）' }),
  openQuantity: z.string().openapi({ description: '未到 = 订购 − 已收 + 已退（基本单位，不小于 0）' }),
});

const StockDocLine = z.object({
  id: z.string(),
  orderLineId: z.string(),
  item: ItemRef,
  warehouse: CodeRef,
  unit: CodeRef,
  quantity: z.string().openapi({ description: '订单行单位的数量' }),
  baseQuantity: z.string(),
  batchNo: z.string(),
  qualityStatus: z.string(),
  qualityStatusLabel: z.string(),
  unitCost: z.string().openapi({ description: '入库成本（本位币、不含税、每基本单位；由金额推算，仅供显示）' }),
  amount: z.string().openapi({ description: '金额（本位币、不含税）：订单行不含税金额按净收货数量分摊，精确到分' }),
});
const ReturnDocLine = StockDocLine.extend({
  amount: z.string().openapi({ description: '出库成本（本位币）：未开票部分按暂估，已开票部分按发票成本' }),
  priceVariance: z.string().openapi({ description: '价格差异 = 出库成本 − 实际出库金额（库存价值不足时按移动加权平均出库）' }),
  invoicedQuantity: z.string().openapi({ description: '其中已开票的数量（基本单位）：需供应商开红字发票，冲减应付货款' }),
  invoicedTotal: z.string().openapi({ description: '已开票部分的价税合计（冲减应付账款—应付货款）' }),
  inputVat: z.string().openapi({ description: '已开票部分冲减的进项税额（普票或小规模纳税人为 0）' }),
});
export const Receipt = z
  .object({
    id: z.string(),
    number: z.string(),
    order: z.object({ id: z.string(), number: z.string() }),
    supplier: CodeRef,
    receivedAt: Timestamp,
    currencyCode: z.string().openapi({ description: '订单币别' }),
    exchangeRate: z.string().openapi({ description: '入库折算汇率（订单币别 → 本位币，6 位小数）；入库成本 = 不含税外币金额 × 该汇率' }),
    rateBasis: z.enum(EXCHANGE_RATE_BASES).openapi({ description: 'spot 入库日即期汇率；monthlyAverage 当月平均汇率' }),
    rateBasisLabel: z.string(),
    remark: z.string().nullable(),
    createdBy: UserRef.nullable(),
    createdAt: Timestamp,
    totalAmount: z.string(),
    lines: z.array(StockDocLine),
  })
  .openapi('PurchaseReceipt');
export const PurchaseReturn = z
  .object({
    id: z.string(),
    number: z.string(),
    order: z.object({ id: z.string(), number: z.string() }),
    supplier: CodeRef,
    returnedAt: Timestamp,
    reason: z.string().nullable(),
    createdBy: UserRef.nullable(),
    createdAt: Timestamp,
    totalAmount: z.string().openapi({ description: '出库成本合计（未开票部分按暂估，已开票部分按发票成本）' }),
    priceVariance: z.string().openapi({ description: '价格差异合计；出库库存价值 = totalAmount − priceVariance' }),
    lines: z.array(ReturnDocLine),
    redInvoices: z.array(z.object({
      id: z.string(),
      number: z.string().openapi({ description: '采购红字发票单号 HZ-…' }),
      redInvoiceNo: z.string().nullable(),
      originalInvoice: z.object({ id: z.string(), number: z.string(), invoiceNo: z.string() }),
      totalAmount: z.string().openapi({ description: '价税合计（本位币）' }),
      inputVat: z.string().openapi({ description: '进项税额（转出）' }),
    })).openapi({ description: '退回已开票货物的红字发票（每张原发票一张）' }),
  })
  .openapi('PurchaseReturn');
export const TimelineEntry = z.object({
  id: z.string(),
  kind: z.string(),
  message: z.string(),
  data: z.unknown().nullable(),
  actor: UserRef.nullable(),
  at: Timestamp,
});

const orderHeader = {
  id: z.string(),
  number: z.string(),
  supplier: CodeRef,
  buyer: UserRef,
  warehouse: CodeRef,
  currencyCode: z.string(),
  exchangeRate: z.string(),
  orderDate: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  receiptProgress: z.string(),
  receiptProgressLabel: z.string(),
  totalAmount: z.string(),
  totalTax: z.string(),
  totalWithTax: z.string(),
  remark: z.string().nullable(),
  confirmedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number(),
};
export const DocumentReason = z
  .object({ reason: OptionalText(200).openapi({ description: '原因（可选）' }) })
  .openapi('PurchaseDocumentReason');
export const PurchaseOrderSummary = z.object({ ...orderHeader, lineCount: z.number() }).openapi('PurchaseOrderSummary');
export const PurchaseOrder = z
  .object({
    ...orderHeader,
    lines: z.array(PurchaseOrderLine),
    receipts: z.array(Receipt),
    returns: z.array(PurchaseReturn),
    timeline: z.array(TimelineEntry),
  })
  .openapi('PurchaseOrder');
export const PurchaseOrderListQuery = pageQuery(['number', 'orderDate', 'totalWithTax', 'createdAt', 'updatedAt']).extend({
  state: StateQuery.optional(),
  supplierId: Id.optional(),
  buyerId: Id.optional(),
  warehouseId: Id.optional(),
  itemId: Id.optional().openapi({ description: '含该物料的订单' }),
  receiptProgress: z.enum(PROGRESSES).optional(),
  ...DateRange,
});
export const PurchaseOrderPage = pageOf(PurchaseOrderSummary).openapi('PurchaseOrderPage');

// ---------------------------------------------------------------- 入库与退货

const stockLineInput = {
  orderLineId: Id,
  quantity: LineQuantity().openapi({ description: '订单行单位的数量' }),
  batchNo: BatchNo.optional().openapi({ description: '批次（炉号）；按批次管理的物料必填' }),
  qualityStatus: QualityStatusInput.default('passed'),
};
export const ReceiptCreate = z
  .object({
    lines: z.array(z.object(stockLineInput)).min(1, '至少一行明细').max(500, '明细最多 500 行'),
    receivedAt: Moment.optional().openapi({ description: '入库时间，默认现在；外币订单按这一天（北京时间）的汇率折算入库成本，口径见公司设置 receiptRateBasis' }),
    remark: OptionalText(200),
  })
  .openapi('PurchaseReceiptCreate');
export const PurchaseReturnCreate = z
  .object({
    lines: z.array(z.object(stockLineInput)).min(1, '至少一行明细').max(500, '明细最多 500 行'),
    reason: z.string({ message: '请填写退货原因' }).trim().min(1, '请填写退货原因').max(200, '最长 200 个字符'),
    returnedAt: Moment.optional(),
  })
  .openapi('PurchaseReturnCreate');
export const ReceiptListQuery = pageQuery(['number', 'receivedAt', 'createdAt']).extend({
  supplierId: Id.optional(),
  orderId: Id.optional(),
  itemId: Id.optional(),
  ...DateRange,
});
export const ReceiptPage = pageOf(Receipt).openapi('PurchaseReceiptPage');
export const PurchaseReturnListQuery = pageQuery(['number', 'returnedAt', 'createdAt']).extend({
  supplierId: Id.optional(),
  orderId: Id.optional(),
  itemId: Id.optional(),
  ...DateRange,
});
export const PurchaseReturnPage = pageOf(PurchaseReturn).openapi('PurchaseReturnPage');

// ---------------------------------------------------------------- 在订量

export const ItemOnOrder = z
  .object({
    item: ItemRef,
    baseUnit: CodeRef,
    total: z.string().openapi({ description: '全部仓库的在订量（基本单位）' }),
    warehouses: z.array(
      z.object({
        warehouse: CodeRef,
        quantity: z.string(),
        orders: z.array(
          z.object({
            orderId: z.string(),
            number: z.string(),
            supplier: CodeRef,
            orderLineId: z.string(),
            promisedDate: z.string().nullable(),
            orderedQuantity: z.string(),
            receivedQuantity: z.string(),
            returnedQuantity: z.string(),
            openQuantity: z.string(),
          }),
        ),
      }),
    ),
  })
  .openapi('ItemOnOrder');

export type SupplierPriceCreate = z.infer<typeof SupplierPriceCreate>;
export type SupplierPriceUpdate = z.infer<typeof SupplierPriceUpdate>;
export type SupplierPrice = z.infer<typeof SupplierPrice>;
export type SupplierPriceListQuery = z.infer<typeof SupplierPriceListQuery>;
export type SupplierPricePickQuery = z.infer<typeof SupplierPricePickQuery>;
export type PickedPrice = z.infer<typeof PickedPrice>;
export type RequisitionCreate = z.infer<typeof RequisitionCreate>;
export type RequisitionUpdate = z.infer<typeof RequisitionUpdate>;
export type Requisition = z.infer<typeof Requisition>;
export type RequisitionListQuery = z.infer<typeof RequisitionListQuery>;
export type RequisitionToOrder = z.infer<typeof RequisitionToOrder>;
export type PurchaseOrderLineInput = z.infer<typeof PurchaseOrderLineInput>;
export type PurchaseOrderCreate = z.infer<typeof PurchaseOrderCreate>;
export type PurchaseOrderUpdate = z.infer<typeof PurchaseOrderUpdate>;
export type PurchaseOrderLine = z.infer<typeof PurchaseOrderLine>;
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;
export type PurchaseOrderSummary = z.infer<typeof PurchaseOrderSummary>;
export type PurchaseOrderListQuery = z.infer<typeof PurchaseOrderListQuery>;
export type ReceiptCreate = z.infer<typeof ReceiptCreate>;
export type Receipt = z.infer<typeof Receipt>;
export type ReceiptListQuery = z.infer<typeof ReceiptListQuery>;
export type PurchaseReturnCreate = z.infer<typeof PurchaseReturnCreate>;
export type PurchaseReturn = z.infer<typeof PurchaseReturn>;
export type PurchaseReturnListQuery = z.infer<typeof PurchaseReturnListQuery>;
export type ItemOnOrder = z.infer<typeof ItemOnOrder>;
export type TimelineEntry = z.infer<typeof TimelineEntry>;
