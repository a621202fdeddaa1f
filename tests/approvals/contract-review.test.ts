// 合同评审: a 销售合同 below ¥100,000 takes effect at submit; from ¥100,000 the sales manager
// reviews it; from ¥500,000 also the boss and the accountant, both of them (会签: one rejection
// ends it). While under review the contract is locked; rejected or withdrawn → 草稿 again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalWorld, eventsSince, mark, type ApprovalWorld } from './helpers.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let w: ApprovalWorld;
let qian: AuthedClient;
let wang: AuthedClient;
beforeAll(async () => {
  w = await approvalWorld({ stock: false });
  [qian, wang] = await Promise.all([as(w.t, 'qian.kj'), as(w.t, 'wang.cg')]);
});
afterAll(async () => w?.t.close());

const contracts = () => w.t.database.system.salesContract.count();
async function draft(amount: string, extra: Record<string, unknown> = {}) {
  const res = await w.c['li.xs']('post', '/api/v1/contracts').send({
    title: '2027 年度紧固件供货框架合同', customerId: w.customerId, amount, signDate: '2026-11-20', startDate: '2027-01-01', endDate: '2027-12-31',
    paymentTerms: '月结 30 天', content: '按月下单，价格按季度调整', ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string; version: number };
}
const submit = (id: string) => w.c['li.xs']('post', `/api/v1/contracts/${id}/submit`);
const decide = (who: AuthedClient, approvalId: string, decision: 'agree' | 'reject', comment?: string) =>
  who('post', `/api/v1/approvals/${approvalId}/decide`).send({ decision, comment });

describe('销售合同', () => {
  it('新增草稿：编号 HT-，默认销售员是录入人；列表分页、搜索、筛选', async () => {
    const c = await draft('80000');
    const got = (await w.c['li.xs']('get', `/api/v1/contracts/${c.id}`)).body;
    expect(got).toMatchObject({
      number: expect.stringMatching(/^HT-\d{8}-\d{4}$/), state: 'draft', stateLabel: '草稿', amount: '80000.00', owner: { name: '李销售' },
      customer: { code: 'C0002' }, signDate: '2026-11-20', startDate: '2027-01-01', endDate: '2027-12-31', paymentTerms: '月结 30 天', approvalId: null,
    });
    await draft('120000', { title: '模具加工合同', signDate: '2026-10-08' });
    const byTitle = await w.c['li.xs']('get', '/api/v1/contracts?q=模具');
    expect(byTitle.body.items.map((x: { title: string }) => x.title)).toEqual(['模具加工合同']);
    expect((await w.c['li.xs']('get', '/api/v1/contracts?q=北仑')).body.total).toBeGreaterThanOrEqual(2); // customer name
    expect((await w.c['li.xs']('get', '/api/v1/contracts?from=2026-11-01&to=2026-11-30')).body.items.every((x: { signDate: string }) => x.signDate.startsWith('2026-11'))).toBe(true);
    const paged = await w.c['li.xs']('get', '/api/v1/contracts?pageSize=1&page=2&sort=amount');
    expect(paged.body).toMatchObject({ page: 2, pageSize: 1 });
    expect(paged.body.items[0].amount).toBe('120000.00');
    expect((await w.c['li.xs']('get', '/api/v1/contracts?state=confirmed')).body.total).toBe(0);
    // data scope: another salesperson does not see li.xs's contracts; their manager does
    expect((await w.c['wu.xs']('get', `/api/v1/contracts/${c.id}`)).status).toBe(404);
    expect((await w.c['wu.xs']('get', '/api/v1/contracts')).body.total).toBe(0);
    expect((await w.c['zhang.jl']('get', `/api/v1/contracts/${c.id}`)).status).toBe(200);
  });

  it('错误输入 → 400 指明字段，什么都不写；无权限 403；其他公司 404', async () => {
    const before = await contracts();
    const post = (body: Record<string, unknown>) => w.c['li.xs']('post', '/api/v1/contracts').send(body);
    const base = { title: '合同', customerId: w.customerId, amount: '1000' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, title: '' }, 'body.title'],
      [{ ...base, amount: '0' }, 'body.amount'],
      [{ ...base, amount: '12.345' }, 'body.amount'],
      [{ ...base, amount: '-5' }, 'body.amount'],
      [{ ...base, customerId: '00000000-0000-4000-8000-000000000000' }, 'body.customerId'],
      [{ ...base, signDate: '2026-02-30' }, 'body.signDate'],
      [{ ...base, startDate: '2027-02-01', endDate: '2027-01-01' }, 'body.endDate'],
      [{ ...base, attachmentId: '00000000-0000-4000-8000-000000000000' }, 'body.attachmentId'],
      [{ ...base, content: 'x'.repeat(2001) }, 'body.content'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field), field).toContain(field);
    }
    // another salesperson's customer is outside li.xs's scope
    const notMine = await w.t.database.system.customer.findFirstOrThrow({ where: { ownerId: w.user['wu.xs'] } });
    const outside = await post({ ...base, customerId: notMine.id });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details).toEqual([{ field: 'body.customerId', label: '客户', message: '客户不存在' }]);
    expect(await contracts()).toBe(before);
    expect((await wang('post', '/api/v1/contracts').send(base)).status).toBe(403); // 采购员 has no contract:create
    expect((await wang('get', '/api/v1/contracts')).status).toBe(403);
    const c = await draft('1000');
    await createSecondCompany(w.t);
    const other = await as(w.t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/contracts/${c.id}`)).status).toBe(404);
    expect((await other('post', `/api/v1/contracts/${c.id}/submit`)).status).toBe(404);
  });

  it('修改草稿需要 version：过期 409；删除草稿', async () => {
    const c = await draft('5000');
    const ok = await w.c['li.xs']('patch', `/api/v1/contracts/${c.id}`).send({ version: c.version, amount: '6000', title: '补充协议' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ amount: '6000.00', title: '补充协议', version: c.version + 1 });
    const stale = await w.c['li.xs']('patch', `/api/v1/contracts/${c.id}`).send({ version: c.version, amount: '7000' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual([{ field: 'body.version', label: '版本号', message: '版本已过期' }]);
    expect((await w.c['li.xs']('delete', `/api/v1/contracts/${c.id}`)).status).toBe(204);
    expect((await w.c['li.xs']('get', `/api/v1/contracts/${c.id}`)).status).toBe(404);
    expect(await w.t.database.system.auditLog.count({ where: { entity: 'contract', entityId: c.id } })).toBe(3);
  });
});

describe('合同评审', () => {
  it('¥80,000：无需评审，提交即生效，写 contract.approved 事件', async () => {
    const c = await draft('80000');
    const m = await mark(w);
    const res = await submit(c.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ state: 'confirmed', stateLabel: '已生效', approvalId: null });
    expect(await eventsSince(w, m, 'contract.')).toEqual([
      { type: 'contract.approved', payload: { contractId: c.id, number: c.number, amount: '80000.00', customerId: w.customerId, ownerId: w.user['li.xs'] } },
    ]);
    const again = await submit(c.id);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('合同已生效，不能提交');
  });

  it('¥180,000：评审中（锁定），张经理同意 → 已生效；卡片摘要有金额与客户', async () => {
    const c = await draft('180000');
    const res = await submit(c.id);
    expect(res.body).toMatchObject({ state: 'pendingApproval', stateLabel: '评审中' });
    const approvalId = res.body.approvalId as string;
    const detail = (await w.c['zhang.jl']('get', `/api/v1/approvals/${approvalId}`)).body;
    expect(detail).toMatchObject({ businessType: 'contractReview', documentRoute: `contracts/${c.id}`, canDecide: true, currentStep: { name: '销售经理' } });
    expect(detail.steps).toHaveLength(1);
    expect(detail.summary.fields).toEqual(expect.arrayContaining([{ label: '合同金额', value: '¥180,000.00' }, { label: '付款条件', value: '月结 30 天' }]));
    expect(detail.summary.rule).toBe('金额 ¥180,000.00 达到 ¥100,000.00，需销售经理审批');
    // locked while under review
    const edit = await w.c['li.xs']('patch', `/api/v1/contracts/${c.id}`).send({ version: res.body.version, amount: '1' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toContain('评审中');
    expect((await w.c['li.xs']('delete', `/api/v1/contracts/${c.id}`)).status).toBe(409);
    expect((await decide(w.c['zhang.jl'], approvalId, 'agree')).status).toBe(200);
    expect((await w.c['li.xs']('get', `/api/v1/contracts/${c.id}`)).body).toMatchObject({ state: 'confirmed', approvalId });
  });

  it('¥600,000：销售经理之后总经理与财务会签；两人都同意才生效', async () => {
    const c = await draft('600000');
    const approvalId = (await submit(c.id)).body.approvalId as string;
    await decide(w.c['zhang.jl'], approvalId, 'agree');
    const after = (await w.c.boss('get', `/api/v1/approvals/${approvalId}`)).body;
    expect(after.currentStep).toMatchObject({ name: '总经理与财务会签', mode: 'allOf' });
    const step = after.steps.find((s: { index: number }) => s.index === after.currentStep.index);
    expect(step.tasks.map((t: { approver: { name: string } }) => t.approver.name).sort()).toEqual(['老板', '钱会计'].sort());
    expect((await decide(w.c.boss, approvalId, 'agree')).body.state).toBe('pending');
    expect((await w.c['li.xs']('get', `/api/v1/contracts/${c.id}`)).body.state).toBe('pendingApproval');
    expect((await decide(qian, approvalId, 'agree')).body.state).toBe('approved');
    expect((await w.c['li.xs']('get', `/api/v1/contracts/${c.id}`)).body.state).toBe('confirmed');
  });

  it('会签中财务驳回 → 结束，合同退回草稿（理由记审计），改后可再提交', async () => {
    const c = await draft('550000');
    const submitted = (await submit(c.id)).body;
    await decide(w.c['zhang.jl'], submitted.approvalId, 'agree');
    const rejected = await decide(qian, submitted.approvalId, 'reject', '付款条件过长，需预付 30%');
    expect(rejected.body).toMatchObject({ state: 'rejected', rejectReason: '付款条件过长，需预付 30%' });
    const back = (await w.c['li.xs']('get', `/api/v1/contracts/${c.id}`)).body;
    expect(back.state).toBe('draft');
    const audit = await w.t.database.system.auditLog.findFirst({ where: { entity: 'contract', entityId: c.id, action: 'backToDraft' } });
    expect(audit?.after).toMatchObject({ state: 'draft', reason: '付款条件过长，需预付 30%' });
    const edited = await w.c['li.xs']('patch', `/api/v1/contracts/${c.id}`).send({ version: back.version, paymentTerms: '预付 30%，余款月结 30 天' });
    expect(edited.status).toBe(200);
    const again = (await submit(c.id)).body;
    expect(again.state).toBe('pendingApproval');
    expect(again.approvalId).not.toBe(submitted.approvalId);
    // the reviewed draft cannot be deleted any more (its history stays): 作废 instead
  });

  it('撤回 → 草稿；评审中作废 → 评审结束（已撤回），合同已作废；评审过的合同不能删除', async () => {
    const c = await draft('150000');
    const first = (await submit(c.id)).body;
    expect((await w.c['li.xs']('post', `/api/v1/approvals/${first.approvalId}/withdraw`).send({})).status).toBe(200);
    expect((await w.c['li.xs']('get', `/api/v1/contracts/${c.id}`)).body.state).toBe('draft');
    const del = await w.c['li.xs']('delete', `/api/v1/contracts/${c.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('评审记录');

    const second = (await submit(c.id)).body;
    const cancelled = await w.c['li.xs']('post', `/api/v1/contracts/${c.id}/cancel`).send({ reason: '客户改签' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', stateLabel: '已作废' });
    const a = await w.t.database.system.approval.findUniqueOrThrow({ where: { id: second.approvalId } });
    expect(a.state).toBe('withdrawn');
    expect((await decide(w.c['zhang.jl'], second.approvalId, 'agree')).status).toBe(409);
    expect((await w.c['li.xs']('post', `/api/v1/contracts/${c.id}/cancel`).send({})).status).toBe(409);
  });

  it('并发：同一合同 20 次同时提交 → 只发起一次评审', async () => {
    const c = await draft('200000');
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(c.id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(await w.t.database.system.approval.count({ where: { documentId: c.id } })).toBe(1);
  });
});
