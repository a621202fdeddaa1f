// 销售预测 use cases (备货生产), one transaction each: one row per item per month (the unique key;
// the service says so by field first), quantity in the item's base unit within its precision.
// MRP reads the forecasts of this month on (forecastsForMrp) and consumes them by the month's orders.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Forecast, ForecastCreate, ForecastListQuery, ForecastUpdate } from '../../../../shared/schemas/forecast.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb } from '../../finance/index.ts';
import { bomItemRef, bomItemsById } from '../bom/service.ts';

type Row = Prisma.SalesForecastGetPayload<object>;

const monthStart = (period: string) => dateOnlyToDb(`${period}-01`);
const periodOf = (d: Date) => dateOnlyOf(d).slice(0, 7);

async function dtos(tx: Tx, rows: Row[]): Promise<Forecast[]> {
  const items = await bomItemsById(tx, rows.map((r) => r.itemId));
  const whIds = [...new Set(rows.map((r) => r.warehouseId).filter((w): w is string => !!w))];
  const warehouses = new Map((whIds.length ? await tx.warehouse.findMany({ where: { id: { in: whIds } }, select: { id: true, code: true, name: true } }) : []).map((w) => [w.id, w]));
  return rows.map((r) => ({
    id: r.id, item: bomItemRef(items.get(r.itemId), r.itemId), period: periodOf(r.period), quantity: r.quantity.toFixed(4),
    warehouse: r.warehouseId ? (warehouses.get(r.warehouseId) ?? { id: r.warehouseId, code: '?', name: '?' }) : null,
    remark: r.remark, updatedAt: isoShanghai(r.updatedAt), version: r.version,
  }));
}

async function findRow(tx: Tx, id: string): Promise<Row> {
  const row = await tx.salesForecast.findUnique({ where: { id } });
  if (!row) throw notFound('销售预测');
  return row;
}

/** The item exists and the quantity has no more decimals than its base unit (no 10.5 bolts). */
async function assertItemQuantity(tx: Tx, itemId: string, quantity: string | undefined): Promise<string> {
  const item = (await bomItemsById(tx, [itemId])).get(itemId);
  if (!item) throw invalid('body.itemId', '物料不存在');
  const places = item.baseUnit.precision;
  if (quantity !== undefined && new Decimal(quantity).decimalPlaces() > places) {
    throw invalid('body.quantity', places ? `数量最多 ${places} 位小数（${item.baseUnit.name}）` : `数量必须是整数（${item.baseUnit.name}）`);
  }
  return item.code;
}

async function assertWarehouse(tx: Tx, warehouseId: string | null | undefined): Promise<void> {
  if (!warehouseId) return;
  if (!(await tx.warehouse.findFirst({ where: { id: warehouseId, active: true }, select: { id: true } }))) throw invalid('body.warehouseId', '仓库不存在或已停用');
}

/** One forecast per item per month: said by field before the unique key would refuse it. */
async function assertPeriodFree(tx: Tx, itemId: string, period: string, code: string, exceptId?: string): Promise<void> {
  const clash = await tx.salesForecast.findFirst({ where: { itemId, period: monthStart(period), ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { id: true } });
  if (clash) throw new AppError('DUPLICATE', `物料 ${code} 在 ${period} 已有销售预测，请修改那一条`, [{ field: 'body.period', message: '该月已有预测' }]);
}

export async function listForecasts(ctx: UseCaseContext, query: ForecastListQuery): Promise<Page<Forecast>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.SalesForecastWhereInput[] = [{ itemId: query.itemId }];
    if (query.periodFrom) and.push({ period: { gte: monthStart(query.periodFrom) } });
    if (query.periodTo) and.push({ period: { lte: monthStart(query.periodTo) } });
    if (query.q) {
      const found = await tx.item.findMany({ where: { OR: [{ code: containsText(query.q) }, { name: containsText(query.q) }] }, select: { id: true } });
      and.push({ OR: [{ itemId: { in: found.map((f) => f.id) } }, { remark: containsText(query.q) }] });
    }
    const where: Prisma.SalesForecastWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-period') as Prisma.SalesForecastOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.salesForecast.findMany({ where, orderBy, ...w }), () => tx.salesForecast.count({ where }), (r) => r);
    return { ...page, items: await dtos(tx, page.items) };
  });
}

export async function getForecast(ctx: UseCaseContext, id: string): Promise<Forecast> {
  return runUseCase(ctx, async (tx) => (await dtos(tx, [await findRow(tx, id)]))[0]!);
}

export async function createForecast(ctx: UseCaseContext, input: ForecastCreate): Promise<Forecast> {
  return runUseCase(ctx, async (tx) => {
    const code = await assertItemQuantity(tx, input.itemId, input.quantity);
    await assertWarehouse(tx, input.warehouseId);
    await assertPeriodFree(tx, input.itemId, input.period, code);
    const row = await tx.salesForecast.create({
      data: {
        companyId: ctx.actor.companyId, itemId: input.itemId, period: monthStart(input.period), quantity: input.quantity,
        warehouseId: input.warehouseId ?? null, remark: input.remark ?? null, createdById: ctx.actor.userId,
      },
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'salesForecast', entityId: row.id, after: { itemCode: code, period: input.period, quantity: input.quantity } });
    return (await dtos(tx, [row]))[0]!;
  });
}

export async function updateForecast(ctx: UseCaseContext, id: string, input: ForecastUpdate): Promise<Forecast> {
  return runUseCase(ctx, async (tx) => {
    const before = await findRow(tx, id);
    const code = await assertItemQuantity(tx, before.itemId, input.quantity);
    await assertWarehouse(tx, input.warehouseId);
    if (input.period !== undefined) await assertPeriodFree(tx, before.itemId, input.period, code, id);
    await updateVersioned(tx.salesForecast, {
      where: { id }, version: input.version, label: '销售预测',
      data: {
        period: input.period === undefined ? undefined : monthStart(input.period), quantity: input.quantity,
        warehouseId: input.warehouseId, remark: input.remark,
      },
    });
    const after = await findRow(tx, id);
    await recordAudit(tx, ctx, {
      action: 'update', entity: 'salesForecast', entityId: id,
      before: { period: periodOf(before.period), quantity: before.quantity.toFixed(4) }, after: { itemCode: code, period: periodOf(after.period), quantity: after.quantity.toFixed(4) },
    });
    return (await dtos(tx, [after]))[0]!;
  });
}

export async function deleteForecast(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findRow(tx, id);
    await tx.salesForecast.delete({ where: { id } });
    await recordAudit(tx, ctx, { action: 'delete', entity: 'salesForecast', entityId: id, before: { itemId: before.itemId, period: periodOf(before.period), quantity: before.quantity.toFixed(4) } });
  });
}

/**
 * What MRP plans for: every forecast of the current month on, dated the month's first day (the
 * current month's is netted as of today). Earlier months are history: nothing is planned for them.
 */
export async function forecastsForMrp(tx: Tx, today: string): Promise<{ id: string; itemId: string; date: string; quantity: string; ref: string }[]> {
  const rows = await tx.salesForecast.findMany({ where: { period: { gte: monthStart(today.slice(0, 7)) } }, orderBy: [{ period: 'asc' }, { id: 'asc' }] });
  return rows.map((r) => ({ id: r.id, itemId: r.itemId, date: dateOnlyOf(r.period), quantity: r.quantity.toString(), ref: `预测 ${periodOf(r.period)}` }));
}
