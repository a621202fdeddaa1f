// 应收: 销售发票 (数电票), 收款单, 核销, 账龄 and 客户对账单.
import { Amount, DateOnly, Id, OptionalText, pageOf, pageQuery, Quantity, Rate, Timestamp, z } from '../common.ts';
import { CurrencyCode } from '../crm.ts';
import { CodedRef, Ref } from './lines.ts';

const Positive = () => Amount().refine((v) => Number(v) > 0, { message: '金额必须大于 0' });

export const SalesInvoiceKind = z.enum(['special', 'ordinary'], { message: '发票类型只能是 special（专票）或 ordinary（普票）' });

export const SalesInvoiceCreate = z
  .object({
    customerId: Id,
    orderId: Id.nullish().openapi({ description: '销售订单；有订单行的明细必须属于它' }),
    kind: SalesInvoiceKind.openapi({ description: 'special 增值税专用发票，ordinary 普通发票' }),
    invoiceDate: DateOnly.optional().openapi({ description: '开票日期，默认今天；到期日 = 开票日期 + 客户账期' }),
    lines: z
      .array(z.union([
        z.object({
          orderLineId: Id,
          quantity: Quantity().refine((v) => Number(v) > 0, { message: '数量必须大于 0' }).openapi({ description: '开票数量（基本单位）' }),
        }).strict(),
        z.object({
          description: z.string().trim().min(1, '说明不能为空').max(100, '最长 100 个字符'),
          amountWithTax: Positive().openapi({ description: '价税合计' }),
          taxRate: Rate().openapi({ description: '税率，如 0.13' }),
        }).strict(),
      ], { message: '明细行要么是订单行（orderLineId、quantity），要么是自由行（description、amountWithTax、taxRate）' }))
      .min(1, '至少需要一行明细')
      .max(500, '明细最多 500 行'),
    remark: OptionalText(200),
  })
  .openapi('SalesInvoiceCreate');
export type SalesInvoiceCreate = z.infer<typeof SalesInvoiceCreate>;

export const SalesInvoiceIssue = z
  .object({
    invoiceNo: z.string().trim().regex(/^\d{20}$/, '数电票号码应为 20 位数字').openapi({ description: '数电票号码（20 位）' }),
  })
  .openapi('SalesInvoiceIssue');

export const SalesInvoice = z
  .object({
    id: z.string(),
    number: z.string(),
    customer: CodedRef,
    order: z.object({ id: z.string(), number: z.string() }).nullable(),
    kind: SalesInvoiceKind,
    state: z.enum(['draft', 'issued']),
    invoiceNo: z.string().nullable(),
    invoiceDate: z.string(),
    dueDate: z.string(),
    amount: z.string(),
    taxAmount: z.string(),
    amountWithTax: z.string(),
    matchedAmount: z.string(),
    openAmount: z.string(),
    billedAhead: z.string().openapi({ description: '其中发货前开票（预开票）的价税合计' }),
    writtenOffAmount: z.string().openapi({ description: '坏账核销金额（计入已核销，不再是未收）' }),
    writtenOffOn: z.string().nullable(),
    writeOffReason: z.string().nullable(),
    remark: z.string().nullable(),
    issuedAt: Timestamp.nullable(),
    lines: z.array(z.object({
      lineNo: z.number().int(),
      orderLineId: z.string().nullable(),
      itemId: z.string().nullable(),
      description: z.string(),
      quantity: z.string().nullable(),
      taxRate: z.string(),
      amount: z.string(),
      taxAmount: z.string(),
      amountWithTax: z.string(),
    })),
  })
  .openapi('SalesInvoice');
export type SalesInvoice = z.infer<typeof SalesInvoice>;

export const ReceiptAccount = z.string().trim().regex(/^100[12]\d*$/, '收款科目只能是库存现金（1001）或银行存款（1002）及其明细科目').openapi({ example: '1002' });

export const CustomerReceiptCreate = z
  .object({
    customerId: Id,
    orderId: Id.nullish().openapi({ description: '销售订单：收款计入它的已收款与收款进度，并通知订单群' }),
    amount: Positive().openapi({ description: '收款金额，币别为 currencyCode（默认人民币）' }),
    currencyCode: CurrencyCode.optional().openapi({ description: '外币收款的币别（如 USD）：按收款日即期汇率折合人民币，应收账款与银行存款按外币核算' }),
    receivedOn: DateOnly.optional().openapi({ description: '收款日期，默认今天' }),
    accountCode: ReceiptAccount.default('1002').openapi({ description: '1002 银行存款（默认）、1001 库存现金或其明细科目（如 100202 银行存款—美元）' }),
    method: OptionalText(30),
    remark: OptionalText(200),
  })
  .openapi('CustomerReceiptCreate');
export type CustomerReceiptCreate = z.infer<typeof CustomerReceiptCreate>;

export const CustomerReceipt = z
  .object({
    id: z.string(),
    number: z.string(),
    customer: CodedRef,
    order: z.object({ id: z.string(), number: z.string() }).nullable(),
    receivedOn: z.string(),
    accountCode: ReceiptAccount,
    amount: z.string().openapi({ description: '人民币金额（外币收款：外币金额 × 汇率，到分）' }),
    currencyCode: z.string().nullable().openapi({ description: '外币收款的币别；null：人民币' }),
    amountForeign: z.string().nullable(),
    exchangeRate: z.string().nullable(),
    advanceAmount: z.string().openapi({ description: '收款时超出客户未核销发票的部分，记预收账款' }),
    matchedAmount: z.string(),
    unmatchedAmount: z.string(),
    method: z.string().nullable(),
    remark: z.string().nullable(),
    createdBy: Ref.nullable(),
    createdAt: Timestamp,
  })
  .openapi('CustomerReceipt');
export type CustomerReceipt = z.infer<typeof CustomerReceipt>;

export const ArMatchCreate = z
  .object({
    matches: z
      .array(z
        .object({
          invoiceId: Id,
          customerReceiptId: Id.optional().openapi({ description: '收款单（与 redInvoiceId 二选一）' }),
          redInvoiceId: Id.optional().openapi({ description: '销售红字发票：退货冲减的应收（应退客户的部分）抵扣本发票（与 customerReceiptId 二选一；两边都在应收账款，不记凭证）' }),
          amount: Positive().openapi({ description: '本次核销金额：发票未核销金额减少的数（本位币）；同一外币的收款按相同外币金额、收款汇率减少；红字发票按面值' }),
        })
        .refine((m) => !!m.customerReceiptId !== !!m.redInvoiceId, { message: '收款单和红字发票要填且只填一个', path: ['customerReceiptId'] }))
      .min(1, '至少需要一笔核销')
      .max(200, '一次最多 200 笔核销'),
  })
  .openapi('ArMatchCreate');
export type ArMatchCreate = z.infer<typeof ArMatchCreate>;

export const ArMatch = z
  .object({
    id: z.string(),
    invoiceId: z.string(),
    invoiceNumber: z.string(),
    receiptId: z.string().nullable(),
    receiptNumber: z.string().nullable(),
    redInvoiceId: z.string().nullable().openapi({ description: '以销售红字发票（退货冲减的应收）抵扣时' }),
    redInvoiceNumber: z.string().nullable(),
    amount: z.string().openapi({ description: '核销金额：发票未核销金额减少的数（本位币，按发票汇率）' }),
    receiptAmount: z.string().openapi({ description: '收款单未核销金额减少的数：同一外币的收款与发票按外币核销，收款一侧按收款汇率折算；否则与核销金额相同' }),
    amountForeign: z.string().nullable().openapi({ description: '核销的外币金额（都是人民币时为空）' }),
    fromAdvance: z.string().openapi({ description: '其中用收款的预收部分核销（收款一侧金额；凭证：借 预收账款 贷 应收账款，汇率不同的差额记汇兑损益）' }),
    createdAt: Timestamp,
    unmatchedAt: Timestamp.nullable(),
  })
  .openapi('ArMatch');
export const ArMatchList = z.object({ items: z.array(ArMatch) }).openapi('ArMatchList');

export const SalesInvoiceWriteOff = z.object({
  reason: z.string().trim().min(1, '原因不能为空').max(200, '最长 200 个字符'),
  date: DateOnly.optional().openapi({ description: '核销日期，默认今天' }),
}).openapi('SalesInvoiceWriteOff');
export type SalesInvoiceWriteOff = z.infer<typeof SalesInvoiceWriteOff>;
export const ArUnmatch = z.object({ reason: z.string().trim().min(1, '原因不能为空').max(200, '最长 200 个字符') }).openapi('ArUnmatch');

export const ReceivableListQuery = z.object({
  customerId: Id.optional(),
  state: z.enum(['draft', 'issued']).optional(),
  openOnly: z.enum(['true', 'false']).optional().openapi({ description: 'true：只列未核销完的' }),
});

export const AgingQuery = z.object({
  asOf: DateOnly.optional().openapi({ description: '账龄截止日，默认今天' }),
  customerId: Id.optional(),
});

const Buckets = {
  notDue: z.string().openapi({ description: '未到期' }),
  d1to30: z.string(),
  d31to60: z.string(),
  d61to90: z.string(),
  over90: z.string(),
  total: z.string().openapi({ description: '未核销发票合计' }),
  overdue: z.string().openapi({ description: '已逾期合计' }),
};

export const AgingReport = z
  .object({
    asOf: z.string(),
    customers: z.array(z.object({
      customer: CodedRef, ...Buckets,
      unmatchedReceipts: z.string().openapi({ description: '未核销收款（含预收）' }),
      unsettledCredits: z.string().openapi({ description: '未抵扣的销售红字发票（已收款后退货：应退客户，可抵扣以后的发票）' }),
    })),
    totals: z.object(Buckets),
  })
  .openapi('AgingReport');
export type AgingReport = z.infer<typeof AgingReport>;

export const StatementQuery = z.object({ from: DateOnly, to: DateOnly });

export const CustomerStatement = z
  .object({
    customer: CodedRef,
    from: z.string(),
    to: z.string(),
    opening: z.string().openapi({ description: '期初应收（已开发票 − 收款，起始日前）' }),
    lines: z.array(z.object({
      date: z.string(),
      kind: z.enum(['invoice', 'receipt', 'writeOff', 'redInvoice']),
      number: z.string(),
      reference: z.string().nullable().openapi({ description: '发票号码 / 收款方式 / 红字发票号码' }),
      debit: z.string().openapi({ description: '本期开票（应收增加；退货红字发票为负数）' }),
      credit: z.string().openapi({ description: '本期收款或坏账核销' }),
      balance: z.string(),
    })),
    invoiced: z.string(),
    received: z.string(),
    writtenOff: z.string().openapi({ description: '本期坏账核销' }),
    closing: z.string(),
    closingLabel: z.string().openapi({ description: '期末余额的含义：应收客户 / 应退客户（可抵扣） / 已结清' }),
  })
  .openapi('CustomerStatement');
export type CustomerStatement = z.infer<typeof CustomerStatement>;

export const StatementSendParams = z.object({ customerId: Id });

export const StatementSendResult = z
  .object({
    customerId: z.string(),
    customerName: z.string(),
    from: z.string(),
    to: z.string(),
    opening: z.string(),
    invoiced: z.string(),
    received: z.string(),
    closing: z.string(),
    groups: z.number().int().openapi({ description: '发往的客户群数' }),
  })
  .openapi('StatementSendResult');
export type StatementSendResult = z.infer<typeof StatementSendResult>;

export const SalesInvoiceList = z.object({ items: z.array(SalesInvoice) }).openapi('SalesInvoiceList');
export const CustomerReceiptList = z.object({ items: z.array(CustomerReceipt) }).openapi('CustomerReceiptList');
export const CustomerReceiptListQuery = z.object({
  customerId: Id.optional(),
  openOnly: z.enum(['true', 'false']).optional().openapi({ description: 'true：只列未核销完的' }),
});
export const ArMatchListQuery = z.object({ invoiceId: Id.optional(), customerReceiptId: Id.optional() });

// ---------------------------------------------------------------- 销售红字发票（退货）

export const SalesRedInvoice = z
  .object({
    id: z.string(),
    number: z.string(),
    customer: CodedRef,
    salesReturn: z.object({ id: z.string(), number: z.string() }),
    originalInvoice: z.object({ id: z.string(), number: z.string(), invoiceNo: z.string().nullable() }),
    redInvoiceNo: z.string().nullable().openapi({ description: '数电红字发票号码；null：尚未登记' }),
    invoiceDate: z.string(),
    totalAmount: z.string().openapi({ description: '冲减的价税合计（正数，本位币）' }),
    taxAmount: z.string().openapi({ description: '其中冲减的销项税额' }),
    currencyCode: z.string().nullable(),
    totalForeign: z.string().nullable(),
    exchangeRate: z.string().nullable().openapi({ description: '原发票（订单）的汇率' }),
    matchedAmount: z.string().openapi({ description: '已抵扣发票的金额' }),
    openAmount: z.string().openapi({ description: '未抵扣：应退客户（可抵扣以后的发票）' }),
    matches: z.array(ArMatch),
    createdAt: Timestamp,
  })
  .openapi('SalesRedInvoice');
export type SalesRedInvoice = z.infer<typeof SalesRedInvoice>;
export const SalesRedInvoiceListQuery = pageQuery(['number', 'invoiceDate', 'createdAt']).extend({
  customerId: Id.optional(),
  salesReturnId: Id.optional(),
  openOnly: z.enum(['true', 'false']).optional().openapi({ description: 'true：只列未抵扣完的' }),
});
export type SalesRedInvoiceListQuery = z.infer<typeof SalesRedInvoiceListQuery>;
export const SalesRedInvoicePage = pageOf(SalesRedInvoice).openapi('SalesRedInvoicePage');
export const SalesRedInvoiceUpdate = z
  .object({
    redInvoiceNo: z.string({ message: '红字发票号码必须是文本' }).trim().regex(/^\d{20}$/, '数电红字发票号码应为 20 位数字').openapi({ example: '26332000000987654321' }),
  })
  .openapi('SalesRedInvoiceUpdate');
export type SalesRedInvoiceUpdate = z.infer<typeof SalesRedInvoiceUpdate>;
