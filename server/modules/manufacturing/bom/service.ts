// 物料清单 (BOM) use cases, one transaction each. Writes take the company's BOM lock, then check the
// lines (items, units with a conversion, never 1:1), the versions' dates (no overlap) and the graph
// (no cycle, the path named), so nothing is half-written; reads resolve item and unit labels.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import { SOURCING_LABELS } from '../../../../shared/enums.ts';
import {
  BOM_ISSUE_METHOD_LABELS,
  type Bom, type BomCreate, type BomExplodeQuery, type BomExplosion, type BomExplosionNode, type BomLineInput, type BomListQuery,
  type BomSummary, type BomVersion, type BomVersionCreate, type BomVersionUpdate, type BomWhereUsed, type BomWhereUsedQuery,
} from '../../../../shared/schemas/manufacturing.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { recordAudit, recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, issuesMessage, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb, todayInShanghai } from '../../finance/index.ts';
import { factorFor } from '../../inventory/index.ts';
import {
  BomCycleError, BomScrapError, cycleMessage, cycleThrough, edgesOf, effectiveScrap, explode, explosionTotals, overlappingVersion, rangeLabel, versionOn,
  whereUsed, type DateRange, type ExplosionNode, type ExplosionVersion,
} from './rules.ts';
import { bomEdges, bomUsages, lockBomsForEdit } from './store.ts';

// ---------------------------------------------------------------- items and units

const itemSelect = {
  id: true, code: true, name: true, spec: true, sourcing: true, active: true, scrapRate: true, baseUnitId: true,
  baseUnit: { select: { id: true, code: true, name: true, precision: true } },
  conversions: { select: { unitId: true, factor: true } },
} satisfies Prisma.ItemSelect;
type ItemRow = Prisma.ItemGetPayload<{ select: typeof itemSelect }>;

async function itemsById(tx: Tx, ids: Iterable<string>): Promise<Map<string, ItemRow>> {
  const list = [...new Set(ids)];
  const rows = list.length ? await tx.item.findMany({ where: { id: { in: list } }, select: itemSelect }) : [];
  return new Map(rows.map((r) => [r.id, r]));
}

async function unitsById(tx: Tx, ids: Iterable<string>) {
  const list = [...new Set(ids)];
  const rows = list.length ? await tx.unit.findMany({ where: { id: { in: list } }, select: { id: true, code: true, name: true } }) : [];
  return new Map(rows.map((r) => [r.id, r]));
}

function itemRef(i: ItemRow | undefined, id: string) {
  if (!i) return { id, code: '?', name: '（已删除）', spec: null, baseUnit: { id: '', code: '?', name: '?' }, sourcing: '', sourcingLabel: '' };
  return {
    id: i.id, code: i.code, name: i.name, spec: i.spec,
    baseUnit: { id: i.baseUnit.id, code: i.baseUnit.code, name: i.baseUnit.name },
    sourcing: i.sourcing, sourcingLabel: SOURCING_LABELS[i.sourcing],
  };
}

// ---------------------------------------------------------------- DTOs

const bomInclude = {
  versions: { orderBy: { versionNo: 'asc' }, include: { lines: { orderBy: { lineNo: 'asc' } } } },
} satisfies Prisma.BomInclude;
type BomRow = Prisma.BomGetPayload<{ include: typeof bomInclude }>;
type VersionRow = BomRow['versions'][number];

const rangeOf = (v: { validFrom: Date; validTo: Date | null }): DateRange => ({ validFrom: dateOnlyOf(v.validFrom), validTo: v.validTo ? dateOnlyOf(v.validTo) : null });

async function bomDto(tx: Tx, row: BomRow): Promise<Bom> {
  const lines = row.versions.flatMap((v) => v.lines);
  const [items, units] = await Promise.all([
    itemsById(tx, [row.parentItemId, ...lines.map((l) => l.componentItemId)]),
    unitsById(tx, lines.map((l) => l.unitId)),
  ]);
  const versions = row.versions.map((v): BomVersion => ({
    id: v.id, versionNo: v.versionNo, ...rangeOf(v), batchQuantity: v.batchQuantity.toFixed(4), remark: v.remark,
    lines: v.lines.map((l) => {
      const component = items.get(l.componentItemId);
      const unit = units.get(l.unitId) ?? { id: l.unitId, code: '?', name: '?' };
      const lineScrap = l.scrapRate === null ? null : l.scrapRate.toFixed(4);
      return {
        id: l.id, lineNo: l.lineNo, component: itemRef(component, l.componentItemId), unit, quantity: l.quantity.toFixed(6), factor: l.factor.toFixed(6),
        baseQuantity: new Decimal(l.baseQuantity.toString()).toFixed(6), scrapRate: lineScrap,
        effectiveScrapRate: effectiveScrap(lineScrap, component ? component.scrapRate.toFixed(4) : '0.0000'),
        issueMethod: l.issueMethod, issueMethodLabel: BOM_ISSUE_METHOD_LABELS[l.issueMethod], operation: l.operation, phantom: l.phantom, remark: l.remark,
      };
    }),
    updatedAt: isoShanghai(v.updatedAt), version: v.version,
  }));
  const today = todayInShanghai();
  return {
    id: row.id, code: row.code, parent: itemRef(items.get(row.parentItemId), row.parentItemId), remark: row.remark,
    currentVersionNo: versionOn(versions, today)?.versionNo ?? null, versions,
    createdAt: isoShanghai(row.createdAt), updatedAt: isoShanghai(row.updatedAt), version: row.version,
  };
}

/** The versions valid on a day (validTo inclusive, null = open). */
const validOn = (day: Date) => ({ validFrom: { lte: day }, OR: [{ validTo: null }, { validTo: { gte: day } }] }) satisfies Prisma.BomVersionWhereInput;

async function findBom(tx: Tx, id: string): Promise<BomRow> {
  const row = await tx.bom.findUnique({ where: { id }, include: bomInclude });
  if (!row) throw notFound('BOM');
  return row;
}

// ---------------------------------------------------------------- reads

export async function listBoms(ctx: UseCaseContext, query: BomListQuery): Promise<Page<BomSummary>> {
  return runUseCase(ctx, async (tx) => {
    let where: Prisma.BomWhereInput = {};
    if (query.q) {
      const parents = await tx.item.findMany({ where: { OR: [{ code: containsText(query.q) }, { name: containsText(query.q) }] }, select: { id: true } });
      where = { OR: [{ code: containsText(query.q) }, { parentItemId: { in: parents.map((p) => p.id) } }] };
    }
    const orderBy = [...orderByOf(query.sort, '-updatedAt'), { id: 'asc' }] as Prisma.BomOrderByWithRelationInput[];
    // The page's query brings each BOM's version count and today's version (versions never overlap,
    // so at most one) with its lines counted by the database: no query per row.
    const today = dateOnlyToDb(todayInShanghai());
    const page = await findPage(
      query,
      (w) => tx.bom.findMany({
        where, orderBy, ...w,
        include: {
          _count: { select: { versions: true } },
          versions: { where: validOn(today), select: { versionNo: true, validFrom: true, _count: { select: { lines: true } } } },
        },
      }),
      () => tx.bom.count({ where }),
      (r) => r,
    );
    const items = await itemsById(tx, page.items.map((r) => r.parentItemId));
    return {
      ...page,
      items: page.items.map((r) => {
        const current = r.versions[0];
        return {
          id: r.id, code: r.code, parent: itemRef(items.get(r.parentItemId), r.parentItemId), remark: r.remark, versionCount: r._count.versions,
          currentVersionNo: current?.versionNo ?? null, currentValidFrom: current ? dateOnlyOf(current.validFrom) : null, currentLineCount: current?._count.lines ?? 0,
          updatedAt: isoShanghai(r.updatedAt), version: r.version,
        };
      }),
    };
  });
}

export async function getBom(ctx: UseCaseContext, id: string): Promise<Bom> {
  return runUseCase(ctx, async (tx) => bomDto(tx, await findBom(tx, id)));
}

// ---------------------------------------------------------------- checks shared by the writes

/**
 * The lines as rows: every component exists, is active and is not the parent; its unit is the base
 * unit or has a conversion (a unit without one is refused, never taken as 1:1). All issues at once.
 */
async function lineRows(tx: Tx, companyId: string, parentItemId: string, lines: BomLineInput[]) {
  const items = await itemsById(tx, lines.map((l) => l.componentItemId));
  const units = await unitsById(tx, lines.map((l) => l.unitId).filter((u): u is string => !!u));
  const issues: FieldIssue[] = [];
  const rows: Omit<Prisma.BomLineCreateManyInput, 'versionId'>[] = [];
  lines.forEach((l, n) => {
    const at = `body.lines.${n}`;
    const item = items.get(l.componentItemId);
    if (!item) return void issues.push({ field: `${at}.componentItemId`, message: '物料不存在' });
    if (!item.active) return void issues.push({ field: `${at}.componentItemId`, message: `物料 ${item.code} 已停用` });
    if (item.id === parentItemId) return void issues.push({ field: `${at}.componentItemId`, message: `子件不能是母件本身（${item.code}）` });
    const unitId = l.unitId ?? item.baseUnitId;
    let factor: string;
    try {
      factor = factorFor(item, unitId);
    } catch {
      const unit = units.get(unitId);
      return void issues.push({
        field: `${at}.unitId`,
        message: unit ? `物料 ${item.code} 没有「${unit.name}」到「${item.baseUnit.name}」的换算率，请先在物料中维护（不按 1:1 计算）` : '计量单位不存在',
      });
    }
    rows.push({
      companyId, lineNo: n + 1, componentItemId: item.id, unitId, quantity: l.quantity, factor,
      baseQuantity: new Decimal(l.quantity).times(factor).toFixed(12), scrapRate: l.scrapRate ?? null,
      issueMethod: l.issueMethod ?? 'kit', operation: l.operation ?? null, phantom: l.phantom ?? false, remark: l.remark ?? null,
    });
  });
  if (issues.length) throw new AppError('VALIDATION_FAILED', issuesMessage(issues), issues);
  return rows;
}

async function assertParent(tx: Tx, parentItemId: string): Promise<ItemRow> {
  const parent = (await itemsById(tx, [parentItemId])).get(parentItemId);
  if (!parent) throw invalid('body.parentItemId', '物料不存在');
  return parent;
}

/** Refuses lines that would close a cycle through the parent (any version counts), naming the path. */
async function assertNoCycle(tx: Tx, parentItemId: string, lines: { componentItemId: string }[], exceptVersionId?: string): Promise<void> {
  const pairs = await bomEdges(tx, exceptVersionId);
  const edges = edgesOf([...pairs, ...lines.map((l) => ({ parentItemId, componentItemId: l.componentItemId }))]);
  const path = cycleThrough(edges, parentItemId);
  if (!path) return;
  const items = await itemsById(tx, path);
  const message = cycleMessage(path, (id) => items.get(id)?.code ?? id);
  const n = lines.findIndex((l) => l.componentItemId === path[1]);
  throw new AppError('CONFLICT', message, [{ field: `body.lines.${Math.max(n, 0)}.componentItemId`, message }]);
}

/** Refuses dates overlapping another version of the same BOM, naming it. */
async function assertNoOverlap(tx: Tx, bomId: string, range: DateRange, exceptVersionId?: string): Promise<void> {
  if (range.validTo && range.validTo < range.validFrom) throw invalid('body.validTo', '失效日期不能早于生效日期');
  const others = (await tx.bomVersion.findMany({ where: { bomId, ...(exceptVersionId ? { NOT: { id: exceptVersionId } } : {}) }, orderBy: { versionNo: 'asc' } }))
    .map((v) => ({ versionNo: v.versionNo, ...rangeOf(v) }));
  const clash = overlappingVersion(range, others);
  if (!clash) return;
  const message = `有效期 ${rangeLabel(range)} 与版本 V${clash.versionNo}（${rangeLabel(clash)}）重叠；同一母件的 BOM 版本有效期不能重叠，请先调整 V${clash.versionNo} 的失效日期`;
  throw new AppError('CONFLICT', message, [{ field: 'body.validFrom', message }]);
}

// ---------------------------------------------------------------- writes

export async function createBom(ctx: UseCaseContext, input: BomCreate): Promise<Bom> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    await lockBomsForEdit(tx, companyId);
    const parent = await assertParent(tx, input.parentItemId);
    const existing = await tx.bom.findFirst({ where: { parentItemId: parent.id }, select: { id: true } });
    if (existing) {
      throw new AppError('DUPLICATE', `母件 ${parent.code} 已有 BOM，请为它新增版本`, [{ field: 'body.parentItemId', message: '已有 BOM' }]);
    }
    if (input.code && (await tx.bom.findFirst({ where: { code: input.code }, select: { id: true } }))) {
      throw new AppError('DUPLICATE', `BOM 编码「${input.code}」已存在，不能重复`, [{ field: 'body.code', message: '已存在' }]);
    }
    const range = { validFrom: input.validFrom ?? todayInShanghai(), validTo: input.validTo ?? null };
    if (range.validTo && range.validTo < range.validFrom) throw invalid('body.validTo', '失效日期不能早于生效日期');
    const rows = await lineRows(tx, companyId, parent.id, input.lines);
    await assertNoCycle(tx, parent.id, rows);
    const bom = await tx.bom.create({ data: { companyId, code: input.code ?? null, parentItemId: parent.id, remark: input.remark ?? null } });
    const version = await tx.bomVersion.create({
      data: {
        companyId, bomId: bom.id, versionNo: 1, validFrom: dateOnlyToDb(range.validFrom), validTo: range.validTo ? dateOnlyToDb(range.validTo) : null,
        batchQuantity: input.batchQuantity,
      },
    });
    await tx.bomLine.createMany({ data: rows.map((r) => ({ ...r, versionId: version.id })) });
    const dto = await bomDto(tx, await findBom(tx, bom.id));
    await recordChange(tx, ctx, { action: 'create', entity: 'bom', entityId: bom.id, after: dto, payload: { parent: parent.code, lines: rows.length } });
    return dto;
  });
}

export async function addBomVersion(ctx: UseCaseContext, bomId: string, input: BomVersionCreate): Promise<Bom> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    await lockBomsForEdit(tx, companyId);
    const bom = await findBom(tx, bomId);
    const range = { validFrom: input.validFrom, validTo: input.validTo ?? null };
    const rows = await lineRows(tx, companyId, bom.parentItemId, input.lines);
    await assertNoOverlap(tx, bom.id, range);
    await assertNoCycle(tx, bom.parentItemId, rows);
    const versionNo = Math.max(0, ...bom.versions.map((v) => v.versionNo)) + 1;
    const version = await tx.bomVersion.create({
      data: {
        companyId, bomId: bom.id, versionNo, validFrom: dateOnlyToDb(range.validFrom), validTo: range.validTo ? dateOnlyToDb(range.validTo) : null,
        batchQuantity: input.batchQuantity, remark: input.remark ?? null,
      },
    });
    await tx.bomLine.createMany({ data: rows.map((r) => ({ ...r, versionId: version.id })) });
    await tx.bom.update({ where: { id: bom.id }, data: { version: { increment: 1 } } });
    const dto = await bomDto(tx, await findBom(tx, bom.id));
    await recordAudit(tx, ctx, { action: 'addVersion', entity: 'bom', entityId: bom.id, after: dto.versions.find((v) => v.versionNo === versionNo) });
    return dto;
  });
}

/**
 * Changes one version's dates, batch quantity or lines (replaced whole), only at the version the
 * client read: of two concurrent edits one wins and the other gets 409.
 */
export async function updateBomVersion(ctx: UseCaseContext, bomId: string, versionId: string, input: BomVersionUpdate): Promise<Bom> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    await lockBomsForEdit(tx, companyId);
    const bom = await findBom(tx, bomId);
    const before = bom.versions.find((v) => v.id === versionId);
    if (!before) throw notFound('BOM 版本');
    const range = rangeOf({
      validFrom: input.validFrom ? dateOnlyToDb(input.validFrom) : before.validFrom,
      validTo: input.validTo === undefined ? before.validTo : input.validTo ? dateOnlyToDb(input.validTo) : null,
    });
    if (range.validTo && range.validTo < range.validFrom) throw invalid('body.validTo', '失效日期不能早于生效日期');
    const { count } = await tx.bomVersion.updateMany({
      where: { id: versionId, bomId, version: input.version },
      data: {
        validFrom: input.validFrom ? dateOnlyToDb(input.validFrom) : undefined,
        validTo: input.validTo === undefined ? undefined : input.validTo ? dateOnlyToDb(input.validTo) : null,
        batchQuantity: input.batchQuantity, remark: input.remark === undefined ? undefined : input.remark,
        version: { increment: 1 },
      },
    });
    if (count !== 1) {
      throw new AppError('VERSION_CONFLICT', `BOM 版本 V${before.versionNo} 已被他人修改，请刷新后重试`, [{ field: 'body.version', message: '版本已过期' }]);
    }
    await assertNoOverlap(tx, bomId, range, versionId);
    if (input.lines) {
      const rows = await lineRows(tx, companyId, bom.parentItemId, input.lines);
      await assertNoCycle(tx, bom.parentItemId, rows, versionId);
      await tx.bomLine.deleteMany({ where: { versionId } });
      await tx.bomLine.createMany({ data: rows.map((r) => ({ ...r, versionId })) });
    }
    await tx.bom.update({ where: { id: bom.id }, data: { version: { increment: 1 } } });
    const dto = await bomDto(tx, await findBom(tx, bom.id));
    const beforeDto = (await bomDto(tx, { ...bom, versions: [before] })).versions[0];
    await recordChange(tx, ctx, {
      action: 'update', entity: 'bomVersion', entityId: versionId, before: beforeDto, after: dto.versions.find((v) => v.id === versionId),
      payload: { bomId, versionNo: before.versionNo },
    });
    return dto;
  });
}

// ---------------------------------------------------------------- explosion and where-used

/** The versions valid on `date`, by parent item, with effective scrap rates. */
async function explosionSource(tx: Tx, date: string) {
  const versions = await tx.bomVersion.findMany({
    where: validOn(dateOnlyToDb(date)),
    include: { lines: { orderBy: { lineNo: 'asc' } }, bom: { select: { id: true, parentItemId: true } } },
  });
  const items = await itemsById(tx, versions.flatMap((v) => [v.bom.parentItemId, ...v.lines.map((l) => l.componentItemId)]));
  /** each line as entered (用量 in its unit, per the version's batch), by line id */
  const lines = new Map(versions.flatMap((v) => v.lines.map((l) => [l.id, { quantity: l.quantity.toFixed(6), unitId: l.unitId, batchQuantity: v.batchQuantity.toFixed(4) }] as const)));
  const bomIds = new Map(versions.map((v) => [v.bom.parentItemId, v.bom.id]));
  const byParent = new Map<string, ExplosionVersion>(
    versions.map((v) => [
      v.bom.parentItemId,
      {
        versionId: v.id, versionNo: v.versionNo, batchQuantity: v.batchQuantity.toString(),
        lines: v.lines.map((l) => ({
          lineId: l.id, componentItemId: l.componentItemId, baseQuantity: l.baseQuantity.toString(),
          scrapRate: effectiveScrap(l.scrapRate?.toString(), items.get(l.componentItemId)?.scrapRate.toString() ?? '0'),
          issueMethod: l.issueMethod, operation: l.operation, phantom: l.phantom,
        })),
      },
    ]),
  );
  return { byParent, items, lines, bomIds };
}

/**
 * The BOMs valid on `date`, loaded once, to explode any item of them: for explodeBom and this
 * module's other readers (齐套分析). A cycle (which writes refuse) is a 409 naming the path; an item
 * saved with a scrap rate of 100 % (refused since) is a 400 naming it.
 */
export async function explosionsOn(tx: Tx, date: string) {
  const { byParent, items, lines, bomIds } = await explosionSource(tx, date);
  return {
    items,
    /** a node's BOM line as entered, by ExplosionNode.line.lineId */
    lineOf: (lineId: string) => lines.get(lineId),
    /** the BOM exploding an item on the date, if any */
    bomIdOf: (itemId: string) => bomIds.get(itemId) ?? null,
    hasBom: (itemId: string) => byParent.has(itemId),
    /** the version valid on the date and the item's label, for explosions of other precision (cost roll-up) */
    versionOf: (itemId: string) => byParent.get(itemId),
    labelOf: (itemId: string) => items.get(itemId)?.code ?? itemId,
    /** the item, also when it is in no BOM valid on the date */
    async item(itemId: string): Promise<ItemRow | undefined> {
      const known = items.get(itemId);
      if (known) return known;
      const found = (await itemsById(tx, [itemId])).get(itemId);
      if (found) items.set(itemId, found);
      return found;
    },
    explode(itemId: string, quantity: string): ExplosionNode {
      try {
        return explode(itemId, quantity, {
          versionOf: (id) => byParent.get(id),
          precisionOf: (id) => items.get(id)?.baseUnit.precision ?? 4,
          labelOf: (id) => items.get(id)?.code ?? id,
        });
      } catch (err) {
        if (err instanceof BomCycleError) throw new AppError('CONFLICT', err.message);
        if (err instanceof BomScrapError) throw new AppError('VALIDATION_FAILED', err.message);
        throw err;
      }
    },
  };
}

export { itemRef as bomItemRef, itemsById as bomItemsById };
export type { ItemRow as BomItemRow };

export async function explodeBom(ctx: UseCaseContext, query: BomExplodeQuery): Promise<BomExplosion> {
  return runUseCase(ctx, async (tx) => {
    const date = query.date ?? todayInShanghai();
    const boms = await explosionsOn(tx, date);
    const items = boms.items;
    const rootItem = await boms.item(query.itemId);
    if (!rootItem) throw invalid('query.itemId', '物料不存在');
    if (!boms.hasBom(rootItem.id)) throw invalid('query.itemId', `物料 ${rootItem.code} 在 ${date} 没有有效的 BOM 版本`);
    const root = boms.explode(rootItem.id, query.quantity);
    const unitIds = new Set<string>();
    const walk = (n: ExplosionNode): void => {
      const unitId = n.line && boms.lineOf(n.line.lineId)?.unitId;
      if (unitId) unitIds.add(unitId);
      n.children.forEach(walk);
    };
    walk(root);
    const units = await unitsById(tx, unitIds);
    const toDto = (n: ExplosionNode): BomExplosionNode => {
      const line = n.line ? boms.lineOf(n.line.lineId) : undefined;
      return {
        item: itemRef(items.get(n.itemId), n.itemId), level: n.level, quantity: n.quantity, versionNo: n.versionNo,
        bomId: n.versionNo === null ? null : boms.bomIdOf(n.itemId),
        lineId: n.line?.lineId ?? null, quantityPer: line?.quantity ?? null,
        unit: line ? (units.get(line.unitId) ?? { id: line.unitId, code: '?', name: '?' }) : null, batchQuantity: line?.batchQuantity ?? null,
        scrapRate: n.line?.scrapRate ?? null, issueMethod: n.line?.issueMethod ?? null, operation: n.line?.operation ?? null, phantom: n.line?.phantom ?? false,
        children: n.children.map(toDto),
      };
    };
    const totals = [...explosionTotals(root)].map(([id, q]) => ({ item: itemRef(items.get(id), id), quantity: q.toFixed(items.get(id)?.baseUnit.precision ?? 4) }));
    return { date, quantity: query.quantity, root: toDto(root), totals };
  });
}

export async function bomWhereUsed(ctx: UseCaseContext, query: BomWhereUsedQuery): Promise<BomWhereUsed> {
  return runUseCase(ctx, async (tx) => {
    const item = (await itemsById(tx, [query.itemId])).get(query.itemId);
    if (!item) throw invalid('query.itemId', '物料不存在');
    const found = whereUsed(await bomUsages(tx, query.date ? dateOnlyToDb(query.date) : undefined), item.id);
    const [items, units] = await Promise.all([
      itemsById(tx, found.flatMap((f) => [f.edge.parentItemId, f.edge.componentItemId])),
      unitsById(tx, found.map((f) => f.edge.unitId)),
    ]);
    return {
      item: itemRef(item, item.id),
      usages: found.map(({ level, edge }) => ({
        level, parent: itemRef(items.get(edge.parentItemId), edge.parentItemId), component: itemRef(items.get(edge.componentItemId), edge.componentItemId),
        bomId: edge.bomId, versionNo: edge.versionNo, quantity: new Decimal(edge.quantity).toFixed(6),
        unit: units.get(edge.unitId) ?? { id: edge.unitId, code: '?', name: '?' }, phantom: edge.phantom,
      })),
    };
  });
}
