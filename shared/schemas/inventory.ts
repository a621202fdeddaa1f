// 计量单位、物料分类、物料（含换算率）
import { ITEM_KINDS, SOURCINGS } from '../enums.ts';
import { BooleanQuery, Code, decimalString, Id, Name, OptionalText, pageOf, pageQuery, Quantity, Rate, ScrapRate, Timestamp, Version, z } from './common.ts';

/** A reference to another row as the API shows it. */
export const CodeRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

// ---------------------------------------------------------------- 计量单位

const unitFields = {
  code: Code.max(16, '编码最长 16 个字符'),
  name: Name(20),
  precision: z
    .number({ message: '精度必须是 0–6 的整数' })
    .int('精度必须是 0–6 的整数')
    .min(0, '精度不能小于 0')
    .max(6, '精度最大为 6')
    .openapi({ description: '该单位数量允许的小数位数（个 = 0）' }),
};

export const UnitCreate = z.object({ ...unitFields, precision: unitFields.precision.default(4) }).openapi('UnitCreate');
export const UnitUpdate = z.object(unitFields).partial().extend({ version: Version }).openapi('UnitUpdate');
export const Unit = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    precision: z.number(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Unit');
export const UnitListQuery = pageQuery(['code', 'name', 'precision', 'updatedAt']);
export const UnitPage = pageOf(Unit).openapi('UnitPage');

export type UnitCreate = z.infer<typeof UnitCreate>;
export type UnitUpdate = z.infer<typeof UnitUpdate>;
export type Unit = z.infer<typeof Unit>;
export type UnitListQuery = z.infer<typeof UnitListQuery>;

// ---------------------------------------------------------------- 物料分类

const categoryFields = {
  code: Code,
  name: Name(50),
  parentId: Id.nullish().openapi({ description: '上级分类；空 = 顶级' }),
};

export const ItemCategoryCreate = z.object(categoryFields).openapi('ItemCategoryCreate');
export const ItemCategoryUpdate = z
  .object(categoryFields)
  .partial()
  .extend({ version: Version })
  .openapi('ItemCategoryUpdate', { description: '只需提交要修改的字段和读取时的 version；parentId 为 null 表示移到顶级' });
export const ItemCategory = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    parentId: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('ItemCategory');

export interface ItemCategoryNode {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  children: ItemCategoryNode[];
}
export const ItemCategoryNode: z.ZodType<ItemCategoryNode> = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    parentId: z.string().nullable(),
    get children(): z.ZodArray<z.ZodType<ItemCategoryNode>> {
      return z.array(ItemCategoryNode);
    },
  })
  .openapi('ItemCategoryNode');
export const ItemCategoryTree = z.array(ItemCategoryNode).openapi('ItemCategoryTree');

export const ItemCategoryListQuery = pageQuery(['code', 'name', 'createdAt']).extend({
  parentId: Id.optional().openapi({ description: '只列出该分类的直接下级' }),
  root: BooleanQuery.optional().openapi({ description: 'true = 只列出顶级分类' }),
});
export const ItemCategoryPage = pageOf(ItemCategory).openapi('ItemCategoryPage');

export type ItemCategoryCreate = z.infer<typeof ItemCategoryCreate>;
export type ItemCategoryUpdate = z.infer<typeof ItemCategoryUpdate>;
export type ItemCategory = z.infer<typeof ItemCategory>;
export type ItemCategoryListQuery = z.infer<typeof ItemCategoryListQuery>;

// ---------------------------------------------------------------- 物料

export const ItemKind = z.enum(ITEM_KINDS, { message: `物料类型只能是 ${ITEM_KINDS.join(', ')}` });
export const Sourcing = z.enum(SOURCINGS, { message: `来源只能是 ${SOURCINGS.join(', ')}` });

/** Costs and prices: 6 decimals, ≥ 0, and small enough for the Decimal(18,6) column. */
const Cost = () => decimalString({ scale: 6, min: 0, max: 999_999_999_999 });
/** 1 unit = factor × base unit */
const Factor = decimalString({ scale: 6, min: 0, max: 999_999_999_999 }).refine((v) => Number(v) > 0, { message: '换算率必须大于 0' });

export const ConversionInput = z.object({
  unitId: Id,
  factor: Factor.openapi({ description: '1 该单位 = factor × 基本单位', example: '1000' }),
});

const itemFields = {
  code: Code,
  name: Name(100),
  spec: OptionalText(100),
  categoryId: Id.nullish(),
  kind: ItemKind,
  sourcing: Sourcing,
  baseUnitId: Id,
  purchaseUnitId: Id.nullish().openapi({ description: '采购单位：基本单位或换算单位之一' }),
  salesUnitId: Id.nullish().openapi({ description: '销售单位：基本单位或换算单位之一' }),
  conversions: z.array(ConversionInput).max(20, '换算单位最多 20 个'),
  safetyStock: Quantity().openapi({ description: '安全库存（基本单位，全部仓库合计）' }),
  leadTimeDays: z.number({ message: '提前期必须是整数天数' }).int('提前期必须是整数天数').min(0, '提前期不能为负').max(365, '提前期最长 365 天'),
  scrapRate: ScrapRate().openapi({ description: '损耗率（0 ≤ s < 1）' }),
  moq: Quantity().openapi({ description: 'MRP 最小订货量（基本单位），0 = 不限' }),
  orderMultiple: Quantity().refine((v) => Number(v) > 0, { message: '订货倍数必须大于 0' }).openapi({ description: 'MRP 订货倍数（基本单位），1 = 不取整' }),
  standardCost: Cost(),
  salePrice: Cost(),
  taxRate: Rate(),
  batchTracked: z.boolean({ message: '必须是 true 或 false' }),
  inspectionRequired: z.boolean({ message: '必须是 true 或 false' }).openapi({ description: '需检验：完工入库为待检，质检合格后才可用' }),
  active: z.boolean({ message: '必须是 true 或 false' }),
};

export const ItemCreate = z
  .object({
    ...itemFields,
    sourcing: itemFields.sourcing.default('buy'),
    conversions: itemFields.conversions.default([]),
    safetyStock: itemFields.safetyStock.default('0'),
    leadTimeDays: itemFields.leadTimeDays.default(0),
    scrapRate: itemFields.scrapRate.default('0'),
    moq: itemFields.moq.default('0'),
    orderMultiple: itemFields.orderMultiple.default('1'),
    standardCost: itemFields.standardCost.default('0'),
    salePrice: itemFields.salePrice.default('0'),
    taxRate: itemFields.taxRate.default('0.13'),
    batchTracked: itemFields.batchTracked.default(false),
    inspectionRequired: itemFields.inspectionRequired.default(false),
    active: itemFields.active.default(true),
  })
  .openapi('ItemCreate');

export const ItemUpdate = z
  .object(itemFields)
  .partial()
  .extend({ version: Version })
  .openapi('ItemUpdate', { description: '只需提交要修改的字段；conversions 提交时整体替换' });

export const Item = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    spec: z.string().nullable(),
    category: CodeRef.nullable(),
    kind: ItemKind,
    kindLabel: z.string(),
    sourcing: Sourcing,
    sourcingLabel: z.string(),
    baseUnit: CodeRef,
    purchaseUnit: CodeRef.nullable(),
    salesUnit: CodeRef.nullable(),
    conversions: z.array(z.object({ unit: CodeRef, factor: z.string() })),
    safetyStock: z.string(),
    leadTimeDays: z.number(),
    scrapRate: z.string(),
    moq: z.string(),
    orderMultiple: z.string(),
    standardCost: z.string(),
    salePrice: z.string(),
    taxRate: z.string(),
    batchTracked: z.boolean(),
    inspectionRequired: z.boolean(),
    active: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number(),
  })
  .openapi('Item');

export const ItemListQuery = pageQuery(['code', 'name', 'kind', 'standardCost', 'salePrice', 'updatedAt']).extend({
  kind: ItemKind.optional(),
  sourcing: Sourcing.optional(),
  categoryId: Id.optional().openapi({ description: '物料分类（含其下级分类）' }),
  active: BooleanQuery.optional(),
});
export const ItemPage = pageOf(Item).openapi('ItemPage');

/** One unit an item can be counted in, with how many base units it holds. */
export const ItemUnit = z
  .object({
    unit: CodeRef.extend({ precision: z.number() }),
    factor: z.string().openapi({ description: '1 该单位 = factor × 基本单位；基本单位为 1.000000' }),
    isBase: z.boolean(),
    isPurchase: z.boolean(),
    isSales: z.boolean(),
  })
  .openapi('ItemUnit');
export const ItemUnitList = z.array(ItemUnit).openapi('ItemUnitList');

export type ConversionInput = z.infer<typeof ConversionInput>;
export type ItemCreate = z.infer<typeof ItemCreate>;
export type ItemUpdate = z.infer<typeof ItemUpdate>;
export type Item = z.infer<typeof Item>;
export type ItemListQuery = z.infer<typeof ItemListQuery>;
export type ItemUnit = z.infer<typeof ItemUnit>;
