// CRM through the HTTP API: leads (convert once, even twice at once), opportunities (stage moves with
// their probability, pipeline and forecast figures by hand), follow-ups (next contact date on the
// customer, one reminder event per follow-up and day), the customer 360, data scope and bad input.
// Set up like the demo (prisma/seed-data/crm.ts), 李销售's open opportunities: C0002 需求确认 120,000
// (30 % → 36,000), C0003 初步接洽 50,000 (10 % → 5,000), C0007 报价 80,000 (50 % → 40,000), C0013
// 谈判 200,000 (70 % → 140,000): 4 open, 450,000.00, weighted 221,000.00; 刘销售's C0027 需求确认 90,000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { FOLLOW_UP_DUE_EVENT, scheduleFollowUpReminders } from '../../server/modules/crm/index.ts';
import { todayInShanghai } from '../../server/modules/finance/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let li: AuthedClient, zhang: AuthedClient, liu: AuthedClient, qian: AuthedClient;
const id: Record<string, string> = {};
const stage: Record<string, string> = {};

const customerId = async (code: string) => (await t.database.system.customer.findFirstOrThrow({ where: { code } })).id;
const ok = (res: { status: number; body: unknown }, status = 200) => expect(res.status, JSON.stringify(res.body)).toBe(status);
const inDays = (n: number) => {
  const d = new Date(`${todayInShanghai()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

async function opportunity(who: AuthedClient, code: string, title: string, amount: string, stageName: string) {
  const res = await who('post', '/api/v1/opportunities').send({ customerId: id[code], title, amount, expectedCloseDate: inDays(30), stageId: stage[stageName] });
  ok(res, 201);
  return res.body as { id: string; version: number };
}

beforeAll(async () => {
  t = await createTestApp();
  [li, zhang, liu, qian] = await Promise.all([as(t, 'li.xs'), as(t, 'zhang.jl'), as(t, 'liu.xs'), as(t, 'qian.kj')]);
  for (const c of ['C0002', 'C0003', 'C0007', 'C0013', 'C0027']) id[c] = await customerId(c);
  id.m8 = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  const stages = await li('get', '/api/v1/opportunity-stages');
  ok(stages);
  for (const s of stages.body as { id: string; name: string }[]) stage[s.name] = s.id;
  await opportunity(li, 'C0002', '港城汽车 M8 螺栓框架', '120000', '需求确认');
  await opportunity(li, 'C0003', '甬兴电力金具配套螺母', '50000', '初步接洽');
  await opportunity(li, 'C0007', '鑫达阀门法兰螺栓', '80000', '报价');
  await opportunity(li, 'C0013', '阳光新能源支架紧固件', '200000', '谈判');
  await opportunity(liu, 'C0027', '汇丰五金机电年度紧固件', '90000', '需求确认');
  ok(await li('post', '/api/v1/follow-ups').send({ customerId: id.C0002, type: 'phone', content: '确认 M8×30 用量约 60 万只', nextContactOn: todayInShanghai() }), 201);
  ok(await liu('post', '/api/v1/follow-ups').send({ customerId: id.C0027, type: 'visit', content: '拜访采购部', nextContactOn: todayInShanghai() }), 201);
  ok(await liu('post', '/api/v1/leads').send({ contactName: '黄伟', company: '佛山市三水恒泰钢构有限公司', source: 'phone' }), 201);
});
afterAll(async () => t?.close());

describe('商机：阶段、漏斗、预测', () => {
  it('默认阶段带赢单概率；李销售的漏斗只算自己进行中的商机', async () => {
    expect(Object.keys(stage)).toEqual(['初步接洽', '需求确认', '报价', '谈判', '赢单', '输单', '无效']);
    const res = await li('get', '/api/v1/opportunities/pipeline');
    ok(res);
    expect(res.body.stages.map((s: { stage: { name: string; probability: string }; count: number; amount: string; weightedAmount: string }) =>
      [s.stage.name, s.stage.probability, s.count, s.amount, s.weightedAmount])).toEqual([
      ['初步接洽', '0.1000', 1, '50000.00', '5000.00'],
      ['需求确认', '0.3000', 1, '120000.00', '36000.00'],
      ['报价', '0.5000', 1, '80000.00', '40000.00'],
      ['谈判', '0.7000', 1, '200000.00', '140000.00'],
    ]);
    expect([res.body.count, res.body.amount, res.body.weightedAmount]).toEqual([4, '450000.00', '221000.00']);
    // 张经理 also sees 刘销售's 需求确认 90,000 (→ 27,000)
    const team = await zhang('get', '/api/v1/opportunities/pipeline');
    expect([team.body.count, team.body.amount, team.body.weightedAmount]).toEqual([5, '540000.00', '248000.00']);
  });

  it('变更阶段：概率随阶段、历史与审计；预测按月和销售员 = 金额 × 概率；输单要原因；结束后不能再变', async () => {
    const a = await li('post', '/api/v1/opportunities').send({ customerId: id.C0003, title: '测试商机 A', amount: '10000.00', expectedCloseDate: '2031-03-15' });
    ok(a, 201);
    expect([a.body.stage.name, a.body.probability, a.body.weightedAmount]).toEqual(['初步接洽', '0.1000', '1000.00']);
    const moved = await li('post', `/api/v1/opportunities/${a.body.id}/stage`).send({ stageId: stage['需求确认'], version: a.body.version });
    ok(moved);
    expect([moved.body.stage.name, moved.body.probability, moved.body.weightedAmount]).toEqual(['需求确认', '0.3000', '3000.00']);
    expect(moved.body.history.map((h: { fromStage: string | null; toStage: string; probability: string }) => [h.fromStage, h.toStage, h.probability]))
      .toEqual([[null, '初步接洽', '0.1000'], ['初步接洽', '需求确认', '0.3000']]);
    const audits = await t.database.system.auditLog.count({ where: { entity: 'opportunity', entityId: a.body.id } });
    expect(audits).toBe(2);

    const b = await li('post', '/api/v1/opportunities').send({ customerId: id.C0002, title: '测试商机 B', amount: '2500.50', expectedCloseDate: '2031-04-02', stageId: stage['报价'] });
    ok(b, 201);
    const c = await liu('post', '/api/v1/opportunities').send({ customerId: id.C0027, title: '测试商机 C', amount: '999.99', expectedCloseDate: '2031-03-31', stageId: stage['谈判'] });
    ok(c, 201);
    // 李: 2031-03 10,000 × 0.3 = 3,000.00; 2031-04 2,500.50 × 0.5 = 1,250.25 → 4,250.25 of 12,500.50
    const mine = await li('get', '/api/v1/opportunities/forecast?from=2031-03&to=2031-04');
    ok(mine);
    expect(mine.body.rows.map((r: { month: string; owner: { name: string }; count: number; amount: string; weightedAmount: string }) => [r.month, r.owner.name, r.count, r.amount, r.weightedAmount]))
      .toEqual([['2031-03', '李销售', 1, '10000.00', '3000.00'], ['2031-04', '李销售', 1, '2500.50', '1250.25']]);
    expect([mine.body.amount, mine.body.weightedAmount]).toEqual(['12500.50', '4250.25']);
    // 张经理 sees 刘销售's too: 999.99 × 0.7 = 699.993 → 699.99; all: 13,500.49, Σ 4,950.243 → 4,950.24
    const team = await zhang('get', '/api/v1/opportunities/forecast?from=2031-03&to=2031-04');
    expect(team.body.rows.map((r: { month: string; owner: { name: string }; weightedAmount: string }) => [r.month, r.owner.name, r.weightedAmount]))
      .toEqual([['2031-03', '李销售', '3000.00'], ['2031-03', '刘销售', '699.99'], ['2031-04', '李销售', '1250.25']]);
    expect([team.body.amount, team.body.weightedAmount]).toEqual(['13500.49', '4950.24']);

    const noReason = await li('post', `/api/v1/opportunities/${b.body.id}/stage`).send({ stageId: stage['输单'], version: b.body.version });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('原因');
    const won = await li('post', `/api/v1/opportunities/${b.body.id}/stage`).send({ stageId: stage['赢单'], version: b.body.version });
    ok(won);
    expect(won.body.closedAt).not.toBeNull();
    const again = await li('post', `/api/v1/opportunities/${b.body.id}/stage`).send({ stageId: stage['谈判'], version: won.body.version });
    expect(again.status).toBe(409);
    const after = await li('get', '/api/v1/opportunities/forecast?from=2031-03&to=2031-04');
    expect([after.body.amount, after.body.weightedAmount]).toEqual(['10000.00', '3000.00']);
  });
});

describe('线索', () => {
  const leadInput = (company: string) => ({ contactName: '钱多多', company, title: '采购经理', phone: '13900001111', source: 'exhibition' });

  it('转化为客户和商机（一个事务）；第二次转化 409；同名客户 409 说明原因', async () => {
    const lead = await li('post', '/api/v1/leads').send(leadInput('测试转化五金有限公司'));
    ok(lead, 201);
    expect([lead.body.status, lead.body.owner.name]).toEqual(['new', '李销售']);
    const conv = await li('post', `/api/v1/leads/${lead.body.id}/convert`).send({ opportunity: { title: '首单', amount: '8000', expectedCloseDate: '2031-05-01' }, version: lead.body.version });
    ok(conv);
    expect(conv.body.lead.status).toBe('converted');
    expect(conv.body.opportunity.stage.name).toBe('初步接洽');
    const customer = await li('get', `/api/v1/customers/${conv.body.customer.id}`);
    ok(customer);
    expect([customer.body.name, customer.body.owner.name, customer.body.contacts[0].name, customer.body.contacts[0].mobile]).toEqual(['测试转化五金有限公司', '李销售', '钱多多', '13900001111']);
    const second = await li('post', `/api/v1/leads/${lead.body.id}/convert`).send({ createOpportunity: false, version: conv.body.lead.version });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain('已转化');

    const dup = await li('post', '/api/v1/leads').send(leadInput('宁波北仑港城汽车零部件有限公司'));
    const refused = await li('post', `/api/v1/leads/${dup.body.id}/convert`).send({ createOpportunity: false, version: dup.body.version });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('已有同名客户「宁波北仑港城汽车零部件有限公司」');
    expect(await t.database.system.customer.count({ where: { name: '宁波北仑港城汽车零部件有限公司' } })).toBe(1);
  });

  it('同时转化两次 → 只有一个客户', async () => {
    const lead = await li('post', '/api/v1/leads').send(leadInput('并发转化机械有限公司'));
    const body = { createOpportunity: false, version: lead.body.version };
    const results = await Promise.all([li('post', `/api/v1/leads/${lead.body.id}/convert`).send(body), li('post', `/api/v1/leads/${lead.body.id}/convert`).send(body)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await t.database.system.customer.count({ where: { name: '并发转化机械有限公司' } })).toBe(1);
  });

  it('分配需要 lead:assign：李销售 403，张经理把线索分给吴销售', async () => {
    const lead = await li('post', '/api/v1/leads').send(leadInput('分配测试有限公司'));
    const wu = (await t.database.system.user.findFirstOrThrow({ where: { username: 'wu.xs' } })).id;
    expect((await li('post', `/api/v1/leads/${lead.body.id}/assign`).send({ ownerId: wu, version: lead.body.version })).status).toBe(403);
    expect((await li('post', '/api/v1/leads').send({ ...leadInput('代建线索有限公司'), ownerId: wu })).status).toBe(403);
    const assigned = await zhang('post', `/api/v1/leads/${lead.body.id}/assign`).send({ ownerId: wu, version: lead.body.version });
    ok(assigned);
    expect(assigned.body.owner.name).toBe('吴销售');
    expect((await li('get', `/api/v1/leads/${lead.body.id}`)).status).toBe(404);
  });

  it('必填为空 → 400，中文写明字段；无效要原因', async () => {
    const res = await li('post', '/api/v1/leads').send({ contactName: ' ', company: '', source: 'website' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('联系人');
    expect(res.body.error.message).toContain('公司名称');
    const lead = await li('post', '/api/v1/leads').send(leadInput('无效测试有限公司'));
    const bad = await li('patch', `/api/v1/leads/${lead.body.id}`).send({ status: 'invalid', version: lead.body.version });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('无效原因');
  });
});

describe('跟进记录与提醒', () => {
  it('下次联系日期写到客户上；当天的提醒事件每条跟进只写一次，并发到销售员的聊天', async () => {
    const today = todayInShanghai();
    const res = await li('post', '/api/v1/follow-ups').send({ customerId: id.C0003, type: 'phone', content: '电话确认样品已收到', nextContactOn: today });
    ok(res, 201);
    const customer = await li('get', `/api/v1/customers?q=C0003`);
    expect(customer.body.items[0].nextContactOn).toBe(today);
    const now = new Date(`${today}T10:00:00+08:00`);
    // the two due today from the set-up (李销售 C0002, 刘销售 C0027) and this one
    expect(await scheduleFollowUpReminders(t.database, now)).toBe(3);
    expect(await scheduleFollowUpReminders(t.database, now)).toBe(0);
    const events = await t.database.system.outboxEvent.findMany({ where: { type: FOLLOW_UP_DUE_EVENT, aggregateId: `${today}:${res.body.id}` } });
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ customerName: '宁波镇海甬兴电力金具有限公司', type: '电话', content: '电话确认样品已收到' });
    await planDeliveries(t.database);
    const sent = await t.database.system.noticeDelivery.findMany({ where: { idempotencyKey: { startsWith: `follow-up-due:${today}:${res.body.id}:` } } });
    expect(sent.map((d) => d.targetId).sort()).toEqual(['li.xs', 'li.xs', 'ou_li.xs']);
    expect(sent[0]!.text).toContain('今日跟进：宁波镇海甬兴电力金具有限公司');
    expect(sent[0]!.text).toContain('电话确认样品已收到');
  });

  it('内容为空 → 400 写明「内容」；不在数据范围的客户 → 404', async () => {
    const empty = await li('post', '/api/v1/follow-ups').send({ customerId: id.C0003, type: 'phone', content: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('内容');
    expect((await li('post', '/api/v1/follow-ups').send({ customerId: id.C0027, type: 'phone', content: '试探' })).status).toBe(404);
  });
});

describe('客户 360 与数据范围', () => {
  it('一次返回资料、联系人、跟进、商机、订单进度、应收、审批中、拜访', async () => {
    const res = await li('get', `/api/v1/customers/${id.C0002}/360`);
    ok(res);
    expect(res.body.customer.code).toBe('C0002');
    expect(res.body.contacts.length).toBeGreaterThan(0);
    expect(res.body.followUps[0].content).toContain('M8×30');
    expect(res.body.opportunities.map((o: { stage: { name: string } }) => o.stage.name)).toContain('需求确认');
    expect(res.body.receivables).toMatchObject({ open: '0.00', overdue: '0.00', invoices: [] });
    expect(res.body.visits).toEqual([]);
    expect(res.body.orders).toEqual([]);
    expect(res.body.approvals).toEqual([]);
    // an order with a 15 % discount: it waits for 张经理, and the 360 shows both
    const order = await li('post', '/api/v1/sales-orders').send({ customerId: id.C0002, lines: [{ itemId: id.m8, quantity: '10', discountRate: '0.15' }] });
    ok(order, 201);
    ok(await li('post', `/api/v1/sales-orders/${order.body.id}/submit`).send({}));
    const after = await li('get', `/api/v1/customers/${id.C0002}/360`);
    expect(after.body.orders).toHaveLength(1);
    expect(after.body.orders[0]).toMatchObject({ number: order.body.number, state: 'pendingApproval', shipmentProgress: 'none' });
    expect(after.body.approvals).toHaveLength(1);
    expect(after.body.approvals[0]).toMatchObject({ documentType: 'salesOrder', documentId: order.body.id, state: 'pending' });
  });

  it('李销售打不开刘销售的线索、商机、跟进、360 → 404；张经理可以；会计没有线索权限 → 403', async () => {
    const sys = t.database.system;
    const liuId = (await sys.user.findFirstOrThrow({ where: { username: 'liu.xs' } })).id;
    const lead = await sys.lead.findFirstOrThrow({ where: { ownerId: liuId } });
    const opp = await sys.opportunity.findFirstOrThrow({ where: { ownerId: liuId } });
    const follow = await sys.followUp.findFirstOrThrow({ where: { ownerId: liuId } });
    for (const url of [`/api/v1/leads/${lead.id}`, `/api/v1/opportunities/${opp.id}`, `/api/v1/follow-ups/${follow.id}`, `/api/v1/customers/${id.C0027}/360`]) {
      expect((await li('get', url)).status, url).toBe(404);
      expect((await zhang('get', url)).status, url).toBe(200);
    }
    expect((await li('post', `/api/v1/opportunities/${opp.id}/stage`).send({ stageId: stage['报价'], version: opp.version })).status).toBe(404);
    expect((await qian('get', '/api/v1/leads')).status).toBe(403);
    expect((await li('delete', `/api/v1/follow-ups/${follow.id}`)).status).toBe(403);
    // a customer with opportunities stays
    const del = await zhang('delete', `/api/v1/customers/${id.C0013}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toBe('该记录正被商机引用，不能删除');
  });
});

describe('商机阶段设置', () => {
  it('销售经理重设进行中的阶段（改概率、加一个、停用一个）；销售员 403；结束阶段的名称不能用', async () => {
    const body = { stages: [{ id: stage['初步接洽'], name: '初步接洽', probability: '0.15' }, { name: '方案演示', probability: '0.4' }, { id: stage['报价'], name: '报价', probability: '0.5' }, { id: stage['谈判'], name: '谈判', probability: '0.8' }] };
    expect((await li('put', '/api/v1/opportunity-stages').send(body)).status).toBe(403);
    const bad = await zhang('put', '/api/v1/opportunity-stages').send({ stages: [{ name: '赢单', probability: '0.9' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('结束阶段');
    const res = await zhang('put', '/api/v1/opportunity-stages').send(body);
    ok(res);
    expect(res.body.filter((s: { active: boolean }) => s.active).map((s: { name: string; probability: string }) => `${s.name} ${s.probability}`))
      .toEqual(['初步接洽 0.1500', '方案演示 0.4000', '报价 0.5000', '谈判 0.8000', '赢单 1.0000', '输单 0.0000', '无效 0.0000']);
    // 需求确认 still holds opportunities: kept, inactive, and they stay at it
    expect(res.body.find((s: { name: string }) => s.name === '需求确认')).toMatchObject({ active: false });
    const pipeline = await li('get', '/api/v1/opportunities/pipeline');
    expect(pipeline.body.stages.map((s: { stage: { name: string } }) => s.stage.name)).toEqual(['初步接洽', '方案演示', '报价', '谈判', '需求确认']);
  });
});
