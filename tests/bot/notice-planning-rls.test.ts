// 通知计划在行级安全下: the planner plans each company's events in a transaction set to that
// company, so an event of company A whose payload names company B's order or user plans nobody
// of B — while each company's own events are still planned, in the same round.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createSecondCompany } from '../helpers/factories.ts';

let t: TestApp;
let companyA: string;
let companyB: string;
let ownerB: string;
let orderB: string;
let liXs: string;

beforeAll(async () => {
  t = await createTestApp();
  const sys = t.database.system;
  companyA = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  const other = await createSecondCompany(t);
  companyB = other.companyId;
  ownerB = (await sys.user.findFirstOrThrow({ where: { companyId: companyB, username: other.adminUsername } })).id;
  await sys.platformIdentity.create({ data: { companyId: companyB, userId: ownerB, platform: 'wecom', externalUserId: 'b.owner' } });
  const wh = await sys.warehouse.create({ data: { companyId: companyB, code: 'WB1', name: '另一家的仓库' } });
  orderB = (await sys.salesOrder.create({
    data: { companyId: companyB, number: 'SO-20261201-0001', customerId: other.customerId, ownerId: ownerB, warehouseId: wh.id, orderDate: new Date('2026-12-01') },
  })).id;
  liXs = (await sys.platformIdentity.findFirstOrThrow({ where: { companyId: companyA, platform: 'wecom', externalUserId: 'li.xs' } })).userId;
});
afterAll(async () => t?.close());

async function emit(companyId: string, type: string, payload: object): Promise<bigint> {
  const e = await t.database.system.outboxEvent.create({ data: { companyId, type, payload } });
  return e.id;
}

const paid = (applicantId: string) => ({
  claimId: randomUUID(), number: 'EC-20261201-0001', applicantId, totalAmount: '100.00', paidOn: '2026-12-01', account: '工商银行', paidBy: '钱会计',
});

describe('通知计划按公司隔离（行级安全）', () => {
  it('A 公司的事件指向 B 公司的订单或用户：不给 B 的任何人发；A、B 各自的事件照常计划', async () => {
    // A's events naming B's data (an order's reservation cut: OWNER_MUST_KNOW would DM its salesperson; a paid claim of B's user).
    const cutOfB = await emit(companyA, 'order.progress', { orderType: 'salesOrder', orderId: orderB, number: 'SO-20261201-0001', kind: 'reservationCut', message: '预留减少' });
    const paidOfB = await emit(companyA, 'expenseClaim.paid', paid(ownerB));
    // Each company's own events.
    const paidOfA = await emit(companyA, 'expenseClaim.paid', paid(liXs));
    const paidInB = await emit(companyB, 'expenseClaim.paid', paid(ownerB));

    await planDeliveries(t.database, { debounceMs: 0, platforms: ['wecom'] });

    const ids = [cutOfB, paidOfB, paidOfA, paidInB];
    const deliveries = await t.database.system.noticeDelivery.findMany({ where: { eventId: { in: ids } }, orderBy: { id: 'asc' } });
    expect(deliveries.map((d) => [d.eventId, d.companyId, d.targetId])).toEqual([
      [paidOfA, companyA, 'li.xs'],
      [paidInB, companyB, 'b.owner'],
    ]);
    // Every event was taken (planned once), including the two that planned nobody.
    const events = await t.database.system.outboxEvent.findMany({ where: { id: { in: ids } }, select: { status: true } });
    expect(events.map((e) => e.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
  });
});
