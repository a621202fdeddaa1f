// 成本计算 rules as pure functions: pools allocated to the fen (adding up exactly), a hand-computed
// month of two tasks (one completed, one partly received: WIP by quantity), a carried WIP, the basis
// without anything to allocate by refused, and the held share of a receipt replayed through the
// moving average (a partial shipment, stock held before, a later receipt).
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { allocate, AllocationBasisError, costTasks, heldByTag, splitRevaluation, costingOrder, followTags, splitRevaluationTo } from '../../server/modules/manufacturing/costing/close-rules.ts';

const s = (xs: Decimal[] | null) => xs?.map((x) => x.toFixed(2));

describe('分配', () => {
  it('按权重分到分，尾差给余数最大的，合计等于总额', () => {
    expect(s(allocate('4000', ['30', '10']))).toEqual(['3000.00', '1000.00']);
    expect(s(allocate('100', ['1', '1', '1']))).toEqual(['33.34', '33.33', '33.33']);
    expect(s(allocate('0.05', ['2', '1']))).toEqual(['0.03', '0.02']);
    expect(allocate('10', ['0', '0'])).toBeNull();
    expect(s(allocate('0', ['0', '0']))).toEqual(['0.00', '0.00']);
  });
});

describe('任务成本', () => {
  const month = [
    // A: 100 received (completed), ¥200 material, 30 h, provisional 100 × 10
    { taskId: 'A', openingWip: '0', material: '200', hours: '30', receivedQuantity: '100', provisionalValue: '1000', unreceivedQuantity: '0' },
    // B: 80 of 200 received, ¥200 material, 10 h, provisional 80 × 5
    { taskId: 'B', openingWip: '0', material: '200', hours: '10', receivedQuantity: '80', provisionalValue: '400', unreceivedQuantity: '120' },
  ];
  it('按工时：人工 4,000 / 制造费用 2,000 分 3:1；完工单位成本、在产品、与暂估的差额', () => {
    const [a, b] = costTasks(month, { labour: '4000', overhead: '2000', basis: 'hours' });
    // A: 200 + 3000 + 1500 = 4700 over 100 → 47; all completed; 4700 − 1000 = 3700
    expect([a!.labour, a!.overhead, a!.actualTotal, a!.unitCost, a!.completedValue, a!.wip, a!.revaluation].map(String)).toEqual(['3000', '1500', '4700', '47', '4700', '0', '3700']);
    // B: 200 + 1000 + 500 = 1700 over 80 + 120 → 8.5; completed 80 × 8.5 = 680, WIP 1020; 680 − 400 = 280
    expect([b!.actualTotal, b!.unitCost, b!.completedValue, b!.wip, b!.revaluation].map(String)).toEqual(['1700', '8.5', '680', '1020', '280']);
  });
  it('按完工产量 100:80；上月在产品并入本月', () => {
    const [a, b] = costTasks(month.map((m) => (m.taskId === 'B' ? { ...m, openingWip: '300' } : m)), { labour: '900', overhead: '0', basis: 'output' });
    expect(a!.labour.toFixed(2)).toBe('500.00');
    expect(b!.labour.toFixed(2)).toBe('400.00');
    // B: 300 + 200 + 400 = 900 over 200: 80 received → 360.00, WIP 540.00
    expect([b!.actualTotal, b!.completedValue, b!.wip].map((x) => x.toFixed(2))).toEqual(['900.00', '360.00', '540.00']);
  });
  it('没有可分配的依据（本月无工时）→ 拒绝并提示改口径', () => {
    const none = month.map((m) => ({ ...m, hours: '0' }));
    expect(() => costTasks(none, { labour: '1', overhead: '0', basis: 'hours' })).toThrow(AllocationBasisError);
    expect(() => costTasks(none, { labour: '1', overhead: '0', basis: 'hours' })).toThrow('请改按完工产量分配');
  });
  it('不能整除时：完工价值到分，在产品取差，合计不变', () => {
    const [c] = costTasks([{ taskId: 'C', openingWip: '0', material: '100', hours: '1', receivedQuantity: '1', provisionalValue: '0', unreceivedQuantity: '2' }], { labour: '0', overhead: '0', basis: 'hours' });
    expect([c!.unitCost.toFixed(6), c!.completedValue.toFixed(2), c!.wip.toFixed(2)]).toEqual(['33.333333', '33.33', '66.67']);
  });
});

describe('仍在库的份额', () => {
  it('收 100 发 40：留 60', () => {
    expect(heldByTag('0', [{ quantity: '100', tag: 'A' }, { quantity: '-40' }]).get('A')!.toString()).toBe('60');
  });
  it('期初 50 再收 100，发 30：移动平均下按 150 中的 30 同比例发出 → 留 80', () => {
    expect(heldByTag('50', [{ quantity: '100', tag: 'A' }, { quantity: '-30' }]).get('A')!.toString()).toBe('80');
  });
  it('先发出旧库存再收：本月入库全部仍在库；发完 → 0', () => {
    const held = heldByTag('50', [{ quantity: '-50' }, { quantity: '100', tag: 'A' }, { quantity: '20', tag: 'B' }, { quantity: '0' }]);
    expect([held.get('A')!.toString(), held.get('B')!.toString()]).toEqual(['100', '20']);
    expect(heldByTag('0', [{ quantity: '10', tag: 'A' }, { quantity: '-10' }]).get('A')!.toString()).toBe('0');
  });
  it('差额按仍在库比例分到库存与销售成本，两者相加等于差额', () => {
    const r = splitRevaluation('3700', '100', '60');
    expect([r.toStock.toFixed(2), r.toCostOfSales.toFixed(2)]).toEqual(['2220.00', '1480.00']);
    const odd = splitRevaluation('10', '3', '1');
    expect([odd.toStock.toFixed(2), odd.toCostOfSales.toFixed(2)]).toEqual(['3.33', '6.67']);
  });
});

describe('逐步综合结转：半成品的成本差额随领用进入成品任务', () => {
  it('followTags：期初 100 + 本任务入库 600，领给成品任务 700 → 本任务的 600 全部去了成品任务', () => {
    const f = followTags('100', [{ quantity: '600', tag: 'ZN' }, { quantity: '-700', to: 'FG' }]);
    expect(f.get('ZN')!.held.toString()).toBe('0');
    expect(f.get('ZN')!.to.get('FG')!.toString()).toBe('600');
  });

  it('followTags：领走一半、卖掉四分之一，留下四分之一', () => {
    const f = followTags('0', [{ quantity: '400', tag: 'A' }, { quantity: '-200', to: 'B' }, { quantity: '-100' }]);
    expect([f.get('A')!.held.toString(), f.get('A')!.to.get('B')!.toString()]).toEqual(['100', '200']);
  });

  it('splitRevaluationTo：差额 12.49 按 1/3 在库、1/3 领用、其余销售成本，三者相加等于差额', () => {
    const s = splitRevaluationTo('12.49', '3', '1', new Map([['FG', '1']]));
    expect([s.toStock.toFixed(2), s.toTasks.get('FG')!.toFixed(2), s.toCostOfSales.toFixed(2)]).toEqual(['4.16', '4.16', '4.17']);
  });

  it('costingOrder：被领用的任务先算；没有关系的保持原顺序', () => {
    expect(costingOrder(['FG', 'X', 'ZN', 'ROD'], new Map([['ZN', new Set(['FG'])], ['ROD', new Set(['ZN'])]]))).toEqual(['X', 'ROD', 'ZN', 'FG']);
  });
});
