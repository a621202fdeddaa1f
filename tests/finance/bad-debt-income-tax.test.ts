// 坏账核销 and 所得税 (应付税款法) through the HTTP API on the real database, figures by hand.
//   Bad debt: C0003 (李销售's), free line 运费 ¥109.00 at 9 % (100.00 + 9.00), invoiced 2026-11-02;
//   receipt 40.00 matched → open 69.00; written off 2026-11-20: 借 5711 69.00 / 贷 1122 69.00 (customer).
//   Income tax: 2025-10 revenue 1,500.00, 管理费用 500.00 → 利润总额 1,000.00 × 25 % = 250.00;
//   2025-09 a 300.00 expense only → a loss month, no tax.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient;
const id: Record<string, string> = {};
const acct: Record<string, string> = {};
type Line = { account: { code: string }; debit: string; credit: string; customer: { id: string } | null };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit]);
const vouchersOf = async (sourceId: string) => (await qian('get', `/api/v1/vouchers?sourceId=${sourceId}`)).body.items as { lines: Line[]; date: string; source: { type: string } }[];

beforeAll(async () => {
  t = await createTestApp();
  [qian, li] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs')]);
  id.c3 = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0003' } })).id;
  for (const a of (await qian('get', '/api/v1/accounts')).body.items as { code: string; id: string }[]) acct[a.code] = a.id;
});
afterAll(async () => t?.close());

describe('坏账核销', () => {
  it('未收金额转营业外支出，之后未收为 0、账龄不再列、对账单列出核销；重复 409、并发只一次、销售员 403', async () => {
    const draft = await qian('post', '/api/v1/sales-invoices').send({ customerId: id.c3, kind: 'ordinary', invoiceDate: '2026-11-02', lines: [{ description: '运费', amountWithTax: '109', taxRate: '0.09' }] });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    id.inv = draft.body.id;
    // A draft cannot be written off.
    expect((await qian('post', `/api/v1/sales-invoices/${id.inv}/write-off`).send({ reason: '客户破产' })).status).toBe(409);
    expect((await qian('post', `/api/v1/sales-invoices/${id.inv}/issue`).send({ invoiceNo: '26330000000000000901' })).status).toBe(200);
    const r = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c3, amount: '40', receivedOn: '2026-11-05' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.inv, customerReceiptId: r.body.id, amount: '40' }] })).status).toBe(201);

    // Bad input and permission first: nothing written.
    expect((await qian('post', `/api/v1/sales-invoices/${id.inv}/write-off`).send({ reason: '' })).status).toBe(400);
    expect((await li('post', `/api/v1/sales-invoices/${id.inv}/write-off`).send({ reason: '客户破产' })).status).toBe(403);

    const [a, b] = await Promise.all([
      qian('post', `/api/v1/sales-invoices/${id.inv}/write-off`).send({ reason: '客户破产', date: '2026-11-20' }),
      qian('post', `/api/v1/sales-invoices/${id.inv}/write-off`).send({ reason: '客户破产', date: '2026-11-20' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const ok = a.status === 200 ? a : b;
    expect(ok.body).toMatchObject({ amountWithTax: '109.00', openAmount: '0.00', writtenOffAmount: '69.00', writtenOffOn: '2026-11-20', writeOffReason: '客户破产' });
    expect((await qian('post', `/api/v1/sales-invoices/${id.inv}/write-off`).send({ reason: '再来一次' })).status).toBe(409);

    const vs = (await vouchersOf(id.inv!)).filter((v) => v.source.type === 'arWriteOff');
    expect(vs).toHaveLength(1);
    expect(vs[0]!.date).toBe('2026-11-20');
    expect(brief(vs[0]!.lines)).toEqual([['5711', '69.00', '0.00'], ['1122', '0.00', '69.00']]);
    expect(vs[0]!.lines.every((l) => l.customer?.id === id.c3)).toBe(true);

    // No longer open: aging (as of a day after the write-off) and the open-only list leave it out.
    const aging = await qian('get', `/api/v1/receivables/aging?asOf=2026-12-31&customerId=${id.c3}`);
    expect(aging.body.totals.total).toBe('0.00');
    const open = await qian('get', `/api/v1/sales-invoices?customerId=${id.c3}&openOnly=true`);
    expect(open.body.items.map((i: { id: string }) => i.id)).not.toContain(id.inv);
    // Before the write-off day it was still open: 69.00.
    expect((await qian('get', `/api/v1/receivables/aging?asOf=2026-11-10&customerId=${id.c3}`)).body.totals.total).toBe('69.00');

    const st = await qian('get', `/api/v1/receivables/customers/${id.c3}/statement?from=2026-11-01&to=2026-11-30`);
    expect(st.status).toBe(200);
    expect(st.body).toMatchObject({ opening: '0.00', invoiced: '109.00', received: '40.00', writtenOff: '69.00', closing: '0.00' });
    expect(st.body.lines.map((l: { kind: string; credit: string; balance: string }) => [l.kind, l.credit, l.balance])).toEqual([
      ['invoice', '0.00', '109.00'], ['receipt', '40.00', '69.00'], ['writeOff', '69.00', '0.00'],
    ]);
    // The match cannot be cancelled any more (it would reopen a written-off amount).
    const m = await qian('get', `/api/v1/ar-matches?invoiceId=${id.inv}`);
    expect((await qian('post', `/api/v1/ar-matches/${m.body.items[0].id}/unmatch`).send({ reason: '错了' })).status).toBe(409);
    const audit = await t.database.system.auditLog.findMany({ where: { entityId: id.inv, action: 'writeOff' } });
    expect(audit).toHaveLength(1);
  });
  it('核销的坏账不再占用信用额度：额度 ¥100，欠 ¥69 时 ¥50 的订单被拒，核销后可确认', async () => {
    const sys = t.database.system;
    const companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    const owner = await sys.user.findFirstOrThrow({ where: { username: 'admin' } });
    const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
    const customer = await sys.customer.create({ data: { companyId, code: `BAD-CREDIT-${Date.now()}`, name: '坏账额度测试客户', ownerId: owner.id, creditLimit: '100' } });
    const item = await sys.item.create({ data: { companyId, code: `BAD-CREDIT-${Date.now()}`, name: '额度测试服务', kind: 'service', baseUnitId: pcs.id, salePrice: '50' } });
    const inv = await qian('post', '/api/v1/sales-invoices').send({ customerId: customer.id, kind: 'ordinary', invoiceDate: '2026-11-02', lines: [{ description: '运费', amountWithTax: '109', taxRate: '0.09' }] });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    expect((await qian('post', `/api/v1/sales-invoices/${inv.body.id}/issue`).send({ invoiceNo: '26330000000000000902' })).status).toBe(200);
    expect((await qian('post', '/api/v1/customer-receipts').send({ customerId: customer.id, amount: '40', receivedOn: '2026-11-05' })).status).toBe(201);

    const admin = await as(t, 'admin');
    const order = await admin('post', '/api/v1/sales-orders').send({ customerId: customer.id, lines: [{ itemId: item.id, quantity: '1', taxRate: '0' }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const refused = await admin('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/^超出信用额度：额度 ¥100\.00，已占用 ¥69\.00，本单 ¥50\.00/);

    expect((await qian('post', `/api/v1/sales-invoices/${inv.body.id}/write-off`).send({ reason: '客户失联', date: '2026-11-20' })).status).toBe(200);
    const confirmed = await admin('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  });
});

describe('所得税（应付税款法）', () => {
  type L = [code: string, debit: string, credit: string];
  const post = async (date: string, summary: string, lines: L[]) => {
    const res = await qian('post', '/api/v1/vouchers').send({ date, summary, lines: lines.map(([code, debit, credit]) => ({ accountId: acct[code], ...(debit !== '0' ? { debit } : { credit }) })) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  it('利润 1,000.00 × 25 % = 250.00，重复执行不再记账，结转损益包括所得税费用；亏损月不计提', async () => {
    expect((await qian('get', '/api/v1/finance-settings')).body.incomeTaxRate).toBe('0.2500');
    await post('2025-10-10', '销售', [['1002', '1500', '0'], ['5001', '0', '1500']]);
    await post('2025-10-20', '费用', [['5602', '500', '0'], ['1002', '0', '500']]);
    const tax = await qian('post', '/api/v1/month-end/2025-10/incomeTax');
    expect(tax.status, JSON.stringify(tax.body)).toBe(200);
    expect(tax.body).toMatchObject({ stepLabel: '计提所得税', figures: { profitBeforeTax: '1000.00', rate: '0.2500', incomeTax: '250.00' } });
    const lines = (await qian('get', `/api/v1/vouchers/${tax.body.voucher.id}`)).body.lines as Line[];
    expect(brief(lines)).toEqual([['5801', '250.00', '0.00'], ['222107', '0.00', '250.00']]);
    expect((await qian('post', '/api/v1/month-end/2025-10/incomeTax')).body.voucher).toBeNull();

    const pl = await qian('post', '/api/v1/month-end/2025-10/profitTransfer');
    expect(pl.body.figures).toEqual({ profit: '750.00' });
    expect(brief((await qian('get', `/api/v1/vouchers/${pl.body.voucher.id}`)).body.lines)).toEqual([
      ['5001', '1500.00', '0.00'], ['5602', '0.00', '500.00'], ['5801', '0.00', '250.00'], ['3103', '0.00', '750.00'],
    ]);
    // Run again after 结转损益: the month's profit is still 1,000.00 and its tax booked, nothing more.
    expect((await qian('post', '/api/v1/month-end/2025-10/incomeTax')).body).toMatchObject({ voucher: null, figures: { incomeTax: '250.00' } });

    await post('2025-09-10', '费用', [['5602', '300', '0'], ['1002', '0', '300']]);
    const loss = await qian('post', '/api/v1/month-end/2025-09/incomeTax');
    expect(loss.status).toBe(200);
    expect(loss.body).toMatchObject({ voucher: null, vouchers: [], figures: { profitBeforeTax: '-300.00', incomeTax: '0.00' } });
    expect((await li('post', '/api/v1/month-end/2025-09/incomeTax')).status).toBe(403);
  });
});
