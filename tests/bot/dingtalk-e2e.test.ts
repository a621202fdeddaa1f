// 钉钉 end to end through the real server: robot @messages posted to /callbacks/dingtalk/robot exactly as
// DingTalk does (headers timestamp + sign = base64(HmacSHA256(AppSecret, ts\nAppSecret))), answered as the
// bound user through the message's sessionWebhook on the fake (the figures; the order 1:1 to its
// salesperson through the app robot with a pointer in the group; "not found" for another salesperson);
// stale and forged requests refused with nothing sent; 免登 through /api/v1/auth/platform/dingtalk; and the
// notices: a shortage to the purchasing group's signed custom robot, an order's steps to its group through
// the app robot, and with DINGTALK_CARD_TEMPLATE_ID an interactive card whose outTrackId comes from the
// delivery's idempotency key (a re-send after a crash makes no second card).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DingTalkAdapter, outTrackIdFor } from '../../bot/channels/dingtalk/adapter.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { issueStock, receiveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { robotMessage, signedRobotCallback, startDingTalkFake, type DingTalkFake } from '../fakes/dingtalk.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

const APP = { appKey: 'dinge2eapp', appSecret: 'e2e-app-secret-0123456789' };
const CORP = 'dinge2ecorp';
const ROBOT_TOKEN = 'purchase-robot-token';
const ROBOT_SECRET = 'SECe2e0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
const PURCHASE_GROUP = 'cidPurchaseGroup==';
let fake: DingTalkFake;
let t: TestApp;
let companyId: string;
let customerId: string;
let orderId: string;
let orderNo: string;
let orderLineId: string;

beforeAll(async () => {
  fake = await startDingTalkFake({ ...APP, robots: { [ROBOT_TOKEN]: ROBOT_SECRET } });
  t = await createTestApp({
    DINGTALK_APP_KEY: APP.appKey, DINGTALK_APP_SECRET: APP.appSecret, DINGTALK_CORP_ID: CORP,
    DINGTALK_BASE_URL: fake.url, DINGTALK_OAPI_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://yq.example',
  });
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await sys.companyPlatform.create({ data: { companyId, platform: 'dingtalk', orgKey: CORP } });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '30000', unitCost: '0.03' });
  // 李销售's confirmed order for his customer C0002: 2 箱 M8螺栓
  const li = await as(t, 'li.xs');
  customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  const m8 = await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } });
  const created = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: m8.id, quantity: '2' }] });
  expect(created.status).toBe(201);
  ({ id: orderId, number: orderNo } = created.body);
  orderLineId = created.body.lines[0].id;
  expect((await li('post', `/api/v1/sales-orders/${orderId}/confirm`).send({})).status).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

/** A robot @message in a group of our corp, as DingTalk posts it (with a sessionWebhook on the fake). */
const said = (staffId: string, nick: string, text: string, over: Record<string, unknown> = {}) =>
  robotMessage({ text: `@云桥助手 ${text}`, senderStaffId: staffId, senderNick: nick, chatbotCorpId: CORP, senderCorpId: CORP,
    conversationId: 'cidSalesGroup==', conversationTitle: '销售群', robotCode: APP.appKey, sessionWebhook: fake.sessionWebhook(), ...over });
const post = (cb: { headers: Record<string, string>; body: string }) => t.http().post('/callbacks/dingtalk/robot').set(cb.headers).send(cb.body);
const inboundCount = () => t.database.system.chatInboundEvent.count({ where: { platform: 'dingtalk' } });
const replyText = (i = 0) => (fake.sessionReplies[i]?.text as { content?: string } | undefined)?.content ?? '';

describe('钉钉群：@云桥助手 的问答', () => {
  it('王采购在采购群问「库存 M8螺栓」：经 sessionWebhook 回到群里，按仓库的数字，并 @ 他', async () => {
    const res = await post(signedRobotCallback(APP.appSecret, said('wang.cg', '王采购', '库存 M8螺栓', { conversationId: PURCHASE_GROUP, conversationTitle: '采购群' })));
    expect(res.status).toBe(200);
    expect(fake.sessionReplies).toHaveLength(1);
    expect(fake.sessionReplies[0]).toMatchObject({ msgtype: 'text', at: { atUserIds: ['wang.cg'] } });
    expect(replyText()).toContain('库存：M8螺栓');
    expect(replyText()).toContain('成品仓：在库 30 箱（30,000 个）');
    expect(fake.robotMessages).toHaveLength(0); // nothing private about stock
  });

  it('李销售在群里问自己的订单：答案经机器人 1:1 发给他，群里只留一句指引', async () => {
    await post(signedRobotCallback(APP.appSecret, said('li.xs', '李销售', `订单 ${orderNo}`)));
    expect(fake.robotMessages).toHaveLength(1);
    const dm = fake.robotMessages[0]!;
    expect(dm).toMatchObject({ kind: 'oto', robotCode: APP.appKey, userIds: ['li.xs'], msgKey: 'sampleMarkdown' });
    const param = JSON.parse(dm.msgParam as string) as { title: string; text: string };
    expect(param.title).toBe(`销售订单 ${orderNo}`);
    expect(param.text).toContain('**状态**：已确认');
    expect(fake.requests.find((r) => r.path === '/v1.0/robot/oToMessages/batchSend')?.token).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.sessionReplies).toHaveLength(1);
    expect(replyText()).toBe('已私信发送给 @李销售');
  });

  it('刘销售（只看自己的数据）问李销售的订单：被告知没有或无权查看，什么都不私发', async () => {
    await post(signedRobotCallback(APP.appSecret, said('liu.xs', '刘销售', `订单 ${orderNo}`)));
    expect(fake.robotMessages).toHaveLength(0);
    expect(fake.sessionReplies.map((_, i) => replyText(i))).toEqual([`没有找到订单 ${orderNo}，或你无权查看`]);
  });

  it('同一 msgId 推送三次只回答一次', async () => {
    const msg = said('wang.cg', '王采购', '库存 M8螺栓');
    for (let i = 0; i < 3; i++) expect((await post(signedRobotCallback(APP.appSecret, msg))).status).toBe(200);
    expect(fake.sessionReplies).toHaveLength(1);
  });

  it('时间戳差一小时以上、伪造的 sign、别的密钥：401，什么也不发', async () => {
    const before = await inboundCount();
    const msg = said('wang.cg', '王采购', '库存 M8螺栓');
    const good = signedRobotCallback(APP.appSecret, msg);
    for (const cb of [
      signedRobotCallback(APP.appSecret, msg, Date.now() - 61 * 60_000),
      { ...good, headers: { ...good.headers, sign: Buffer.alloc(32, 7).toString('base64') } },
      signedRobotCallback('another-app-secret', msg),
    ]) {
      const res = await post(cb);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect(fake.requests).toHaveLength(0);
    expect(await inboundCount()).toBe(before);
  });
});

describe('钉钉免登：POST /api/v1/auth/platform/dingtalk', () => {
  it('requestAuthCode 的 code → userId → 绑定的云桥用户的 JWT；同一个码第二次用：401', async () => {
    const code = fake.issueAuthCode('li.xs', '李销售');
    const res = await t.http().post('/api/v1/auth/platform/dingtalk').send({ code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bound: true, user: { username: 'li.xs' } });
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(me.body.username).toBe('li.xs');
    expect((await t.http().post('/api/v1/auth/platform/dingtalk').send({ code })).status).toBe(401);
  });
});

describe('钉钉通知投递（DingTalkAdapter.fromConfig）', () => {
  let adapters: Map<Platform, ChannelAdapter>;
  const run = async () => {
    await planDeliveries(t.database, { debounceMs: 0, publicBaseUrl: t.config.PUBLIC_BASE_URL }); // as the worker does
    return sendDueDeliveries(t.database.system, adapters, { worker: 'dingtalk-e2e', backoffMs: 1 });
  };
  const title = (m: Record<string, unknown>) => (JSON.parse(m.msgParam as string) as { title: string }).title;

  beforeAll(async () => {
    adapters = new Map([['dingtalk', DingTalkAdapter.fromConfig(t.config)!]]);
    const routes = t.database.system.notificationRoute;
    await routes.create({ data: { companyId, topic: 'stock.shortage', platform: 'dingtalk', targetKind: 'group', targetId: `robot:${ROBOT_TOKEN}:${ROBOT_SECRET}`, name: '采购群（自定义机器人）' } });
    await routes.create({ data: { companyId, topic: 'order.progress', platform: 'dingtalk', targetKind: 'group', targetId: 'cidC0002Group==', customerId, name: '客户 C0002 订单群' } });
  });

  it('订单的每一步经应用机器人发到它的群（新建、确认，随后发货）', async () => {
    await run();
    const steps = () => fake.robotMessages.filter((m) => m.openConversationId === 'cidC0002Group==');
    expect(steps().map(title)).toEqual([`销售订单 ${orderNo} · 新建`, `销售订单 ${orderNo} · 确认`]);
    for (const m of steps()) expect(m).toMatchObject({ kind: 'group', robotCode: APP.appKey, msgKey: 'sampleMarkdown' });
    const zhao = await as(t, 'zhao.ck');
    expect((await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({ lines: [{ orderLineId, quantity: '1' }] })).status).toBe(201);
    await run();
    expect(steps().map(title)).toEqual([`销售订单 ${orderNo} · 新建`, `销售订单 ${orderNo} · 确认`, `销售订单 ${orderNo} · 发货`]);
    expect((await run()).sent).toBe(0);
    expect(fake.webhookMessages).toHaveLength(0);
  });

  it('缺料：采购群的加签自定义机器人收到一张 actionCard（签名由假钉钉验过）', async () => {
    const item = await shortage();
    expect((await run()).sent).toBe(1);
    expect(fake.webhookMessages).toHaveLength(1);
    const msg = fake.webhookMessages[0]!;
    expect(msg).toMatchObject({ accessToken: ROBOT_TOKEN, msgtype: 'actionCard', actionCard: { title: `缺料预警：${item.name}`, singleTitle: '查看库存' } });
    expect((msg.actionCard as { text: string; singleURL: string }).text).toContain(item.code);
    expect((msg.actionCard as { singleURL: string }).singleURL).toBe(`https://yq.example/m/#/stock/${item.id}`);
    const robotSend = fake.requests.find((r) => r.path === '/robot/send')!;
    expect(robotSend.query).toMatchObject({ access_token: ROBOT_TOKEN, timestamp: expect.stringMatching(/^\d{13}$/), sign: expect.any(String) });
  });

  it('配置了 DINGTALK_CARD_TEMPLATE_ID：缺料卡片经 createAndDeliver 投到群，outTrackId 来自幂等键；崩溃后重发不出第二张', async () => {
    adapters = new Map([['dingtalk', DingTalkAdapter.fromConfig({ ...t.config, DINGTALK_CARD_TEMPLATE_ID: 'tpl.yunqiao.notice' })!]]);
    const route = await t.database.system.notificationRoute.create({ data: { companyId, topic: 'stock.shortage', platform: 'dingtalk', targetKind: 'group', targetId: PURCHASE_GROUP, name: '采购群' } });
    const item = await shortage();
    expect((await run()).sent).toBe(2); // the custom robot and the card
    expect(fake.cards).toHaveLength(1);
    const row = await t.database.system.noticeDelivery.findFirstOrThrow({ where: { targetId: PURCHASE_GROUP } });
    expect(fake.cards[0]).toMatchObject({
      cardTemplateId: 'tpl.yunqiao.notice', outTrackId: outTrackIdFor(row.idempotencyKey), openSpaceId: `dtv1.card//IM_GROUP.${PURCHASE_GROUP}`,
      imGroupOpenDeliverModel: { robotCode: APP.appKey }, cardData: { cardParamMap: { title: `缺料预警：${item.name}`, tone: 'warning' } },
    });
    expect(row).toMatchObject({ status: 'sent', messageId: outTrackIdFor(row.idempotencyKey) });
    // the process died after DingTalk took the card but before the row was marked: it is sent again
    await t.database.system.noticeDelivery.update({ where: { id: row.id }, data: { status: 'pending', messageId: null, sentAt: null, availableAt: new Date(Date.now() - 1000) } });
    expect((await run()).sent).toBe(1);
    expect(fake.cards).toHaveLength(1);
    expect(fake.repeatedCards.map((c) => c.outTrackId)).toEqual([row.messageId]);
    expect(await t.database.system.noticeDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'sent', messageId: row.messageId });
    await t.database.system.notificationRoute.update({ where: { id: route.id }, data: { active: false } });
  });
});

/** A new item with safety stock 10 taken to 7 available: one stock.shortage event. */
async function shortage(): Promise<{ id: string; code: string; name: string }> {
  const sys = t.database.system;
  const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const wh = await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH01' } });
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const item = await sys.item.create({ data: { companyId, code: `DT-${stamp}`, name: `钉钉缺料${stamp.slice(-4)}`, kind: 'raw', baseUnitId: pcs.id, safetyStock: '10' } });
  await inCompany(t.database.app, companyId, async (tx) => {
    const mc = { companyId, source: { type: 'test', id: 'dingtalk-e2e' } };
    await receiveStock(tx, { ...mc, kind: 'opening' }, [{ itemId: item.id, warehouseId: wh.id, quantity: '12', unitCost: '1' }]);
    await issueStock(tx, { ...mc, kind: 'adjustment' }, [{ itemId: item.id, warehouseId: wh.id, quantity: '5' }]);
  });
  return item;
}
