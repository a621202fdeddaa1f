// Pure rules of the stock documents, table-driven.
import { describe, expect, it } from 'vitest';
import {
  atLine, batchIssue, containsPattern, countVariance, dayRange, daysBetween, defaultInboundCost, itemLabel, keywordTerms, precisionIssue, shanghaiDayStart,
} from '../../server/modules/inventory/stock/checks.ts';
import { AppError } from '../../server/platform/errors.ts';

describe('batchIssue', () => {
  it.each([
    [true, 'L2401', null],
    [true, '', '必须填写批次'],
    [true, '   ', '必须填写批次'],
    [true, null, '必须填写批次'],
    [false, '', null],
    [false, undefined, null],
    [false, 'X1', '不能填写批次'],
  ] as const)('batchTracked=%s batch=%j → %s', (batchTracked, batch, message) => {
    const issue = batchIssue({ code: 'RM-1', batchTracked }, batch, 'body.lines.0.batchNo');
    if (message === null) expect(issue).toBeNull();
    else expect(issue).toEqual({ field: 'body.lines.0.batchNo', message: expect.stringContaining(message) });
  });
});

describe('precisionIssue', () => {
  it.each([
    ['10', 0, null],
    ['-10', 0, null],
    ['10.5', 0, '必须是整数'],
    ['1.234', 3, null],
    ['1.2345', 3, '最多 3 位小数'],
    ['10.000', 0, null], // trailing zeros are not decimals
  ] as const)('%s with precision %d → %s', (quantity, precision, message) => {
    const issue = precisionIssue(quantity, { name: '个', precision }, 'f');
    if (message === null) expect(issue).toBeNull();
    else expect(issue!.message).toContain(message);
  });
});

describe('defaultInboundCost', () => {
  it.each([
    [{ quantity: '10', averageCost: '1.5' }, '2', '1.500000'],
    [{ quantity: '0', averageCost: '1.5' }, '2', '2.000000'],
    [{ quantity: '10', averageCost: '0' }, '2', '2.000000'],
    [null, '0.0362', '0.036200'],
  ] as const)('%j, standard %s → %s', (stock, standard, expected) => {
    expect(defaultInboundCost(stock, standard)).toBe(expected);
  });
});

describe('countVariance', () => {
  it.each([
    ['1010', '1000', '10'],
    ['480', '500', '-20'],
    ['5', '0', '5'],
    ['1990.5', '2000', '-9.5'],
    ['7', '7', '0'],
  ])('counted %s, book %s → %s', (counted, book, expected) => {
    expect(countVariance(counted, book).toString()).toBe(expected);
  });
});

describe('dates', () => {
  it('a Shanghai day starts at 16:00 UTC the day before', () => {
    expect(shanghaiDayStart('2026-11-23').toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });
  it('dayRange covers whole days, either end open', () => {
    expect(dayRange('2026-11-01', '2026-11-30')).toEqual({ gte: new Date('2026-10-31T16:00:00Z'), lt: new Date('2026-11-30T16:00:00Z') });
    expect(dayRange(undefined, '2026-11-30')).toEqual({ lt: new Date('2026-11-30T16:00:00Z') });
    expect(dayRange()).toEqual({});
  });
  it('daysBetween rounds down', () => {
    expect(daysBetween(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T23:59:00Z'))).toBe(30);
  });
});

describe('keywords', () => {
  it('LIKE wildcards in a keyword are literal', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
  it('splits on any whitespace, at most 5 terms', () => {
    expect(keywordTerms('  M8　螺栓 ')).toEqual(['M8', '螺栓']);
    expect(keywordTerms('a b c d e f g')).toHaveLength(5);
  });
  it('itemLabel names an item as messages do', () => {
    expect(itemLabel({ code: 'FG-1', name: 'M8螺栓', spec: 'M8×30' })).toBe('M8螺栓（M8×30）[FG-1]');
    expect(itemLabel({ code: 'FG-1', name: 'M8螺栓', spec: null })).toBe('M8螺栓[FG-1]');
  });
});

describe('atLine', () => {
  it('names the line of a stock conflict and passes other errors through', async () => {
    await expect(atLine(1, 'body.lines.1.quantity', async () => { throw new AppError('CONFLICT', '库存不足'); })).rejects.toMatchObject({
      code: 'CONFLICT', message: '第 2 行：库存不足', details: [{ field: 'body.lines.1.quantity', message: '库存不足' }],
    });
    await expect(atLine(0, 'f', async () => { throw new AppError('NOT_FOUND', 'x'); })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'x' });
    expect(await atLine(0, 'f', async () => 42)).toBe(42);
  });
});
