// Exactly once: 200 concurrent decide calls on one approval — agree and reject mixed, the same
// click repeated, both approvers of a 或签 step — record one decision, change the order once and
// reserve once; every loser hears who decided and when.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, approvalOf, approvalWorld, eventsSince, mark, orderAt, orderState, setDiscountFlow, submit, timelineOf, type ApprovalWorld } from './helpers.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
  // 或签 of 张经理 and 老板 for any discount over 10 %.
  await setDiscountFlow(w, [{ name: '经理或签', approvers: { kind: 'users', userIds: [w.user['zhang.jl'], w.user.boss] }, mode: 'anyOf', condition: { field: 'discountRate', op: '>', value: 0.1 } }]);
});
afterAll(async () => w?.t.close());

async function race(orderId: string, clicks: number, mixed: boolean) {
  const submitted = await submit(w.c['li.xs'], orderId);
  const approval = await approvalOf(w, orderId);
  const m = await mark(w);
  const who = [w.c['zhang.jl'], w.c.boss] as const;
  const requests = Array.from({ length: clicks }, (_, i) => {
    const agree = !mixed || i % 3 !== 0; // mixed: two agrees for every reject
    const body = agree ? { decision: 'agree' } : { decision: 'reject', comment: `第 ${i} 次点击：驳回` };
    // Some clicks come from a card (with the document version, as a string), some from the mini-app.
    return who[i % 2]!('post', `/api/v1/approvals/${approval.id}/decide`).send(i % 4 === 0 ? { ...body, documentVersion: String(submitted.version) } : body);
  });
  const results = await Promise.all(requests);
  return { approval, results, m };
}

describe('200 个并发点击', () => {
  it.each([
    ['只有同意（重复点击、两位审批人同时点）', false],
    ['同意与驳回混合', true],
    ['同意与驳回混合（再来一轮）', true],
  ])('%s：恰好一个决定、一次状态变化、一次预留；其余 409「已由 … 处理」', async (_name, mixed) => {
    const order = await orderAt(w, w.c['li.xs'], '0.15');
    const { approval, results, m } = await race(order.id, 200, mixed);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    const losers = results.filter((r) => r.status === 409).map((r) => r.body.error.message as string);
    expect(losers.every((msg) => /^已由 (张经理|老板) 于 \d{2}:\d{2} 处理（已(同意|驳回)）$/.test(msg))).toBe(true);

    const final = await w.t.database.system.approval.findUniqueOrThrow({ where: { id: approval.id } });
    const decisions = (await actionsOf(w, approval.id)).filter((a) => a === 'agree' || a === 'reject');
    expect(decisions).toHaveLength(1);
    const tasks = await w.t.database.system.approvalTask.findMany({ where: { approvalId: approval.id } });
    expect(tasks.filter((t) => t.state === 'agreed' || t.state === 'rejected')).toHaveLength(1);
    expect(tasks.filter((t) => t.state === 'cancelled')).toHaveLength(1);
    const decided = (await eventsSince(w, m)).filter((e) => e.type === 'approval.decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]!.payload.state).toBe(final.state);
    const kinds = (await timelineOf(w, order.id)).map((e) => e.kind);
    if (!mixed) expect(final.state).toBe('approved');
    if (final.state === 'approved') {
      expect(await orderState(w, order.id)).toMatchObject({ state: 'confirmed', reserved: 10000, reservations: 1 });
      expect(kinds.filter((k) => k === 'confirmed')).toHaveLength(1);
      expect(losers.every((msg) => msg.endsWith('（已同意）'))).toBe(true);
    } else {
      expect(final.state).toBe('rejected');
      expect(await orderState(w, order.id)).toMatchObject({ state: 'draft', reserved: 0 });
      expect(kinds.filter((k) => k === 'approvalRejected')).toHaveLength(1);
    }
    const message = results.find((r) => r.status === 409)!.body.error.message as string;
    expect(message).toContain(final.decidedById === w.user.boss ? '老板' : '张经理');
  });
});
