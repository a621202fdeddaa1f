// 物料 Excel 导出与导入. Units and categories appear by code, 物料属性/来源 by their Chinese
// labels, and the conversions as one cell "BOX=1000;PACK=100" (1 BOX = 1000 base units). An import
// adds new codes and updates existing ones; an empty 换算 keeps an existing item's conversions.
// Every row is checked first (codes resolved, schema, unit rules); nothing is written if any is bad.
import { ITEM_KIND_LABELS, SOURCING_LABELS } from '../../../../shared/enums.ts';
import type { Item, ItemListQuery } from '../../../../shared/schemas/inventory.ts';
import { ItemCreate } from '../../../../shared/schemas/inventory.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { writeWorkbook, type Column } from '../../../platform/excel.ts';
import { byCode, importByCode, labelCell, numberCell, yesNo, yesNoCell, type CodeImport, type ImportOutcome, type RowIssues } from '../../../platform/import.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { listItems } from './service.ts';
import { unitPlanIssues } from './units.ts';

/** "1000.000000" → "1000", "0.500000" → "0.5" */
const plain = (decimal: string) => (decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal);

/** The conversions cell: "BOX=1000;PACK=100". */
export const conversionsText = (i: Item): string | null =>
  i.conversions.length ? i.conversions.map((c) => `${c.unit.code}=${plain(c.factor)}`).join(';') : null;

export const itemColumns: Column<Item>[] = [
  { key: 'code', header: '物料编码', width: 20, value: (i) => i.code },
  { key: 'name', header: '物料名称', width: 28, value: (i) => i.name },
  { key: 'spec', header: '规格型号', width: 32, value: (i) => i.spec },
  { key: 'categoryCode', header: '分类编码', value: (i) => i.category?.code },
  { key: 'kind', header: '物料属性', value: (i) => i.kindLabel },
  { key: 'sourcing', header: '来源', value: (i) => i.sourcingLabel },
  { key: 'baseUnit', header: '基本单位', value: (i) => i.baseUnit.code },
  { key: 'purchaseUnit', header: '采购单位', value: (i) => i.purchaseUnit?.code },
  { key: 'salesUnit', header: '销售单位', value: (i) => i.salesUnit?.code },
  { key: 'conversions', header: '换算', width: 22, value: conversionsText },
  { key: 'safetyStock', header: '安全库存', value: (i) => i.safetyStock },
  { key: 'leadTimeDays', header: '提前期天数', value: (i) => i.leadTimeDays },
  { key: 'scrapRate', header: '损耗率', value: (i) => i.scrapRate },
  { key: 'moq', header: '最小订货量', value: (i) => i.moq },
  { key: 'orderMultiple', header: '订货倍数', value: (i) => i.orderMultiple },
  { key: 'standardCost', header: '标准成本', value: (i) => i.standardCost },
  { key: 'salePrice', header: '销售单价', value: (i) => i.salePrice },
  { key: 'taxRate', header: '税率', value: (i) => i.taxRate },
  { key: 'batchTracked', header: '批次管理', value: (i) => yesNo(i.batchTracked) },
  { key: 'inspectionRequired', header: '需检验', value: (i) => yesNo(i.inspectionRequired) },
  { key: 'active', header: '启用', value: (i) => yesNo(i.active) },
];

export async function exportItems(ctx: UseCaseContext, query: Omit<ItemListQuery, 'page' | 'pageSize'>): Promise<Buffer> {
  const page = await listItems(ctx, { ...query, page: 1, pageSize: 10_000 });
  return writeWorkbook('物料', itemColumns, page.items);
}

// ------------------------------------------------------------------ import

interface ConversionCell {
  unitCode: string;
  factor: string;
}

/** "BOX=1000;PACK=100" (also ；, newlines and ＝) → pairs, or the reason it cannot be read. */
export function parseConversions(text: string): ConversionCell[] | string {
  const parts = text.split(/[;；\n]/).map((p) => p.trim()).filter(Boolean);
  const pairs: ConversionCell[] = [];
  for (const p of parts) {
    const m = /^([^=＝]+?)\s*[=＝]\s*(\S+)$/.exec(p);
    if (!m) return `「${p}」格式不对，应为 单位编码=换算数量，多个用分号分隔，如 BOX=1000;PACK=100`;
    pairs.push({ unitCode: m[1]!, factor: m[2]! });
  }
  return pairs;
}

const UnitColumns = ['baseUnit', 'purchaseUnit', 'salesUnit'] as const;
/** Schema fields named differently from the sheet's columns. */
const ColumnOfField: Record<string, string> = {
  categoryId: 'categoryCode',
  baseUnitId: 'baseUnit',
  purchaseUnitId: 'purchaseUnit',
  salesUnitId: 'salesUnit',
};

interface Refs {
  units: Map<string, string>;
  categories: Map<string, string>;
}
type Found = Prisma.ItemGetPayload<{ include: { conversions: true } }>;
/** A checked row; `keepConversions` = the 换算 cell was empty, so an existing item keeps its own. */
type ImportItem = ItemCreate & { keepConversions: boolean };

function resolveUnit(code: string | undefined, key: string, refs: Refs, issues: RowIssues): string | undefined {
  if (code === undefined) return undefined;
  const id = refs.units.get(code);
  if (!id) issues.add(key, `计量单位 ${code} 不存在`);
  return id;
}

const itemImport: CodeImport<Refs, Found, ImportItem> = {
  entity: 'item',
  columns: itemColumns,

  async existing({ tx }, codes) {
    return byCode(await tx.item.findMany({ where: { code: { in: codes } }, include: { conversions: true } }));
  },

  // One query for every unit code and one for every category code the sheet names.
  async lookup({ tx }, records) {
    const unitCodes = new Set<string>();
    const categoryCodes = new Set<string>();
    for (const { values: v } of records) {
      for (const key of UnitColumns) if (v[key]) unitCodes.add(v[key]);
      const pairs = v.conversions ? parseConversions(v.conversions) : [];
      if (typeof pairs !== 'string') for (const p of pairs) unitCodes.add(p.unitCode);
      if (v.categoryCode) categoryCodes.add(v.categoryCode);
    }
    const units = await tx.unit.findMany({ where: { code: { in: [...unitCodes] } }, select: { id: true, code: true } });
    const categories = await tx.itemCategory.findMany({ where: { code: { in: [...categoryCodes] } }, select: { id: true, code: true } });
    return { units: new Map(units.map((u) => [u.code, u.id])), categories: new Map(categories.map((c) => [c.code, c.id])) };
  },

  parse({ values: v }, refs, found, issues) {
    // Codes → ids; an unknown code is reported under its column.
    if (!v.baseUnit) issues.add('baseUnit', '基本单位必填');
    if (!v.kind) issues.add('kind', '物料属性必填');
    const [baseUnitId, purchaseUnitId, salesUnitId] = UnitColumns.map((key) => resolveUnit(v[key], key, refs, issues));
    let categoryId: string | null | undefined = null;
    if (v.categoryCode) {
      categoryId = refs.categories.get(v.categoryCode);
      if (!categoryId) issues.add('categoryCode', `物料分类 ${v.categoryCode} 不存在`);
    }
    const cells = v.conversions ? parseConversions(v.conversions) : [];
    if (typeof cells === 'string') issues.add('conversions', cells);
    const pairs = typeof cells === 'string' ? [] : cells;
    const conversions = pairs.map((p) => ({ unitId: resolveUnit(p.unitCode, 'conversions', refs, issues), factor: p.factor }));

    const r = ItemCreate.safeParse({
      code: v.code,
      name: v.name,
      spec: v.spec ?? null,
      categoryId,
      kind: labelCell(v.kind, ITEM_KIND_LABELS, 'kind', '物料属性', issues),
      sourcing: labelCell(v.sourcing, SOURCING_LABELS, 'sourcing', '来源', issues),
      baseUnitId,
      purchaseUnitId: purchaseUnitId ?? null,
      salesUnitId: salesUnitId ?? null,
      conversions,
      safetyStock: v.safetyStock,
      leadTimeDays: numberCell(v.leadTimeDays),
      scrapRate: v.scrapRate,
      // a sheet without the lot-sizing columns (an older template) keeps an existing item's values
      moq: v.moq ?? found?.moq.toString(),
      orderMultiple: v.orderMultiple ?? found?.orderMultiple.toString(),
      standardCost: v.standardCost,
      salePrice: v.salePrice,
      taxRate: v.taxRate,
      batchTracked: yesNoCell(v.batchTracked, 'batchTracked', issues),
      // a sheet without the column (an older template) keeps an existing item's flag
      inspectionRequired: yesNoCell(v.inspectionRequired, 'inspectionRequired', issues) ?? found?.inspectionRequired,
      active: yesNoCell(v.active, 'active', issues),
    });
    if (!r.success) {
      issues.zod(
        r.error,
        (path) => ColumnOfField[String(path[0])] ?? String(path[0] ?? ''),
        (path, message) => (path[0] === 'conversions' && typeof path[1] === 'number' && pairs[path[1]] ? `${pairs[path[1]]!.unitCode}: ${message}` : message),
      );
      return undefined;
    }

    // The unit rules, against the conversions the item will have after the import (not when the
    // 换算 cell could not be read: every unit would then look missing).
    const keepConversions = v.conversions === undefined && found !== undefined;
    if (issues.has('conversions')) return undefined;
    const plan = {
      baseUnitId: r.data.baseUnitId,
      purchaseUnitId: r.data.purchaseUnitId ?? null,
      salesUnitId: r.data.salesUnitId ?? null,
      conversions: keepConversions ? found.conversions : r.data.conversions,
    };
    for (const issue of unitPlanIssues(plan, { conversionsGiven: !keepConversions })) {
      const at = /^body\.conversions\.(\d+)\./.exec(issue.field);
      if (at) issues.add('conversions', `${pairs[Number(at[1])]?.unitCode ?? ''}: ${issue.message}`);
      else issues.add(ColumnOfField[issue.field.replace(/^body\./, '')] ?? 'baseUnit', issue.message.replace('conversions', '换算'));
    }
    return { ...r.data, keepConversions };
  },

  async create({ tx, ctx }, input) {
    const { conversions, keepConversions: _new, ...fields } = input;
    const companyId = ctx.actor.companyId;
    const row = await tx.item.create({
      data: { ...fields, companyId, conversions: { create: conversions.map((c) => ({ companyId, unitId: c.unitId, factor: c.factor })) } },
      include: { conversions: true },
    });
    return { id: row.id, after: row };
  },

  async update({ tx, ctx }, found, input) {
    const { conversions, keepConversions, ...fields } = input;
    if (!keepConversions) {
      await tx.unitConversion.deleteMany({ where: { itemId: found.id } });
      await tx.unitConversion.createMany({ data: conversions.map((c) => ({ companyId: ctx.actor.companyId, itemId: found.id, unitId: c.unitId, factor: c.factor })) });
    }
    const after = await tx.item.update({ where: { id: found.id }, data: { ...fields, version: { increment: 1 } }, include: { conversions: true } });
    return { before: found, after };
  },
};

export function importItems(ctx: UseCaseContext, file: Buffer): Promise<ImportOutcome> {
  return importByCode(ctx, file, itemImport);
}
