// 汇率: the rate in effect on a date is the latest one dated on or before it; base currency is 1.
import { describe, expect, it } from 'vitest';
import { BASE_RATE, dateOnlyOf, dateOnlyToDb, monthlyAverageRate, rateInEffect, todayInShanghai, type DatedRate } from '../../server/modules/finance/currencies/rates.ts';

const USD = { code: 'USD', isBase: false };
const CNY = { code: 'CNY', isBase: true };
const rates: DatedRate[] = [
  { rateDate: '2026-11-20', rate: '7.150000' },
  { rateDate: '2026-11-01', rate: '7.100000' },
  { rateDate: '2026-12-01', rate: '7.300000' },
  { rateDate: '2026-11-23', rate: '7.120000' },
];

describe('rateInEffect', () => {
  it.each([
    ['当天有汇率：用当天的', '2026-11-23', '2026-11-23', '7.120000'],
    ['当天没有：用之前最近的一条', '2026-11-22', '2026-11-20', '7.150000'],
    ['月初第一条当天', '2026-11-01', '2026-11-01', '7.100000'],
    ['之后的汇率不倒推回来', '2026-11-30', '2026-11-23', '7.120000'],
    ['最新日期之后一直沿用最新一条', '2027-06-30', '2026-12-01', '7.300000'],
    ['跨年比较按日期而非字符串长度', '2026-12-31', '2026-12-01', '7.300000'],
  ])('%s', (_name, date, rateDate, rate) => {
    expect(rateInEffect(USD, rates, date)).toEqual({ currencyCode: 'USD', rateDate, rate });
  });

  it('最早的汇率之前没有汇率：null', () => {
    expect(rateInEffect(USD, rates, '2026-10-31')).toBeNull();
  });

  it('没有任何汇率：null', () => {
    expect(rateInEffect(USD, [], '2026-11-23')).toBeNull();
  });

  it('本位币恒为 1，日期即所问日期，不看汇率表', () => {
    expect(rateInEffect(CNY, [], '2026-11-23')).toEqual({ currencyCode: 'CNY', rateDate: '2026-11-23', rate: BASE_RATE });
    expect(rateInEffect(CNY, rates, '2020-01-01')!.rate).toBe('1.000000');
  });

  it('输入顺序不影响结果', () => {
    const shuffled = [rates[2]!, rates[0]!, rates[3]!, rates[1]!];
    expect(rateInEffect(USD, shuffled, '2026-11-21')).toEqual(rateInEffect(USD, [...shuffled].reverse(), '2026-11-21'));
  });
});

// rates: 7.10 from Nov 1, 7.15 from Nov 20, 7.12 from Nov 23, 7.30 from Dec 1.
describe('monthlyAverageRate：本月 1 日至该日，每天适用汇率的算术平均', () => {
  it.each([
    // Nov 1–19 at 7.10 (19 days), Nov 20–22 at 7.15 (3), Nov 23–30 at 7.12 (8): (134.90 + 21.45 + 56.96) / 30 = 7.110333…
    ['整月：每天按当天适用的汇率计一次', '2026-11-30', '7.110333'],
    // Nov 1–19 at 7.10, Nov 20 at 7.15: (134.90 + 7.15) / 20 = 7.1025
    ['月中：只算到该日，之后的汇率不计', '2026-11-20', '7.102500'],
    ['月初第一天：就是当天的汇率', '2026-12-01', '7.300000'],
    // Dec 1–3 all at 7.30
    ['本月只有月初一条：一直沿用', '2026-12-03', '7.300000'],
  ])('%s', (_name, date, rate) => {
    expect(monthlyAverageRate(USD, rates, date)).toEqual({ currencyCode: 'USD', rateDate: date, rate });
  });

  it('本月尚无新汇率：沿用上月最后一条（它在本月每天都适用）', () => {
    expect(monthlyAverageRate(USD, [{ rateDate: '2026-10-28', rate: '7.080000' }], '2026-11-05')!.rate).toBe('7.080000');
  });

  it('第一条汇率之前的日子不计：10-29 起才有汇率，10-31 的平均只算 29、30、31 三天', () => {
    const r = [{ rateDate: '2026-10-29', rate: '7.000000' }, { rateDate: '2026-10-31', rate: '7.300000' }];
    // (7.00 + 7.00 + 7.30) / 3 = 7.1
    expect(monthlyAverageRate(USD, r, '2026-10-31')!.rate).toBe('7.100000');
  });

  it('6 位小数四舍五入：(7.1 + 7.1 + 7.2) / 3 = 7.1333333… → 7.133333；(7 + 7 + 7.000002) / 3 → 7.000001', () => {
    expect(monthlyAverageRate(USD, [{ rateDate: '2026-11-01', rate: '7.1' }, { rateDate: '2026-11-03', rate: '7.2' }], '2026-11-03')!.rate).toBe('7.133333');
    expect(monthlyAverageRate(USD, [{ rateDate: '2026-11-01', rate: '7' }, { rateDate: '2026-11-03', rate: '7.000002' }], '2026-11-03')!.rate).toBe('7.000001');
  });

  it('该月至该日没有任何适用的汇率：null；本位币恒为 1', () => {
    expect(monthlyAverageRate(USD, rates, '2026-10-31')).toBeNull();
    expect(monthlyAverageRate(CNY, [], '2026-11-15')).toEqual({ currencyCode: 'CNY', rateDate: '2026-11-15', rate: BASE_RATE });
  });

  it('跨闰年二月：2028-02-29 算 29 天', () => {
    const r = [{ rateDate: '2028-02-01', rate: '7.00' }, { rateDate: '2028-02-29', rate: '7.29' }];
    // (28 × 7.00 + 7.29) / 29 = 203.29 / 29 = 7.01
    expect(monthlyAverageRate(USD, r, '2028-02-29')!.rate).toBe('7.010000');
  });
});

describe('日期换算', () => {
  it('YYYY-MM-DD 与数据库日期列互转不漂移', () => {
    expect(dateOnlyOf(dateOnlyToDb('2026-02-28'))).toBe('2026-02-28');
    expect(dateOnlyToDb('2026-11-23').toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('“今天”按北京时间：UTC 16:30 已是第二天', () => {
    expect(todayInShanghai(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(todayInShanghai(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
  });
});
