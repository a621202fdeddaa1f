// Story 1 on Feishu: 李销售 enters an order at 15 % discount → 张经理 gets an approval card → a
// correctly signed click on 同意 → the order is confirmed with stock reserved, every copy of the
// card is re-rendered as 已同意 by 张经理 with the time, and 李销售 hears of it. A second click,
// and a click by someone who is not the approver, change nothing and are told so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LarkAdapter } from '../../bot/channels/lark/adapter.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { larkCallback, larkCardActionEvent, larkMessageEvent, startLarkFake, type LarkFake } from '../fakes/lark.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

const APP = { appId: 'cli_appr', appSecret: 'secret_appr' };
const TOKEN = 'vt_appr';
const KEY = 'ek_appr_key';
const TENANT = 'tk_yunqiao_appr';
let fake: LarkFake;
let t: TestApp;
let adapters: Map<Platform, ChannelAdapter>;

beforeAll(async () => {
  fake = await startLarkFake(APP);
  t = await createTestApp({
    LARK_APP_ID: APP.appId, LARK_APP_SECRET: APP.appSecret, LARK_VERIFICATION_TOKEN: TOKEN, LARK_ENCRYPT_KEY: KEY,
    LARK_BASE_URL: fake.url, LARK_TENANT_KEY: TENANT, PUBLIC_BASE_URL: 'https://erp.example.cn',
  });
  const companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await t.database.system.companyPlatform.create({ data: { companyId, platform: 'lark', orgKey: TENANT } });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '100000', unitCost: '0.03' });
  adapters = new Map([['lark', LarkAdapter.fromConfig(t.config)!]]);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const deliver = async () => {
  await planDeliveries(t.database, { debounceMs: 0, platforms: ['lark'], publicBaseUrl: t.config.PUBLIC_BASE_URL });
  return sendDueDeliveries(t.database.system, adapters, { worker: 'test', backoffMs: 1 });
};
const click = (operatorOpenId: string, messageId: string, value: Record<string, string>, eventId?: string, formValue?: Record<string, string>) => {
  const cb = larkCallback(larkCardActionEvent({ token: TOKEN, tenantKey: TENANT, operatorOpenId, messageId, value, eventId, formValue }), { encryptKey: KEY });
  return t.http().post('/callbacks/lark').set(cb.headers).send(cb.body);
};
const cardJson = (m: { content: Record<string, unknown> }) => JSON.stringify(m.content);

async function discountedOrder(discountRate: string): Promise<{ id: string; number: string }> {
  const li = await as(t, 'li.xs');
  const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  // The company's price ¥0.1 a 个 = ¥100 a box, which the discount is taken off.
  const { id: m8Id } = await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } });
  const m8 = await t.database.system.item.update({ where: { id: m8Id }, data: { salePrice: '0.1' } });
  const created = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: m8.id, quantity: '10', discountRate }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const submitted = await li('post', `/api/v1/sales-orders/${created.body.id}/submit`).send({});
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  expect(submitted.body.state).toBe('pendingApproval');
  return { id: created.body.id, number: created.body.number };
}

describe('飞书里审批销售折扣（故事 1）', () => {
  it('15% 折扣：张经理收到卡片，点同意 → 订单确认并预留库存，所有卡片改成已同意，李销售收到通知', async () => {
    const order = await discountedOrder('0.15');
    await deliver();
    const toZhang = fake.sent.filter((m) => m.receiveId === 'ou_zhang.jl');
    expect(toZhang).toHaveLength(1);
    const card = toZhang[0]!;
    expect(card.msgType).toBe('interactive');
    expect(cardJson(card)).toContain(order.number);
    expect(cardJson(card)).toContain('15.0%');
    expect(cardJson(card)).toContain('同意');
    const copy = await t.database.system.approvalCard.findFirstOrThrow({ where: { targetId: 'ou_zhang.jl' } });
    const approval = await t.database.system.approval.findUniqueOrThrow({ where: { id: copy.approvalId } });
    const agree = { kind: 'approval', approvalId: approval.id, decision: 'agree', documentVersion: String(approval.documentVersion) };

    // Someone who is not the approver: refused, nothing changes, the card stays as it is.
    const stranger = await click('ou_wu.xs', card.messageId, agree);
    expect(stranger.status).toBe(200);
    expect(JSON.stringify(stranger.body)).toContain('不是当前审批人');
    expect((await t.database.system.salesOrder.findUniqueOrThrow({ where: { id: order.id } })).state).toBe('pendingApproval');

    const res = await click('ou_zhang.jl', card.messageId, agree, 'ev_click_1');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('已同意');
    const o = await t.database.system.salesOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(o.state).toBe('confirmed');
    const lines = await t.database.system.salesOrderLine.findMany({ where: { orderId: order.id } });
    expect(await t.database.system.reservation.count({ where: { demandId: { in: lines.map((l) => l.id) } } })).toBe(1);

    // A second tap (another event id): told who handled it when; still one decision.
    const again = await click('ou_zhang.jl', card.messageId, agree, 'ev_click_2');
    expect(JSON.stringify(again.body)).toMatch(/已由 张经理 于 \d{2}:\d{2}/);
    expect(await t.database.system.approvalAction.count({ where: { approvalId: approval.id, action: 'agree' } })).toBe(1);

    // The worker re-renders every copy and tells the applicant.
    fake.reset();
    await deliver();
    const updated = fake.updates.find((u) => u.messageId === card.messageId);
    expect(updated).toBeDefined();
    expect(JSON.stringify(updated!.content)).toContain('已同意');
    expect(JSON.stringify(updated!.content)).toContain('张经理');
    expect(JSON.stringify(updated!.content)).not.toContain('"驳回"');
    expect(fake.sent.some((m) => m.receiveId === 'ou_li.xs' && cardJson(m).includes('已同意'))).toBe(true);
  });

  it('25% 折扣：张经理同意后老板收到卡片；老板在卡片上驳回 → 结束，订单回到草稿，原因写入时间线', async () => {
    const order = await discountedOrder('0.25');
    fake.reset();
    await deliver();
    const zhangCard = fake.sent.find((m) => m.receiveId === 'ou_zhang.jl')!;
    const approval = await t.database.system.approval.findFirstOrThrow({ where: { documentId: order.id } });

    // 「@云桥助手 待审批」 in a group: the list and one card per approval (with buttons) go to 张经理 alone.
    fake.reset();
    const ask = larkCallback(larkMessageEvent({ token: TOKEN, tenantKey: TENANT, chatId: 'oc_sales', senderOpenId: 'ou_zhang.jl', text: '待审批', mentionBot: true }), { encryptKey: KEY });
    expect((await t.http().post('/callbacks/lark').set(ask.headers).send(ask.body)).status).toBe(200);
    const mine = fake.sent.filter((m) => m.receiveId === 'ou_zhang.jl');
    expect(mine).toHaveLength(1);
    expect(cardJson(mine[0]!)).toContain(order.number);
    expect(cardJson(mine[0]!)).toContain('同意');
    expect(fake.replies.map((r) => r.content.text)).toEqual(['已私信发送给 @张经理']);
    // 李销售 has nothing to decide.
    const liAsk = larkCallback(larkMessageEvent({ token: TOKEN, tenantKey: TENANT, chatId: 'oc_sales', senderOpenId: 'ou_li.xs', text: '待审批', mentionBot: true }), { encryptKey: KEY });
    await t.http().post('/callbacks/lark').set(liAsk.headers).send(liAsk.body);
    expect(fake.replies.at(-1)!.content.text).toBe('暂无待审批事项');
    const value = (decision: string) => ({ kind: 'approval', approvalId: approval.id, decision, documentVersion: String(approval.documentVersion) });
    expect(JSON.stringify((await click('ou_zhang.jl', zhangCard.messageId, value('agree'))).body)).toContain('已同意');
    fake.reset();
    await deliver();
    const bossCard = fake.sent.find((m) => m.receiveId === 'ou_boss');
    expect(bossCard).toBeDefined();
    // 张经理 has decided: his copy is re-rendered without buttons while the approval goes on.
    const zhangCopy = fake.updates.filter((u) => u.messageId === zhangCard.messageId).at(-1);
    expect(JSON.stringify(zhangCopy?.content)).toContain('审批中');
    expect(JSON.stringify(zhangCopy?.content)).not.toContain('"decision"');
    expect(JSON.stringify(zhangCopy?.content)).not.toContain('"tag":"input"');
    expect(JSON.stringify(bossCard!.content)).toContain('"decision"');
    // The boss's card asks for the reason in a form: an input named comment beside the two buttons.
    const form = (bossCard!.content as { elements: { tag: string; elements?: { tag: string; name?: string; action_type?: string }[] }[] }).elements.find((e) => e.tag === 'form');
    expect(form?.elements?.map((e) => [e.tag, e.name, e.action_type])).toEqual([
      ['input', 'comment', undefined], ['button', 'button_0', 'form_submit'], ['button', 'button_1', 'form_submit'],
    ]);
    // 驳回 with the input left empty: asked for a reason, nothing decided.
    const empty = await click('ou_boss', bossCard!.messageId, value('reject'), undefined, { comment: '  ' });
    expect(JSON.stringify(empty.body)).toContain('请在「审批意见」里写明驳回原因');
    expect((await t.database.system.salesOrder.findUniqueOrThrow({ where: { id: order.id } })).state).toBe('pendingApproval');
    const rejected = await click('ou_boss', bossCard!.messageId, value('reject'), undefined, { comment: '折扣过大，请按 20% 以内重报' });
    expect(JSON.stringify(rejected.body)).toContain('已驳回');
    const o = await t.database.system.salesOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(o.state).toBe('draft');
    const timeline = await t.database.system.timelineEntry.findMany({ where: { orderId: order.id }, orderBy: { id: 'asc' } });
    expect(timeline.at(-1)!.message).toContain('驳回');
    expect(timeline.at(-1)!.message).toContain('折扣过大，请按 20% 以内重报');
    expect((await t.database.system.approval.findUniqueOrThrow({ where: { id: approval.id } })).rejectReason).toBe('折扣过大，请按 20% 以内重报');
  });
});
