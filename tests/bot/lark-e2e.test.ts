// 飞书 end to end through the real server: signed + encrypted im.message.receive_v1 events posted to
// /callbacks/lark exactly as Feishu sends them, answered as the bound user (the figures, the order
// 1:1 to its salesperson with a pointer in the group, "not found" for another salesperson); forged,
// wrongly keyed and tampered requests refused with nothing sent; sign-in by login code; and the
// notices (shortage → purchasing group, an order's steps → its group) sent as interactive cards
// through the SDK-backed adapter, once each even when Feishu fails for a while.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LarkAdapter, larkUuid } from '../../bot/channels/lark/adapter.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { issueStock, receiveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { larkCallback, larkMessageEvent, startLarkFake, type LarkFake, type LarkSentMessage } from '../fakes/lark.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

const APP = { appId: 'cli_e2e', appSecret: 'secret_e2e' };
const TOKEN = 'vt_e2e';
const KEY = 'ek_e2e_key';
const TENANT = 'tk_yunqiao_e2e';
let fake: LarkFake;
let t: TestApp;
let companyId: string;
let customerId: string;
let orderId: string;
let orderNo: string;
let orderLineId: string;

beforeAll(async () => {
  fake = await startLarkFake(APP);
  t = await createTestApp({
    LARK_APP_ID: APP.appId, LARK_APP_SECRET: APP.appSecret, LARK_VERIFICATION_TOKEN: TOKEN, LARK_ENCRYPT_KEY: KEY,
    LARK_BASE_URL: fake.url, LARK_TENANT_KEY: TENANT,
  });
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await sys.companyPlatform.create({ data: { companyId, platform: 'lark', orgKey: TENANT } });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '30000', unitCost: '0.03' });
  // 李销售's order for his customer C0002: 2 箱 M8螺栓, confirmed
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

const event = (senderOpenId: string, text: string, o: { eventId?: string; messageId?: string; chatId?: string } = {}) =>
  larkMessageEvent({ token: TOKEN, tenantKey: TENANT, chatId: o.chatId ?? 'oc_sales', senderOpenId, text, mentionBot: true, ...o });
const post = (cb: { body: string; headers: Record<string, string> }) => t.http().post('/callbacks/lark').set(cb.headers).send(cb.body);
const inboundCount = () => t.database.system.chatInboundEvent.count({ where: { platform: 'lark' } });

describe('飞书群聊：@云桥助手 的问答', () => {
  it('王采购在群里问「库存 M8螺栓」：群里收到按仓库的数字', async () => {
    const res = await post(larkCallback(event('ou_wang.cg', '库存 M8螺栓', { messageId: 'om_q_stock' }), { encryptKey: KEY }));
    expect(res.status).toBe(200);
    expect(fake.replies).toHaveLength(1);
    const reply = fake.replies[0]!;
    expect(reply).toMatchObject({ parentId: 'om_q_stock', msgType: 'text' });
    const text = String(reply.content.text);
    expect(text).toContain('库存：M8螺栓');
    expect(text).toContain('成品仓：在库 30 箱（30,000 个）');
    expect(fake.sent).toHaveLength(0); // nothing private about stock
    // the reply carried a tenant token the fake issued for these credentials
    expect(fake.requests.find((r) => r.path === '/open-apis/auth/v3/tenant_access_token/internal')?.body).toEqual({ app_id: APP.appId, app_secret: APP.appSecret });
  });

  it('李销售在群里问自己的订单：答案 1:1 发给他（卡片），群里只留一句指引', async () => {
    await post(larkCallback(event('ou_li.xs', `订单 ${orderNo}`, { messageId: 'om_q_order' }), { encryptKey: KEY }));
    expect(fake.sent).toHaveLength(1);
    const dm = fake.sent[0]!;
    expect(dm).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_li.xs', msgType: 'interactive' });
    expect(dm.uuid).toBe('reply-om_q_order');
    expect(cardTitle(dm)).toBe(`销售订单 ${orderNo}`);
    expect(cardTexts(dm)).toContain('**状态**\n已确认');
    expect(fake.replies).toHaveLength(1);
    expect(fake.replies[0]).toMatchObject({ parentId: 'om_q_order', msgType: 'text', content: { text: '已私信发送给 @李销售' } });
  });

  it('私信发不出去（飞书拒绝）：订单内容绝不发到群里，群里说明原因', async () => {
    fake.failNext(1, 400);
    await post(larkCallback(event('ou_li.xs', `订单 ${orderNo}`, { messageId: 'om_q_order_fail' }), { encryptKey: KEY }));
    expect(fake.sent).toHaveLength(0);
    expect(fake.replies).toHaveLength(1);
    expect(fake.replies[0]!.content.text).toContain('私信发送失败');
    expect(JSON.stringify(fake.replies)).not.toContain('¥');
  });

  it('刘销售（只看自己的数据）问李销售的订单：被告知没有或无权查看，什么都不私发', async () => {
    await post(larkCallback(event('ou_liu.xs', `订单 ${orderNo}`, { messageId: 'om_q_other' }), { encryptKey: KEY }));
    expect(fake.sent).toHaveLength(0);
    expect(fake.replies.map((r) => r.content.text)).toEqual([`没有找到订单 ${orderNo}，或你无权查看`]);
  });

  it('同一 event_id 推送两次只回答一次', async () => {
    const e = event('ou_wang.cg', '库存 M8螺栓', { eventId: 'ev-e2e-dup' });
    expect((await post(larkCallback(e, { encryptKey: KEY }))).status).toBe(200);
    expect((await post(larkCallback(e, { encryptKey: KEY }))).status).toBe(200); // re-encrypted, re-signed: a real redelivery
    expect(fake.replies).toHaveLength(1);
  });

  it('伪造签名、别的 Encrypt Key、被改过的 body：401，什么也不发', async () => {
    const before = await inboundCount();
    const forged = larkCallback(event('ou_wang.cg', '库存 M8螺栓'), { encryptKey: KEY });
    forged.headers['x-lark-signature'] = 'f'.repeat(64);
    const tampered = larkCallback(event('ou_wang.cg', '库存 M8螺栓'), { encryptKey: KEY });
    const bytes = Buffer.from((JSON.parse(tampered.body) as { encrypt: string }).encrypt, 'base64');
    bytes[bytes.length - 20]! ^= 0x01;
    for (const cb of [
      forged,
      larkCallback(event('ou_wang.cg', '库存 M8螺栓'), { encryptKey: 'not-our-key' }),
      { ...tampered, body: JSON.stringify({ encrypt: bytes.toString('base64') }) },
    ]) {
      const res = await post(cb);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect(fake.requests).toHaveLength(0);
    expect(await inboundCount()).toBe(before);
  });

  it('没有绑定的飞书用户：绑定链接（带一次性凭证）私信给他，群里只提示', async () => {
    await post(larkCallback(event('ou_stranger', '库存 M8螺栓'), { encryptKey: KEY }));
    expect(String(fake.replies[0]?.content.text)).toContain('绑定链接已私信发送');
    expect(String(fake.replies[0]?.content.text)).not.toContain('bindToken');
    const dm = fake.sent.find((m) => m.receiveId === 'ou_stranger');
    expect(JSON.stringify(dm?.content)).toContain('bind?platform=lark&bindToken=');
  });
});

describe('飞书免登：POST /api/v1/auth/platform/lark', () => {
  it('登录码 → open_id → 绑定的云桥用户的 JWT；同一个码第二次用：401', async () => {
    const code = fake.issueAuthCode('ou_li.xs', { tenantKey: TENANT });
    const res = await t.http().post('/api/v1/auth/platform/lark').send({ code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bound: true, user: { username: 'li.xs' } });
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(me.body.username).toBe('li.xs');
    const again = await t.http().post('/api/v1/auth/platform/lark').send({ code });
    expect(again.status).toBe(401);
    expect((await t.http().post('/api/v1/auth/platform/lark').send({ code: 'made-up' })).status).toBe(401);
  });
});

describe('飞书免登：公司由登录码所属的租户决定', () => {
  it('另一家公司绑定自己的租户 T2：T2 的码登录到那家公司；未绑定的人拿到那家公司的绑定凭证；未开通的租户被拒', async () => {
    const second = await createSecondCompany(t);
    const signIn = (openId: string, tenantKey: string) => t.http().post('/api/v1/auth/platform/lark').send({ code: fake.issueAuthCode(openId, { tenantKey }) });
    const theirAdmin = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await theirAdmin('post', '/api/v1/company/platforms').send({ platform: 'lark', code: fake.issueAuthCode('ou_other.admin', { tenantKey: 'tk_second' }) })).status).toBe(201);
    expect((await theirAdmin('post', '/api/v1/auth/platform/lark/bind').send({ code: fake.issueAuthCode('ou_other.admin', { tenantKey: 'tk_second' }) })).status).toBe(200);

    const bound = await signIn('ou_other.admin', 'tk_second');
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ bound: true, user: { username: 'other.admin', companyId: second.companyId, companyName: '江苏另一家机械有限公司' } });

    const unbound = await signIn('ou_new_hire', 'tk_second');
    expect(unbound.status).toBe(200);
    expect(unbound.body.bound).toBe(false);
    const { bindToken } = unbound.body;
    expect(JSON.parse(Buffer.from(bindToken.split('.')[1], 'base64url').toString())).toMatchObject({ plt: 'lark', sub: 'ou_new_hire', cid: second.companyId });
    expect((await (await as(t, 'li.xs'))('post', '/api/v1/auth/platform/lark/bind').send({ bindToken })).status).toBe(403);
    const newHire = await as(t, 'admin', { companyCode: 'OTHERCO' });
    expect((await newHire('post', '/api/v1/auth/platform/lark/bind').send({ bindToken })).body).toEqual({ platform: 'lark', externalUserId: 'ou_new_hire' });
    expect((await signIn('ou_new_hire', 'tk_second')).body).toMatchObject({ bound: true, user: { username: 'admin', companyId: second.companyId } });

    const stranger = await signIn('ou_li.xs', 'tk_nobody');
    expect(stranger.status).toBe(403);
    expect(stranger.body.error).toEqual({ code: 'FORBIDDEN', message: '这个飞书企业还没有开通云桥，请联系贵司管理员在云桥中完成企业绑定' });
  });
});

describe('飞书通知投递（LarkAdapter.fromConfig）', () => {
  let adapters: Map<Platform, ChannelAdapter>;
  const run = async () => {
    await planDeliveries(t.database, { debounceMs: 0 });
    return sendDueDeliveries(t.database.system, adapters, { worker: 'lark-e2e', backoffMs: 1 });
  };

  beforeAll(async () => {
    adapters = new Map([['lark', LarkAdapter.fromConfig(t.config)!]]);
    const routes = t.database.system.notificationRoute;
    await routes.create({ data: { companyId, topic: 'stock.shortage', platform: 'lark', targetKind: 'group', targetId: 'oc_purchase', name: '采购群' } });
    await routes.create({ data: { companyId, topic: 'order.progress', platform: 'lark', targetKind: 'group', targetId: 'oc_c0002', customerId, name: '客户 C0002 订单群' } });
  });

  it('订单的每一步以卡片发到它的群（新建、确认，随后发货）', async () => {
    await run();
    const steps = () => fake.sent.filter((m) => m.receiveId === 'oc_c0002');
    expect(steps().map(cardTitle)).toEqual([`销售订单 ${orderNo} · 新建`, `销售订单 ${orderNo} · 确认`]);
    for (const m of steps()) {
      expect(m).toMatchObject({ receiveIdType: 'chat_id', msgType: 'interactive' });
      expect(m.uuid).toMatch(/^progress:\d+:/);
      expect(cardTexts(m)).toContain(`**单号**\n${orderNo}`);
    }
    const zhao = await as(t, 'zhao.ck');
    expect((await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({ lines: [{ orderLineId, quantity: '1' }] })).status).toBe(201);
    await run();
    expect(steps().map(cardTitle)).toEqual([`销售订单 ${orderNo} · 新建`, `销售订单 ${orderNo} · 确认`, `销售订单 ${orderNo} · 发货`]);
    expect(cardTexts(steps()[2]!).some((s) => s.startsWith('**进展**\n发货'))).toBe(true);
    expect((await run()).sent).toBe(0);
    expect(fake.sent.filter((m) => m.receiveId === 'oc_purchase')).toHaveLength(0);
  });

  it('缺料：采购群收到一张 interactive 卡片（标题、字段、幂等 uuid）', async () => {
    const item = await shortage();
    expect((await run()).sent).toBe(1);
    expect(fake.sent).toHaveLength(1);
    const card = fake.sent[0]!;
    expect(card).toMatchObject({ receiveIdType: 'chat_id', receiveId: 'oc_purchase', msgType: 'interactive' });
    expect(cardTitle(card)).toBe(`缺料预警：${item.name}`);
    expect((card.content.header as { template: string }).template).toBe('orange');
    expect(cardTexts(card)).toEqual(expect.arrayContaining([`**物料编码**\n${item.code}`, '**可用**\n7 个', '**安全库存**\n10 个', '**缺口**\n3 个', '**建议采购**\n3 个']));
    const row = await t.database.system.noticeDelivery.findFirstOrThrow({ where: { targetId: 'oc_purchase', status: 'sent' }, orderBy: { id: 'desc' } });
    expect(card.uuid).toBe(larkUuid(row.idempotencyKey));
    expect(row.messageId).toBe(card.messageId);
  });

  it('飞书先 500 两次再恢复：重试后恰好送达一次', async () => {
    const item = await shortage();
    fake.failNext(2, 500);
    let sent = 0;
    let retried = 0;
    for (let i = 0; i < 10 && sent === 0; i++) {
      await t.database.system.noticeDelivery.updateMany({ where: { status: 'pending' }, data: { availableAt: new Date(Date.now() - 1000) } });
      const r = await run();
      sent += r.sent;
      retried += r.retried;
    }
    expect([sent, retried]).toEqual([1, 2]);
    expect(fake.sent).toHaveLength(1);
    expect(cardTitle(fake.sent[0]!)).toBe(`缺料预警：${item.name}`);
    expect(fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages')).toHaveLength(3);
    const row = await t.database.system.noticeDelivery.findFirstOrThrow({ where: { targetId: 'oc_purchase' }, orderBy: { id: 'desc' } });
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null, messageId: fake.sent[0]!.messageId });
  });
});

function cardTitle(m: LarkSentMessage): string {
  return (m.content.header as { title: { content: string } }).title.content;
}

/** Every lark_md text of the card's field grids. */
function cardTexts(m: LarkSentMessage): string[] {
  const elements = m.content.elements as { fields?: { text: { content: string } }[] }[];
  return elements.flatMap((e) => (e.fields ?? []).map((f) => f.text.content));
}

/** A new item with safety stock 10 taken to 7 available: one stock.shortage event. */
async function shortage(): Promise<{ id: string; code: string; name: string }> {
  const sys = t.database.system;
  const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const wh = await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH01' } });
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const item = await sys.item.create({ data: { companyId, code: `LK-${stamp}`, name: `飞书缺料${stamp.slice(-4)}`, kind: 'raw', baseUnitId: pcs.id, safetyStock: '10' } });
  await inCompany(t.database.app, companyId, async (tx) => {
    const mc = { companyId, source: { type: 'test', id: 'lark-e2e' } };
    await receiveStock(tx, { ...mc, kind: 'opening' }, [{ itemId: item.id, warehouseId: wh.id, quantity: '12', unitCost: '1' }]);
    await issueStock(tx, { ...mc, kind: 'adjustment' }, [{ itemId: item.id, warehouseId: wh.id, quantity: '5' }]);
  });
  return item;
}
