// OA documents through the engine: 费用报销 (直属上级; ≥ ¥5,000 also 总经理; CC 钱会计) approved →
// ready for payment; 请假 (部门负责人; > 3 days also 总经理) approved → in the department calendar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalWorld, eventsSince, mark, type ApprovalWorld } from './helpers.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let w: ApprovalWorld;
let qian: AuthedClient;
beforeAll(async () => {
  w = await approvalWorld({ stock: false });
  qian = await as(w.t, 'qian.kj');
});
afterAll(async () => w?.t.close());

const decide = (who: keyof ApprovalWorld['c'], id: string, body: Record<string, unknown>) => w.c[who]('post', `/api/v1/approvals/${id}/decide`).send(body);

describe('费用报销', () => {
  it('¥1,500：直属上级张经理同意 → 已批准、待付款；抄送钱会计；expenseClaim.approved 事件', async () => {
    const bad = await w.c['li.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '10', attachmentId: '00000000-0000-4000-8000-000000000000' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'body.lines.0.attachmentId', label: '第 1 行 附件', message: '附件不存在' }]);
    expect((await w.c['li.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'fuel', amount: '0' }] })).body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'body.lines.0.category', 'body.lines.0.amount',
    ]);

    const created = await w.c['li.xs']('post', '/api/v1/expense-claims').send({
      remark: '宁波—上海拜访客户', lines: [{ category: 'travel', amount: '1200', invoiceNo: '04400123', occurredOn: '2026-11-20' }, { category: 'meal', amount: '300.00' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', totalAmount: '1500.00', applicant: { name: '李销售' }, department: { name: '华东销售组' }, readyForPayment: false });
    expect(created.body.number).toMatch(/^BX-\d{8}-\d{4}$/);
    const submitted = await w.c['li.xs']('post', `/api/v1/expense-claims/${created.body.id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.state).toBe('pendingApproval');
    const approvalId = submitted.body.approvalId as string;
    expect((await w.c['li.xs']('post', `/api/v1/expense-claims/${created.body.id}/submit`)).status).toBe(409);
    expect((await w.c['li.xs']('patch', `/api/v1/expense-claims/${created.body.id}`).send({ version: submitted.body.version, remark: '改' })).status).toBe(409);

    const detail = (await w.c['zhang.jl']('get', `/api/v1/approvals/${approvalId}`)).body;
    expect(detail).toMatchObject({ businessType: 'expenseClaim', documentRoute: `expense-claims/${created.body.id}`, canDecide: true, currentStep: { name: '直属上级' } });
    expect(detail.summary.fields).toContainEqual({ label: '类别', value: '差旅、餐饮' });
    expect(detail.steps).toHaveLength(1); // under ¥5,000: no 总经理 step
    expect((await qian('get', '/api/v1/approvals/cc')).body.items.map((i: { id: string }) => i.id)).toContain(approvalId);

    const m = await mark(w);
    expect((await decide('zhang.jl', approvalId, { decision: 'agree' })).body.state).toBe('approved');
    const claim = (await w.c['li.xs']('get', `/api/v1/expense-claims/${created.body.id}`)).body;
    expect(claim).toMatchObject({ state: 'confirmed', stateLabel: '已批准', readyForPayment: true });
    expect(await eventsSince(w, m, 'expenseClaim.approved')).toEqual([
      { type: 'expenseClaim.approved', payload: { claimId: created.body.id, number: created.body.number, applicantId: w.user['li.xs'], totalAmount: '1500.00' } },
    ]);
    const toPay = await w.c.admin('get', '/api/v1/expense-claims?readyForPayment=true');
    expect(toPay.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    expect((await w.c['wu.xs']('get', `/api/v1/expense-claims/${created.body.id}`)).status).toBe(404); // someone else's claim
    // the approver (and whoever is CC'd) may read the claim they decide on, though not edit it
    expect((await w.c['zhang.jl']('get', `/api/v1/expense-claims/${created.body.id}`)).status).toBe(200);
    expect((await qian('get', `/api/v1/expense-claims/${created.body.id}`)).status).toBe(200);
    expect((await w.c['zhang.jl']('get', '/api/v1/expense-claims')).body.items.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
  });

  it('¥6,000：还需总经理；驳回 → 退回草稿可修改', async () => {
    const created = await w.c['li.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'entertainment', amount: '6000' }] });
    const submitted = (await w.c['li.xs']('post', `/api/v1/expense-claims/${created.body.id}/submit`)).body;
    expect((await decide('zhang.jl', submitted.approvalId, { decision: 'agree' })).body.currentStep).toMatchObject({ name: '总经理' });
    expect((await decide('boss', submitted.approvalId, { decision: 'reject', comment: '招待费超标' })).body.state).toBe('rejected');
    const claim = (await w.c['li.xs']('get', `/api/v1/expense-claims/${created.body.id}`)).body;
    expect(claim).toMatchObject({ state: 'draft', readyForPayment: false });
    const edited = await w.c['li.xs']('patch', `/api/v1/expense-claims/${created.body.id}`).send({ version: claim.version, lines: [{ category: 'entertainment', amount: '3000' }] });
    expect(edited.body).toMatchObject({ totalAmount: '3000.00', state: 'draft' });
  });
});

describe('请假', () => {
  it('4 天年假：部门负责人（华东组无负责人 → 销售部张经理）再到总经理；批准后在部门日历里', async () => {
    const bad = await w.c['li.xs']('post', '/api/v1/leave-requests').send({ kind: 'annual', startAt: '2026-12-02T09:00:00+08:00', endAt: '2026-12-01T18:00:00+08:00', days: '0.3', reason: '' });
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.days', 'body.endAt', 'body.reason']);
    const created = await w.c['li.xs']('post', '/api/v1/leave-requests').send({
      kind: 'annual', startAt: '2026-12-01T09:00:00+08:00', endAt: '2026-12-04T18:00:00+08:00', days: '4', reason: '回老家',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', kindLabel: '年假', days: '4.0', startAt: '2026-12-01T09:00:00.000+08:00' });
    const submitted = (await w.c['li.xs']('post', `/api/v1/leave-requests/${created.body.id}/submit`)).body;
    const approval = (await w.c['zhang.jl']('get', `/api/v1/approvals/${submitted.approvalId}`)).body;
    expect(approval.steps.map((s: { name: string }) => s.name)).toEqual(['部门负责人', '总经理']);
    expect(approval.summary.rule).toBe('需部门负责人审批；请假天数 4 天 超过 3 天，需总经理审批');
    const calendar = () => w.c['wu.xs']('get', '/api/v1/leave-requests/calendar?from=2026-12-03&to=2026-12-31');
    expect((await calendar()).body).toEqual([]); // not approved yet
    await decide('zhang.jl', submitted.approvalId, { decision: 'agree' });
    expect((await decide('boss', submitted.approvalId, { decision: 'agree' })).body.state).toBe('approved');
    expect((await w.c['li.xs']('get', `/api/v1/leave-requests/${created.body.id}`)).body.state).toBe('confirmed');

    expect((await calendar()).body.map((l: { id: string }) => l.id)).toEqual([created.body.id]); // 吴销售, same group
    const dept = await w.t.database.system.department.findFirstOrThrow({ where: { code: 'D02' } });
    expect((await w.c['zhang.jl']('get', `/api/v1/leave-requests/calendar?from=2026-12-01&to=2026-12-01&departmentId=${dept.id}`)).body).toHaveLength(1);
    expect((await w.c['zhang.jl']('get', `/api/v1/leave-requests/calendar?from=2026-12-05&to=2026-12-31&departmentId=${dept.id}`)).body).toHaveLength(0);
    expect((await w.c['wu.xs']('get', `/api/v1/leave-requests/calendar?from=2026-12-01&to=2026-12-31&departmentId=${dept.id}`)).status).toBe(403);
  });

  it('1 天事假：只需部门负责人', async () => {
    const created = await w.c['wu.xs']('post', '/api/v1/leave-requests').send({ kind: 'personal', startAt: '2026-12-10T09:00:00+08:00', endAt: '2026-12-10T18:00:00+08:00', days: 1, reason: '办事' });
    const submitted = (await w.c['wu.xs']('post', `/api/v1/leave-requests/${created.body.id}/submit`)).body;
    expect((await decide('zhang.jl', submitted.approvalId, { decision: 'agree' })).body.state).toBe('approved');
  });
});
