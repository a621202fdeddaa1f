// The 跳层 rule shared by MRP netting, a production task's materials and 齐套 (bom/phantom.ts):
// the phantom item's own available quantity first, only the rest passed through; a phantom
// without components passes nothing. Quantities are fixed-point (10 decimals).
import { describe, expect, it } from 'vitest';
import { phantomPassThrough } from '../../server/modules/manufacturing/bom/phantom.ts';
import { format, quantity } from '../../server/modules/manufacturing/mrp/quantity.ts';

const q = (v: string) => quantity(v, 'q');
const pass = (need: string, available: string, hasComponents = true) => format(phantomPassThrough(q(need), q(available), hasComponents));

describe('phantomPassThrough', () => {
  it('uses the phantom’s own stock first and passes the rest through: 20 needed, 5 available → 15', () => {
    expect(pass('20', '5')).toBe('15');
    expect(pass('2.5', '0.75')).toBe('1.75');
  });

  it('passes everything through when nothing is available (or less than nothing), nothing when enough is', () => {
    expect(pass('20', '0')).toBe('20');
    expect(pass('20', '-3')).toBe('20');
    expect(pass('20', '20')).toBe('0');
    expect(pass('20', '100')).toBe('0');
  });

  it('a phantom without components keeps its whole need as its own', () => {
    expect(pass('20', '5', false)).toBe('0');
    expect(pass('20', '0', false)).toBe('0');
  });
});
