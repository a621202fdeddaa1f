// 物料清单 pages: which version a date falls in, and the explosion tree as the rows on screen
// (expanded or not). Each node carries its parent's BOM line (用量, unit, 母件基数) from the server.
import { BOM_ISSUE_METHOD_LABELS } from '../../../shared/enums';
import { shanghaiDay } from '../../../shared/time';
import type { Bom, BomExplosionNode, BomVersion } from '../../../shared/schemas/manufacturing';

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

export interface TreeRow {
  /** the path of child indexes from the root, "0.1.0": unique, stable across reloads of the same tree */
  key: string;
  node: BomExplosionNode;
  /** the parent's base unit, which the node's batchQuantity is in (null on the root) */
  parentUnit: string | null;
  hasChildren: boolean;
  expanded: boolean;
}

/** The rows on screen, depth first: a node's children follow it while it is expanded. `collapsed` holds the keys of closed nodes. */
export function visibleRows(root: BomExplosionNode, collapsed: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (node: BomExplosionNode, key: string, parent: BomExplosionNode | null) => {
    const expanded = !collapsed.has(key);
    out.push({ key, node, parentUnit: parent?.item.baseUnit.name ?? null, hasChildren: node.children.length > 0, expanded });
    if (expanded) node.children.forEach((c, i) => walk(c, `${key}.${i}`, node));
  };
  walk(root, '0', null);
  return out;
}

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
