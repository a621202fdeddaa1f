// 预收/预付 核销 through the HTTP API on the real database, figures by hand.
//   订单预收款: C0003's order 10 箱 M8 at ¥113 含税 13 % = 1,130.00 (1,000.00 + 130.00). Its advance
//   ¥1,130.00 (借 银行存款 / 贷 预收账款) is a 收款单 (all 预收); shipped and invoiced, matching it to the
//   invoice: 借 预收账款 1,130.00 / 贷 应收账款 1,130.00 (customer), invoice open 0.
//   外币预收: C0029 (USD) order 1 箱 at USD 100 at the order's rate 7.12 (the seed's today). Receipt
//   USD 100.00 on Q-10 at 7.20 into 100202 before any invoice: 720.00 all 预收. Shipped: 借 应收 712.00
//   (USD 100 @7.12). Matching 712.00 off the invoice takes USD 100 = 720.00 off the receipt:
//   借 预收 720.00 (USD 100 @7.20) / 贷 应收 712.00 (USD 100 @7.12) / 贷 财务费用 8.00 (汇兑收益).
//   外币预付: EUR supplier; payment EUR 100.00 on Q-12 at 7.90 from 100203 before any invoice: 790.00 all
//   预付. Invoice on Q-05: EUR 100.00 + 13.00 at 7.80 = 881.40. Settling 780.00 (EUR 100) of it:
//   借 应付货款 780.00 (EUR 100 @7.80) / 借 财务费用 10.00 / 贷 预付 790.00 (EUR 100 @7.90).
//   期末调汇 Q (USD 7.20, EUR 7.90 the latest rates): 预收, 应收, 预付 of these two are at 0 (foreign and
//   CNY) and are not touched; only 应付 EUR −13.00 × 7.90 = −102.70 vs −101.40 → 贷 1.30 / 借 财务费用 1.30.
//   An order advance after a 赊销 shipment (payment agreed later) moves its 待转销项税额 to 销项 like a receipt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodEnd } from '../../server/modules/finance/month-end/rules.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient, liu: AuthedClient, zhao: AuthedClient, wang: AuthedClient;
const id: Record<string, string> = {};
type Line = { account: { code: string }; debit: string; credit: string; customer: { id: string } | null; supplier: { id: string } | null; currencyCode: string | null; amountForeign: string | null; rate: string | null };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit, l.currencyCode, l.amountForeign, l.rate]);
const vouchersOf = async (sourceId: string) => (await qian('get', `/api/v1/vouchers?sourceId=${sourceId}`)).body.items as { id: string; lines: Line[] }[];
const counts = async () => ({ vouchers: await t.database.system.voucher.count(), matches: await t.database.system.arMatch.count() });
const P = todayInShanghai().slice(0, 7);
const [py, pm] = P.split('-').map(Number) as [number, number];
const Q = pm === 12 ? `${py + 1}-01` : `${py}-${String(pm + 1).padStart(2, '0')}`;

beforeAll(async () => {
  t = await createTestApp();
  [qian, li, liu, zhao, wang] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'liu.xs'), as(t, 'zhao.ck'), as(t, 'wang.cg')]);
  const sys = t.database.system;
  id.c3 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0003' } })).id;
  id.c29 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0029' } })).id;
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '100000', unitCost: '0.03' }]);
  const accounts = (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[];
  const bank = accounts.find((a) => a.code === '1002')!.id;
  for (const [code, name, currencyCode] of [['100201', '人民币', undefined], ['100202', '美元', 'USD'], ['100203', '欧元', 'EUR']]) {
    expect((await qian('post', '/api/v1/accounts').send({ parentId: bank, code, name, currencyCode })).status).toBe(201);
  }
  for (const [code, rateDate, rate] of [['USD', `${Q}-10`, '7.20'], ['EUR', `${Q}-05`, '7.80'], ['EUR', `${Q}-12`, '7.90']]) {
    const currency = (await sys.currency.findFirstOrThrow({ where: { code } })).id;
    expect((await qian('post', `/api/v1/currencies/${currency}/rates`).send({ rateDate, rate })).status).toBe(201);
  }
});
afterAll(async () => t?.close());

/** A confirmed order of `boxes` 箱 M8, shipped whole and invoiced whole. */
async function shippedAndInvoiced(client: AuthedClient, customerId: string, listPrice: string, invoiceNo: string, before?: (orderId: string) => Promise<void>) {
  const order = await client('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: id.m8, quantity: customerId === id.c3 ? '10' : '1', listPrice }] });
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  expect((await client('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
  await before?.(order.body.id);
  const line = order.body.lines[0];
  const sh = await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: line.id, quantity: line.quantity }] });
  expect(sh.status, JSON.stringify(sh.body)).toBe(201);
  const draft = await qian('post', '/api/v1/sales-invoices').send({ customerId, orderId: order.body.id, kind: 'special', lines: [{ orderLineId: line.id, quantity: line.baseQuantity }] });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const inv = await qian('post', `/api/v1/sales-invoices/${draft.body.id}/issue`).send({ invoiceNo });
  expect(inv.status, JSON.stringify(inv.body)).toBe(200);
  return { order: order.body, shipment: sh.body, invoice: inv.body };
}

describe('预收、预付核销', () => {
  it('订单预收款是一张收款单（全部预收）：发货开票后核销，借预收贷应收 1,130.00，发票未核销 0；超额核销 400 且不写入', async () => {
    let advance: { id: string; customerReceipt: { id: string; number: string } } | undefined;
    const { order, invoice } = await shippedAndInvoiced(li, id.c3!, '113', '26330000000000017001', async (orderId) => {
      // 银行存款 has 明细科目 here: the advance names one that takes postings (and is in the order's currency).
      const before = await counts();
      for (const [accountCode, message] of [[undefined, '有下级科目'], ['100202', '按 USD 核算']]) {
        const bad = await li('post', `/api/v1/sales-orders/${orderId}/advance-receipts`).send({ amount: '1130', accountCode });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].field).toBe('body.accountCode');
        expect(bad.body.error.details[0].message).toContain(message);
      }
      expect(await counts()).toEqual(before);
      const adv = await li('post', `/api/v1/sales-orders/${orderId}/advance-receipts`).send({ amount: '1130', method: '银行转账', accountCode: '100201' });
      expect(adv.status, JSON.stringify(adv.body)).toBe(201);
      expect(adv.body).toMatchObject({ advanceReceived: '1130.00', paymentProgress: 'full' });
      advance = adv.body.advanceReceipts[0];
      expect(advance!.customerReceipt.number).toMatch(/^SK-\d{8}-\d{4,}$/);
      // its voucher is still the advance's (借 银行存款 / 贷 预收账款), linked to GET /advance-receipts/:id
      const [va] = await vouchersOf(advance!.id);
      expect(brief(va!.lines)).toEqual([['100201', '1130.00', '0.00', null, null, null], ['2203', '0.00', '1130.00', null, null, null]]);
      expect((await li('get', `/api/v1/advance-receipts/${advance!.id}`)).body.id).toBe(orderId);
    });
    expect(order.totalWithTax).toBe('1130.00');
    expect(invoice).toMatchObject({ amount: '1000.00', taxAmount: '130.00', amountWithTax: '1130.00', openAmount: '1130.00' });

    const receipt = await qian('get', `/api/v1/customer-receipts/${advance!.customerReceipt.id}`);
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({
      number: advance!.customerReceipt.number, order: { id: order.id }, amount: '1130.00', advanceAmount: '1130.00', unmatchedAmount: '1130.00', accountCode: '100201', method: '银行转账',
    });
    // It is not a second receipt of the money: the order's 已收款 stays 1,130.00 and no other voucher.
    expect((await vouchersOf(receipt.body.id))).toHaveLength(0);

    const before = await counts();
    const over = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: invoice.id, customerReceiptId: receipt.body.id, amount: '1130.01' }] });
    expect(over.status).toBe(400);
    expect(over.body.error.details[0]).toMatchObject({ field: 'body.matches.0.amount' });
    expect(over.body.error.details[0].message).toContain('超过发票');
    expect(await counts()).toEqual(before);

    const m = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: invoice.id, customerReceiptId: receipt.body.id, amount: '1130' }] });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    expect(m.body.items[0]).toMatchObject({ amount: '1130.00', receiptAmount: '1130.00', amountForeign: null, fromAdvance: '1130.00' });
    const [vm] = await vouchersOf(m.body.items[0].id);
    expect(brief(vm!.lines)).toEqual([['2203', '1130.00', '0.00', null, null, null], ['1122', '0.00', '1130.00', null, null, null]]);
    expect(vm!.lines.every((l) => l.customer?.id === id.c3)).toBe(true);
    expect((await qian('get', `/api/v1/sales-invoices/${invoice.id}`)).body).toMatchObject({ matchedAmount: '1130.00', openAmount: '0.00' });
    expect((await qian('get', `/api/v1/customer-receipts/${receipt.body.id}`)).body.unmatchedAmount).toBe('0.00');
    expect((await li('get', `/api/v1/sales-orders/${order.id}`)).body).toMatchObject({ advanceReceived: '1130.00', paymentProgress: 'full' });
  });

  it('订单预收款也是收款的纳税义务时点：发货记入待转销项税额的，预收款凭证里转为销项税额', async () => {
    // 1 箱 at ¥100 含税 13 % = 88.50 + 11.50, payment agreed on Q-15: shipped → 贷 待转销项税额 11.50.
    const o = await li('post', '/api/v1/sales-orders').send({ customerId: id.c3, agreedPaymentDate: `${Q}-15`, lines: [{ itemId: id.m8, quantity: '1', listPrice: '100' }] });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    expect((await li('post', `/api/v1/sales-orders/${o.body.id}/confirm`).send({})).status).toBe(200);
    const sh = await zhao('post', `/api/v1/sales-orders/${o.body.id}/shipments`).send({ lines: [{ orderLineId: o.body.lines[0].id, quantity: '1' }] });
    expect(sh.status, JSON.stringify(sh.body)).toBe(201);
    expect(brief((await vouchersOf(sh.body.id))[0]!.lines).find((l) => l[0] === '222103')).toEqual(['222103', '0.00', '11.50', null, null, null]);
    const adv = await li('post', `/api/v1/sales-orders/${o.body.id}/advance-receipts`).send({ amount: '100', accountCode: '100201' });
    expect(adv.status, JSON.stringify(adv.body)).toBe(201);
    expect(brief((await vouchersOf(adv.body.advanceReceipts[0].id))[0]!.lines)).toEqual([
      ['100201', '100.00', '0.00', null, null, null],
      ['2203', '0.00', '100.00', null, null, null],
      ['222103', '11.50', '0.00', null, null, null],
      ['22210102', '0.00', '11.50', null, null, null],
    ]);
  });

  it('外币预收冲应收：外币金额与各自汇率，差额记汇兑损益；外币预付冲应付同样；期末调汇不再动这几个余额', async () => {
    let receiptId = '';
    const { invoice, shipment } = await shippedAndInvoiced(liu, id.c29!, '100', '26330000000000017002', async () => {
      const rc = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c29, amount: '100', currencyCode: 'USD', accountCode: '100202', receivedOn: `${Q}-10` });
      expect(rc.status, JSON.stringify(rc.body)).toBe(201);
      expect(rc.body).toMatchObject({ amount: '720.00', amountForeign: '100.00', exchangeRate: '7.200000', advanceAmount: '720.00' });
      expect(brief((await vouchersOf(rc.body.id))[0]!.lines)).toEqual([
        ['100202', '720.00', '0.00', 'USD', '100.00', '7.200000'],
        ['2203', '0.00', '720.00', 'USD', '100.00', '7.200000'],
      ]);
      receiptId = rc.body.id;
    });
    expect(brief((await vouchersOf(shipment.id))[0]!.lines)[0]).toEqual(['1122', '712.00', '0.00', 'USD', '100.00', '7.120000']);
    expect(invoice).toMatchObject({ amountWithTax: '712.00', openAmount: '712.00' });

    const m = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: invoice.id, customerReceiptId: receiptId, amount: '712' }] });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    expect(m.body.items[0]).toMatchObject({ amount: '712.00', receiptAmount: '720.00', amountForeign: '100.00', fromAdvance: '720.00' });
    const [vm] = await vouchersOf(m.body.items[0].id);
    expect(brief(vm!.lines)).toEqual([
      ['2203', '720.00', '0.00', 'USD', '100.00', '7.200000'],
      ['1122', '0.00', '712.00', 'USD', '100.00', '7.120000'],
      ['5603', '0.00', '8.00', null, null, null],
    ]);
    expect((await qian('get', `/api/v1/sales-invoices/${invoice.id}`)).body.openAmount).toBe('0.00');
    expect((await qian('get', `/api/v1/customer-receipts/${receiptId}`)).body.unmatchedAmount).toBe('0.00');
    // Cancelled: the reverse voucher, both documents open again; then matched again.
    const undo = await qian('post', `/api/v1/ar-matches/${m.body.items[0].id}/unmatch`).send({ reason: '核错发票' });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    const reversed = (await vouchersOf(m.body.items[0].id)).find((v) => v.id !== vm!.id)!;
    expect(brief(reversed.lines)).toEqual([
      ['1122', '712.00', '0.00', 'USD', '100.00', '7.120000'],
      ['2203', '0.00', '720.00', 'USD', '100.00', '7.200000'],
      ['5603', '8.00', '0.00', null, null, null],
    ]);
    expect((await qian('get', `/api/v1/sales-invoices/${invoice.id}`)).body.openAmount).toBe('712.00');
    expect((await qian('get', `/api/v1/customer-receipts/${receiptId}`)).body.unmatchedAmount).toBe('720.00');
    expect((await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: invoice.id, customerReceiptId: receiptId, amount: '712' }] })).status).toBe(201);

    // 应付: an EUR supplier paid EUR 100.00 before its invoice.
    const supplier = await wang('post', '/api/v1/suppliers').send({ code: 'SEUR17', name: 'Rhein Muttern GmbH', currencyCode: 'EUR' });
    expect(supplier.status, JSON.stringify(supplier.body)).toBe(201);
    const pay = await qian('post', '/api/v1/supplier-payments').send({ supplierId: supplier.body.id, amount: '100', currencyCode: 'EUR', paidOn: `${Q}-12`, accountCode: '100203' });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    expect(pay.body).toMatchObject({ amount: '790.00', advanceAmount: '790.00', payableAmount: '0.00' });
    const a2 = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M6X20-A2' } })).id;
    const pcs = (await t.database.system.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId: supplier.body.id, lines: [{ itemId: a2, unitId: pcs, quantity: '100', unitPrice: '1.13', taxRate: '0.13' }] });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`)).status).toBe(200);
    const prc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({ lines: [{ orderLineId: po.body.lines[0].id, quantity: '100' }] });
    expect(prc.status, JSON.stringify(prc.body)).toBe(201);
    const pinv = await qian('post', '/api/v1/purchase-invoices').send({
      supplierId: supplier.body.id, invoiceNo: '26332000000000017101', invoiceType: 'special', invoiceDate: `${Q}-05`, currencyCode: 'EUR',
      lines: [{ receiptLineId: prc.body.lines[0].id, quantity: '100', amount: '100.00', taxAmount: '13.00' }],
    });
    expect(pinv.status, JSON.stringify(pinv.body)).toBe(201);
    expect(pinv.body).toMatchObject({ totalAmount: '881.40', totalForeign: '113.00', exchangeRate: '7.800000' });
    const settle = await qian('post', '/api/v1/payable-settlements').send({ settledOn: `${Q}-15`, lines: [{ paymentId: pay.body.id, invoiceId: pinv.body.id, amount: '780' }] });
    expect(settle.status, JSON.stringify(settle.body)).toBe(201);
    expect(settle.body.items[0]).toMatchObject({ amount: '780.00', paymentAmount: '790.00', amountForeign: '100.00', fromAdvance: '790.00' });
    const settlementVoucher = (await vouchersOf(pay.body.id)).find((v) => v.lines.some((l) => l.account.code === '1123' && l.credit !== '0.00'))!;
    expect(brief(settlementVoucher.lines)).toEqual([
      ['220201', '780.00', '0.00', 'EUR', '100.00', '7.800000'],
      ['1123', '0.00', '790.00', 'EUR', '100.00', '7.900000'],
      ['5603', '10.00', '0.00', null, null, null],
    ]);
    expect(settlementVoucher.lines.slice(0, 2).every((l) => l.supplier?.id === supplier.body.id)).toBe(true);
    expect((await qian('get', `/api/v1/supplier-payments/${pay.body.id}`)).body.unsettledAmount).toBe('0.00');

    // Both parties' 预收 / 应收 / 预付 balances are 0 in foreign and CNY: the revaluation leaves them.
    const balances = await t.database.system.$queryRaw<{ code: string; foreign: string; base: string }[]>`
      SELECT a.code, coalesce(sum(CASE WHEN l.debit <> 0 THEN l.amount_foreign ELSE -l.amount_foreign END), 0)::text AS foreign, sum(l.debit - l.credit)::text AS base
        FROM voucher_line l JOIN account a ON a.id = l.account_id
       WHERE (a.code IN ('1122', '2203') AND l.customer_id = ${id.c29}::uuid) OR (a.code = '1123' AND l.supplier_id = ${supplier.body.id}::uuid)
       GROUP BY a.code ORDER BY a.code`;
    expect(balances).toEqual([{ code: '1122', foreign: '0.00', base: '0.00' }, { code: '1123', foreign: '0.00', base: '0.00' }, { code: '2203', foreign: '0.00', base: '0.00' }]);
    const run = await qian('post', `/api/v1/month-end/${Q}/fxRevaluation`);
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const v = (await qian('get', `/api/v1/vouchers/${run.body.voucher.id}`)).body;
    expect(v.date).toBe(periodEnd(Q));
    expect(brief(v.lines)).toEqual([['220201', '0.00', '1.30', 'EUR', '0.00', '7.900000'], ['5603', '1.30', '0.00', null, null, null]]);
  });
  it('外币订单的销售退货：冲应收的那一行也按订单币别与汇率记外币金额（与出库一致），退回后应收外币余额对得上', async () => {
    // 2 箱 at USD 100 (rate 7.12): shipped → 借 应收 1,424.00 (USD 200); 1 箱 back → 贷 应收 712.00 (USD 100)
    const order = await liu('post', '/api/v1/sales-orders').send({ customerId: id.c29, lines: [{ itemId: id.m8, quantity: '2', listPrice: '100' }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect((await liu('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    const line = order.body.lines[0];
    const sh = await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: line.id, quantity: '2' }] });
    expect(sh.status, JSON.stringify(sh.body)).toBe(201);
    expect(brief((await vouchersOf(sh.body.id))[0]!.lines)[0]).toEqual(['1122', '1424.00', '0.00', 'USD', '200.00', '7.120000']);
    const back = await zhao('post', `/api/v1/sales-orders/${order.body.id}/returns`).send({ lines: [{ orderLineId: line.id, quantity: '1' }], reason: '破损' });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    const receivable = brief((await vouchersOf(back.body.id))[0]!.lines).filter((l) => l[0] === '1122');
    expect(receivable).toEqual([['1122', '0.00', '712.00', 'USD', '100.00', '7.120000']]);
  });
});
