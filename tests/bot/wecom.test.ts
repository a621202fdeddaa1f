// 企业微信: crypto against the published WXBizMsgCrypt vectors, the XML reader, card rendering, and
// /callbacks/wecom on a bare express app (encrypted callbacks in, answers out to the loopback fake).
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decryptWecom, encryptWecom, verifyWecomSignature, wecomAesKey, wecomSignature } from '../../bot/channels/wecom/crypto.ts';
import { parseButtonKey, renderWecomMarkdown, renderWecomTemplateCard } from '../../bot/channels/wecom/render.ts';
import { createWecomCallbackRouter, type WecomCallbackDeps, type WecomCardAction } from '../../bot/channels/wecom/routes.ts';
import { parseXmlFields } from '../../bot/channels/wecom/xml.ts';
import type { CardView, InboundMessage } from '../../server/platform/channels.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { startWecomFake, wecomCallback, wecomCardClickXml, wecomTextXml, wecomUrlVerification, type WecomFake } from '../fakes/wecom.ts';

describe('企业微信加解密：官方公布的向量', () => {
  // sbzhu/weworkapi_python callback/Sample.py (the WeCom team's sample, linked from the docs' 加解密库下载)
  const A = { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', key: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', corpId: 'ww1436e0e65a779aee' };
  // docs 加解密方案说明 (developer.work.weixin.qq.com/document/path/90968) and the GET/POST examples quoted in the
  // same Sample.py; also Tencent's C# Sample.cs (copied e.g. in JeffreySu/WeiXinMPSDK src/Senparc.Weixin.MP/Senparc.Weixin.MP/Tencent/Sample.cs)
  const B = { token: 'QDG6eK', key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'wx5823bf96d3bd56c7' };
  const echoA = 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==';
  const echoB = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
  const postA =
    'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+';
  const postB =
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

  it('VerifyURL 示例：msg_signature 与 echostr 明文', () => {
    expect(wecomSignature(A.token, '1476416373', '47744683', echoA)).toBe('012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb');
    expect(decryptWecom(A.key, echoA, A.corpId).message).toBe('1288432023552776189');
    expect(wecomSignature(B.token, '1409659589', '263014780', echoB)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(decryptWecom(B.key, echoB, B.corpId).message).toBe('1616140317555161061');
  });

  it('DecryptMsg 示例：签名、receiveid、消息 XML（填充 22 与 30 字节，证明按 32 字节块）', () => {
    expect(verifyWecomSignature(A.token, { signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e', timestamp: '1476422779', nonce: '1597212914' }, postA)).toBe(true);
    const a = decryptWecom(A.key, postA, A.corpId);
    expect(a.receiveId).toBe(A.corpId);
    expect(parseXmlFields(a.message)).toMatchObject({ ToUserName: A.corpId, FromUserName: 'ChenJiaShun', MsgType: 'text', Content: '你好', MsgId: '1456453720', AgentID: '1000002' });
    expect(verifyWecomSignature(B.token, { signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' }, postB)).toBe(true);
    expect(parseXmlFields(decryptWecom(B.key, postB, B.corpId).message)).toMatchObject({ FromUserName: 'mycreate', Content: 'hello', MsgId: '4561255354251345929', AgentID: '218' });
  });

  it('加密向量：固定随机串 aaaabbbbccccdddd（Tencent cryptoDemo Java com/qq/weixin/mp/aes/WXBizMsgCryptTest.java，同一方案）', () => {
    const out = encryptWecom('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', '我是中文abcd123', 'wxb11529c136998cb6', Buffer.from('aaaabbbbccccdddd'));
    expect(out).toBe('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
  });

  it('错误的 CorpID、密钥、被改的密文或签名都被拒绝', () => {
    expect(() => decryptWecom(A.key, postA, 'ww_other')).toThrow(/CorpID/);
    expect(() => decryptWecom(B.key, postA)).toThrow();
    const c = Buffer.from(postA, 'base64');
    c[c.length - 20]! ^= 0x01;
    expect(() => decryptWecom(A.key, c.toString('base64'), A.corpId)).toThrow();
    expect(() => decryptWecom(A.key, 'not base64!')).toThrow();
    expect(() => decryptWecom(A.key, postA.slice(0, 24))).toThrow();
    const q = { signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e', timestamp: '1476422779', nonce: '1597212914' };
    expect(verifyWecomSignature(A.token, { ...q, nonce: '1597212915' }, postA)).toBe(false);
    expect(verifyWecomSignature(A.token, { ...q, signature: undefined }, postA)).toBe(false);
    expect(() => wecomAesKey('short')).toThrow();
  });

  it('encryptWecom ↔ decryptWecom 往返（各种长度，含中文）', () => {
    for (const s of ['', 'a', '库存 M8螺栓', 'x'.repeat(12), 'y'.repeat(44), 'z'.repeat(1000)]) {
      expect(decryptWecom(B.key, encryptWecom(B.key, s, B.corpId), B.corpId).message).toBe(s);
    }
  });
});

describe('XML 与卡片渲染', () => {
  it('parseXmlFields: CDATA、数字、实体、嵌套、被拆开的 ]]>，拒绝 DTD', () => {
    const f = parseXmlFields('<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><N>12</N><E>a &amp; &#x4e2d;</E><S><I><![CDATA[1]]></I></S><Z/></xml>');
    expect(f).toEqual({ A: 'x]]>y', N: '12', E: 'a & 中', S: '<I><![CDATA[1]]></I>', Z: '' });
    expect(() => parseXmlFields('<!DOCTYPE x [<!ENTITY e "x">]><xml><A>&e;</A></xml>')).toThrow();
    expect(() => parseXmlFields('<xml><A>1</xml>')).toThrow();
  });

  const card: CardView = {
    title: '缺料预警：M8螺栓',
    tone: 'warning',
    fields: [
      { label: '物料', value: 'M8螺栓' },
      { label: '缺口', value: '1,200 个' },
    ],
    lines: ['**请尽快**安排采购'],
    link: { text: '查看详情', url: 'https://yq.example/m/items/1' },
    buttons: [
      { text: '生成请购', value: { action: 'requisition', itemId: '1' }, style: 'primary' },
      { text: '忽略', value: { action: 'ignore', itemId: '1' } },
    ],
    footer: '云桥 ERP',
  };

  it('template_card: button_interaction，字段→horizontal_content_list，链接→card_action/jump_list，按钮 key = value 的 JSON', () => {
    const t = renderWecomTemplateCard(card, { taskId: 'yq-1', publicBaseUrl: 'https://yq.example' })!;
    expect(t).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: '缺料预警：M8螺栓' },
      sub_title_text: '请尽快安排采购\n云桥 ERP',
      horizontal_content_list: [{ keyname: '物料', value: 'M8螺栓' }, { keyname: '缺口', value: '1,200 个' }],
      card_action: { type: 1, url: 'https://yq.example/m/items/1' },
      jump_list: [{ type: 1, title: '查看详情', url: 'https://yq.example/m/items/1' }],
      task_id: 'yq-1',
      source: { desc_color: 2 },
    });
    expect(t.button_list!.map((b) => parseButtonKey(b.key))).toEqual([{ action: 'requisition', itemId: '1' }, { action: 'ignore', itemId: '1' }]);
    expect(t.button_list![0]!.style).toBe(1);
    const notice = renderWecomTemplateCard({ ...card, buttons: [], link: undefined }, { taskId: 'yq-2', fallbackUrl: 'https://yq.example/m/' })!;
    expect(notice).toMatchObject({ card_type: 'text_notice', card_action: { url: 'https://yq.example/m/' } });
    expect(notice.button_list).toBeUndefined();
    expect(renderWecomTemplateCard({ ...card, buttons: [], link: undefined }, { taskId: 'yq-3' })).toBeNull();
    const many = renderWecomTemplateCard({ ...card, fields: Array.from({ length: 8 }, (_, i) => ({ label: `L${i}`, value: `${i}` })) }, { taskId: 'x' })!;
    expect(many.horizontal_content_list).toHaveLength(6);
    expect(many.sub_title_text).toContain('L6：6\nL7：7');
  });

  it('markdown（群机器人）: 颜色标题、> label: value、链接、页脚', () => {
    expect(renderWecomMarkdown(card, { publicBaseUrl: 'https://yq.example' })).toBe(
      '<font color="warning">**缺料预警：M8螺栓**</font>\n> 物料: M8螺栓\n> 缺口: 1,200 个\n\n**请尽快**安排采购\n\n[查看详情](https://yq.example/m/items/1)\n<font color="comment">云桥 ERP</font>',
    );
    expect(renderWecomMarkdown({ title: '完成', tone: 'success', fields: [] })).toBe('<font color="info">**完成**</font>');
    expect(Buffer.byteLength(renderWecomMarkdown({ title: 't', tone: 'info', fields: [], lines: ['中'.repeat(3000)] }))).toBeLessThanOrEqual(4096);
  });
});

describe('/callbacks/wecom', () => {
  const S = { token: 'wecom_token_test', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', corpId: 'ww_yunqiao_test', agentId: 1000002 };
  const config = loadConfig({
    WECOM_CORP_ID: S.corpId,
    WECOM_AGENT_ID: String(S.agentId),
    WECOM_SECRET: 'secret_test',
    WECOM_TOKEN: S.token,
    WECOM_ENCODING_AES_KEY: S.encodingAesKey,
  });
  let fake: WecomFake;
  let received: InboundMessage[];
  let actions: WecomCardAction[];
  let seenIds: Set<string>;
  let cardResult: Awaited<ReturnType<NonNullable<WecomCallbackDeps['onCardAction']>>>;

  function app(overrides: Partial<WecomCallbackDeps> = {}) {
    const deps: WecomCallbackDeps = {
      config: { ...config, WECOM_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://yq.example' },
      onMessage: async (m) => {
        received.push(m);
        return { text: `收到：${m.text}` };
      },
      onCardAction: async (a) => {
        actions.push(a);
        return cardResult;
      },
      seen: async (id) => (seenIds.has(id) ? true : (seenIds.add(id), false)),
      log: () => {},
      ...overrides,
    };
    return express().use('/callbacks/wecom', createWecomCallbackRouter(deps));
  }
  const post = (a: express.Express, cb: { query: Record<string, string>; body: string }) =>
    request(a).post('/callbacks/wecom').query(cb.query).set('content-type', 'text/xml').send(cb.body);

  beforeAll(async () => {
    fake = await startWecomFake({ corpId: S.corpId, secret: 'secret_test', agentId: S.agentId });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    received = [];
    actions = [];
    seenIds = new Set();
    cardResult = undefined;
  });

  it('GET URL 验证：答 echostr 明文；签名错、CorpID 错 → 401', async () => {
    const v = wecomUrlVerification(S);
    const ok = await request(app()).get('/callbacks/wecom').query(v.query);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(v.echo);
    const forged = await request(app()).get('/callbacks/wecom').query({ ...v.query, msg_signature: '0'.repeat(40) });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
    // echostr with a '+' sent un-encoded (the query parser turns it into a space)
    let raw = wecomUrlVerification(S);
    while (!raw.query.echostr!.includes('+')) raw = wecomUrlVerification(S);
    const qs = Object.entries(raw.query).map(([k, v]) => `${k}=${v}`).join('&');
    expect((await request(app()).get(`/callbacks/wecom?${qs}`)).text).toBe(raw.echo);
    const other = wecomUrlVerification({ ...S, corpId: 'ww_other' });
    expect((await request(app()).get('/callbacks/wecom').query(other.query)).status).toBe(401);
  });

  it('文本消息 → onMessage（p2p），答复经 message/send 发给发送人', async () => {
    const res = await post(app(), wecomCallback(wecomTextXml({ corpId: S.corpId, from: 'li.xs', content: '库存 M8螺栓', msgId: '7001' }), S));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(received).toEqual([{ platform: 'wecom', messageId: '7001', orgKey: S.corpId, chatType: 'p2p', chatId: 'li.xs', senderId: 'li.xs', text: '库存 M8螺栓' }]);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]!.body).toMatchObject({ touser: 'li.xs', msgtype: 'text', agentid: S.agentId, text: { content: '收到：库存 M8螺栓' } });
  });

  it('带 ChatId 的消息是群消息，答复发到群聊', async () => {
    await post(app(), wecomCallback(wecomTextXml({ corpId: S.corpId, from: 'li.xs', content: '帮助', chatId: 'wr_group_1' }), S));
    expect(received[0]).toMatchObject({ chatType: 'group', chatId: 'wr_group_1', senderId: 'li.xs' });
    expect(fake.chats[0]!.body).toMatchObject({ chatid: 'wr_group_1', msgtype: 'text' });
  });

  it('伪造签名、错误密钥、篡改密文、错误 CorpID、坏 XML → 401，什么都不做', async () => {
    const xml = wecomTextXml({ corpId: S.corpId, from: 'li.xs', content: '库存 M8' });
    const good = wecomCallback(xml, S);
    const attempts = [
      { ...good, query: { ...good.query, msg_signature: good.query.msg_signature!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) } },
      wecomCallback(xml, { ...S, encodingAesKey: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg' }),
      wecomCallback(xml, { ...S, token: 'someone_else' }),
      wecomCallback(xml, { ...S, corpId: 'ww_other' }),
      { ...good, body: good.body.replace(good.encrypted, good.encrypted.replace(/^.{8}/, 'AAAAAAAA')) },
      { ...good, body: '<xml><Encrypt>' },
      { ...good, body: '{"encrypt":"x"}' },
      { ...good, query: {} },
    ];
    for (const cb of attempts) {
      const res = await post(app(), cb);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect(received).toEqual([]);
    expect(seenIds.size).toBe(0);
    expect(fake.requests).toEqual([]);
  });

  it('同一 MsgId 重复推送只处理一次', async () => {
    const cb = wecomCallback(wecomTextXml({ corpId: S.corpId, from: 'li.xs', content: '帮助', msgId: '8001' }), S);
    for (let i = 0; i < 3; i++) expect((await post(app(), cb)).status).toBe(200);
    expect(received).toHaveLength(1);
    expect(fake.sent).toHaveLength(1);
  });

  it('template_card_event → onCardAction(按钮 value)，用 ResponseCode 更新卡片；重复推送只处理一次', async () => {
    const responseCode = fake.newResponseCode();
    cardResult = { card: { title: '已生成请购单', tone: 'success', fields: [{ label: '单号', value: 'PR-0001' }], link: { text: '查看', url: 'https://yq.example/m/pr/1' } } };
    const key = JSON.stringify({ action: 'requisition', itemId: '1' });
    const cb = wecomCallback(wecomCardClickXml({ corpId: S.corpId, from: 'wang.cg', taskId: 'yq-abc', eventKey: key, responseCode, createTime: 1700000000 }), S);
    expect((await post(app(), cb)).status).toBe(200);
    expect((await post(app(), cb)).status).toBe(200);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ value: { action: 'requisition', itemId: '1' }, operatorId: 'wang.cg', taskId: 'yq-abc', responseCode, orgKey: S.corpId });
    expect(fake.updates).toHaveLength(1);
    expect(fake.updates[0]!.body).toMatchObject({ userids: ['wang.cg'], agentid: S.agentId, response_code: responseCode, template_card: { card_type: 'text_notice', main_title: { title: '已生成请购单' } } });
  });

  it('只置灰按钮：replaceButtonText → update_template_card {button.replace_name}', async () => {
    const responseCode = fake.newResponseCode();
    cardResult = { replaceButtonText: '已处理' };
    await post(app(), wecomCallback(wecomCardClickXml({ corpId: S.corpId, from: 'wang.cg', taskId: 'yq-2', eventKey: '{"a":"1"}', responseCode }), S));
    expect(fake.updates[0]!.body).toMatchObject({ response_code: responseCode, button: { replace_name: '已处理' } });
  });

  it('其他事件与消息类型：200 空串，不调用回调；未配置 → 404', async () => {
    const xml = `<xml><ToUserName><![CDATA[${S.corpId}]]></ToUserName><FromUserName><![CDATA[li.xs]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><AgentID>1000002</AgentID></xml>`;
    const res = await post(app(), wecomCallback(xml, S));
    expect(res.status).toBe(200);
    expect(received).toEqual([]);
    expect(actions).toEqual([]);
    const off = express().use('/callbacks/wecom', createWecomCallbackRouter({ config: loadConfig({}), onMessage: async () => {}, seen: async () => false, log: () => {} }));
    expect((await request(off).get('/callbacks/wecom').query(wecomUrlVerification(S).query)).status).toBe(404);
  });
});
