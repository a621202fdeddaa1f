// 物料清单 pages: which version a date falls in, the explosion tree as the rows on screen (expanded
// or not), and each node's BOM line (用量 is on the parent's line, not on the explosion node).
import { BOM_ISSUE_METHOD_LABELS } from '../../../shared/enums';
import { shanghaiDay } from '../../../shared/time';
import type { Bom, BomExplosionNode, BomVersion } from '../../../shared/schemas/manufacturing';

type BomLine = BomVersion['lines'][number];

/** YYYY-MM-DD today in Beijing time (what the server calls today). */
export function todayInShanghai(now: Date = new Date()): string {
  const d = shanghaiDay(now);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

/** 「2026-01-01 至 2026-06-30」 or 「2026-01-01 起长期有效」 (as the server words it) */
export function versionRange(v: Pick<BomVersion, 'validFrom' | 'validTo'>): string {
  return v.validTo ? `${v.validFrom} 至 ${v.validTo}` : `${v.validFrom} 起长期有效`;
}

export function isValidOn(v: Pick<BomVersion, 'validFrom' | 'validTo'>, date: string): boolean {
  return v.validFrom <= date && (v.validTo === null || date <= v.validTo);
}

/** The day to explode a version on: today while it is valid, else its first day. */
export function explosionDate(v: Pick<BomVersion, 'validFrom' | 'validTo'>, today: string): string {
  return isValidOn(v, today) ? today : v.validFrom;
}

/** The version shown first: today's, else the newest. */
export function defaultVersion(bom: Pick<Bom, 'versions' | 'currentVersionNo'>): BomVersion | undefined {
  return bom.versions.find((v) => v.versionNo === bom.currentVersionNo) ?? bom.versions[bom.versions.length - 1];
}

/** 配套领料 / 倒冲 */
export function issueMethodLabel(method: string | null | undefined): string {
  if (!method) return '—';
  return (BOM_ISSUE_METHOD_LABELS as Record<string, string>)[method] ?? method;
}

/** A positive decimal the API takes as a quantity ("1", "1000", "2.5"). */
export function isQuantityText(text: string): boolean {
  return /^\d{1,14}(\.\d{1,4})?$/.test(text.trim()) && /[1-9]/.test(text);
}

/** The lines of an item's BOM version, or null when it is not known (yet). */
export type LinesOf = (itemId: string, versionNo: number) => readonly BomLine[] | null;

export interface TreeRow {
  /** the path of child indexes from the root, "0.1.0": unique, stable across reloads of the same tree */
  key: string;
  node: BomExplosionNode;
  /** the parent's BOM line the node comes from (its 用量, unit, 母件基数); null: not known */
  line: BomLine | null;
  /** the parent's batch quantity the line's quantity is for (its base unit) */
  batch: string | null;
  parentUnit: string | null;
  hasChildren: boolean;
  expanded: boolean;
}

/**
 * The rows on screen, depth first: a node's children follow it while it is expanded. `collapsed`
 * holds the keys of closed nodes. The explosion lists a node's children in its BOM version's line
 * order, one per line, so child i is line i (checked by the component, else null).
 */
export function visibleRows(root: BomExplosionNode, collapsed: ReadonlySet<string>, linesOf: LinesOf, batchOf: BatchOf): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (node: BomExplosionNode, key: string, parent: BomExplosionNode | null, index: number) => {
    const siblings = parent && parent.versionNo !== null ? linesOf(parent.item.id, parent.versionNo) : null;
    const candidate = siblings?.[index];
    const line = candidate && candidate.component.id === node.item.id ? candidate : null;
    const expanded = !collapsed.has(key);
    out.push({
      key, node, line,
      batch: parent && parent.versionNo !== null ? batchOf(parent.item.id, parent.versionNo) : null,
      parentUnit: parent?.item.baseUnit.name ?? null,
      hasChildren: node.children.length > 0, expanded,
    });
    if (expanded) node.children.forEach((c, i) => walk(c, `${key}.${i}`, node, i));
  };
  walk(root, '0', null, 0);
  return out;
}

export type BatchOf = (itemId: string, versionNo: number) => string | null;

/** Every key with children at `level` or deeper: collapsing them shows levels 0..level. */
export function keysFromLevel(root: BomExplosionNode, level: number): Set<string> {
  const out = new Set<string>();
  const walk = (node: BomExplosionNode, key: string) => {
    if (node.children.length && node.level >= level) out.add(key);
    node.children.forEach((c, i) => walk(c, `${key}.${i}`));
  };
  walk(root, '0');
  return out;
}

/** The deepest level of the tree (the root is 0). */
export function depthOf(node: BomExplosionNode): number {
  return node.children.reduce((max, c) => Math.max(max, depthOf(c)), node.level);
}

/** Items below the root that have a BOM of their own (a version was used to explode them). */
export function subAssemblies(root: BomExplosionNode): BomExplosionNode[] {
  const seen = new Map<string, BomExplosionNode>();
  const walk = (node: BomExplosionNode) => {
    for (const c of node.children) {
      if (c.versionNo !== null && !seen.has(c.item.id)) seen.set(c.item.id, c);
      walk(c);
    }
  };
  walk(root);
  return [...seen.values()];
}
