import { describe, expect, it } from 'vitest';
import { formatYuan } from '../../shared/money.ts';

describe('formatYuan（金额显示为 ¥1,234.50）', () => {
  it.each([
    ['1234.5', '¥1,234.50'],
    ['0', '¥0.00'],
    ['0.005', '¥0.01'],
    ['0.004', '¥0.00'],
    ['999.999', '¥1,000.00'],
    ['1639.45', '¥1,639.45'],
    ['1234567.891', '¥1,234,567.89'],
    ['100', '¥100.00'],
    ['-1234.5', '-¥1,234.50'],
    ['-0.001', '¥0.00'],
    [12.3, '¥12.30'],
  ])('%s → %s', (amount, expected) => {
    expect(formatYuan(amount)).toBe(expected);
  });
});
