// 飞书 callbacks: crypto against the published vectors, and /callbacks/lark on a bare express app
// (signed + encrypted events in, replies out to the loopback fake). No database needed.
import crypto from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decryptLark, encryptLark, larkSignature, verifyLarkSignature } from '../../bot/channels/lark/crypto.ts';
import { createLarkCallbackRouter, messageText, type LarkCallbackDeps, type LarkCardAction } from '../../bot/channels/lark/routes.ts';
import type { InboundMessage } from '../../server/platform/channels.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { larkCallback, larkCardActionEvent, larkMessageEvent, larkUrlVerification, startLarkFake, type LarkFake } from '../fakes/lark.ts';

const TOKEN = 'vt_yunqiao_test';
const KEY = 'ek_yunqiao_test';
const TENANT = 'tk_demo';
const APP = { appId: 'cli_test', appSecret: 'secret_test' };

describe('飞书加解密：官方公布的向量', () => {
  it('Feishu 文档「接收回调 / 事件解密」示例：test key → hello world', () => {
    // open.feishu.cn/document/event-subscription-guide/callback-subscription/receive-and-handle-callbacks
    // (decrypt samples in Python/Java/Go/Node.js/C#, all with this key and ciphertext)
    expect(decryptLark('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('larksuite/oapi-sdk-java larksuite-oapi/src/test/java/com/lark/oapi/core/utils/TestDecryptor.java', () => {
    const encrypted =
      '4T4ivT/PR2APX9OYkhRKtu54s1rtIpj9xJU69Hs1yWQ/1RutbufsBs9xjx5YC3u/0hMRF49sN0kevQiEL8iB3bVEdpfyJXzXGDfKUjvKQTmG64GbMdTW6qRpadVPem3f32jHuT6fc+4TRg4BigwoUId+l/D+vcIwu3mDgAEbaqzWfmvccmpiRMfQbh9JhdK/akmrRjo/CXPLM+hZciFXJMSpKueV3SjZJoSls5y0ZTHC8zak/Mp/DSl1wa4mYe5laP367Lnl4ylGiXBKx3Ku29oWv79rYcO/5QT63H4rkl8bwYmAzScpb2KNnV11L3xiDzJp3hFdfXczUvm93FXu4Lw8eDAsRzIWCccKrqHh0UvtDJD95tNn6LvYew4+Xbk1RD4k7UzWJS9AMobOK778NLNxfQ+Kn7MKzBHilXnSIVY5V+dcsOOdfqJviW4yWmT73JHYKq1qJip7Cw7lbkmRMUmettUwdVFWxeXH6iTex3YXCgqoriCx/MzeQhdNEycipooB/vHItRt1CF44uFWj9tf8n3TdbdH4dNMD0hw8ejHJSbEHb9HAGCugUniN8BzL9wxE959JU4cu3BKjDuIk5oS9hLR1mSc3vKBuSa3VKOE=';
    expect(decryptLark('1212121212', encrypted)).toBe(
      '{"schema":"2.0","header":{"event_id":"f7984f25108f8137722bb63cee927e66","event_type":"contact.user.created_v3","app_id":"cli_xxxxxxxx","tenant_key":"xxxxxxx","create_time":"1603977298000000","token":"v"},"event":{"object":{"open_id":"ou_7dab8a3d3cdcc9da365777c7ad535d62","union_id":"on_576833b917gda3d939b9a3c2d53e72c8","user_id":"e33ggbyz","name":"张三","employee_no":"employee_no"}},"challenge":"1212","type":"url_verification1"}',
    );
  });

  it('错误的密钥、截短或被改过的密文都解不开', () => {
    expect(() => decryptLark('test key2', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toThrow();
    expect(() => decryptLark('test key', 'P37w+VZImNgPEO1RBhJ6Rg==')).toThrow();
    expect(() => decryptLark('test key', 'not base64!')).toThrow();
    const c = Buffer.from(encryptLark('k', '{"a":1}'), 'base64');
    c[c.length - 1]! ^= 0x01;
    expect(() => decryptLark('k', c.toString('base64'))).toThrow();
  });

  it('encryptLark ↔ decryptLark 往返（UTF-8 中文，各种长度）', () => {
    for (const s of ['', '库存 M8螺栓', 'x'.repeat(16), 'y'.repeat(33)]) expect(decryptLark('密钥', encryptLark('密钥', s))).toBe(s);
  });

  it('X-Lark-Signature = sha256(timestamp + nonce + encrypt_key + 原始 body) 的十六进制（文档公式）', () => {
    const body = '{"encrypt":"abc","note":"中文 body"}';
    const expected = crypto.createHash('sha256').update('1700000000' + 'nonce-1' + KEY + body).digest('hex');
    expect(larkSignature('1700000000', 'nonce-1', KEY, Buffer.from(body))).toBe(expected);
    const headers = { timestamp: '1700000000', nonce: 'nonce-1', signature: expected };
    expect(verifyLarkSignature(headers, KEY, Buffer.from(body))).toBe(true);
    expect(verifyLarkSignature(headers, KEY, Buffer.from(body + ' '))).toBe(false);
    expect(verifyLarkSignature({ ...headers, nonce: 'nonce-2' }, KEY, Buffer.from(body))).toBe(false);
    expect(verifyLarkSignature({ ...headers, signature: undefined }, KEY, Buffer.from(body))).toBe(false);
  });
});

describe('messageText: @ 提及占位符去掉', () => {
  it.each([
    ['text', '{"text":"@_user_1 库存 M8螺栓"}', ['@_user_1'], '库存 M8螺栓'],
    ['text', '{"text":"订单 SO-001 @_user_2 @_user_1"}', ['@_user_1', '@_user_2'], '订单 SO-001'],
    ['text', '{"text":"帮助"}', [], '帮助'],
    ['post', '{"title":"","content":[[{"tag":"at","user_id":"@_user_1"},{"tag":"text","text":" 库存 M8"}]]}', ['@_user_1'], '库存 M8'],
    ['image', '{"image_key":"img_x"}', [], ''],
    ['text', 'not json', [], ''],
  ])('%s %s → %s', (type, content, keys, text) => {
    expect(messageText(type, content, keys)).toBe(text);
  });
});

describe('/callbacks/lark', () => {
  let fake: LarkFake;
  let received: InboundMessage[];
  let actions: LarkCardAction[];
  let seenCalls: string[];

  beforeAll(async () => {
    fake = await startLarkFake(APP);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    received = [];
    actions = [];
    seenCalls = [];
  });

  function app(env: Record<string, string | undefined> = {}, deps: Partial<LarkCallbackDeps> = {}) {
    const config = loadConfig({
      LARK_APP_ID: APP.appId, LARK_APP_SECRET: APP.appSecret, LARK_VERIFICATION_TOKEN: TOKEN, LARK_ENCRYPT_KEY: KEY, LARK_BASE_URL: fake.url, ...env,
    });
    const ids = new Set<string>();
    const a = express();
    a.use('/callbacks/lark', createLarkCallbackRouter({
      config,
      seen: async (id) => {
        seenCalls.push(id);
        if (ids.has(id)) return true;
        ids.add(id);
        return false;
      },
      onMessage: async (msg) => {
        received.push(msg);
        return { text: `收到：${msg.text}` };
      },
      onCardAction: async (action) => {
        actions.push(action);
        return {
          toast: { type: 'success', content: '已同意' },
          card: { title: '采购申请 PR-001', tone: 'success', fields: [{ label: '状态', value: '已同意' }] },
        };
      },
      log: () => {},
      ...deps,
    }));
    return a;
  }

  function post(a: express.Express, cb: { body: string; headers: Record<string, string> }) {
    return request(a).post('/callbacks/lark').set(cb.headers).send(cb.body);
  }

  const msgEvent = (over: Partial<Parameters<typeof larkMessageEvent>[0]> = {}) =>
    larkMessageEvent({ token: TOKEN, tenantKey: TENANT, chatId: 'oc_purchase', senderOpenId: 'ou_wang.cg', text: '库存 M8螺栓', ...over });

  function expectRefused(res: request.Response) {
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(received).toHaveLength(0);
    expect(actions).toHaveLength(0);
    expect(seenCalls).toHaveLength(0);
    expect(fake.replies).toHaveLength(0);
  }

  it('url_verification（加密）→ {challenge}', async () => {
    const res = await post(app(), larkCallback(larkUrlVerification(TOKEN, 'ch-123'), { encryptKey: KEY }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: 'ch-123' });
  });

  it('url_verification 用 oapi-sdk-go 的官方密文（event/dispatcher/dispatcher_test.go TestDecryptEvent，key 1212121212，token v）', async () => {
    const encrypt =
      'bZ3L7yh6m3Fkuffl4g+3uGjIHnhOm5fVZbKVuyT8t7tcd5ABMYm8l28/X900ZL3knZ7n+sCREu/H2WnIzft0amC7+xWqNH8o25IU63N4BnZWfHh+4hyG76QPd19vkw2bPJCx9aqxK8Nz+xqFNbk0RdgyWhmgd30jSxHtcQXAllkI7FMpGpOCteJad3bLXPDBQIV/xkCtKICCS7Z63gakpxZCLaRZ3qCXP1fapHh+LBIupxenrU6ysc7I3nHmjmKie41IiWwS5puG4zQHhVbq6KWLcgWm/3NBZOPQy53ucMu75SXA55I7jarVLZXWUcqBGrcgE3vouWbtwgZuzmoTQl0GSh5VYSVvpW992BuGxUWj0XjPYdICJm6Cr7xouNXwMcdb7N8caVdkdSZeEnswG19qSyDoQhklwzNGW0yiaayulBqJNjfge/G5V3401c2XaIuAeEIo+QQ4RSNpRGfnHkbu/j55FGQAGWjpuBNaIwZbaUoVP3NkGP+vM5rpEDe3sL2GN+Xsd+g9yBs7FqdMV8mXTGgLjCqjrPrke5/km76Q3Pe6KPs2YexMRG4MkSx3xUTzZnNn7zIzShPcjeSwBd2pxk6ht5N+fzueZdxl6Oo=';
    const a = app({ LARK_VERIFICATION_TOKEN: 'v', LARK_ENCRYPT_KEY: '1212121212' });
    const res = await post(a, { body: JSON.stringify({ encrypt }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: '1212' });
    const wrong = await post(app({ LARK_VERIFICATION_TOKEN: 'other', LARK_ENCRYPT_KEY: '1212121212' }), { body: JSON.stringify({ encrypt }), headers: {} });
    expect(wrong.status).toBe(401);
  });

  it('url_verification：token 不对、密钥不对、已配密钥却明文 → 401', async () => {
    expectRefused(await post(app(), larkCallback(larkUrlVerification('wrong-token'), { encryptKey: KEY })));
    expectRefused(await post(app(), larkCallback(larkUrlVerification(TOKEN), { encryptKey: 'another key' })));
    expectRefused(await post(app(), larkCallback(larkUrlVerification(TOKEN))));
  });

  it('未配置 Encrypt Key：明文 url_verification 和事件按 Verification Token 校验', async () => {
    const a = app({ LARK_ENCRYPT_KEY: undefined });
    expect((await post(a, larkCallback(larkUrlVerification(TOKEN, 'c1')))).body).toEqual({ challenge: 'c1' });
    expectRefused(await post(a, larkCallback(larkUrlVerification('nope'))));
    expectRefused(await post(a, larkCallback(msgEvent({ token: 'nope' }))));
    const ok = await post(a, larkCallback(msgEvent()));
    expect(ok.status).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('群里 @机器人 的消息 → InboundMessage，回复经 reply 接口到达 fake', async () => {
    const event = msgEvent({ messageId: 'om_in_1' });
    const res = await post(app(), larkCallback(event, { encryptKey: KEY }));
    expect(res.status).toBe(200);
    expect(received).toEqual([
      { platform: 'lark', messageId: 'om_in_1', orgKey: TENANT, chatType: 'group', chatId: 'oc_purchase', senderId: 'ou_wang.cg', text: '库存 M8螺栓' },
    ]);
    expect(seenCalls).toEqual([(event.header as { event_id: string }).event_id]);
    expect(fake.replies).toHaveLength(1);
    expect(fake.replies[0]).toMatchObject({ parentId: 'om_in_1', msgType: 'text', content: { text: '收到：库存 M8螺栓' } });
    expect(fake.tokenRequests).toBe(1);
  });

  it('单聊消息（无 @）→ chatType p2p', async () => {
    await post(app(), larkCallback(msgEvent({ chatType: 'p2p', chatId: 'oc_p2p', text: '帮助' }), { encryptKey: KEY }));
    expect(received[0]).toMatchObject({ chatType: 'p2p', chatId: 'oc_p2p', text: '帮助' });
  });

  it('同一 event_id 重推两次只处理一次', async () => {
    const cb = larkCallback(msgEvent({ eventId: 'ev-dup-1' }), { encryptKey: KEY });
    const a = app();
    const r1 = await post(a, cb);
    const r2 = await post(a, larkCallback(msgEvent({ eventId: 'ev-dup-1' }), { encryptKey: KEY }));
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(received).toHaveLength(1);
    expect(fake.replies).toHaveLength(1);
  });

  it('伪造签名 → 401，不处理', async () => {
    const cb = larkCallback(msgEvent(), { encryptKey: KEY });
    cb.headers['x-lark-signature'] = crypto.randomBytes(32).toString('hex');
    expectRefused(await post(app(), cb));
  });

  it('用别的 Encrypt Key 加密签名 → 401，不处理', async () => {
    expectRefused(await post(app(), larkCallback(msgEvent(), { encryptKey: 'someone else’s key' })));
  });

  it('body 被改（签名不变）→ 401，不处理', async () => {
    const cb = larkCallback(msgEvent(), { encryptKey: KEY });
    const { encrypt } = JSON.parse(cb.body) as { encrypt: string };
    const bytes = Buffer.from(encrypt, 'base64');
    bytes[40]! ^= 0x20;
    expectRefused(await post(app(), { ...cb, body: JSON.stringify({ encrypt: bytes.toString('base64') }) }));
    // same JSON, different bytes (whitespace): the signature covers the raw body
    expectRefused(await post(app(), { ...cb, body: cb.body.replace('{', '{ ') }));
  });

  it('缺签名头、签名正确但 token 不对、已配密钥却明文推送 → 401', async () => {
    const cb = larkCallback(msgEvent(), { encryptKey: KEY });
    delete cb.headers['x-lark-signature'];
    expectRefused(await post(app(), cb));
    expectRefused(await post(app(), larkCallback(msgEvent({ token: 'wrong' }), { encryptKey: KEY })));
    expectRefused(await post(app(), larkCallback(msgEvent())));
    expectRefused(await post(app(), { body: 'not json', headers: { 'content-type': 'application/json' } }));
  });

  it('机器人自己发的消息（sender_type app）不处理', async () => {
    const e = msgEvent();
    (e.event as { sender: { sender_type: string } }).sender.sender_type = 'app';
    expect((await post(app(), larkCallback(e, { encryptKey: KEY }))).status).toBe(200);
    expect(received).toHaveLength(0);
  });

  it('card.action.trigger → onCardAction；应答 {toast, card:{type:raw, data}}', async () => {
    const e = larkCardActionEvent({ token: TOKEN, tenantKey: TENANT, operatorOpenId: 'ou_boss', messageId: 'om_card_1', chatId: 'oc_x', value: { action: 'approve', id: 'pr-1' } });
    const a = app();
    const res = await post(a, larkCallback(e, { encryptKey: KEY }));
    expect(res.status).toBe(200);
    expect(actions).toEqual([
      { value: { action: 'approve', id: 'pr-1' }, operatorId: 'ou_boss', messageId: 'om_card_1', chatId: 'oc_x', orgKey: TENANT, eventId: (e.header as { event_id: string }).event_id },
    ]);
    expect(res.body.toast).toEqual({ type: 'success', content: '已同意' });
    expect(res.body.card.type).toBe('raw');
    expect(res.body.card.data.header).toEqual({ title: { tag: 'plain_text', content: '采购申请 PR-001' }, template: 'green' });
    expect(res.body.card.data.config).toEqual({ wide_screen_mode: true, update_multi: true });
    // a replayed click is not acted on again
    const again = await post(a, larkCallback(e, { encryptKey: KEY }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ toast: { type: 'info', content: '该操作已处理' } });
    expect(actions).toHaveLength(1);
  });

  it('card.action.trigger：签名伪造 → 401；处理超时 → 3 秒内先回 toast；处理出错 → 错误 toast', async () => {
    const e = () => larkCardActionEvent({ token: TOKEN, tenantKey: TENANT, operatorOpenId: 'ou_boss', messageId: 'om_card_1', value: { a: 'b' } });
    const forged = larkCallback(e(), { encryptKey: KEY });
    forged.headers['x-lark-signature'] = '0'.repeat(64);
    expectRefused(await post(app(), forged));

    const slow = app({}, { cardActionBudgetMs: 100, onCardAction: () => new Promise((r) => setTimeout(() => r({ toast: { type: 'success', content: 'late' } }), 1000)) });
    const t0 = Date.now();
    const res = await post(slow, larkCallback(e(), { encryptKey: KEY }));
    expect(Date.now() - t0).toBeLessThan(900);
    expect(res.body).toEqual({ toast: { type: 'info', content: '已收到，正在处理…' } });

    const failing = app({}, { onCardAction: () => Promise.reject(new Error('boom')) });
    const bad = await post(failing, larkCallback(e(), { encryptKey: KEY }));
    expect(bad.status).toBe(200);
    expect(bad.body.toast.type).toBe('error');
  });

  it('未配置飞书（无 Verification Token）→ 404，什么都不做', async () => {
    const res = await post(app({ LARK_VERIFICATION_TOKEN: undefined }), larkCallback(msgEvent(), { encryptKey: KEY }));
    expect(res.status).toBe(404);
    expect(received).toHaveLength(0);
  });

  it('其它事件类型只应答 {}', async () => {
    const other = { schema: '2.0', header: { event_id: 'e-x', event_type: 'contact.user.created_v3', token: TOKEN, tenant_key: TENANT }, event: {} };
    const res = await post(app(), larkCallback(other, { encryptKey: KEY }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(received).toHaveLength(0);
  });
});
