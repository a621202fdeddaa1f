// 钉钉 crypto and signing against published vectors.
import { describe, expect, it } from 'vitest';
import { DingTalkCryptoError, DingTalkEncryptor, dingTalkSignature } from '../../bot/channels/dingtalk/crypto.ts';
import { parseRobotTarget, robotSign, robotTargetId, signedRobotUrl, stripMentions, verifyRobotRequest, sessionWebhookAllowed } from '../../bot/channels/dingtalk/robot.ts';
import { renderCardParamMap, renderRobotCard } from '../../bot/channels/dingtalk/render.ts';

// Published vectors of the official DingTalk callback crypto repository, open-dingtalk/DingTalk-Callback-Crypto:
const VECTORS = [
  {
    // dingtalk_callback_crypto.rs, test_msg_decrypt (the vector of DingTalk's own doc, faquestions/ltr370)
    source: 'dingtalk_callback_crypto.rs',
    token: '123456',
    aesKey: '4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij',
    receiveId: 'suite4xxxxxxxxxxxxxxx',
    signature: '5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0',
    timestamp: '1445827045067',
    nonce: 'nEXhMP4r',
    encrypt:
      '1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ==',
    plain: '{"EventType":"check_create_suite_url","Random":"LPIdSnlF","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}',
    random16: 'hU3bEfGZZewzhG5a',
  },
  {
    // DingCallbackCrypto3.py, __main__ (an app key as the receive id, the check_url event)
    source: 'DingCallbackCrypto3.py',
    token: 'mryue',
    aesKey: 'Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7',
    receiveId: 'ding6ccabc44d2c8d38b',
    signature: '03044561471240d4a14bb09372dfcfd4fd0e40cb',
    timestamp: '1608001896814',
    nonce: 'WL4PK6yA',
    encrypt: '0vJiX6vliEpwG3U45CtXqi+m8PXbQRARJ8p8BbDuD1EMTDf0jKpQ79QS93qEk7XHpP6u+oTTrd15NRPvNvmBKyDCYxxOK+HZeKju4yhELOFchzNukR+t8SB/qk4ROMu3',
    plain: '{"EventType":"check_url"}',
    random16: 'l7Y3EcX2CU5w8av3',
  },
  {
    // DingTalkCrypto.go, main (the encrypted "success" answer)
    source: 'DingTalkCrypto.go',
    token: 'tokenxxxx',
    aesKey: 'o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus',
    receiveId: 'dingxxxxxx',
    signature: 'f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc',
    timestamp: '1605695694141',
    nonce: 'WelUQl6bCqcBa2fM',
    encrypt: 'X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ==',
    plain: 'success',
    random16: 'WelUQl6bCqcBa2fM',
  },
];

describe('DingTalkEncryptor: published vectors', () => {
  for (const v of VECTORS) {
    it(`${v.source}: signature, decrypt, and encrypt reproduce the vector`, () => {
      const enc = new DingTalkEncryptor(v.token, v.aesKey, v.receiveId);
      expect(dingTalkSignature(v.token, v.timestamp, v.nonce, v.encrypt)).toBe(v.signature);
      expect(enc.verify(v.signature, v.timestamp, v.nonce, v.encrypt)).toBe(true);
      expect(enc.decryptMsg(v.signature, v.timestamp, v.nonce, v.encrypt)).toBe(v.plain);
      // the vector's own random prefix (read from its plaintext) makes encryption deterministic
      expect(enc.encrypt(v.plain, v.random16)).toBe(v.encrypt);
    });
  }

  it('refuses a forged signature, a wrong key, a wrong receive id and a tampered ciphertext', () => {
    const v = VECTORS[1]!;
    const enc = new DingTalkEncryptor(v.token, v.aesKey, v.receiveId);
    expect(() => enc.decryptMsg('0'.repeat(40), v.timestamp, v.nonce, v.encrypt)).toThrow(DingTalkCryptoError);
    expect(() => enc.decryptMsg(v.signature, '1608001896815', v.nonce, v.encrypt)).toThrow(DingTalkCryptoError);
    expect(() => new DingTalkEncryptor(v.token, VECTORS[0]!.aesKey, v.receiveId).decrypt(v.encrypt)).toThrow(DingTalkCryptoError);
    expect(() => new DingTalkEncryptor(v.token, v.aesKey, 'dingother').decrypt(v.encrypt)).toThrow(DingTalkCryptoError);
    const tampered = Buffer.from(v.encrypt, 'base64');
    tampered[40] = tampered[40]! ^ 1;
    expect(() => enc.decryptMsg(v.signature, v.timestamp, v.nonce, tampered.toString('base64'))).toThrow(DingTalkCryptoError);
  });

  it('round-trips Chinese text and builds an answer map that verifies', () => {
    const enc = new DingTalkEncryptor('tok', VECTORS[2]!.aesKey, 'dingapp');
    const map = enc.encryptedMap('{"msg":"库存 M8螺栓"}', '1700000000000', 'abcdefgh12345678');
    expect(map.timeStamp).toBe('1700000000000');
    expect(enc.decryptMsg(map.msg_signature, map.timeStamp, map.nonce, map.encrypt)).toBe('{"msg":"库存 M8螺栓"}');
    expect(() => new DingTalkEncryptor('t', 'short', 'x')).toThrow(DingTalkCryptoError);
  });
});

describe('robot signing', () => {
  // No vector is published for robot signing; these were computed independently with
  // `printf '%s\n%s' "$T" "$S" | openssl dgst -sha256 -hmac "$S" -binary | base64`.
  const SECRET = 'SEC1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b';

  it('sign = base64(HmacSHA256(secret, timestamp\\nsecret)), URL-encoded in the webhook URL', () => {
    expect(robotSign(SECRET, 1577262236757)).toBe('OsQGHJHi871zopCd3n+0ETxEDx8XEO1USsmAObQ2MW0=');
    expect(robotSign('appsecret-for-yunqiao-tests', '1700000000000')).toBe('k3eJpXhUyyczcYGn+LZ0x0/XspDh6ffPNy+UBCByvEs=');
    const url = signedRobotUrl('https://oapi.dingtalk.com', { accessToken: 'abc123', secret: SECRET }, 1577262236757);
    expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1577262236757&sign=${encodeURIComponent('OsQGHJHi871zopCd3n+0ETxEDx8XEO1USsmAObQ2MW0=')}`);
    expect(signedRobotUrl('https://oapi.dingtalk.com', { accessToken: 'abc123' })).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc123');
  });

  it('robot targets encode token and secret', () => {
    expect(robotTargetId({ accessToken: 'tok', secret: 'SECx' })).toBe('robot:tok:SECx');
    expect(parseRobotTarget('robot:tok:SECx')).toEqual({ accessToken: 'tok', secret: 'SECx' });
    expect(parseRobotTarget('robot:tok')).toEqual({ accessToken: 'tok' });
    expect(parseRobotTarget('cidGroupAAAA==')).toBeNull();
    expect(parseRobotTarget('robot:a:b:c')).toBeNull();
  });

  it('inbound: accepts within 5 minutes, refuses stale, future, wrong or missing signs', () => {
    const secret = 'appsecret-for-yunqiao-tests';
    const ts = 1700000000000;
    const sign = 'k3eJpXhUyyczcYGn+LZ0x0/XspDh6ffPNy+UBCByvEs=';
    expect(verifyRobotRequest(secret, String(ts), sign, ts + 4 * 60_000)).toEqual({ ok: true });
    expect(verifyRobotRequest(secret, String(ts), sign, ts + 6 * 60_000).ok).toBe(false);
    expect(verifyRobotRequest(secret, String(ts), sign, ts - 6 * 60_000).ok).toBe(false);
    expect(verifyRobotRequest('other-secret', String(ts), sign, ts).ok).toBe(false);
    expect(verifyRobotRequest(secret, String(ts + 1), sign, ts).ok).toBe(false);
    expect(verifyRobotRequest(secret, undefined, sign, ts).ok).toBe(false);
    expect(verifyRobotRequest(secret, 'abc', sign, ts).ok).toBe(false);
  });

  it('strips @mentions and only trusts the configured OAPI origin', () => {
    expect(stripMentions('@云桥助手 库存 M8螺栓')).toBe('库存 M8螺栓');
    expect(stripMentions(' 订单 SO-1 ')).toBe('订单 SO-1');
    expect(sessionWebhookAllowed('https://oapi.dingtalk.com/robot/sendBySession?session=x', 'https://oapi.dingtalk.com')).toBe(true);
    expect(sessionWebhookAllowed('https://oapi.dingtalk.com.evil.example/robot/sendBySession', 'https://oapi.dingtalk.com')).toBe(false);
    expect(sessionWebhookAllowed('https://user@oapi.dingtalk.com/x', 'https://oapi.dingtalk.com')).toBe(false);
    expect(sessionWebhookAllowed('http://oapi.dingtalk.com/x', 'https://oapi.dingtalk.com')).toBe(false);
    expect(sessionWebhookAllowed('not a url', 'https://oapi.dingtalk.com')).toBe(false);
  });
});

describe('render', () => {
  const card = {
    title: '缺料提醒：M8螺栓',
    tone: 'warning' as const,
    fields: [{ label: '缺口', value: '1,200 个' }, { label: '金额', value: '¥1,234.50' }],
    lines: ['**请尽快下单**'],
    link: { text: '查看详情', url: 'https://erp.example.com/m/items/1' },
    buttons: [{ text: '已处理', value: { action: 'ack', id: '1' }, style: 'primary' as const }],
    footer: '云桥 ERP',
  };

  it('cardParamMap is a flat map of strings', () => {
    const m = renderCardParamMap(card, { publicBaseUrl: 'https://erp.example.com' });
    expect(Object.values(m).every((v) => typeof v === 'string')).toBe(true);
    expect(m).toMatchObject({ title: '缺料提醒：M8螺栓', tone: 'warning', fields: '**缺口**：1,200 个\n**金额**：¥1,234.50', link: card.link.url, linkText: '查看详情', footer: '云桥 ERP' });
    expect(JSON.parse(m.buttons!)).toEqual([{ text: '已处理', style: 'primary', value: { action: 'ack', id: '1' } }]);
    expect(renderCardParamMap({ title: 't', tone: 'info', fields: [] })).toMatchObject({ link: '', buttons: '[]', lines: '' });
  });

  it('custom robots get an actionCard when the card links somewhere, markdown otherwise', () => {
    const a = renderRobotCard(card, { publicBaseUrl: 'https://erp.example.com' });
    expect(a.msgtype).toBe('actionCard');
    if (a.msgtype === 'actionCard') {
      expect(a.actionCard).toMatchObject({ title: card.title, singleTitle: '查看详情', singleURL: card.link.url, btnOrientation: '0' });
      expect(a.actionCard.text).toContain('**金额**：¥1,234.50');
    }
    const m = renderRobotCard({ ...card, link: undefined });
    expect(m.msgtype).toBe('markdown');
    if (m.msgtype === 'markdown') expect(m.markdown.text).toContain('### 🟠 缺料提醒：M8螺栓');
  });
});
