// 销售订单金额 after 销售折扣: a large order also needs the boss (demo flow: ≥ ¥500,000), in a second
// approval that starts in the transaction of the first one's last agreement; someone who already
// agreed on this order version is not asked again. The customer's credit is checked at submit, an
// override asked for then carries over, and a limit exceeded meanwhile stops the final agreement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, approvalWorld, orderState, submit, timelineOf, type ApprovalWorld } from './helpers.ts';
import type { AuthedClient } from '../helpers/factories.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
  // The company's price of M8 here: ¥10 a 个 = ¥10,000 a box (orders' discounts are taken off it).
  await w.t.database.system.item.update({ where: { id: w.m8 }, data: { salePrice: '10' } });
});

/** Sets the customer's credit limit to what its confirmed orders use now plus `free`. */
async function leaveCredit(free: number): Promise<number> {
  const used = await w.t.database.system.salesOrder.aggregate({ where: { customerId: w.customerId, state: 'confirmed' }, _sum: { totalWithTax: true } });
  const limit = Number(used._sum.totalWithTax ?? 0) + free;
  await w.t.database.system.customer.update({ where: { id: w.customerId }, data: { creditLimit: limit } });
  return limit;
}
afterAll(async () => w?.t.close());

/** A draft order of `boxes` 箱 M8 at the company's ¥10,000 a box less the discount (so 60 boxes at 0 % = ¥600,000). */
async function bigOrder(who: AuthedClient, boxes: string, discountRate: string): Promise<string> {
  const res = await who('post', '/api/v1/sales-orders').send({ customerId: w.customerId, lines: [{ itemId: w.m8, quantity: boxes, discountRate }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const approvalsOf = (orderId: string) => w.t.database.system.approval.findMany({ where: { documentId: orderId }, orderBy: { createdAt: 'asc' } });
const decide = (who: AuthedClient, approvalId: string, decision: 'agree' | 'reject', comment?: string) =>
  who('post', `/api/v1/approvals/${approvalId}/decide`).send({ decision, comment });

describe('销售订单金额审批', () => {
  beforeAll(() => leaveCredit(100_000_000));
  it('¥600,000 无折扣：只走金额审批，总经理同意 → 已确认并预留', async () => {
    const id = await bigOrder(w.c['li.xs'], '60', '0');
    expect((await submit(w.c['li.xs'], id)).state).toBe('pendingApproval');
    const [a] = await approvalsOf(id);
    expect(a).toMatchObject({ businessType: 'salesOrderAmount', state: 'pending', title: expect.stringContaining('销售订单金额审批') });
    expect((a!.summary as { rule: string }).rule).toContain('¥500,000.00');
    expect((await decide(w.c.boss, a!.id, 'agree')).status).toBe(200);
    expect(await orderState(w, id)).toMatchObject({ state: 'confirmed', reservations: 1 });
  });

  it('15% 折扣且 ¥510,000：张经理同意后订单仍待审批，转入金额审批由总经理同意后才确认', async () => {
    const id = await bigOrder(w.c['li.xs'], '60', '0.15'); // ¥510,000 net
    await submit(w.c['li.xs'], id);
    const [discount] = await approvalsOf(id);
    expect(discount!.businessType).toBe('salesDiscount');
    expect((await decide(w.c['zhang.jl'], discount!.id, 'agree')).status).toBe(200);

    const after = await approvalsOf(id);
    expect(after.map((a) => [a.businessType, a.state])).toEqual([['salesDiscount', 'approved'], ['salesOrderAmount', 'pending']]);
    expect(after[1]!.documentVersion).toBe(discount!.documentVersion);
    expect(after[1]!.applicantId).toBe(w.user['li.xs']);
    expect(await orderState(w, id)).toMatchObject({ state: 'pendingApproval', reserved: 0 });
    const pending = await w.c.boss('get', '/api/v1/approvals/pending');
    expect(pending.body.items.map((x: { id: string }) => x.id)).toContain(after[1]!.id);
    const timeline = (await timelineOf(w, id)).map((e) => e.message);
    expect(timeline).toContain('销售折扣审批通过（张经理）');
    expect(timeline.some((m) => m.startsWith('转入销售订单金额审批：金额'))).toBe(true);

    expect((await decide(w.c.boss, after[1]!.id, 'agree')).status).toBe(200);
    expect(await orderState(w, id)).toMatchObject({ state: 'confirmed', reservations: 1 });
  });

  it('25% 折扣且超过 ¥500,000：总经理在折扣审批已同意，金额审批自动跳过，订单在他同意的那一刻确认', async () => {
    const id = await bigOrder(w.c['li.xs'], '80', '0.25'); // ¥600,000 net
    await submit(w.c['li.xs'], id);
    const [discount] = await approvalsOf(id);
    await decide(w.c['zhang.jl'], discount!.id, 'agree');
    expect((await decide(w.c.boss, discount!.id, 'agree')).status).toBe(200);
    const all = await approvalsOf(id);
    expect(all.map((a) => [a.businessType, a.state])).toEqual([['salesDiscount', 'approved'], ['salesOrderAmount', 'approved']]);
    expect(await actionsOf(w, all[1]!.id)).toEqual(['submit', 'skip']);
    expect(await w.t.database.system.approvalTask.count({ where: { approvalId: all[1]!.id } })).toBe(0);
    expect(await orderState(w, id)).toMatchObject({ state: 'confirmed', reservations: 1 });
  });

  it('金额审批被驳回：订单退回草稿，理由在时间线上', async () => {
    const id = await bigOrder(w.c['li.xs'], '60', '0');
    await submit(w.c['li.xs'], id);
    const [a] = await approvalsOf(id);
    expect((await decide(w.c.boss, a!.id, 'reject', '金额太大，分两单')).status).toBe(200);
    expect((await orderState(w, id)).state).toBe('draft');
    expect((await timelineOf(w, id)).at(-1)!.message).toContain('金额太大，分两单');
  });
});

describe('信用额度与审批', () => {
  it('提交时就检查额度：超额的订单直接拒绝并给出数字，不进入审批、不写任何东西', async () => {
    await leaveCredit(800_000);
    const id = await bigOrder(w.c['li.xs'], '100', '0.15'); // ¥850,000 net
    const before = await orderState(w, id);
    const res = await w.c['li.xs']('post', `/api/v1/sales-orders/${id}/submit`).send({});
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/超出信用额度：额度 ¥[\d,.]+，已占用 ¥[\d,.]+，本单 ¥850,000\.00（客户 宁波北仑港城汽车零部件有限公司；超出 ¥50,000\.00/);
    expect(await approvalsOf(id)).toHaveLength(0);
    expect(await orderState(w, id)).toEqual(before);
    // 销售员没有放行权限
    const override = await w.c['li.xs']('post', `/api/v1/sales-orders/${id}/submit`).send({ overrideCredit: true });
    expect(override.status).toBe(403);
    expect(await approvalsOf(id)).toHaveLength(0);
  });

  it('有放行权限的张经理提交时申请放行：审批卡片上写明，最后同意后按放行确认并记审计', async () => {
    await leaveCredit(800_000);
    const id = await bigOrder(w.c['zhang.jl'], '100', '0.15');
    const res = await w.c['zhang.jl']('post', `/api/v1/sales-orders/${id}/submit`).send({ overrideCredit: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // 折扣审批：张经理是申请人，回避 → 交给他的上级老板；卡片上写明申请了放行
    const [discount] = await approvalsOf(id);
    expect([discount!.businessType, discount!.state]).toEqual(['salesDiscount', 'pending']);
    const fields = (discount!.summary as { fields: { label: string; value: string }[] }).fields;
    expect(fields).toContainEqual({ label: '信用', value: '提交人已申请超信用额度放行' });
    expect((await decide(w.c.boss, discount!.id, 'agree')).status).toBe(200);
    // 金额审批（总经理）：老板刚在折扣审批同意过，自动去重 → 订单在他同意的那一刻确认
    const all = await approvalsOf(id);
    expect(all.map((a) => [a.businessType, a.state])).toEqual([['salesDiscount', 'approved'], ['salesOrderAmount', 'approved']]);
    const order = await w.t.database.system.salesOrder.findUniqueOrThrow({ where: { id } });
    expect(order).toMatchObject({ state: 'confirmed', creditOverride: true });
    const audit = await w.t.database.system.auditLog.findFirst({ where: { entityId: id, action: 'creditOverride' } });
    expect(audit).not.toBeNull();
  });

  it('审批期间额度被其他订单占用：最后同意被拒绝（409 给出数字），审批仍在进行，可以驳回', async () => {
    await leaveCredit(800_000);
    const big = await bigOrder(w.c['li.xs'], '60', '0'); // ¥600,000 → 金额审批
    await submit(w.c['li.xs'], big);
    const [a] = await approvalsOf(big);
    // Meanwhile a ¥300,000 order needs no approval and takes the limit: 300k + 600k > the 800k left.
    const small = await bigOrder(w.c['li.xs'], '30', '0');
    expect((await submit(w.c['li.xs'], small)).state).toBe('confirmed');

    const agree = await decide(w.c.boss, a!.id, 'agree');
    expect(agree.status).toBe(409);
    expect(agree.body.error.message).toContain('超出信用额度');
    expect((await w.t.database.system.approval.findUniqueOrThrow({ where: { id: a!.id } })).state).toBe('pending');
    expect(await orderState(w, big)).toMatchObject({ state: 'pendingApproval', reserved: 0 });
    expect((await decide(w.c.boss, a!.id, 'reject', '超额度，先收款')).status).toBe(200);
    expect((await orderState(w, big)).state).toBe('draft');
  });
});
