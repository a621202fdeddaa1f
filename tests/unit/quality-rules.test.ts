// 质检 result rule: the three quantities add up to something > 0 and at most what still waits.
import { describe, expect, it } from 'vitest';
import { splitResult } from '../../server/modules/quality/rules.ts';

const r = (passedQuantity: string, failedQuantity = '0', concessionQuantity = '0') => ({ passedQuantity, failedQuantity, concessionQuantity });

describe('splitResult', () => {
  it('adds exactly (decimals, no float drift) up to what waits', () => {
    const s = splitResult(r('0.1', '0.2', '0.0001'), '0.3001', '个');
    expect('error' in s).toBe(false);
    if ('error' in s) return;
    expect([s.passed.toFixed(4), s.failed.toFixed(4), s.concession.toFixed(4), s.total.toFixed(4)]).toEqual(['0.1000', '0.2000', '0.0001', '0.3001']);
  });

  it('more than waits: names 合格数量 with both figures', () => {
    expect(splitResult(r('90', '10', '0.0001'), '100', '个')).toEqual({
      error: { field: 'body.passedQuantity', message: '合格数量、不合格数量与让步接收数量合计 100.0001个 超过待检数量 100个' },
    });
  });

  it('nothing at all is refused', () => {
    expect(splitResult(r('0'), '5')).toEqual({ error: { field: 'body.passedQuantity', message: '合格数量、不合格数量与让步接收数量合计必须大于 0' } });
  });
});
