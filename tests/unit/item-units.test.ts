// An item's units as pure functions: base quantities, factors, and the rules of an item's unit set.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/platform/errors.ts';
import { assertUnitPlan, factorFor, toBaseQuantity, unitPlanIssues } from '../../server/modules/inventory/items/units.ts';

const bolt = { baseUnitId: 'PCS', conversions: [{ unitId: 'BOX', factor: '1000.000000' }, { unitId: 'PACK', factor: '100' }] };

describe('toBaseQuantity', () => {
  it.each([
    ['3', '1000.000000', '3000.0000'],
    ['0', '1000', '0.0000'],
    ['1.5', '1000', '1500.0000'],
    ['2.345', '73.59', '172.5686'], // 172.56855 → half-up
    ['0.00005', '1', '0.0001'], // half-up at the 5th decimal
    ['0.00004', '1', '0.0000'],
    ['1', '0.333333', '0.3333'],
    ['12345678901234.5678', '1', '12345678901234.5678'], // no float rounding
    ['0.1', '0.2', '0.0200'],
  ])('%s × %s = %s', (q, f, expected) => {
    expect(toBaseQuantity(q, f)).toBe(expected);
  });

  it('rejects what is not a number', () => {
    expect(() => toBaseQuantity('abc', '1')).toThrow(AppError);
  });
});

describe('factorFor', () => {
  it('the base unit is 1.000000', () => expect(factorFor(bolt, 'PCS')).toBe('1.000000'));
  it('a converted unit gives its factor at 6 decimals', () => {
    expect(factorFor(bolt, 'BOX')).toBe('1000.000000');
    expect(factorFor(bolt, 'PACK')).toBe('100.000000');
  });
  it('accepts Decimal-like factors (as Prisma returns them)', () => {
    expect(factorFor({ baseUnitId: 'KG', conversions: [{ unitId: 'T', factor: { toString: () => '1000' } }] }, 'T')).toBe('1000.000000');
  });
  it('3 箱 → 3000 个', () => expect(toBaseQuantity('3', factorFor(bolt, 'BOX'))).toBe('3000.0000'));
  it('a unit the item does not have is a 400 物料没有该计量单位', () => {
    try {
      factorFor(bolt, 'KG', 'body.lines.0.unitId');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      const err = e as AppError;
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.status).toBe(400);
      expect(err.message).toBe('物料没有该计量单位');
      expect(err.details).toEqual([{ field: 'body.lines.0.unitId', message: '物料没有该计量单位' }]);
    }
  });
});

describe('unitPlanIssues', () => {
  const plan = { baseUnitId: 'PCS', purchaseUnitId: null, salesUnitId: 'BOX', conversions: [{ unitId: 'BOX' }] };
  const given = { conversionsGiven: true };

  it('a consistent plan has no issues', () => {
    expect(unitPlanIssues(plan, given)).toEqual([]);
    expect(unitPlanIssues({ ...plan, purchaseUnitId: 'PCS', salesUnitId: 'PCS', conversions: [] }, given)).toEqual([]);
    expect(() => assertUnitPlan(plan, given)).not.toThrow();
  });
  it('no conversion for the base unit', () => {
    expect(unitPlanIssues({ ...plan, conversions: [{ unitId: 'BOX' }, { unitId: 'PCS' }] }, given)).toEqual([
      { field: 'body.conversions.1.unitId', message: '基本单位不需要换算率' },
    ]);
  });
  it('a new base unit clashing with stored conversions is blamed on baseUnitId', () => {
    expect(unitPlanIssues({ ...plan, baseUnitId: 'BOX', salesUnitId: null }, { conversionsGiven: false })).toEqual([
      { field: 'body.baseUnitId', message: '该单位已是物料的换算单位，请同时调整 conversions' },
    ]);
  });
  it('no unit converted twice', () => {
    expect(unitPlanIssues({ ...plan, conversions: [{ unitId: 'BOX' }, { unitId: 'BOX' }] }, given)).toEqual([
      { field: 'body.conversions.1.unitId', message: '换算单位重复' },
    ]);
  });
  it('purchase and sales units must be the base unit or converted', () => {
    const issues = unitPlanIssues({ ...plan, purchaseUnitId: 'T', salesUnitId: 'PACK' }, given);
    expect(issues.map((i) => i.field)).toEqual(['body.purchaseUnitId', 'body.salesUnitId']);
    expect(() => assertUnitPlan({ ...plan, purchaseUnitId: 'T' }, given)).toThrow('采购单位必须是基本单位或换算单位之一');
  });
});
