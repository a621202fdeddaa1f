// OA documents through the engine: 费用报销 (直属上级; ≥ ¥5,000 also 总经理; CC 钱会计) approved →
// ready for payment; 请假 (部门负责人; > 3 days also 总经理) approved → in the department calendar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalWorld, eventsSince, mark, type ApprovalWorld } from './helpers.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';

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
    expect(bad.body.error.message).toBe('第 1 行 附件不存在');
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

describe('报销付款', () => {
  it('钱会计看到待付款的报销单并付款：已付款、付款记录、审计、通知申请人；并发付款一成一 409；销售员不能付款', async () => {
    const created = (await w.c['li.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount: '800' }, { category: 'meal', amount: '56.50' }] })).body;
    const submitted = (await w.c['li.xs']('post', `/api/v1/expense-claims/${created.id}/submit`)).body;
    const pay = (who: AuthedClient, body: Record<string, unknown>) => who('post', `/api/v1/expense-claims/${created.id}/pay`).send(body);
    expect((await pay(qian, { paidOn: '2026-12-07', account: '工行基本户' })).status).toBe(409); // not approved yet
    await decide('zhang.jl', submitted.approvalId, { decision: 'agree' });

    // 钱会计 has no approval:read, yet sees approved claims waiting for payment (and not others' drafts)
    const draft = (await w.c['wu.xs']('post', '/api/v1/expense-claims').send({ lines: [{ category: 'other', amount: '10' }] })).body;
    const toPay = (await qian('get', '/api/v1/expense-claims?readyForPayment=true&pageSize=200')).body.items as { id: string; totalAmount: string }[];
    expect(toPay.find((c) => c.id === created.id)?.totalAmount).toBe('856.50');
    expect((await qian('get', '/api/v1/expense-claims?pageSize=200')).body.items.map((c: { id: string }) => c.id)).not.toContain(draft.id);
    expect((await qian('get', `/api/v1/expense-claims/${draft.id}`)).status).toBe(404);

    expect((await pay(w.c['li.xs'], { account: '工行基本户' })).status).toBe(403); // 销售员 lacks expense:pay
    const bad = await pay(qian, { paidOn: '2026/12/07', account: ' ' });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.error.details.map((d: { field: string }) => d.field))].sort()).toEqual(['body.account', 'body.paidOn']);

    const m = await mark(w);
    const [a, b] = await Promise.all([pay(qian, { paidOn: '2026-12-07', account: '工行宁波分行基本户' }), pay(w.c.admin, { paidOn: '2026-12-08', account: '农行备用户' })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost = a.status === 409 ? a : b;
    expect(lost.body.error.message).toBe('报销单已付款，不能重复付款');
    const won = a.status === 200 ? a : b;
    const byQian = won === a;
    const paid = (await w.c['li.xs']('get', `/api/v1/expense-claims/${created.id}`)).body;
    expect(paid).toMatchObject({
      state: 'closed', stateLabel: '已付款', readyForPayment: false,
      payment: { paidOn: byQian ? '2026-12-07' : '2026-12-08', account: byQian ? '工行宁波分行基本户' : '农行备用户', paidBy: { name: byQian ? '钱会计' : '系统管理员' } },
    });
    expect((await qian('get', '/api/v1/expense-claims?readyForPayment=true&pageSize=200')).body.items.map((c: { id: string }) => c.id)).not.toContain(created.id);
    const audit = await w.t.database.system.auditLog.findMany({ where: { entity: 'expenseClaim', entityId: created.id, action: 'pay' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ state: 'closed', paidOn: byQian ? '2026-12-07' : '2026-12-08' });
    expect(await eventsSince(w, m, 'expenseClaim.')).toEqual([{
      type: 'expenseClaim.paid',
      payload: {
        claimId: created.id, number: created.number, applicantId: w.user['li.xs'], totalAmount: '856.50',
        paidOn: byQian ? '2026-12-07' : '2026-12-08', account: byQian ? '工行宁波分行基本户' : '农行备用户', paidBy: byQian ? '钱会计' : '系统管理员',
      },
    }]);

    // the planner turns it into a personal notice to 李销售 on each platform he is bound to
    await planDeliveries(w.t.database, { debounceMs: 0, platforms: ['wecom'] });
    const notices = await w.t.database.system.noticeDelivery.findMany({ where: { idempotencyKey: { startsWith: 'expense-paid:' } } });
    expect(notices.map((n) => [n.platform, n.targetKind, n.targetId])).toEqual([['wecom', 'user', 'li.xs']]);
    expect(notices[0]!.text).toContain('¥856.50');
    expect((notices[0]!.card as { title: string }).title).toBe(`报销单 ${created.number} 已付款`);
  });

  it('申请人回避：钱会计不能为自己的报销单付款（403），另一位付款人可以；关闭回避后自己可以付', async () => {
    const approvedClaimOfQian = async (amount: string) => {
      const created = (await qian('post', '/api/v1/expense-claims').send({ lines: [{ category: 'travel', amount }] })).body;
      const submitted = (await qian('post', `/api/v1/expense-claims/${created.id}/submit`)).body;
      expect((await decide('boss', submitted.approvalId, { decision: 'agree' })).body.state).toBe('approved');
      return created.id as string;
    };
    const own = await approvedClaimOfQian('120');
    const refused = await qian('post', `/api/v1/expense-claims/${own}/pay`).send({ paidOn: '2026-12-07', account: '工行基本户' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: '不能为自己的报销单付款' });
    expect((await qian('get', `/api/v1/expense-claims/${own}`)).body).toMatchObject({ state: 'confirmed', readyForPayment: true, payment: null });
    const byAdmin = await w.c.admin('post', `/api/v1/expense-claims/${own}/pay`).send({ paidOn: '2026-12-07', account: '工行基本户' });
    expect(byAdmin.status, JSON.stringify(byAdmin.body)).toBe(200);
    expect(byAdmin.body.payment).toMatchObject({ paidBy: { name: '系统管理员' }, account: '工行基本户' });

    const other = await approvedClaimOfQian('30');
    await w.t.database.system.company.updateMany({ data: { approvalRecusal: false } });
    try {
      const paid = await qian('post', `/api/v1/expense-claims/${other}/pay`).send({ paidOn: '2026-12-07', account: '工行基本户' });
      expect(paid.status, JSON.stringify(paid.body)).toBe(200);
      expect(paid.body.payment.paidBy.name).toBe('钱会计');
    } finally {
      await w.t.database.system.company.updateMany({ data: { approvalRecusal: true } });
    }
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

  it('天数按工作日历计算：不填则计算；与计算不符 400；两周按 10 天走到总经理；跨国庆只计工作日', async () => {
    const leave = (body: Record<string, unknown>) => w.c['wu.xs']('post', '/api/v1/leave-requests').send({ kind: 'personal', reason: '家事', ...body });
    const twoDays = { startAt: '2026-12-14T09:00:00+08:00', endAt: '2026-12-15T18:00:00+08:00' };
    const forty = await leave({ ...twoDays, days: '40' });
    expect(forty.status).toBe(400);
    expect(forty.body.error.details).toEqual([{ field: 'body.days', label: '天数', message: '请假天数 40 天 与按工作日历计算的 2 天不符' }]);
    const twoWeeks = { startAt: '2026-11-30T09:00:00+08:00', endAt: '2026-12-11T18:00:00+08:00' };
    expect((await leave({ ...twoWeeks, days: '0.5' })).body.error.message).toBe('请假天数 0.5 天 与按工作日历计算的 10 天不符');
    expect((await leave({ startAt: '2026-12-12T09:00:00+08:00', endAt: '2026-12-13T18:00:00+08:00' })).status).toBe(400); // a weekend: nothing to take

    const created = await leave(twoWeeks);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.days).toBe('10.0');
    const submitted = (await w.c['wu.xs']('post', `/api/v1/leave-requests/${created.body.id}/submit`)).body;
    const approval = (await w.c['zhang.jl']('get', `/api/v1/approvals/${submitted.approvalId}`)).body;
    expect(approval.steps.map((s: { name: string }) => s.name)).toEqual(['部门负责人', '总经理']);
    expect(approval.summary.fields.filter((f: { label: string }) => f.label === '申请人')).toEqual([]); // the card adds it once
    expect(approval.summary.fields).toContainEqual({ label: '天数', value: '10.0 天' });

    // a draft's new period is counted again; a disagreeing days is refused on update too
    const draft = (await leave({ startAt: '2026-12-14T09:00:00+08:00', endAt: '2026-12-14T18:00:00+08:00' })).body;
    expect(draft.days).toBe('1.0');
    const patch = (body: Record<string, unknown>) => w.c['wu.xs']('patch', `/api/v1/leave-requests/${draft.id}`).send({ version: draft.version, ...body });
    expect((await patch({ endAt: '2026-12-18T12:00:00+08:00', days: '1' })).body.error.details).toEqual([
      { field: 'body.days', label: '天数', message: '请假天数 1 天 与按工作日历计算的 4.5 天不符' },
    ]);
    expect((await patch({ endAt: '2026-12-18T12:00:00+08:00' })).body).toMatchObject({ days: '4.5', version: draft.version + 1 });
    expect((await w.c['li.xs']('patch', `/api/v1/leave-requests/${draft.id}`).send({ version: draft.version + 1, reason: '改' })).status).toBe(404);

    const preview = (start: string, end: string) =>
      w.c['wu.xs']('get', `/api/v1/leave-requests/days?startAt=${encodeURIComponent(start)}&endAt=${encodeURIComponent(end)}`);
    expect((await preview('2026-09-28T09:00:00+08:00', '2026-10-10T12:00:00+08:00')).body).toEqual({ days: '5.5', from: '2026-09-28', to: '2026-10-10' });
    expect((await preview('2026-12-10T13:00:00+08:00', '2026-12-11T12:00:00+08:00')).body.days).toBe('1.0');
    const badPreview = await preview('2026-12-10T13:00', '2026-12-09T12:00:00+08:00');
    expect(badPreview.status).toBe(400);
    expect(badPreview.body.error.details.map((d: { field: string }) => d.field)).toContain('query.startAt');
  });

  it('工作日历：管理员按年份查看、新增、删除（影响天数）；销售员不能查看或修改', async () => {
    const list = (await w.c.admin('get', '/api/v1/work-calendar?year=2026&pageSize=200')).body;
    expect(list.total).toBe(39); // 33 holiday days in 7 blocks, 6 调休 workdays
    expect(list.items.filter((d: { kind: string }) => d.kind === 'makeUpWorkday').map((d: { date: string }) => d.date)).toEqual([
      '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
    ]);
    const national = (await w.c.admin('get', '/api/v1/work-calendar?year=2026&q=国庆&kind=holiday')).body;
    expect(national.items.map((d: { date: string }) => d.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
    expect((await w.c.admin('get', '/api/v1/work-calendar?year=2027')).body.total).toBe(0);

    const days = async () => (await w.c['wu.xs']('get', `/api/v1/leave-requests/days?startAt=${encodeURIComponent('2026-12-30T09:00:00+08:00')}&endAt=${encodeURIComponent('2026-12-31T18:00:00+08:00')}`)).body.days;
    expect(await days()).toBe('2.0');
    const added = await w.c.admin('post', '/api/v1/work-calendar').send({ date: '2026-12-31', kind: 'holiday', name: '公司年会' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ date: '2026-12-31', kind: 'holiday', kindLabel: '节假日', name: '公司年会' });
    expect(await days()).toBe('1.0');
    expect((await w.c.admin('post', '/api/v1/work-calendar').send({ date: '2026-12-31', kind: 'makeUpWorkday', name: '重复' })).status).toBe(409);
    const bad = await w.c.admin('post', '/api/v1/work-calendar').send({ date: '2026-13-01', kind: 'weekend', name: '' });
    expect([...new Set(bad.body.error.details.map((d: { field: string }) => d.field))].sort()).toEqual(['body.date', 'body.kind', 'body.name']);

    expect((await w.c['li.xs']('post', '/api/v1/work-calendar').send({ date: '2026-12-24', kind: 'holiday', name: '平安夜' })).status).toBe(403);
    expect((await w.c['li.xs']('delete', `/api/v1/work-calendar/${added.body.id}`)).status).toBe(403);
    expect((await w.c['li.xs']('get', '/api/v1/work-calendar')).status).toBe(403);
    expect((await w.c.admin('delete', `/api/v1/work-calendar/${added.body.id}`)).status).toBe(204);
    expect((await w.c.admin('delete', `/api/v1/work-calendar/${added.body.id}`)).status).toBe(404);
    expect(await days()).toBe('2.0');
  });
});
