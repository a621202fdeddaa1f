// 采购默认价格: which price-list entry applies, the standard-cost fallback and the receipt cost — pure functions.
import { describe, expect, it } from 'vitest';
import { pickSupplierPrice, receiptUnitCost, standardCostPrice, type PriceEntry } from '../../server/modules/purchase/prices/pick.ts';

const base: PriceEntry = {
  id: 'p0', supplierId: 'S1', itemId: 'I1', unitId: 'T', price: '5800.000000', currencyCode: 'CNY', minQuantity: '0', validFrom: '2026-01-01', validTo: null,
};
const entry = (id: string, over: Partial<PriceEntry>): PriceEntry => ({ ...base, id, ...over });
const want = { supplierId: 'S1', itemId: 'I1', unitId: 'T', quantity: '10', date: '2026-06-01' };

describe('pickSupplierPrice', () => {
  const cases: { name: string; prices: PriceEntry[]; criteria?: Partial<typeof want> & { currencyCode?: string }; expected: string | null }[] = [
    { name: '没有价格 → null', prices: [], expected: null },
    { name: '唯一有效价格', prices: [entry('a', {})], expected: 'a' },
    { name: '其他供应商、物料、单位的价格不适用', prices: [entry('s', { supplierId: 'S2' }), entry('i', { itemId: 'I2' }), entry('u', { unitId: 'KG' })], expected: null },
    { name: '尚未生效的不适用', prices: [entry('future', { validFrom: '2026-06-02' })], expected: null },
    { name: '生效日当天适用', prices: [entry('today', { validFrom: '2026-06-01' })], expected: 'today' },
    { name: '已失效的不适用', prices: [entry('old', { validTo: '2026-05-31' })], expected: null },
    { name: '失效日当天仍适用', prices: [entry('last', { validTo: '2026-06-01' })], expected: 'last' },
    {
      name: '取数量达到的最高起订量（阶梯价）',
      prices: [entry('q0', { minQuantity: '0' }), entry('q5', { minQuantity: '5', price: '5700' }), entry('q10', { minQuantity: '10', price: '5600' }), entry('q20', { minQuantity: '20' })],
      expected: 'q10',
    },
    { name: '数量不足任何起订量 → null', prices: [entry('q20', { minQuantity: '20' })], expected: null },
    {
      name: '同一起订量取最近生效的报价',
      prices: [entry('jan', { validFrom: '2026-01-01' }), entry('may', { validFrom: '2026-05-01' }), entry('mar', { validFrom: '2026-03-01' })],
      expected: 'may',
    },
    {
      name: '起订量优先于生效日期',
      prices: [entry('newSmall', { validFrom: '2026-05-01', minQuantity: '1' }), entry('oldBig', { validFrom: '2026-01-01', minQuantity: '8' })],
      expected: 'oldBig',
    },
    { name: '币别不符的不适用（指定币别时）', prices: [entry('usd', { currencyCode: 'USD' })], criteria: { currencyCode: 'CNY' }, expected: null },
    { name: '小数起订量按数值比较', prices: [entry('q9.5', { minQuantity: '9.5' }), entry('q10.5', { minQuantity: '10.5' })], expected: 'q9.5' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(pickSupplierPrice(c.prices, { ...want, ...c.criteria })?.id ?? null).toBe(c.expected);
    });
  }
});

describe('standardCostPrice / receiptUnitCost', () => {
  it('标准成本（不含税、每基本单位、本位币）折算为订单单位的含税单价', () => {
    expect(standardCostPrice({ standardCost: '5.15', factor: '1000', taxRate: '0.13', exchangeRate: '1' })).toBe('5819.500000');
    expect(standardCostPrice({ standardCost: '7.12', factor: '1', taxRate: '0', exchangeRate: '7.12' })).toBe('1.000000');
    expect(standardCostPrice({ standardCost: '0', factor: '1000', taxRate: '0.13', exchangeRate: '1' })).toBe('0.000000');
  });

  it('入库成本 = 含税单价 ÷ 换算率 ÷ (1 + 税率) × 汇率，6 位小数', () => {
    expect(receiptUnitCost({ unitPrice: '6215', factor: '1000', taxRate: '0.13', exchangeRate: '1' })).toBe('5.500000');
    expect(receiptUnitCost({ unitPrice: '1', factor: '1', taxRate: '0.13', exchangeRate: '1' })).toBe('0.884956');
    expect(receiptUnitCost({ unitPrice: '100', factor: '1', taxRate: '0', exchangeRate: '7.12' })).toBe('712.000000');
  });

  it('按标准成本默认价入库，成本恰为标准成本', () => {
    const price = standardCostPrice({ standardCost: '5.33', factor: '1000', taxRate: '0.13', exchangeRate: '1' });
    expect(receiptUnitCost({ unitPrice: price, factor: '1000', taxRate: '0.13', exchangeRate: '1' })).toBe('5.330000');
  });
});
