// The item master and BOMs the engine reads: checked, with quantities as exact fixed-point
// values and BOM lines as single fractions; plus the low-level codes over every BOM version.
import { dayNumber } from './days.ts';
import { MrpInputError } from './errors.ts';
import { computeLowLevelCodes } from './low-level-codes.ts';
import { lineRatio, stepOf, type LineRatio, type LotRule } from './lot-sizing.ts';
import { MAX_PRECISION, quantity, ratio, type Ratio } from './quantity.ts';
import type { MrpBom, MrpItem, Qty } from './types.ts';

export interface Item {
  src: MrpItem;
  safetyStock: bigint;
  scrap: Ratio;
  lot: LotRule;
  /** the unit's smallest step in fixed-point units */
  step: bigint;
}

export interface Line {
  componentId: string;
  /** component base units per parent base unit, scrap included, rounded up to the component's step */
  ratio: LineRatio;
  phantom: boolean;
}

export interface Version {
  id: string;
  from: number;
  to: number;
  lines: Line[];
}

export interface MasterData {
  items: Map<string, Item>;
  /** the item, or UNKNOWN_ITEM naming where it was referenced */
  item(id: string, where: string): Item;
  codeOf(id: string): string;
  /** the BOM version valid on a day (the newest by validFrom when several are), or null */
  versionOn(itemId: string, day: number): Version | null;
  /** items in netting order: low-level code, then code, then id */
  order: string[];
  lowLevelCodes: Map<string, number>;
}

const OPEN_END = Number.POSITIVE_INFINITY;
export const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function scrapRate(value: Qty, what: string): Ratio {
  const s = ratio(value, what);
  if (s.num < 0n || s.num >= s.den) throw new MrpInputError('SCRAP_RATE', `${what}必须不小于 0% 且小于 100%`);
  return s;
}

function positive(value: Qty, what: string): Ratio {
  const r = ratio(value, what);
  if (r.num <= 0n) throw new MrpInputError('INVALID_INPUT', `${what}必须大于 0`);
  return r;
}

export function notNegative(value: Qty, what: string): bigint {
  const q = quantity(value, what);
  if (q < 0n) throw new MrpInputError('INVALID_INPUT', `${what}不能小于 0`);
  return q;
}

export function readMasterData(input: { items: readonly MrpItem[]; boms: readonly MrpBom[] }): MasterData {
  // ---- items
  const items = new Map<string, Item>();
  for (const src of input.items) {
    const what = `物料 ${src.code} 的`;
    if (items.has(src.id)) throw new MrpInputError('INVALID_INPUT', `物料 ${src.code} 重复`);
    if (!Number.isInteger(src.precision) || src.precision < 0 || src.precision > MAX_PRECISION) throw new MrpInputError('INVALID_INPUT', `${what}单位精度必须是 0 到 ${MAX_PRECISION} 位小数`);
    if (!Number.isInteger(src.leadTimeDays) || src.leadTimeDays < 0) throw new MrpInputError('INVALID_INPUT', `${what}提前期必须是不小于 0 的整数天`);
    let lot: LotRule = { kind: 'lotForLot' };
    if (src.lotPolicy.kind === 'fixed') {
      const multiple = quantity(src.lotPolicy.multiple, `${what}批量倍数`);
      if (multiple <= 0n) throw new MrpInputError('INVALID_INPUT', `${what}批量倍数必须大于 0`);
      lot = { kind: 'fixed', moq: notNegative(src.lotPolicy.moq, `${what}最小订货量`), multiple };
    }
    items.set(src.id, {
      src, lot, step: stepOf(src.precision), safetyStock: notNegative(src.safetyStock, `${what}安全库存`), scrap: scrapRate(src.scrapRate, `${what}损耗率`),
    });
  }
  const item = (id: string, where: string): Item => {
    const found = items.get(id);
    if (!found) throw new MrpInputError('UNKNOWN_ITEM', `${where}引用了不存在的物料 ${id}`);
    return found;
  };
  const codeOf = (id: string) => items.get(id)?.src.code ?? id;

  // ---- BOMs: versions newest first; children over every version for the low-level codes
  const versions = new Map<string, Version[]>();
  const children = new Map<string, string[]>();
  for (const bom of input.boms) {
    const parent = item(bom.itemId, '物料清单');
    const list = versions.get(bom.itemId) ?? [];
    for (const v of bom.versions) {
      const where = `物料 ${parent.src.code} 的物料清单版本 ${v.id}`;
      const from = dayNumber(v.validFrom, `${where}生效`);
      const to = v.validTo === null ? OPEN_END : dayNumber(v.validTo, `${where}失效`);
      if (to < from) throw new MrpInputError('INVALID_INPUT', `${where}的失效日期早于生效日期`);
      const lines = v.lines.map((l, i) => {
        const comp = item(l.componentId, where);
        const lineWhere = `${where}第 ${i + 1} 行（${comp.src.code}）的`;
        const q = positive(l.quantity, `${lineWhere}用量`);
        const f = positive(l.factor, `${lineWhere}换算率`);
        const scrap = l.scrapRate === null ? comp.scrap : scrapRate(l.scrapRate, `${lineWhere}损耗率`);
        const perParent = { num: q.num * f.num, den: q.den * f.den };
        return { componentId: l.componentId, ratio: lineRatio(perParent, scrap, comp.step), phantom: l.phantom, i };
      });
      lines.sort((a, b) => byString(a.componentId, b.componentId) || a.i - b.i);
      list.push({ id: v.id, from, to, lines });
    }
    list.sort((a, b) => b.from - a.from || byString(a.id, b.id));
    versions.set(bom.itemId, list);
    const kids = new Set(children.get(bom.itemId));
    for (const v of list) for (const l of v.lines) kids.add(l.componentId);
    children.set(bom.itemId, [...kids].sort(byString));
  }
  const versionOn = (itemId: string, day: number): Version | null =>
    versions.get(itemId)?.find((v) => v.from <= day && day <= v.to) ?? null;

  const itemIds = [...items.keys()].sort(byString);
  const lowLevelCodes = computeLowLevelCodes(itemIds, children, codeOf);
  const order = [...itemIds].sort((a, b) => lowLevelCodes.get(a)! - lowLevelCodes.get(b)! || byString(codeOf(a), codeOf(b)) || byString(a, b));
  return { items, item, codeOf, versionOn, order, lowLevelCodes };
}

