// 计量单位: use cases, each one transaction in the actor's company.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Unit, UnitCreate, UnitListQuery, UnitUpdate } from '../../../../shared/schemas/inventory.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';

type UnitRow = Prisma.UnitGetPayload<object>;

export function toUnitDto(u: UnitRow): Unit {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    precision: u.precision,
    createdAt: isoShanghai(u.createdAt),
    updatedAt: isoShanghai(u.updatedAt),
    version: u.version,
  };
}

export async function listUnits(ctx: UseCaseContext, query: UnitListQuery): Promise<Page<Unit>> {
  return runUseCase(ctx, (tx) => {
    const where = keywordWhere(query.q, ['code', 'name']) as Prisma.UnitWhereInput;
    const orderBy = orderByOf(query.sort, 'code') as Prisma.UnitOrderByWithRelationInput[];
    return findPage(query, (w) => tx.unit.findMany({ where, orderBy, ...w }), () => tx.unit.count({ where }), toUnitDto);
  });
}

async function findUnit(tx: Tx, id: string): Promise<UnitRow> {
  const row = await tx.unit.findUnique({ where: { id } });
  if (!row) throw notFound('计量单位');
  return row;
}

export async function getUnit(ctx: UseCaseContext, id: string): Promise<Unit> {
  return runUseCase(ctx, async (tx) => toUnitDto(await findUnit(tx, id)));
}

/** Code and name are each unique in the company; say which one clashes (409, naming the field). */
async function assertUnique(tx: Tx, input: { code?: string; name?: string }, exceptId?: string): Promise<void> {
  const not = exceptId ? { NOT: { id: exceptId } } : {};
  if (input.code !== undefined && (await tx.unit.findFirst({ where: { code: input.code, ...not }, select: { id: true } }))) {
    throw new AppError('DUPLICATE', `计量单位编码「${input.code}」已存在，不能重复`, [{ field: 'body.code', message: '已存在' }]);
  }
  if (input.name !== undefined && (await tx.unit.findFirst({ where: { name: input.name, ...not }, select: { id: true } }))) {
    throw new AppError('DUPLICATE', `计量单位名称「${input.name}」已存在，不能重复`, [{ field: 'body.name', message: '已存在' }]);
  }
}

export async function createUnit(ctx: UseCaseContext, input: UnitCreate): Promise<Unit> {
  return runUseCase(ctx, async (tx) => {
    await assertUnique(tx, input);
    const row = await tx.unit.create({ data: { ...input, companyId: ctx.actor.companyId } });
    await recordChange(tx, ctx, { action: 'create', entity: 'unit', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toUnitDto(row);
  });
}

export async function updateUnit(ctx: UseCaseContext, id: string, input: UnitUpdate): Promise<Unit> {
  return runUseCase(ctx, async (tx) => {
    const before = await findUnit(tx, id);
    const { version, ...fields } = input;
    await assertUnique(tx, fields, id);
    await updateVersioned(tx.unit, { where: { id }, version, data: fields, label: '计量单位' });
    const after = await findUnit(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'unit', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toUnitDto(after);
  });
}

/** How many items count in this unit: as base, purchase or sales unit, or in a conversion. */
export async function countItemsUsingUnit(tx: Tx, unitId: string): Promise<number> {
  return tx.item.count({
    where: { OR: [{ baseUnitId: unitId }, { purchaseUnitId: unitId }, { salesUnitId: unitId }, { conversions: { some: { unitId } } }] },
  });
}

export async function deleteUnit(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findUnit(tx, id);
    const used = await countItemsUsingUnit(tx, id);
    if (used > 0) throw new AppError('IN_USE', `计量单位「${before.name}」正被 ${used} 个物料使用，不能删除`);
    await tx.unit.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'unit', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}
