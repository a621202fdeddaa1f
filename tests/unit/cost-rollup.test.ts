// BOM 成本卷积 as a pure function: a hand-computed 3-level BOM with a shared component at two levels,
// scrap on lines, a line entered in tonnes of a component kept in kilograms, a phantom passed
// through; prices on a basis with the standard cost as a stated fallback; rounding only at the end.
import { describe, expect, it } from 'vitest';
import type { ExplosionVersion } from '../../server/modules/manufacturing/bom/rules.ts';
import { pickPrice, rollUpCost, type RollupNode } from '../../server/modules/manufacturing/costing/rollup-rules.ts';

const line = (componentItemId: string, baseQuantity: string, scrapRate = '0', phantom = false) => ({
  lineId: `${componentItemId}-line`, componentItemId, baseQuantity, scrapRate, issueMethod: 'kit' as const, operation: null, phantom,
});
// P (per 1): 2 A, 1 S at 20 % scrap. A (per 10): 5 S, 10 B (phantom). B (per 1): 0.0003 T of R = 0.3 kg (factor 1000) at 25 % scrap.
const versions = new Map<string, ExplosionVersion>([
  ['P', { versionId: 'vP', versionNo: 1, batchQuantity: '1', lines: [line('A', '2'), line('S', '1', '0.2')] }],
  ['A', { versionId: 'vA', versionNo: 1, batchQuantity: '10', lines: [line('S', '5'), line('B', '10', '0', true)] }],
  ['B', { versionId: 'vB', versionNo: 1, batchQuantity: '1', lines: [line('R', '0.3', '0.25')] }],
]);
const source = { versionOf: (id: string) => versions.get(id), labelOf: (id: string) => id };
const standard: Record<string, string> = { S: '2', R: '5.33', A: '99', B: '99', P: '99' };

const find = (n: RollupNode, path: string[]): RollupNode => path.reduce((node, id) => node.children.find((c) => c.itemId === id)!, n);

describe('BOM 成本卷积', () => {
  it('3 件 P：共用件两层相加、损耗逐层、吨折千克、虚拟件穿透，合计到分', () => {
    const r = rollUpCost('P', '3', source, (id) => pickPrice('standard', standard[id]!, undefined, undefined));
    // A = 3 × 2 = 6; S under A = 6 × 5 / 10 = 3; B = 6 × 10 / 10 = 6; R = 6 × 0.3 / (1 − 0.25) = 2.4 kg; S under P = 3 / (1 − 0.2) = 3.75
    expect(find(r.root, ['A']).quantity.toString()).toBe('6');
    expect(find(r.root, ['A', 'S']).quantity.toString()).toBe('3');
    expect(find(r.root, ['A', 'B']).phantom).toBe(true);
    expect(find(r.root, ['A', 'B', 'R']).quantity.toString()).toBe('2.4');
    expect(r.root.children.find((c) => c.itemId === 'S')!.quantity.toString()).toBe('3.75');
    // S (3 + 3.75) × 2 = 13.50; R 2.4 × 5.33 = 12.792 → 26.292 → ¥26.29; unit 26.292 / 3 = 8.764
    expect(find(r.root, ['A', 'B', 'R']).amount.toString()).toBe('12.792');
    expect(find(r.root, ['A']).amount.toString()).toBe('18.792');
    expect(find(r.root, ['A']).unitPrice.toString()).toBe('3.132');
    expect(find(r.root, ['A']).source).toBeNull();
    expect(r.total.toFixed(2)).toBe('26.29');
    expect(r.unitCost.toFixed(6)).toBe('8.764000');
    expect(r.fallbacks).toBe(0);
  });

  it('最新采购价口径：有价格的用采购价，没有的按标准成本并计数', () => {
    const r = rollUpCost('P', '3', source, (id) => pickPrice('latestPurchase', standard[id]!, id === 'R' ? '6' : undefined, undefined));
    // S 6.75 × 2 = 13.50 (standard, twice a fallback); R 2.4 × 6 = 14.40 → 27.90
    expect(find(r.root, ['A', 'B', 'R']).source).toBe('latestPurchase');
    expect(find(r.root, ['A', 'S']).source).toBe('standardFallback');
    expect(r.fallbacks).toBe(2);
    expect(r.total.toFixed(2)).toBe('27.90');
  });

  it('中间不取整：两行各 ¥0.004 合计 ¥0.01（逐行取整会是 0）', () => {
    const tiny = new Map<string, ExplosionVersion>([['X', { versionId: 'v', versionNo: 1, batchQuantity: '1000', lines: [line('S', '2'), line('R', '2')] }]]);
    const r = rollUpCost('X', '1', { versionOf: (id) => tiny.get(id), labelOf: (id) => id }, () => pickPrice('movingAverage', '1', undefined, '2'));
    expect(r.root.amount.toString()).toBe('0.008');
    expect(r.total.toFixed(2)).toBe('0.01');
  });

  it('没有 BOM 的母件只是它自己（末级）', () => {
    const r = rollUpCost('S', '2', source, () => ({ unitPrice: '2', source: 'standard' }));
    expect(r.total.toFixed(2)).toBe('4.00');
  });
});
