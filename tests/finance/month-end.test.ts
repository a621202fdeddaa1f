// 期末处理 and the statements through the HTTP API on the real database, figures worked out by hand:
// a December of manual vouchers (capital, a sale, a purchase, cost of sales, expenses, 进项税额转出,
// a receipt) → 转出未交增值税, 税金及附加 with 六税两费减半, 结转损益 and the year-end move into
// 未分配利润, each exact and each a no-op when run again; the balance sheet balances and the profit
// statement's net profit is revenue − costs − taxes − expenses; closing is refused until 结转损益,
// posting into the closed month is 409; the boss's dashboard and its once-a-day card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { addOpeningStock } from '../helpers/stock.ts';
import { as, createSecondCompany, customerInput, type AuthedClient } from '../helpers/factories.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { scheduleBossCards } from '../../server/modules/finance/dashboard/schedule.ts';

let t: TestApp;
let qian: AuthedClient, boss: AuthedClient, li: AuthedClient;
const acct: Record<string, string> = {};
let customerId = '';
const P = '2025-12';

beforeAll(async () => {
  t = await createTestApp();
  [qian, boss, li] = await Promise.all([as(t, 'qian.kj'), as(t, 'boss'), as(t, 'li.xs')]);
  for (const a of (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[]) acct[a.code] = a.id;
  customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
});
afterAll(async () => t?.close());

type L = [code: string, debit: string, credit: string, dims?: Record<string, string>];
async function post(date: string, summary: string, lines: L[]) {
  const res = await qian('post', '/api/v1/vouchers').send({
    date, summary, lines: lines.map(([code, debit, credit, dims]) => ({ accountId: acct[code], ...(debit !== '0' ? { debit } : { credit }), ...dims })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
type VLine = { account: { code: string }; debit: string; credit: string };
const brief = async (voucherId: string) => ((await qian('get', `/api/v1/vouchers/${voucherId}`)).body.lines as VLine[]).map((l) => [l.account.code, l.debit, l.credit]);

describe('期末处理（一般纳税人，2025 年 12 月）', () => {
  it('转出未交增值税、税金及附加（减半）、结转损益、年末转未分配利润，金额到分；重复执行不再记账；结账前必须结转损益', async () => {
    await post('2025-12-01', '投入资本', [['1002', '500000', '0'], ['3001', '0', '500000']]);
    await post('2025-12-05', '销售', [['1122', '226000', '0', { customerId }], ['5001', '0', '200000'], ['22210102', '0', '26000']]);
    await post('2025-12-06', '采购', [['1405', '100000', '0'], ['22210101', '13000', '0'], ['220201', '0', '113000']]);
    await post('2025-12-10', '结转成本', [['5401', '80000', '0'], ['1405', '0', '80000']]);
    await post('2025-12-15', '费用', [['5602', '10000', '0'], ['5601', '5000', '0'], ['5603', '300', '0'], ['1002', '0', '15300']]);
    await post('2025-12-20', '福利领用进项转出', [['5602', '1300', '0'], ['22210103', '0', '1300']]);
    await post('2025-12-25', '收款', [['1002', '100000', '0'], ['1122', '0', '100000', { customerId }]]);

    // Before 结转损益 the month cannot be closed.
    const early = await qian('post', `/api/v1/accounting-periods/${P}/close`);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('还没有结转损益');

    // 销项 26,000 − 进项 13,000 + 转出 1,300 = 14,300.00 未交.
    const vat = await qian('post', `/api/v1/month-end/${P}/vatTransfer`);
    expect(vat.status, JSON.stringify(vat.body)).toBe(200);
    expect(vat.body).toMatchObject({ stepLabel: '转出未交增值税', figures: { vatCreditBalance: '14300.00' } });
    expect(await brief(vat.body.voucher.id)).toEqual([['22210104', '14300.00', '0.00'], ['222102', '0.00', '14300.00']]);
    expect((await qian('get', `/api/v1/vouchers/${vat.body.voucher.id}`)).body).toMatchObject({
      date: '2025-12-31', source: { type: 'monthEnd.vatTransfer', label: '期末处理—转出未交增值税', number: '2025-12 转出未交增值税' },
    });
    const again = await qian('post', `/api/v1/month-end/${P}/vatTransfer`);
    expect(again.body).toMatchObject({ voucher: null, vouchers: [{ id: vat.body.voucher.id }] });

    // 六税两费减半: 城建 14,300 × 7 % × ½ = 500.50, 教育 × 3 % × ½ = 214.50, 地方教育 × 2 % × ½ = 143.00;
    // sales 200,000 > 100,000, so no exemption.
    const set = await qian('put', '/api/v1/finance-settings').send({ sixTaxesHalfRelief: true });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ sixTaxesHalfRelief: true, urbanConstructionTaxRate: '0.0700', surchargeExemptThreshold: '100000.00' });
    const tax = await qian('post', `/api/v1/month-end/${P}/surcharges`);
    expect(tax.status, JSON.stringify(tax.body)).toBe(200);
    expect(tax.body.figures).toEqual({ vatPayable: '14300.00', sales: '200000.00', urbanConstructionTax: '500.50', educationSurcharge: '214.50', localEducationSurcharge: '143.00' });
    expect(await brief(tax.body.voucher.id)).toEqual([['5403', '858.00', '0.00'], ['222104', '0.00', '500.50'], ['222105', '0.00', '214.50'], ['222106', '0.00', '143.00']]);
    expect((await qian('post', `/api/v1/month-end/${P}/surcharges`)).body.voucher).toBeNull();

    // 200,000 − 80,000 − 858 − 5,000 − 11,300 − 300 = 102,542.00 profit.
    const pl = await qian('post', `/api/v1/month-end/${P}/profitTransfer`);
    expect(pl.status).toBe(200);
    expect(pl.body.figures).toEqual({ profit: '102542.00' });
    expect(await brief(pl.body.voucher.id)).toEqual([
      ['5001', '200000.00', '0.00'], ['5401', '0.00', '80000.00'], ['5403', '0.00', '858.00'], ['5601', '0.00', '5000.00'],
      ['5602', '0.00', '11300.00'], ['5603', '0.00', '300.00'], ['3103', '0.00', '102542.00'],
    ]);
    expect((await qian('post', `/api/v1/month-end/${P}/profitTransfer`)).body.voucher).toBeNull();

    const ye = await qian('post', `/api/v1/month-end/${P}/yearEnd`);
    expect(ye.status).toBe(200);
    expect(await brief(ye.body.voucher.id)).toEqual([['3103', '102542.00', '0.00'], ['310401', '0.00', '102542.00']]);
    expect((await qian('post', '/api/v1/month-end/2025-11/yearEnd')).status).toBe(400);

    const status = await qian('get', `/api/v1/month-end/${P}`);
    expect(status.body.profitTransferred).toBe(true);
    expect(status.body.steps.map((s: { step: string; pending: boolean }) => [s.step, s.pending])).toEqual([
      // 所得税 was skipped in this story: 102,542.00 × 25 % is still to be booked.
      ['fxRevaluation', false], ['deferredOutputVat', false], ['vatTransfer', false], ['surcharges', false], ['incomeTax', true], ['profitTransfer', false], ['yearEnd', false],
    ]);

    // Statements of the month (the closing vouchers do not hide the profit).
    const ps = await qian('get', `/api/v1/profit-statement?period=${P}`);
    expect(ps.status).toBe(200);
    const row = (n: number) => ps.body.lines.find((l: { row: number }) => l.row === n);
    expect([1, 2, 3, 11, 14, 18, 21, 30, 32].map((n) => row(n).current)).toEqual([
      '200000.00', '80000.00', '858.00', '5000.00', '11300.00', '300.00', '102542.00', '102542.00', '102542.00',
    ]);
    expect(ps.body).toMatchObject({ netProfit: '102542.00', netProfitYear: '102542.00' });

    // Assets: bank 584,700 + AR 126,000 + stock 20,000 = 730,700; liabilities: AP 113,000 + taxes
    // (26,000 − 13,000 + 1,300 − 14,300 + 14,300 + 858) 15,158; equity 500,000 + 102,542.
    const bs = await qian('get', `/api/v1/balance-sheet?period=${P}`);
    expect(bs.status).toBe(200);
    const line = (side: 'assets' | 'liabilitiesAndEquity', n: number) => bs.body[side].find((l: { row: number }) => l.row === n).current;
    expect([1, 4, 9, 12, 15, 30].map((n) => line('assets', n))).toEqual(['584700.00', '126000.00', '20000.00', '20000.00', '730700.00', '730700.00']);
    expect([33, 36, 47, 48, 51, 52, 53].map((n) => line('liabilitiesAndEquity', n))).toEqual([
      '113000.00', '15158.00', '128158.00', '500000.00', '102542.00', '602542.00', '730700.00',
    ]);
    expect(bs.body).toMatchObject({ totalAssets: '730700.00', totalLiabilitiesAndEquity: '730700.00', balanced: true });

    // Cash flows from the bank lines' counter-accounts: 收款 100,000 (应收账款), 费用 15,300, 投资 500,000.
    const cf = await qian('get', `/api/v1/cash-flow-statement?period=${P}`);
    expect(cf.status).toBe(200);
    const flow = (n: number) => cf.body.lines.find((l: { row: number }) => l.row === n).current;
    expect([1, 3, 6, 7, 15, 19, 20, 21, 22].map(flow)).toEqual([
      '100000.00', '0.00', '15300.00', '84700.00', '500000.00', '500000.00', '584700.00', '0.00', '584700.00',
    ]);

    // Ledgers: 应收账款 of the customer, the bank journal.
    const ledger = await qian('get', `/api/v1/ledger?period=${P}&accountCode=1122&customerId=${customerId}`);
    expect(ledger.status, JSON.stringify(ledger.body)).toBe(200);
    expect(ledger.body.entries.map((e: { debit: string; credit: string; direction: string; balance: string }) => [e.debit, e.credit, e.direction, e.balance])).toEqual([
      ['226000.00', '0.00', '借', '226000.00'], ['0.00', '100000.00', '借', '126000.00'],
    ]);
    const cash = await qian('get', `/api/v1/cash-journal?period=${P}&accountCode=1002`);
    expect(cash.body.items[0]).toMatchObject({ totals: { debit: '600000.00', credit: '15300.00' }, closing: { direction: '借', balance: '584700.00' } });
    const xlsx = await qian('get', `/api/v1/balance-sheet/export?period=${P}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    for (const kind of ['trial-balance', 'profit-statement', 'cash-flow-statement']) expect((await qian('get', `/api/v1/${kind}/export?period=${P}`)).status).toBe(200);

    // Now the month closes; nothing more is posted into it, month end included.
    expect((await qian('post', `/api/v1/accounting-periods/${P}/close`)).status).toBe(200);
    const late = await qian('post', '/api/v1/vouchers').send({ date: '2025-12-31', summary: '补记', lines: [{ accountId: acct['5602'], debit: '1' }, { accountId: acct['1002'], credit: '1' }] });
    expect(late.status).toBe(409);
    expect((await qian('post', `/api/v1/month-end/${P}/profitTransfer`)).status).toBe(409);
  });

  it('小规模纳税人：不转出未交增值税；附加按本月应交增值税，销售额不超过 10 万免两项附加', async () => {
    const other = await createSecondCompany(t, 'SMALLCO');
    await t.database.system.company.update({ where: { id: other.companyId }, data: { taxpayerKind: 'smallScaleTaxpayer' } });
    const admin = await as(t, other.adminUsername, { companyCode: 'SMALLCO' });
    // The company's chart is written on first use (小规模: 应交增值税 is a leaf, no 销项/进项).
    const ids: Record<string, string> = {};
    for (const a of (await admin('get', '/api/v1/accounts')).body.items as { code: string; id: string }[]) ids[a.code] = a.id;
    expect(ids['22210102']).toBeUndefined();
    const sale = await admin('post', '/api/v1/vouchers').send({
      date: '2026-03-10', summary: '销售', lines: [{ accountId: ids['1122'], debit: '10300', customerId: other.customerId }, { accountId: ids['5001'], credit: '10000' }, { accountId: ids['222101'], credit: '300' }],
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const vat = await admin('post', '/api/v1/month-end/2026-03/vatTransfer');
    expect(vat.body).toMatchObject({ voucher: null, note: '小规模纳税人不设未交增值税，无需转出' });
    // 300 × 7 % = 21.00 城建税; sales 10,000 ≤ 100,000: 教育费附加 and 地方教育附加 exempt.
    const tax = await admin('post', '/api/v1/month-end/2026-03/surcharges');
    expect(tax.body.figures).toMatchObject({ vatPayable: '300.00', urbanConstructionTax: '21.00', educationSurcharge: '0.00', localEducationSurcharge: '0.00' });
    expect(tax.body.note).toContain('免征教育费附加和地方教育附加');
    const lines = (await admin('get', `/api/v1/vouchers/${tax.body.voucher.id}`)).body.lines as VLine[];
    expect(lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([
      ['5403', '21.00', '0.00'], ['222104', '0.00', '21.00'],
    ]);
  });

  it('坏输入与权限：未知步骤 400，错误的期间 400，税率超范围 400；销售员不能做期末处理、看报表', async () => {
    expect((await qian('post', '/api/v1/month-end/2026-01/depreciation')).status).toBe(400);
    expect((await qian('get', '/api/v1/balance-sheet?period=2026-13')).status).toBe(400);
    const bad = await qian('put', '/api/v1/finance-settings').send({ urbanConstructionTaxRate: '1.5', bossCardTime: '25:00' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('城市维护建设税税率');
    expect((await li('post', '/api/v1/month-end/2026-01/profitTransfer')).status).toBe(403);
    expect((await li('get', '/api/v1/profit-statement?period=2026-01')).status).toBe(403);
    expect((await li('get', '/api/v1/dashboard/boss')).status).toBe(403);
  });
});

describe('老板看板与每日卡片', () => {
  it('今日收付款、资金余额、逾期应收前 5 按凭证算；18:00 卡片每家公司每天只写一次', async () => {
    const today = todayInShanghai();
    const before = (await boss('get', '/api/v1/dashboard/boss')).body;
    const c = await boss('post', '/api/v1/customers').send(customerInput({ paymentTermDays: 30 }));
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const old = new Date(Date.now() + 8 * 3_600_000 - 60 * 86_400_000).toISOString().slice(0, 10);
    // 60 days ago 5,000 charged (past its 30-day term), today 1,000 more (not due): 5,000 overdue.
    await post(old, '旧欠', [['1122', '5000', '0', { customerId: c.body.id }], ['5001', '0', '5000']]);
    await post(today, '新欠', [['1122', '1000', '0', { customerId: c.body.id }], ['5001', '0', '1000']]);
    await post(today, '收款', [['1002', '800', '0'], ['1122', '0', '800', { customerId: c.body.id }]]);
    await post(today, '付房租', [['5602', '300', '0'], ['1002', '0', '300']]);
    await post(today, '提现', [['1001', '50', '0'], ['1002', '0', '50']]);
    // A shipment today: 1 箱 at ¥100 含税 13 % → 88.50 revenue (不含税).
    await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '1000', unitCost: '0.03' }]);
    const m8 = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
    const order = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: m8, quantity: '1', listPrice: '100' }] });
    expect((await li('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    const zhao = await as(t, 'zhao.ck');
    const shipped = await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: order.body.lines[0].id, quantity: '1' }] });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
    const after = await boss('get', '/api/v1/dashboard/boss');
    expect(after.status).toBe(200);
    const delta = (k: 'sales' | 'receipts' | 'payments' | 'cashBalance') => (Number(after.body[k]) - Number(before[k])).toFixed(2);
    expect([delta('sales'), delta('receipts'), delta('payments'), delta('cashBalance')]).toEqual(['88.50', '800.00', '300.00', '500.00']);
    // 6,000 − 800 = 5,200 owed, 1,000 of it within its term: 4,200 overdue.
    expect(after.body.overdueReceivables).toContainEqual({ customerId: c.body.id, customerName: c.body.name, amount: '4200.00' });
    expect(after.body.overdueReceivables.length).toBeLessThanOrEqual(5);

    const at = (hhmm: string) => new Date(`${today}T${hhmm}:00+08:00`);
    const companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    const count = () => t.database.system.outboxEvent.count({ where: { type: 'finance.bossDaily', companyId } });
    expect(await scheduleBossCards(t.database, at('17:59'))).toBe(0);
    expect(await count()).toBe(0);
    // Each company (the demo one and the one made above) gets its card at 18:00, then none again that day.
    expect(await scheduleBossCards(t.database, at('18:00'))).toBe(2);
    expect(await scheduleBossCards(t.database, at('18:30'))).toBe(0);
    expect(await count()).toBe(1);
    const events = await t.database.system.outboxEvent.findMany({ where: { type: 'finance.bossDaily', companyId } });
    expect(events).toHaveLength(1);
    expect(events[0]!.aggregateId).toBe(today);
    expect(events[0]!.payload).toMatchObject({ date: today, receipts: after.body.receipts, cashBalance: after.body.cashBalance });

    // The notice planner turns it into the boss's card on the platforms he is bound to.
    await planDeliveries(t.database, { debounceMs: 0, platforms: ['wecom'] });
    const cards = await t.database.system.noticeDelivery.findMany({ where: { idempotencyKey: { startsWith: 'boss-daily:' } } });
    expect(cards.map((n) => [n.platform, n.targetKind, n.targetId])).toEqual([['wecom', 'user', 'boss']]);
    expect((cards[0]!.card as { title: string }).title).toBe(`经营日报 ${today}`);
    expect(cards[0]!.text).toContain(c.body.name);
  });
});
