// The finance engine's pure parts, table-driven with figures worked out by hand: the chart of
// accounts per 小企业会计准则, the balance check, the shipment and receipt voucher rules (一般纳税人
// and 小规模纳税人), the shipped revenue of partial shipments, and the trial balance roll-up.
import { describe, expect, it } from 'vitest';
import { FIRST_LEVEL_ACCOUNTS, standardChart } from '../../server/modules/finance/accounts/chart.ts';
import { balanceIssues } from '../../server/modules/finance/vouchers/balance.ts';
import { trialBalance, type TrialAccount } from '../../server/modules/finance/reports/trial-balance.ts';
import { shipmentVoucher, type ShipmentPostingFacts } from '../../server/modules/sales/shipments/voucher.ts';
import { shippedRevenue } from '../../server/modules/sales/shipments/revenue.ts';
import { receiptVoucher } from '../../server/modules/purchase/receipts/voucher.ts';

const amounts = (lines: { account: string; debit?: unknown; credit?: unknown }[]) =>
  lines.map((l) => [l.account, String(l.debit ?? 0), String(l.credit ?? 0)]);

describe('会计科目表', () => {
  it('66 个一级科目，编码唯一，类别按首位数字', () => {
    expect(FIRST_LEVEL_ACCOUNTS).toHaveLength(66);
    expect(new Set(FIRST_LEVEL_ACCOUNTS.map((a) => a.code)).size).toBe(66);
    const category = { 1: 'asset', 2: 'liability', 3: 'equity', 4: 'cost', 5: 'profitLoss' } as Record<string, string>;
    for (const a of FIRST_LEVEL_ACCOUNTS) expect(a.category, a.code).toBe(category[a.code[0]!]);
  });

  it('一般纳税人：应交增值税有进项、销项等明细；小规模纳税人只有应交增值税（末级）', () => {
    const general = new Map(standardChart('generalTaxpayer').map((a) => [a.code, a]));
    expect(general.get('222101')).toMatchObject({ hasChildren: true, parentCode: '2221', level: 2 });
    expect(general.get('22210101')).toMatchObject({ name: '进项税额', fullName: '应交税费—应交增值税—进项税额', level: 3, direction: 'debit' });
    expect(general.get('22210104')?.name).toBe('转出未交增值税');
    expect(general.get('222102')?.name).toBe('未交增值税');
    const small = new Map(standardChart('smallScaleTaxpayer').map((a) => [a.code, a]));
    expect(small.get('222101')).toMatchObject({ name: '应交增值税', hasChildren: false });
    // No VAT split for a 小规模纳税人; the 附加税费 and 所得税 accounts month end posts to are there for both kinds.
    expect([...small.keys()].filter((c) => c.startsWith('2221'))).toEqual(['2221', '222101', '222104', '222105', '222106', '222107']);
    expect(general.get('222104')?.fullName).toBe('应交税费—应交城市维护建设税');
    expect(general.get('222107')?.fullName).toBe('应交税费—应交所得税');
    expect(general.get('310401')).toMatchObject({ fullName: '利润分配—未分配利润', parentCode: '3104' });
  });
});

describe('借贷平衡', () => {
  it.each([
    ['平衡', [{ debit: '100.00' }, { credit: '60.00' }, { credit: '40.00' }], {}, []],
    ['不平', [{ debit: '100.00' }, { credit: '99.99' }], {}, ['借贷不平衡：借方合计 ¥100.00，贷方合计 ¥99.99，相差 ¥0.01']],
    ['一行', [{ debit: '1' }], {}, ['凭证至少要有两行分录（有借有贷）']],
    ['两边都填', [{ debit: '1', credit: '1' }, { credit: '1' }], {}, ['借方金额和贷方金额只能填一个']],
    ['都没填', [{}, { credit: '1' }], {}, ['借方金额和贷方金额必须填一个']],
    ['负数（蓝字）', [{ debit: '-1' }, { credit: '-1' }], {}, ['金额必须大于 0（更正已记账的凭证请用红字冲销）', '金额必须大于 0（更正已记账的凭证请用红字冲销）']],
    ['红字', [{ debit: '-1' }, { credit: '-1' }], { red: true }, []],
    ['厘', [{ debit: '1.001' }, { credit: '1.001' }], {}, ['金额最多 2 位小数（到分）', '金额最多 2 位小数（到分）']],
  ])('%s', (_, lines, opts, messages) => {
    expect(balanceIssues(lines, opts).map((i) => i.message)).toEqual(messages);
  });
});

describe('销售出库的凭证规则', () => {
  const facts: ShipmentPostingFacts = {
    documentId: 'sh', documentNumber: 'SH-20261207-0001', date: '2026-12-07', taxpayerKind: 'generalTaxpayer',
    customerId: 'c', customerName: '宁波甬江机械', lines: [
      { itemId: 'bolt', itemKind: 'finished', amount: '88.50', tax: '11.50', cost: '30.00' },
      { itemId: 'rod', itemKind: 'raw', amount: '1000.00', tax: '130.00', cost: '800.00' },
      { itemId: 'bolt', itemKind: 'finished', amount: '10.00', tax: '1.30', cost: '4.00' },
    ],
  };

  it('一般纳税人：借 应收账款 价税合计；贷 主营业务收入（按物料）、销项税额；借 主营业务成本 贷 库存商品 / 原材料', () => {
    const v = shipmentVoucher(facts)!;
    expect(v.date).toBe('2026-12-07');
    expect(v.summary).toBe('销售出库 SH-20261207-0001 宁波甬江机械');
    expect(amounts(v.lines)).toEqual([
      ['1122', '1241.3', '0'], ['5001', '0', '98.5'], ['5001', '0', '1000'], ['22210102', '0', '142.8'],
      ['5401', '34', '0'], ['1405', '0', '34'], ['5401', '800', '0'], ['1403', '0', '800'],
    ]);
    expect(v.lines[0]).toMatchObject({ customerId: 'c' });
    expect(v.lines[1]).toMatchObject({ itemId: 'bolt', customerId: 'c' });
    expect(v.lines[7]).toMatchObject({ itemId: 'rod' });
  });

  it('小规模纳税人：税额贷记 应交税费—应交增值税（3%）', () => {
    const v = shipmentVoucher({ ...facts, taxpayerKind: 'smallScaleTaxpayer', lines: [{ itemId: 'bolt', itemKind: 'finished', amount: '100.00', tax: '3.00', cost: '0.00' }] })!;
    expect(amounts(v.lines)).toEqual([['1122', '103', '0'], ['5001', '0', '100'], ['222101', '0', '3'], ['5401', '0', '0'], ['1405', '0', '0']]);
  });
});

describe('发货的收入：按累计发货量每次取差，分次发货合计等于订单行', () => {
  // 3 箱 = 3000 个, 价税合计 300.00, 不含税 265.49 (300 ÷ 1.13).
  const line = { amount: '265.49', amountWithTax: '300.00', baseQuantity: '3000', exchangeRate: '1' };
  it.each([
    ['第 1 箱', '0', '1000', { amount: '88.50', tax: '11.50' }],
    ['其余 2 箱', '1000', '3000', { amount: '176.99', tax: '23.01' }],
    ['一次全发', '0', '3000', { amount: '265.49', tax: '34.51' }],
    ['1 个', '0', '1', { amount: '0.09', tax: '0.01' }],
  ])('%s', (_, before, after, expected) => {
    expect(shippedRevenue({ ...line, shippedBefore: before, shippedAfter: after })).toEqual(expected);
  });
  it('外币订单按订单汇率折算：USD 100.00 价税 @7.1 → 710.00，不含税 88.50 × 7.1 = 628.35', () => {
    expect(shippedRevenue({ amount: '88.50', amountWithTax: '100.00', baseQuantity: '10', shippedBefore: '0', shippedAfter: '10', exchangeRate: '7.1' }))
      .toEqual({ amount: '628.35', tax: '81.65' });
  });
});

describe('采购入库的凭证规则（暂估）', () => {
  it('借 原材料 / 库存商品（按物料类别、按物料合并），贷 应付账款—暂估应付款（供应商），不含税', () => {
    const v = receiptVoucher({
      documentId: 'rc', documentNumber: 'RC-20261207-0001', date: '2026-12-07', supplierId: 's', supplierName: '宁波钢材',
      lines: [{ itemId: 'rod', itemKind: 'raw', amount: '5000.00' }, { itemId: 'a2', itemKind: 'purchased', amount: '10.00' }, { itemId: 'rod', itemKind: 'raw', amount: '0.01' }],
    })!;
    expect(v.summary).toBe('采购入库暂估 RC-20261207-0001 宁波钢材');
    expect(amounts(v.lines)).toEqual([['1403', '5000.01', '0'], ['1405', '10', '0'], ['220202', '0', '5010.01']]);
    expect(v.lines.every((l) => l.supplierId === 's')).toBe(true);
  });
});

describe('科目余额表的汇总', () => {
  const acc = (id: string, code: string, parentId: string | null, level: number, hasChildren = false): TrialAccount => ({
    id, code, name: code, parentId, level, direction: code.startsWith('1') ? 'debit' : 'credit', hasChildren,
  });
  const accounts = [acc('cash', '1001', null, 1), acc('ar', '1122', null, 1), acc('tax', '2221', null, 1, true), acc('vat', '222101', 'tax', 2, true),
    acc('out', '22210102', 'vat', 3), acc('rev', '5001', null, 1), acc('idle', '1002', null, 1)];

  it('下级的期初、发生额汇总到每一级上级；余额按正负列在借方或贷方；一级合计借贷相等', () => {
    const tb = trialBalance(accounts, new Map([
      ['cash', { opening: '500', debit: '0', credit: '0' }],
      ['ar', { opening: '0', debit: '113', credit: '0' }],
      ['out', { opening: '-500', debit: '0', credit: '13' }],
      ['rev', { opening: '0', debit: '0', credit: '100' }],
    ]));
    expect(tb.balanced).toBe(true);
    expect(tb.rows.map((r) => [r.code, r.opening.debit, r.opening.credit, r.period.debit, r.period.credit, r.closing.debit, r.closing.credit])).toEqual([
      ['1001', '500.00', '0.00', '0.00', '0.00', '500.00', '0.00'],
      ['1122', '0.00', '0.00', '113.00', '0.00', '113.00', '0.00'],
      ['2221', '0.00', '500.00', '0.00', '13.00', '0.00', '513.00'],
      ['222101', '0.00', '500.00', '0.00', '13.00', '0.00', '513.00'],
      ['22210102', '0.00', '500.00', '0.00', '13.00', '0.00', '513.00'],
      ['5001', '0.00', '0.00', '0.00', '100.00', '0.00', '100.00'],
    ]);
    expect(tb.totals).toEqual({ opening: { debit: '500.00', credit: '500.00' }, period: { debit: '113.00', credit: '113.00' }, closing: { debit: '613.00', credit: '613.00' } });
    expect(trialBalance(accounts, new Map(), { all: true }).rows).toHaveLength(7);
  });

  it('不平的账：balanced = false', () => {
    expect(trialBalance(accounts, new Map([['cash', { opening: '0', debit: '1', credit: '0' }]])).balanced).toBe(false);
  });
});
