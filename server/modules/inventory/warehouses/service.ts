// 仓库: use cases, each one transaction, scoped to the company.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Warehouse, WarehouseCreate, WarehouseListQuery, WarehouseUpdate } from '../../../../shared/schemas/warehouse.ts';
import { recordChange } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { assertUserExists } from '../../../platform/references.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';

const include = { manager: { select: { id: true, name: true } } } satisfies Prisma.WarehouseInclude;
type WarehouseRow = Prisma.WarehouseGetPayload<{ include: typeof include }>;

export function toWarehouseDto(w: WarehouseRow): Warehouse {
  return {
    id: w.id,
    code: w.code,
    name: w.name,
    address: w.address,
    manager: w.manager,
    active: w.active,
    createdAt: isoShanghai(w.createdAt),
    updatedAt: isoShanghai(w.updatedAt),
    version: w.version,
  };
}

export async function listWarehouses(ctx: UseCaseContext, query: WarehouseListQuery): Promise<Page<Warehouse>> {
  return runUseCase(ctx, async (tx) => {
    const where: Prisma.WarehouseWhereInput = {
      AND: [keywordWhere(query.q, ['code', 'name', 'address']), { managerId: query.managerId, active: query.active }],
    };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.WarehouseOrderByWithRelationInput[];
    return findPage(query, (w) => tx.warehouse.findMany({ where, orderBy, include, ...w }), () => tx.warehouse.count({ where }), toWarehouseDto);
  });
}

async function findWarehouse(tx: Tx, id: string): Promise<WarehouseRow> {
  const row = await tx.warehouse.findUnique({ where: { id }, include });
  if (!row) throw notFound('仓库');
  return row;
}

export async function getWarehouse(ctx: UseCaseContext, id: string): Promise<Warehouse> {
  return runUseCase(ctx, async (tx) => toWarehouseDto(await findWarehouse(tx, id)));
}

export async function createWarehouse(ctx: UseCaseContext, input: WarehouseCreate): Promise<Warehouse> {
  return runUseCase(ctx, async (tx) => {
    if (input.managerId) await assertUserExists(tx, input.managerId, 'body.managerId');
    const row = await tx.warehouse.create({ data: { ...input, companyId: ctx.actor.companyId }, include });
    await recordChange(tx, ctx, { action: 'create', entity: 'warehouse', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toWarehouseDto(row);
  });
}

export async function updateWarehouse(ctx: UseCaseContext, id: string, input: WarehouseUpdate): Promise<Warehouse> {
  return runUseCase(ctx, async (tx) => {
    const before = await findWarehouse(tx, id);
    const { version, ...fields } = input;
    if (fields.managerId) await assertUserExists(tx, fields.managerId, 'body.managerId');
    await updateVersioned(tx.warehouse, { where: { id }, version, data: fields, label: '仓库' });
    const after = await findWarehouse(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'warehouse', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toWarehouseDto(after);
  });
}

export async function deleteWarehouse(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findWarehouse(tx, id);
    // TODO(inventory issue): stock moves and balances will reference warehouses; count them here
    // and refuse with "仓库「原材料仓」有 N 条库存记录，不能删除" before deleting.
    await tx.warehouse.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'warehouse', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}
