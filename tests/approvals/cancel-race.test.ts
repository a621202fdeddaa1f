// Cancelling an order while its approver taps 同意: whichever comes first wins cleanly — never a
// deadlock, never an order that is both cancelled and reserved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalOf, approvalWorld, orderAt, orderState, submit, type ApprovalWorld } from './helpers.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
});
afterAll(async () => w?.t.close());

describe('审批中取消订单与同意同时发生', () => {
  it('20 次取消与同意赛跑：要么已取消且无预留，要么已确认且有预留；没有死锁', async () => {
    for (let i = 0; i < 20; i++) {
      const order = await orderAt(w, w.c['li.xs'], '0.15', '1');
      await submit(w.c['li.xs'], order.id);
      const approval = await approvalOf(w, order.id);
      const [decided, cancelled] = await Promise.all([
        w.c['zhang.jl']('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' }),
        w.c['li.xs']('post', `/api/v1/sales-orders/${order.id}/cancel`).send({ reason: '客户取消' }),
      ]);
      for (const r of [decided, cancelled]) {
        expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
        expect(JSON.stringify(r.body)).not.toContain('并发冲突');
      }
      const s = await orderState(w, order.id);
      if (s.state === 'cancelled') expect(s.reserved).toBe(0);
      else {
        expect(s.state).toBe('confirmed');
        expect(s.reserved).toBeGreaterThan(0);
      }
      expect(decided.status === 200 || cancelled.status === 200).toBe(true);
    }
  });
});
