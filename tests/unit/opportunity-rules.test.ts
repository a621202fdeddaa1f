// 商机的计算 by hand: 金额 × 赢单概率 to the fen, sums rounded once at the end, the months of a forecast range.
import { describe, expect, it } from 'vitest';
import { monthRange, monthsBetween, totals, weightedAmount } from '../../server/modules/crm/opportunities/rules.ts';

describe('商机加权金额与预测月份', () => {
  it('999.99 × 70 % = 699.993 → 699.99；2,500.50 × 50 % = 1,250.25；0.01 × 50 % = 0.005 → 0.01（四舍五入）', () => {
    expect(weightedAmount({ amount: '999.99', probability: '0.7' })).toBe('699.99');
    expect(weightedAmount({ amount: '2500.50', probability: '0.5' })).toBe('1250.25');
    expect(weightedAmount({ amount: '0.01', probability: '0.5' })).toBe('0.01');
  });

  it('合计只在最后舍入一次：3 × 0.005 = 0.015 → 0.02（逐个舍入会是 0.03）', () => {
    const rows = [1, 2, 3].map(() => ({ amount: '0.01', probability: '0.5' }));
    expect(totals(rows)).toEqual({ count: 3, amount: '0.03', weightedAmount: '0.02' });
    expect(totals([])).toEqual({ count: 0, amount: '0.00', weightedAmount: '0.00' });
  });

  it('月份范围跨年：2026-11 到 2027-02 共 4 个月，止于 2027-03-01 之前', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthRange('2026-11', '2026-12')).toEqual({ start: '2026-11-01', end: '2027-01-01' });
  });
});
