// The wide-screen table's sorting: API sort toggling, and the loaded rows sorted here (decimals exactly).
import { describe, expect, it } from 'vitest';
import { compareDecimal, nextSort, parseSort, sortRows } from '../../miniapp/src/utils/list-columns';

describe('list columns', () => {
  it('a header click toggles the API sort of its field, or starts a new field', () => {
    expect(parseSort('-number')).toEqual({ field: 'number', direction: 'desc' });
    expect(nextSort('-number', 'number')).toBe('number');
    expect(nextSort('number', 'number')).toBe('-number');
    expect(nextSort('-number', 'totalWithTax')).toBe('totalWithTax');
    expect(nextSort('-number', 'totalWithTax', true)).toBe('-totalWithTax');
    expect(nextSort(undefined, 'createdAt', true)).toBe('-createdAt');
  });

  it('compares decimal strings exactly (no float rounding)', () => {
    expect(compareDecimal('10', '9.9999')).toBe(1);
    expect(compareDecimal('0.5', '0.50')).toBe(0);
    expect(compareDecimal('-2', '1')).toBe(-1);
    expect(compareDecimal('-2', '-10')).toBe(1);
    expect(compareDecimal('12345678901234.0001', '12345678901234.0002')).toBe(-1);
    expect(compareDecimal('007', '7.0')).toBe(0);
  });

  it('sorts the loaded rows by a column, empty values last, ties in loaded order', () => {
    const rows = [
      { id: 'a', days: '3' },
      { id: 'b', days: '0.5' },
      { id: 'c', days: null },
      { id: 'd', days: '10' },
      { id: 'e', days: '3.0' },
    ];
    const column = { sortValue: (r: (typeof rows)[number]) => r.days, decimal: true };
    expect(sortRows(rows, column, 'asc').map((r) => r.id)).toEqual(['b', 'a', 'e', 'd', 'c']);
    expect(sortRows(rows, column, 'desc').map((r) => r.id)).toEqual(['d', 'a', 'e', 'b', 'c']);
    const names = [{ n: '王五' }, { n: '张三' }, { n: '李四' }];
    expect(sortRows(names, { sortValue: (r) => r.n }, 'asc').map((r) => r.n)).toEqual(['李四', '王五', '张三']);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
