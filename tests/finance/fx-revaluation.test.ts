// 期末调汇 through the HTTP API on the real database, figures by hand. Customer C0029 (USD, 刘销售's).
// Order: 10 箱 M8 at USD 100/箱 含税 13 % → 价税合计 USD 1,000.00 (不含税 884.96), at the order's
// rate A = 7.12 (the seed's rate of today).
//   Shipment of 6 箱: USD 600.00 → 借 应收 4,272.00 (USD 600.00 @7.12) / 贷 收入 3,780.58
//     (884.96 × 0.6 = 530.98 × 7.12) / 贷 销项 491.42.
//   Invoice of all 10 箱: 4 箱 billed ahead: USD 400.00 → 借 应收 2,848.00 (USD 400.00 @7.12) /
//     贷 预收 2,520.37 (6,300.92 × 0.4) / 贷 销项 327.63 (819.08 × 0.4).
// Next month Q (all its rates set here): B = 7.20 on Q-10, C = 7.05 on Q's last day.
//   Receipt USD 300.00 on Q-10 against the order into 100202 银行存款—美元 at B: 2,160.00 → 借 100202 /
//     贷 应收, both USD 300.00; the order's 已收款 USD 300.00.
//   期末调汇 Q at C: 应收 USD 700.00 × 7.05 = 4,935.00 − (4,272 + 2,848 − 2,160 = 4,960.00) = −25.00;
//     100202 USD 300.00 × 7.05 = 2,115.00 − 2,160.00 = −45.00 → 贷 100202 45.00 / 贷 应收 25.00 /
//     借 财务费用 70.00 (汇兑损失). A rerun posts nothing.
// Month S (payables, EUR; receipt today at the seed's 7.73): PO 100 个 at EUR 1.13 含税 13 % → 暂估 100.00 × 7.73 = 773.00.
//   Invoice on S-05 in EUR (100.00 + 13.00) at 7.80: 780.00 + 101.40 → 贷 应付货款 881.40 (EUR 113.00 @7.80).
//   Payment EUR 50.00 on S-20 from 100203 银行存款—欧元 at 7.90: 395.00 → 借 应付货款 / 贷 100203, EUR 50.00.
//   期末调汇 S at 7.85: 应付 EUR −63.00 × 7.85 = −494.55 − (−881.40 + 395.00) = −8.15 (贷, a loss);
//     100203 EUR −50.00 × 7.85 = −392.50 − (−395.00) = +2.50 (借) → 借 财务费用 5.65.
// Month R after Q: a manual 应收 of GBP 100.00 @9.00 = 900.00; GBP has no rate → 409 naming GBP, nothing
// written; with GBP 9.10 from R-01: 100 × 9.10 − 900 = +10.00 → 借 应收 10.00 / 贷 财务费用 10.00 (收益).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { periodEnd } from '../../server/modules/finance/month-end/rules.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let qian: AuthedClient, liu: AuthedClient, zhao: AuthedClient, li: AuthedClient, wang: AuthedClient;
const id: Record<string, string> = {};
const acct: Record<string, string> = {};
type Line = { account: { code: string }; debit: string; credit: string; customer: { id: string } | null; currencyCode: string | null; amountForeign: string | null; rate: string | null };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit, l.currencyCode, l.amountForeign, l.rate]);
const vouchersOf = async (sourceId: string) => (await qian('get', `/api/v1/vouchers?sourceId=${sourceId}`)).body.items as { id: string; lines: Line[] }[];
const nextMonth = (period: string) => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const P = todayInShanghai().slice(0, 7);
const Q = nextMonth(P);
const R = nextMonth(Q);
const S = nextMonth(R);

beforeAll(async () => {
  t = await createTestApp();
  [qian, liu, zhao, li, wang] = await Promise.all([as(t, 'qian.kj'), as(t, 'liu.xs'), as(t, 'zhao.ck'), as(t, 'li.xs'), as(t, 'wang.cg')]);
  const sys = t.database.system;
  id.c29 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0029' } })).id;
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  id.usd = (await sys.currency.findFirstOrThrow({ where: { code: 'USD' } })).id;
  await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '100000', unitCost: '0.03' }]);
  // 银行存款 split into 人民币 and 美元 (外币核算 in USD).
  const accounts = (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[];
  const bank = accounts.find((a) => a.code === '1002')!.id;
  expect((await qian('post', '/api/v1/accounts').send({ parentId: bank, code: '100201', name: '人民币' })).status).toBe(201);
  const usdBank = await qian('post', '/api/v1/accounts').send({ parentId: bank, code: '100202', name: '美元', currencyCode: 'USD' });
  expect(usdBank.status, JSON.stringify(usdBank.body)).toBe(201);
  expect(usdBank.body).toMatchObject({ fullName: '银行存款—美元', fxAccounting: true, currencyCode: 'USD', postable: true });
  for (const a of (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[]) acct[a.code] = a.id;
  for (const [rateDate, rate] of [[`${Q}-10`, '7.20'], [periodEnd(Q), '7.05']]) {
    expect((await qian('post', `/api/v1/currencies/${id.usd}/rates`).send({ rateDate, rate })).status).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('期末调汇', () => {
  it('外币订单的发货、预开票、外币收款带外币金额；期末按月末汇率调整应收与外币银行存款，差额记财务费用；重复执行不再记账', async () => {
    const order = await liu('post', '/api/v1/sales-orders').send({ customerId: id.c29, lines: [{ itemId: id.m8, quantity: '10', listPrice: '100' }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body).toMatchObject({ currencyCode: 'USD', exchangeRate: '7.120000', totalWithTax: '1000.00' });
    expect((await liu('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    const lineId = order.body.lines[0].id;

    const sh = await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: lineId, quantity: '6' }] });
    expect(sh.status, JSON.stringify(sh.body)).toBe(201);
    const [vs] = await vouchersOf(sh.body.id);
    expect(brief(vs!.lines).slice(0, 3)).toEqual([
      ['1122', '4272.00', '0.00', 'USD', '600.00', '7.120000'],
      ['5001', '0.00', '3780.58', null, null, null],
      ['22210102', '0.00', '491.42', null, null, null],
    ]);

    const draft = await qian('post', '/api/v1/sales-invoices').send({ customerId: id.c29, orderId: order.body.id, kind: 'special', lines: [{ orderLineId: lineId, quantity: '10000' }] });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const inv = await qian('post', `/api/v1/sales-invoices/${draft.body.id}/issue`).send({ invoiceNo: '26330000000000009001' });
    expect(inv.status, JSON.stringify(inv.body)).toBe(200);
    expect(inv.body).toMatchObject({ amountWithTax: '7120.00', billedAhead: '2848.00' });
    const [vi] = await vouchersOf(draft.body.id);
    expect(brief(vi!.lines)).toEqual([
      ['1122', '2848.00', '0.00', 'USD', '400.00', '7.120000'],
      ['2203', '0.00', '2520.37', null, null, null],
      ['22210102', '0.00', '327.63', null, null, null],
    ]);

    // A USD receipt must go to a USD bank account; into 100202 it is converted at the day's rate.
    const wrong = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c29, amount: '300', currencyCode: 'USD', accountCode: '100201', receivedOn: `${Q}-10` });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0].field).toBe('body.accountCode');
    const cnyOnUsdOrder = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c29, orderId: order.body.id, amount: '300', accountCode: '100201', receivedOn: `${Q}-10` });
    expect(cnyOnUsdOrder.status).toBe(400);
    expect(cnyOnUsdOrder.body.error.details[0]).toMatchObject({ field: 'body.currencyCode', message: '订单币别为 USD，收款币别必须相同' });
    const rc = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c29, orderId: order.body.id, amount: '300', currencyCode: 'USD', accountCode: '100202', receivedOn: `${Q}-10` });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    expect(rc.body).toMatchObject({ amount: '2160.00', currencyCode: 'USD', amountForeign: '300.00', exchangeRate: '7.200000', advanceAmount: '0.00' });
    // the order's 已收款 is in USD
    expect((await liu('get', `/api/v1/sales-orders/${order.body.id}`)).body).toMatchObject({ advanceReceived: '300.00', paymentProgress: 'partial' });
    const [vr] = await vouchersOf(rc.body.id);
    expect(brief(vr!.lines)).toEqual([
      ['100202', '2160.00', '0.00', 'USD', '300.00', '7.200000'],
      ['1122', '0.00', '2160.00', 'USD', '300.00', '7.200000'],
    ]);

    // Someone without the month-end permission.
    expect((await li('post', `/api/v1/month-end/${Q}/fxRevaluation`)).status).toBe(403);

    const status = await qian('get', `/api/v1/month-end/${Q}`);
    expect(status.body.steps[0]).toMatchObject({ step: 'fxRevaluation', stepLabel: '期末调汇', pending: true, figures: { exchangeGain: '-70.00' }, note: '期末汇率：USD 7.050000' });
    const run = await qian('post', `/api/v1/month-end/${Q}/fxRevaluation`);
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const v = (await qian('get', `/api/v1/vouchers/${run.body.voucher.id}`)).body;
    expect(v.date).toBe(periodEnd(Q));
    expect(brief(v.lines)).toEqual([
      ['100202', '0.00', '45.00', 'USD', '0.00', '7.050000'],
      ['1122', '0.00', '25.00', 'USD', '0.00', '7.050000'],
      ['5603', '70.00', '0.00', null, null, null],
    ]);
    expect(v.lines[1].customer.id).toBe(id.c29);
    expect(v.lines[0].customer).toBeNull();

    const again = await qian('post', `/api/v1/month-end/${Q}/fxRevaluation`);
    expect(again.status).toBe(200);
    expect(again.body.voucher).toBeNull();
    expect(again.body.vouchers).toHaveLength(1);
    expect((await qian('get', `/api/v1/month-end/${Q}`)).body.steps[0]).toMatchObject({ pending: false, figures: { exchangeGain: '0.00' } });

    const tb = await qian('get', `/api/v1/trial-balance?period=${Q}`);
    expect(tb.status).toBe(200);
    // The customer's 明细账 shows the foreign amounts: opening 7,120.00 (USD 1,000), the receipt, the revaluation.
    const ledger = await qian('get', `/api/v1/ledger?period=${Q}&accountCode=1122&customerId=${id.c29}`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.opening).toEqual({ direction: '借', balance: '7120.00' });
    expect(ledger.body.entries.map((e: { credit: string; balance: string; foreign?: unknown }) => [e.credit, e.balance, e.foreign])).toEqual([
      ['2160.00', '4960.00', { currencyCode: 'USD', amount: '300.00', rate: '7.200000' }],
      ['25.00', '4935.00', { currencyCode: 'USD', amount: '0.00', rate: '7.050000' }],
    ]);
  });

  it('手工凭证的外币分录：外币核算科目要外币金额，本位币 = 外币 × 汇率；缺月末汇率 409 指明币别、不写入；补录后调汇记收益', async () => {
    const gbp = await qian('post', '/api/v1/currencies').send({ code: 'GBP', name: '英镑', symbol: '£' });
    expect(gbp.status, JSON.stringify(gbp.body)).toBe(201);
    const post = (lines: Record<string, unknown>[]) => qian('post', '/api/v1/vouchers').send({ date: `${R}-15`, summary: '英镑应收', lines });
    const credit = { accountId: acct['5051'], credit: '900' };
    const receivable = { accountId: acct['1122'], debit: '900', customerId: id.c29 };
    const bad: [Record<string, unknown>, string, string][] = [
      [{ ...receivable, currencyCode: 'GBP', amountForeign: '100', rate: '9.01' }, 'body.lines.0.amountForeign', '与本位币金额'],
      [{ ...receivable, currencyCode: 'GBP', rate: '9' }, 'body.lines.0.amountForeign', '外币金额'],
      [{ accountId: acct['1405'], debit: '900', currencyCode: 'GBP', amountForeign: '100', rate: '9' }, 'body.lines.0.currencyCode', '不是外币核算科目'],
      [{ accountId: acct['100202'], debit: '900' }, 'body.lines.0.currencyCode', '按 USD 外币核算'],
    ];
    const before = await t.database.system.voucher.count();
    for (const [line, field, text] of bad) {
      const res = await post([line, credit]);
      expect(res.status, JSON.stringify(line)).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
      expect(res.body.error.details[0].message).toContain(text);
    }
    const ok = await post([{ ...receivable, currencyCode: 'GBP', amountForeign: '100', rate: '9' }, credit]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(brief(ok.body.lines)).toEqual([['1122', '900.00', '0.00', 'GBP', '100.00', '9.000000'], ['5051', '0.00', '900.00', null, null, null]]);
    expect(await t.database.system.voucher.count()).toBe(before + 1);

    const missing = await qian('post', `/api/v1/month-end/${R}/fxRevaluation`);
    expect(missing.status).toBe(409);
    expect(missing.body.error.message).toContain(`没有 GBP 在 ${periodEnd(R)} 及之前的汇率`);
    expect(await t.database.system.voucher.count()).toBe(before + 1);
    expect((await qian('get', `/api/v1/month-end/${R}`)).body.steps[0].note).toContain('缺少 GBP');

    expect((await qian('post', `/api/v1/currencies/${gbp.body.id}/rates`).send({ rateDate: `${R}-01`, rate: '9.10' })).status).toBe(201);
    const run = await qian('post', `/api/v1/month-end/${R}/fxRevaluation`);
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    // USD is already at 7.05 (no newer rate): only GBP moves.
    const v = (await qian('get', `/api/v1/vouchers/${run.body.voucher.id}`)).body;
    expect(brief(v.lines)).toEqual([['1122', '10.00', '0.00', 'GBP', '0.00', '9.100000'], ['5603', '0.00', '10.00', null, null, null]]);

    // 红字冲销 of the GBP voucher negates the foreign amount too: GBP 0 left, its CNY 10.00 gain goes back.
    const red = await qian('post', `/api/v1/vouchers/${ok.body.id}/reverse`).send({ date: `${R}-20` });
    expect(red.status, JSON.stringify(red.body)).toBe(201);
    expect(brief(red.body.lines)[0]).toEqual(['1122', '-900.00', '0.00', 'GBP', '-100.00', '9.000000']);
    const back = await qian('post', `/api/v1/month-end/${R}/fxRevaluation`);
    expect(brief((await qian('get', `/api/v1/vouchers/${back.body.voucher.id}`)).body.lines)).toEqual([
      ['1122', '0.00', '10.00', 'GBP', '0.00', '9.100000'], ['5603', '10.00', '0.00', null, null, null],
    ]);
  });

  it('应付：外币发票按开票日汇率记应付货款（外币价税合计），外币付款按付款日汇率；期末按供应商调汇', async () => {
    const eur = (await t.database.system.currency.findFirstOrThrow({ where: { code: 'EUR' } })).id;
    for (const [rateDate, rate] of [[`${S}-05`, '7.80'], [`${S}-20`, '7.90'], [periodEnd(S), '7.85']]) {
      expect((await qian('post', `/api/v1/currencies/${eur}/rates`).send({ rateDate, rate })).status).toBe(201);
    }
    const bank = (await qian('get', '/api/v1/accounts')).body.items.find((a: { code: string }) => a.code === '1002').id;
    expect((await qian('post', '/api/v1/accounts').send({ parentId: bank, code: '100203', name: '欧元', currencyCode: 'EUR' })).status).toBe(201);
    const supplier = await wang('post', '/api/v1/suppliers').send({ code: 'SEUR01', name: 'Rhein Schrauben GmbH', currencyCode: 'EUR' });
    expect(supplier.status, JSON.stringify(supplier.body)).toBe(201);
    const a2 = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M6X20-A2' } })).id;
    const pcs = (await t.database.system.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId: supplier.body.id, lines: [{ itemId: a2, unitId: pcs, quantity: '100', unitPrice: '1.13', taxRate: '0.13' }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect(po.body).toMatchObject({ currencyCode: 'EUR', exchangeRate: '7.730000' });
    expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`)).status).toBe(200);
    const rc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({ lines: [{ orderLineId: po.body.lines[0].id, quantity: '100' }] });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    expect(rc.body.totalAmount).toBe('773.00');

    const inv = await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: supplier.body.id, invoiceNo: '26332000000000009101', invoiceType: 'special', invoiceDate: `${S}-05`, currencyCode: 'EUR',
      lines: [{ receiptLineId: rc.body.lines[0].id, quantity: '100', amount: '100.00', taxAmount: '13.00' }],
    });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body).toMatchObject({ amount: '780.00', taxAmount: '101.40', totalAmount: '881.40', currencyCode: 'EUR', totalForeign: '113.00', exchangeRate: '7.800000', provisionalAmount: '773.00' });
    const invLines = (await vouchersOf(inv.body.id)).flatMap((x) => brief(x.lines));
    expect(invLines.find((l) => l[0] === '220201')).toEqual(['220201', '0.00', '881.40', 'EUR', '113.00', '7.800000']);

    const noRate = await qian('post', '/api/v1/supplier-payments').send({ supplierId: supplier.body.id, amount: '50', currencyCode: 'EUR', paidOn: '2001-01-01', accountCode: '100203' });
    expect(noRate.status).toBe(400);
    expect(noRate.body.error.details[0].field).toBe('body.paidOn');
    const pay = await qian('post', '/api/v1/supplier-payments').send({ supplierId: supplier.body.id, amount: '50', currencyCode: 'EUR', paidOn: `${S}-20`, accountCode: '100203' });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    expect(pay.body).toMatchObject({ amount: '395.00', currencyCode: 'EUR', amountForeign: '50.00', exchangeRate: '7.900000', payableAmount: '395.00', advanceAmount: '0.00' });
    expect(brief((await vouchersOf(pay.body.id))[0]!.lines)).toEqual([
      ['220201', '395.00', '0.00', 'EUR', '50.00', '7.900000'],
      ['100203', '0.00', '395.00', 'EUR', '50.00', '7.900000'],
    ]);

    const run = await qian('post', `/api/v1/month-end/${S}/fxRevaluation`);
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const v = (await qian('get', `/api/v1/vouchers/${run.body.voucher.id}`)).body;
    expect(brief(v.lines)).toEqual([
      ['100203', '2.50', '0.00', 'EUR', '0.00', '7.850000'],
      ['220201', '0.00', '8.15', 'EUR', '0.00', '7.850000'],
      ['5603', '5.65', '0.00', null, null, null],
    ]);
    expect(v.lines[1].supplier.id).toBe(supplier.body.id);
  });
});
