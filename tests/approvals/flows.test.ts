// 审批流程 API: list / get / create; an edit is a new version (old rows stay, `current` moves);
// deactivate; validation naming the field; permissions; tenancy; audit and outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecondCompany } from '../helpers/factories.ts';
import { as } from '../helpers/factories.ts';
import { approvalWorld, orderAt, submit, type ApprovalWorld } from './helpers.ts';

let w: ApprovalWorld;
beforeAll(async () => {
  w = await approvalWorld();
});
afterAll(async () => w?.t.close());

const flowCount = () => w.t.database.system.approvalFlow.count();
const step = (extra: Record<string, unknown> = {}) => ({ name: '部门负责人', approvers: { kind: 'departmentHead' }, ...extra });

describe('审批流程', () => {
  it('演示数据：销售折扣、销售订单金额、采购订单、费用报销、请假、合同评审流程；筛选、搜索、排序', async () => {
    const res = await w.c.admin('get', '/api/v1/approval-flows?sort=businessType');
    expect(res.status).toBe(200);
    expect(res.body.items.map((f: { businessType: string }) => f.businessType)).toEqual(['salesDiscount', 'salesOrderAmount', 'purchaseOrder', 'expenseClaim', 'leaveRequest', 'contractReview']);
    const discount = res.body.items[0];
    expect(discount).toMatchObject({ name: '销售折扣审批', businessTypeLabel: '销售折扣', version: 1, current: true, active: true, remindAfterHours: 4, escalateAfterHours: 24 });
    expect(discount.steps).toEqual([
      { name: '销售经理', approvers: { kind: 'role', roleCode: 'sales_manager' }, mode: 'anyOf', condition: { field: 'discountRate', op: '>', value: 0.1 } },
      { name: '总经理', approvers: { kind: 'role', roleCode: 'boss' }, mode: 'anyOf', condition: { field: 'discountRate', op: '>', value: 0.2 } },
    ]);
    expect(res.body.items.find((f: { businessType: string }) => f.businessType === 'expenseClaim').ccUsers).toEqual([{ id: expect.any(String), name: '钱会计' }]);
    expect((await w.c.admin('get', '/api/v1/approval-flows?businessType=leaveRequest')).body.items.map((f: { name: string }) => f.name)).toEqual(['请假审批']);
    expect((await w.c.admin('get', '/api/v1/approval-flows?q=报销')).body.total).toBe(1);
    expect((await w.c.admin('get', '/api/v1/approval-flows?businessType=nope')).body.error.details[0].field).toBe('query.businessType');
    expect((await w.c.admin('get', `/api/v1/approval-flows/${discount.id}`)).body.id).toBe(discount.id);
  });

  it('新增：通用审批 v1；同一业务类型再建 → 409 指向 businessType；审计与事件', async () => {
    const before = await flowCount();
    const res = await w.c.admin('post', '/api/v1/approval-flows').send({
      businessType: 'general', name: '通用审批', steps: [step(), { name: '总经理', approvers: { kind: 'users', userIds: [w.user.boss] }, mode: 'allOf' }], ccUserIds: [w.user['zhang.jl']],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ businessType: 'general', version: 1, current: true, active: true, ccUsers: [{ name: '张经理' }], createdBy: { name: '系统管理员' } });
    expect(res.body.steps[0].mode).toBe('anyOf');
    const dup = await w.c.admin('post', '/api/v1/approval-flows').send({ businessType: 'salesDiscount', name: '又一个', steps: [step()] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toEqual([{ field: 'body.businessType', label: '业务类型', message: '已存在' }]);
    expect(dup.body.error.message).toContain('「销售折扣」已有审批流程（版本 1）');
    expect(await flowCount()).toBe(before + 1);
    expect(await w.t.database.system.auditLog.count({ where: { entity: 'approvalFlow', entityId: res.body.id, action: 'create' } })).toBe(1);
    expect(await w.t.database.system.outboxEvent.count({ where: { type: 'approvalFlow.created', aggregateId: res.body.id } })).toBe(1);
  });

  it('校验：未知角色 / 用户 / 抄送人、条件值、空步骤 → 400 指明字段，数据库不变', async () => {
    const before = await flowCount();
    const post = (body: Record<string, unknown>) => w.c.admin('post', '/api/v1/approval-flows').send({ businessType: 'contractReview', name: '合同评审', steps: [step()], ...body });
    const cases: [Record<string, unknown>, string, string, string][] = [
      [{ steps: [{ name: '法务', approvers: { kind: 'role', roleCode: 'lawyer' } }] }, 'body.steps.0.approvers.roleCode', '第 1 步 审批人 角色编码', '角色 lawyer 不存在'],
      [{ steps: [step(), { name: '指定', approvers: { kind: 'users', userIds: ['00000000-0000-4000-8000-000000000000'] } }] }, 'body.steps.1.approvers.userIds.0', '第 2 步 审批人 用户 第 1 项', '用户不存在或已停用'],
      [{ ccUserIds: [w.user.boss, '00000000-0000-4000-8000-000000000001'] }, 'body.ccUserIds.1', '抄送人 第 2 项', '用户不存在或已停用'],
      [{ steps: [step({ condition: { field: 'amount', op: '>=', value: -1 } })] }, 'body.steps.0.condition.value', '第 1 步 条件 比较值', '必须是不小于 0 的数字'],
      [{ steps: [step({ condition: { field: 'weight', op: '>', value: 1 } })] }, 'body.steps.0.condition.field', '第 1 步 条件 条件字段', expect.stringContaining('条件字段只能是')],
      [{ steps: [step({ approvers: { kind: 'manager', level: 11 } })] }, 'body.steps.0.approvers.level', '第 1 步 审批人 级别', '上级层级最多 10 级'],
      [{ steps: [step({ mode: 'some' })] }, 'body.steps.0.mode', '第 1 步 审批方式', '只能是 anyOf（或签）或 allOf（会签）'],
      [{ steps: [] }, 'body.steps', '审批步骤', '至少需要一个审批节点'],
      [{ name: 'x'.repeat(61) }, 'body.name', '名称', '最长 60 个字符'],
      [{ remindAfterHours: 0 }, 'body.remindAfterHours', '超时提醒（小时）', '至少 1 小时'],
      [{ businessType: 'travel' }, 'body.businessType', '业务类型', expect.stringContaining('业务类型只能是')],
    ];
    for (const [body, field, label, message] of cases) {
      const res = await post(body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.details, field).toContainEqual({ field, label, message });
    }
    expect(await flowCount()).toBe(before);
  });

  it('修改 = 新版本：旧版本保留、current 移到新版本；过期版本号或旧版本 id → 409；停用后提交不需审批', async () => {
    const list = await w.c.admin('get', '/api/v1/approval-flows?businessType=salesDiscount');
    const v1 = list.body.items[0];
    const res = await w.c.admin('patch', `/api/v1/approval-flows/${v1.id}`).send({ version: 1, name: '销售折扣审批（新）', remindAfterHours: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, current: true, name: '销售折扣审批（新）', remindAfterHours: null, escalateAfterHours: 24 });
    expect(res.body.id).not.toBe(v1.id);
    expect(res.body.steps).toEqual(v1.steps);
    expect((await w.c.admin('get', `/api/v1/approval-flows/${v1.id}`)).body).toMatchObject({ version: 1, current: false, name: '销售折扣审批' });
    expect((await w.c.admin('get', '/api/v1/approval-flows?businessType=salesDiscount')).body.items.map((f: { version: number }) => f.version)).toEqual([2]);
    expect((await w.c.admin('get', '/api/v1/approval-flows?businessType=salesDiscount&allVersions=true&sort=version')).body.items.map((f: { version: number }) => f.version)).toEqual([1, 2]);

    const before = await flowCount();
    let stale = await w.c.admin('patch', `/api/v1/approval-flows/${res.body.id}`).send({ version: 1, name: '过期' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual([{ field: 'body.version', label: '版本号', message: '版本已过期' }]);
    stale = await w.c.admin('patch', `/api/v1/approval-flows/${v1.id}`).send({ version: 2, name: '旧版本' });
    expect(stale.status).toBe(409);
    expect((await w.c.admin('patch', `/api/v1/approval-flows/${res.body.id}`).send({ name: '没有版本号' })).body.error.details[0].field).toBe('body.version');
    expect(await flowCount()).toBe(before);
    expect(await w.t.database.system.outboxEvent.count({ where: { type: 'approvalFlow.updated', aggregateId: res.body.id } })).toBe(1);

    const off = await w.c.admin('post', `/api/v1/approval-flows/${res.body.id}/deactivate`);
    expect(off.body).toMatchObject({ active: false, version: 2 });
    const order = await orderAt(w, w.c['li.xs'], '0.30');
    expect((await submit(w.c['li.xs'], order.id)).state).toBe('confirmed');
    expect((await w.c.admin('post', `/api/v1/approval-flows/${v1.id}/activate`)).status).toBe(409); // an old version
    expect((await w.c.admin('post', `/api/v1/approval-flows/${res.body.id}/activate`)).body.active).toBe(true);
    const again = await orderAt(w, w.c['li.xs'], '0.30');
    expect((await submit(w.c['li.xs'], again.id)).state).toBe('pendingApproval');
  });

  it('权限：销售、销售经理不能管理流程（403）；别家公司的流程 → 404', async () => {
    expect((await w.c['li.xs']('get', '/api/v1/approval-flows')).status).toBe(403);
    expect((await w.c['zhang.jl']('post', '/api/v1/approval-flows').send({ businessType: 'general', name: 'x', steps: [step()] })).status).toBe(403);
    const flow = (await w.c.admin('get', '/api/v1/approval-flows?businessType=purchaseOrder')).body.items[0];
    await createSecondCompany(w.t);
    const other = await as(w.t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/approval-flows/${flow.id}`)).status).toBe(404);
    expect((await other('patch', `/api/v1/approval-flows/${flow.id}`).send({ version: 1, name: '抢' })).status).toBe(404);
    expect((await other('get', '/api/v1/approval-flows')).body.total).toBe(0);
    const created = await other('post', '/api/v1/approval-flows').send({ businessType: 'salesDiscount', name: '另一家的折扣审批', steps: [step()] });
    expect(created.status).toBe(201); // business types are per company
  });
});
