// Which reservations give way to a loss, and how much: the excess taken in the order given (most
// recently confirmed first), each cut by at most what it holds.
import { describe, expect, it } from 'vitest';
import { planCuts } from '../../server/modules/inventory/stock/reservation-cuts.ts';

const held = [{ id: 'later', quantity: '3' }, { id: 'earlier', quantity: '5' }];
const plan = (rows: { id: string; quantity: string }[], excess: string) => planCuts(rows, excess).map((c) => [c.row.id, c.cut.toString()]);

describe('planCuts', () => {
  it.each([
    ['多出 3：后确认的 3 → 0，先确认的不动', '3', [['later', '3']]],
    ['多出 5：跨两张订单，后确认的 3 → 0，先确认的 5 → 3', '5', [['later', '3'], ['earlier', '2']]],
    ['多出 1：只削后确认的', '1', [['later', '1']]],
    ['多出 8：全部削完', '8', [['later', '3'], ['earlier', '5']]],
    ['多出超过全部预留：削到 0 为止', '10', [['later', '3'], ['earlier', '5']]],
    ['没有多出：不削', '0', []],
    ['负数视同没有多出', '-2', []],
    ['小数', '3.5', [['later', '3'], ['earlier', '0.5']]],
  ])('%s', (_name, excess, expected) => {
    expect(plan(held, excess)).toEqual(expected);
  });

  it('预留为 0 的需求跳过', () => {
    expect(plan([{ id: 'empty', quantity: '0' }, ...held], '4')).toEqual([['later', '3'], ['earlier', '1']]);
  });
});
