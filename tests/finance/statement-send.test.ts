// 发送对账单到客户群 through the HTTP API, the notice planner and the WeCom adapter against its loopback
// fake. Customer C0002 (李销售's) has two groups routed to it here (WeCom robot, Feishu chat); a route
// without a customer (an internal group) gets nothing.
// invoice ¥1,130.00 on 2026-09-05 (before the range: 期初), invoice ¥565.00 on 2026-10-08, receipt
// ¥800.00 on 2026-10-20. October: 期初 1,130.00, 本期开票 565.00, 本期收款 800.00, 期末 1130 + 565 − 800 = 895.00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let fake: WecomFake;
let qian: AuthedClient, li: AuthedClient, wang: AuthedClient;
const id: Record<string, string> = {};
const october = { from: '2026-10-01', to: '2026-10-31' };

const invoice = async (customerId: string, invoiceDate: string, amountWithTax: string, invoiceNo: string) => {
  const draft = await qian('post', '/api/v1/sales-invoices').send({ customerId, kind: 'ordinary', invoiceDate, lines: [{ description: '货款', amountWithTax, taxRate: '0.13' }] });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  expect((await qian('post', `/api/v1/sales-invoices/${draft.body.id}/issue`).send({ invoiceNo })).status).toBe(200);
};

beforeAll(async () => {
  t = await createTestApp();
  fake = await startWecomFake({ corpId: 'wwtest', secret: 's3cret', agentId: 1000002, robotKeys: ['c0002-group'] });
  [qian, li, wang] = await Promise.all([as(t, 'qian.kj'), as(t, 'li.xs'), as(t, 'wang.cg')]);
  const sys = t.database.system;
  const c2 = await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } });
  id.c2 = c2.id;
  id.c2name = c2.name;
  id.c3 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0003' } })).id;
  id.c4 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0004' } })).id;
  await sys.notificationRoute.createMany({
    data: [
      { companyId: c2.companyId, topic: 'order.progress', platform: 'wecom', targetKind: 'group', targetId: 'robot:c0002-group', name: 'C0002 企业微信群', customerId: c2.id },
      { companyId: c2.companyId, topic: 'order.progress', platform: 'lark', targetKind: 'group', targetId: 'oc_c0002', name: 'C0002 飞书群', customerId: c2.id },
      { companyId: c2.companyId, topic: 'order.progress', platform: 'lark', targetKind: 'group', targetId: 'oc_sales_all', name: '销售内部群' },
    ],
  });
  await invoice(id.c2, '2026-09-05', '1130', '26330000000000000201');
  await invoice(id.c2, '2026-10-08', '565', '26330000000000000202');
  const receipt = await qian('post', '/api/v1/customer-receipts').send({ customerId: id.c2, amount: '800', receivedOn: '2026-10-20', method: '电汇' });
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

describe('发送对账单到客户群', () => {
  it('销售员发送自己客户的对账单：每个绑定该客户的群一张卡片，金额与对账单一致，记审计', async () => {
    const sent = await li('post', `/api/v1/customer-statements/${id.c2}/send`).send(october);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toMatchObject({ customerId: id.c2, opening: '1130.00', invoiced: '565.00', received: '800.00', closing: '895.00', groups: 2 });

    const sys = t.database.system;
    await planDeliveries(t.database, { debounceMs: 0, publicBaseUrl: 'https://yq.example.cn' });
    const planned = await sys.noticeDelivery.findMany({ where: { idempotencyKey: { startsWith: 'statement:' } }, orderBy: { platform: 'asc' } });
    expect(planned.map((d) => `${d.platform}:${d.targetId}`).sort()).toEqual(['lark:oc_c0002', 'wecom:robot:c0002-group']);
    const card = planned[0]!.card as { title: string; fields: { label: string; value: string }[]; link: { text: string; url: string } };
    expect(card.title).toBe(`对账单 ${id.c2name} 2026-10-01–2026-10-31`);
    expect(card.fields).toEqual([
      { label: '期初', value: '¥1,130.00' },
      { label: '本期开票', value: '¥565.00' },
      { label: '本期收款', value: '¥800.00' },
      { label: '期末', value: '¥895.00' },
    ]);
    expect(card.link).toEqual({ text: '查看', url: `https://yq.example.cn/m/#/receivables/${id.c2}?from=2026-10-01&to=2026-10-31` });

    const adapters = new Map([['wecom' as const, new WecomAdapter({ corpId: 'wwtest', secret: 's3cret', agentId: 1000002, baseUrl: fake.url })]]);
    await sendDueDeliveries(sys, adapters, { worker: 'test', backoffMs: 1 });
    expect(fake.robot.filter((m) => m.key === 'c0002-group')).toHaveLength(1);
    const body = JSON.stringify(fake.robot[0]!.body);
    for (const s of ['对账单', '¥1,130.00', '¥565.00', '¥800.00', '¥895.00']) expect(body).toContain(s);

    const audit = await sys.auditLog.findFirst({ where: { entity: 'customerStatement', entityId: id.c2, action: 'send' } });
    expect(audit?.after).toMatchObject({ closing: '895.00', groups: 2 });
  });

  it('客户没有绑定群聊 409；别人的客户 404；无权限 403；日期颠倒 400', async () => {
    const none = await li('post', `/api/v1/customer-statements/${id.c3}/send`).send(october);
    expect(none.status).toBe(409);
    expect(none.body.error.message).toMatch(/^客户 .+ 没有绑定群聊，不能发送对账单$/);
    expect((await li('post', `/api/v1/customer-statements/${id.c4}/send`).send(october)).status).toBe(404);
    expect((await wang('post', `/api/v1/customer-statements/${id.c2}/send`).send(october)).status).toBe(403);
    expect((await li('post', `/api/v1/customer-statements/${id.c2}/send`).send({ from: '2026-10-31', to: '2026-10-01' })).status).toBe(400);
    const events = await t.database.system.outboxEvent.count({ where: { type: 'receivables.statement' } });
    expect(events).toBe(1);
  });
});
