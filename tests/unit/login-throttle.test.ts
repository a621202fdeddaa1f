// 登录限速规则: how long the next attempt waits after n failures (pure, the clock is given).
import { describe, expect, it } from 'vitest';
import { ACCOUNT_RULE, blockOf, IP_RULE } from '../../server/modules/auth/throttle.ts';

const now = new Date('2026-12-07T10:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const waitMs = (failures: number, lastMsAgo: number, rule = ACCOUNT_RULE) => {
  const b = blockOf({ failures, lastFailureAt: ago(lastMsAgo) }, now, rule);
  return b && { ms: b.until.getTime() - now.getTime(), locked: b.locked };
};

describe('登录限速：等待时间', () => {
  it('账号：4 次内不等；5 次起 1、2、4… 秒，最长 5 分钟；20 次锁 15 分钟', () => {
    expect(blockOf(undefined, now, ACCOUNT_RULE)).toBeUndefined();
    expect(waitMs(4, 0)).toBeUndefined();
    expect([5, 6, 7, 8].map((n) => waitMs(n, 0)!.ms)).toEqual([1000, 2000, 4000, 8000]);
    expect(waitMs(19, 0)).toEqual({ ms: 300_000, locked: false });
    expect(waitMs(20, 0)).toEqual({ ms: 900_000, locked: true });
    expect(waitMs(25, 60_000)).toEqual({ ms: 840_000, locked: true });
  });

  it('等够了就放行；锁定期满放行；安静一小时后失败次数作废', () => {
    expect(waitMs(6, 2000)).toBeUndefined();
    expect(waitMs(20, 900_000)).toBeUndefined();
    expect(waitMs(20, 3_600_001)).toBeUndefined();
    expect(waitMs(19, 299_000)).toEqual({ ms: 1000, locked: false });
  });

  it('IP：20 次起等待，100 次锁定', () => {
    expect(waitMs(19, 0, IP_RULE)).toBeUndefined();
    expect(waitMs(20, 0, IP_RULE)).toEqual({ ms: 1000, locked: false });
    expect(waitMs(100, 0, IP_RULE)).toEqual({ ms: 900_000, locked: true });
  });
});
