// 币别与汇率
import { BooleanQuery, DateOnly, decimalString, Name, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';
import { CurrencyCode } from './crm.ts';

/** 汇率: how many units of the base currency one unit of the currency buys; 6 decimals, > 0. */
export const ExchangeRateValue = decimalString({ scale: 6, min: 0, max: 1_000_000 })
  .refine((v) => Number(v) > 0, { message: '汇率必须大于 0' })
  .openapi({ type: 'string', example: '7.123400', description: '1 单位外币折合本位币' });

const CurrencySymbol = z.string({ message: '符号必须是文本' }).trim().min(1, '符号不能为空').max(5, '符号最长 5 个字符');

export const CurrencyCreate = z
  .object({
    code: CurrencyCode,
    name: Name(30),
    symbol: CurrencySymbol,
    isBase: z.boolean({ message: '必须是 true 或 false' }).default(false).openapi({ description: '是否本位币；每家公司只有一个' }),
  })
  .openapi('CurrencyCreate');

export const CurrencyUpdate = z
  .object({ name: Name(30), symbol: CurrencySymbol, isBase: z.boolean({ message: '必须是 true 或 false' }) })
  .partial()
  .extend({ version: Version })
  .openapi('CurrencyUpdate', { description: '只需提交要修改的字段和读取时的 version；币别编码不可修改' });

export const RateOnDate = z.object({ currencyCode: z.string(), rateDate: z.string().openapi({ format: 'date' }), rate: z.string() }).openapi('RateOnDate');

export const Currency = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    symbol: z.string(),
    isBase: z.boolean(),
    latestRate: z.object({ rateDate: z.string(), rate: z.string() }).nullable().openapi({ description: '最近一次录入的汇率；本位币为 null' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Currency');

export const CurrencyListQuery = pageQuery(['code', 'name', 'createdAt']).extend({ isBase: BooleanQuery.optional() });
export const CurrencyPage = pageOf(Currency).openapi('CurrencyPage');

export const ExchangeRateCreate = z.object({ rateDate: DateOnly, rate: ExchangeRateValue }).openapi('ExchangeRateCreate');

export const ExchangeRate = z
  .object({ id: z.string(), currencyCode: z.string(), rateDate: z.string().openapi({ format: 'date' }), rate: z.string(), createdAt: Timestamp })
  .openapi('ExchangeRate');

export const ExchangeRateListQuery = pageQuery(['rateDate']).omit({ q: true }).extend({
  from: DateOnly.optional().openapi({ description: '起始日期（含）' }),
  to: DateOnly.optional().openapi({ description: '截止日期（含）' }),
});
export const ExchangeRatePage = pageOf(ExchangeRate).openapi('ExchangeRatePage');

export const RateLookupQuery = z.object({
  currency: CurrencyCode,
  date: DateOnly.optional().openapi({ description: '默认今天（北京时间）' }),
});

export type CurrencyCreate = z.infer<typeof CurrencyCreate>;
export type CurrencyUpdate = z.infer<typeof CurrencyUpdate>;
export type Currency = z.infer<typeof Currency>;
export type CurrencyListQuery = z.infer<typeof CurrencyListQuery>;
export type ExchangeRateCreate = z.infer<typeof ExchangeRateCreate>;
export type ExchangeRate = z.infer<typeof ExchangeRate>;
export type ExchangeRateListQuery = z.infer<typeof ExchangeRateListQuery>;
export type RateLookupQuery = z.infer<typeof RateLookupQuery>;
export type RateOnDate = z.infer<typeof RateOnDate>;
