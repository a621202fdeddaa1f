// Story 6 · 业务 → 账: one month (the current month in Asia/Shanghai) of a 一般纳税人's business through
// the HTTP API on the real database, every voucher checked against figures worked out by hand here.
//
// 期初: stock M8 30,000 × 0.030 + 20,000 × 0.0355 = 1,610.00 (average 0.0322), M12 5,000 × 0.0793 =
//   396.50; brought onto the books by a manual voucher 借 库存商品 2,006.50 / 贷 实收资本 2,006.50.
// Sales (story 1): 李销售 orders 30 箱 M8 at 15 % off (¥55 → ¥46.75 a box: 1,402.50) and 500 个 M12 at
//   ¥0.1439 (71.95), 价税合计 1,474.45; the order's discount 1 − 1,474.45 / 1,721.95 = 14.4 % > 10 %
//   needs 张经理; approved → confirmed → shipped whole:
//     M8  1,402.50 / 1.13 = 1,241.150… → 1,241.15 net, tax 161.35; cost 30,000 × 0.0322 = 966.00
//     M12    71.95 / 1.13 =    63.672… →    63.67 net, tax   8.28; cost    500 × 0.0793 =  39.65
//     → 借 应收账款 1,474.45 / 贷 主营业务收入 1,241.15 + 63.67 / 贷 销项税额 169.63;
//       借 主营业务成本 966.00 / 贷 库存商品 966.00; 借 主营业务成本 39.65 / 贷 库存商品 39.65.
//   The 数电票 issued after the shipment posts nothing (revenue and 销项 were booked at delivery);
//   the receipt 借 银行存款 1,474.45 / 贷 应收账款 1,474.45; matching (核销) posts nothing.
// Purchase: 100 KG of a raw item at ¥5.65 含税 received before its invoice → 暂估 565 / 1.13 = 500.00:
//   借 原材料 500.00 / 贷 应付账款—暂估应付款 500.00. The special invoice says ¥5.10 a KG: 510.00 +
//   13 % 66.30 = 576.30, nothing consumed so the 10.00 difference all goes onto the stock:
//   red 借 原材料 −500.00 / 贷 暂估应付款 −500.00; blue 借 原材料 510.00, 进项税额 66.30 / 贷 应付货款 576.30.
//   Paid 576.30: 借 应付货款 / 贷 银行存款; settled against the invoice: nothing posted.
// Expense claim of 李销售: 差旅 200.00 + 餐饮 56.50 approved: 借 管理费用 200.00, 56.50 / 贷 其他应付款
//   256.50; paid: 借 其他应付款 256.50 / 贷 银行存款 256.50 (no input VAT: claim lines carry no tax).
// Month end:
//   转出未交增值税: 销项 169.63 − 进项 66.30 = 103.33 → 借 转出未交增值税 103.33 / 贷 未交增值税 103.33;
//   税金及附加: 城建税 103.33 × 7 % = 7.2331 → 7.23; sales 1,304.82 ≤ 100,000 so 教育费附加 and
//     地方教育附加 are exempt (财税〔2016〕12号) → 借 税金及附加 7.23 / 贷 应交城市维护建设税 7.23;
//   结转损益: revenue 1,304.82 − cost 1,005.65 − taxes 7.23 − 管理费用 256.50 = 35.44 profit.
// Statements: bank 1,474.45 − 576.30 − 256.50 = 641.65; 原材料 500 − 500 + 510 = 510.00; 库存商品
//   2,006.50 − 1,005.65 = 1,000.85 (= 20,000 × 0.0322 + 4,500 × 0.0793 = 644.00 + 356.85); assets
//   2,152.50 = 应交税费 (103.33 + 7.23) 110.56 + 实收资本 2,006.50 + 本年利润 35.44.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient, zhang: AuthedClient, zhao: AuthedClient, wang: AuthedClient, boss: AuthedClient;
const id: Record<string, string> = {};
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const P = today.slice(0, 7);

type Line = { account: { code: string }; debit: string; credit: string };
type Voucher = { id: string; number: string; date: string; summary: string; lines: Line[]; source: { type: string } | null };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit]);
const vouchersOf = async (sourceId: string): Promise<Voucher[]> => {
  const res = await qian('get', `/api/v1/vouchers?sourceId=${sourceId}&sort=number`);
  expect(res.status).toBe(200);
  return res.body.items;
};
const ok = <T extends { status: number; body: unknown }>(res: T, status = 200): T => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res;
};

beforeAll(async () => {
  t = await createTestApp();
  [qian, li, zhang, zhao, wang, boss] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'zhang.jl'), as(t, 'zhao.ck'), as(t, 'wang.cg'), as(t, 'boss')]);
  const sys = t.database.system;
  id.customer = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id; // 李销售的客户
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  id.m12 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M12X40' } })).id;
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  id.kg = (await sys.unit.findFirstOrThrow({ where: { code: 'KG' } })).id;
  await addOpeningStock(t, [
    { item: 'FG-BLT-M8X30', quantity: '30000', unitCost: '0.030000' },
    { item: 'FG-BLT-M8X30', quantity: '20000', unitCost: '0.035500' },
    { item: 'FG-BLT-M12X40', quantity: '5000', unitCost: '0.079300' },
  ]);
  const accounts: Record<string, string> = {};
  for (const a of (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[]) accounts[a.code] = a.id;
  id.acct1405 = accounts['1405']!;
  id.acct3001 = accounts['3001']!;
  id.acct5602 = accounts['5602']!;
  id.acct1002 = accounts['1002']!;
}, 30_000);
afterAll(async () => t?.close());

describe('Story 6：一个月的业务入账、期末处理、报表与结账', () => {
  it('期初库存入账：借 库存商品 2,006.50 / 贷 实收资本', async () => {
    const v = ok(await qian('post', '/api/v1/vouchers').send({
      date: `${P}-01`, summary: '投入存货（期初）', lines: [{ accountId: id.acct1405, debit: '2006.50' }, { accountId: id.acct3001, credit: '2006.50' }],
    }), 201);
    expect(brief(v.body.lines)).toEqual([['1405', '2006.50', '0.00'], ['3001', '0.00', '2006.50']]);
  });

  it('销售：15% 折扣审批 → 确认 → 发货记收入、销项、成本；发票不再记账；收款记银行，核销不记账', async () => {
    const order = ok(await li('post', '/api/v1/sales-orders').send({
      customerId: id.customer,
      lines: [{ itemId: id.m8, quantity: '30', discountRate: '0.15' }, { itemId: id.m12, unitId: id.pcs, quantity: '500' }],
    }), 201).body;
    expect(order).toMatchObject({ totalWithTax: '1474.45', totalAmount: '1304.82', totalTax: '169.63', listTotal: '1721.95' });
    expect(ok(await li('post', `/api/v1/sales-orders/${order.id}/submit`).send({})).body.state).toBe('pendingApproval');
    const approval = await t.database.system.approval.findFirstOrThrow({ where: { documentId: order.id } });
    expect(approval.businessType).toBe('salesDiscount');
    ok(await zhang('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' }));
    expect((await li('get', `/api/v1/sales-orders/${order.id}`)).body.state).toBe('confirmed');

    const shipment = ok(await zhao('post', `/api/v1/sales-orders/${order.id}/shipments`).send({
      lines: [{ orderLineId: order.lines[0].id, quantity: '30' }, { orderLineId: order.lines[1].id, quantity: '500' }],
    }), 201).body;
    const [vs, more] = await vouchersOf(shipment.id);
    expect(more).toBeUndefined();
    expect(vs!.date).toBe(today);
    expect(brief(vs!.lines)).toEqual([
      ['1122', '1474.45', '0.00'], ['5001', '0.00', '1241.15'], ['5001', '0.00', '63.67'], ['22210102', '0.00', '169.63'],
      ['5401', '966.00', '0.00'], ['1405', '0.00', '966.00'], ['5401', '39.65', '0.00'], ['1405', '0.00', '39.65'],
    ]);

    // 数电票 after delivery: same figures as the order, no voucher.
    const draft = ok(await qian('post', '/api/v1/sales-invoices').send({
      customerId: id.customer, orderId: order.id, kind: 'special', invoiceDate: today,
      lines: [{ orderLineId: order.lines[0].id, quantity: '30000' }, { orderLineId: order.lines[1].id, quantity: '500' }],
    }), 201).body;
    const invoice = ok(await qian('post', `/api/v1/sales-invoices/${draft.id}/issue`).send({ invoiceNo: '26330000000000006001' })).body;
    expect(invoice).toMatchObject({ state: 'issued', amount: '1304.82', taxAmount: '169.63', amountWithTax: '1474.45', billedAhead: '0.00', openAmount: '1474.45' });
    expect(await vouchersOf(invoice.id)).toEqual([]);

    const receipt = ok(await qian('post', '/api/v1/customer-receipts').send({ customerId: id.customer, orderId: order.id, amount: '1474.45', receivedOn: today, method: '电汇' }), 201).body;
    expect(receipt).toMatchObject({ amount: '1474.45', advanceAmount: '0.00', accountCode: '1002' });
    expect(brief((await vouchersOf(receipt.id))[0]!.lines)).toEqual([['1002', '1474.45', '0.00'], ['1122', '0.00', '1474.45']]);
    const match = ok(await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: invoice.id, customerReceiptId: receipt.id, amount: '1474.45' }] }), 201).body;
    expect(await vouchersOf(match.items[0].id)).toEqual([]);
    expect((await qian('get', `/api/v1/sales-invoices/${invoice.id}`)).body.openAmount).toBe('0.00');
    expect((await li('get', `/api/v1/sales-orders/${order.id}`)).body.paymentProgress).toBe('full');
  });

  it('采购：先收货暂估 500.00，发票 510.00 + 66.30 红冲暂估再入账，付款 576.30，核销不记账', async () => {
    const supplier = ok(await wang('post', '/api/v1/suppliers').send({ code: 'SST06', name: '故事六测试钢材' }), 201).body;
    const item = ok(await boss('post', '/api/v1/items').send({ code: 'ST6-RM-01', name: '故事六线材', kind: 'raw', baseUnitId: id.kg }), 201).body;
    const po = ok(await wang('post', '/api/v1/purchase-orders').send({ supplierId: supplier.id, lines: [{ itemId: item.id, unitId: id.kg, quantity: '100', unitPrice: '5.65' }] }), 201).body;
    ok(await wang('post', `/api/v1/purchase-orders/${po.id}/confirm`));
    const rc = ok(await zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: po.lines[0].id, quantity: '100' }] }), 201).body;
    expect(brief((await vouchersOf(rc.id))[0]!.lines)).toEqual([['1403', '500.00', '0.00'], ['220202', '0.00', '500.00']]);

    const inv = ok(await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: supplier.id, invoiceNo: '26332000000000006001', invoiceType: 'special', invoiceDate: today,
      lines: [{ receiptLineId: rc.lines[0].id, quantity: '100', amount: '510.00', taxAmount: '66.30' }],
    }), 201).body;
    expect(inv).toMatchObject({ totalAmount: '576.30', inputVat: '66.30', provisionalAmount: '500.00', toStock: '10.00', toCostOfSales: '0.00' });
    const [red, blue] = await vouchersOf(inv.id);
    expect(brief(red!.lines)).toEqual([['1403', '-500.00', '0.00'], ['220202', '0.00', '-500.00']]);
    expect(brief(blue!.lines)).toEqual([['1403', '510.00', '0.00'], ['22210101', '66.30', '0.00'], ['220201', '0.00', '576.30']]);

    const pay = ok(await qian('post', '/api/v1/supplier-payments').send({ supplierId: supplier.id, amount: '576.30', paidOn: today, accountCode: '1002' }), 201).body;
    expect(pay).toMatchObject({ payableAmount: '576.30', advanceAmount: '0.00' });
    expect(brief((await vouchersOf(pay.id))[0]!.lines)).toEqual([['220201', '576.30', '0.00'], ['1002', '0.00', '576.30']]);
    const before = await t.database.system.voucher.count();
    ok(await qian('post', '/api/v1/payable-settlements').send({ settledOn: today, lines: [{ paymentId: pay.id, invoiceId: inv.id, amount: '576.30' }] }), 201);
    expect(await t.database.system.voucher.count()).toBe(before);
    expect((await qian('get', `/api/v1/purchase-invoices/${inv.id}`)).body).toMatchObject({ settledAmount: '576.30', openAmount: '0.00' });
  });

  it('费用报销：批准记管理费用 / 其他应付款 256.50，付款冲其他应付款', async () => {
    const claim = ok(await li('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '200' }, { category: 'meal', amount: '56.50' }] }), 201).body;
    const submitted = ok(await li('post', `/api/v1/expense-claims/${claim.id}/submit`)).body;
    ok(await zhang('post', `/api/v1/approvals/${submitted.approvalId}/decide`).send({ decision: 'agree' }));
    const [approved] = await vouchersOf(claim.id);
    expect(brief(approved!.lines)).toEqual([['5602', '200.00', '0.00'], ['5602', '56.50', '0.00'], ['2241', '0.00', '256.50']]);
    ok(await qian('post', `/api/v1/expense-claims/${claim.id}/pay`).send({ paidOn: today, account: '工行基本户' }));
    const paid = (await vouchersOf(claim.id)).find((v) => v.source?.type === 'expenseClaimPayment')!;
    expect(brief(paid.lines)).toEqual([['2241', '256.50', '0.00'], ['1002', '0.00', '256.50']]);
  });

  it('期末：转出未交增值税 103.33，城建税 7.23（两项附加免征），结转损益 利润 35.44', async () => {
    const vat = ok(await qian('post', `/api/v1/month-end/${P}/vatTransfer`)).body;
    expect(vat.figures).toEqual({ vatCreditBalance: '103.33' });
    expect(brief((await qian('get', `/api/v1/vouchers/${vat.voucher.id}`)).body.lines)).toEqual([['22210104', '103.33', '0.00'], ['222102', '0.00', '103.33']]);

    const tax = ok(await qian('post', `/api/v1/month-end/${P}/surcharges`)).body;
    expect(tax.figures).toEqual({ vatPayable: '103.33', sales: '1304.82', urbanConstructionTax: '7.23', educationSurcharge: '0.00', localEducationSurcharge: '0.00' });
    expect(brief((await qian('get', `/api/v1/vouchers/${tax.voucher.id}`)).body.lines)).toEqual([['5403', '7.23', '0.00'], ['222104', '0.00', '7.23']]);

    const pl = ok(await qian('post', `/api/v1/month-end/${P}/profitTransfer`)).body;
    expect(pl.figures).toEqual({ profit: '35.44' });
    expect(brief((await qian('get', `/api/v1/vouchers/${pl.voucher.id}`)).body.lines)).toEqual([
      ['5001', '1304.82', '0.00'], ['5401', '0.00', '1005.65'], ['5403', '0.00', '7.23'], ['5602', '0.00', '256.50'], ['3103', '0.00', '35.44'],
    ]);
  });

  it('本月全部凭证：记-0001 起连续，每张借贷相等，与上面逐张一致', async () => {
    const res = ok(await qian('get', `/api/v1/vouchers?period=${P}&sort=number&pageSize=50`));
    const items = res.body.items as Voucher[];
    expect(items.map((v) => v.number)).toEqual(Array.from({ length: 12 }, (_, i) => `记-${String(i + 1).padStart(4, '0')}`));
    expect(items.map((v) => v.source?.type ?? null)).toEqual([
      null, 'shipment', 'customerReceipt', 'receipt', 'purchaseInvoiceProvisionalReversal', 'purchaseInvoice', 'supplierPayment',
      'expenseClaim', 'expenseClaimPayment', 'monthEnd.vatTransfer', 'monthEnd.surcharges', 'monthEnd.profitTransfer',
    ]);
    for (const v of items) {
      const sum = (k: 'debit' | 'credit') => v.lines.reduce((s, l) => s + Math.round(Number(l[k]) * 100), 0);
      expect(sum('debit'), v.number).toBe(sum('credit'));
    }
  });

  it('科目余额表平衡；资产负债表 资产 = 负债 + 所有者权益；利润表 净利润 = 收入 − 成本 − 税金 − 费用', async () => {
    const tb = ok(await qian('get', `/api/v1/trial-balance?period=${P}`)).body;
    // Σ debit of the month's vouchers: 2,006.50 + 2,480.10 + 1,474.45 + 500 − 500 + 576.30 + 576.30
    //   + 256.50 + 256.50 + 103.33 + 7.23 + 1,304.82 = 9,042.03 (the red voucher counts negative).
    expect(tb.totals).toEqual({
      opening: { debit: '0.00', credit: '0.00' },
      period: { debit: '9042.03', credit: '9042.03' },
      closing: { debit: '2152.50', credit: '2152.50' },
    });
    const row = (code: string) => tb.rows.find((r: { code: string }) => r.code === code);
    expect([row('1002').closing, row('1403').closing, row('1405').closing, row('2221').closing, row('3001').closing, row('3103').closing]).toEqual([
      { debit: '641.65', credit: '0.00' }, { debit: '510.00', credit: '0.00' }, { debit: '1000.85', credit: '0.00' },
      { debit: '0.00', credit: '110.56' }, { debit: '0.00', credit: '2006.50' }, { debit: '0.00', credit: '35.44' },
    ]);

    const bs = ok(await qian('get', `/api/v1/balance-sheet?period=${P}`)).body;
    const line = (side: 'assets' | 'liabilitiesAndEquity', n: number) => bs[side].find((l: { row: number }) => l.row === n).current;
    // 货币资金, 应收账款, 存货, 原材料, 库存商品, 流动资产合计, 资产总计
    expect([1, 4, 9, 10, 12, 15, 30].map((n) => line('assets', n))).toEqual(['641.65', '0.00', '1510.85', '510.00', '1000.85', '2152.50', '2152.50']);
    // 应付账款, 应交税费, 负债合计, 实收资本, 未分配利润, 所有者权益合计, 负债和所有者权益总计
    expect([33, 36, 47, 48, 51, 52, 53].map((n) => line('liabilitiesAndEquity', n))).toEqual(['0.00', '110.56', '110.56', '2006.50', '35.44', '2041.94', '2152.50']);
    expect(bs).toMatchObject({ totalAssets: '2152.50', totalLiabilitiesAndEquity: '2152.50', balanced: true });

    const ps = ok(await qian('get', `/api/v1/profit-statement?period=${P}`)).body;
    const r = (n: number) => ps.lines.find((l: { row: number }) => l.row === n).current;
    // 营业收入, 营业成本, 税金及附加, 销售费用, 管理费用, 财务费用, 营业利润, 利润总额, 净利润
    expect([1, 2, 3, 11, 14, 18, 21, 30, 32].map(r)).toEqual(['1304.82', '1005.65', '7.23', '0.00', '256.50', '0.00', '35.44', '35.44', '35.44']);
    expect(ps.netProfit).toBe('35.44');
  });

  it('结账：本月关闭后再记账 409', async () => {
    expect(ok(await qian('post', `/api/v1/accounting-periods/${P}/close`)).body.state).toBe('closed');
    const late = await qian('post', '/api/v1/vouchers').send({ date: today, summary: '补记', lines: [{ accountId: id.acct5602, debit: '1' }, { accountId: id.acct1002, credit: '1' }] });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain(`会计期间 ${P} 已结账`);
  });
});

describe('结账前检查：本月单据都要有凭证', () => {
  it('发票、收款、采购发票、付款、报销批准与付款缺凭证时结账 409 并列出单据；期间仍未结账', async () => {
    ok(await boss('post', `/api/v1/accounting-periods/${P}/reopen`));
    // Documents of the month as if written before the books were kept here: each posts, then its voucher is taken away.
    const draft = ok(await qian('post', '/api/v1/sales-invoices').send({
      customerId: id.customer, kind: 'ordinary', invoiceDate: today, lines: [{ description: '运费', amountWithTax: '109', taxRate: '0.09' }],
    }), 201).body;
    const invoice = ok(await qian('post', `/api/v1/sales-invoices/${draft.id}/issue`).send({ invoiceNo: '26330000000000006002' })).body;
    const receipt = ok(await qian('post', '/api/v1/customer-receipts').send({ customerId: id.customer, amount: '109', receivedOn: today }), 201).body;
    const supplier = ok(await wang('post', '/api/v1/suppliers').send({ code: 'SST07', name: '故事六结账检查供应商' }), 201).body;
    const item = ok(await boss('post', '/api/v1/items').send({ code: 'ST6-RM-02', name: '故事六线材二', kind: 'raw', baseUnitId: id.kg }), 201).body;
    const po = ok(await wang('post', '/api/v1/purchase-orders').send({ supplierId: supplier.id, lines: [{ itemId: item.id, unitId: id.kg, quantity: '10', unitPrice: '1.13' }] }), 201).body;
    ok(await wang('post', `/api/v1/purchase-orders/${po.id}/confirm`));
    const rc = ok(await zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: po.lines[0].id, quantity: '10' }] }), 201).body;
    const pinv = ok(await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: supplier.id, invoiceNo: '26332000000000006002', invoiceType: 'special', invoiceDate: today,
      lines: [{ receiptLineId: rc.lines[0].id, quantity: '10', amount: '10.00', taxAmount: '1.30' }],
    }), 201).body;
    const pay = ok(await qian('post', '/api/v1/supplier-payments').send({ supplierId: supplier.id, amount: '11.30', paidOn: today, accountCode: '1002' }), 201).body;
    const claim = ok(await li('post', '/api/v1/expense-claims').send({ lines: [{ category: 'office', amount: '30' }] }), 201).body;
    const submitted = ok(await li('post', `/api/v1/expense-claims/${claim.id}/submit`)).body;
    ok(await zhang('post', `/api/v1/approvals/${submitted.approvalId}/decide`).send({ decision: 'agree' }));
    ok(await qian('post', `/api/v1/expense-claims/${claim.id}/pay`).send({ paidOn: today, account: '工行基本户' }));

    const sys = t.database.system;
    const sources = [invoice.id, receipt.id, pinv.id, pay.id, claim.id];
    // Every one of them did post (the invoice's free line is revenue at the invoice).
    expect(await sys.voucher.count({ where: { sourceId: { in: sources }, sourceType: { in: ['salesInvoice', 'customerReceipt', 'purchaseInvoice', 'supplierPayment', 'expenseClaim', 'expenseClaimPayment'] } } })).toBe(6);
    await sys.voucher.deleteMany({ where: { sourceId: { in: sources }, sourceType: { in: ['salesInvoice', 'customerReceipt', 'purchaseInvoice', 'supplierPayment', 'expenseClaim', 'expenseClaimPayment'] } } });

    const refused = await qian('post', `/api/v1/accounting-periods/${P}/close`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(`会计期间 ${P} 还有 6 张单据没有凭证（${[
      `收款单 ${receipt.number}`, `销售发票 ${invoice.number}`, `付款单 ${pay.number}`, `采购发票 ${pinv.number}`,
      `费用报销单 ${claim.number}`, `费用报销单（付款） ${claim.number}`,
    ].join('、')}），请先补记凭证再结账`);
    expect((await qian('get', '/api/v1/accounting-periods')).body.items.find((p: { period: string }) => p.period === P).state).toBe('open');
  });
});
