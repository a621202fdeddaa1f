// 销售出库单与销售退货
import { Amount, DateOnly, Id, OptionalText, pageOf, pageQuery, Timestamp, z } from '../common.ts';
import { CodedRef, ItemRef, LineQuantity, QualityStatusValue, Ref } from './lines.ts';
import { ReceiptAccount } from './receivables.ts';

const BatchNo = z.string().trim().max(40, '批次最长 40 个字符').optional().openapi({ description: '批次（炉号）；批次管理的物料必填' });

export const ShipmentCreate = z
  .object({
    lines: z
      .array(z.object({
        orderLineId: Id,
        unitId: Id.optional().openapi({ description: '计量单位：物料的任一单位，默认订单行的单位' }),
        quantity: LineQuantity().openapi({ description: '数量（unitId 的单位，按其精度；按基本单位计入订单行的已发/已退）' }),
        batchNo: BatchNo,
      }))
      .min(1, '至少需要一行明细')
      .max(2000, '明细最多 2000 行'),
    remark: OptionalText(200),
  })
  .openapi('ShipmentCreate');

export const SalesReturnCreate = z
  .object({
    lines: z
      .array(z.object({
        orderLineId: Id,
        unitId: Id.optional().openapi({ description: '计量单位：物料的任一单位，默认订单行的单位' }),
        quantity: LineQuantity().openapi({ description: '数量（unitId 的单位，按其精度；按基本单位计入订单行的已发/已退）' }),
        batchNo: BatchNo,
        qualityStatus: QualityStatusValue.optional().openapi({ description: '退回货物的质检状态，默认 passed（合格）' }),
      }))
      .min(1, '至少需要一行明细')
      .max(2000, '明细最多 2000 行'),
    reason: OptionalText(200),
  })
  .openapi('SalesReturnCreate');

const documentLine = {
  id: z.string(),
  orderLineId: z.string(),
  lineNo: z.number().int().openapi({ description: '订单行号' }),
  item: ItemRef,
  warehouse: CodedRef,
  batchNo: z.string(),
  unit: Ref.openapi({ description: '录入的计量单位（早先的单据为订单行的单位）' }),
  quantity: z.string().openapi({ description: '录入单位的数量' }),
  baseQuantity: z.string(),
  unitCost: z.string().openapi({ description: '单位成本（金额 ÷ 基本单位数量，仅供显示）' }),
  amount: z.string().openapi({ description: '成本金额（本位币，到分）：发货为出库取走的库存金额，退货为退回入库的金额' }),
};

export const Shipment = z
  .object({
    id: z.string(),
    number: z.string(),
    order: z.object({ id: z.string(), number: z.string() }),
    customer: CodedRef,
    shippedAt: Timestamp,
    remark: z.string().nullable(),
    createdBy: Ref.nullable(),
    lines: z.array(z.object(documentLine)),
    createdAt: Timestamp,
  })
  .openapi('Shipment');

export const SalesReturn = z
  .object({
    id: z.string(),
    number: z.string(),
    order: z.object({ id: z.string(), number: z.string() }),
    customer: CodedRef,
    returnedAt: Timestamp,
    reason: z.string().nullable(),
    createdBy: Ref.nullable(),
    lines: z.array(z.object({ ...documentLine, qualityStatus: QualityStatusValue })),
    redInvoices: z.array(z.object({
      id: z.string(),
      number: z.string().openapi({ description: '销售红字发票单号 XH-…' }),
      redInvoiceNo: z.string().nullable(),
      originalInvoice: z.object({ id: z.string(), number: z.string(), invoiceNo: z.string().nullable() }),
      totalAmount: z.string().openapi({ description: '价税合计（本位币）' }),
      taxAmount: z.string().openapi({ description: '销项税额' }),
    })).openapi({ description: '退回已开票货物开出的红字发票（每张原发票一张）' }),
    createdAt: Timestamp,
  })
  .openapi('SalesReturn');

export const ShipmentListQuery = pageQuery(['number', 'shippedAt', 'createdAt']).extend({
  orderId: Id.optional(),
  customerId: Id.optional(),
  from: DateOnly.optional().openapi({ description: '发货日期起' }),
  to: DateOnly.optional().openapi({ description: '发货日期止' }),
});
export const ShipmentPage = pageOf(Shipment).openapi('ShipmentPage');

export const SalesReturnListQuery = pageQuery(['number', 'returnedAt', 'createdAt']).extend({
  orderId: Id.optional(),
  customerId: Id.optional(),
  from: DateOnly.optional().openapi({ description: '退货日期起' }),
  to: DateOnly.optional().openapi({ description: '退货日期止' }),
});
export const SalesReturnPage = pageOf(SalesReturn).openapi('SalesReturnPage');

export const AdvanceReceiptCreate = z
  .object({
    amount: Amount().refine((v) => Number(v) > 0, { message: '金额必须大于 0' }).openapi({ description: '预收金额（订单币别）' }),
    method: OptionalText(30).openapi({ description: '收款方式，如 银行转账、承兑汇票' }),
    accountCode: ReceiptAccount.optional().openapi({ description: '收款科目：1002 银行存款（默认）、1001 库存现金或其明细科目；按外币核算的明细科目须是订单币别' }),
    remark: OptionalText(200),
  })
  .openapi('AdvanceReceiptCreate');

export const AdvanceReceipt = z
  .object({
    id: z.string(),
    amount: z.string(),
    method: z.string().nullable(),
    remark: z.string().nullable(),
    receivedAt: Timestamp,
    createdBy: Ref.nullable(),
    customerReceipt: z.object({ id: z.string(), number: z.string() }).openapi({ description: '这笔预收款的收款单（全部为预收，可在应收核销中冲抵发票）' }),
  })
  .openapi('AdvanceReceipt');

export type ShipmentCreate = z.infer<typeof ShipmentCreate>;
export type SalesReturnCreate = z.infer<typeof SalesReturnCreate>;
export type Shipment = z.infer<typeof Shipment>;
export type SalesReturn = z.infer<typeof SalesReturn>;
export type ShipmentListQuery = z.infer<typeof ShipmentListQuery>;
export type SalesReturnListQuery = z.infer<typeof SalesReturnListQuery>;
export type AdvanceReceiptCreate = z.infer<typeof AdvanceReceiptCreate>;
export type AdvanceReceipt = z.infer<typeof AdvanceReceipt>;
