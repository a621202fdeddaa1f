// 日志不含凭证: the request log, recorded at info level, across a password login, signed-in API
// calls, 免登 with a one-time code, an OAuth redirect to the mini-app and the three chat platforms'
// callbacks (WeCom's URL check, a DingTalk robot's timestamp + sign, Feishu's signature headers),
// holds no bearer token, password, code, state, echostr, signature or robot timestamp — but still
// says which request it was.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larkCallback } from '../fakes/lark.ts';
import { wecomUrlVerification } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { DEMO_PASSWORD } from '../helpers/factories.ts';

const WECOM = { token: 'logTestToken', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', corpId: 'wwlogtest' };
const lines: string[] = [];
let t: TestApp;

beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
  t = await createTestApp(
    {
      WECOM_CORP_ID: WECOM.corpId, WECOM_SECRET: 'sec', WECOM_AGENT_ID: '1000002', WECOM_TOKEN: WECOM.token, WECOM_ENCODING_AES_KEY: WECOM.encodingAesKey,
      WECOM_BASE_URL: 'http://127.0.0.1:9',
      DINGTALK_APP_KEY: 'dinglogapp', DINGTALK_APP_SECRET: 'dinglog-secret', DINGTALK_BASE_URL: 'http://127.0.0.1:9', DINGTALK_OAPI_BASE_URL: 'http://127.0.0.1:9',
      LARK_APP_ID: 'cli_log', LARK_APP_SECRET: 'lark-secret', LARK_VERIFICATION_TOKEN: 'vtoken', LARK_ENCRYPT_KEY: 'lark-encrypt-key', LARK_BASE_URL: 'http://127.0.0.1:9',
    },
    { log: pino({ level: 'info' }, sink) },
  );
});
afterAll(async () => t?.close());

describe('请求日志不记录令牌、签名和密码', () => {
  it('登录、带令牌的接口、免登、OAuth 回跳与三个平台的回调之后，日志里找不到任何一个凭证', async () => {
    const secrets: string[] = [];

    const wrongPassword = 'Wr0ng-Passw0rd-XYZ';
    expect((await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: wrongPassword })).status).toBe(401);
    const login = await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: DEMO_PASSWORD });
    expect(login.status).toBe(200);
    const token: string = login.body.token;
    secrets.push(wrongPassword, DEMO_PASSWORD, token);

    const bearer = (url: string) => t.http().get(url).set('Authorization', `Bearer ${token}`).set('Cookie', 'sid=cookie-secret-123');
    secrets.push('cookie-secret-123');
    expect((await bearer('/api/v1/auth/me')).status).toBe(200);
    expect((await bearer('/api/v1/customers?q=M8&page=1')).status).toBe(200);
    expect((await bearer('/api/v1/no-such-route')).status).toBe(404);

    // 免登: the one-time code in the body (the platform is unreachable here: the request still fails and is logged)
    await t.http().post('/api/v1/auth/platform/wecom').send({ code: 'AUTHCODE-in-body-777' });
    secrets.push('AUTHCODE-in-body-777');
    // OAuth redirect back to the mini-app: code and state in the query
    await t.http().get('/m/?code=OAUTHCODE-555&state=STATE-666');
    secrets.push('OAUTHCODE-555', 'STATE-666');

    // WeCom URL check: msg_signature, timestamp, nonce, echostr in the query
    const check = wecomUrlVerification(WECOM, '880011');
    const answered = await t.http().get('/callbacks/wecom').query(check.query);
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('880011');
    // (its timestamp is now in seconds: the log's own "time" starts with the same digits; the URL above shows it redacted)
    secrets.push(check.query.msg_signature!, check.query.echostr!, check.query.nonce!);

    // DingTalk robot: timestamp + sign headers (a stale one, refused, still logged)
    const robot = await t.http().post('/callbacks/dingtalk/robot').set({ timestamp: '1700000000123', sign: 'RobotSign+abc/def==' }).send({ msgtype: 'text' });
    expect(robot.status).toBe(401);
    secrets.push('1700000000123', 'RobotSign+abc/def==');

    // Feishu: X-Lark-Signature and its timestamp and nonce
    const lark = larkCallback({ type: 'event_callback' }, { encryptKey: 'not-the-key', timestamp: '1700000999', nonce: 'larknonce4242' });
    const larkRes = await t.http().post('/callbacks/lark').set(lark.headers).send(lark.body);
    expect(larkRes.status).toBe(401);
    secrets.push(lark.headers['x-lark-signature']!, '1700000999', 'larknonce4242');

    const log = lines.join('');
    // the log does record these requests (so the check below is not vacuous)
    expect(log).toContain('/api/v1/auth/me');
    expect(log).toContain('/callbacks/dingtalk/robot');
    expect(log).toContain('/callbacks/wecom?msg_signature=%5BREDACTED%5D');
    expect(log).toContain('"authorization":"[REDACTED]"');
    expect(log).toContain('/api/v1/customers?q=M8&page=1');
    for (const secret of secrets) expect(log, `日志中出现了 ${secret}`).not.toContain(secret);
    // the URL-encoded forms too (a signature with + / = in a query string)
    for (const secret of secrets) expect(log).not.toContain(encodeURIComponent(secret));
  });
});
