// 钉钉 callback routes against callbacks built exactly as DingTalk sends them (tests/fakes/dingtalk.ts).
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DingTalkAdapter } from '../../bot/channels/dingtalk/adapter.ts';
import { createDingTalkCallbackRouter, type DingTalkCallbackDeps, type DingTalkCardAction } from '../../bot/channels/dingtalk/routes.ts';
import type { InboundMessage } from '../../server/platform/channels.ts';
import { loadConfig, type Config } from '../../server/platform/config.ts';
import {
  cardCallbackPayload, dingTalkDecrypt, encryptedEvent, robotMessage, sha1Signature, signedRobotCallback, startDingTalkFake, type DingTalkFake,
} from '../fakes/dingtalk.ts';

const KEYS = { token: 'yunqiao-token', aesKey: 'o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus', appKey: 'dingyunqiaoapp' };
const APP_SECRET = 'yunqiao-app-secret';
const OTHER_AES = '4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij';

let fake: DingTalkFake;
let config: Config;
let evil: http.Server;
let evilUrl = '';
let evilHits = 0;
const messages: InboundMessage[] = [];
const actions: DingTalkCardAction[] = [];
const logs: string[] = [];
let seenIds = new Set<string>();

function app(over: Partial<DingTalkCallbackDeps> = {}, cfg: Config = config) {
  const a = express();
  a.use(
    '/callbacks/dingtalk',
    createDingTalkCallbackRouter({
      config: cfg,
      onMessage: async (m) => {
        messages.push(m);
        return { text: `收到：${m.text}` };
      },
      onCardAction: async (act) => {
        actions.push(act);
      },
      seen: async (id) => (seenIds.has(id) ? true : (seenIds.add(id), false)),
      log: (msg) => void logs.push(msg),
      ...over,
    }),
  );
  return a;
}

function postEvent(a: express.Express, ev: { query: string; body: string }) {
  return request(a).post(`/callbacks/dingtalk?${ev.query}`).set('content-type', 'application/json').send(ev.body);
}

function postRobot(a: express.Express, cb: { headers: Record<string, string>; body: string }) {
  return request(a).post('/callbacks/dingtalk/robot').set(cb.headers).send(cb.body);
}

function expectEncryptedSuccess(body: { msg_signature: string; timeStamp: string; nonce: string; encrypt: string }) {
  expect(body.msg_signature).toBe(sha1Signature(KEYS.token, body.timeStamp, body.nonce, body.encrypt));
  expect(dingTalkDecrypt(KEYS.aesKey, body.encrypt)).toEqual({ msg: 'success', receiveId: KEYS.appKey });
}

beforeAll(async () => {
  fake = await startDingTalkFake({ appKey: KEYS.appKey, appSecret: APP_SECRET });
  evil = http.createServer((_req, res) => void (evilHits++, res.end('{"errcode":0}')));
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  config = loadConfig({
    DINGTALK_APP_KEY: KEYS.appKey, DINGTALK_APP_SECRET: APP_SECRET, DINGTALK_TOKEN: KEYS.token, DINGTALK_AES_KEY: KEYS.aesKey,
    DINGTALK_CARD_TEMPLATE_ID: 'tpl.schema', DINGTALK_BASE_URL: fake.url, DINGTALK_OAPI_BASE_URL: fake.url, DINGTALK_CORP_ID: 'dingcorp',
  });
});

afterAll(async () => {
  await fake.close();
  await new Promise((r) => evil.close(r));
});

beforeEach(() => {
  fake.reset();
  messages.length = actions.length = logs.length = 0;
  seenIds = new Set();
  evilHits = 0;
});

describe('/callbacks/dingtalk (encrypted events)', () => {
  it('answers check_url with an encrypted "success"', async () => {
    const res = await postEvent(app(), encryptedEvent(KEYS, { EventType: 'check_url' }));
    expect(res.status).toBe(200);
    expectEncryptedSuccess(res.body);
  });

  it('a card click reaches onCardAction once, however often it is delivered', async () => {
    const payload = cardCallbackPayload('yq_card1', { action: 'approve', id: 'PO-1' });
    const ev = encryptedEvent(KEYS, payload);
    // the same push twice, then a redelivery encrypted afresh (new random prefix, nonce, signature)
    for (const e of [ev, ev, encryptedEvent(KEYS, payload)]) {
      const res = await postEvent(app(), e);
      expect(res.status).toBe(200);
      expectEncryptedSuccess(res.body);
    }
    expect(actions).toEqual([
      expect.objectContaining({ outTrackId: 'yq_card1', userId: 'boss', orgKey: 'dingcorp', actionIds: ['approve'], params: { action: 'approve', id: 'PO-1' } }),
    ]);
    // another user's click on the same card is a separate action
    await postEvent(app(), encryptedEvent(KEYS, cardCallbackPayload('yq_card1', { action: 'approve', id: 'PO-1' }, 'zhang.jl')));
    expect(actions.map((a) => a.userId)).toEqual(['boss', 'zhang.jl']);
  });

  it('a click whose handling fails is not remembered: 500, and the redelivery (or the same press again) is acted on, once', async () => {
    const payload = cardCallbackPayload('yq_card_fail', { action: 'approve', id: 'SO-9' });
    let attempts = 0;
    const forgotten: string[] = [];
    const a = app({
      onCardAction: async (act) => {
        attempts += 1;
        if (attempts === 1) throw new Error('connection terminated unexpectedly');
        actions.push(act);
      },
      forget: async (id) => {
        forgotten.push(id);
        seenIds.delete(id);
      },
    });
    const failed = await postEvent(a, encryptedEvent(KEYS, payload));
    expect(failed.status).toBe(500);
    expect(forgotten).toHaveLength(1);
    expect(logs.some((l) => l.includes('处理卡片回调 yq_card_fail 失败'))).toBe(true);
    // DingTalk delivers it again (encrypted afresh): handled now, and only now
    const retried = await postEvent(a, encryptedEvent(KEYS, payload));
    expect(retried.status).toBe(200);
    expectEncryptedSuccess(retried.body);
    const again = await postEvent(a, encryptedEvent(KEYS, payload));
    expect(again.status).toBe(200);
    expect(attempts).toBe(2);
    expect(actions).toEqual([expect.objectContaining({ outTrackId: 'yq_card_fail', params: { action: 'approve', id: 'SO-9' } })]);
  });

  it('a card returned by onCardAction replaces the clicked card through the card API', async () => {
    const adapter = DingTalkAdapter.fromConfig(config)!;
    const sent = await adapter.sendCard({ platform: 'dingtalk', kind: 'group', id: 'cidGroupAAAA==' }, { title: '待审批', tone: 'info', fields: [] });
    const a = app({ adapter, onCardAction: async () => ({ card: { title: '已同意', tone: 'success', fields: [{ label: '审批人', value: '老板' }] } }) });
    const res = await postEvent(a, encryptedEvent(KEYS, cardCallbackPayload(sent.messageId, { action: 'approve' })));
    expect(res.status).toBe(200);
    expect(fake.cardUpdates).toHaveLength(1);
    expect(fake.cardUpdates[0]).toMatchObject({ outTrackId: sent.messageId, cardData: { cardParamMap: { title: '已同意', tone: 'success' } } });
  });

  it('other events are acknowledged and ignored', async () => {
    const res = await postEvent(app(), encryptedEvent(KEYS, { EventType: 'user_add_org', UserId: ['x'] }));
    expect(res.status).toBe(200);
    expectEncryptedSuccess(res.body);
    expect(actions).toHaveLength(0);
  });

  it('refuses a forged signature, a wrong key, a wrong app key, a tampered body and missing parameters (401, nothing acted on)', async () => {
    const payload = cardCallbackPayload('yq_card2', { action: 'approve' });
    const good = encryptedEvent(KEYS, payload);
    const forged = { ...good, query: good.query.replace(/signature=[0-9a-f]+/, `signature=${'a'.repeat(40)}`) };
    const wrongKey = encryptedEvent({ ...KEYS, aesKey: OTHER_AES }, payload);
    const wrongApp = encryptedEvent({ ...KEYS, appKey: 'dingotherapp' }, payload);
    const wrongToken = encryptedEvent({ ...KEYS, token: 'other-token' }, payload);
    const flipped = good.encrypt.startsWith('A') ? `B${good.encrypt.slice(1)}` : `A${good.encrypt.slice(1)}`;
    const tampered = { ...good, body: JSON.stringify({ encrypt: flipped }) };
    const noSig = { ...good, query: good.query.replace(/signature=[0-9a-f]+&/, '') };
    const notJson = { ...good, body: 'encrypt=abc' };
    const reasons: string[] = [];
    for (const ev of [forged, wrongKey, wrongApp, wrongToken, tampered, noSig, notJson]) {
      const res = await postEvent(app(), ev);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
      reasons.push(res.body.error.message);
    }
    // the wrong AES key and the wrong app key pass the signature and fail at decryption / receive id
    expect(reasons[1]).not.toContain('签名');
    expect(reasons[2]).toContain('receiveId');
    expect(actions).toHaveLength(0);
    expect(seenIds.size).toBe(0);
  });

  it('accepts msg_signature / timeStamp spellings and an old timestamp on check_url (it acts on nothing: no time window)', async () => {
    const ev = encryptedEvent(KEYS, { EventType: 'check_url' }, { timestamp: '1445827045067' });
    const query = ev.query.replace('signature=', 'msg_signature=').replace('timestamp=', 'timeStamp=');
    const res = await postEvent(app(), { ...ev, query });
    expect(res.status).toBe(200);
  });

  it('is off (404) without token / AES key / app key', async () => {
    const off = loadConfig({ DINGTALK_APP_SECRET: APP_SECRET });
    const res = await postEvent(app({}, off), encryptedEvent(KEYS, { EventType: 'check_url' }));
    expect(res.status).toBe(404);
  });
});

describe('/callbacks/dingtalk/robot (robot @messages)', () => {
  it('a signed group message reaches onMessage and is answered through the sessionWebhook, @-ing the asker', async () => {
    const msg = robotMessage({ text: '@云桥助手 库存 M8螺栓', sessionWebhook: fake.sessionWebhook('grp1') });
    const res = await postRobot(app(), signedRobotCallback(APP_SECRET, msg));
    expect(res.status).toBe(200);
    expect(messages).toEqual([
      expect.objectContaining({ platform: 'dingtalk', messageId: msg.msgId, orgKey: 'dingcorp', chatType: 'group', chatId: 'cidGroupAAAA==', senderId: 'wang.cg', senderName: '王采购', text: '库存 M8螺栓', senderUnverified: true }),
    ]);
    expect(fake.sessionReplies).toEqual([{ msgtype: 'text', text: { content: '收到：库存 M8螺栓' }, at: { atUserIds: ['wang.cg'] }, session: 'grp1' }]);
  });

  it('a repeated msgId is acted on once (each delivery freshly signed)', async () => {
    const msg = robotMessage({ sessionWebhook: fake.sessionWebhook() });
    // Each delivery freshly signed: distinct timestamps (a (timestamp, sign) pair is accepted once).
    const base = Date.now();
    for (let i = 0; i < 3; i++) expect((await postRobot(app(), signedRobotCallback(APP_SECRET, msg, base - i * 1000))).status).toBe(200);
    expect(messages).toHaveLength(1);
    expect(fake.sessionReplies).toHaveLength(1);
  });

  it('refuses a timestamp more than 5 minutes off, a forged sign, a wrong secret and missing headers (401)', async () => {
    const msg = robotMessage({ sessionWebhook: fake.sessionWebhook() });
    const now = Date.now();
    const stale = signedRobotCallback(APP_SECRET, msg, now - 6 * 60_000);
    const future = signedRobotCallback(APP_SECRET, msg, now + 6 * 60_000);
    const wrongSecret = signedRobotCallback('not-the-secret', msg);
    const good = signedRobotCallback(APP_SECRET, msg);
    const forged = { ...good, headers: { ...good.headers, sign: 'AAAA' + good.headers.sign!.slice(4) } };
    const otherTs = { ...good, headers: { ...good.headers, timestamp: String(now - 5) } };
    const { sign: _s, ...noSign } = good.headers;
    for (const cb of [stale, future, wrongSecret, forged, otherTs, { ...good, headers: noSign }]) {
      const res = await postRobot(app(), cb);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect(messages).toHaveLength(0);
    expect(seenIds.size).toBe(0);
    // 4 minutes off is still within the window
    expect((await postRobot(app(), signedRobotCallback(APP_SECRET, msg, now - 4 * 60_000))).status).toBe(200);
  });

  it('never calls a sessionWebhook outside DINGTALK_OAPI_BASE_URL (a body carrying another host gets no answer)', async () => {
    for (const hook of [`${evilUrl}/robot/sendBySession?session=x`, 'https://oapi.dingtalk.com.evil.example/robot/sendBySession']) {
      const res = await postRobot(app(), signedRobotCallback(APP_SECRET, robotMessage({ sessionWebhook: hook })));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
    }
    expect(evilHits).toBe(0);
    expect(fake.sessionReplies).toHaveLength(0);
    expect(logs.filter((l) => l.includes('sessionWebhook'))).toHaveLength(2);
  });

  it('an expired sessionWebhook is not called', async () => {
    const msg = robotMessage({ sessionWebhook: fake.sessionWebhook(), sessionWebhookExpiredTime: Date.now() - 1000 });
    expect((await postRobot(app(), signedRobotCallback(APP_SECRET, msg))).status).toBe(200);
    expect(messages).toHaveLength(1);
    expect(fake.sessionReplies).toHaveLength(0);
  });

  it('a 1:1 message is answered 1:1 to senderStaffId through the robot API, never in the HTTP response', async () => {
    const msg = robotMessage({ conversationType: '1', conversationId: 'cidP2P==', text: '帮助', sessionWebhook: fake.sessionWebhook() });
    const res = await postRobot(app({ adapter: DingTalkAdapter.fromConfig(config) }), signedRobotCallback(APP_SECRET, msg));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(messages[0]).toMatchObject({ chatType: 'p2p', chatId: 'cidP2P==', text: '帮助' });
    expect(fake.sessionReplies).toHaveLength(0);
    expect(fake.robotMessages).toEqual([expect.objectContaining({ kind: 'oto', userIds: ['wang.cg'], msgKey: 'sampleText', msgParam: JSON.stringify({ content: '收到：帮助' }) })]);
  });

  it('a body without msgId is a 400; without an app secret the route is off', async () => {
    const { msgId: _m, ...noId } = robotMessage();
    expect((await postRobot(app(), signedRobotCallback(APP_SECRET, noId))).status).toBe(400);
    const off = loadConfig({});
    expect((await postRobot(app({}, off), signedRobotCallback(APP_SECRET, robotMessage()))).status).toBe(404);
    expect(messages).toHaveLength(0);
  });

  it('an onMessage failure is logged, answered 500 and its msgId released (a redelivery is handled)', async () => {
    let calls = 0;
    const a = app({
      onMessage: async (m) => {
        if (++calls === 1) throw new Error('boom');
        messages.push(m);
        return { text: '好了' };
      },
      forget: async (id) => void seenIds.delete(id),
    });
    const msg = robotMessage({ sessionWebhook: fake.sessionWebhook() });
    const signed = signedRobotCallback(APP_SECRET, msg);
    const res = await postRobot(a, signed);
    expect(res.status).toBe(500);
    expect(fake.sessionReplies).toHaveLength(0);
    expect(logs.some((l) => l.includes('失败'))).toBe(true);
    expect(seenIds.has(msg.msgId as string)).toBe(false);
    // DingTalk's retry of the failed message, with the same headers: its signature was released with it.
    expect((await postRobot(a, signed)).status).toBe(200);
    // Once handled, the same pair is spent.
    expect((await postRobot(a, signed)).status).toBe(401);
    expect(messages).toHaveLength(1);
    expect(fake.sessionReplies).toHaveLength(1);
  });
});
