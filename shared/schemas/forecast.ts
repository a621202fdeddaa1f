// 销售预测 (备货生产): how much of an item is expected to sell in a month. MRP plans for it, less
// what that month's sales orders already ask for (an order inside the forecast is not counted twice).
import { decimalString, Id, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';
import { BomItemRef } from './manufacturing.ts';
import { CodeRef } from './inventory.ts';

/** 'YYYY-MM', a real month. */
export const Month = z
  .string({ message: '月份必须是文本' })
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
  .openapi({ example: '2026-12' });

const ForecastQuantity = () =>
  decimalString({ scale: 4, min: 0 }).refine((v) => Number(v) > 0, { message: '数量必须大于 0' }).openapi({ description: '预测数量（基本单位）', example: '500' });

export const ForecastCreate = z
  .object({
    itemId: Id,
    period: Month.openapi({ description: '预测月份；同一物料每月一条' }),
    quantity: ForecastQuantity(),
    warehouseId: Id.nullish().openapi({ description: '备货仓库（可选）' }),
    remark: OptionalText(500),
  })
  .openapi('ForecastCreate');
export type ForecastCreate = z.output<typeof ForecastCreate>;

export const ForecastUpdate = z
  .object({
    period: Month.optional(),
    quantity: ForecastQuantity().optional(),
    warehouseId: Id.nullish(),
    remark: OptionalText(500),
    version: Version,
  })
  .openapi('ForecastUpdate');
export type ForecastUpdate = z.output<typeof ForecastUpdate>;

export const ForecastListQuery = pageQuery(['period', 'updatedAt']).extend({
  itemId: Id.optional(),
  periodFrom: Month.optional(),
  periodTo: Month.optional(),
});
export type ForecastListQuery = z.output<typeof ForecastListQuery>;

export const Forecast = z
  .object({
    id: z.string(),
    item: BomItemRef,
    period: z.string().openapi({ description: 'YYYY-MM' }),
    quantity: z.string(),
    warehouse: CodeRef.nullable(),
    remark: z.string().nullable(),
    updatedAt: Timestamp,
    version: z.number().int(),
  })
  .openapi('Forecast');
export type Forecast = z.output<typeof Forecast>;
export const ForecastPage = pageOf(Forecast).openapi('ForecastPage');
