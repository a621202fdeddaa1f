// 物料: use cases, each one transaction in the actor's company. Units and conversions are checked
// here against the database; the rules themselves live in ./units.ts.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { ITEM_KIND_LABELS, SOURCING_LABELS } from '../../../../shared/enums.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import type { ConversionInput, Item, ItemCreate, ItemListQuery, ItemUnit, ItemUpdate } from '../../../../shared/schemas/inventory.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, issuesMessage, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { categoryWithDescendants } from '../categories/service.ts';
import { assertUnitPlan, factorFor } from './units.ts';
import { isoShanghai } from '../../../../shared/time.ts';

const unitSelect = { id: true, code: true, name: true, precision: true } satisfies Prisma.UnitSelect;
const include = {
  category: { select: { id: true, code: true, name: true } },
  baseUnit: { select: unitSelect },
  purchaseUnit: { select: unitSelect },
  salesUnit: { select: unitSelect },
  conversions: { include: { unit: { select: unitSelect } }, orderBy: [{ factor: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.ItemInclude;
type ItemRow = Prisma.ItemGetPayload<{ include: typeof include }>;
type UnitRef = { id: string; code: string; name: string };

const ref = (u: UnitRef): UnitRef => ({ id: u.id, code: u.code, name: u.name });

export function toItemDto(i: ItemRow): Item {
  return {
    id: i.id,
    code: i.code,
    name: i.name,
    spec: i.spec,
    category: i.category,
    kind: i.kind,
    kindLabel: ITEM_KIND_LABELS[i.kind],
    sourcing: i.sourcing,
    sourcingLabel: SOURCING_LABELS[i.sourcing],
    baseUnit: ref(i.baseUnit),
    purchaseUnit: i.purchaseUnit ? ref(i.purchaseUnit) : null,
    salesUnit: i.salesUnit ? ref(i.salesUnit) : null,
    conversions: i.conversions.map((c) => ({ unit: ref(c.unit), factor: c.factor.toFixed(6) })),
    safetyStock: i.safetyStock.toFixed(4),
    leadTimeDays: i.leadTimeDays,
    scrapRate: i.scrapRate.toFixed(4),
    moq: i.moq.toFixed(4),
    orderMultiple: i.orderMultiple.toFixed(4),
    standardCost: i.standardCost.toFixed(6),
    salePrice: i.salePrice.toFixed(6),
    taxRate: i.taxRate.toFixed(4),
    batchTracked: i.batchTracked,
    inspectionRequired: i.inspectionRequired,
    active: i.active,
    createdAt: isoShanghai(i.createdAt),
    updatedAt: isoShanghai(i.updatedAt),
    version: i.version,
  };
}

export async function listItems(ctx: UseCaseContext, query: ItemListQuery): Promise<Page<Item>> {
  return runUseCase(ctx, async (tx) => {
    const categoryIds = query.categoryId ? await categoryWithDescendants(tx, query.categoryId) : undefined;
    const where: Prisma.ItemWhereInput = {
      AND: [
        keywordWhere(query.q, ['code', 'name', 'spec']),
        { kind: query.kind, sourcing: query.sourcing, active: query.active },
        categoryIds ? { categoryId: { in: categoryIds } } : {},
      ],
    };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.ItemOrderByWithRelationInput[];
    return findPage(query, (w) => tx.item.findMany({ where, orderBy, include, ...w }), () => tx.item.count({ where }), toItemDto);
  });
}

async function findItem(tx: Tx, id: string): Promise<ItemRow> {
  const row = await tx.item.findUnique({ where: { id }, include });
  if (!row) throw notFound('物料');
  return row;
}

export async function getItem(ctx: UseCaseContext, id: string): Promise<Item> {
  return runUseCase(ctx, async (tx) => toItemDto(await findItem(tx, id)));
}

/** The units an item can be counted in, base unit first, each with its factor to the base unit. */
export async function getItemUnits(ctx: UseCaseContext, id: string): Promise<ItemUnit[]> {
  return runUseCase(ctx, async (tx) => {
    const item = await findItem(tx, id);
    const units = [item.baseUnit, ...item.conversions.map((c) => c.unit)];
    return units.map((u) => ({
      unit: { ...ref(u), precision: u.precision },
      factor: factorFor(item, u.id),
      isBase: u.id === item.baseUnitId,
      isPurchase: u.id === (item.purchaseUnitId ?? item.baseUnitId),
      isSales: u.id === (item.salesUnitId ?? item.baseUnitId),
    }));
  });
}

async function assertCodeFree(tx: Tx, code: string | undefined, exceptId?: string): Promise<void> {
  if (code === undefined) return;
  const clash = await tx.item.findFirst({ where: { code, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { id: true } });
  if (clash) throw new AppError('DUPLICATE', `物料编码「${code}」已存在，不能重复`, [{ field: 'body.code', message: '已存在' }]);
}

interface References {
  categoryId?: string | null;
  baseUnitId?: string;
  purchaseUnitId?: string | null;
  salesUnitId?: string | null;
  conversions?: ConversionInput[];
}

/** Every id the request names must be a row of this company; all unknown ones are reported at once. */
async function assertReferencesExist(tx: Tx, refs: References): Promise<void> {
  const issues: FieldIssue[] = [];
  if (refs.categoryId && !(await tx.itemCategory.findUnique({ where: { id: refs.categoryId }, select: { id: true } }))) {
    issues.push({ field: 'body.categoryId', message: '物料分类不存在' });
  }
  const wanted: [string, string | null | undefined][] = [
    ['body.baseUnitId', refs.baseUnitId],
    ['body.purchaseUnitId', refs.purchaseUnitId],
    ['body.salesUnitId', refs.salesUnitId],
    ...(refs.conversions ?? []).map((c, i): [string, string] => [`body.conversions.${i}.unitId`, c.unitId]),
  ];
  const ids = [...new Set(wanted.map(([, id]) => id).filter((id): id is string => !!id))];
  const found = new Set((await tx.unit.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((u) => u.id));
  for (const [field, id] of wanted) if (id && !found.has(id)) issues.push({ field, message: '计量单位不存在' });
  if (issues.length === 1) throw invalid(issues[0]!.field, issues[0]!.message);
  if (issues.length > 1) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
}

function conversionRows(companyId: string, conversions: ConversionInput[]) {
  return conversions.map((c) => ({ companyId, unitId: c.unitId, factor: c.factor }));
}

export async function createItem(ctx: UseCaseContext, input: ItemCreate): Promise<Item> {
  return runUseCase(ctx, async (tx) => {
    const { conversions, ...fields } = input;
    await assertCodeFree(tx, input.code);
    await assertReferencesExist(tx, input);
    assertUnitPlan(
      { baseUnitId: input.baseUnitId, purchaseUnitId: input.purchaseUnitId ?? null, salesUnitId: input.salesUnitId ?? null, conversions },
      { conversionsGiven: true },
    );
    const companyId = ctx.actor.companyId;
    const row = await tx.item.create({
      data: { ...fields, companyId, conversions: { create: conversionRows(companyId, conversions) } },
      include,
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'item', entityId: row.id, after: row });
    await emitEvent(tx, companyId, { type: 'item.created', aggregate: 'item', aggregateId: row.id, payload: { code: row.code, name: row.name } });
    return toItemDto(row);
  });
}

export async function updateItem(ctx: UseCaseContext, id: string, input: ItemUpdate): Promise<Item> {
  return runUseCase(ctx, async (tx) => {
    const before = await findItem(tx, id);
    const { version, conversions, ...fields } = input;
    await assertCodeFree(tx, fields.code, id);
    await assertReferencesExist(tx, input);
    assertUnitPlan(
      {
        baseUnitId: fields.baseUnitId ?? before.baseUnitId,
        purchaseUnitId: fields.purchaseUnitId !== undefined ? fields.purchaseUnitId : before.purchaseUnitId,
        salesUnitId: fields.salesUnitId !== undefined ? fields.salesUnitId : before.salesUnitId,
        conversions: conversions ?? before.conversions,
      },
      { conversionsGiven: conversions !== undefined },
    );
    await updateVersioned(tx.item, { where: { id }, version, data: fields, label: '物料' });
    if (conversions) {
      await tx.unitConversion.deleteMany({ where: { itemId: id } });
      await tx.unitConversion.createMany({ data: conversionRows(ctx.actor.companyId, conversions).map((c) => ({ ...c, itemId: id })) });
    }
    const after = await findItem(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'item', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toItemDto(after);
  });
}

export async function deleteItem(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findItem(tx, id);
    await tx.item.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'item', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}
