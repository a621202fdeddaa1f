// 物料分类: a tree via parentId; use cases, each one transaction in the actor's company.
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type {
  ItemCategory,
  ItemCategoryCreate,
  ItemCategoryListQuery,
  ItemCategoryNode,
  ItemCategoryUpdate,
} from '../../../../shared/schemas/inventory.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { findPage, keywordWhere, orderByOf, updateVersioned, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';

type CategoryRow = Prisma.ItemCategoryGetPayload<object>;

export function toCategoryDto(c: CategoryRow): ItemCategory {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    parentId: c.parentId,
    createdAt: isoShanghai(c.createdAt),
    updatedAt: isoShanghai(c.updatedAt),
    version: c.version,
  };
}

export async function listCategories(ctx: UseCaseContext, query: ItemCategoryListQuery): Promise<Page<ItemCategory>> {
  return runUseCase(ctx, (tx) => {
    const where: Prisma.ItemCategoryWhereInput = {
      AND: [
        keywordWhere(query.q, ['code', 'name']),
        query.parentId ? { parentId: query.parentId } : {},
        query.root === true ? { parentId: null } : query.root === false ? { NOT: { parentId: null } } : {},
      ],
    };
    const orderBy = orderByOf(query.sort, 'code') as Prisma.ItemCategoryOrderByWithRelationInput[];
    return findPage(query, (w) => tx.itemCategory.findMany({ where, orderBy, ...w }), () => tx.itemCategory.count({ where }), toCategoryDto);
  });
}

/** Nests flat rows under their parents; rows whose parent is missing become roots. Keeps input order. */
export function buildCategoryTree(rows: readonly { id: string; code: string; name: string; parentId: string | null }[]): ItemCategoryNode[] {
  const nodes = new Map<string, ItemCategoryNode>(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, parentId: r.parentId, children: [] }]));
  const roots: ItemCategoryNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id)!;
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export async function categoryTree(ctx: UseCaseContext): Promise<ItemCategoryNode[]> {
  return runUseCase(ctx, async (tx) => buildCategoryTree(await tx.itemCategory.findMany({ orderBy: [{ code: 'asc' }, { id: 'asc' }] })));
}

/** The category and every category below it. */
export async function categoryWithDescendants(tx: Tx, id: string): Promise<string[]> {
  const all = await tx.itemCategory.findMany({ select: { id: true, parentId: true } });
  const result = [id];
  for (let i = 0; i < result.length; i++) {
    for (const c of all) if (c.parentId === result[i]) result.push(c.id);
  }
  return result;
}

async function findCategory(tx: Tx, id: string): Promise<CategoryRow> {
  const row = await tx.itemCategory.findUnique({ where: { id } });
  if (!row) throw notFound('物料分类');
  return row;
}

export async function getCategory(ctx: UseCaseContext, id: string): Promise<ItemCategory> {
  return runUseCase(ctx, async (tx) => toCategoryDto(await findCategory(tx, id)));
}

async function assertCodeFree(tx: Tx, code: string | undefined, exceptId?: string): Promise<void> {
  if (code === undefined) return;
  const clash = await tx.itemCategory.findFirst({ where: { code, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { id: true } });
  if (clash) throw new AppError('DUPLICATE', `物料分类编码「${code}」已存在，不能重复`, [{ field: 'body.code', message: '已存在' }]);
}

/** The parent must exist and, when moving `selfId`, must not be the category itself or below it. */
async function assertParent(tx: Tx, parentId: string | null | undefined, selfId?: string): Promise<void> {
  if (!parentId) return;
  const all = new Map((await tx.itemCategory.findMany({ select: { id: true, parentId: true } })).map((c) => [c.id, c.parentId]));
  if (!all.has(parentId)) throw invalid('body.parentId', '上级分类不存在');
  if (!selfId) return;
  for (let cur: string | null | undefined = parentId, steps = 0; cur && steps <= all.size; cur = all.get(cur), steps++) {
    if (cur === selfId) throw invalid('body.parentId', '不能把分类移到它自己或它的下级分类之下');
  }
}

export async function createCategory(ctx: UseCaseContext, input: ItemCategoryCreate): Promise<ItemCategory> {
  return runUseCase(ctx, async (tx) => {
    await assertCodeFree(tx, input.code);
    await assertParent(tx, input.parentId);
    const row = await tx.itemCategory.create({
      data: { companyId: ctx.actor.companyId, code: input.code, name: input.name, parentId: input.parentId ?? null },
    });
    await recordChange(tx, ctx, { action: 'create', entity: 'itemCategory', entityId: row.id, after: row, payload: { code: row.code, name: row.name } });
    return toCategoryDto(row);
  });
}

export async function updateCategory(ctx: UseCaseContext, id: string, input: ItemCategoryUpdate): Promise<ItemCategory> {
  return runUseCase(ctx, async (tx) => {
    const before = await findCategory(tx, id);
    await assertCodeFree(tx, input.code, id);
    await assertParent(tx, input.parentId, id);
    await updateVersioned(tx.itemCategory, {
      where: { id },
      version: input.version,
      data: { code: input.code, name: input.name, parentId: input.parentId },
      label: '物料分类',
    });
    const after = await findCategory(tx, id);
    await recordChange(tx, ctx, { action: 'update', entity: 'itemCategory', entityId: id, before, after, payload: { code: after.code, name: after.name } });
    return toCategoryDto(after);
  });
}

export async function deleteCategory(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findCategory(tx, id);
    const children = await tx.itemCategory.count({ where: { parentId: id } });
    if (children > 0) throw new AppError('IN_USE', `物料分类「${before.name}」下还有 ${children} 个下级分类，不能删除`);
    const items = await tx.item.count({ where: { categoryId: id } });
    if (items > 0) throw new AppError('IN_USE', `物料分类「${before.name}」正被 ${items} 个物料使用，不能删除`);
    await tx.itemCategory.delete({ where: { id } });
    await recordChange(tx, ctx, { action: 'delete', entity: 'itemCategory', entityId: id, before, payload: { code: before.code, name: before.name } });
  });
}
