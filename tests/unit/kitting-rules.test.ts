// 齐套分析 rules (pure): kit-able quantity rounded down to the product's unit, the limiting
// components, shortages and when cumulative open supply covers them; an order's lines sharing stock
// and supply; production tasks sharing them in start order. Every figure computed by hand in the comments.
import { describe, expect, it } from 'vitest';
import { arrivalOf, kit, kitOrder, kitTasks, netExplosion, taskKitNeeds, type KitSupply, type KitTaskInput } from '../../server/modules/manufacturing/kitting/rules.ts';
import type { ExplosionNode } from '../../server/modules/manufacturing/bom/rules.ts';
import { Decimal } from 'decimal.js';

const po = (itemId: string, date: string | null, quantity: string, ref: string): KitSupply => ({ itemId, date, quantity, ref });

describe('kit：可齐套数量与瓶颈物料', () => {
  // Q = 1000 个:
  //   A need 2040 (2.04 per unit), free 1500 → 1500 × 1000 / 2040 = 735.29… → 735; short 540
  //   B need 1000, free 5000 → 1000 (capped at Q); short 0
  //   C need 5.278 kg, free 4 → 4 × 1000 / 5.278 = 757.86… → 757; short 1.278
  const components = [
    { itemId: 'A', need: '2040', free: '1500', precision: 0 },
    { itemId: 'B', need: '1000', free: '5000', precision: 0 },
    { itemId: 'C', need: '5.278', free: '4', precision: 3 },
  ];

  it('按最少的那个物料算，向下取整到成品单位；每个物料的需求、可用、缺口与到货', () => {
    const r = kit({
      quantity: '1000', precision: 0, components,
      supply: [
        // A, in arrival order: 12-10 200 (200), 12-20 300 (500 < 540), then the undated 100 (600 ≥ 540)
        po('A', '2026-12-20', '300', 'PO-2'), po('A', null, '100', 'PO-3'), po('A', '2026-12-10', '200', 'PO-1'),
        // C: 12-15 1 (1 < 1.278), 12-18 0.5 (1.5 ≥ 1.278) → 12-18
        po('C', '2026-12-18', '0.5', 'PO-5'), po('C', '2026-12-15', '1', 'PO-4'),
      ],
    });
    expect(r).toMatchObject({ quantity: '1000', kitable: '735', complete: false, limiting: ['A'], readyDate: null });
    expect(r.components).toEqual([
      {
        itemId: 'A', need: '2040', free: '1500', short: '540', kitable: '735', limiting: true,
        arrival: {
          status: 'undated', date: null, label: '在途未定交期',
          supply: [{ ref: 'PO-1', date: '2026-12-10', quantity: '200' }, { ref: 'PO-2', date: '2026-12-20', quantity: '300' }, { ref: 'PO-3', date: null, quantity: '100' }],
        },
      },
      { itemId: 'B', need: '1000', free: '5000', short: '0', kitable: '1000', limiting: false, arrival: { status: 'covered', date: null, label: '库存足够', supply: [] } },
      {
        itemId: 'C', need: '5.278', free: '4.000', short: '1.278', kitable: '757', limiting: false,
        arrival: {
          status: 'arrives', date: '2026-12-18', label: '2026-12-18 到货',
          supply: [{ ref: 'PO-4', date: '2026-12-15', quantity: '1.000' }, { ref: 'PO-5', date: '2026-12-18', quantity: '0.500' }],
        },
      },
    ]);
  });

  it('全部缺口都有带交期的在途时给出齐套日期（最晚的那个）', () => {
    const r = kit({ quantity: '1000', precision: 0, components, supply: [po('A', '2026-12-20', '540', 'PO-2'), po('C', '2026-12-18', '2', 'PO-5')] });
    expect(r.readyDate).toBe('2026-12-20');
    expect(r.components.map((c) => c.arrival.label)).toEqual(['2026-12-20 到货', '库存足够', '2026-12-18 到货']);
  });

  it('没有在途是「无在途」，在途不够说出还缺多少', () => {
    const none = kit({ quantity: '1000', precision: 0, components, supply: [] });
    expect(none.components[0]!.arrival).toEqual({ status: 'none', date: null, label: '无在途', supply: [] });
    // 540 − 200 = 340 still missing
    const some = kit({ quantity: '1000', precision: 0, components, supply: [po('A', '2026-12-10', '200', 'PO-1')] });
    expect(some.components[0]!.arrival).toMatchObject({ status: 'insufficient', label: '在途不足，仍缺 340' });
  });

  it('库存够：可齐套 = Q，没有瓶颈', () => {
    const r = kit({ quantity: '10', precision: 0, components: [{ itemId: 'A', need: '20', free: '20', precision: 0 }], supply: [] });
    expect(r).toMatchObject({ kitable: '10', complete: true, limiting: [], readyDate: null });
  });

  it('成品单位有小数：向下取整到它的精度（2.3333… → 2.33）；并列的瓶颈都列出；负的可用按 0', () => {
    const r = kit({
      quantity: '10', precision: 2,
      components: [
        { itemId: 'X', need: '30', free: '7', precision: 0 },
        { itemId: 'Y', need: '3', free: '0.7', precision: 1 },
        { itemId: 'Z', need: '1', free: '-5', precision: 0 },
      ],
      supply: [],
    });
    expect(r.components.map((c) => c.kitable)).toEqual(['2.33', '2.33', '0.00']);
    expect(r).toMatchObject({ kitable: '0.00', limiting: ['Z'] });
    expect(r.components[2]).toMatchObject({ free: '0', short: '1' });
    const r2 = kit({ quantity: '10', precision: 2, components: r.components.slice(0, 2).map((c, i) => ({ itemId: c.itemId, need: ['30', '3'][i]!, free: ['7', '0.7'][i]!, precision: i })), supply: [] });
    expect(r2).toMatchObject({ kitable: '2.33', limiting: ['X', 'Y'] });
  });

  it('arrivalOf：恰好补齐的那天就算到货', () => {
    expect(arrivalOf(new Decimal('500'), [po('A', '2026-12-10', '200', 'P1'), po('A', '2026-12-11', '300', 'P2')], 0)).toMatchObject({ status: 'arrives', date: '2026-12-11' });
  });
});

describe('kitOrder：一张订单的各行共用库存与在途', () => {
  const line = (lineId: string) => ({ lineId, quantity: '100', precision: 0, components: [{ itemId: 'X', need: '200', precision: 0 }] });

  it('前面的行用掉的库存后面的行不再算：300 可用 → 第 1 行 100，第 2 行 50（缺 100，12-20 补齐）', () => {
    const r = kitOrder([line('L1'), line('L2')], new Map([['X', '300']]), [po('X', '2026-12-20', '50', 'P2'), po('X', '2026-12-10', '80', 'P1')]);
    expect(r.get('L1')).toMatchObject({ kitable: '100', complete: true });
    // line 2: free 300 − 200 = 100 → 100 × 100 / 200 = 50; short 100; 80 (12-10) + 50 (12-20) ≥ 100 → 12-20
    expect(r.get('L2')).toMatchObject({ kitable: '50', limiting: ['X'], components: [{ free: '100', short: '100', arrival: { date: '2026-12-20' } }] });
  });

  it('前面的行的缺口先占在途：第 2 行只剩 30 在途，仍缺 170', () => {
    const r = kitOrder([line('L1'), line('L2')], new Map([['X', '100']]), [po('X', '2026-12-10', '80', 'P1'), po('X', '2026-12-20', '50', 'P2')]);
    // line 1: 50 kit-able (uses 100), short 100 ← 80 + 20 of P2 → 12-20
    expect(r.get('L1')).toMatchObject({ kitable: '50', components: [{ short: '100', arrival: { status: 'arrives', date: '2026-12-20' } }] });
    // line 2: free 0, short 200, 30 left on P2 → 仍缺 170
    expect(r.get('L2')).toMatchObject({ kitable: '0', components: [{ free: '0', short: '200', arrival: { status: 'insufficient', label: '在途不足，仍缺 170' } }] });
  });
});

describe('netExplosion 与非线性齐套：半成品库存先用', () => {
  // P ← 2 S (made) + 1 C (bought); S ← 3 R (bought). A node's children are given per explosion below.
  const node = (itemId: string, quantity: string, children: ExplosionNode[] = [], phantom = false): ExplosionNode =>
    ({ itemId, level: 0, quantity, versionNo: children.length ? 1 : null, line: { lineId: itemId, scrapRate: '0', issueMethod: 'kit', operation: null, phantom }, children });
  const explodeS = (q: Decimal) => node('S', q.toString(), [node('R', q.times(3).toString())]);
  const explodeP = (k: Decimal) => node('P', k.toString(), [explodeS(k.times(2)), node('C', k.toString())]);

  it('S 可用 5：10 个 P 要 20 S，先用 5，余下 15 S 展开为 45 R；库存不被改动', () => {
    const pool = new Map([['S', new Decimal(5)]]);
    const r = netExplosion(explodeP(new Decimal(10)), pool, (id, q) => (id === 'S' ? explodeS(q) : node(id, q.toString())));
    expect(Object.fromEntries([...r.leaves].map(([k, v]) => [k, v.toString()]))).toEqual({ R: '45', C: '10' });
    expect(Object.fromEntries([...r.fromStock].map(([k, v]) => [k, v.toString()]))).toEqual({ S: '5' });
    expect(pool.get('S')!.toString()).toBe('5');
  });

  it('虚拟件与生产任务、MRP 一致：先用自己的库存（V 可用 3，要 4 → 余 1 个 V 穿透为 2 R），没有库存才整体穿透', () => {
    const root = node('P', '1', [node('V', '4', [node('R', '8')], true)]);
    const explodeV = (q: Decimal) => node('V', q.toString(), [node('R', q.times(2).toString())], true);
    const some = netExplosion(root, new Map([['V', new Decimal(3)]]), (id, q) => explodeV(q));
    expect([...some.leaves].map(([k, v]) => [k, v.toString()])).toEqual([['R', '2']]);
    expect([...some.fromStock].map(([k, v]) => [k, v.toString()])).toEqual([['V', '3']]);
    const none = netExplosion(root, new Map(), () => { throw new Error('no re-explosion'); });
    expect([...none.leaves].map(([k, v]) => [k, v.toString()])).toEqual([['R', '8']]);
    expect(none.fromStock.size).toBe(0);
  });

  it('kitOrder 按净算求可齐套：S 5、R 30、C 100 → k 个 P 要 R 3 × (2k − 5) ≤ 30 → k = 7', () => {
    const stock = new Map([['S', '5'], ['R', '30'], ['C', '100']]);
    const line = {
      lineId: 'L', quantity: '10', precision: 0,
      components: [{ itemId: 'R', need: '60', precision: 0 }, { itemId: 'C', need: '10', precision: 0 }],
      netted: (k: Decimal, s: ReadonlyMap<string, Decimal>) => netExplosion(explodeP(k), s, (id, q) => explodeS(q)),
    };
    const second = { ...line, lineId: 'L2', quantity: '1' };
    const out = kitOrder([line, second], stock, []);
    // k = 7: S 14 → 5 from stock, 9 made → R 27 ≤ 30; k = 8: R 33 > 30
    expect(out.get('L')).toMatchObject({ kitable: '7', limiting: ['R'], fromStock: [{ itemId: 'S', quantity: '5' }] });
    expect(out.get('L')!.components.find((c) => c.itemId === 'R')).toMatchObject({ need: '45', free: '30', short: '15', kitable: '7' });
    // the second line gets what the first left: S 0, R 3 → 1 P needs 2 S → R 6 > 3 → 0
    expect(out.get('L2')).toMatchObject({ kitable: '0', fromStock: [], components: [{ itemId: 'R', need: '6', free: '3' }, { itemId: 'C', need: '1', free: '93' }] });
  });
});

describe('kitTasks：所选生产任务按计划开工、再按单号先后共用库存与在途', () => {
  const task = (taskId: string, plannedStart: string, kitted: string, materials: [string, string, string][]): KitTaskInput => ({
    taskId, number: `MO-${taskId}`, plannedStart, quantity: '10', kitted, precision: 0,
    materials: materials.map(([itemId, required, issued]) => ({ itemId, required, issued, precision: 0 })),
  });

  it('同一库存不算两次：先开工的 10 套全齐，同日单号在后的余 6 套只能配 5，再后的 0 套，缺口依次占在途', () => {
    // A free 30, B 100; PO-1 8 on 12-20, PO-2 5 on 12-25. Order: 2 (12-10), 3 (12-10, later number), 1 (12-11).
    // 2: A 20 of 30 → 10 sets, complete; A left 10.
    // 3: kitted 4 of 10, A 8 of 20 issued: k more take 2 × (4 + k) − 8 = 2k ≤ 10 → 5 (limiting); short 12 − 10 = 2 → PO-1 → 12-20
    //    takes A 10 → 0 left; PO-1 has 6 left.
    // 1: A 20 against 0 → 0 sets; short 20: PO-1 6 + PO-2 5 = 11 → 在途不足，仍缺 9. B 10 of 90.
    const r = kitTasks(
      [task('1', '2026-12-11', '0', [['A', '20', '0'], ['B', '10', '0']]), task('3', '2026-12-10', '4', [['A', '20', '8']]), task('2', '2026-12-10', '0', [['A', '20', '0'], ['B', '10', '0']])],
      new Map([['A', '30'], ['B', '100']]),
      [po('A', '2026-12-25', '5', 'PO-2'), po('A', '2026-12-20', '8', 'PO-1')],
    );
    expect([...r.keys()]).toEqual(['2', '3', '1']);
    expect(r.get('2')).toMatchObject({ quantity: '10', kitable: '10', complete: true, limiting: [], readyDate: null });
    expect(r.get('3')).toMatchObject({
      quantity: '6', kitable: '5', complete: false, limiting: ['A'], readyDate: '2026-12-20',
      components: [{ itemId: 'A', need: '12', free: '10', short: '2', kitable: '5', arrival: { status: 'arrives', date: '2026-12-20', supply: [{ ref: 'PO-1', quantity: '8' }] } }],
    });
    expect(r.get('1')).toMatchObject({
      kitable: '0', limiting: ['A'], readyDate: null,
      components: [
        { itemId: 'A', need: '20', free: '0', short: '20', arrival: { status: 'insufficient', label: '在途不足，仍缺 9', supply: [{ ref: 'PO-1', quantity: '6' }, { ref: 'PO-2', quantity: '5' }] } },
        { itemId: 'B', need: '10', free: '90', short: '0', kitable: '10' },
      ],
    });
  });

  it('按配套领料的份额（向上取整）求套数并扣库存；已全部配套的任务不在结果里', () => {
    // M 7 for 10 sets (0.7 a set, whole units): k sets take ceil(0.7k); free 6 → 8 (5.6 → 6), 9 would take 7
    const first = task('1', '2026-12-10', '0', [['M', '7', '0']]);
    expect(taskKitNeeds(first)(new Decimal(8)).get('M')!.toString()).toBe('6');
    expect(taskKitNeeds(first)(new Decimal(9)).get('M')!.toString()).toBe('7');
    const r = kitTasks([first, task('2', '2026-12-11', '0', [['M', '7', '0']]), task('0', '2026-12-01', '10', [['M', '7', '7']])], new Map([['M', '6']]), []);
    expect([...r.keys()]).toEqual(['1', '2']);
    expect(r.get('1')).toMatchObject({ kitable: '8', limiting: ['M'], components: [{ need: '7', free: '6', short: '1' }] });
    // the 8 sets took all 6: nothing left for the next task
    expect(r.get('2')).toMatchObject({ kitable: '0', components: [{ need: '7', free: '0', short: '7', arrival: { status: 'none' } }] });
  });
});
