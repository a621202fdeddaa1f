// 仓库
import { BooleanQuery, Code, Id, Name, OptionalText, pageOf, pageQuery, Timestamp, Version, z } from './common.ts';

const warehouseFields = {
  code: Code,
  name: Name(50),
  address: OptionalText(200),
  managerId: Id.nullish().openapi({ description: '仓库负责人（用户）' }),
  active: z.boolean({ message: '必须是 true 或 false' }),
};

export const WarehouseCreate = z
  .object({ ...warehouseFields, active: warehouseFields.active.default(true) })
  .openapi('WarehouseCreate');

export const WarehouseUpdate = z
  .object(warehouseFields)
  .partial()
  .extend({ version: Version })
  .openapi('WarehouseUpdate', { description: '只需提交要修改的字段' });

export const Warehouse = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    manager: z.object({ id: z.string(), name: z.string() }).nullable(),
    active: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Warehouse');

export const WarehouseListQuery = pageQuery(['code', 'name', 'createdAt', 'updatedAt']).extend({
  managerId: Id.optional(),
  active: BooleanQuery.optional(),
});
export const WarehousePage = pageOf(Warehouse).openapi('WarehousePage');

export type WarehouseCreate = z.infer<typeof WarehouseCreate>;
export type WarehouseUpdate = z.infer<typeof WarehouseUpdate>;
export type Warehouse = z.infer<typeof Warehouse>;
export type WarehouseListQuery = z.infer<typeof WarehouseListQuery>;
