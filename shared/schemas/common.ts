// Building blocks of the API's zod schemas: ids, decimals at fixed precision, paging.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import './messages.ts';

extendZodWithOpenApi(z);
export { z };

export const Id = z.uuid({ message: '必须是有效的 ID（UUID）' }).openapi({ example: '0b8f5c1e-6a57-4f0e-9a53-3c7a4d0f2b11' });
export const IdParams = z.object({ id: Id });

/** A decimal as a string (never a float) with at most `scale` decimals, fitting Decimal(18, scale). */
export function decimalString(opts: { scale: number; min?: number; max?: number; label?: string }) {
  const intDigits = 18 - opts.scale;
  const re = new RegExp(`^-?\\d{1,${intDigits}}(\\.\\d{1,${opts.scale}})?$`);
  return z
    .union([z.string().trim(), z.number()], { error: '应为数字' })
    .transform((v) => String(v))
    .refine((v) => /^-?\d+(\.\d+)?$/.test(v), { message: '应为数字' })
    .refine((v) => v.replace(/^-/, '').split('.')[0]!.length <= intDigits, { message: `整数部分最多 ${intDigits} 位` })
    .refine((v) => re.test(v), { message: `最多 ${opts.scale} 位小数` })
    .refine((v) => opts.min === undefined || Number(v) >= opts.min, { message: `不能小于 ${opts.min}` })
    .refine((v) => opts.max === undefined || Number(v) <= opts.max, { message: `不能大于 ${opts.max}` })
    .openapi({ type: 'string', example: '0.0300' });
}

/** amounts 2 decimals, unit prices and costs 6, quantities 4 */
export const Amount = () => decimalString({ scale: 2, min: 0 });
export const UnitPrice = () => decimalString({ scale: 6, min: 0 });
export const Quantity = () => decimalString({ scale: 4, min: 0 });
export const Rate = () => decimalString({ scale: 4, min: 0, max: 1 });
/** 损耗率: 0 ≤ s < 1 — gross = net / (1 − s), so 100 % would need infinite input. */
export const ScrapRate = () =>
  decimalString({ scale: 4, min: 0 }).refine((v) => Number(v) < 1, { message: '损耗率必须小于 1（100%）' });

export const Code = z
  .string({ message: '编码必须是文本' })
  .trim()
  .min(1, '编码不能为空')
  .max(32, '编码最长 32 个字符')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-]*$/, '编码只能包含字母、数字、点、下划线和短横线');
export const Name = (max = 100) => z.string({ message: '名称必须是文本' }).trim().min(1, '名称不能为空').max(max, `最长 ${max} 个字符`);
export const OptionalText = (max: number) => z.string().trim().max(max, `最长 ${max} 个字符`).nullish();
export const Mobile = z.string().trim().regex(/^1[3-9]\d{9}$/, '手机号必须是 11 位数字，以 1 开头');
export const Version = z.number({ message: '必须提供版本号 version（防止覆盖他人的修改）' }).int().min(1);

export function pageQuery<const S extends readonly [string, ...string[]]>(sortFields: S) {
  // typed as the literal keys (and their '-' forms), so a list asking for a sort the endpoint does not know fails tsc
  type SortValue = S[number] | `-${S[number]}`;
  const sortValues = sortFields.flatMap((f) => [f, `-${f}`]) as [SortValue, ...SortValue[]];
  return z.object({
    page: z.coerce.number({ message: '应为数字' }).int('应为整数').min(1, '从 1 开始').max(100000).default(1),
    pageSize: z.coerce.number({ message: '应为数字' }).int('应为整数').min(1, '至少为 1').max(200, '最大 200').default(20),
    q: z.string().trim().max(100, '关键字最长 100 个字符').refine((s) => !s.includes('\0'), '关键字不能包含空字符（%00）').optional().openapi({ description: '关键字（编码、名称等模糊匹配）' }),
    sort: z.enum(sortValues, { message: `只能是 ${sortValues.join(', ')}` }).optional().openapi({ description: '排序字段，前缀 - 表示倒序' }),
  });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

/** One page of a list reply (what pageOf(item) describes), for any row type. */
export type Page<T> = Omit<z.output<ReturnType<typeof pageOf<z.ZodType>>>, 'items'> & { items: T[] };

export const BooleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .array(z.object({ field: z.string(), label: z.string().optional().openapi({ description: '字段的中文名，如 第 1 行 数量' }), message: z.string(), row: z.number().int().optional() }))
        .optional(),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.output<typeof ErrorBody>;

export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-23T10:00:00.000+08:00' });

/** A calendar date, YYYY-MM-DD, that exists (no 2026-02-30). */
export const DateOnly = z
  .string({ message: '日期必须是文本' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, { message: '日期不存在' })
  .openapi({ format: 'date', example: '2026-11-23' });

export const ImportResult = z
  .object({ total: z.number().int(), created: z.number().int(), updated: z.number().int() })
  .openapi('ImportResult', { description: '导入结果：总行数、新增、更新' });
