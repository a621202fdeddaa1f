// BOM rules as pure functions, no I/O: cycles (with the path named), overlapping versions, the
// version valid on a date, the effective scrap rate, multi-level explosion and where-used.
import { Decimal } from 'decimal.js';

/** parent item → the component items of its BOM lines */
export type BomEdges = ReadonlyMap<string, readonly string[]>;

/**
 * The path parent → … → parent that the edges close, or null. Depth-first from the parent with an
 * explicit stack (BOMs have unlimited depth), each item expanded once, so it is linear in the edges.
 */
export function cycleThrough(edges: BomEdges, parentId: string): string[] | null {
  const expanded = new Set<string>();
  const path: string[] = [parentId];
  const next: number[] = [0];
  expanded.add(parentId);
  while (path.length) {
    const top = path[path.length - 1]!;
    const children = edges.get(top) ?? [];
    const i = next[next.length - 1]!;
    if (i >= children.length) {
      path.pop();
      next.pop();
      continue;
    }
    next[next.length - 1] = i + 1;
    const child = children[i]!;
    if (child === parentId) return [...path, parentId];
    if (expanded.has(child)) continue;
    expanded.add(child);
    path.push(child);
    next.push(0);
  }
  return null;
}

/** 「BOM 循环：A → B → C → A」, items named by `label` (their codes). */
export function cycleMessage(path: readonly string[], label: (itemId: string) => string): string {
  return `BOM 循环：${path.map(label).join(' → ')}`;
}

/** The edges of (parent, component) pairs, as a map parent → components. */
export function edgesOf(pairs: Iterable<{ parentItemId: string; componentItemId: string }>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of pairs) {
    const list = out.get(p.parentItemId);
    if (!list) out.set(p.parentItemId, [p.componentItemId]);
    else if (!list.includes(p.componentItemId)) list.push(p.componentItemId);
  }
  return out;
}

/** Effective dates, YYYY-MM-DD, validTo inclusive, null = open-ended. */
export interface DateRange {
  validFrom: string;
  validTo: string | null;
}

const OPEN_END = '9999-12-31';

export function rangesOverlap(a: DateRange, b: DateRange): boolean {
  return a.validFrom <= (b.validTo ?? OPEN_END) && b.validFrom <= (a.validTo ?? OPEN_END);
}

/** The first of `others` whose dates overlap `candidate`, if any. */
export function overlappingVersion<T extends DateRange>(candidate: DateRange, others: readonly T[]): T | undefined {
  return others.find((o) => rangesOverlap(candidate, o));
}

/** 「2026-01-01 至 2026-06-30」 or 「2026-01-01 起长期有效」 */
export function rangeLabel(r: DateRange): string {
  return r.validTo ? `${r.validFrom} 至 ${r.validTo}` : `${r.validFrom} 起长期有效`;
}

/** The version valid on `date` (versions of one parent never overlap, so at most one). */
export function versionOn<T extends DateRange>(versions: readonly T[], date: string): T | undefined {
  return versions.find((v) => v.validFrom <= date && date <= (v.validTo ?? OPEN_END));
}

/** The line's scrap rate when it has one, else the component item's. */
export function effectiveScrap(lineScrap: string | null | undefined, itemScrap: string): string {
  return lineScrap ?? itemScrap;
}

/** x rounded up to `places` decimals (no 13.2 bolts: a part is needed whole). */
export function ceilTo(x: Decimal, places: number): Decimal {
  return x.toDecimalPlaces(places, Decimal.ROUND_UP);
}

/**
 * The component quantity (its base unit) that `parentQuantity` of the parent needs: the line's
 * base quantity per `batchQuantity` of the parent, grossed up for scrap (q / (1 − s)) and rounded
 * up to the component unit's precision.
 */
export function componentQuantity(parentQuantity: string, line: { baseQuantity: string; scrapRate: string }, batchQuantity: string, precision: number): string {
  const net = new Decimal(parentQuantity).times(line.baseQuantity).div(batchQuantity);
  return ceilTo(net.div(new Decimal(1).minus(line.scrapRate)), precision).toFixed(precision);
}

export interface ExplosionLine {
  lineId: string;
  componentItemId: string;
  /** per batchQuantity of the parent, in the component's base unit */
  baseQuantity: string;
  /** effective (the line's, else the component's) */
  scrapRate: string;
  issueMethod: 'kit' | 'backflush';
  operation: string | null;
  phantom: boolean;
}

export interface ExplosionVersion {
  versionId: string;
  versionNo: number;
  batchQuantity: string;
  lines: readonly ExplosionLine[];
}

export interface ExplosionNode {
  itemId: string;
  level: number;
  /** extended quantity in the item's base unit */
  quantity: string;
  /** the BOM version the item's own components come from (null: a leaf, bought or without a valid BOM) */
  versionNo: number | null;
  line: Omit<ExplosionLine, 'componentItemId' | 'baseQuantity'> | null;
  children: ExplosionNode[];
}

export interface ExplosionSource {
  /** the version valid on the explosion date, if the item has a BOM */
  versionOf(itemId: string): ExplosionVersion | undefined;
  /** decimals of the item's base unit */
  precisionOf(itemId: string): number;
  /** how an item is named in messages (its code) */
  labelOf(itemId: string): string;
}

export class BomCycleError extends Error {
  constructor(readonly path: string[], message: string) {
    super(message);
  }
}

/**
 * A component whose effective scrap rate is 100 % or more (an item saved before the rate was
 * refused): q / (1 − s) has no finite answer, so the explosion stops naming the item.
 */
export class BomScrapError extends Error {
  constructor(readonly itemId: string, message: string) {
    super(message);
  }
}

/**
 * Multi-level explosion of `quantity` (base unit) of `rootItemId`, unlimited depth. Each level's
 * quantity is rounded up before its own components are computed from it, as production would
 * make it. A cycle (which writes refuse) throws BomCycleError naming the path; a scrap rate of
 * 100 % or more throws BomScrapError naming the component.
 */
export function explode(rootItemId: string, quantity: string, source: ExplosionSource): ExplosionNode {
  const build = (itemId: string, qty: string, level: number, line: ExplosionNode['line'], ancestors: string[]): ExplosionNode => {
    const version = source.versionOf(itemId);
    const node: ExplosionNode = { itemId, level, quantity: qty, versionNo: version?.versionNo ?? null, line, children: [] };
    if (!version) return node;
    const path = [...ancestors, itemId];
    for (const l of version.lines) {
      if (path.includes(l.componentItemId)) {
        const cycle = [...path.slice(path.indexOf(l.componentItemId)), l.componentItemId];
        throw new BomCycleError(cycle, cycleMessage(cycle, source.labelOf));
      }
      if (!new Decimal(l.scrapRate).lt(1)) {
        const percent = new Decimal(l.scrapRate).times(100).toString();
        throw new BomScrapError(l.componentItemId, `物料 ${source.labelOf(l.componentItemId)} 的损耗率为 ${percent}%，无法计算用量：损耗率必须小于 100%，请先修改`);
      }
      const childQty = componentQuantity(qty, l, version.batchQuantity, source.precisionOf(l.componentItemId));
      const { componentItemId: _c, baseQuantity: _b, ...info } = l;
      node.children.push(build(l.componentItemId, childQty, level + 1, info, path));
    }
    return node;
  };
  return build(rootItemId, quantity, 0, null, []);
}

/** Total quantity per item over a tree (shared components added up), in first-seen order. */
export function explosionTotals(root: ExplosionNode): Map<string, Decimal> {
  const totals = new Map<string, Decimal>();
  const walk = (n: ExplosionNode) => {
    for (const c of n.children) {
      totals.set(c.itemId, (totals.get(c.itemId) ?? new Decimal(0)).plus(c.quantity));
      walk(c);
    }
  };
  walk(root);
  return totals;
}

export interface UsageEdge {
  parentItemId: string;
  componentItemId: string;
}

/**
 * Where an item is used: every BOM line that names it (level 1), then every line naming those
 * parents (level 2), and so on; each parent is followed once, at the lowest level it appears.
 */
export function whereUsed<E extends UsageEdge>(edges: readonly E[], itemId: string): { level: number; edge: E }[] {
  const byComponent = new Map<string, E[]>();
  for (const e of edges) byComponent.set(e.componentItemId, [...(byComponent.get(e.componentItemId) ?? []), e]);
  const out: { level: number; edge: E }[] = [];
  const seen = new Set<string>([itemId]);
  let frontier = [itemId];
  for (let level = 1; frontier.length; level++) {
    const next: string[] = [];
    for (const item of frontier) {
      for (const edge of byComponent.get(item) ?? []) {
        out.push({ level, edge });
        if (!seen.has(edge.parentItemId)) {
          seen.add(edge.parentItemId);
          next.push(edge.parentItemId);
        }
      }
    }
    frontier = next;
  }
  return out;
}
