// 汇率: the rate in effect on a date is the latest one dated on or before it; base currency is 1.
import { describe, expect, it } from 'vitest';
import { BASE_RATE, dateOnlyOf, dateOnlyToDb, rateInEffect, todayInShanghai, type DatedRate } from '../../server/modules/finance/currencies/rates.ts';

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
