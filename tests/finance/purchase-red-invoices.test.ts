// 退货红字发票 through the HTTP API, figures by hand: a purchase return of goods already invoiced
// becomes a red invoice that reduces the original invoice's open amount (settled against it, no
// voucher of its own: the return's voucher holds 借 应付货款), so the AP sub-ledger (open invoices,
// statement, aging) agrees with 应付账款—应付货款 for the supplier; when the invoice was already paid
// the red invoice is owed by the supplier (借方余额 on 220201, 供应商欠款 on the statement) and is set
// off against a later invoice; a foreign-currency invoice's return carries its foreign 价税合计 and
// rate on the 应付货款 line; a return and a payment of the same invoice at once end consistent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let qian: AuthedClient, wang: AuthedClient, zhao: AuthedClient, boss: AuthedClient;
let kg: string;

const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const period = today.slice(0, 7);

type Line = { account: { code: string }; debit: string; credit: string; currencyCode: string | null; amountForeign: string | null; rate: string | null };
const vouchersOf = async (sourceId: string) => {
  const res = await qian('get', `/api/v1/vouchers?sourceId=${sourceId}&sort=number`);
  expect(res.status).toBe(200);
  return res.body.items as { summary: string; lines: Line[] }[];
};
/** 应付货款 for the supplier, signed: above 0 we owe (贷), below 0 the supplier owes us (借). */
const payableGoods = async (supplierId: string) => {
  const res = await qian('get', `/api/v1/ledger?period=${period}&accountCode=220201&supplierId=${supplierId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const c = res.body.closing as { direction: string; balance: string };
  return c.direction === '借' ? `-${c.balance}` : c.balance;
};
const aging = async (supplierId: string) => {
  const res = await qian('get', `/api/v1/payables?supplierId=${supplierId}`);
  expect(res.status).toBe(200);
  return res.body.items[0] as { openInvoices: string; unsettledPayments: string; unsettledCredits: string; balance: string } | undefined;
};
const statement = async (supplierId: string) => {
  const res = await wang('get', `/api/v1/supplier-statements/${supplierId}?dateFrom=${period}-01&dateTo=${today}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { closing: string; closingLabel: string; lines: { kind: string; kindLabel: string; number: string; invoiceNo: string | null; summary: string; increase: string; balance: string }[] };
};

/** A fresh supplier and raw item, an order of `quantity` KG at ¥11.30 含税 13 % (暂估 ¥10), received whole. */
async function received(code: string, quantity: string) {
  const supplier = await wang('post', '/api/v1/suppliers').send({ code: `S${code}`, name: `红字测试供应商 ${code}` });
  expect(supplier.status, JSON.stringify(supplier.body)).toBe(201);
  const item = await boss('post', '/api/v1/items').send({ code, name: `红字测试线材 ${code}`, kind: 'raw', baseUnitId: kg });
  expect(item.status, JSON.stringify(item.body)).toBe(201);
  const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId: supplier.body.id, lines: [{ itemId: item.body.id, unitId: kg, quantity, unitPrice: '11.30' }] });
  expect(po.status, JSON.stringify(po.body)).toBe(201);
  expect((await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`)).status).toBe(200);
  const orderLineId = po.body.lines[0].id as string;
  const rc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({ lines: [{ orderLineId, quantity }] });
  expect(rc.status, JSON.stringify(rc.body)).toBe(201);
  return { supplierId: supplier.body.id as string, orderId: po.body.id as string, orderLineId, receiptLineId: rc.body.lines[0].id as string };
}
const invoice = (supplierId: string, invoiceNo: string, receiptLineId: string, quantity: string, amount: string, taxAmount: string, currencyCode?: string) =>
  qian('post', '/api/v1/purchase-invoices').send({ supplierId, invoiceNo, invoiceType: 'special', invoiceDate: today, currencyCode, lines: [{ receiptLineId, quantity, amount, taxAmount }] });
const returned = (orderId: string, orderLineId: string, quantity: string) =>
  zhao('post', `/api/v1/purchase-orders/${orderId}/returns`).send({ reason: '质量不符', lines: [{ orderLineId, quantity }] });
const pay = (supplierId: string, amount: string, invoiceId: string) =>
  qian('post', '/api/v1/supplier-payments').send({ supplierId, amount, paidOn: today, accountCode: '1002', settlements: [{ invoiceId, amount }] });
const redInvoicesOf = async (returnId: string) => {
  const res = await qian('get', `/api/v1/purchase-red-invoices?returnId=${returnId}`);
  expect(res.status).toBe(200);
  return res.body.items as { id: string; number: string; totalAmount: string; inputVat: string; settledAmount: string; openAmount: string; originalInvoice: { id: string }; purchaseReturn: { id: string }; redInvoiceNo: string | null }[];
};

beforeAll(async () => {
  t = await createTestApp();
  [qian, wang, zhao, boss] = await Promise.all([as(t, 'qian.kj'), as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'boss')]);
  kg = (await t.database.system.unit.findFirstOrThrow({ where: { code: 'KG' } })).id;
});
afterAll(async () => t?.close());

describe('开票未付款后退货', () => {
  it('专票 1,186.50，退 20 → 红字发票 237.30 冲减原发票：未核销 949.20 = 应付货款余额；对账单红字行；付 949.20 后两边都是 0', async () => {
    const r = await received('RED-01', '100');
    // 100 × ¥10.50 = 1,050.00 + 13 % 136.50 = 1,186.50
    const inv = await invoice(r.supplierId, '26332000000000007101', r.receiptLineId, '100', '1050.00', '136.50');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    // 20 of 100: 价税 1,186.50 × 20/100 = 237.30, of it VAT 136.50 × 20/100 = 27.30
    const rt = await returned(r.orderId, r.orderLineId, '20');
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const [red, more] = await redInvoicesOf(rt.body.id);
    expect(more).toBeUndefined();
    expect(red).toMatchObject({
      totalAmount: '237.30', inputVat: '27.30', settledAmount: '237.30', openAmount: '0.00', redInvoiceNo: null,
      originalInvoice: { id: inv.body.id }, purchaseReturn: { id: rt.body.id },
    });
    // exactly one voucher holds the lines: the return's (the red invoice has none of its own)
    expect(await vouchersOf(red!.id)).toEqual([]);
    const [v] = await vouchersOf(rt.body.id);
    expect(v!.lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([['220201', '237.30', '0.00'], ['22210101', '0.00', '27.30'], ['1403', '0.00', '210.00']]);

    const after = await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`);
    expect(after.body).toMatchObject({ totalAmount: '1186.50', settledAmount: '237.30', openAmount: '949.20' });
    expect(await payableGoods(r.supplierId)).toBe('949.20');
    expect(await aging(r.supplierId)).toMatchObject({ openInvoices: '949.20', unsettledPayments: '0.00', unsettledCredits: '0.00', balance: '949.20' });
    const st = await statement(r.supplierId);
    expect(st.lines.map((l) => [l.kindLabel, l.number, l.increase, l.balance])).toEqual([
      ['发票', inv.body.number, '1186.50', '1186.50'],
      ['退货红字发票', red!.number, '-237.30', '949.20'],
    ]);
    expect(st.lines[1]!.summary).toBe(`退货 ${rt.body.number} 冲减发票 26332000000000007101`);
    expect(st).toMatchObject({ closing: '949.20', closingLabel: '应付供应商' });

    // The 数电红字发票号码 is recorded when it arrives; a malformed one is refused.
    const bad = await qian('patch', `/api/v1/purchase-red-invoices/${red!.id}`).send({ redInvoiceNo: '123' });
    expect(bad.status).toBe(400);
    expect((await wang('patch', `/api/v1/purchase-red-invoices/${red!.id}`).send({ redInvoiceNo: '26332000000000007199' })).status).toBe(403);
    const no = await qian('patch', `/api/v1/purchase-red-invoices/${red!.id}`).send({ redInvoiceNo: '26332000000000007199' });
    expect(no.status, JSON.stringify(no.body)).toBe(200);
    expect(no.body.redInvoiceNo).toBe('26332000000000007199');
    expect((await statement(r.supplierId)).lines[1]!.invoiceNo).toBe('26332000000000007199');

    // Paying what is open settles it: invoice open 0, 应付货款 0, nothing left in the aging.
    const paid = await pay(r.supplierId, '949.20', inv.body.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body).toMatchObject({ payableAmount: '949.20', advanceAmount: '0.00', unsettledAmount: '0.00' });
    expect((await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`)).body.openAmount).toBe('0.00');
    expect(await payableGoods(r.supplierId)).toBe('0.00');
    expect(await aging(r.supplierId)).toBeUndefined();
    expect(await statement(r.supplierId)).toMatchObject({ closing: '0.00', closingLabel: '已结清' });
  });
});

describe('已付清后退货', () => {
  it('付清 1,186.50 后退 20：红字发票 237.30 未抵扣，应付货款 借方 237.30，对账单 −237.30 供应商欠款；后来的发票 118.65 以红字发票抵扣', async () => {
    const r = await received('RED-02', '100');
    const inv = await invoice(r.supplierId, '26332000000000007201', r.receiptLineId, '100', '1050.00', '136.50');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect((await pay(r.supplierId, '1186.50', inv.body.id)).status).toBe(201);
    const rt = await returned(r.orderId, r.orderLineId, '20');
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const [red] = await redInvoicesOf(rt.body.id);
    expect(red).toMatchObject({ totalAmount: '237.30', settledAmount: '0.00', openAmount: '237.30' });
    expect(await payableGoods(r.supplierId)).toBe('-237.30');
    expect(await aging(r.supplierId)).toMatchObject({ openInvoices: '0.00', unsettledPayments: '0.00', unsettledCredits: '237.30', balance: '-237.30' });
    const st = await statement(r.supplierId);
    expect(st.lines.map((l) => [l.kind, l.increase, l.balance])).toEqual([['invoice', '1186.50', '1186.50'], ['payment', '0.00', '0.00'], ['redInvoice', '-237.30', '-237.30']]);
    expect(st).toMatchObject({ closing: '-237.30', closingLabel: '供应商欠款（可抵扣）' });

    // The supplier redelivers 10 KG and invoices them: 105.00 + 13.65 = 118.65, set off against the red invoice.
    const rc = await zhao('post', `/api/v1/purchase-orders/${r.orderId}/receipts`).send({ lines: [{ orderLineId: r.orderLineId, quantity: '10' }] });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    const later = await invoice(r.supplierId, '26332000000000007202', rc.body.lines[0].id, '10', '105.00', '13.65');
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    // bad input: both a payment and a red invoice, neither, more than the red invoice has open
    const both = await qian('post', '/api/v1/payable-settlements').send({ lines: [{ paymentId: red!.id, redInvoiceId: red!.id, invoiceId: later.body.id, amount: '1' }] });
    expect(both.status).toBe(400);
    expect((await qian('post', '/api/v1/payable-settlements').send({ lines: [{ invoiceId: later.body.id, amount: '1' }] })).status).toBe(400);
    const tooMuch = await qian('post', '/api/v1/payable-settlements').send({ lines: [{ redInvoiceId: red!.id, invoiceId: inv.body.id, amount: '1' }] });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toContain('未核销 ¥0.00');
    const vouchersBefore = await t.database.system.voucher.count();
    const set = await qian('post', '/api/v1/payable-settlements').send({ lines: [{ redInvoiceId: red!.id, invoiceId: later.body.id, amount: '118.65' }] });
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    expect(set.body.items[0]).toMatchObject({ paymentId: null, redInvoiceId: red!.id, redInvoiceNumber: red!.number, amount: '118.65', fromAdvance: '0.00' });
    expect(await t.database.system.voucher.count()).toBe(vouchersBefore); // both sides are 应付货款: nothing to post
    expect((await qian('get', `/api/v1/purchase-red-invoices/${red!.id}`)).body).toMatchObject({ settledAmount: '118.65', openAmount: '118.65' });
    expect((await qian('get', `/api/v1/purchase-invoices/${later.body.id}`)).body.openAmount).toBe('0.00');
    // 237.30 − 118.65 still owed by the supplier, in the ledger and in the sub-ledger alike
    expect(await payableGoods(r.supplierId)).toBe('-118.65');
    expect(await aging(r.supplierId)).toMatchObject({ openInvoices: '0.00', unsettledCredits: '118.65', balance: '-118.65' });
    expect((await statement(r.supplierId)).closing).toBe('-118.65');
  });
});

describe('外币发票的退货', () => {
  it('USD 发票 14.00 + 1.82 @7.12：退 5 of 10 → 借 应付货款 56.32（USD 7.91 @7.12），红字发票同币别', async () => {
    const r = await received('RED-03', '10');
    // 14.00 × 7.12 = 99.68, 1.82 × 7.12 = 12.96 (12.9584): 112.64, USD 15.82
    const inv = await invoice(r.supplierId, '26332000000000007301', r.receiptLineId, '10', '14.00', '1.82', 'USD');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect(inv.body).toMatchObject({ totalAmount: '112.64', totalForeign: '15.82', exchangeRate: '7.120000' });
    // 5 of 10: 112.64 / 2 = 56.32, VAT 12.96 / 2 = 6.48, cost 99.68 / 2 = 49.84; USD 15.82 × 56.32 / 112.64 = 7.91
    const rt = await returned(r.orderId, r.orderLineId, '5');
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const [v] = await vouchersOf(rt.body.id);
    expect(v!.lines.map((l) => [l.account.code, l.debit, l.credit, l.currencyCode, l.amountForeign, l.rate])).toEqual([
      ['220201', '56.32', '0.00', 'USD', '7.91', '7.120000'],
      ['22210101', '0.00', '6.48', null, null, null],
      ['1403', '0.00', '49.84', null, null, null],
    ]);
    const [red] = await redInvoicesOf(rt.body.id);
    expect(red).toMatchObject({ totalAmount: '56.32', currencyCode: 'USD', totalForeign: '7.91', exchangeRate: '7.120000', openAmount: '0.00' });
    expect((await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`)).body.openAmount).toBe('56.32');
    expect(await payableGoods(r.supplierId)).toBe('56.32');
  });
});

describe('退货与付款并发', () => {
  it('同一张发票同时退货 10 与付款 113.00 并核销：先到的算数，应付货款余额始终等于账龄余额', async () => {
    const r = await received('RED-04', '10');
    const inv = await invoice(r.supplierId, '26332000000000007401', r.receiptLineId, '10', '100.00', '13.00');
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    const [rt, paid] = await Promise.all([returned(r.orderId, r.orderLineId, '10'), pay(r.supplierId, '113.00', inv.body.id)]);
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const [red] = await redInvoicesOf(rt.body.id);
    if (paid.status === 201) {
      // paid first: the red invoice finds nothing open, the supplier owes us 113.00
      expect(red).toMatchObject({ totalAmount: '113.00', openAmount: '113.00' });
      expect(await payableGoods(r.supplierId)).toBe('-113.00');
      expect((await aging(r.supplierId))!.balance).toBe('-113.00');
    } else {
      // returned first: the invoice has nothing open, the payment with its settlement is refused whole
      expect(paid.status).toBe(400);
      expect(red).toMatchObject({ totalAmount: '113.00', settledAmount: '113.00' });
      expect(await payableGoods(r.supplierId)).toBe('0.00');
      expect(await aging(r.supplierId)).toBeUndefined();
    }
    expect((await qian('get', `/api/v1/purchase-invoices/${inv.body.id}`)).body.openAmount).toBe('0.00');
  });
});
