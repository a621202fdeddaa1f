import { describe, expect, it } from 'vitest';
import {
  baseToLineUnit,
  divideDecimal,
  formatDateTime,
  formatMoney,
  formatPrice,
  formatQuantity,
  formatRate,
  isPositiveDecimal,
  isZeroDecimal,
  trimDecimal,
} from '../../miniapp/src/utils/format';
import { documentStateLabel, documentStateTagType, progressLabel, qualityStatusLabel } from '../../miniapp/src/utils/labels';

describe('decimal helpers (strings, no floats)', () => {
  it('trims trailing zeros', () => {
    expect(trimDecimal('30000.0000')).toBe('30000');
    expect(trimDecimal('0.5000')).toBe('0.5');
    expect(trimDecimal('-1.20')).toBe('-1.2');
    expect(trimDecimal('-0.000')).toBe('0');
    expect(trimDecimal('007')).toBe('7');
    expect(trimDecimal('abc')).toBeNull();
    expect(trimDecimal('')).toBeNull();
    expect(trimDecimal(null)).toBeNull();
  });

  it('tells zero and positive apart', () => {
    expect(isZeroDecimal('0.0000')).toBe(true);
    expect(isZeroDecimal('0.0001')).toBe(false);
    expect(isPositiveDecimal('0.0001')).toBe(true);
    expect(isPositiveDecimal('-3')).toBe(false);
    expect(isPositiveDecimal('0')).toBe(false);
    expect(isPositiveDecimal(undefined)).toBe(false);
  });

  it('divides exactly and rounds half away from zero', () => {
    expect(divideDecimal('30000.0000', '1000.000000')).toBe('30');
    expect(divideDecimal('2500.0000', '1000.000000')).toBe('2.5');
    expect(divideDecimal('1', '3')).toBe('0.3333');
    expect(divideDecimal('2', '3')).toBe('0.6667');
    expect(divideDecimal('-2', '3')).toBe('-0.6667');
    expect(divideDecimal('5', '-2')).toBe('-2.5');
    expect(divideDecimal('99999999999999999.9999', '0.0001', 0)).toBe('999999999999999999999');
    expect(divideDecimal('1', '0')).toBeNull();
    expect(divideDecimal('x', '1')).toBeNull();
  });

  it('turns base-unit figures into the line unit', () => {
    expect(baseToLineUnit('2000.0000', '1000.000000')).toBe('2');
    expect(baseToLineUnit('500.0000', '1.000000')).toBe('500.0000');
    expect(baseToLineUnit('500.0000', null)).toBe('500.0000');
    expect(baseToLineUnit('1500.0000', '1000.000000')).toBe('1.5');
  });
});

describe('display formats', () => {
  it('quantities: grouped, trimmed, with the unit', () => {
    expect(formatQuantity('30000.0000', '个')).toBe('30,000 个');
    expect(formatQuantity('1234567.5000', '千克')).toBe('1,234,567.5 千克');
    expect(formatQuantity('0.0000', '箱')).toBe('0 箱');
    expect(formatQuantity('-2500.0000')).toBe('-2,500');
    expect(formatQuantity(null, '个')).toBe('—');
    expect(formatQuantity('n/a', '个')).toBe('n/a');
  });

  it('money with 2 decimals; prices and costs keep their digits', () => {
    expect(formatMoney('1234.5', 'CNY')).toBe('¥1,234.50');
    expect(formatMoney('11300.00', 'CNY')).toBe('¥11,300.00');
    expect(formatPrice('0.032200', 'CNY')).toBe('¥0.0322');
    expect(formatPrice('52.250000', 'CNY')).toBe('¥52.25');
    expect(formatPrice('5650.000000', 'CNY')).toBe('¥5,650.00');
    expect(formatPrice('1234.123456', 'USD')).toBe('$1,234.123456');
    expect(formatPrice('-0.125000', 'CNY')).toBe('-¥0.125');
    expect(formatPrice(null, 'CNY')).toBe('—');
  });

  it('rates as percentages', () => {
    expect(formatRate('0.1300')).toBe('13%');
    expect(formatRate('0.05')).toBe('5%');
    expect(formatRate('0.125')).toBe('12.5%');
    expect(formatRate('1')).toBe('100%');
    expect(formatRate('0')).toBe('0%');
    expect(formatRate(null)).toBe('—');
  });

  it('timestamps: Shanghai wall time as written', () => {
    expect(formatDateTime('2026-11-23T10:05:09.123+08:00')).toBe('2026-11-23 10:05');
    expect(formatDateTime('2026-11-23T23:59:00+08:00')).toBe('2026-11-23 23:59');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('not a date');
    const other = formatDateTime('2026-11-23T02:05:00Z'); // other offsets: the phone's local time
    expect(other).toMatch(/^2026-11-2[23] \d{2}:05$/);
  });

  it('state and progress labels', () => {
    expect(documentStateLabel('confirmed')).toBe('已确认');
    expect(documentStateLabel('pendingApproval')).toBe('待审批');
    expect(documentStateLabel('weird')).toBe('weird');
    expect(documentStateTagType('cancelled')).toBe('danger');
    expect(progressLabel('partial')).toBe('部分');
    expect(qualityStatusLabel('pending')).toBe('待检');
  });
});
