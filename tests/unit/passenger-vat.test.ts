// 旅客运输客票的进项税额: the dependency-free rule (shared/passenger-vat.ts, which the mini-app runs) agrees
// with decimal arithmetic to the fen, half up, on hand-picked and on many generated amounts.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSENGER_VAT_RATES, passengerTicketTaxText, type PassengerTicketKind } from '../../shared/passenger-vat.ts';

const byDecimal = (base: string, rate: string) => new Decimal(base).div(new Decimal(rate).plus(1)).mul(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

describe('旅客运输客票税额（无依赖的整数算法）', () => {
  it('手算：铁路 553 ÷ 1.09 × 9 % = 45.66；航空 1,090 → 90.00；公路 103 ÷ 1.03 × 3 % = 3.00；0 → 0.00', () => {
    expect(passengerTicketTaxText('railTicket', '553', DEFAULT_PASSENGER_VAT_RATES)).toBe('45.66');
    expect(passengerTicketTaxText('airTicket', '1090.00', DEFAULT_PASSENGER_VAT_RATES)).toBe('90.00');
    expect(passengerTicketTaxText('roadWaterTicket', '103', DEFAULT_PASSENGER_VAT_RATES)).toBe('3.00');
    expect(passengerTicketTaxText('railTicket', '0', DEFAULT_PASSENGER_VAT_RATES)).toBe('0.00');
  });

  it('与 decimal.js 的 ROUND_HALF_UP 逐一相同（2,000 个金额 × 3 种客票，另有非默认税率）', () => {
    const kinds: PassengerTicketKind[] = ['airTicket', 'railTicket', 'roadWaterTicket'];
    for (let i = 0; i < 2000; i++) {
      const base = ((i * 7919) % 1_000_000 / 100).toFixed(2);
      for (const kind of kinds) {
        const rate = kind === 'roadWaterTicket' ? '0.03' : '0.09';
        expect(passengerTicketTaxText(kind, base, DEFAULT_PASSENGER_VAT_RATES), `${kind} ${base}`).toBe(byDecimal(base, rate));
      }
      expect(passengerTicketTaxText('railTicket', base, { airRail: '0.0625', roadWater: '0.015' })).toBe(byDecimal(base, '0.0625'));
    }
  });

  it('不是金额的输入抛错', () => {
    expect(() => passengerTicketTaxText('railTicket', '12,3', DEFAULT_PASSENGER_VAT_RATES)).toThrow();
  });
});
