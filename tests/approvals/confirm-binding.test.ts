// The approval is binding: 确认 on an order the 销售折扣 flow catches starts the approval instead
// of confirming (no reservation), exactly like 提交.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalOf, approvalWorld, orderAt, orderState, type ApprovalWorld } from './helpers.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
});
afterAll(async () => w?.t.close());

describe('确认不能绕过审批', () => {
  it('15% 折扣的订单直接点确认：进入待审批，张经理收到审批，没有预留', async () => {
    const order = await orderAt(w, w.c['li.xs'], '0.15');
    const res = await w.c['li.xs']('post', `/api/v1/sales-orders/${order.id}/confirm`).send({});
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('pendingApproval');
    const s = await orderState(w, order.id);
    expect(s).toMatchObject({ state: 'pendingApproval', reserved: 0 });
    const approval = await approvalOf(w, order.id);
    expect(approval.state).toBe('pending');
    const pending = await w.c['zhang.jl']('get', '/api/v1/approvals/pending');
    expect(pending.body.items.map((a: { id: string }) => a.id)).toContain(approval.id);
  });

  it('5% 折扣：直接确认并预留', async () => {
    const order = await orderAt(w, w.c['li.xs'], '0.05');
    const res = await w.c['li.xs']('post', `/api/v1/sales-orders/${order.id}/confirm`).send({});
    expect(res.body.state).toBe('confirmed');
    expect((await orderState(w, order.id)).reserved).toBeGreaterThan(0);
  });
});
