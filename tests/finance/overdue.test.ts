// 逾期应收 through the HTTP API: the 财务设置 that blocks new orders, and the salesperson's weekly digest.
// Customer C0003 (李销售's, 账期 45 天): invoice of a free line ¥109.00 dated 2026-09-01 → due 2026-10-16,
// overdue today; a second one ¥50.00 dated 2026-10-01 → due 2026-11-15. Overdue in all: ¥159.00, oldest the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { isoWeekKey, scheduleOverdueDigests } from '../../server/modules/sales/index.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let qian: AuthedClient, li: AuthedClient;
const id: Record<string, string> = {};

const invoice = async (invoiceDate: string, amountWithTax: string, invoiceNo: string) => {
  const draft = await qian('post', '/api/v1/sales-invoices').send({ customerId: id.c3, kind: 'ordinary', invoiceDate, lines: [{ description: '运费', amountWithTax, taxRate: '0.09' }] });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const issued = await qian('post', `/api/v1/sales-invoices/${draft.body.id}/issue`).send({ invoiceNo });
  expect(issued.status, JSON.stringify(issued.body)).toBe(200);
  return issued.body as { id: string; number: string; dueDate: string };
};
const newOrder = async () => {
  const order = await li('post', '/api/v1/sales-orders').send({ customerId: id.c3, lines: [{ itemId: id.m8, quantity: '1', listPrice: '100' }] });
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  return order.body.id as string;
};

beforeAll(async () => {
  t = await createTestApp();
  [qian, li] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs')]);
  const sys = t.database.system;
  id.c3 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0003' } })).id;
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  const first = await invoice('2026-09-01', '109', '26330000000000000101');
  expect(first.dueDate).toBe('2026-10-16');
  id.firstNumber = first.number;
  await invoice('2026-10-01', '50', '26330000000000000102');
});
afterAll(async () => t?.close());

describe('逾期应收禁止下单', () => {
  it('默认关闭：有逾期应收也能确认订单', async () => {
    expect((await qian('get', '/api/v1/finance-settings')).body.blockOverdueOrders).toBe(false);
    const order = await newOrder();
    expect((await li('post', `/api/v1/sales-orders/${order}/confirm`).send({})).status).toBe(200);
  });

  it('开启后确认被拒 409，写明逾期金额和最早的发票；订单仍是草稿；关闭后可确认', async () => {
    const set = await qian('put', '/api/v1/finance-settings').send({ blockOverdueOrders: true });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.blockOverdueOrders).toBe(true);
    expect((await li('put', '/api/v1/finance-settings').send({ blockOverdueOrders: false })).status).toBe(403);

    const order = await newOrder();
    const refused = await li('post', `/api/v1/sales-orders/${order}/confirm`).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('逾期应收 ¥159.00');
    expect(refused.body.error.message).toContain(`最早逾期发票 ${id.firstNumber}，到期日 2026-10-16`);
    expect((await li('get', `/api/v1/sales-orders/${order}`)).body.state).toBe('draft');

    expect((await qian('put', '/api/v1/finance-settings').send({ blockOverdueOrders: false })).status).toBe(200);
    expect((await li('post', `/api/v1/sales-orders/${order}/confirm`).send({})).status).toBe(200);
  });
});

describe('逾期应收周提醒', () => {
  it('ISO 周：周一开始，第 1 周含当年第一个周四', () => {
    expect([isoWeekKey('2026-12-07'), isoWeekKey('2026-12-13'), isoWeekKey('2027-01-01'), isoWeekKey('2026-01-01'), isoWeekKey('2021-01-03')])
      .toEqual(['2026-W50', '2026-W50', '2026-W53', '2026-W01', '2020-W53']);
  });

  it('两位销售，只有李销售的客户逾期：一张周提醒；同一周重跑不再写；卡片发到他的聊天身份', async () => {
    const sys = t.database.system;
    const wu = await sys.user.findFirstOrThrow({ where: { username: 'wu.xs' } });
    const liUser = await sys.user.findFirstOrThrow({ where: { username: 'li.xs' } });
    // 吴销售's customer has an invoice, but it is not due yet (today's date + 账期).
    const wuCustomer = await sys.customer.findFirstOrThrow({ where: { ownerId: wu.id } });
    const today = todayInShanghai();
    const notDue = await qian('post', '/api/v1/sales-invoices').send({ customerId: wuCustomer.id, kind: 'ordinary', invoiceDate: today, lines: [{ description: '运费', amountWithTax: '10', taxRate: '0.09' }] });
    expect(notDue.status, JSON.stringify(notDue.body)).toBe(201);
    expect((await qian('post', `/api/v1/sales-invoices/${notDue.body.id}/issue`).send({ invoiceNo: '26330000000000000103' })).status).toBe(200);

    // Thursday 10:00 of this week (Asia/Shanghai): the week's first run writes li's digest.
    const monday = new Date(`${today}T00:00:00Z`);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() || 7) - 1));
    const day = (offset: number, hhmm: string) => new Date(`${new Date(monday.getTime() + offset * 86_400_000).toISOString().slice(0, 10)}T${hhmm}:00+08:00`);
    expect(await scheduleOverdueDigests(t.database, day(0, '08:59'))).toBe(0);
    expect(await scheduleOverdueDigests(t.database, day(3, '10:00'))).toBe(1);
    expect(await scheduleOverdueDigests(t.database, day(3, '11:00'))).toBe(0);
    expect(await scheduleOverdueDigests(t.database, day(6, '23:00'))).toBe(0);
    const events = await sys.outboxEvent.findMany({ where: { type: 'receivables.overdueDigest' } });
    expect(events).toHaveLength(1);
    const week = isoWeekKey(today);
    expect(events[0]!.aggregateId).toBe(`${week}:${liUser.id}`);
    expect(events[0]!.payload).toMatchObject({
      week, userId: liUser.id, total: '159.00',
      customers: [{ customerId: id.c3, overdue: '159.00', invoices: [{ number: id.firstNumber, dueDate: '2026-10-16', open: '109.00' }, { dueDate: '2026-11-15', open: '50.00' }] }],
    });

    await planDeliveries(t.database, { debounceMs: 0 });
    const cards = await sys.noticeDelivery.findMany({ where: { idempotencyKey: { startsWith: 'overdue-digest:' } } });
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.every((c) => c.targetKind === 'user' && c.idempotencyKey.startsWith(`overdue-digest:${week}:${liUser.id}:`))).toBe(true);
    expect((cards[0]!.card as { title: string }).title).toBe(`逾期应收提醒 ${week}`);
    expect(cards[0]!.text).toContain(id.firstNumber);
    expect(cards[0]!.text).toContain('¥159.00');
  });
});
