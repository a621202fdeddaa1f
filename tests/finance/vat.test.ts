// Issue 17's VAT timing and deductible input VAT through the HTTP API (one app for both, to keep the run short).
//
// 待转销项税额 (赊销 with an agreed payment date, 实施细则 第三十八条) through the HTTP API, figures by
// hand. Customer C0003, M8 at ¥100/箱 含税 13 %: 1 箱 = 88.50 + 11.50, 2 箱 = 176.99 + 23.01; opening
// stock at 0.03/个, so 1 箱 (1000 个) costs 30.00. Every order agrees payment on the 15th of next month.
//   O1: shipped → 贷 待转 11.50; the invoice moves it (借 待转 11.50 / 贷 销项 11.50); a receipt after: no move.
//   O2: shipped → 待转 11.50; month end of this month: nothing due; of next month: moved; again: nothing.
//   O3: 2 箱 shipped → 待转 23.01; a receipt of 50 moves it; a second receipt moves nothing.
//   O4: invoice, receipt and next month's step at once: 11.50 moved exactly once.
//   O7: 2 箱 shipped (待转 23.01), 1 箱 returned: 借 待转 11.50 (not 销项); next month's step moves 11.51.
//   O5 (agreed date not after the shipment) and O6 (paid before shipping): 销项 at shipment, as before.
//
// 报销的进项税额 through the HTTP API, figures by hand (公告2019年第39号 for the tickets, rates from the
// finance settings: 9 % / 3 %). 李销售's claim, approved by 张经理:
//   办公 专票 1,130.00, 税额 130.00                    → 费用 1,000.00, 进项 130.00
//   差旅 铁路 553.00: 553 ÷ 1.09 × 0.09 = 45.6606 → 45.66  → 费用 507.34
//   差旅 航空 1,350.00 (票价 1,200 + 燃油 100 + 民航发展基金 50): 1,300 ÷ 1.09 × 0.09 = 107.3394 → 107.34 → 费用 1,242.66
//   差旅 公路 103.00: 103 ÷ 1.03 × 0.03 = 3.00             → 费用 100.00
//   餐饮 普通发票 56.50                                   → 费用 56.50 (no deduction)
//   借 管理费用 办公 1,000.00 / 差旅 1,850.00 / 餐饮 56.50, 借 进项税额 286.00, 贷 其他应付款 3,192.50.
// A 小规模纳税人's 专票 claim puts the whole amount into expense.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { periodEnd } from '../../server/modules/finance/month-end/rules.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient, zhao: AuthedClient, zhang: AuthedClient;
let c3 = '', m8 = '';
const today = todayInShanghai();
const P = today.slice(0, 7);
const NEXT = (() => {
  const [y, m] = P.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
})();
const AGREED = `${NEXT}-15`;

type Line = { account: { code: string }; debit: string; credit: string };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit]);
const vouchersOf = async (sourceId: string) => (await qian('get', `/api/v1/vouchers?sourceId=${sourceId}`)).body.items as { lines: Line[]; date: string }[];
const voucher = async (id: string) => brief((await qian('get', `/api/v1/vouchers/${id}`)).body.lines as Line[]);

beforeAll(async () => {
  t = await createTestApp();
  [qian, li, zhao, zhang] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'zhao.ck'), as(t, 'zhang.jl')]);
  c3 = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0003' } })).id;
  m8 = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '100000', unitCost: '0.03' }]);
});
afterAll(async () => t?.close());

/** A confirmed order of `boxes` 箱 M8 agreeing payment on `agreed`; returns its id and line id. */
async function order(boxes: string, agreed: string | null = AGREED) {
  const o = await li('post', '/api/v1/sales-orders').send({ customerId: c3, agreedPaymentDate: agreed, lines: [{ itemId: m8, quantity: boxes, listPrice: '100' }] });
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  expect(o.body.agreedPaymentDate).toBe(agreed);
  expect((await li('post', `/api/v1/sales-orders/${o.body.id}/confirm`).send({})).status).toBe(200);
  return { id: o.body.id as string, line: o.body.lines[0].id as string };
}
async function ship(o: { id: string; line: string }, boxes: string) {
  const s = await zhao('post', `/api/v1/sales-orders/${o.id}/shipments`).send({ lines: [{ orderLineId: o.line, quantity: boxes }] });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  const [v] = await vouchersOf(s.body.id);
  return { id: s.body.id as string, lines: brief(v!.lines) };
}
async function draftInvoice(o: { id: string; line: string }, baseQty: string) {
  const d = await qian('post', '/api/v1/sales-invoices').send({ customerId: c3, orderId: o.id, kind: 'special', lines: [{ orderLineId: o.line, quantity: baseQty }] });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  return d.body.id as string;
}
const issue = (invoiceId: string, invoiceNo: string) => qian('post', `/api/v1/sales-invoices/${invoiceId}/issue`).send({ invoiceNo });
const receive = (orderId: string, amount: string) => qian('post', '/api/v1/customer-receipts').send({ customerId: c3, orderId, amount, receivedOn: today });
const monthEnd = (period: string) => qian('post', `/api/v1/month-end/${period}/deferredOutputVat`);
const deferredShipment = (id: string) => t.database.system.shipment.findUniqueOrThrow({ where: { id } });

const deferredAtShipment = (net: string, tax: string, withTax: string, cost: string) => [
  ['1122', withTax, '0.00'], ['5001', '0.00', net], ['222103', '0.00', tax], ['5401', cost, '0.00'], ['1405', '0.00', cost],
];
const moved = (tax: string) => [['222103', tax, '0.00'], ['22210102', '0.00', tax]];

describe('待转销项税额：约定收款日期晚于发货的赊销', () => {
  it('发货记待转销项税额；开票时转为销项税额，之后的收款不再转', async () => {
    const o1 = await order('1');
    const s1 = await ship(o1, '1');
    expect(s1.lines).toEqual(deferredAtShipment('88.50', '11.50', '100.00', '30.00'));
    expect(await deferredShipment(s1.id)).toMatchObject({ outputVatDueOn: new Date(`${AGREED}T00:00:00Z`), deferredVatMovedAt: null });

    const inv = await draftInvoice(o1, '1000');
    expect((await issue(inv, '26330000000000009001')).status).toBe(200);
    const [vi] = await vouchersOf(inv);
    expect(brief(vi!.lines)).toEqual(moved('11.50'));
    expect((await deferredShipment(s1.id)).deferredVatMovedBy).toMatch(/^销售发票 /);

    // Paid afterwards: only the money moves (open invoice 100.00 → all 应收).
    const r = await receive(o1.id, '100');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(brief((await vouchersOf(r.body.id))[0]!.lines)).toEqual([['1002', '100.00', '0.00'], ['1122', '0.00', '100.00']]);
  });

  it('期末「待转销项税额转出」只转约定日期已到的，重复执行不再记；转出未交增值税不含待转', async () => {
    const o2 = await order('1');
    const s2 = await ship(o2, '1');
    expect(s2.lines).toEqual(deferredAtShipment('88.50', '11.50', '100.00', '30.00'));

    // This month: the agreed date has not come.
    const now = await monthEnd(P);
    expect(now.status, JSON.stringify(now.body)).toBe(200);
    expect(now.body).toMatchObject({ stepLabel: '待转销项税额转出', voucher: null, figures: { dueCount: '0', deferredOutputVat: '0.00' } });

    // 转出未交增值税 counts 应交增值税 only: the 11.50 still waiting in 待转 is not payable this month.
    const tb = (await qian('get', `/api/v1/trial-balance?period=${P}`)).body.rows as { code: string; closing: { debit: string; credit: string } }[];
    const row = (code: string) => tb.find((r) => r.code === code)!;
    expect(row('222103').closing).toEqual({ debit: '0.00', credit: '11.50' });
    const vatNet = (Number(row('222101').closing.credit) - Number(row('222101').closing.debit)).toFixed(2);
    const status = (await qian('get', `/api/v1/month-end/${P}`)).body.steps as { step: string; pending: boolean; figures: Record<string, string> }[];
    expect(status.map((s) => s.step).slice(0, 3)).toEqual(['fxRevaluation', 'deferredOutputVat', 'vatTransfer']);
    expect(status[1]!.pending).toBe(false);
    expect(status[2]!.figures.vatCreditBalance).toBe(vatNet);

    // Next month, the month of the agreed date: moved, dated the month's end; a second run posts nothing.
    const pending = (await qian('get', `/api/v1/month-end/${NEXT}`)).body.steps[1];
    expect(pending).toMatchObject({ step: 'deferredOutputVat', pending: true, figures: { dueCount: '1', deferredOutputVat: '11.50' } });
    // Closing that month is refused while the shipment's 待转销项税额 waits.
    const early = await qian('post', `/api/v1/accounting-periods/${NEXT}/close`);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('待转销项税额未转出');
    const number = (await t.database.system.shipment.findUniqueOrThrow({ where: { id: s2.id } })).number;
    expect(early.body.error.message).toContain(number);
    const due = await monthEnd(NEXT);
    expect(due.status).toBe(200);
    expect(due.body.figures).toEqual({ dueCount: '1', deferredOutputVat: '11.50' });
    expect(await voucher(due.body.voucher.id)).toEqual(moved('11.50'));
    expect((await qian('get', `/api/v1/vouchers/${due.body.voucher.id}`)).body.date).toBe(periodEnd(NEXT));
    expect((await monthEnd(NEXT)).body.voucher).toBeNull();

    // The invoice that follows finds nothing left to move (its goods shipped: no voucher at all).
    const inv = await draftInvoice(o2, '1000');
    expect((await issue(inv, '26330000000000009002')).status).toBe(200);
    expect(await vouchersOf(inv)).toHaveLength(0);
  });

  it('收到货款时转为销项税额（该次发货的全额），再收款不再转', async () => {
    const o3 = await order('2');
    const s3 = await ship(o3, '2');
    expect(s3.lines).toEqual(deferredAtShipment('176.99', '23.01', '200.00', '60.00'));
    // C0003's open invoices not covered: O2's 100.00 → the 50.00 all goes to 应收.
    const r1 = await receive(o3.id, '50');
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    expect(brief((await vouchersOf(r1.body.id))[0]!.lines)).toEqual([['1002', '50.00', '0.00'], ['1122', '0.00', '50.00'], ...moved('23.01')]);
    const r2 = await receive(o3.id, '10');
    expect(brief((await vouchersOf(r2.body.id))[0]!.lines)).toEqual([['1002', '10.00', '0.00'], ['1122', '0.00', '10.00']]);
    expect((await monthEnd(NEXT)).body.voucher).toBeNull();
  });

  it('开票、收款和期末同时发生：只转一次', async () => {
    const o4 = await order('1');
    const s4 = await ship(o4, '1');
    const inv = await draftInvoice(o4, '1000');
    const [i, r, m] = await Promise.all([issue(inv, '26330000000000009004'), receive(o4.id, '20'), monthEnd(NEXT)]);
    expect([i.status, r.status, m.status]).toEqual([200, 201, 200]);
    const lines = [
      ...(await vouchersOf(inv)).flatMap((v) => brief(v.lines)),
      ...(await vouchersOf(r.body.id)).flatMap((v) => brief(v.lines)),
      ...(m.body.voucher ? await voucher(m.body.voucher.id) : []),
    ];
    expect(lines.filter((l) => l[0] === '222103')).toEqual([['222103', '11.50', '0.00']]);
    expect(lines.filter((l) => l[0] === '22210102')).toEqual([['22210102', '0.00', '11.50']]);
    expect((await deferredShipment(s4.id)).deferredVatMovedAt).not.toBeNull();
  });

  it('约定日期前退货：退回的税额冲待转销项税额，期末只转剩下的', async () => {
    const o7 = await order('2');
    const s7 = await ship(o7, '2');
    expect(s7.lines).toEqual(deferredAtShipment('176.99', '23.01', '200.00', '60.00'));
    const ret = await zhao('post', `/api/v1/sales-orders/${o7.id}/returns`).send({ lines: [{ orderLineId: o7.line, quantity: '1' }], reason: '包装破损' });
    expect(ret.status, JSON.stringify(ret.body)).toBe(201);
    expect(brief((await vouchersOf(ret.body.id))[0]!.lines)).toEqual([
      ['5001', '88.50', '0.00'], ['222103', '11.50', '0.00'], ['1122', '0.00', '100.00'], ['1405', '30.00', '0.00'], ['5401', '0.00', '30.00'],
    ]);
    expect(await deferredShipment(s7.id)).toMatchObject({ deferredVatMovedAt: null });
    expect((await deferredShipment(s7.id)).deferredOutputVat.toFixed(2)).toBe('11.51');
    const due = await monthEnd(NEXT);
    expect(due.body.figures).toEqual({ dueCount: '1', deferredOutputVat: '11.51' });
    expect(await voucher(due.body.voucher.id)).toEqual(moved('11.51'));
  });

  it('约定日期不晚于发货、或发货前已收款：发货时即记销项税额（与以前相同）；日期格式错误 400', async () => {
    const o5 = await order('1', today);
    expect((await ship(o5, '1')).lines).toEqual([['1122', '100.00', '0.00'], ['5001', '0.00', '88.50'], ['22210102', '0.00', '11.50'], ['5401', '30.00', '0.00'], ['1405', '0.00', '30.00']]);
    const o6 = await order('1');
    expect((await receive(o6.id, '10')).status).toBe(201);
    const s6 = await ship(o6, '1');
    expect(s6.lines[2]).toEqual(['22210102', '0.00', '11.50']);
    expect((await deferredShipment(s6.id)).deferredOutputVat.toFixed(2)).toBe('0.00');

    const bad = await li('post', '/api/v1/sales-orders').send({ customerId: c3, agreedPaymentDate: '2027-13-40', lines: [{ itemId: m8, quantity: '1', listPrice: '100' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('约定收款日期');
  });
});

async function approved(lines: Record<string, unknown>[]) {
  const created = await li('post', '/api/v1/expense-claims').send({ lines });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const submitted = (await li('post', `/api/v1/expense-claims/${created.body.id}/submit`)).body;
  expect((await zhang('post', `/api/v1/approvals/${submitted.approvalId}/decide`).send({ decision: 'agree' })).status).toBe(200);
  const [v] = await vouchersOf(created.body.id);
  return { claim: created.body, voucher: brief(v!.lines) };
}

describe('待转销项税额：不关联订单的收款', () => {
  it('只用超出未结发票的部分（预收）转出；只够付已开票的不转', async () => {
    const o8 = await order('1');
    await ship(o8, '1');
    // A free-line invoice of 50.00 (no order): a receipt of 50.00 without an order pays it, moving nothing.
    const free = await qian('post', '/api/v1/sales-invoices').send({ customerId: c3, kind: 'ordinary', lines: [{ description: '服务费', amountWithTax: '50', taxRate: '0.06' }] });
    expect((await issue(free.body.id, '26330000000000009008')).status).toBe(200);
    const paysInvoice = await qian('post', '/api/v1/customer-receipts').send({ customerId: c3, amount: '50', receivedOn: today });
    expect(paysInvoice.body.advanceAmount).toBe('0.00');
    expect(brief((await vouchersOf(paysInvoice.body.id))[0]!.lines)).toEqual([['1002', '50.00', '0.00'], ['1122', '0.00', '50.00']]);
    // 1,000.00 is more than every open invoice: its advance part reaches O8's shipment.
    const more = await qian('post', '/api/v1/customer-receipts').send({ customerId: c3, amount: '1000', receivedOn: today });
    expect(Number(more.body.advanceAmount)).toBeGreaterThan(0);
    expect(brief((await vouchersOf(more.body.id))[0]!.lines).filter((l) => String(l[0]).startsWith('2221'))).toEqual(moved('11.50'));
  });
});

describe('费用报销的进项税额', () => {
  it('专票按票面税额、客票按规定计算抵扣进项税额；普通发票全额计入费用', async () => {
    const settings = (await qian('get', '/api/v1/finance-settings')).body;
    expect(settings).toMatchObject({ airRailPassengerVatRate: '0.0900', roadWaterPassengerVatRate: '0.0300' });
    const { claim, voucher } = await approved([
      { category: 'office', amount: '1130', invoiceKind: 'special', taxAmount: '130', invoiceNo: '26330000000000007001' },
      { category: 'travel', amount: '553', invoiceKind: 'railTicket' },
      { category: 'travel', amount: '1350', invoiceKind: 'airTicket', fareAndFuel: '1300' },
      { category: 'travel', amount: '103', invoiceKind: 'roadWaterTicket', taxAmount: '3.00' },
      { category: 'meal', amount: '56.50', invoiceNo: '26330000000000007002' },
    ]);
    expect(claim.totalAmount).toBe('3192.50');
    expect(claim.lines.map((l: { invoiceKind: string; invoiceKindLabel: string; taxAmount: string }) => [l.invoiceKind, l.taxAmount])).toEqual([
      ['special', '130.00'], ['railTicket', '45.66'], ['airTicket', '107.34'], ['roadWaterTicket', '3.00'], ['ordinary', '0.00'],
    ]);
    expect(claim.lines[1].invoiceKindLabel).toBe('旅客运输电子客票-铁路');
    expect(voucher).toEqual([
      ['5602', '1000.00', '0.00'], ['5602', '1850.00', '0.00'], ['5602', '56.50', '0.00'], ['22210101', '286.00', '0.00'], ['2241', '0.00', '3192.50'],
    ]);
  });

  it('小规模纳税人：专票税额也计入费用，不记进项税额', async () => {
    const company = await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    await t.database.system.company.update({ where: { id: company.id }, data: { taxpayerKind: 'smallScaleTaxpayer' } });
    try {
      const { claim, voucher } = await approved([{ category: 'office', amount: '1130', invoiceKind: 'special', taxAmount: '130' }]);
      expect(claim.lines[0].taxAmount).toBe('130.00');
      expect(voucher).toEqual([['5602', '1130.00', '0.00'], ['2241', '0.00', '1130.00']]);
    } finally {
      await t.database.system.company.update({ where: { id: company.id }, data: { taxpayerKind: 'generalTaxpayer' } });
    }
  });

  it('坏输入 400 且不写：税额大于金额、负数、专票未填税额、客票税额与计算不符、无发票填税额', async () => {
    const before = await t.database.system.expenseClaim.count();
    const refuse = async (line: Record<string, unknown>, text: string) => {
      const res = await li('post', '/api/v1/expense-claims').send({ lines: [{ category: 'office', amount: '100', ...line }] });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.message).toContain(text);
    };
    await refuse({ invoiceKind: 'special', taxAmount: '200' }, '第 1 行税额 200.00 不能大于金额 100.00');
    await refuse({ invoiceKind: 'special', taxAmount: '-1' }, '税额');
    await refuse({ invoiceKind: 'special' }, '增值税专用发票请填写税额');
    await refuse({ invoiceKind: 'railTicket', taxAmount: '9' }, '旅客运输电子客票-铁路的税额按规定计算为 8.26');
    await refuse({ invoiceKind: 'none', taxAmount: '1' }, '无发票的明细不能填写税额');
    await refuse({ invoiceKind: 'railTicket', fareAndFuel: '90' }, '只有航空客票填写票价+燃油附加费');
    await refuse({ invoiceKind: 'vat' }, '发票类型');
    expect(await t.database.system.expenseClaim.count()).toBe(before);
  });
});
