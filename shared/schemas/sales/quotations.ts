// 报价单
import { DateOnly, Id, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from '../common.ts';
import { CurrencyCode } from '../crm.ts';
import { CodedRef, QuotationState, Ref, SalesLines, salesLineFields } from './lines.ts';

export const QuotationCreate = z
  .object({
    customerId: Id,
    ownerId: Id.nullish().openapi({ description: '销售员；默认为创建人' }),
    currencyCode: CurrencyCode.optional().openapi({ description: '币别；默认客户的币别' }),
    validUntil: DateOnly.nullish().openapi({ description: '有效期至' }),
    remark: OptionalText(500),
    lines: SalesLines,
  })
  .openapi('QuotationCreate');

export const QuotationUpdate = z
  .object({
    customerId: Id.optional(),
    ownerId: Id.optional(),
    currencyCode: CurrencyCode.optional(),
    validUntil: DateOnly.nullish(),
    remark: OptionalText(500),
    lines: SalesLines.optional().openapi({ description: '提交时整体替换明细' }),
    version: Version,
  })
  .openapi('QuotationUpdate', { description: '只有草稿可以修改；只需提交要修改的字段' });

export const QuotationConvert = z
  .object({
    warehouseId: Id.nullish().openapi({ description: '发货仓库；默认成品仓 WH02' }),
    orderDate: DateOnly.optional().openapi({ description: '订单日期；默认今天' }),
    requestedDate: DateOnly.nullish(),
    prepaymentRequired: z.boolean().optional(),
    agreedPaymentDate: DateOnly.nullish().openapi({ description: '约定收款日期（赊销/分期收款合同约定），同新建销售订单' }),
  })
  .openapi('QuotationConvert');

export const QuotationLine = z.object(salesLineFields).openapi('QuotationLine');

export const Quotation = z
  .object({
    id: z.string(),
    number: z.string(),
    customer: CodedRef,
    owner: Ref,
    currencyCode: z.string(),
    exchangeRate: z.string(),
    validUntil: z.string().nullable(),
    state: QuotationState,
    stateLabel: z.string().openapi({ description: '状态的中文名' }),
    totalAmount: z.string(),
    totalTax: z.string(),
    totalWithTax: z.string(),
    remark: z.string().nullable(),
    lines: z.array(QuotationLine).optional().openapi({ description: '详情中给出' }),
    orders: z.array(z.object({ id: z.string(), number: z.string(), state: z.string() })).optional().openapi({ description: '由本报价单转成的订单（详情中给出）' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Quotation');

export const QuotationListQuery = pageQuery(['number', 'createdAt', 'validUntil', 'totalWithTax']).extend({
  state: QuotationState.optional(),
  customerId: Id.optional(),
  ownerId: Id.optional().openapi({ description: '销售员' }),
  from: DateOnly.optional().openapi({ description: '创建日期起' }),
  to: DateOnly.optional().openapi({ description: '创建日期止' }),
});
export const QuotationPage = pageOf(Quotation).openapi('QuotationPage');

export type QuotationCreate = z.infer<typeof QuotationCreate>;
export type QuotationUpdate = z.infer<typeof QuotationUpdate>;
export type QuotationConvert = z.infer<typeof QuotationConvert>;
export type Quotation = z.infer<typeof Quotation>;
export type QuotationListQuery = z.infer<typeof QuotationListQuery>;
