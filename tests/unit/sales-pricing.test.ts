// Sales line prices: the list price is the company's, a proposed price sets the selling price and
// the discount is taken against the company's price; a stored line re-priced at another rate.
import { describe, expect, it } from 'vitest';
import { companyPrice, lineAsInput, priceOf } from '../../server/modules/sales/pricing.ts';

describe('priceOf', () => {
  const cases: [string, Parameters<typeof priceOf>[0], [string, string, string, string, string]][] = [
    // [listPrice, unitPrice, discountRate, amountWithTax, listAmount] for 10 at a company price of 55
    ['no price proposed: the company price less the discount', { quantity: '10', discountRate: '0.15' }, ['55.000000', '46.750000', '0.15', '467.50', '550.00']],
    ['a client list price of 10 %: 90 % off the company price', { quantity: '10', listPrice: '5.5' }, ['55.000000', '5.500000', '0.9000', '55.00', '550.00']],
    ['a client list price less its discount', { quantity: '10', listPrice: '60', discountRate: '0.1' }, ['55.000000', '54.000000', '0.0182', '540.00', '550.00']],
    ['a proposed selling price', { quantity: '10', unitPrice: '44' }, ['55.000000', '44.000000', '0.2000', '440.00', '550.00']],
    ['above the company price: no discount', { quantity: '10', unitPrice: '100' }, ['55.000000', '100.000000', '0.0000', '1000.00', '550.00']],
  ];
  it.each(cases)('%s', (_name, line, [listPrice, unitPrice, discountRate, amountWithTax, listAmount]) => {
    const p = priceOf(line, '55.000000', '0.13');
    expect([p.listPrice, p.amounts.unitPrice, p.discountRate, p.amounts.amountWithTax, p.amounts.listAmount]).toEqual([listPrice, unitPrice, discountRate, amountWithTax, listAmount]);
  });

  it('an item without a sale price: nothing to discount from', () => {
    expect(priceOf({ quantity: '1', unitPrice: '3' }, '0.000000', '0.13').discountRate).toBe('0.0000');
  });
});

describe('companyPrice', () => {
  it('the sale price per base unit in CNY, in the line unit and currency', () => {
    expect(companyPrice('0.055', '1000', '7.12')).toBe('7.724719');
    expect(companyPrice('0.055', '1', '1')).toBe('0.055000');
  });
});

describe('lineAsInput', () => {
  const line = { itemId: 'i', unitId: 'u', quantity: '2.0000', taxRate: '0.1300', requestedDate: null };
  it('at a new rate: a discount off the company price stays a discount; another price is converted', () => {
    expect(lineAsInput({ ...line, listPrice: '7.724719', unitPrice: '6.952247', discountRate: '0.1000' }, { from: '7.12', to: '1' })).toEqual({ ...line, discountRate: '0.1000' });
    expect(lineAsInput({ ...line, listPrice: '7.724719', unitPrice: '125.000000', discountRate: '0.0000' }, { from: '7.120000', to: '1.000000' })).toEqual({ ...line, unitPrice: '890.000000' });
  });
  it('without rates (an order from a quotation): the selling price holds', () => {
    expect(lineAsInput({ ...line, listPrice: '55.000000', unitPrice: '49.500000', discountRate: '0.1000' })).toEqual({ ...line, unitPrice: '49.500000' });
  });
});
