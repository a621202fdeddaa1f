// 钉钉免登 against the loopback fake: the H5 micro-app's requestAuthCode code → POST
// {OAPI}/topapi/v2/user/getuserinfo?access_token=<the app's access token> {code} → result.userid.
// The token is the one the adapter already holds for the card / robot APIs (v1.0/oauth2/accessToken).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DingTalkAdapter, type DingTalkAdapterOptions } from '../../bot/channels/dingtalk/adapter.ts';
import { ChannelError } from '../../server/platform/channels.ts';
import { startDingTalkFake, type DingTalkFake } from '../fakes/dingtalk.ts';

const APP = { appKey: 'dingsigninapp', appSecret: 'signin-app-secret' };
let fake: DingTalkFake;

const adapter = (over: Partial<DingTalkAdapterOptions> = {}) =>
  new DingTalkAdapter({ ...APP, robotCode: APP.appKey, baseUrl: fake.url, oapiBaseUrl: fake.url, timeoutMs: 2000, ...over });

/** The member's DingTalk userId behind a 免登 code. */
const userIdOf = async (a: DingTalkAdapter, code: string) => (await a.memberFromAuthCode(code)).userId;

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

beforeAll(async () => {
  fake = await startDingTalkFake(APP);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('DingTalkAdapter.memberFromAuthCode (user id)', () => {
  it('memberFromAuthCode：getuserinfo 不给 corpId，组织是应用所在企业（DINGTALK_CORP_ID），未配置则不知道', async () => {
    expect(await adapter({ corpId: 'dingcorp1' }).memberFromAuthCode(fake.issueAuthCode('li.xs'))).toEqual({ userId: 'li.xs', orgKey: 'dingcorp1' });
    expect(await adapter().memberFromAuthCode(fake.issueAuthCode('li.xs'))).toEqual({ userId: 'li.xs', orgKey: null });
  });

  it('POSTs {code} to topapi/v2/user/getuserinfo with the app access token in the query → result.userid', async () => {
    const a = adapter();
    const code = fake.issueAuthCode('li.xs', '李销售');
    expect(await userIdOf(a, code)).toBe('li.xs');
    const token = fake.requests.find((r) => r.path === '/v1.0/oauth2/accessToken')!;
    expect(token.body).toEqual(APP);
    const req = fake.requests.find((r) => r.path === '/topapi/v2/user/getuserinfo')!;
    expect(req).toMatchObject({ method: 'POST', body: { code } });
    expect(req.query.access_token).toMatch(/^[0-9a-f]{32}$/);
    // the same cached token serves the card API too: one token request in all
    await a.sendText({ platform: 'dingtalk', kind: 'user', id: 'li.xs' }, 'hi');
    expect(fake.tokenRequests).toBe(1);
  });

  it('a used or unknown code is errcode 40078 and not retryable', async () => {
    const a = adapter();
    const code = fake.issueAuthCode('wu.xs');
    await userIdOf(a, code);
    for (const bad of [code, 'not-a-code']) {
      const e = await failure(userIdOf(a, bad));
      expect(e.retryable).toBe(false);
      expect(e.message).toContain('40078');
    }
    expect((await failure(userIdOf(a, ''))).retryable).toBe(false);
  });

  it('a token DingTalk no longer knows (errcode 40014) is replaced once; 5xx is retryable and the code survives it', async () => {
    const a = adapter();
    await userIdOf(a, fake.issueAuthCode('li.xs'));
    fake.invalidateTokens();
    expect(await userIdOf(a, fake.issueAuthCode('zhao.ck'))).toBe('zhao.ck');
    expect(fake.tokenRequests).toBe(2);
    const code = fake.issueAuthCode('sun.jh');
    fake.failNext(1, 503);
    expect(await failure(userIdOf(a, code))).toMatchObject({ retryable: true, status: 503 });
    expect(await userIdOf(a, code)).toBe('sun.jh');
  });

  it('wrong app credentials are not retryable', async () => {
    const e = await failure(adapter({ appSecret: 'wrong' }).memberFromAuthCode(fake.issueAuthCode('li.xs')));
    expect(e.retryable).toBe(false);
  });
});
