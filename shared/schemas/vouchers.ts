// 财务: 会计科目, 会计期间, 记账凭证 and the 科目余额表 (trial balance).
import { DateOnly, decimalString, Id, Name, pageOf, pageQuery, Timestamp, z } from './common.ts';
import { CurrencyCode } from './crm.ts';

export const ACCOUNT_CATEGORY_LABELS = { asset: '资产', liability: '负债', equity: '所有者权益', cost: '成本', profitLoss: '损益' } as const;
export const BALANCE_DIRECTION_LABELS = { debit: '借', credit: '贷' } as const;
export const PERIOD_STATE_LABELS = { open: '未结账', closed: '已结账' } as const;

export const PeriodText = z.string().trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '会计期间格式应为 YYYY-MM').openapi({ example: '2026-12' });
export const PeriodParams = z.object({ period: PeriodText });

export const Account = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    fullName: z.string().openapi({ description: '含上级科目的全称，如 应交税费—应交增值税—销项税额' }),
    parentId: z.string().nullable(),
    level: z.number().int(),
    category: z.enum(['asset', 'liability', 'equity', 'cost', 'profitLoss']),
    categoryLabel: z.string(),
    direction: z.enum(['debit', 'credit']),
    directionLabel: z.string(),
    postable: z.boolean().openapi({ description: '末级科目才能记账' }),
    fxAccounting: z.boolean().openapi({ description: '外币核算：分录可带外币金额（应收、应付、预收、预付、外币银行存款）' }),
    currencyCode: z.string().nullable().openapi({ description: '只核算一种外币的科目（如 银行存款—美元）的币别；null：任意币别' }),
  })
  .openapi('Account');
export const AccountList = z.object({ items: z.array(Account) }).openapi('AccountList');

export const AccountCreate = z
  .object({
    parentId: Id,
    code: z.string().trim().regex(/^\d+$/, '科目编码只能是数字').optional().openapi({ description: '上级编码 + 2 位；不填则自动取下一个' }),
    name: Name(50),
    currencyCode: CurrencyCode.optional().openapi({ description: '外币核算的币别（如 USD）：该明细科目只记这种外币，每行须填外币金额；本位币不填' }),
  })
  .openapi('AccountCreate');

const Money = decimalString({ scale: 2 });

export const VoucherLineInput = z.object({
  accountId: Id,
  summary: z.string().trim().max(200, '最长 200 个字符').optional(),
  debit: Money.optional(),
  credit: Money.optional(),
  customerId: Id.optional(),
  supplierId: Id.optional(),
  departmentId: Id.optional(),
  employeeId: Id.optional(),
  itemId: Id.optional(),
  projectId: Id.optional().openapi({ description: '项目（辅助核算）；已结束的项目只能记结束日期及以前的凭证' }),
  currencyCode: CurrencyCode.optional().openapi({ description: '外币核算科目的币别；不填为本位币' }),
  amountForeign: decimalString({ scale: 2 }).optional().openapi({ description: '外币金额（与本位币金额同号）；本位币金额 = 外币金额 × 汇率（到分）' }),
  rate: decimalString({ scale: 6, min: 0 }).optional().openapi({ description: '汇率（1 外币折合人民币）' }),
});

export const VoucherCreate = z
  .object({
    date: DateOnly.openapi({ description: '凭证日期，决定会计期间' }),
    summary: z.string().trim().min(1, '摘要不能为空').max(200, '最长 200 个字符'),
    attachmentCount: z.number({ message: '应为数字' }).int('应为整数').min(0, '不能小于 0').max(999, '最大 999').optional()
      .openapi({ description: '附单据数（张），凭证所附原始单据的张数；不填为 0' }),
    lines: z.array(VoucherLineInput).min(2, '凭证至少要有两行分录').max(200, '最多 200 行'),
  })
  .openapi('VoucherCreate');

export const VoucherReverse = z
  .object({ date: DateOnly.optional().openapi({ description: '红字凭证的日期，默认今天（北京时间）' }) })
  .openapi('VoucherReverse');

const Ref = z.object({ id: z.string(), code: z.string().nullable(), name: z.string() }).nullable();

export const VoucherLine = z.object({
  lineNo: z.number().int(),
  summary: z.string(),
  account: z.object({ id: z.string(), code: z.string(), fullName: z.string() }),
  debit: z.string(),
  credit: z.string(),
  customer: Ref,
  supplier: Ref,
  department: Ref,
  employee: Ref,
  item: Ref,
  project: Ref,
  currencyCode: z.string().nullable().openapi({ description: '外币分录的币别（null：本位币）' }),
  amountForeign: z.string().nullable(),
  rate: z.string().nullable(),
});

export const VoucherSource = z
  .object({ type: z.string(), id: z.string(), number: z.string(), label: z.string(), apiPath: z.string().nullable() })
  .nullable()
  .openapi({ description: '生成该凭证的业务单据（手工凭证为 null）；分录可据此回到单据' });

export const Voucher = z
  .object({
    id: z.string(),
    number: z.string().openapi({ example: '记-0001' }),
    period: z.string(),
    date: z.string().openapi({ format: 'date' }),
    summary: z.string(),
    totalDebit: z.string(),
    totalCredit: z.string(),
    source: VoucherSource,
    reversalOf: z.object({ id: z.string(), number: z.string(), period: z.string() }).nullable(),
    reversedBy: z.object({ id: z.string(), number: z.string(), period: z.string() }).nullable(),
    attachmentCount: z.number().int().openapi({ description: '附单据数（张），录入时填写；0 为未填' }),
    createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    createdAt: Timestamp,
    lines: z.array(VoucherLine),
  })
  .openapi('Voucher');

export const VoucherListQuery = pageQuery(['number', 'date', 'createdAt']).extend({
  period: PeriodText.optional(),
  accountId: Id.optional(),
  sourceType: z.string().trim().max(40).optional(),
  sourceId: Id.optional(),
});
export const VoucherPage = pageOf(Voucher).openapi('VoucherPage');
export const VoucherPrintQuery = z.object({
  paper: z.enum(['a4', 'voucher']).default('a4').openapi({ description: '纸张：a4 = A4，voucher = 凭证纸 240×140 mm' }),
});

export const AccountingPeriod = z
  .object({ period: z.string(), state: z.enum(['open', 'closed']), stateLabel: z.string(), vouchers: z.number().int(), closedAt: Timestamp.nullable() })
  .openapi('AccountingPeriod');
export const AccountingPeriodList = z.object({ items: z.array(AccountingPeriod) }).openapi('AccountingPeriodList');

export const TrialBalanceQuery = z.object({
  period: PeriodText,
  all: z.enum(['true', 'false']).transform((v) => v === 'true').optional().openapi({ description: 'true：列出全部科目（含无发生额、无余额的）' }),
});

const Sides = z.object({ debit: z.string(), credit: z.string() });
export const TrialBalanceRow = z.object({
  accountId: z.string(),
  code: z.string(),
  name: z.string(),
  level: z.number().int(),
  direction: z.enum(['debit', 'credit']),
  postable: z.boolean(),
  opening: Sides,
  period: Sides,
  closing: Sides,
});
export const TrialBalance = z
  .object({
    period: z.string(),
    rows: z.array(TrialBalanceRow),
    totals: z.object({ opening: Sides, period: Sides, closing: Sides }).openapi({ description: '一级科目合计；借贷各自相等即试算平衡' }),
    balanced: z.boolean(),
  })
  .openapi('TrialBalance');

export type Account = z.output<typeof Account>;
export type AccountList = z.output<typeof AccountList>;
export type AccountCreate = z.output<typeof AccountCreate>;
export type VoucherCreate = z.output<typeof VoucherCreate>;
export type VoucherReverse = z.output<typeof VoucherReverse>;
export type Voucher = z.output<typeof Voucher>;
export type VoucherListQuery = z.output<typeof VoucherListQuery>;
export type AccountingPeriod = z.output<typeof AccountingPeriod>;
export type TrialBalanceQuery = z.output<typeof TrialBalanceQuery>;
export type TrialBalance = z.output<typeof TrialBalance>;
export type TrialBalanceRow = z.output<typeof TrialBalanceRow>;

// 期初余额: a company starting its books here enters each account's balance at the start of its first month.
export const OpeningBalanceLineInput = z.object({
  accountCode: z.string().trim().regex(/^\d+$/, '科目编码只能是数字'),
  debit: Money.optional(),
  credit: Money.optional(),
  customerId: Id.optional(),
  supplierId: Id.optional(),
});
export const OpeningBalancesPut = z
  .object({
    period: PeriodText.openapi({ description: '在本系统记账的第一个月（YYYY-MM）；期初余额记在该月 1 日' }),
    lines: z.array(OpeningBalanceLineInput).min(1, '至少要有一个科目的期初余额').max(1000, '最多 1000 行'),
  })
  .openapi('OpeningBalancesPut');
export const OpeningBalances = z
  .object({
    period: z.string().nullable(),
    voucher: z.object({ id: z.string(), number: z.string() }).nullable(),
    lines: z.array(z.object({
      accountCode: z.string(), accountName: z.string(), debit: z.string(), credit: z.string(),
      customer: Ref, supplier: Ref,
    })),
    totals: Sides,
  })
  .openapi('OpeningBalances');
export type OpeningBalancesPut = z.output<typeof OpeningBalancesPut>;
export type OpeningBalances = z.output<typeof OpeningBalances>;
