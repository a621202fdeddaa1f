// 供应商价目表: use cases, each one transaction. Entries are kept per supplier × item × unit ×
// currency × minimum quantity × validFrom; a price change is a new entry from a new date.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type {
  PickedPrice, SupplierPrice, SupplierPriceCreate, SupplierPriceListQuery, SupplierPricePickQuery, SupplierPriceUpdate,
} from '../../../../shared/schemas/purchasing.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { assertCurrencyExists } from '../../../platform/references.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { todayInShanghai } from '../../finance/index.ts';
import { factorFor } from '../../inventory/index.ts';
import { loadRefs, type Refs } from '../orders/refs.ts';
import { assertUnitPrecision, dateOnlyOf, dateOnlyToDb, exchangeRateOn } from '../orders/support.ts';
import { defaultPrices } from './defaults.ts';

type PriceRow = Prisma.SupplierPriceGetPayload<object>;

function toDto(r: PriceRow, refs: Refs): SupplierPrice {
  return {
    id: r.id,
    supplier: refs.supplier(r.supplierId),
    item: refs.item(r.itemId),
    unit: refs.unit(r.unitId),
    price: r.price.toFixed(6),
    currencyCode: r.currencyCode,
    minQuantity: r.minQuantity.toFixed(4),
    validFrom: dateOnlyOf(r.validFrom),
    validTo: r.validTo ? dateOnlyOf(r.validTo) : null,
    createdAt: isoShanghai(r.createdAt),
  };
}

async function dtos(tx: Tx, rows: PriceRow[]): Promise<SupplierPrice[]> {
  const refs = await loadRefs(tx, { suppliers: rows.map((r) => r.supplierId), items: rows.map((r) => r.itemId), units: rows.map((r) => r.unitId) });
  return rows.map((r) => toDto(r, refs));
}

export async function listSupplierPrices(ctx: UseCaseContext, query: SupplierPriceListQuery): Promise<Page<SupplierPrice>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.SupplierPriceWhereInput[] = [{ supplierId: query.supplierId, itemId: query.itemId }];
    if (query.q) {
      const like = containsText(query.q);
      const [suppliers, items] = await Promise.all([
        tx.supplier.findMany({ where: { OR: [{ code: like }, { name: like }] }, select: { id: true } }),
        tx.item.findMany({ where: { OR: [{ code: like }, { name: like }, { spec: like }] }, select: { id: true } }),
      ]);
      and.push({ OR: [{ supplierId: { in: suppliers.map((s) => s.id) } }, { itemId: { in: items.map((i) => i.id) } }] });
    }
    if (query.validOn) {
      const day = dateOnlyToDb(query.validOn);
      and.push({ validFrom: { lte: day }, OR: [{ validTo: null }, { validTo: { gte: day } }] });
    }
    const where: Prisma.SupplierPriceWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-validFrom') as Prisma.SupplierPriceOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.supplierPrice.findMany({ where, orderBy, ...w }), () => tx.supplierPrice.count({ where }), (r) => r);
    return { ...page, items: await dtos(tx, page.items) };
  });
}

async function findPrice(tx: Tx, id: string): Promise<PriceRow> {
  const row = await tx.supplierPrice.findUnique({ where: { id } });
  if (!row) throw notFound('供应商价格');
  return row;
}

export async function getSupplierPrice(ctx: UseCaseContext, id: string): Promise<SupplierPrice> {
  return runUseCase(ctx, async (tx) => (await dtos(tx, [await findPrice(tx, id)]))[0]!);
}

/** The unit must be one of the item's units; defaults to its purchase unit. */
async function resolveUnit(tx: Tx, itemId: string, unitId: string | null | undefined): Promise<string> {
  const item = await tx.item.findUnique({ where: { id: itemId }, include: { conversions: { select: { unitId: true, factor: true } } } });
  if (!item) throw invalid('body.itemId', '物料不存在');
  const chosen = unitId ?? item.purchaseUnitId ?? item.baseUnitId;
  try {
    factorFor(item, chosen);
  } catch {
    throw invalid('body.unitId', `物料 ${item.code} 没有该计量单位`);
  }
  return chosen;
}

interface PriceKey {
  supplierId: string;
  itemId: string;
  unitId: string;
  currencyCode: string;
  minQuantity: string;
  validFrom: Date;
}

async function assertNoTwin(tx: Tx, key: PriceKey, exceptId?: string): Promise<void> {
  const twin = await tx.supplierPrice.findFirst({ where: { ...key, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (twin) {
    throw new AppError('DUPLICATE', '已有相同供应商、物料、单位、币别、起订量和生效日期的价格，请修改原价格', [
      { field: 'body.validFrom', message: '同一生效日期已有该价格' },
    ]);
  }
}

export async function createSupplierPrice(ctx: UseCaseContext, input: SupplierPriceCreate): Promise<SupplierPrice> {
  return runUseCase(ctx, async (tx) => {
    const supplier = await tx.supplier.findUnique({ where: { id: input.supplierId }, select: { currencyCode: true } });
    if (!supplier) throw invalid('body.supplierId', '供应商不存在');
    const unitId = await resolveUnit(tx, input.itemId, input.unitId);
    const currencyCode = input.currencyCode ?? supplier.currencyCode;
    await assertCurrencyExists(tx, currencyCode);
    await assertUnitPrecision(tx, [{ unitId, quantity: input.minQuantity, field: 'body.minQuantity' }]);
    const validFrom = input.validFrom ?? todayInShanghai();
    if (input.validTo && input.validTo < validFrom) throw invalid('body.validTo', '失效日期不能早于生效日期');
    const key: PriceKey = { supplierId: input.supplierId, itemId: input.itemId, unitId, currencyCode, minQuantity: input.minQuantity, validFrom: dateOnlyToDb(validFrom) };
    await assertNoTwin(tx, key);
    const row = await tx.supplierPrice.create({
      data: { ...key, companyId: ctx.actor.companyId, price: input.price, validTo: input.validTo ? dateOnlyToDb(input.validTo) : null },
    });
    const [dto] = await dtos(tx, [row]);
    await recordChange(tx, ctx, { action: 'create', entity: 'supplierPrice', entityId: row.id, after: dto, payload: priceEvent(dto!) });
    return dto!;
  });
}

const priceEvent = (p: SupplierPrice) => ({ supplier: p.supplier.code, item: p.item.code, unit: p.unit.name, price: p.price, currencyCode: p.currencyCode, validFrom: p.validFrom });

/** Last write wins: the supplier_price table has no version column (see the report). */
export async function updateSupplierPrice(ctx: UseCaseContext, id: string, input: SupplierPriceUpdate): Promise<SupplierPrice> {
  return runUseCase(ctx, async (tx) => {
    const before = await findPrice(tx, id);
    const unitId = input.unitId !== undefined ? await resolveUnit(tx, before.itemId, input.unitId) : before.unitId;
    const currencyCode = input.currencyCode ?? before.currencyCode;
    if (input.currencyCode) await assertCurrencyExists(tx, input.currencyCode);
    const minQuantity = input.minQuantity ?? before.minQuantity.toFixed(4);
    if (input.minQuantity !== undefined || input.unitId !== undefined) await assertUnitPrecision(tx, [{ unitId, quantity: minQuantity, field: 'body.minQuantity' }]);
    const validFrom = input.validFrom ?? dateOnlyOf(before.validFrom);
    const validTo = input.validTo !== undefined ? input.validTo : before.validTo ? dateOnlyOf(before.validTo) : null;
    if (validTo && validTo < validFrom) throw invalid('body.validTo', '失效日期不能早于生效日期');
    const key: PriceKey = { supplierId: before.supplierId, itemId: before.itemId, unitId, currencyCode, minQuantity, validFrom: dateOnlyToDb(validFrom) };
    await assertNoTwin(tx, key, id);
    const row = await tx.supplierPrice.update({
      where: { id },
      data: { unitId, currencyCode, minQuantity, validFrom: key.validFrom, validTo: validTo ? dateOnlyToDb(validTo) : null, price: input.price ?? undefined },
    });
    const [b, a] = await dtos(tx, [before, row]);
    await recordChange(tx, ctx, { action: 'update', entity: 'supplierPrice', entityId: id, before: b, after: a, payload: priceEvent(a!) });
    return a!;
  });
}

export async function deleteSupplierPrice(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findPrice(tx, id);
    const [dto] = await dtos(tx, [before]);
    await tx.supplierPrice.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'supplierPrice', entityId: id, before: dto, payload: priceEvent(dto!) });
  });
}

/** The price a new purchase order line would get by default. */
export async function pickPrice(ctx: UseCaseContext, query: SupplierPricePickQuery): Promise<PickedPrice> {
  return runUseCase(ctx, async (tx) => {
    const supplier = await tx.supplier.findUnique({ where: { id: query.supplierId }, select: { currencyCode: true } });
    if (!supplier) throw invalid('query.supplierId', '供应商不存在');
    const item = await tx.item.findUnique({ where: { id: query.itemId }, include: { conversions: { select: { unitId: true, factor: true } } } });
    if (!item) throw invalid('query.itemId', '物料不存在');
    const unitId = query.unitId ?? item.purchaseUnitId ?? item.baseUnitId;
    let factor: string;
    try {
      factor = factorFor(item, unitId);
    } catch {
      throw invalid('query.unitId', `物料 ${item.code} 没有该计量单位`);
    }
    const date = query.date ?? todayInShanghai();
    const exchangeRate = await exchangeRateOn(tx, supplier.currencyCode, date, 'query.date');
    const [picked] = await defaultPrices(tx, { supplierId: query.supplierId, currencyCode: supplier.currencyCode, exchangeRate, date }, [
      { itemId: item.id, unitId, quantity: query.quantity ?? '1', factor, standardCost: item.standardCost.toString(), taxRate: item.taxRate.toString() },
    ]);
    return { unitId, currencyCode: supplier.currencyCode, ...picked! };
  });
}
