// 齐套分析 use cases, one read transaction each: explode the product on the date (the BOM module's
// explosion: scrap, unit conversion, versions by date), read free stock (inventory) of every part in
// it and open purchase supply (purchase) of the leaves through those modules, and apply the pure
// rules: made parts' and phantoms' free stock is used first, the leaves count only for the rest.
// The sales order variant first reads the order as the actor may see it (data scope: else 404).
// The production task variant takes each task's own materials (written from its BOM version at
// create / release) rather than exploding again: a task consumes its direct components.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { SOURCING_LABELS } from '../../../../shared/enums.ts';
import {
  KITTING_ARRIVAL_LABELS, PRODUCTION_TASK_STATE_LABELS, type Kitting, type KittingQuery, type ProductionTaskKitting, type ProductionTaskKittingQuery, type SalesOrderKitting,
  type SalesOrderKittingQuery,
} from '../../../../shared/schemas/manufacturing.ts';
import { can } from '../../../platform/actor.ts';
import { AppError, invalid, lacking } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, todayInShanghai } from '../../finance/index.ts';
import { freeStockOf } from '../../inventory/index.ts';
import { openPurchaseSupply } from '../../purchase/index.ts';
import { getOrder } from '../../sales/index.ts';
import type { ExplosionNode } from '../bom/rules.ts';
import { bomItemRef, bomItemsById, explosionsOn, type BomItemRow } from '../bom/service.ts';
import { kitOrder, kitTasks, netExplosion, startOrder, type KitOrderLine, type KitOrderResult, type KitSupply, type KitTaskInput } from './rules.ts';

type Boms = Awaited<ReturnType<typeof explosionsOn>>;

/** Total need per leaf item of the explosion (phantoms and made parts passed through, shared leaves added up). */
function leafNeeds(root: ExplosionNode): Map<string, Decimal> {
  const needs = new Map<string, Decimal>();
  const walk = (n: ExplosionNode) => {
    for (const c of n.children) {
      if (c.children.length) walk(c);
      else needs.set(c.itemId, (needs.get(c.itemId) ?? new Decimal(0)).plus(c.quantity));
    }
  };
  walk(root);
  return needs;
}

const precisionOf = (boms: Boms, itemId: string) => boms.items.get(itemId)?.baseUnit.precision ?? 4;

/** Every item below the root (made parts, phantoms and leaves): whose free stock is read. */
function partsOf(root: ExplosionNode): string[] {
  const ids = new Set<string>();
  const walk = (n: ExplosionNode) => n.children.forEach((c) => (ids.add(c.itemId), walk(c)));
  walk(root);
  return [...ids];
}

/** One product quantity as the pure rules take it: its leaves, and its needs for k netting made parts' stock. */
function kitLine(boms: Boms, lineId: string, root: ExplosionNode, quantity: string, precision: number): KitOrderLine {
  const needs = leafNeeds(root);
  return {
    lineId, quantity, precision,
    components: [...needs].map(([id, need]) => ({ itemId: id, need: need.toString(), precision: precisionOf(boms, id) })),
    netted: (k, stock) => (k.lte(0)
      ? { leaves: new Map(), fromStock: new Map() }
      : netExplosion(boms.explode(root.itemId, k.toFixed(precision)), stock, (id, q) => boms.explode(id, q.toFixed(precisionOf(boms, id))))),
  };
}

async function supplyOf(tx: Tx, itemIds: string[]): Promise<KitSupply[]> {
  return (await openPurchaseSupply(tx, itemIds)).map((s) => ({ itemId: s.itemId, date: s.promisedDate, quantity: s.quantity, ref: s.orderNumber }));
}

/** Limiting components first, then the short ones, each group in explosion order; `items` names them. */
function kittingDto(items: ReadonlyMap<string, BomItemRow>, date: string, itemId: string, versionNo: number, r: KitOrderResult): Kitting {
  const rank = (c: KitOrderResult['components'][number]) => (c.limiting ? 0 : new Decimal(c.short).gt(0) ? 1 : 2);
  const components = r.components.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map(({ c }) => c);
  const ref = (id: string) => bomItemRef(items.get(id), id);
  return {
    date, item: ref(itemId), versionNo, quantity: r.quantity, kitable: r.kitable, complete: r.complete, readyDate: r.readyDate,
    limiting: r.limiting.map(ref),
    fromStock: r.fromStock.map((f) => ({ item: ref(f.itemId), quantity: new Decimal(f.quantity).toFixed(items.get(f.itemId)?.baseUnit.precision ?? 4) })),
    components: components.map((c) => ({
      item: ref(c.itemId), need: c.need, free: c.free, short: c.short, kitable: c.kitable, limiting: c.limiting,
      arrival: {
        status: c.arrival.status, statusLabel: KITTING_ARRIVAL_LABELS[c.arrival.status], date: c.arrival.date, label: c.arrival.label,
        supply: c.arrival.supply.map((s) => ({ number: s.ref, promisedDate: s.date, quantity: s.quantity })),
      },
    })),
  };
}

const versionNoOf = (root: ExplosionNode) => root.versionNo!;

/** 齐套分析 for a quantity of a product: how many can be made now, what limits it, when the rest arrives. */
export async function kittingFor(ctx: UseCaseContext, query: KittingQuery): Promise<Kitting> {
  return runUseCase(ctx, async (tx) => {
    const date = query.date ?? todayInShanghai();
    const boms = await explosionsOn(tx, date);
    const item = await boms.item(query.itemId);
    if (!item) throw invalid('query.itemId', '物料不存在');
    if (!boms.hasBom(item.id)) throw invalid('query.itemId', `物料 ${item.code} 在 ${date} 没有有效的 BOM 版本，不能做齐套分析`);
    const precision = item.baseUnit.precision;
    if (new Decimal(query.quantity).decimalPlaces() > precision) {
      throw invalid('query.quantity', `数量最多 ${precision} 位小数（${item.code} 按「${item.baseUnit.name}」计）`);
    }
    const root = boms.explode(item.id, query.quantity);
    const line = kitLine(boms, 'q', root, query.quantity, precision);
    const parts = partsOf(root);
    const free = await freeStockOf(tx, parts);
    const supply = await supplyOf(tx, line.components.map((c) => c.itemId));
    const result = kitOrder([line], new Map(parts.map((id) => [id, free.get(id) ?? '0'])), supply).get('q')!;
    return kittingDto(boms.items, date, item.id, versionNoOf(root), result);
  });
}

/**
 * 齐套分析 for a sales order: each line's quantity still to be made (ordered − shipped − reserved) of
 * the items made in house, the lines sharing stock and supply in line order. Outside the actor's
 * data scope the order does not exist (404), as everywhere else.
 */
export async function kittingForSalesOrder(ctx: UseCaseContext, orderId: string, query: SalesOrderKittingQuery): Promise<SalesOrderKitting> {
  if (!can(ctx.actor, 'salesOrder:read')) throw lacking('salesOrder:read');
  const order = await getOrder(ctx, orderId);
  if (order.state === 'cancelled' || order.state === 'closed') {
    throw new AppError('CONFLICT', `销售订单 ${order.number} ${order.stateLabel}，没有待生产的数量`);
  }
  return runUseCase(ctx, async (tx) => {
    const date = query.date ?? todayInShanghai();
    const boms = await explosionsOn(tx, date);
    const planned = [];
    for (const line of order.lines ?? []) {
      const item = await boms.item(line.item.id);
      const open = Decimal.max(0, new Decimal(line.baseQuantity).minus(line.shippedQuantity).minus(line.reservedQuantity));
      const precision = item?.baseUnit.precision ?? 4;
      // a part is made whole: an open 0.5 of an item counted in 个 is 1 to make
      const toMake = open.toDecimalPlaces(precision, Decimal.ROUND_UP);
      let note: string | null = null;
      if (!item) note = '物料不存在';
      else if (toMake.isZero()) note = '已发货或已预留，没有待生产的数量';
      else if (item.sourcing !== 'make') note = `${SOURCING_LABELS[item.sourcing]}物料，不做齐套分析`;
      else if (!boms.hasBom(item.id)) note = `在 ${date} 没有有效的 BOM 版本`;
      const root = note ? null : boms.explode(item!.id, toMake.toFixed(precision));
      planned.push({ line, item, toMake: toMake.toFixed(precision), precision, note, root });
    }
    const lines = planned.flatMap((p) => (p.root ? [kitLine(boms, p.line.id, p.root, p.toMake, p.precision)] : []));
    const parts = [...new Set(planned.flatMap((p) => (p.root ? partsOf(p.root) : [])))];
    const free = await freeStockOf(tx, parts);
    const supply = await supplyOf(tx, [...new Set(lines.flatMap((l) => l.components.map((c) => c.itemId)))]);
    const results = kitOrder(lines, new Map(parts.map((id) => [id, free.get(id) ?? '0'])), supply);
    return {
      order: { id: order.id, number: order.number, state: order.state, stateLabel: order.stateLabel, customer: { id: order.customer.id, name: order.customer.name } },
      date,
      lines: planned.map((p) => {
        const r = results.get(p.line.id);
        return {
          lineId: p.line.id, lineNo: p.line.lineNo, item: bomItemRef(p.item, p.line.item.id), openQuantity: p.toMake,
          kitting: r && p.root ? kittingDto(boms.items, date, p.item!.id, versionNoOf(p.root), r) : null,
          note: p.note,
        };
      }),
    };
  });
}

/** Tasks whose materials are still to be kitted: what 齐套 of production tasks accepts. */
const KITTABLE_STATES: readonly string[] = ['planned', 'released', 'inProgress'];

/** One task as the pure rules take it: its quantity, what is kitted, and its 配套 materials' required / issued. */
export function kitTaskInput(
  row: { id: string; number: string; plannedStart: Date; quantity: Decimal.Value; kittedQuantity: Decimal.Value; itemId: string },
  materials: readonly { itemId: string; requiredQuantity: Decimal.Value; issuedQuantity: Decimal.Value; issueMethod: string }[],
  items: ReadonlyMap<string, BomItemRow>,
): KitTaskInput {
  const precision = (id: string) => items.get(id)?.baseUnit.precision ?? 4;
  return {
    taskId: row.id, number: row.number, plannedStart: dateOnlyOf(row.plannedStart),
    quantity: row.quantity.toString(), kitted: row.kittedQuantity.toString(), precision: precision(row.itemId),
    materials: materials.filter((m) => m.issueMethod === 'kit').map((m) => ({
      itemId: m.itemId, required: m.requiredQuantity.toString(), issued: m.issuedQuantity.toString(), precision: precision(m.itemId),
    })),
  };
}

/**
 * 齐套分析 for chosen production tasks (planned, released, in progress): per task, how much of what
 * is not yet kitted can be kitted now from the free stock (合格 − 预留, every warehouse, as the other
 * 齐套 variants count it), which 配套 materials limit it and when their shortage is covered by open
 * POs. The tasks share stock and supply in start order (planned start, then number), so the same
 * stock is never counted for two of them. Any id not found or a task in another state → 400 by position.
 */
/** 齐套 of production tasks named by number (the bot's 齐套 MO-…), in the order named; numbers not found → 404 naming them. */
export async function kittingForProductionTaskNumbers(ctx: UseCaseContext, numbers: string[]): Promise<ProductionTaskKitting> {
  const rows = await runUseCase(ctx, (tx) => tx.productionTask.findMany({ where: { number: { in: numbers } }, select: { id: true, number: true } }));
  const idOf = new Map(rows.map((r) => [r.number, r.id]));
  const missing = numbers.filter((n) => !idOf.has(n));
  if (missing.length) throw new AppError('NOT_FOUND', `没有找到生产任务单 ${missing.join('、')}`);
  return kittingForProductionTasks(ctx, { productionTaskIds: numbers.map((n) => idOf.get(n)!) });
}

export async function kittingForProductionTasks(ctx: UseCaseContext, query: ProductionTaskKittingQuery): Promise<ProductionTaskKitting> {
  return runUseCase(ctx, async (tx) => {
    const ids = query.productionTaskIds;
    const rows = await tx.productionTask.findMany({ where: { id: { in: ids } }, include: { materials: { orderBy: { lineNo: 'asc' } } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, id] of ids.entries()) {
      const r = byId.get(id);
      if (!r) throw invalid(`query.productionTaskIds.${i}`, '不存在');
      if (!KITTABLE_STATES.includes(r.state)) {
        throw invalid(`query.productionTaskIds.${i}`, `${r.number} 当前为「${PRODUCTION_TASK_STATE_LABELS[r.state]}」，只有计划、已下达和生产中的任务做齐套分析`);
      }
    }
    const items = await bomItemsById(tx, [...new Set(rows.flatMap((r) => [r.itemId, ...r.materials.map((m) => m.itemId)]))]);
    const inputs = rows.map((r) => kitTaskInput(r, r.materials, items));
    const materialIds = [...new Set(inputs.flatMap((t) => t.materials.map((m) => m.itemId)))];
    const free = await freeStockOf(tx, materialIds);
    const results = kitTasks(inputs, free, await supplyOf(tx, materialIds));
    const versions = new Map((await tx.bomVersion.findMany({ where: { id: { in: rows.flatMap((r) => (r.bomVersionId ? [r.bomVersionId] : [])) } }, select: { id: true, versionNo: true } })).map((v) => [v.id, v.versionNo]));
    return {
      tasks: startOrder(inputs).map((t) => {
        const r = byId.get(t.taskId)!;
        const result = results.get(t.taskId);
        const open = Decimal.max(0, r.quantity.minus(r.kittedQuantity));
        return {
          task: {
            id: r.id, number: r.number, item: bomItemRef(items.get(r.itemId), r.itemId), quantity: r.quantity.toFixed(4), kittedQuantity: r.kittedQuantity.toFixed(4),
            plannedStart: t.plannedStart, state: r.state, stateLabel: PRODUCTION_TASK_STATE_LABELS[r.state],
          },
          openQuantity: open.toFixed(t.precision),
          kitting: result ? kittingDto(items, t.plannedStart, r.itemId, (r.bomVersionId && versions.get(r.bomVersionId)) || 0, result) : null,
          note: result ? null : '已全部配套领料',
        };
      }),
    };
  });
}
