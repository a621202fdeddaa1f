// The chat callback surface under attack, through the real server with Feishu, WeCom and DingTalk
// switched on (loopback fakes): oversized bodies (413, nothing acted on); 64 KB of nested tags to
// WeCom refused at once while /healthz answers (handling time printed as BENCH lines); a captured
// DingTalk (timestamp, sign) used twice, even on another server process; a forged robot body
// claiming to be the boss getting nothing private back; a Feishu click held back for 2 hours and a
// stale WeCom/DingTalk callback refused; failed handling released so the redelivery is answered.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import supertest from 'supertest';
import { INBOUND_RETENTION_MS } from '../../bot/inbound.ts';
import { buildApp } from '../../server/app.ts';
import { runRetention } from '../../server/modules/notices/retention.ts';
import { TokenSigner, loadJwtSecret } from '../../server/platform/auth.ts';
import { encryptedEvent, cardCallbackPayload, robotMessage, signedRobotCallback, startDingTalkFake, type DingTalkFake } from '../fakes/dingtalk.ts';
import { larkCallback, larkCardActionEvent, larkMessageEvent, startLarkFake, type LarkFake } from '../fakes/lark.ts';
import { wecomCallback, wecomTextXml } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as } from '../helpers/factories.ts';

const LARK = { appId: 'cli_sec', appSecret: 'sec_lark_secret', token: 'vt_sec', key: 'ek_sec_key', tenant: 'tk_sec' };
const WECOM = { token: 'wecom-sec-token', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'wwsec0001' };
const DING = { appKey: 'dingsecapp', appSecret: 'ding-sec-app-secret', corp: 'dingseccorp', token: 'ding-sec-token', aesKey: 'o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus' };

let t: TestApp;
let lark: LarkFake;
let ding: DingTalkFake;
let order: { id: string; number: string };
let approvalId: string;
let documentVersion: number;

beforeAll(async () => {
  [lark, ding] = await Promise.all([startLarkFake({ appId: LARK.appId, appSecret: LARK.appSecret }), startDingTalkFake({ appKey: DING.appKey, appSecret: DING.appSecret })]);
  t = await createTestApp({
    PUBLIC_BASE_URL: 'https://yq.example',
    LARK_APP_ID: LARK.appId, LARK_APP_SECRET: LARK.appSecret, LARK_VERIFICATION_TOKEN: LARK.token, LARK_ENCRYPT_KEY: LARK.key,
    LARK_BASE_URL: lark.url, LARK_TENANT_KEY: LARK.tenant,
    WECOM_CORP_ID: WECOM.corpId, WECOM_TOKEN: WECOM.token, WECOM_ENCODING_AES_KEY: WECOM.encodingAesKey, WECOM_BASE_URL: 'http://127.0.0.1:9',
    DINGTALK_APP_KEY: DING.appKey, DINGTALK_APP_SECRET: DING.appSecret, DINGTALK_CORP_ID: DING.corp, DINGTALK_TOKEN: DING.token,
    DINGTALK_AES_KEY: DING.aesKey, DINGTALK_BASE_URL: ding.url, DINGTALK_OAPI_BASE_URL: ding.url,
  });
  const sys = t.database.system;
  const companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  await sys.companyPlatform.createMany({ data: [{ companyId, platform: 'lark', orgKey: LARK.tenant }, { companyId, platform: 'dingtalk', orgKey: DING.corp }] });
  // 李销售's order at 15 % discount waits for 张经理's approval: the private data and the decision at stake.
  const li = await as(t, 'li.xs');
  const customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  const m8 = await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } });
  const created = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: m8.id, quantity: '10', discountRate: '0.15' }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  order = { id: created.body.id, number: created.body.number };
  expect((await li('post', `/api/v1/sales-orders/${order.id}/submit`).send({})).status).toBe(200);
  const approval = await sys.approval.findFirstOrThrow({ where: { documentId: order.id, state: 'pending' } });
  ({ id: approvalId, documentVersion } = approval);
});
afterAll(async () => {
  await t?.close();
  await Promise.all([lark?.close(), ding?.close()]);
});
beforeEach(() => {
  lark.reset();
  ding.reset();
});

const inbound = (platform: 'lark' | 'wecom' | 'dingtalk') => t.database.system.chatInboundEvent.count({ where: { platform } });
const postRobot = (cb: { headers: Record<string, string>; body: string }, http = t.http()) => http.post('/callbacks/dingtalk/robot').set(cb.headers).send(cb.body);
const postWecom = (cb: { query: Record<string, string>; body: string }) => t.http().post('/callbacks/wecom').query(cb.query).set('content-type', 'text/xml').send(cb.body);
/** a robot @message from our configured corp's group, as DingTalk posts it */
const said = (staffId: string, text: string, over: Record<string, unknown> = {}) =>
  robotMessage({ text: `@云桥助手 ${text}`, senderStaffId: staffId, senderNick: staffId, chatbotCorpId: DING.corp, senderCorpId: DING.corp, robotCode: DING.appKey, sessionWebhook: ding.sessionWebhook(), ...over });

describe('大小与解析：回调请求体 ≤ 64 KB，验签前不解析 XML', () => {
  it('超过 64 KB 的请求（即使签名正确）→ 413，什么都不做', async () => {
    const padding = '库'.repeat(23_000); // ≈ 69 KB of UTF-8
    const robot = await postRobot(signedRobotCallback(DING.appSecret, said('wang.cg', `库存 M8螺栓 ${padding}`)));
    const wecom = await postWecom(wecomCallback(wecomTextXml({ corpId: WECOM.corpId, from: 'wang.cg', content: padding }), WECOM));
    const larkCb = larkCallback(larkMessageEvent({ token: LARK.token, tenantKey: LARK.tenant, chatId: 'oc_g', senderOpenId: 'ou_wang.cg', text: padding }), { encryptKey: LARK.key });
    const larkRes = await t.http().post('/callbacks/lark').set(larkCb.headers).send(larkCb.body);
    const ev = encryptedEvent({ token: DING.token, aesKey: DING.aesKey, appKey: DING.appKey }, { ...cardCallbackPayload('yq_big', { pad: padding }), corpId: DING.corp });
    const dingRes = await t.http().post(`/callbacks/dingtalk?${ev.query}`).set('content-type', 'application/json').send(ev.body);
    for (const res of [robot, wecom, larkRes, dingRes]) {
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    }
    expect(await inbound('dingtalk')).toBe(0);
    expect(await inbound('wecom')).toBe(0);
    expect(await inbound('lark')).toBe(0);
    expect(ding.sessionReplies).toHaveLength(0);
    expect(lark.sent).toHaveLength(0);
  });

  it('64 KB 的层层嵌套 <xml> 发到 /callbacks/wecom：立刻 401，/healthz 照常应答', async () => {
    const fill = (unit: string, tail = '') => unit.repeat(Math.floor((64 * 1024 - tail.length - 32) / unit.length)) + tail;
    const hostile = {
      nested: fill('<xml>'),
      // the old reader's regex rescanned to the end at every unclosed `<xml ` (64 KB ≈ 0.9 s, 320 KB ≈ 20 s)
      unclosedTags: `<xml>${fill('<xml ', '<xml>')}`,
      nestedWithEncrypt: fill('<xml><Encrypt>', '<Encrypt><![CDATA[QUJDRA==]]></Encrypt>'),
      unclosedCdata: fill('<a><![CDATA[<xml>'),
    };
    const signed = wecomCallback(wecomTextXml({ corpId: WECOM.corpId, from: 'wang.cg', content: 'x' }), WECOM).query;
    const health = t.http().get('/healthz');
    for (const [name, body] of Object.entries(hostile)) {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(64 * 1024);
      const started = performance.now();
      const [res, ok] = await Promise.all([postWecom({ query: signed, body }), t.http().get('/healthz')]);
      const ms = performance.now() - started;
      console.log(`BENCH wecom_hostile_${name}_64kb ${ms.toFixed(1)} ms (status ${res.status})`);
      expect(res.status).toBe(401);
      expect(ok.status).toBe(200);
    }
    expect((await health).body).toMatchObject({ status: 'ok', db: 'ok' });
    expect(await inbound('wecom')).toBe(0);
  });

  it('签名正确但时间戳超过 5 分钟的企业微信回调 → 401，消息不处理', async () => {
    const stale = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const res = await postWecom(wecomCallback(wecomTextXml({ corpId: WECOM.corpId, from: 'wang.cg', content: '帮助' }), { ...WECOM, timestamp: stale }));
    expect(res.status).toBe(401);
    expect(await inbound('wecom')).toBe(0);
  });
});

describe('钉钉机器人：签名只管时间戳，所以 (timestamp, sign) 只认一次、发件人不可信', () => {
  it('截获的 (timestamp, sign) 再配一个伪造的请求体 → 401（另一个服务进程上也一样），老板的订单不外泄', async () => {
    const captured = signedRobotCallback(DING.appSecret, said('wang.cg', '帮助'));
    expect((await postRobot(captured)).status).toBe(200);
    const forged = { headers: captured.headers, body: JSON.stringify(said('boss', `订单 ${order.number}`, { conversationType: '1', conversationId: 'cidP2PBoss==' })) };
    const again = await postRobot(forged);
    expect(again.status).toBe(401);
    expect(again.body.error.message).toContain('已使用');
    // A second server process on the same database knows the pair too.
    const other = buildApp({ database: t.database, config: t.config, log: pino({ level: 'silent' }), tokens: new TokenSigner(await loadJwtSecret(t.database.system)) }).app;
    expect((await postRobot(forged, supertest.agent(other))).status).toBe(401);
    expect(ding.robotMessages.filter((m) => JSON.stringify(m).includes(order.number))).toHaveLength(0);
  });

  it('伪造的单聊请求体自称老板、自称别的企业：HTTP 应答是 {}，订单只经机器人 1:1 发给老板本人', async () => {
    const forged = said('boss', `订单 ${order.number}`, { conversationType: '1', conversationId: 'cidP2PBoss==', senderCorpId: 'dingEvilCorp', chatbotCorpId: 'dingEvilCorp' });
    const res = await postRobot(signedRobotCallback(DING.appSecret, forged));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(ding.sessionReplies).toHaveLength(0);
    // The company is the configured one (not dingEvilCorp): the answer exists, and goes to boss alone.
    expect(ding.robotMessages).toEqual([expect.objectContaining({ kind: 'oto', userIds: ['boss'] })]);
    expect(String(ding.robotMessages[0]!.msgParam)).toContain(order.number);
    // without a sessionWebhook the answer used to come back in the HTTP response
    const { sessionWebhook: _hook, ...bare } = said('boss', `订单 ${order.number}`, { conversationType: '1', conversationId: 'cidP2PBoss==' });
    const direct = await postRobot(signedRobotCallback(DING.appSecret, bare));
    expect(direct.status).toBe(200);
    expect(direct.body).toEqual({});
    expect(ding.robotMessages).toHaveLength(2);
  });

  it('伪造的群消息自称老板问订单：群里只有一句指引（没有金额），订单 1:1 发给老板', async () => {
    const res = await postRobot(signedRobotCallback(DING.appSecret, said('boss', `订单 ${order.number}`)));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(ding.sessionReplies).toHaveLength(1);
    const groupText = JSON.stringify(ding.sessionReplies[0]);
    expect(groupText).toContain('已私信发送');
    expect(groupText).not.toContain(order.number);
    expect(groupText).not.toContain('¥');
    expect(ding.robotMessages).toEqual([expect.objectContaining({ kind: 'oto', userIds: ['boss'] })]);
  });

  it('签名超过 5 分钟的钉钉卡片回调 → 401，审批不动', async () => {
    const keys = { token: DING.token, aesKey: DING.aesKey, appKey: DING.appKey };
    const click = { ...cardCallbackPayload('yq_stale', { kind: 'approval', approvalId, decision: 'agree', documentVersion: String(documentVersion) }, 'zhang.jl'), corpId: DING.corp };
    const ev = encryptedEvent(keys, click, { timestamp: String(Date.now() - 6 * 60_000) });
    const res = await t.http().post(`/callbacks/dingtalk?${ev.query}`).set('content-type', 'application/json').send(ev.body);
    expect(res.status).toBe(401);
    expect((await t.database.system.approval.findUniqueOrThrow({ where: { id: approvalId } })).state).toBe('pending');
  });
});

describe('飞书：卡片操作只在 5 分钟内有效；处理失败的事件会被重新处理', () => {
  const click = (createdAt: number, eventId: string) => {
    const event = larkCardActionEvent({
      token: LARK.token, tenantKey: LARK.tenant, operatorOpenId: 'ou_zhang.jl', messageId: 'om_card', eventId,
      value: { kind: 'approval', approvalId, decision: 'agree', documentVersion: String(documentVersion) },
    });
    (event.header as Record<string, unknown>).create_time = String(createdAt);
    const cb = larkCallback(event, { encryptKey: LARK.key });
    return t.http().post('/callbacks/lark').set(cb.headers).send(cb.body);
  };

  it('压了 2 小时的签名点击（同意）→ 不处理；同一按钮此刻点击 → 订单确认', async () => {
    const held = await click(Date.now() - 2 * 60 * 60_000, 'ev_held_back');
    expect(held.status).toBe(200);
    expect(JSON.stringify(held.body)).toContain('已过期');
    expect((await t.database.system.salesOrder.findUniqueOrThrow({ where: { id: order.id } })).state).toBe('pendingApproval');
    expect(await t.database.system.chatInboundEvent.count({ where: { eventId: 'ev_held_back' } })).toBe(0);

    const now = await click(Date.now(), 'ev_now');
    expect(JSON.stringify(now.body)).toContain('已同意');
    expect((await t.database.system.salesOrder.findUniqueOrThrow({ where: { id: order.id } })).state).toBe('confirmed');
  });

  it('回复发送失败 → 500 并撤销去重记录；飞书重推同一事件时照常回答', async () => {
    const event = larkMessageEvent({ token: LARK.token, tenantKey: LARK.tenant, chatId: 'oc_g', senderOpenId: 'ou_wang.cg', text: '帮助', eventId: 'ev_retry_me' });
    const post = () => {
      const cb = larkCallback(event, { encryptKey: LARK.key });
      return t.http().post('/callbacks/lark').set(cb.headers).send(cb.body);
    };
    lark.failNext(5, 400);
    const failed = await post();
    expect(failed.status).toBe(500);
    expect(await t.database.system.chatInboundEvent.count({ where: { platform: 'lark', eventId: 'ev_retry_me' } })).toBe(0);
    lark.failNext(0);
    const retried = await post();
    expect(retried.status).toBe(200);
    expect(lark.replies.filter((m) => JSON.stringify(m.content).includes('库存'))).toHaveLength(1);
    expect(await t.database.system.chatInboundEvent.count({ where: { platform: 'lark', eventId: 'ev_retry_me' } })).toBe(1);
    // and once handled, a further redelivery is not answered again
    expect((await post()).status).toBe(200);
    expect(lark.replies.filter((m) => JSON.stringify(m.content).includes('库存'))).toHaveLength(1);
  });

  it('比去重记录保留期（24 小时）还旧的消息事件：不回答（它的 id 可能已被清理）', async () => {
    const event = larkMessageEvent({ token: LARK.token, tenantKey: LARK.tenant, chatId: 'oc_g', senderOpenId: 'ou_wang.cg', text: '帮助', eventId: 'ev_ancient' });
    (event.header as Record<string, unknown>).create_time = String(Date.now() - 25 * 60 * 60_000);
    const cb = larkCallback(event, { encryptKey: LARK.key });
    expect((await t.http().post('/callbacks/lark').set(cb.headers).send(cb.body)).status).toBe(200);
    expect(lark.replies).toHaveLength(0);
    expect(await t.database.system.chatInboundEvent.count({ where: { eventId: 'ev_ancient' } })).toBe(0);
  });
});

describe('保留期：去重记录和已投递的发件箱事件按期清理', () => {
  it('超过 24 小时的回调 id、投递超过 N 天的发件箱事件被删除；待投递、失败的和较新的保留', async () => {
    const sys = t.database.system;
    const companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    const now = new Date('2026-12-07T12:00:00Z');
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    await sys.chatInboundEvent.createMany({
      data: [
        { platform: 'lark', eventId: 'ret_old', receivedAt: hoursAgo(25) },
        { platform: 'wecom', eventId: 'ret_fresh', receivedAt: hoursAgo(23) },
      ],
    });
    const ev = (status: 'pending' | 'delivered' | 'dead', days: number) => ({
      companyId, type: 'retention.test', payload: {}, status, createdAt: hoursAgo(days * 24 + 1), deliveredAt: status === 'delivered' ? hoursAgo(days * 24) : null,
    });
    await sys.outboxEvent.createMany({ data: [ev('delivered', 31), ev('delivered', 29), ev('pending', 40), ev('dead', 40)] });
    const before = await sys.chatInboundEvent.count({ where: { receivedAt: { lt: hoursAgo(24) } } });
    const result = await runRetention(sys, now, { outboxRetentionDays: 30, inboundRetentionMs: INBOUND_RETENTION_MS });
    expect(result.outboxEvents).toBe(1);
    expect(result.inboundIds).toBe(before);
    expect(await sys.chatInboundEvent.count({ where: { eventId: { in: ['ret_old', 'ret_fresh'] } } })).toBe(1);
    const left = await sys.outboxEvent.findMany({ where: { type: 'retention.test' }, select: { status: true }, orderBy: { id: 'asc' } });
    expect(left.map((e) => e.status)).toEqual(['delivered', 'pending', 'dead']);
  });
});
