// Story 1 on 企业微信: 李销售 enters an order at 15 % discount → 张经理 gets a button_interaction
// template card whose buttons' keys carry the value → an encrypted, signed template_card_event on 同意 →
// the order is confirmed with stock reserved, the clicker's card is replaced with the click's
// response_code, every recorded copy is re-rendered as 已同意 by 张经理 with the time (the send's
// response_code; once it is spent a new message instead), 李销售 hears of it. 25 %: the boss rejects
// at step 2 → draft, reason on the timeline. Refusals, redelivery and 30 concurrent clicks through
// the callback change nothing more than one decision.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { CARD_REJECT_REASON } from '../../bot/approvals/click.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { startWecomFake, wecomCallback, wecomCardClickXml, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

const CORP = 'wwapprcorp';
const TOKEN = 'apprToken';
const AES = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const AGENT = 1000002;
let fake: WecomFake;
let t: TestApp;
let adapters: Map<Platform, ChannelAdapter>;
let clock = Math.floor(Date.now() / 1000);

interface TemplateCard {
  card_type: string;
  task_id: string;
  main_title: { title: string };
  sub_title_text?: string;
  horizontal_content_list?: { keyname: string; value: string }[];
  button_list?: { text: string; style: number; key: string }[];
}
type Sent = WecomFake['sent'][number];

beforeAll(async () => {
  fake = await startWecomFake({ corpId: CORP, secret: 'sec', agentId: AGENT });
  t = await createTestApp({
    WECOM_CORP_ID: CORP, WECOM_SECRET: 'sec', WECOM_AGENT_ID: String(AGENT), WECOM_TOKEN: TOKEN,
    WECOM_ENCODING_AES_KEY: AES, WECOM_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://erp.example.cn',
  });
  const companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await t.database.system.companyPlatform.create({ data: { companyId, platform: 'wecom', orgKey: CORP } });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '100000', unitCost: '0.03' });
  adapters = new Map([['wecom', WecomAdapter.fromConfig(t.config)!]]);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

const deliver = async () => {
  await planDeliveries(t.database, { debounceMs: 0, platforms: ['wecom'], publicBaseUrl: t.config.PUBLIC_BASE_URL });
  return sendDueDeliveries(t.database.system, adapters, { worker: 'test', backoffMs: 1 });
};
const tc = (m: { body: Record<string, unknown> }) => m.body.template_card as TemplateCard;
const text = (card: TemplateCard) => JSON.stringify(card);
const buttonKey = (card: TemplateCard, label: string) => card.button_list!.find((b) => b.text === label)!.key;

/** A template_card_event as WeCom posts it; each click gets its own CreateTime (the event's identity) unless given. */
function clickXml(from: string, card: TemplateCard, label: '同意' | '驳回', opts: { createTime?: number; responseCode?: string } = {}) {
  return wecomCardClickXml({
    corpId: CORP, from, taskId: card.task_id, eventKey: buttonKey(card, label), agentId: AGENT,
    responseCode: opts.responseCode ?? fake.newResponseCode(), createTime: opts.createTime ?? ++clock,
  });
}
function post(xml: string, tamper?: (q: Record<string, string>) => Record<string, string>) {
  const cb = wecomCallback(xml, { token: TOKEN, encodingAesKey: AES, corpId: CORP, agentId: AGENT });
  return t.http().post('/callbacks/wecom').query(tamper ? tamper(cb.query) : cb.query).set('Content-Type', 'text/xml').send(cb.body);
}
const responseCodeIn = (xml: string) => /<ResponseCode><!\[CDATA\[(.+?)\]\]>/.exec(xml)![1]!;

/** "11-23 15:04" in Shanghai time, as the card shows a moment. */
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
const cardTo = (user: string): Sent | undefined => fake.sent.find((m) => m.touser === user && m.msgtype === 'template_card');

describe('企业微信里审批销售折扣（故事 1）', () => {
  it('15% 折扣：张经理收到按钮卡片，点同意 → 订单确认并预留，点击者的卡片和所有副本改成已同意，李销售收到结果', async () => {
    const order = await discountedOrder('0.15');
    await deliver();
    const sent = cardTo('zhang.jl')!;
    expect(sent).toBeDefined();
    const card = tc(sent);
    expect(card.card_type).toBe('button_interaction');
    expect(text(card)).toContain(order.number);
    expect(text(card)).toContain('15.0%');
    const approval = await approvalOf(order.id);
    // The buttons' keys carry the value, and WeCom echoes the key back untouched.
    expect(card.button_list!.map((b) => b.text)).toEqual(['同意', '驳回']);
    expect(JSON.parse(buttonKey(card, '同意'))).toEqual({ kind: 'approval', approvalId: approval.id, decision: 'agree', documentVersion: String(approval.documentVersion) });
    expect(JSON.parse(buttonKey(card, '驳回'))).toMatchObject({ decision: 'reject' });
    const copy = await t.database.system.approvalCard.findFirstOrThrow({ where: { approvalId: approval.id, targetId: 'zhang.jl' } });
    expect(copy).toMatchObject({ platform: 'wecom', messageId: sent.msgid, responseCode: sent.responseCode, responseCodeSpent: false });

    // Someone who is not the approver (and may not read it): nothing changes; only their buttons turn grey with the reason.
    fake.reset();
    expect((await post(clickXml('wu.xs', card, '同意'))).status).toBe(200);
    expect(await orderState(order.id)).toBe('pendingApproval');
    expect(await decisions(approval.id)).toBe(0);
    expect(fake.updates).toHaveLength(1);
    expect(fake.updates[0]).toMatchObject({ userids: ['wu.xs'], body: { button: { replace_name: '你不是当前审批人' } } });

    // A forged signature: 401, nothing acted on, nothing sent.
    fake.reset();
    const forged = await post(clickXml('zhang.jl', card, '同意'), (q) => ({ ...q, msg_signature: '0'.repeat(40) }));
    expect(forged.status).toBe(401);
    expect(fake.requests).toHaveLength(0);
    expect(await orderState(order.id)).toBe('pendingApproval');

    // 张经理 taps 同意; WeCom delivers the same event twice: acted on once.
    fake.reset();
    const xml = clickXml('zhang.jl', card, '同意');
    expect((await post(xml)).status).toBe(200);
    expect((await post(xml)).status).toBe(200);
    expect(await orderState(order.id)).toBe('confirmed');
    expect(await reservations(order.id)).toBe(1);
    expect(await decisions(approval.id)).toBe(1);
    const decided = await approvalOf(order.id);
    expect(decided.state).toBe('approved');
    const when = cardTime(decided.decidedAt!);
    // The clicker's card is replaced once, with the click's own response_code.
    expect(fake.updates).toHaveLength(1);
    const replaced = fake.updates[0]!;
    expect(replaced).toMatchObject({ responseCode: responseCodeIn(xml), userids: ['zhang.jl'] });
    const replacedCard = replaced.body.template_card as TemplateCard;
    expect(replacedCard.card_type).toBe('text_notice');
    expect(replacedCard.button_list).toBeUndefined();
    expect(replacedCard.sub_title_text).toContain(`已同意 · 张经理 · ${when}`);

    // A later tap (another event) on the decided approval: refused, still one decision; the card shows the truth.
    fake.reset();
    await post(clickXml('zhang.jl', card, '驳回'));
    expect(await decisions(approval.id)).toBe(1);
    expect(await orderState(order.id)).toBe('confirmed');
    const truth = (fake.updates[0]!.body.template_card as TemplateCard).sub_title_text!;
    expect(truth).toContain(`已同意 · 张经理 · ${when}`);
    expect(truth).toContain(`未生效：已由 张经理 于 ${when.slice(-5)} 处理（已同意）`);

    // The next round re-renders every recorded copy with the response_code kept from the send, and tells 李销售.
    fake.reset();
    await deliver();
    const copies = await t.database.system.approvalCard.findMany({ where: { approvalId: approval.id } });
    expect(copies).toHaveLength(1);
    for (const c of copies) {
      const u = fake.updates.find((x) => x.responseCode === sent.responseCode);
      expect(u, `copy for ${c.targetId}`).toBeDefined();
      expect(u!.userids).toEqual([c.targetId]);
      const shown = u!.body.template_card as TemplateCard;
      expect(shown.sub_title_text).toContain(`已同意 · 张经理 · ${when}`);
      expect(shown.button_list).toBeUndefined();
      expect(c.responseCodeSpent).toBe(true);
    }
    const toLi = fake.sent.filter((m) => m.touser === 'li.xs');
    expect(toLi).toHaveLength(1);
    expect(text(tc(toLi[0]!))).toContain('已同意');
    expect(text(tc(toLi[0]!))).toContain(order.number);
  });

  it('25% 折扣：张经理同意后老板收到卡片并驳回 → 订单回到草稿，原因写入时间线；张经理那份卡片的 response_code 已用过 → 改发新消息', async () => {
    const order = await discountedOrder('0.25');
    await deliver();
    const zhangSent = cardTo('zhang.jl')!;
    const approval = await approvalOf(order.id);
    await post(clickXml('zhang.jl', tc(zhangSent), '同意'));
    expect((await approvalOf(order.id)).state).toBe('pending');

    // Step 2: the boss gets a card; 张经理's copy is updated with the response_code from the send (now spent).
    fake.reset();
    await deliver();
    const bossSent = cardTo('boss')!;
    expect(bossSent).toBeDefined();
    expect(fake.updates.map((u) => u.responseCode)).toEqual([zhangSent.responseCode]);
    expect((await t.database.system.approvalCard.findFirstOrThrow({ where: { approvalId: approval.id, targetId: 'zhang.jl' } })).responseCodeSpent).toBe(true);

    fake.reset();
    await post(clickXml('boss', tc(bossSent), '驳回'));
    expect(await orderState(order.id)).toBe('draft');
    const ended = await approvalOf(order.id);
    expect(ended).toMatchObject({ state: 'rejected', rejectReason: CARD_REJECT_REASON });
    const timeline = await t.database.system.timelineEntry.findMany({ where: { orderId: order.id }, orderBy: { id: 'asc' } });
    expect(timeline.at(-1)!.message).toContain('驳回');
    expect(timeline.at(-1)!.message).toContain(CARD_REJECT_REASON);
    expect(await reservations(order.id)).toBe(0);

    // The next round: the boss's copy is updated (its send code is unused); 张经理's code is spent, so he gets
    // the final card as a new message, which becomes his recorded copy.
    fake.reset();
    await deliver();
    expect(fake.updates.map((u) => [u.responseCode, u.userids])).toEqual([[bossSent.responseCode, ['boss']]]);
    const zhangNew = fake.sent.filter((m) => m.touser === 'zhang.jl');
    expect(zhangNew).toHaveLength(1);
    const shown = tc(zhangNew[0]!);
    expect(shown.card_type).toBe('text_notice');
    expect(shown.sub_title_text).toContain(`已驳回 · 老板 · ${cardTime(ended.decidedAt!)}`);
    expect(shown.sub_title_text).toContain(`驳回原因：${CARD_REJECT_REASON}`);
    const zhangCopy = await t.database.system.approvalCard.findFirstOrThrow({ where: { approvalId: approval.id, targetId: 'zhang.jl' } });
    expect(zhangCopy.messageId).toBe(zhangNew[0]!.msgid);
    expect(fake.sent.some((m) => m.touser === 'li.xs' && text(tc(m)).includes('已驳回'))).toBe(true);
  });

  it('WeCom 拒绝了保存的 response_code（已被用掉）：改发一条新卡片，而不是投递失败', async () => {
    const order = await discountedOrder('0.15');
    await deliver();
    const sent = cardTo('zhang.jl')!;
    await post(clickXml('zhang.jl', tc(sent), '同意'));
    fake.reset();
    fake.errcodeNext(1, 40058); // the update with the stored code is refused
    const result = await deliver();
    expect(result.failed).toBe(0);
    expect(fake.updates).toHaveLength(0);
    const again = fake.sent.filter((m) => m.touser === 'zhang.jl');
    expect(again).toHaveLength(1);
    expect(tc(again[0]!).sub_title_text).toContain('已同意 · 张经理');
    const approval = await approvalOf(order.id);
    expect((await t.database.system.approvalCard.findFirstOrThrow({ where: { approvalId: approval.id, targetId: 'zhang.jl' } })).messageId).toBe(again[0]!.msgid);
  });

  it('保存的 response_code 超过 72 小时：不再尝试更新，直接发新卡片', async () => {
    const order = await discountedOrder('0.15');
    await deliver();
    const sent = cardTo('zhang.jl')!;
    const approval = await approvalOf(order.id);
    await t.database.system.$executeRaw`UPDATE approval_card SET updated_at = now() - interval '73 hours' WHERE approval_id = ${approval.id}::uuid`;
    await post(clickXml('zhang.jl', tc(sent), '同意'));
    fake.reset();
    await deliver();
    expect(fake.updates).toHaveLength(0);
    expect(fake.requests.some((r) => r.path === '/cgi-bin/message/update_template_card')).toBe(false);
    const again = fake.sent.filter((m) => m.touser === 'zhang.jl');
    expect(again).toHaveLength(1);
    expect(tc(again[0]!).sub_title_text).toContain('已同意 · 张经理');
  });

  it('30 个并发点击（张经理的同意/驳回混合，含重复推送）→ 只有一个决定、一次预留', async () => {
    const order = await discountedOrder('0.15');
    await deliver();
    const card = tc(cardTo('zhang.jl')!);
    const approval = await approvalOf(order.id);
    const base = (clock += 100);
    // 15 distinct events, each delivered twice: agree and reject alternating.
    const xmls = Array.from({ length: 15 }, (_, i) => clickXml('zhang.jl', card, i % 2 ? '驳回' : '同意', { createTime: base + i }));
    const results = await Promise.all([...xmls, ...xmls].map((x) => post(x)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await decisions(approval.id)).toBe(1);
    const after = await approvalOf(order.id);
    expect(['approved', 'rejected']).toContain(after.state);
    expect(await orderState(order.id)).toBe(after.state === 'approved' ? 'confirmed' : 'draft');
    expect(await reservations(order.id)).toBe(after.state === 'approved' ? 1 : 0);
    expect(await t.database.system.approvalAction.count({ where: { approvalId: approval.id, action: after.state === 'approved' ? 'agree' : 'reject' } })).toBe(1);
    // each distinct event was acted on (and answered on its card) once
    expect(await t.database.system.chatInboundEvent.count({ where: { platform: 'wecom', eventId: { startsWith: 'event:' } } })).toBeGreaterThanOrEqual(15);
    expect(fake.updates).toHaveLength(15);
  });
});
