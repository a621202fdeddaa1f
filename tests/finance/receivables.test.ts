// 应收 through the HTTP API on the real database, figures by hand. Customer C0003 (李销售's, 账期 45 天);
// order 3 箱 M8 at ¥100/箱 含税 13 %: line 265.49 + 34.51 = 300.00; 2 箱 shipped.
//   A: 2000 个 shipped → 200.00 (176.99 + 23.01), after shipment: no voucher.
//   B: 1000 个 not shipped → 100.00 (88.50 + 11.50), 预开票: 借 应收 100 / 贷 预收 88.50 / 贷 销项 11.50.
//   C: free line 运费 ¥109 at 9 %: tax 109 × 0.09 / 1.09 = 9.00: 借 应收 109 / 贷 收入 100 / 贷 销项 9.
//   R1 150.00 bank, against the order: all 应收 (open invoices 409). R2 500.00 cash: open 409 − 150 = 259 → 应收 259, 预收 241.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { answerChat, type ChatDeps } from '../../bot/commands/run.ts';
import type { InboundMessage } from '../../server/platform/channels.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient, zhao: AuthedClient, zhang: AuthedClient, wu: AuthedClient;
const id: Record<string, string> = {};
type Line = { account: { code: string }; debit: string; credit: string; customer: { id: string } | null };
const brief = (lines: Line[]) => lines.map((l) => [l.account.code, l.debit, l.credit]);
const vouchersOf = async (sourceId: string) => (await qian('get', `/api/v1/vouchers?sourceId=${sourceId}`)).body.items as { lines: Line[]; date: string }[];
const voucherCount = () => t.database.system.voucher.count();

beforeAll(async () => {
  t = await createTestApp();
  [qian, li, zhao, zhang, wu] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'zhao.ck'), as(t, 'zhang.jl'), as(t, 'wu.xs')]);
  const sys = t.database.system;
  id.c3 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0003' } })).id;
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '100000', unitCost: '0.03' }]);
  const order = await li('post', '/api/v1/sales-orders').send({ customerId: id.c3, lines: [{ itemId: id.m8, quantity: '3', listPrice: '100' }] });
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  id.order = order.body.id;
  id.orderLine = order.body.lines[0].id;
  expect((await li('post', `/api/v1/sales-orders/${id.order}/confirm`).send({})).status).toBe(200);
  expect((await zhao('post', `/api/v1/sales-orders/${id.order}/shipments`).send({ lines: [{ orderLineId: id.orderLine, quantity: '2' }] })).status).toBe(201);
});
afterAll(async () => t?.close());

const invoice = async (body: Record<string, unknown>, invoiceNo: string) => {
  const draft = await qian('post', '/api/v1/sales-invoices').send({ customerId: id.c3, kind: 'special', ...body });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const issued = await qian('post', `/api/v1/sales-invoices/${draft.body.id}/issue`).send({ invoiceNo });
  expect(issued.status, JSON.stringify(issued.body)).toBe(200);
  return issued.body;
};

describe('销售发票、收款、核销', () => {
  it('发货后开票不记账；预开票借应收贷预收与销项；自由行确认收入；订单开票进度与时间线', async () => {
    const a = await invoice({ orderId: id.order, invoiceDate: '2026-09-01', lines: [{ orderLineId: id.orderLine, quantity: '2000' }] }, '26330000000000000001');
    expect(a).toMatchObject({ state: 'issued', amount: '176.99', taxAmount: '23.01', amountWithTax: '200.00', billedAhead: '0.00', dueDate: '2026-10-16', openAmount: '200.00' });
    expect(await vouchersOf(a.id)).toHaveLength(0);
    id.a = a.id;

    const b = await invoice({ orderId: id.order, invoiceDate: '2026-12-01', lines: [{ orderLineId: id.orderLine, quantity: '1000' }] }, '26330000000000000002');
    expect(b).toMatchObject({ amount: '88.50', taxAmount: '11.50', amountWithTax: '100.00', billedAhead: '100.00', dueDate: '2027-01-15' });
    const [vb] = await vouchersOf(b.id);
    expect(brief(vb!.lines)).toEqual([['1122', '100.00', '0.00'], ['2203', '0.00', '88.50'], ['22210102', '0.00', '11.50']]);
    expect(vb!.date).toBe('2026-12-01');
    expect(vb!.lines.every((l) => l.customer?.id === id.c3)).toBe(true);
    id.b = b.id;

    const c = await invoice({ kind: 'ordinary', invoiceDate: '2026-10-20', lines: [{ description: '运费', amountWithTax: '109', taxRate: '0.09' }] }, '26330000000000000003');
    expect(c).toMatchObject({ kind: 'ordinary', amount: '100.00', taxAmount: '9.00', amountWithTax: '109.00' });
    expect(brief((await vouchersOf(c.id))[0]!.lines)).toEqual([['1122', '109.00', '0.00'], ['5001', '0.00', '100.00'], ['22210102', '0.00', '9.00']]);
    id.c = c.id;

    const order = await li('get', `/api/v1/sales-orders/${id.order}`);
    expect(order.body.invoiceProgress).toBe('full');
    const timeline = (await li('get', `/api/v1/sales-orders/${id.order}/timeline`)).body;
    expect(JSON.stringify(timeline)).toContain('开票 ¥100.00（专票 26330000000000000002），累计开票 ¥300.00');

    // Bad input, nothing written: over the order line, a reused 数电票 number, issuing twice.
    const over = await qian('post', '/api/v1/sales-invoices').send({ customerId: id.c3, orderId: id.order, kind: 'special', lines: [{ orderLineId: id.orderLine, quantity: '1' }] });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('最多还可开票 0');
    const d = await qian('post', '/api/v1/sales-invoices').send({ customerId: id.c3, kind: 'special', invoiceDate: '2026-12-20', lines: [{ description: '模具费', amountWithTax: '50', taxRate: '0.13' }] });
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ amount: '44.25', taxAmount: '5.75', state: 'draft' });
    expect((await qian('post', `/api/v1/sales-invoices/${d.body.id}/issue`).send({ invoiceNo: '26330000000000000001' })).status).toBe(400);
    expect((await qian('post', `/api/v1/sales-invoices/${d.body.id}/issue`).send({ invoiceNo: '123' })).status).toBe(400);
    expect((await qian('post', `/api/v1/sales-invoices/${id.a}/issue`).send({ invoiceNo: '26330000000000000009' })).status).toBe(409);
    id.d = d.body.id;
  });

  it('收款：关联订单的记应收并推进收款进度、写时间线和 order.progress 事件；超出未核销发票的部分记预收', async () => {
    const r1 = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c3, orderId: id.order, amount: '150', receivedOn: '2026-12-10', method: '电汇' });
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    expect(r1.body).toMatchObject({ amount: '150.00', advanceAmount: '0.00', accountCode: '1002', unmatchedAmount: '150.00' });
    expect(brief((await vouchersOf(r1.body.id))[0]!.lines)).toEqual([['1002', '150.00', '0.00'], ['1122', '0.00', '150.00']]);
    const order = (await li('get', `/api/v1/sales-orders/${id.order}`)).body;
    expect(order).toMatchObject({ paymentProgress: 'partial', advanceReceived: '150.00' });
    const event = await t.database.system.outboxEvent.findFirst({ where: { type: 'order.progress', aggregateId: id.order }, orderBy: { id: 'desc' } });
    expect(event?.payload).toMatchObject({ kind: 'paid', message: `收到货款 ¥150.00（${r1.body.number}，电汇），累计已收 ¥150.00` });
    id.r1 = r1.body.id;

    // Nothing matched yet: open invoices 409, R1 covers 150 of them → 259 to 应收, 241 预收.
    const r2 = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c3, amount: '500', accountCode: '1001', receivedOn: '2026-12-15' });
    expect(r2.status).toBe(201);
    expect(r2.body.advanceAmount).toBe('241.00');
    expect(brief((await vouchersOf(r2.body.id))[0]!.lines)).toEqual([['1001', '500.00', '0.00'], ['1122', '0.00', '259.00'], ['2203', '0.00', '241.00']]);
    id.r2 = r2.body.id;

    const tooMuch = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c3, orderId: id.order, amount: '150.01' });
    expect(tooMuch.status).toBe(400);
  });

  it('核销：部分、多对多；超额 400 且整单不写；两个并发核销同一发票只成功一个', async () => {
    const m1 = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.a, customerReceiptId: id.r1, amount: '150' }] });
    expect(m1.status, JSON.stringify(m1.body)).toBe(201);
    expect(m1.body.items[0]).toMatchObject({ amount: '150.00', fromAdvance: '0.00' });
    expect((await vouchersOf(m1.body.items[0].id))).toHaveLength(0);

    const before = { matches: await t.database.system.arMatch.count(), vouchers: await voucherCount() };
    const overReceipt = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.c, customerReceiptId: id.r2, amount: '9' }, { invoiceId: id.a, customerReceiptId: id.r1, amount: '0.01' }] });
    expect(overReceipt.status).toBe(400);
    expect(overReceipt.body.error.message).toContain('超过收款单');
    const overInvoice = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.a, customerReceiptId: id.r2, amount: '50.01' }] });
    expect(overInvoice.status).toBe(400);
    expect(overInvoice.body.error.message).toContain('超过发票');
    expect(overInvoice.body.error.message).toContain('¥50.00');
    expect(await t.database.system.arMatch.count()).toBe(before.matches);
    expect((await qian('get', `/api/v1/sales-invoices/${id.c}`)).body.matchedAmount).toBe('0.00');

    // B is open 100: two requests of 80 each at once; the second waits for the first's lock and sees 20.
    const race = await Promise.all([1, 2].map(() => qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.b, customerReceiptId: id.r2, amount: '80' }] })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 400]);
    expect(race.find((r) => r.status === 400)!.body.error.message).toContain('未核销金额 ¥20.00');
    expect((await qian('get', `/api/v1/sales-invoices/${id.b}`)).body).toMatchObject({ matchedAmount: '80.00', openAmount: '20.00' });

    // R2 → C 109 and A 50: R2's 应收 part 259 − 80 − 109 − 50 = 20 left.
    const many = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.c, customerReceiptId: id.r2, amount: '109' }, { invoiceId: id.a, customerReceiptId: id.r2, amount: '50' }] });
    expect(many.status).toBe(201);
    expect((await qian('get', `/api/v1/sales-invoices/${id.a}`)).body.openAmount).toBe('0.00');
    expect(before.vouchers).toBe(await voucherCount());
  });

  it('用预收核销：借预收贷应收；后面一笔失败则整单回滚、不留凭证；取消核销转回且只能一次', async () => {
    expect((await qian('post', `/api/v1/sales-invoices/${id.d}/issue`).send({ invoiceNo: '26330000000000000004' })).status).toBe(200);
    const vouchers = await voucherCount();
    const rolledBack = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.d, customerReceiptId: id.r2, amount: '50' }, { invoiceId: id.b, customerReceiptId: id.r2, amount: '21' }] });
    expect(rolledBack.status).toBe(400);
    expect(await voucherCount()).toBe(vouchers);

    // 50 against D: 20 from R2's 应收 part, 30 from its advance.
    const m = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.d, customerReceiptId: id.r2, amount: '50' }] });
    expect(m.status).toBe(201);
    expect(m.body.items[0].fromAdvance).toBe('30.00');
    const matchId = m.body.items[0].id;
    const [vm] = (await qian('get', `/api/v1/vouchers?sourceId=${matchId}`)).body.items;
    expect(brief(vm.lines)).toEqual([['2203', '30.00', '0.00'], ['1122', '0.00', '30.00']]);
    expect(vm.source).toMatchObject({ label: '应收核销', apiPath: `/api/v1/ar-matches/${matchId}` });
    expect((await qian('get', vm.source.apiPath)).body).toMatchObject({ amount: '50.00', fromAdvance: '30.00', unmatchedAt: null });

    const un = await qian('post', `/api/v1/ar-matches/${matchId}/unmatch`).send({ reason: '客户说这笔是下批货款' });
    expect(un.status).toBe(200);
    expect(un.body.unmatchedAt).not.toBeNull();
    const both = await vouchersOf(matchId);
    expect(both.map((v) => brief(v.lines))).toContainEqual([['1122', '30.00', '0.00'], ['2203', '0.00', '30.00']]);
    expect((await qian('post', `/api/v1/ar-matches/${matchId}/unmatch`).send({ reason: '再来' })).status).toBe(409);
    expect((await qian('get', `/api/v1/sales-invoices/${id.d}`)).body.openAmount).toBe('50.00');
    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'arMatch', entityId: matchId, action: 'unmatch' } });
    expect(audit?.after).toMatchObject({ reason: '客户说这笔是下批货款' });
  });

  it('账龄与对账单（JSON 与 Excel）', async () => {
    // Open: B 20 (due 2027-01-15), D 50 (due 2027-02-03) not due; A and C matched in full.
    const aging = await zhang('get', `/api/v1/receivables/aging?asOf=2026-12-31&customerId=${id.c3}`);
    expect(aging.status).toBe(200);
    expect(aging.body.customers).toHaveLength(1);
    expect(aging.body.customers[0]).toMatchObject({ notDue: '70.00', d1to30: '0.00', d61to90: '0.00', total: '70.00', overdue: '0.00', unmatchedReceipts: '261.00' });
    // As of 2026-11-30 (receipts not yet in): A 200 due 10-16 → 45 days; C 109 due 12-04 → not due.
    const earlier = (await qian('get', `/api/v1/receivables/aging?asOf=2026-11-30&customerId=${id.c3}`)).body.customers[0];
    expect(earlier).toMatchObject({ notDue: '109.00', d31to60: '200.00', total: '309.00', overdue: '200.00' });

    const open = await qian('get', `/api/v1/sales-invoices?customerId=${id.c3}&openOnly=true`);
    expect(open.body.items.map((i: { id: string; openAmount: string }) => [i.id, i.openAmount])).toEqual([[id.b, '20.00'], [id.d, '50.00']]);
    const receipts = await qian('get', `/api/v1/customer-receipts?customerId=${id.c3}&openOnly=true`);
    expect(receipts.body.items.map((r: { id: string; unmatchedAmount: string }) => [r.id, r.unmatchedAmount])).toEqual([[id.r2, '261.00']]);

    // Before 12-01: A 200 + C 109 = 309. December: B 100 (12-01), R1 150 (12-10), R2 500 (12-15), D 50 (12-20).
    const s = await qian('get', `/api/v1/receivables/customers/${id.c3}/statement?from=2026-12-01&to=2026-12-31`);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ opening: '309.00', invoiced: '150.00', received: '650.00', closing: '-191.00' });
    expect(s.body.lines.map((l: { number: string; balance: string }) => l.balance)).toEqual(['409.00', '259.00', '-241.00', '-191.00']);
    expect((await qian('get', `/api/v1/receivables/customers/${id.c3}/statement?from=2026-12-31&to=2026-12-01`)).status).toBe(400);

    const x = await qian('get', `/api/v1/receivables/customers/${id.c3}/statement/export?from=2026-12-01&to=2026-12-31`).buffer(true)
      .parse((res, cb) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => cb(null, Buffer.concat(chunks))); });
    expect(x.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(x.body as ArrayBuffer);
    const sheet = book.getWorksheet('对账单')!;
    expect(sheet.getRow(2).getCell(7).value).toBe('309.00');
    expect(sheet.getRow(sheet.rowCount).getCell(7).value).toBe('-191.00');
  });

  it('权限、数据范围与公司隔离', async () => {
    expect((await li('post', '/api/v1/customer-receipts').send({ customerId: id.c3, amount: '1' })).status).toBe(403);
    expect((await zhang('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.b, customerReceiptId: id.r2, amount: '1' }] })).status).toBe(403);
    expect((await li('get', `/api/v1/sales-invoices/${id.a}`)).status).toBe(200);
    expect((await wu('get', `/api/v1/sales-invoices/${id.a}`)).status).toBe(404);
    expect((await wu('get', '/api/v1/sales-invoices')).body.items.some((i: { id: string }) => i.id === id.a)).toBe(false);
    expect((await wu('get', `/api/v1/receivables/customers/${id.c3}/statement?from=2026-12-01&to=2026-12-31`)).status).toBe(404);
    const other = await createSecondCompany(t);
    const admin = await as(t, other.adminUsername, { companyCode: 'OTHERCO' });
    expect((await admin('get', `/api/v1/sales-invoices/${id.a}`)).status).toBe(404);
    expect((await admin('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: id.b, customerReceiptId: id.r2, amount: '1' }] })).status).toBe(400);
    expect((await admin('post', '/api/v1/customer-receipts').send({ customerId: id.c3, amount: '1' })).status).toBe(404);
  });

  it('机器人「应收 <客户>」：未核销发票与逾期金额；销售员只能查自己的客户', async () => {
    const sys = t.database.system;
    const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    await sys.companyPlatform.create({ data: { companyId: company.id, platform: 'wecom', orgKey: 'ww-ar' } });
    const deps: ChatDeps = { database: t.database, config: t.config };
    let seq = 0;
    const ask = (text: string, o: Partial<InboundMessage> = {}) =>
      answerChat(deps, { platform: 'wecom', messageId: `ar-${++seq}`, orgKey: 'ww-ar', chatType: 'p2p', chatId: 'c', senderId: 'li.xs', text, ...o });
    const mine = await ask('应收 甬兴电力');
    // Open now: B 20 (due 2027-01-15) and D 50 (due 2027-02-03); overdue is what of them is due before today.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const overdue = (today > '2027-02-03' ? 50 : 0) + (today > '2027-01-15' ? 20 : 0);
    expect(mine.text.split('\n')[0]).toBe(`宁波镇海甬兴电力金具有限公司（C0003）应收：未核销 ¥70.00，其中逾期 ¥${overdue}.00`);
    expect(mine.text).toContain('未收 ¥20.00');
    expect(mine.text).toContain('未核销收款（含预收）¥261.00');
    const group = await ask('@云桥 应收 C0003', { chatType: 'group' });
    expect(group).toMatchObject({ privateToAsker: true, groupPointer: '已私信发送给 @李销售' });
    expect((await ask('应收 甬兴电力', { senderId: 'wu.xs' })).text).toBe('没有找到客户「甬兴电力」，或你无权查看');
    expect((await ask('应收 甬兴电力', { senderId: 'zhao.ck' })).text).toBe('你没有查看应收的权限');
  });

  it('信用占用：不关联订单的收款抵减应收，自由行发票计入；订单行发票不重复计算', async () => {
    // Order: 300 − shipped 200 = 100 unshipped (its 150 received all used by the goods shipped);
    // owed on it 200 − 150 = 50; free-line invoices C 109 + D 50; receipts without an order 500 → max(0, 50 + 159 − 500) = 0.
    const c = (await qian('get', `/api/v1/customers/${id.c3}`)).body;
    expect((await zhang('patch', `/api/v1/customers/${id.c3}`).send({ creditLimit: '399.99', version: c.version })).status).toBe(200);
    const order = await li('post', '/api/v1/sales-orders').send({ customerId: id.c3, lines: [{ itemId: id.m8, quantity: '3', listPrice: '100' }] });
    const refused = await li('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('额度 ¥399.99，已占用 ¥100.00，本单 ¥300.00');
  });
});

describe('预开票的货发出时', () => {
  it('已开票的 1 箱发货：只借预收 88.50、贷收入 88.50（应收与销项已在发票上），不再记应收和销项', async () => {
    const shipped = await zhao('post', `/api/v1/sales-orders/${id.order}/shipments`).send({ lines: [{ orderLineId: id.orderLine, quantity: '1' }] });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
    const [v] = await vouchersOf(shipped.body.id);
    const revenueSide = brief(v!.lines).filter(([code]) => ['1122', '2203', '5001', '22210102'].includes(code!));
    expect(revenueSide).toEqual([['2203', '88.50', '0.00'], ['5001', '0.00', '88.50']]);
    expect(brief(v!.lines).filter(([code]) => code === '5401')).toHaveLength(1);
  });
});

// 销售退货的红字发票, customer C0007 (李销售's): order 10 箱 M8 at ¥113/箱 含税 13 % = 1,130.00
// (1,000.00 + 130.00), shipped (借 应收 1,130.00) and invoiced in full (nothing posted). Returning 2 箱
// credits 应收 226.00 (200.00 + 销项 26.00) and makes red invoice 226.00 against the invoice:
// open 1,130.00 − 226.00 = 904.00 = 应收账款 of C0007. Second order the same, paid and matched before its
// return: the red invoice 226.00 stays open (应退客户, 应收 −226.00) and is set off against a new
// invoice 运费 ¥500.00: that invoice open 274.00 = 应收.
describe('销售退货红字发票', () => {
  const red: Record<string, string> = {};
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const period = today.slice(0, 7);
  const balance1122 = async () => (await qian('get', `/api/v1/ledger?period=${period}&accountCode=1122&customerId=${red.c7}`)).body.closing as { direction: string; balance: string };
  const statement = async () => (await qian('get', `/api/v1/receivables/customers/${red.c7}/statement?from=${today}&to=${today}`)).body;
  const shippedAndInvoiced = async (invoiceNo: string) => {
    const order = await li('post', '/api/v1/sales-orders').send({ customerId: red.c7, lines: [{ itemId: id.m8, quantity: '10', listPrice: '113' }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect((await li('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    const line = order.body.lines[0].id;
    expect((await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: line, quantity: '10' }] })).status).toBe(201);
    const draft = await qian('post', '/api/v1/sales-invoices').send({ customerId: red.c7, orderId: order.body.id, kind: 'special', lines: [{ orderLineId: line, quantity: '10000' }] });
    const inv = await qian('post', `/api/v1/sales-invoices/${draft.body.id}/issue`).send({ invoiceNo });
    expect(inv.body).toMatchObject({ amount: '1000.00', taxAmount: '130.00', amountWithTax: '1130.00' });
    return { order: order.body.id as string, line: line as string, invoice: inv.body.id as string };
  };
  const returnTwo = async (o: { order: string; line: string }) => {
    const r = await zhao('post', `/api/v1/sales-orders/${o.order}/returns`).send({ lines: [{ orderLineId: o.line, quantity: '2' }], reason: '规格不符' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const list = await qian('get', `/api/v1/sales-red-invoices?salesReturnId=${r.body.id}`);
    expect(list.body.items).toHaveLength(1);
    // The return itself shows its red invoice (number, original invoice, 价税合计 2 × 113 = 226.00, 销项 26.00).
    const red = list.body.items[0];
    const shown = [{ id: red.id, number: red.number, redInvoiceNo: null, originalInvoice: red.originalInvoice, totalAmount: '226.00', taxAmount: '26.00' }];
    expect(r.body.redInvoices).toEqual(shown);
    expect((await li('get', `/api/v1/sales-returns/${r.body.id}`)).body.redInvoices).toEqual(shown);
    return { returnId: r.body.id as string, red };
  };
  // 客户 360 and the bot's 应收 show the red invoices not yet set off (应退客户).
  const credits360 = async () => {
    const rc = (await li('get', `/api/v1/customers/${red.c7}/360`)).body.receivables;
    return [rc.open, rc.unsettledCredits];
  };
  const askReceivables = async (text: string) => {
    const sys = t.database.system;
    const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    const platform = await sys.companyPlatform.findFirst({ where: { companyId: company.id, platform: 'wecom' } });
    if (!platform) await sys.companyPlatform.create({ data: { companyId: company.id, platform: 'wecom', orgKey: 'ww-ar' } });
    return (await answerChat({ database: t.database, config: t.config },
      { platform: 'wecom', messageId: `ar-red-${Math.random()}`, orgKey: platform?.orgKey ?? 'ww-ar', chatType: 'p2p', chatId: 'c', senderId: 'li.xs', text })).text;
  };

  it('已开票的货退回：红字发票 226.00 冲减原发票，发票未核销 904.00 = 应收账款 = 账龄 = 对账单期末；收款核销后为 0', async () => {
    red.c7 = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0007' } })).id;
    const first = await shippedAndInvoiced('26330000000000000701');
    red.invoice1 = first.invoice;
    expect(await balance1122()).toEqual({ direction: '借', balance: '1130.00' });

    const { returnId, red: r } = await returnTwo(first);
    expect(r).toMatchObject({ totalAmount: '226.00', taxAmount: '26.00', matchedAmount: '226.00', openAmount: '0.00', redInvoiceNo: null, currencyCode: null });
    expect(r.number).toMatch(/^XH-/);
    expect(r.originalInvoice).toEqual({ id: first.invoice, number: expect.stringMatching(/^SI-/), invoiceNo: '26330000000000000701' });
    expect(r.matches.map((m: { invoiceId: string; amount: string; receiptId: string | null }) => [m.invoiceId, m.amount, m.receiptId])).toEqual([[first.invoice, '226.00', null]]);
    red.red1 = r.id;
    // The return's voucher is unchanged: 借 收入 200 / 借 销项 26 / 贷 应收 226 (and the cost lines).
    const [v] = await vouchersOf(returnId);
    expect(brief(v!.lines).filter(([code]) => ['5001', '22210102', '1122'].includes(code!))).toEqual([['5001', '200.00', '0.00'], ['22210102', '26.00', '0.00'], ['1122', '0.00', '226.00']]);

    expect((await qian('get', `/api/v1/sales-invoices/${first.invoice}`)).body).toMatchObject({ matchedAmount: '226.00', openAmount: '904.00' });
    expect(await balance1122()).toEqual({ direction: '借', balance: '904.00' });
    const aging = (await qian('get', `/api/v1/receivables/aging?customerId=${red.c7}`)).body.customers[0];
    expect(aging).toMatchObject({ total: '904.00', unsettledCredits: '0.00', unmatchedReceipts: '0.00' });
    expect(await credits360()).toEqual(['904.00', '0.00']);
    const s = await statement();
    expect(s.lines.map((l: { kind: string; debit: string; credit: string; balance: string }) => [l.kind, l.debit, l.credit, l.balance]))
      .toEqual([['invoice', '1130.00', '0.00', '1130.00'], ['redInvoice', '-226.00', '0.00', '904.00']]);
    expect(s).toMatchObject({ opening: '0.00', closing: '904.00', closingLabel: '应收客户' });
    // 信用占用 counts the 904.00 still owed (shipped − returned), not the invoice's 1,130.00.
    const c = (await qian('get', `/api/v1/customers/${red.c7}`)).body;
    expect((await zhang('patch', `/api/v1/customers/${red.c7}`).send({ creditLimit: '1000', version: c.version })).status).toBe(200);
    const next = await li('post', '/api/v1/sales-orders').send({ customerId: red.c7, lines: [{ itemId: id.m8, quantity: '1', listPrice: '113' }] });
    const refused = await li('post', `/api/v1/sales-orders/${next.body.id}/confirm`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('已占用 ¥904.00，本单 ¥113.00');
    expect((await zhang('patch', `/api/v1/customers/${red.c7}`).send({ creditLimit: '0', version: c.version + 1 })).status).toBe(200);

    const receipt = await qian('post', '/api/v1/customer-receipts').send({ customerId: red.c7, amount: '904' });
    expect(receipt.body).toMatchObject({ advanceAmount: '0.00' });
    expect((await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: first.invoice, customerReceiptId: receipt.body.id, amount: '904' }] })).status).toBe(201);
    expect((await qian('get', `/api/v1/sales-invoices/${first.invoice}`)).body.openAmount).toBe('0.00');
    expect(await balance1122()).toEqual({ direction: '平', balance: '0.00' });
    expect((await statement()).closingLabel).toBe('已结清');
  });

  it('已收款的发票再退货：红字发票未抵扣 226.00 应退客户（对账单负数、应收贷方余额），之后抵扣新发票；超额、两边都填或都不填 400 且不写', async () => {
    const second = await shippedAndInvoiced('26330000000000000702');
    const receipt = await qian('post', '/api/v1/customer-receipts').send({ customerId: red.c7, amount: '1130' });
    expect((await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: second.invoice, customerReceiptId: receipt.body.id, amount: '1130' }] })).status).toBe(201);
    const { red: r } = await returnTwo(second);
    expect(r).toMatchObject({ totalAmount: '226.00', matchedAmount: '0.00', openAmount: '226.00', matches: [] });
    red.red2 = r.id;
    expect(await balance1122()).toEqual({ direction: '贷', balance: '226.00' });
    expect((await qian('get', `/api/v1/receivables/aging?customerId=${red.c7}`)).body.customers[0]).toMatchObject({ total: '0.00', unsettledCredits: '226.00' });
    expect(await credits360()).toEqual(['0.00', '226.00']);
    const bot = (await askReceivables('应收 C0007')).split('\n');
    expect(bot[0]).toMatch(/（C0007）应收：未核销 ¥0\.00，其中逾期 ¥0\.00$/);
    expect(bot).toContain('红字发票未抵扣：应退客户 ¥226.00');
    const s = await statement();
    expect(s).toMatchObject({ closing: '-226.00', closingLabel: '应退客户（可抵扣）' });
    expect(s.lines.at(-1)).toMatchObject({ kind: 'redInvoice', number: r.number, debit: '-226.00', balance: '-226.00' });

    const freight = await qian('post', '/api/v1/sales-invoices').send({ customerId: red.c7, kind: 'special', lines: [{ description: '运费', amountWithTax: '500', taxRate: '0.13' }] });
    expect((await qian('post', `/api/v1/sales-invoices/${freight.body.id}/issue`).send({ invoiceNo: '26330000000000000703' })).status).toBe(200);
    const before = { matches: await t.database.system.arMatch.count(), vouchers: await voucherCount() };
    const bad = [
      [{ invoiceId: freight.body.id, redInvoiceId: r.id, amount: '226.01' }],
      [{ invoiceId: freight.body.id, redInvoiceId: r.id, customerReceiptId: receipt.body.id, amount: '1' }],
      [{ invoiceId: freight.body.id, amount: '1' }],
      [{ invoiceId: freight.body.id, redInvoiceId: r.id, amount: '100' }, { invoiceId: freight.body.id, redInvoiceId: r.id, amount: '126.01' }],
    ];
    for (const matches of bad) expect((await qian('post', '/api/v1/ar-matches').send({ matches })).status).toBe(400);
    expect((await qian('post', '/api/v1/ar-matches').send({ matches: bad[0] })).body.error.message).toContain('超过红字发票');
    expect(await t.database.system.arMatch.count()).toBe(before.matches);

    const m = await qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: freight.body.id, redInvoiceId: r.id, amount: '226' }] });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    expect(m.body.items[0]).toMatchObject({ redInvoiceId: r.id, redInvoiceNumber: r.number, receiptId: null, amount: '226.00' });
    expect(await voucherCount()).toBe(before.vouchers);
    expect((await qian('get', `/api/v1/sales-invoices/${freight.body.id}`)).body.openAmount).toBe('274.00');
    expect((await qian('get', `/api/v1/sales-red-invoices/${r.id}`)).body).toMatchObject({ openAmount: '0.00', matchedAmount: '226.00' });
    expect(await balance1122()).toEqual({ direction: '借', balance: '274.00' });
    expect(await statement()).toMatchObject({ closing: '274.00', closingLabel: '应收客户' });
    expect(await credits360()).toEqual(['274.00', '0.00']);
    expect(await askReceivables('应收 C0007')).not.toContain('应退客户');
    expect((await qian('get', `/api/v1/receivables/aging?customerId=${red.c7}`)).body.customers[0]).toMatchObject({ total: '274.00', unsettledCredits: '0.00' });
  });

  it('红字发票号码登记（salesInvoice:write）、权限与数据范围', async () => {
    const ok = await qian('patch', `/api/v1/sales-red-invoices/${red.red1}`).send({ redInvoiceNo: '26332000000987654321' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.redInvoiceNo).toBe('26332000000987654321');
    expect((await qian('patch', `/api/v1/sales-red-invoices/${red.red1}`).send({ redInvoiceNo: '123' })).status).toBe(400);
    expect((await qian('patch', `/api/v1/sales-red-invoices/${red.red2}`).send({ redInvoiceNo: '26332000000987654321' })).status).toBe(409);
    expect((await li('patch', `/api/v1/sales-red-invoices/${red.red1}`).send({ redInvoiceNo: '26332000000987654322' })).status).toBe(403);
    expect((await zhao('get', '/api/v1/sales-red-invoices')).status).toBe(403);
    expect((await li('get', `/api/v1/sales-red-invoices/${red.red1}`)).status).toBe(200);
    expect((await wu('get', `/api/v1/sales-red-invoices/${red.red1}`)).status).toBe(404);
    const wuList = await wu('get', '/api/v1/sales-red-invoices');
    expect(wuList.status).toBe(200);
    expect(wuList.body.items.some((i: { id: string }) => i.id === red.red1 || i.id === red.red2)).toBe(false);
    expect((await li('get', `/api/v1/sales-red-invoices?customerId=${red.c7}`)).body.items.map((i: { id: string }) => i.id)).toEqual([red.red1, red.red2]);
    // paged, searched (number, 数电号码, customer) and sorted like every list; the salesperson's scope holds in the count
    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);
    const first = await li('get', `/api/v1/sales-red-invoices?customerId=${red.c7}&pageSize=1`);
    expect(first.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(ids(first)).toEqual([red.red1]);
    expect(ids(await li('get', `/api/v1/sales-red-invoices?customerId=${red.c7}&pageSize=1&page=2`))).toEqual([red.red2]);
    expect(ids(await li('get', `/api/v1/sales-red-invoices?customerId=${red.c7}&sort=-number`))).toEqual([red.red2, red.red1]);
    expect(ids(await li('get', '/api/v1/sales-red-invoices?q=26332000000987654321'))).toEqual([red.red1]);
    const byNumber = await qian('get', `/api/v1/sales-red-invoices?q=${ok.body.number}`);
    expect(ids(byNumber)).toEqual([red.red1]);
    expect((await wu('get', `/api/v1/sales-red-invoices?q=${ok.body.number}`)).body).toMatchObject({ total: 0, items: [] });
    expect((await li('get', '/api/v1/sales-red-invoices?sort=amount')).status).toBe(400);
  });

  it('部分开票后退货：未开票的 4 箱先退，只有已开票的 2 箱开红字发票；退回的未开票货不能再开票', async () => {
    // 10 箱 shipped, 6 箱 invoiced 678.00 (600.00 + 78.00); 6 箱 back: 4 not invoiced, 2 invoiced → red 226.00.
    const order = await li('post', '/api/v1/sales-orders').send({ customerId: red.c7, lines: [{ itemId: id.m8, quantity: '10', listPrice: '113' }] });
    expect((await li('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    const line = order.body.lines[0].id;
    expect((await zhao('post', `/api/v1/sales-orders/${order.body.id}/shipments`).send({ lines: [{ orderLineId: line, quantity: '10' }] })).status).toBe(201);
    const draft = await qian('post', '/api/v1/sales-invoices').send({ customerId: red.c7, orderId: order.body.id, kind: 'special', lines: [{ orderLineId: line, quantity: '6000' }] });
    const inv = await qian('post', `/api/v1/sales-invoices/${draft.body.id}/issue`).send({ invoiceNo: '26330000000000000704' });
    expect(inv.body).toMatchObject({ amount: '600.00', taxAmount: '78.00', amountWithTax: '678.00' });
    const back = await zhao('post', `/api/v1/sales-orders/${order.body.id}/returns`).send({ lines: [{ orderLineId: line, quantity: '6' }] });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    const [v] = await vouchersOf(back.body.id);
    expect(brief(v!.lines).filter(([code]) => code === '1122')).toEqual([['1122', '0.00', '678.00']]);
    const reds = (await qian('get', `/api/v1/sales-red-invoices?salesReturnId=${back.body.id}`)).body.items;
    expect(reds.map((x: { totalAmount: string; taxAmount: string; matchedAmount: string }) => [x.totalAmount, x.taxAmount, x.matchedAmount])).toEqual([['226.00', '26.00', '226.00']]);
    expect((await qian('get', `/api/v1/sales-invoices/${inv.body.id}`)).body.openAmount).toBe('452.00');
    // 274.00 before + 1,130.00 shipped − 678.00 returned = 726.00 = 274.00 + 452.00 open.
    expect(await balance1122()).toEqual({ direction: '借', balance: '726.00' });
    expect((await qian('get', `/api/v1/receivables/aging?customerId=${red.c7}`)).body.customers[0]).toMatchObject({ total: '726.00' });
    expect((await statement()).closing).toBe('726.00');
    const more = await qian('post', '/api/v1/sales-invoices').send({ customerId: red.c7, orderId: order.body.id, kind: 'special', lines: [{ orderLineId: line, quantity: '1' }] });
    expect(more.status).toBe(400);
    expect(more.body.error.message).toContain('最多还可开票 0（未开票已退货 4000）');
  });

  it('退货与收款核销同一发票同时进行：客户锁让二者先后发生，红字发票与收款不会重复冲减', async () => {
    const third = await shippedAndInvoiced('26330000000000000705');
    const receipt = await qian('post', '/api/v1/customer-receipts').send({ customerId: red.c7, amount: '1130' });
    const [match, back] = await Promise.all([
      qian('post', '/api/v1/ar-matches').send({ matches: [{ invoiceId: third.invoice, customerReceiptId: receipt.body.id, amount: '1130' }] }),
      zhao('post', `/api/v1/sales-orders/${third.order}/returns`).send({ lines: [{ orderLineId: third.line, quantity: '2' }] }),
    ]);
    expect(back.status).toBe(201);
    const [r] = (await qian('get', `/api/v1/sales-red-invoices?salesReturnId=${back.body.id}`)).body.items;
    const invoice = (await qian('get', `/api/v1/sales-invoices/${third.invoice}`)).body;
    if (match.status === 201) {
      // the match first: the invoice was paid in full, the red invoice is owed back
      expect([invoice.openAmount, r.matchedAmount, r.openAmount]).toEqual(['0.00', '0.00', '226.00']);
    } else {
      // the return first: 904.00 left open, matching 1,130.00 refused whole
      expect(match.status).toBe(400);
      expect(match.body.error.message).toContain('未核销金额 ¥904.00');
      expect([invoice.openAmount, r.matchedAmount, r.openAmount]).toEqual(['904.00', '226.00', '0.00']);
    }
  });
});
