// 企业微信 end to end through the whole server: signed, encrypted messages reach /callbacks/wecom and are
// answered as the bound user through the (fake) WeCom API — the figures for 库存, an order 1:1 to its
// salesperson as a template card with a pointer in the group chat, "not found" for another salesperson; a
// forged one is refused and a repeat answered once; sign-in by OAuth code; and the notices: a shortage to
// the purchasing group's robot (markdown) and to the buyer (template_card, task_id from the idempotency
// key, response_code kept), an order's steps to its app group chat, and 100 notices to one group robot
// sent 20 a minute (the rest postponed, never a burst the robot would refuse).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { wecomTaskId } from '../../bot/channels/wecom/render.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { issueStock, receiveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { startWecomFake, wecomCallback, wecomTextXml, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

const corpId = 'wwe2etest';
const token = 'e2eToken';
const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const SALES_CHAT = 'wrSalesChat';
let fake: WecomFake;
let t: TestApp;
let skewMs = 0; // the fake's clock runs ahead by this much (minutes passing in the rate-limit story)
let companyId: string;
let customerId: string;
let orderId: string;
let orderNo: string;
let orderLineId: string;

beforeAll(async () => {
  fake = await startWecomFake({ corpId, secret: 'sec', agentId: 1000002, robotKeys: ['purchase-robot', 'bulk-robot'], now: () => Date.now() + skewMs });
  t = await createTestApp({
    WECOM_CORP_ID: corpId, WECOM_SECRET: 'sec', WECOM_AGENT_ID: '1000002', WECOM_TOKEN: token,
    WECOM_ENCODING_AES_KEY: encodingAesKey, WECOM_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://yq.example',
  });
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await sys.companyPlatform.create({ data: { companyId, platform: 'wecom', orgKey: corpId } });
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

const post = (xml: string) => {
  const cb = wecomCallback(xml, { token, encodingAesKey, corpId, agentId: 1000002 });
  return { cb, send: () => t.http().post('/callbacks/wecom').query(cb.query).set('Content-Type', 'text/xml').send(cb.body) };
};
const content = (body: Record<string, unknown>, type = 'text') => (body[type] as { content: string }).content;

describe('企业微信：@bot 的问答', () => {
  it('绑定用户问「库存 M8螺栓」收到按仓库的库存答复；重复推送只答一次', async () => {
    const { send } = post(wecomTextXml({ corpId, from: 'wang.cg', content: '库存 M8螺栓', msgId: '900001' }));
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const answers = fake.sent.filter((m) => m.touser === 'wang.cg');
    expect(answers).toHaveLength(1);
    expect(content(answers[0]!.body)).toContain('成品仓：在库 30 箱（30,000 个）');
  });

  it('签名被篡改：401，什么也不做', async () => {
    const { cb } = post(wecomTextXml({ corpId, from: 'wang.cg', content: '库存 M8螺栓', msgId: '900002' }));
    const res = await t.http().post('/callbacks/wecom').query({ ...cb.query, msg_signature: '0'.repeat(40) }).set('Content-Type', 'text/xml').send(cb.body);
    expect(res.status).toBe(401);
    expect(fake.requests).toHaveLength(0);
  });

  it('未绑定的成员得到绑定链接', async () => {
    const { send } = post(wecomTextXml({ corpId, from: 'stranger', content: '库存 M8螺栓', msgId: '900003' }));
    expect((await send()).status).toBe(200);
    expect(JSON.stringify(fake.sent.find((m) => m.touser === 'stranger')?.body)).toContain('bind');
  });

  it('李销售在群聊里问自己的订单：模板卡片 1:1 发给他，群里只留一句指引', async () => {
    const { send } = post(wecomTextXml({ corpId, from: 'li.xs', content: `订单 ${orderNo}`, msgId: '900004', chatId: SALES_CHAT }));
    expect((await send()).status).toBe(200);
    expect(fake.sent).toHaveLength(1);
    const dm = fake.sent[0]!;
    expect(dm).toMatchObject({ touser: 'li.xs', msgtype: 'template_card' });
    const card = dm.body.template_card as { card_type: string; main_title: { title: string }; horizontal_content_list: { keyname: string; value: string }[]; task_id: string };
    expect(card.main_title.title).toBe(`销售订单 ${orderNo}`);
    expect(card.horizontal_content_list).toEqual(expect.arrayContaining([{ keyname: '状态', value: '已确认' }]));
    expect(card.task_id).toBe(wecomTaskId('reply-900004'));
    expect(fake.chats).toEqual([expect.objectContaining({ chatid: SALES_CHAT, msgtype: 'text', body: expect.objectContaining({ text: { content: '已私信发送给 @李销售' } }) })]);
  });

  it('刘销售（只看自己的数据）在群里问李销售的订单：被告知没有或无权查看，什么都不私发', async () => {
    const { send } = post(wecomTextXml({ corpId, from: 'liu.xs', content: `订单 ${orderNo}`, msgId: '900005', chatId: SALES_CHAT }));
    expect((await send()).status).toBe(200);
    expect(fake.sent).toHaveLength(0);
    expect(fake.chats.map((c) => content(c.body))).toEqual([`没有找到订单 ${orderNo}，或你无权查看`]);
  });
});

describe('企业微信免登：POST /api/v1/auth/platform/wecom', () => {
  it('OAuth code → userid → 绑定的云桥用户的 JWT；同一个码再用、非企业成员：401', async () => {
    const code = fake.issueAuthCode('li.xs');
    const res = await t.http().post('/api/v1/auth/platform/wecom').send({ code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bound: true, user: { username: 'li.xs' } });
    expect((await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.token}`)).body.username).toBe('li.xs');
    expect((await t.http().post('/api/v1/auth/platform/wecom').send({ code })).status).toBe(401);
    expect((await t.http().post('/api/v1/auth/platform/wecom').send({ code: fake.issueAuthCode('visitor', { nonMember: true }) })).status).toBe(401);
  });
});

describe('企业微信通知投递（WecomAdapter.fromConfig）', () => {
  let adapters: Map<Platform, ChannelAdapter>;
  const plan = () => planDeliveries(t.database, { debounceMs: 0, publicBaseUrl: t.config.PUBLIC_BASE_URL }); // as the worker does
  const send = () => sendDueDeliveries(t.database.system, adapters, { worker: 'wecom-e2e', backoffMs: 1 });
  const run = async () => (await plan(), send());
  const routes = () => t.database.system.notificationRoute;

  beforeAll(async () => {
    adapters = new Map([['wecom', WecomAdapter.fromConfig(t.config)!]]);
    await routes().create({ data: { companyId, topic: 'stock.shortage', platform: 'wecom', targetKind: 'group', targetId: 'robot:purchase-robot', name: '采购群机器人' } });
    await routes().create({ data: { companyId, topic: 'stock.shortage', platform: 'wecom', targetKind: 'user', targetId: 'wang.cg', name: '王采购' } });
    await routes().create({ data: { companyId, topic: 'order.progress', platform: 'wecom', targetKind: 'group', targetId: 'wrC0002', customerId, name: '客户 C0002 订单群' } });
  });

  it('订单的每一步以 markdown 发到它的群聊（appchat：新建、确认，随后发货）', async () => {
    await run();
    const steps = () => fake.chats.filter((c) => c.chatid === 'wrC0002').map((c) => content(c.body, 'markdown'));
    expect(steps()).toHaveLength(2);
    expect(steps()[0]).toContain(`**销售订单 ${orderNo} · 新建**`);
    expect(steps()[1]).toContain(`**销售订单 ${orderNo} · 确认**`);
    const zhao = await as(t, 'zhao.ck');
    expect((await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({ lines: [{ orderLineId, quantity: '1' }] })).status).toBe(201);
    await run();
    expect(steps()).toHaveLength(3);
    expect(steps()[2]).toContain(`**销售订单 ${orderNo} · 发货**`);
    expect((await run()).sent).toBe(0);
  });

  it('缺料：采购群机器人收到 markdown，王采购收到模板卡片（task_id 来自幂等键，response_code 记下）；崩溃后重发不出第二张', async () => {
    const item = await shortage();
    expect(await run()).toMatchObject({ sent: 2, failed: 0 });
    expect(fake.robot).toHaveLength(1);
    expect(content(fake.robot[0]!.body, 'markdown')).toContain(`**缺料预警：${item.name}**`);
    expect(fake.sent).toHaveLength(1);
    const tc = fake.sent[0]!.body.template_card as { main_title: { title: string }; task_id: string; card_action: { url: string } };
    expect(tc.main_title.title).toBe(`缺料预警：${item.name}`);
    expect(tc.card_action.url).toBe(`https://yq.example/m/#/stock/${item.id}`);
    const row = await t.database.system.noticeDelivery.findFirstOrThrow({ where: { targetId: 'wang.cg' }, orderBy: { id: 'desc' } });
    expect(tc.task_id).toBe(wecomTaskId(row.idempotencyKey));
    expect(row).toMatchObject({ status: 'sent', messageId: fake.sent[0]!.msgid });
    // the process died after WeCom took the card but before the row was marked: the worker sends it again
    await t.database.system.noticeDelivery.update({ where: { id: row.id }, data: { status: 'pending', messageId: null, sentAt: null, availableAt: new Date(Date.now() - 1000) } });
    expect((await send()).sent).toBe(1);
    expect(fake.sent).toHaveLength(1);
    expect(fake.duplicates).toHaveLength(1);
    expect((await t.database.system.noticeDelivery.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('sent');
  });

  it('按钮交互型卡片的 response_code 回到 SentMessage 并记在 notice_delivery.response_code', async () => {
    const adapter = adapters.get('wecom')!;
    const sent = await adapter.sendCard({ platform: 'wecom', kind: 'user', id: 'wang.cg' }, {
      title: '请购确认', tone: 'info', fields: [], buttons: [{ text: '知道了', value: { action: 'ack' } }],
    }, { idempotencyKey: 'e2e-button-card' });
    expect(sent.responseCode).toBe(fake.sent[0]!.responseCode);
    expect(sent.responseCode).toMatch(/^rc-/);
  });

  it('100 条通知发到同一个群机器人：全部计划好，每分钟只发 20 条，其余顺延（不失败、不突发）', async () => {
    await routes().updateMany({ where: { companyId }, data: { active: false } });
    await routes().create({ data: { companyId, topic: 'order.progress', platform: 'wecom', targetKind: 'group', targetId: 'robot:bulk-robot', customerId, name: '批量群机器人' } });
    const sys = t.database.system;
    await sys.outboxEvent.createMany({
      data: Array.from({ length: 100 }, (_, i) => ({
        companyId, type: 'order.progress', aggregate: 'salesOrder', aggregateId: orderId,
        payload: { orderType: 'salesOrder', orderId, number: orderNo, kind: 'note', message: `第 ${i + 1} 条跟进`, actor: '李销售' },
      })),
    });
    await plan();
    const where = { targetId: 'robot:bulk-robot' };
    expect(await sys.noticeDelivery.count({ where })).toBe(100);

    const first = await send();
    expect(first).toEqual({ sent: 20, retried: 0, failed: 0, postponed: 80 });
    const sent = await sys.noticeDelivery.findMany({ where: { ...where, status: 'sent' } });
    const waiting = await sys.noticeDelivery.findMany({ where: { ...where, status: 'pending' } });
    expect([sent.length, waiting.length]).toEqual([20, 80]);
    const firstSentAt = Math.min(...sent.map((r) => r.sentAt!.getTime()));
    for (const r of waiting) {
      expect(r.availableAt.getTime()).toBeGreaterThanOrEqual(firstSentAt + 60_000);
      expect(r.attempts).toBe(0); // a postponement is not an attempt
    }
    expect(await send()).toEqual({ sent: 0, retried: 0, failed: 0, postponed: 0 }); // nothing due before the minute is up

    // let a minute pass, four times (the database's times move back, the fake's clock forward)
    for (let minute = 1; minute <= 4; minute++) {
      skewMs += 61_000;
      await sys.$executeRaw`UPDATE notice_delivery SET sent_at = sent_at - interval '61 seconds', available_at = available_at - interval '61 seconds' WHERE target_id = 'robot:bulk-robot'`;
      expect(await send()).toMatchObject({ sent: 20, retried: 0, failed: 0 });
    }
    expect(await sys.noticeDelivery.count({ where: { ...where, status: 'sent' } })).toBe(100);
    const bulk = fake.robot.filter((m) => m.key === 'bulk-robot');
    expect(bulk).toHaveLength(100);
    expect(new Set(bulk.map((m) => content(m.body, 'markdown').match(/第 \d+ 条跟进/)![0])).size).toBe(100);
    expect(fake.robotMaxPerMinute('bulk-robot')).toBe(20);
  });
});

/** A new item with safety stock 10 taken to 7 available: one stock.shortage event. */
async function shortage(): Promise<{ id: string; code: string; name: string }> {
  const sys = t.database.system;
  const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const wh = await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH01' } });
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const item = await sys.item.create({ data: { companyId, code: `WC-${stamp}`, name: `企微缺料${stamp.slice(-4)}`, kind: 'raw', baseUnitId: pcs.id, safetyStock: '10' } });
  await inCompany(t.database.app, companyId, async (tx) => {
    const mc = { companyId, source: { type: 'test', id: 'wecom-e2e' } };
    await receiveStock(tx, { ...mc, kind: 'opening' }, [{ itemId: item.id, warehouseId: wh.id, quantity: '12', unitCost: '1' }]);
    await issueStock(tx, { ...mc, kind: 'adjustment' }, [{ itemId: item.id, warehouseId: wh.id, quantity: '5' }]);
  });
  return item;
}
