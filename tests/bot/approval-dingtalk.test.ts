// Story 1 on 钉钉 (with DINGTALK_CARD_TEMPLATE_ID): 李销售 enters an order at 15 % discount → 张经理 gets an
// interactive card (createAndDeliver to his robot chat) whose buttons carry the value → an encrypted, signed
// card callback on 同意 at /callbacks/dingtalk → the order is confirmed with stock reserved, the clicked card
// is updated by its outTrackId, every recorded copy is re-rendered as 已同意 by 张经理 with the time, 李销售
// hears of it. 25 %: the boss rejects at step 2 with a reason typed into the card → draft, that reason on
// the timeline. Refusals, redelivery and 30 concurrent clicks change nothing more than one decision.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DingTalkAdapter } from '../../bot/channels/dingtalk/adapter.ts';
import { alreadySeen, forgetSeen } from '../../bot/inbound.ts';
import { CARD_REJECT_REASON } from '../../bot/approvals/click.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { cardCallbackPayload, dingTalkDecrypt, encryptedEvent, startDingTalkFake, type DingTalkFake } from '../fakes/dingtalk.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

const APP = { appKey: 'dingapprapp', appSecret: 'appr-app-secret-0123456789' };
const CORP = 'dingapprcorp';
const KEYS = { token: 'apprcbtoken', aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appKey: APP.appKey };
const TEMPLATE = 'tpl_approval.schema';
let fake: DingTalkFake;
let t: TestApp;
let adapters: Map<Platform, ChannelAdapter>;

type ParamMap = Record<string, string>;
interface Button { text: string; style: string; value: Record<string, string> }

beforeAll(async () => {
  fake = await startDingTalkFake(APP);
  t = await createTestApp({
    DINGTALK_APP_KEY: APP.appKey, DINGTALK_APP_SECRET: APP.appSecret, DINGTALK_CORP_ID: CORP, DINGTALK_TOKEN: KEYS.token,
    DINGTALK_AES_KEY: KEYS.aesKey, DINGTALK_CARD_TEMPLATE_ID: TEMPLATE, DINGTALK_BASE_URL: fake.url, DINGTALK_OAPI_BASE_URL: fake.url,
    PUBLIC_BASE_URL: 'https://erp.example.cn',
  });
  const companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await t.database.system.companyPlatform.create({ data: { companyId, platform: 'dingtalk', orgKey: CORP } });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '100000', unitCost: '0.03' });
  adapters = new Map([['dingtalk', DingTalkAdapter.fromConfig(t.config)!]]);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

const deliver = async () => {
  await planDeliveries(t.database, { debounceMs: 0, platforms: ['dingtalk'], publicBaseUrl: t.config.PUBLIC_BASE_URL });
  return sendDueDeliveries(t.database.system, adapters, { worker: 'test', backoffMs: 1 });
};
const params = (body: Record<string, unknown>) => (body.cardData as { cardParamMap: ParamMap }).cardParamMap;
const cardTo = (userId: string) => fake.cards.find((c) => c.openSpaceId === `dtv1.card//IM_ROBOT.${userId}`);
const buttons = (body: Record<string, unknown>) => JSON.parse(params(body).buttons!) as Button[];
const value = (body: Record<string, unknown>, label: string) => buttons(body).find((b) => b.text === label)!.value;
const updatesOf = (outTrackId: string) => fake.cardUpdates.filter((u) => u.outTrackId === outTrackId).map(params);

/** A card callback as DingTalk pushes it: encrypted, signed, the button's params (and any typed reason) inside. */
const clickEvent = (userId: string, outTrackId: string, p: Record<string, string>) => encryptedEvent(KEYS, cardCallbackPayload(outTrackId, p, userId, CORP));
const post = (ev: { query: string; body: string }) => t.http().post(`/callbacks/dingtalk?${ev.query}`).set('content-type', 'application/json').send(ev.body);
const click = (userId: string, outTrackId: string, p: Record<string, string>) => post(clickEvent(userId, outTrackId, p));

function cardTime(at: Date): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
    .formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

async function discountedOrder(discountRate: string): Promise<{ id: string; number: string }> {
  const li = await as(t, 'li.xs');
  const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  // The company's price ¥0.1 a 个 = ¥100 a box, which the discount is taken off.
  const { id: m8Id } = await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } });
  const m8 = await t.database.system.item.update({ where: { id: m8Id }, data: { salePrice: '0.1' } });
  const created = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: m8.id, quantity: '10', discountRate }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const submitted = await li('post', `/api/v1/sales-orders/${created.body.id}/submit`).send({});
  expect(submitted.body.state).toBe('pendingApproval');
  return { id: created.body.id, number: created.body.number };
}
const approvalOf = (orderId: string) => t.database.system.approval.findFirstOrThrow({ where: { documentId: orderId }, orderBy: { createdAt: 'desc' } });
const orderState = async (id: string) => (await t.database.system.salesOrder.findUniqueOrThrow({ where: { id } })).state;
async function reservations(orderId: string): Promise<number> {
  const lines = await t.database.system.salesOrderLine.findMany({ where: { orderId } });
  return t.database.system.reservation.count({ where: { demandId: { in: lines.map((l) => l.id) } } });
}
const decisions = (approvalId: string) => t.database.system.approvalAction.count({ where: { approvalId, action: { in: ['agree', 'reject'] } } });

describe('钉钉里审批销售折扣（故事 1）', () => {
  it('去重记录：处理失败的点击被撤销后，同一 id 再来会被处理', async () => {
    const sys = t.database.system;
    expect(await alreadySeen(sys, 'dingtalk', 'card:retry-me')).toBe(false);
    expect(await alreadySeen(sys, 'dingtalk', 'card:retry-me')).toBe(true);
    await forgetSeen(sys, 'dingtalk', 'card:retry-me');
    expect(await alreadySeen(sys, 'dingtalk', 'card:retry-me')).toBe(false);
    await forgetSeen(sys, 'lark', 'card:retry-me'); // another platform's record is a different one
    expect(await alreadySeen(sys, 'dingtalk', 'card:retry-me')).toBe(true);
  });

  it('15% 折扣：张经理收到互动卡片，点同意 → 订单确认并预留，被点的卡片和所有副本改成已同意，李销售收到结果', async () => {
    const order = await discountedOrder('0.15');
    await deliver();
    const sent = cardTo('zhang.jl')!;
    expect(sent).toMatchObject({ cardTemplateId: TEMPLATE, imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: APP.appKey } });
    const outTrackId = sent.outTrackId as string;
    const p = params(sent);
    expect(p.fields).toContain(order.number);
    expect(p.fields).toContain('15.0%');
    const approval = await approvalOf(order.id);
    expect(buttons(sent).map((b) => [b.text, b.style])).toEqual([['同意', 'primary'], ['驳回', 'danger']]);
    const agree = value(sent, '同意');
    expect(agree).toEqual({ kind: 'approval', approvalId: approval.id, decision: 'agree', documentVersion: String(approval.documentVersion) });
    expect(await t.database.system.approvalCard.findFirstOrThrow({ where: { approvalId: approval.id, targetId: 'zhang.jl' } })).toMatchObject({ platform: 'dingtalk', messageId: outTrackId });

    // Someone who is not the approver (a forwarded card): refused, nothing changes, the card is left alone.
    fake.reset();
    expect((await click('wu.xs', outTrackId, agree)).status).toBe(200);
    expect(await orderState(order.id)).toBe('pendingApproval');
    expect(await decisions(approval.id)).toBe(0);
    expect(fake.cardUpdates).toHaveLength(0);

    // A forged signature: 401, nothing acted on.
    const good = clickEvent('zhang.jl', outTrackId, agree);
    const forged = await post({ ...good, query: good.query.replace(/signature=[0-9a-f]+/, `signature=${'a'.repeat(40)}`) });
    expect(forged.status).toBe(401);
    expect(await orderState(order.id)).toBe('pendingApproval');
    expect(fake.requests).toHaveLength(0);

    // 张经理 taps 同意; DingTalk pushes it twice and then once more encrypted afresh: acted on once.
    const res = await post(good);
    expect(res.status).toBe(200);
    expect(dingTalkDecrypt(KEYS.aesKey, res.body.encrypt).msg).toBe('success');
    await post(good);
    await click('zhang.jl', outTrackId, agree);
    expect(await orderState(order.id)).toBe('confirmed');
    expect(await reservations(order.id)).toBe(1);
    expect(await decisions(approval.id)).toBe(1);
    const decided = await approvalOf(order.id);
    const when = cardTime(decided.decidedAt!);
    // The clicked card is updated (by its outTrackId) once: 已同意 by 张经理 with the time, no buttons.
    const mine = updatesOf(outTrackId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.lines).toContain(`**已同意** · 张经理 · ${when}`);
    expect(mine[0]!.buttons).toBe('[]');
    expect(fake.cardUpdates[0]).toMatchObject({ cardUpdateOptions: { updateCardDataByKey: true } });

    // A later 驳回 on the decided approval: refused, still one decision; the card shows the truth.
    fake.reset();
    await click('zhang.jl', outTrackId, value(sent, '驳回'));
    expect(await decisions(approval.id)).toBe(1);
    expect(await orderState(order.id)).toBe('confirmed');
    const truth = updatesOf(outTrackId);
    expect(truth).toHaveLength(1);
    expect(truth[0]!.lines).toContain(`**已同意** · 张经理 · ${when}`);
    expect(truth[0]!.lines).toContain(`未生效：已由 张经理 于 ${when.slice(-5)} 处理（已同意）`);
    expect(truth[0]!.buttons).toBe('[]');

    // The next round re-renders every recorded copy and tells 李销售.
    fake.reset();
    await deliver();
    const copies = await t.database.system.approvalCard.findMany({ where: { approvalId: approval.id } });
    expect(copies).toHaveLength(1);
    for (const c of copies) {
      const u = updatesOf(c.messageId);
      expect(u, `copy for ${c.targetId}`).toHaveLength(1);
      expect(u[0]!.lines).toContain(`**已同意** · 张经理 · ${when}`);
      expect(u[0]!.buttons).toBe('[]');
    }
    const toLi = cardTo('li.xs');
    expect(toLi).toBeDefined();
    expect(params(toLi!).lines).toContain('已同意');
    expect(params(toLi!).fields).toContain(order.number);
  });

  it('25% 折扣：张经理同意后老板收到卡片，在卡片里填了原因并驳回 → 订单回到草稿，原因写入时间线，所有副本改成已驳回', async () => {
    const order = await discountedOrder('0.25');
    await deliver();
    const zhangCard = cardTo('zhang.jl')!;
    await click('zhang.jl', zhangCard.outTrackId as string, value(zhangCard, '同意'));
    expect((await approvalOf(order.id)).state).toBe('pending');

    fake.reset();
    await deliver();
    const bossCard = cardTo('boss')!;
    expect(bossCard).toBeDefined();
    expect(params(bossCard).lines).toContain('张经理 同意');
    // 张经理's copy now shows step 2 under way
    expect(updatesOf(zhangCard.outTrackId as string)).toHaveLength(1);

    fake.reset();
    const reason = '折扣太大，请按 15% 重新报价';
    await click('boss', bossCard.outTrackId as string, { ...value(bossCard, '驳回'), comment: `  ${reason} ` });
    expect(await orderState(order.id)).toBe('draft');
    const ended = await approvalOf(order.id);
    expect(ended).toMatchObject({ state: 'rejected', rejectReason: reason });
    expect(await reservations(order.id)).toBe(0);
    const timeline = await t.database.system.timelineEntry.findMany({ where: { orderId: order.id }, orderBy: { id: 'asc' } });
    expect(timeline.at(-1)!.message).toContain('驳回');
    expect(timeline.at(-1)!.message).toContain(reason);

    fake.reset();
    await deliver();
    const when = cardTime(ended.decidedAt!);
    for (const outTrackId of [zhangCard.outTrackId as string, bossCard.outTrackId as string]) {
      const u = updatesOf(outTrackId);
      expect(u, outTrackId).toHaveLength(1);
      expect(u[0]!.lines).toContain(`**已驳回** · 老板 · ${when}`);
      expect(u[0]!.lines).toContain(`驳回原因：${reason}`);
      expect(u[0]!.buttons).toBe('[]');
    }
    expect(params(cardTo('li.xs')!).lines).toContain('已驳回');
  });

  it('30 个并发点击（张经理的同意/驳回混合，含重复推送）→ 只有一个决定、一次预留；没填原因的驳回用默认原因', async () => {
    const order = await discountedOrder('0.15');
    await deliver();
    const card = cardTo('zhang.jl')!;
    const outTrackId = card.outTrackId as string;
    const approval = await approvalOf(order.id);
    const events = [
      ...Array.from({ length: 10 }, () => clickEvent('zhang.jl', outTrackId, value(card, '同意'))), // one click, pushed 10 times
      ...Array.from({ length: 10 }, (_, i) => clickEvent('zhang.jl', outTrackId, { ...value(card, '驳回'), ...(i % 5 ? { comment: `原因 ${i % 5}` } : {}) })),
      ...Array.from({ length: 10 }, (_, i) => clickEvent('zhang.jl', outTrackId, { ...value(card, '驳回'), ...(i % 5 ? { comment: `原因 ${i % 5}` } : {}) })),
    ];
    const results = await Promise.all(events.map(post));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await decisions(approval.id)).toBe(1);
    const after = await approvalOf(order.id);
    expect(['approved', 'rejected']).toContain(after.state);
    expect(await orderState(order.id)).toBe(after.state === 'approved' ? 'confirmed' : 'draft');
    expect(await reservations(order.id)).toBe(after.state === 'approved' ? 1 : 0);
    if (after.state === 'rejected') expect([CARD_REJECT_REASON, '原因 1', '原因 2', '原因 3', '原因 4']).toContain(after.rejectReason);
    // six distinct clicks (one 同意, 驳回 without a reason and with four reasons), each answered on the card once
    expect(updatesOf(outTrackId)).toHaveLength(6);
  });
});
