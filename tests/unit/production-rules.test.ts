// 生产任务单 rules (pure): a task's materials (phantoms passed through, made parts kept, same item and
// method merged) and the cumulative issue share (rounded up, never past the requirement, the last
// step takes the rest). Figures by hand in the comments.
import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import type { ExplosionNode } from '../../server/modules/manufacturing/bom/rules.ts';
import { issueShare, taskMaterials } from '../../server/modules/manufacturing/production/rules.ts';

const line = (over: Partial<NonNullable<ExplosionNode['line']>> = {}) => ({ lineId: 'l', scrapRate: '0', issueMethod: 'kit' as const, operation: null, phantom: false, ...over });
const node = (itemId: string, quantity: string, over: Partial<NonNullable<ExplosionNode['line']>> = {}, children: ExplosionNode[] = []): ExplosionNode =>
  ({ itemId, level: 1, quantity, versionNo: children.length ? 1 : null, line: line(over), children });

describe('taskMaterials', () => {
  it('passes through phantoms, keeps made parts whole, merges the same item and method', () => {
    const root: ExplosionNode = {
      itemId: 'FG', level: 0, quantity: '100', versionNo: 1, line: null,
      children: [
        node('PH', '100', { phantom: true }, [node('ROD', '1.25'), node('NUT', '50')]),
        node('NUT', '250'),
        node('SUB', '100', {}, [node('WIRE', '3')]),
        node('CTN', '1', { issueMethod: 'backflush' }),
        node('NUT', '10', { issueMethod: 'backflush' }),
      ],
    };
    expect(taskMaterials(root).map((m) => [m.itemId, m.quantity.toString(), m.issueMethod])).toEqual([
      ['ROD', '1.25', 'kit'], ['NUT', '300', 'kit'], ['SUB', '100', 'kit'], ['CTN', '1', 'backflush'], ['NUT', '10', 'backflush'],
    ]);
  });

  it('uses the phantom’s own stock first (the 跳层 rule MRP nets by): 100 PH, 30 allowed → PH 30 + the rest exploded for 70', () => {
    // FG ← PH (phantom, kit) ← ROD 0.0125 each; a second PH line of 20 finds the allowance used up
    const explodePH = (q: Decimal) => node('PH', q.toString(), { phantom: true }, [node('ROD', q.times('0.0125').toString())]);
    const root: ExplosionNode = {
      itemId: 'FG', level: 0, quantity: '100', versionNo: 1, line: null,
      children: [explodePH(new Decimal(100)), node('PH', '20', { phantom: true, issueMethod: 'backflush' }, [node('ROD', '0.25')])],
    };
    const explode = (id: string, q: Decimal) => ({ ...explodePH(q), line: null });
    expect(taskMaterials(root, { available: new Map([['PH', '30']]), explode }).map((m) => [m.itemId, m.quantity.toString(), m.issueMethod])).toEqual([
      ['PH', '30', 'kit'], ['ROD', '1.125', 'kit'],
    ]);
    // 120 allowed: the first line all from stock, the second 20 of the remaining 20
    expect(taskMaterials(root, { available: new Map([['PH', '120']]), explode }).map((m) => [m.itemId, m.quantity.toString(), m.issueMethod])).toEqual([
      ['PH', '100', 'kit'], ['PH', '20', 'backflush'],
    ]);
    // nothing allowed: passed through whole, as before, without exploding again
    expect(taskMaterials(root, { available: new Map(), explode: () => { throw new Error('no re-explosion'); } }).map((m) => [m.itemId, m.quantity.toString()])).toEqual([
      ['ROD', '1.5'],
    ]);
  });

  it('a phantom without components of its own is a material itself', () => {
    const root: ExplosionNode = { itemId: 'FG', level: 0, quantity: '1', versionNo: 1, line: null, children: [node('PH', '1', { phantom: true })] };
    expect(taskMaterials(root).map((m) => m.itemId)).toEqual(['PH']);
  });
});

describe('issueShare', () => {
  it('rounds the cumulative share up to the unit and the last step takes the rest', () => {
    // 1.25 kg for 100: 40 → 0.5; then 33 more → 1.25 × 73 / 100 = 0.9125 → 0.913 − 0.5 = 0.413; last 27 → 1.25 − 0.913 = 0.337
    expect(issueShare({ required: '1.25', issued: '0' }, '0', '40', '100', 3).toString()).toBe('0.5');
    expect(issueShare({ required: '1.25', issued: '0.5' }, '40', '33', '100', 3).toString()).toBe('0.413');
    expect(issueShare({ required: '1.25', issued: '0.913' }, '73', '27', '100', 3).toString()).toBe('0.337');
  });

  it('never goes past the requirement nor below zero', () => {
    // 1 carton for 100: 30 → 0.3 → 1 whole; 30 more → target 1, already 1 → 0
    expect(issueShare({ required: '1', issued: '0' }, '0', '30', '100', 0).toString()).toBe('1');
    expect(issueShare({ required: '1', issued: '1' }, '30', '30', '100', 0).toString()).toBe('0');
  });
});
