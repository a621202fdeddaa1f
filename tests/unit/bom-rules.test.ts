// BOM rules as pure functions: cycle paths, version overlaps and validity, scrap, explosion figures
// (scrap and rounding at each level, shared components added up) and where-used levels.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  BomCycleError, ceilTo, componentQuantity, cycleMessage, cycleThrough, edgesOf, effectiveScrap, explode, explosionTotals,
  overlappingVersion, rangeLabel, rangesOverlap, versionOn, whereUsed, type ExplosionVersion,
} from '../../server/modules/manufacturing/bom/rules.ts';

const pairs = (...p: [string, string][]) => edgesOf(p.map(([parentItemId, componentItemId]) => ({ parentItemId, componentItemId })));

describe('循环检测', () => {
  it('找到经过母件的循环并给出完整路径', () => {
    const edges = pairs(['A', 'B'], ['B', 'C'], ['C', 'A'], ['B', 'D']);
    expect(cycleThrough(edges, 'A')).toEqual(['A', 'B', 'C', 'A']);
    expect(cycleMessage(['A', 'B', 'C', 'A'], (id) => `P-${id}`)).toBe('BOM 循环：P-A → P-B → P-C → P-A');
  });

  it('共用件（菱形）不是循环；不经过母件的循环不归它', () => {
    expect(cycleThrough(pairs(['A', 'B'], ['A', 'C'], ['B', 'D'], ['C', 'D'], ['D', 'E']), 'A')).toBeNull();
    expect(cycleThrough(pairs(['A', 'B'], ['B', 'C'], ['C', 'B']), 'A')).toBeNull();
    expect(cycleThrough(pairs(['A', 'A']), 'A')).toEqual(['A', 'A']);
  });

  it('深度 10,000 的链也不会栈溢出', () => {
    const chain: [string, string][] = Array.from({ length: 10_000 }, (_, i) => [`I${i}`, `I${i + 1}`]);
    expect(cycleThrough(pairs(...chain), 'I0')).toBeNull();
    expect(cycleThrough(pairs(...chain, ['I10000', 'I0']), 'I0')).toHaveLength(10_002);
  });
});

describe('版本有效期', () => {
  const v1 = { versionNo: 1, validFrom: '2026-01-01', validTo: '2026-06-30' };
  const v2 = { versionNo: 2, validFrom: '2026-07-01', validTo: null };
  it('首尾相接不重叠，含同一天即重叠；空失效日期 = 长期有效', () => {
    expect(rangesOverlap(v1, v2)).toBe(false);
    expect(rangesOverlap(v1, { validFrom: '2026-06-30', validTo: '2026-06-30' })).toBe(true);
    expect(overlappingVersion({ validFrom: '2030-01-01', validTo: null }, [v1, v2])).toBe(v2);
    expect(rangeLabel(v1)).toBe('2026-01-01 至 2026-06-30');
    expect(rangeLabel(v2)).toBe('2026-07-01 起长期有效');
  });
  it('按日期取有效版本（失效日期当天仍有效）', () => {
    expect(versionOn([v1, v2], '2026-06-30')?.versionNo).toBe(1);
    expect(versionOn([v1, v2], '2026-07-01')?.versionNo).toBe(2);
    expect(versionOn([v1, v2], '2025-12-31')).toBeUndefined();
  });
});

describe('损耗与用量', () => {
  it('行上的损耗率优先（包括 0），否则用物料的', () => {
    expect(effectiveScrap('0.0000', '0.0500')).toBe('0.0000');
    expect(effectiveScrap(null, '0.0500')).toBe('0.0500');
  });
  it('数量 × 用量 ÷ 母件基数 ÷ (1 − 损耗)，按精度向上取整', () => {
    // 1032 × 5.2 / 1000 / 0.985 = 5.448121… → 5.449
    expect(componentQuantity('1032', { baseQuantity: '5.2', scrapRate: '0.015' }, '1000', 3)).toBe('5.449');
    // 1000 / 0.99 = 1010.1 → 1011 (no 1010.1 parts)
    expect(componentQuantity('1000', { baseQuantity: '1', scrapRate: '0.01' }, '1', 0)).toBe('1011');
    expect(componentQuantity('1000', { baseQuantity: '1', scrapRate: '0' }, '1', 0)).toBe('1000');
    expect(ceilTo(new Decimal('2.0001'), 0).toString()).toBe('3');
  });
});

describe('多层展开', () => {
  const line = (componentItemId: string, baseQuantity: string, scrapRate = '0', phantom = false) => ({
    lineId: `${componentItemId}-line`, componentItemId, baseQuantity, scrapRate, issueMethod: 'kit' as const, operation: null, phantom,
  });
  const versions: Record<string, ExplosionVersion> = {
    FG: { versionId: 'v-fg', versionNo: 1, batchQuantity: '1', lines: [line('SUB', '2', '0.1'), line('BOLT', '4')] },
    SUB: { versionId: 'v-sub', versionNo: 3, batchQuantity: '1', lines: [line('BOLT', '3', '0', true), line('WIRE', '0.5', '0.2')] },
  };
  const source = { versionOf: (id: string) => versions[id], precisionOf: (id: string) => (id === 'WIRE' ? 3 : 0), labelOf: (id: string) => id };

  it('逐层含损耗、向上取整；共用件在两层出现并合计', () => {
    const tree = explode('FG', '10', source);
    // SUB: 10 × 2 / 0.9 = 22.2 → 23; BOLT under SUB: 23 × 3 = 69; WIRE: 23 × 0.5 / 0.8 = 14.375; BOLT under FG: 40
    const flat = (n: typeof tree): [string, number, string][] => [[n.itemId, n.level, n.quantity], ...n.children.flatMap(flat)];
    expect(flat(tree)).toEqual([['FG', 0, '10'], ['SUB', 1, '23'], ['BOLT', 2, '69'], ['WIRE', 2, '14.375'], ['BOLT', 1, '40']]);
    expect(tree.children[0]!.versionNo).toBe(3);
    expect(tree.children[0]!.children[0]!.line?.phantom).toBe(true);
    expect([...explosionTotals(tree)].map(([id, q]) => [id, q.toString()])).toEqual([['SUB', '23'], ['BOLT', '109'], ['WIRE', '14.375']]);
  });

  it('数据里若有循环，展开抛出带路径的错误而不是无限递归', () => {
    const looped = { ...source, versionOf: (id: string) => (id === 'WIRE' ? { versionId: 'x', versionNo: 1, batchQuantity: '1', lines: [line('SUB', '1')] } : versions[id]) };
    expect(() => explode('FG', '1', looped)).toThrow(BomCycleError);
    expect(() => explode('FG', '1', looped)).toThrow('BOM 循环：SUB → WIRE → SUB');
  });
});

describe('反查', () => {
  it('直接上级为第 1 层，上级的上级为第 2 层；每个上级只追一次', () => {
    const edges = [
      { parentItemId: 'BLK', componentItemId: 'ROD' }, { parentItemId: 'WSH', componentItemId: 'ROD' },
      { parentItemId: 'HT', componentItemId: 'BLK' }, { parentItemId: 'FG', componentItemId: 'HT' }, { parentItemId: 'FG', componentItemId: 'WSH' },
    ];
    expect(whereUsed(edges, 'ROD').map(({ level, edge }) => [level, edge.parentItemId, edge.componentItemId])).toEqual([
      [1, 'BLK', 'ROD'], [1, 'WSH', 'ROD'], [2, 'HT', 'BLK'], [2, 'FG', 'WSH'], [3, 'FG', 'HT'],
    ]);
    expect(whereUsed(edges, 'FG')).toEqual([]);
  });
});
