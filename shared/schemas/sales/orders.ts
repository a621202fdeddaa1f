// 销售订单
import { DateOnly, Id, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from '../common.ts';
import { CurrencyCode } from '../crm.ts';
import { CodedRef, OrderState, ProgressValue, Ref, SalesLines, salesLineFields } from './lines.ts';
import { AdvanceReceipt, SalesReturn, Shipment } from './shipments.ts';

const orderFields = {
  customerId: Id,
  ownerId: Id.nullish().openapi({ description: '销售员；默认为创建人' }),
  warehouseId: Id.nullish().openapi({ description: '发货仓库；默认成品仓 WH02' }),
  orderDate: DateOnly.optional().openapi({ description: '订单日期；默认今天（Asia/Shanghai）' }),
  requestedDate: DateOnly.nullish().openapi({ description: '要求交期' }),
  currencyCode: CurrencyCode.optional().openapi({ description: '币别；默认客户的币别，汇率取订单日期当天或之前最近的汇率' }),
  paymentTermDays: z.number({ message: '账期必须是整数天数' }).int('账期必须是整数天数').min(0, '账期不能为负').max(365, '账期最长 365 天').optional(),
  prepaymentRequired: z.boolean({ message: '必须是 true 或 false' }).optional().openapi({ description: '款到发货' }),
  agreedPaymentDate: DateOnly.nullish().openapi({ description: '约定收款日期（赊销/分期收款合同约定）：晚于发货且未开票未收款时，发货的销项税额先记待转销项税额' }),
  remark: OptionalText(500),
};

export const SalesOrderCreate = z.object({ ...orderFields, lines: SalesLines }).openapi('SalesOrderCreate');

export const SalesOrderUpdate = z
  .object({ ...orderFields, customerId: Id.optional(), ownerId: Id.optional(), warehouseId: Id.optional(), lines: SalesLines.optional(), version: Version })
  .openapi('SalesOrderUpdate', { description: '只有草稿可以修改；只需提交要修改的字段，lines 提交时整体替换' });

export const SalesOrderConfirm = z
  .object({ overrideCredit: z.boolean({ message: '必须是 true 或 false' }).optional().openapi({ description: '超出信用额度时放行（需要 salesOrder:overrideCredit）' }) })
  .openapi('SalesOrderConfirm');

export const SalesOrderReason = z
  .object({ reason: OptionalText(200).openapi({ description: '原因' }) })
  .openapi('SalesOrderReason');

export const SalesOrderLine = z
  .object({
    ...salesLineFields,
    warehouse: CodedRef,
    requestedDate: z.string().nullable(),
    shippedQuantity: z.string().openapi({ description: '已发（基本单位）' }),
    returnedQuantity: z.string().openapi({ description: '已退（基本单位）' }),
    reservedQuantity: z.string().openapi({ description: '当前预留（基本单位）' }),
    shortQuantity: z.string().openapi({ description: '缺货 = 订单数量 − 已发 − 预留（已确认订单；基本单位）' }),
  })
  .openapi('SalesOrderLine');

export const TimelineEntry = z
  .object({
    id: z.string(),
    kind: z.string(),
    message: z.string(),
    data: z.unknown().nullable(),
    actor: Ref.nullable(),
    at: Timestamp,
  })
  .openapi('TimelineEntry');

export const SalesOrder = z
  .object({
    id: z.string(),
    number: z.string(),
    customer: CodedRef,
    owner: Ref,
    warehouse: CodedRef,
    quotation: z.object({ id: z.string(), number: z.string() }).nullable(),
    currencyCode: z.string(),
    exchangeRate: z.string(),
    orderDate: z.string(),
    requestedDate: z.string().nullable(),
    paymentTermDays: z.number(),
    prepaymentRequired: z.boolean(),
    agreedPaymentDate: z.string().nullable().optional().openapi({ description: '约定收款日期（未约定为 null）' }),
    state: OrderState,
    stateLabel: z.string().openapi({ description: '状态的中文名' }),
    shipmentProgress: ProgressValue,
    invoiceProgress: ProgressValue,
    paymentProgress: ProgressValue,
    listTotal: z.string(),
    totalAmount: z.string(),
    totalTax: z.string(),
    totalWithTax: z.string(),
    advanceReceived: z.string(),
    creditOverride: z.boolean(),
    remark: z.string().nullable(),
    confirmedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
    lines: z.array(SalesOrderLine).optional().openapi({ description: '详情中给出' }),
    shipments: z.array(Shipment).optional(),
    returns: z.array(SalesReturn).optional(),
    advanceReceipts: z.array(AdvanceReceipt).optional(),
    timeline: z.array(TimelineEntry).optional().openapi({ description: '时间线，最新的在最后' }),
  })
  .openapi('SalesOrder');

export const SalesOrderListQuery = pageQuery(['number', 'orderDate', 'requestedDate', 'totalWithTax', 'createdAt', 'updatedAt']).extend({
  state: OrderState.optional(),
  customerId: Id.optional(),
  ownerId: Id.optional().openapi({ description: '销售员' }),
  from: DateOnly.optional().openapi({ description: '订单日期起（含）' }),
  to: DateOnly.optional().openapi({ description: '订单日期止（含）' }),
  shipmentProgress: ProgressValue.optional(),
});
export const SalesOrderPage = pageOf(SalesOrder).openapi('SalesOrderPage');
export const Timeline = z.array(TimelineEntry).openapi('Timeline');

export type SalesOrderCreate = z.infer<typeof SalesOrderCreate>;
export type SalesOrderUpdate = z.infer<typeof SalesOrderUpdate>;
export type SalesOrderConfirm = z.infer<typeof SalesOrderConfirm>;
export type SalesOrderLine = z.infer<typeof SalesOrderLine>;
export type SalesOrder = z.infer<typeof SalesOrder>;
export type SalesOrderListQuery = z.infer<typeof SalesOrderListQuery>;
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export type SalesOrderPage = z.infer<typeof SalesOrderPage>;
