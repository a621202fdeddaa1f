// 应付: 采购发票 (数电票), 付款单, 核销, 供应商对账单 and 应付账龄.
import { Amount, DateOnly, Id, OptionalText, pageOf, pageQuery, Quantity, Timestamp, BooleanQuery, z } from './common.ts';
import { CodeRef } from './inventory.ts';
import { CurrencyCode } from './crm.ts';

export { AGING_BUCKET_LABELS, AGING_BUCKETS, PURCHASE_INVOICE_TYPE_LABELS, PURCHASE_INVOICE_TYPES } from '../enums.ts';
export type { AgingBucket, PurchaseInvoiceType } from '../enums.ts';
import { PURCHASE_INVOICE_TYPES } from '../enums.ts';

const PositiveAmount = () => Amount().refine((v) => Number(v) > 0, { message: '金额必须大于 0' });
const DateRange = {
  dateFrom: DateOnly.optional().openapi({ description: '起始日期（含）' }),
  dateTo: DateOnly.optional().openapi({ description: '截止日期（含）' }),
};

// ---------------------------------------------------------------- 采购发票

export const PurchaseInvoiceCreate = z
  .object({
    supplierId: Id,
    invoiceNo: z.string({ message: '发票号码必须是文本' }).trim().regex(/^\d{20}$/, '数电票号码应为 20 位数字').openapi({ example: '26332000000123456789' }),
    invoiceType: z.enum(PURCHASE_INVOICE_TYPES, { message: '发票类型只能是 special（专票）或 ordinary（普票）' }),
    invoiceDate: DateOnly.openapi({ description: '开票日期，决定凭证的会计期间' }),
    currencyCode: CurrencyCode.optional().openapi({ description: '外币发票的币别（如 USD）：各行金额、税额为该币别，按开票日即期汇率折合人民币' }),
    lines: z
      .array(z.object({
        receiptLineId: Id.openapi({ description: '采购入库单行（同一供应商）' }),
        quantity: Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' }).openapi({ description: '开票数量（基本单位），不能超过入库未开票数量' }),
        amount: Amount().openapi({ description: '不含税金额' }),
        taxAmount: Amount().openapi({ description: '税额' }),
      }))
      .min(1, '至少要有一行')
      .max(200, '最多 200 行'),
    remark: OptionalText(200),
  })
  .openapi('PurchaseInvoiceCreate');

export const PurchaseInvoiceLine = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  receiptLineId: z.string(),
  receipt: z.object({ id: z.string(), number: z.string() }),
  item: CodeRef,
  quantity: z.string(),
  amount: z.string(),
  taxAmount: z.string(),
  provisionalAmount: z.string().openapi({ description: '冲销的暂估金额' }),
  costAmount: z.string().openapi({ description: '按发票的入库成本（不含税金额 + 不可抵扣的税额）' }),
  toStock: z.string().openapi({ description: '与暂估的差额中调整库存的部分' }),
  toCostOfSales: z.string().openapi({ description: '与暂估的差额中计入主营业务成本的部分（已领用/已售出）' }),
});

export const PurchaseInvoice = z
  .object({
    id: z.string(),
    number: z.string(),
    invoiceNo: z.string(),
    invoiceType: z.enum(PURCHASE_INVOICE_TYPES),
    invoiceTypeLabel: z.string(),
    supplier: CodeRef,
    invoiceDate: z.string(),
    amount: z.string(),
    taxAmount: z.string(),
    totalAmount: z.string(),
    currencyCode: z.string().nullable().openapi({ description: '外币发票的币别；null：人民币（上面的金额都是人民币）' }),
    totalForeign: z.string().nullable().openapi({ description: '外币价税合计' }),
    exchangeRate: z.string().nullable(),
    inputVat: z.string().openapi({ description: '计入进项税额的税额（专票且一般纳税人）' }),
    provisionalAmount: z.string(),
    toStock: z.string(),
    toCostOfSales: z.string(),
    settledAmount: z.string(),
    openAmount: z.string().openapi({ description: '未核销金额 = 价税合计 − 已核销' }),
    remark: z.string().nullable(),
    createdAt: Timestamp,
    lines: z.array(PurchaseInvoiceLine),
  })
  .openapi('PurchaseInvoice');

export const PurchaseInvoiceListQuery = pageQuery(['number', 'invoiceDate', 'createdAt']).extend({
  supplierId: Id.optional(),
  open: BooleanQuery.optional().openapi({ description: 'true 只列未核销完的发票' }),
  ...DateRange,
});
export const PurchaseInvoicePage = pageOf(PurchaseInvoice).openapi('PurchaseInvoicePage');

export const UninvoicedQuery = z.object({ supplierId: Id });
export const UninvoicedLine = z.object({
  receiptLineId: z.string(),
  receipt: z.object({ id: z.string(), number: z.string(), receivedAt: Timestamp }),
  item: CodeRef,
  baseQuantity: z.string(),
  invoicedQuantity: z.string(),
  openQuantity: z.string().openapi({ description: '未开票数量（基本单位）' }),
  openProvisional: z.string().openapi({ description: '未开票部分的暂估金额（不含税）' }),
});
export const UninvoicedLines = z.object({ items: z.array(UninvoicedLine) }).openapi('UninvoicedReceiptLines');

// ---------------------------------------------------------------- 付款单与核销

export const SettlementInput = z
  .object({
    paymentId: Id.optional().openapi({ description: '付款单（与 redInvoiceId 二选一）' }),
    redInvoiceId: Id.optional().openapi({ description: '红字发票：退货冲减的应付（供应商欠款）抵扣本发票（与 paymentId 二选一）' }),
    invoiceId: Id,
    amount: PositiveAmount(),
  })
  .refine((l) => !!l.paymentId !== !!l.redInvoiceId, { message: '付款单和红字发票要填且只填一个', path: ['paymentId'] });

export const SupplierPaymentCreate = z
  .object({
    supplierId: Id,
    amount: PositiveAmount().openapi({ description: '付款金额，币别为 currencyCode（默认人民币）' }),
    currencyCode: CurrencyCode.optional().openapi({ description: '外币付款的币别（如 USD）：按付款日即期汇率折合人民币，应付账款与银行存款按外币核算' }),
    paidOn: DateOnly.openapi({ description: '付款日期，决定凭证的会计期间' }),
    accountCode: z.string().trim().regex(/^100[12]\d*$/, '付款科目只能是库存现金（1001）或银行存款（1002）及其明细科目').openapi({ example: '1002' }),
    remark: OptionalText(200),
    settlements: z
      .array(z.object({ invoiceId: Id, amount: PositiveAmount() }))
      .max(200, '最多 200 行')
      .optional()
      .openapi({ description: '同时核销的发票（可选）' }),
  })
  .openapi('SupplierPaymentCreate');

export const Settlement = z.object({
  id: z.string(),
  paymentId: z.string().nullable(),
  paymentNumber: z.string().nullable(),
  redInvoiceId: z.string().nullable().openapi({ description: '以红字发票（退货冲减的应付）抵扣时' }),
  redInvoiceNumber: z.string().nullable(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  invoiceNo: z.string(),
  amount: z.string().openapi({ description: '核销金额：发票未核销金额减少的数（本位币，按发票汇率）' }),
  paymentAmount: z.string().openapi({ description: '付款单未核销金额减少的数：同一外币的付款与发票按外币核销，付款一侧按付款汇率折算；否则与核销金额相同' }),
  amountForeign: z.string().nullable().openapi({ description: '核销的外币金额（都是人民币时为空）' }),
  fromAdvance: z.string().openapi({ description: '其中由预付款转入的金额（付款一侧金额）' }),
  settledOn: z.string(),
});

export const SupplierPayment = z
  .object({
    id: z.string(),
    number: z.string(),
    supplier: CodeRef,
    paidOn: z.string(),
    amount: z.string().openapi({ description: '人民币金额（外币付款：外币金额 × 汇率，到分）' }),
    currencyCode: z.string().nullable(),
    amountForeign: z.string().nullable(),
    exchangeRate: z.string().nullable(),
    accountCode: z.string(),
    payableAmount: z.string().openapi({ description: '冲减应付账款的部分' }),
    advanceAmount: z.string().openapi({ description: '超过未付应付款的部分，记预付账款' }),
    settledAmount: z.string(),
    unsettledAmount: z.string(),
    remark: z.string().nullable(),
    createdAt: Timestamp,
    settlements: z.array(Settlement),
  })
  .openapi('SupplierPayment');

export const SupplierPaymentListQuery = pageQuery(['number', 'paidOn', 'createdAt']).extend({
  supplierId: Id.optional(),
  ...DateRange,
});
export const SupplierPaymentPage = pageOf(SupplierPayment).openapi('SupplierPaymentPage');

export const SettlementCreate = z
  .object({
    settledOn: DateOnly.optional().openapi({ description: '核销日期，默认今天（北京时间）' }),
    lines: z.array(SettlementInput).min(1, '至少要有一行').max(200, '最多 200 行'),
  })
  .openapi('PayableSettlementCreate');
export const SettlementResult = z.object({ items: z.array(Settlement) }).openapi('PayableSettlementResult');

// ---------------------------------------------------------------- 账龄与对账单


export const PayablesQuery = z.object({
  asOf: DateOnly.optional().openapi({ description: '截止日期，默认今天（北京时间）' }),
  supplierId: Id.optional(),
});
const Buckets = z.object({ days0to30: z.string(), days31to60: z.string(), days61to90: z.string(), over90: z.string() });
export const PayableRow = z.object({
  supplier: CodeRef,
  openInvoices: z.string().openapi({ description: '未核销发票金额' }),
  unsettledPayments: z.string().openapi({ description: '未核销付款（含预付）' }),
  unsettledCredits: z.string().openapi({ description: '未抵扣的退货红字发票（供应商欠款，可抵扣以后的发票）' }),
  balance: z.string().openapi({ description: '应付余额 = 未核销发票 − 未核销付款 − 未抵扣红字发票（负数为预付或供应商欠款）' }),
  aging: Buckets.openapi({ description: '未核销发票按开票日起的账龄' }),
  overdue: z.string().openapi({ description: '超过供应商账期的未核销发票金额' }),
});
export const Payables = z
  .object({ asOf: z.string(), items: z.array(PayableRow), totals: PayableRow.omit({ supplier: true }) })
  .openapi('Payables');

export const StatementQuery = z.object({
  dateFrom: DateOnly.openapi({ description: '起始日期（含）' }),
  dateTo: DateOnly.openapi({ description: '截止日期（含）' }),
}).refine((v) => v.dateTo >= v.dateFrom, { message: '截止日期不能早于起始日期', path: ['dateTo'] });
export const StatementLine = z.object({
  date: z.string(),
  kind: z.enum(['invoice', 'payment', 'redInvoice']),
  kindLabel: z.string(),
  id: z.string(),
  number: z.string(),
  invoiceNo: z.string().nullable(),
  summary: z.string(),
  increase: z.string().openapi({ description: '本期应付增加（发票价税合计；退货红字发票为负数）' }),
  decrease: z.string().openapi({ description: '本期应付减少（付款）' }),
  balance: z.string(),
});
export const SupplierStatement = z
  .object({
    supplier: CodeRef,
    dateFrom: z.string(),
    dateTo: z.string(),
    opening: z.string().openapi({ description: '期初应付余额（负数为预付）' }),
    lines: z.array(StatementLine),
    totalIncrease: z.string(),
    totalDecrease: z.string(),
    closing: z.string(),
    closingLabel: z.string().openapi({ description: '期末余额的含义：应付供应商 / 供应商欠款（可抵扣） / 已结清' }),
  })
  .openapi('SupplierStatement');

// ---------------------------------------------------------------- 红字发票（退货）

export const PurchaseRedInvoice = z
  .object({
    id: z.string(),
    number: z.string(),
    supplier: CodeRef,
    purchaseReturn: z.object({ id: z.string(), number: z.string() }),
    originalInvoice: z.object({ id: z.string(), number: z.string(), invoiceNo: z.string() }),
    redInvoiceNo: z.string().nullable().openapi({ description: '数电红字发票号码；null：尚未登记' }),
    invoiceDate: z.string(),
    totalAmount: z.string().openapi({ description: '冲减的价税合计（正数，人民币）' }),
    inputVat: z.string().openapi({ description: '其中转回的进项税额' }),
    currencyCode: z.string().nullable(),
    totalForeign: z.string().nullable(),
    exchangeRate: z.string().nullable().openapi({ description: '原发票的汇率' }),
    settledAmount: z.string().openapi({ description: '已抵扣发票的金额' }),
    openAmount: z.string().openapi({ description: '未抵扣：供应商欠款（可抵扣以后的发票）' }),
    settlements: z.array(Settlement),
    createdAt: Timestamp,
  })
  .openapi('PurchaseRedInvoice');
export const PurchaseRedInvoiceListQuery = pageQuery(['number', 'invoiceDate', 'createdAt']).extend({
  supplierId: Id.optional(),
  returnId: Id.optional(),
  open: BooleanQuery.optional().openapi({ description: 'true 只列未抵扣完的红字发票' }),
});
export const PurchaseRedInvoicePage = pageOf(PurchaseRedInvoice).openapi('PurchaseRedInvoicePage');
export const PurchaseRedInvoiceUpdate = z
  .object({
    redInvoiceNo: z.string({ message: '红字发票号码必须是文本' }).trim().regex(/^\d{20}$/, '数电红字发票号码应为 20 位数字').openapi({ example: '26332000000987654321' }),
  })
  .openapi('PurchaseRedInvoiceUpdate');

export type PurchaseInvoiceCreate = z.infer<typeof PurchaseInvoiceCreate>;
export type PurchaseInvoice = z.infer<typeof PurchaseInvoice>;
export type PurchaseInvoiceListQuery = z.infer<typeof PurchaseInvoiceListQuery>;
export type UninvoicedLine = z.infer<typeof UninvoicedLine>;
export type SupplierPaymentCreate = z.infer<typeof SupplierPaymentCreate>;
export type SupplierPayment = z.infer<typeof SupplierPayment>;
export type SupplierPaymentListQuery = z.infer<typeof SupplierPaymentListQuery>;
export type SettlementCreate = z.infer<typeof SettlementCreate>;
export type Settlement = z.infer<typeof Settlement>;
export type Payables = z.infer<typeof Payables>;
export type PayablesQuery = z.infer<typeof PayablesQuery>;
export type SupplierStatement = z.infer<typeof SupplierStatement>;
export type StatementQuery = z.infer<typeof StatementQuery>;
export type PurchaseRedInvoice = z.infer<typeof PurchaseRedInvoice>;
export type PurchaseRedInvoiceListQuery = z.infer<typeof PurchaseRedInvoiceListQuery>;
export type PurchaseRedInvoiceUpdate = z.infer<typeof PurchaseRedInvoiceUpdate>;
