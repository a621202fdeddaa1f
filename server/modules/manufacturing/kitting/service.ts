// 齐套分析 use cases, one read transaction each: explode the product on the date (the BOM module's
// explosion: scrap, unit conversion, versions by date), read free stock (inventory) of every part in
// it and open purchase supply (purchase) of the leaves through those modules, and apply the pure
// rules: made parts' and phantoms' free stock is used first, the leaves count only for the rest.
// The sales order variant first reads the order as the actor may see it (data scope: else 404).
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { SOURCING_LABELS } from '../../../../shared/enums.ts';
import {
  KITTING_ARRIVAL_LABELS, type Kitting, type KittingQuery, type SalesOrderKitting, type SalesOrderKittingQuery,
} from '../../../../shared/schemas/manufacturing.ts';
import { can } from '../../../platform/actor.ts';
import { AppError, invalid, lacking } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { todayInShanghai } from '../../finance/index.ts';
import { freeStockOf } from '../../inventory/index.ts';
import { openPurchaseSupply } from '../../purchase/index.ts';
import { getOrder } from '../../sales/index.ts';
import type { ExplosionNode } from '../bom/rules.ts';
import { bomItemRef, explosionsOn } from '../bom/service.ts';
import { kitOrder, netExplosion, type KitOrderLine, type KitOrderResult, type KitSupply } from './rules.ts';

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

/** Limiting components first, then the short ones, each group in explosion order. */
function kittingDto(boms: Boms, date: string, itemId: string, versionNo: number, r: KitOrderResult): Kitting {
  const rank = (c: KitOrderResult['components'][number]) => (c.limiting ? 0 : new Decimal(c.short).gt(0) ? 1 : 2);
  const components = r.components.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map(({ c }) => c);
  const ref = (id: string) => bomItemRef(boms.items.get(id), id);
  return {
    date, item: ref(itemId), versionNo, quantity: r.quantity, kitable: r.kitable, complete: r.complete, readyDate: r.readyDate,
    limiting: r.limiting.map(ref),
    fromStock: r.fromStock.map((f) => ({ item: ref(f.itemId), quantity: new Decimal(f.quantity).toFixed(precisionOf(boms, f.itemId)) })),
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
    return kittingDto(boms, date, item.id, versionNoOf(root), result);
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
          kitting: r && p.root ? kittingDto(boms, date, p.item!.id, versionNoOf(p.root), r) : null,
          note: p.note,
        };
      }),
    };
  });
}
