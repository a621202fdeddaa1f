// 财务: 期末处理 (month end), 财务设置, the statements (资产负债表, 利润表, 总账/明细账, 现金日记账) and the boss's 经营看板.
import { Amount, DateOnly, decimalString, z } from './common.ts';
import { PeriodText } from './vouchers.ts';

export const MONTH_END_STEP_VALUES = ['fxRevaluation', 'deferredOutputVat', 'vatTransfer', 'surcharges', 'incomeTax', 'profitTransfer', 'yearEnd'] as const;
export const MonthEndStepParams = z.object({ period: PeriodText, step: z.enum(MONTH_END_STEP_VALUES) });

const VoucherRef = z.object({ id: z.string(), number: z.string() });
export const MonthEndStepResult = z.object({
  step: z.enum(MONTH_END_STEP_VALUES),
  stepLabel: z.string(),
  /** the voucher this run wrote; null when there was nothing (left) to post */
  voucher: VoucherRef.nullable(),
  /** every voucher the step has written for the month */
  vouchers: z.array(VoucherRef),
  /** true when a run now would post something */
  pending: z.boolean(),
  note: z.string().nullable(),
  figures: z.record(z.string(), z.string()),
});
export const MonthEndStatus = z.object({
  period: z.string(),
  state: z.enum(['open', 'closed']),
  steps: z.array(MonthEndStepResult),
  /** 结转损益 done: no 损益 account has a balance at the month's end */
  profitTransferred: z.boolean(),
});
export type MonthEndStepResult = z.output<typeof MonthEndStepResult>;
export type MonthEndStatus = z.output<typeof MonthEndStatus>;

const Rate = () => decimalString({ scale: 4, min: 0, max: 0.9999 }).optional();
export const FinanceSettings = z.object({
  urbanConstructionTaxRate: z.string(),
  educationSurchargeRate: z.string(),
  localEducationSurchargeRate: z.string(),
  sixTaxesHalfRelief: z.boolean(),
  smallSalesSurchargeExempt: z.boolean(),
  surchargeExemptThreshold: z.string(),
  bossCardEnabled: z.boolean(),
  bossCardTime: z.string(),
  blockOverdueOrders: z.boolean(),
  incomeTaxRate: z.string(),
  airRailPassengerVatRate: z.string(),
  roadWaterPassengerVatRate: z.string(),
});
export const FinanceSettingsUpdate = z.object({
  urbanConstructionTaxRate: Rate().openapi({ description: '城市维护建设税税率：0.07 市区，0.05 县城、镇，0.01 其他' }),
  educationSurchargeRate: Rate(),
  localEducationSurchargeRate: Rate(),
  sixTaxesHalfRelief: z.boolean().optional().openapi({ description: '六税两费减半（城建税与两项附加减半）' }),
  smallSalesSurchargeExempt: z.boolean().optional().openapi({ description: '月销售额不超过起征额时免征教育费附加和地方教育附加' }),
  surchargeExemptThreshold: Amount().optional(),
  bossCardEnabled: z.boolean().optional(),
  bossCardTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM').optional(),
  blockOverdueOrders: z.boolean().optional().openapi({ description: '客户有逾期应收时禁止确认新的销售订单' }),
  incomeTaxRate: Rate().openapi({ description: '所得税税率（应付税款法）：0.25；小型微利企业可填实际税负 0.05' }),
  airRailPassengerVatRate: Rate().openapi({ description: '航空、铁路客票计算抵扣进项税额的税率：0.09（公告2019年第39号）' }),
  roadWaterPassengerVatRate: Rate().openapi({ description: '公路、水路等客票计算抵扣进项税额的税率：0.03' }),
});
export type FinanceSettings = z.output<typeof FinanceSettings>;
export type FinanceSettingsUpdate = z.output<typeof FinanceSettingsUpdate>;

export const StatementQuery = z.object({ period: PeriodText });
export const StatementLine = z.object({
  code: z.string(),
  label: z.string(),
  /** 行次 */
  row: z.number().int(),
  level: z.number().int(),
  current: z.string(),
  /** 年初余额 (balance sheet) or 本年累计金额 (profit statement) */
  other: z.string(),
});
export const BalanceSheet = z.object({
  period: z.string(),
  assets: z.array(StatementLine),
  liabilitiesAndEquity: z.array(StatementLine),
  totalAssets: z.string(),
  totalLiabilitiesAndEquity: z.string(),
  balanced: z.boolean(),
});
export const ProfitStatement = z.object({ period: z.string(), lines: z.array(StatementLine), netProfit: z.string(), netProfitYear: z.string() });
export const CashFlowStatement = z.object({ period: z.string(), lines: z.array(StatementLine), netIncrease: z.string(), closingCash: z.string() });
export type CashFlowStatement = z.output<typeof CashFlowStatement>;
export type StatementLine = z.output<typeof StatementLine>;
export type BalanceSheet = z.output<typeof BalanceSheet>;
export type ProfitStatement = z.output<typeof ProfitStatement>;

export const LedgerQuery = z.object({
  period: PeriodText,
  accountCode: z.string().trim().regex(/^\d{4,12}$/, '科目编码应为 4–12 位数字'),
  customerId: z.uuid().optional(),
  supplierId: z.uuid().optional(),
  projectId: z.uuid().optional().openapi({ description: '项目：只看该项目的分录（项目辅助明细账）' }),
});
export const LedgerEntry = z.object({
  date: DateOnly.nullable(),
  voucherId: z.string().nullable(),
  voucherNumber: z.string().nullable(),
  summary: z.string(),
  debit: z.string(),
  credit: z.string(),
  direction: z.enum(['借', '贷', '平']),
  balance: z.string(),
  /** 外币分录 only: its currency, foreign amount (sign of the line's amount) and rate */
  foreign: z.object({ currencyCode: z.string(), amount: z.string(), rate: z.string().nullable() }).optional(),
});
export const Ledger = z.object({
  period: z.string(),
  account: z.object({ code: z.string(), fullName: z.string(), direction: z.enum(['debit', 'credit']) }),
  opening: z.object({ direction: z.enum(['借', '贷', '平']), balance: z.string() }),
  entries: z.array(LedgerEntry),
  totals: z.object({ debit: z.string(), credit: z.string() }),
  closing: z.object({ direction: z.enum(['借', '贷', '平']), balance: z.string() }),
});
export type LedgerQuery = z.output<typeof LedgerQuery>;
export type Ledger = z.output<typeof Ledger>;
export const CashJournalQuery = z.object({ period: PeriodText, accountCode: z.enum(['1001', '1002']).optional() });

export const BossDashboard = z.object({
  date: DateOnly,
  sales: z.string().openapi({ description: '今日发货金额（不含税）' }),
  receipts: z.string(),
  payments: z.string(),
  cashBalance: z.string(),
  receiptsSource: z.string(),
  overdueReceivables: z.array(z.object({ customerId: z.string(), customerName: z.string(), amount: z.string() })),
  overdueNote: z.string().nullable(),
});
export type BossDashboard = z.output<typeof BossDashboard>;
