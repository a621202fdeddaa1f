// GET /api/v1/platform/jssdk-config through the three (fake) platforms: the signature checks out when
// recomputed from the ticket the fake issued (which the answer never contains); two concurrent
// requests with an empty cache fetch the ticket once; an expired ticket is fetched again; a URL
// outside PUBLIC_BASE_URL/m/, no sign-in, or a platform the company has not bound → 4xx, nothing fetched.
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DingTalkAdapter } from '../../bot/channels/dingtalk/adapter.ts';
import { LarkAdapter } from '../../bot/channels/lark/adapter.ts';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { jssdkConfig } from '../../server/modules/auth/jssdk.ts';
import { AppError } from '../../server/platform/errors.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { startDingTalkFake, type DingTalkFake } from '../fakes/dingtalk.ts';
import { startLarkFake, type LarkFake } from '../fakes/lark.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

const BASE = 'https://yq.example';
const CORP = 'wwjssdk';
const DING_CORP = 'dingjssdk';
const TENANT = 'tk_jssdk';
let skewMs = 0; // the adapters' clock runs ahead by this much (a ticket's two hours passing)
const now = () => Date.now() + skewMs;
let lark: LarkFake;
let wecom: WecomFake;
let ding: DingTalkFake;
let t: TestApp;
let li: AuthedClient;
let companyId: string;

beforeAll(async () => {
  [lark, wecom, ding] = await Promise.all([
    startLarkFake({ appId: 'cli_jssdk', appSecret: 'ls' }),
    startWecomFake({ corpId: CORP, secret: 'ws', agentId: 1000009 }),
    startDingTalkFake({ appKey: 'dk', appSecret: 'ds' }),
  ]);
  t = await createTestApp(
    {
      PUBLIC_BASE_URL: BASE,
      LARK_APP_ID: 'cli_jssdk', LARK_APP_SECRET: 'ls', LARK_BASE_URL: lark.url, LARK_TENANT_KEY: TENANT,
      WECOM_CORP_ID: CORP, WECOM_SECRET: 'ws', WECOM_AGENT_ID: '1000009', WECOM_BASE_URL: wecom.url,
      DINGTALK_APP_KEY: 'dk', DINGTALK_APP_SECRET: 'ds', DINGTALK_CORP_ID: DING_CORP, DINGTALK_AGENT_ID: '3001',
      DINGTALK_BASE_URL: ding.url, DINGTALK_OAPI_BASE_URL: ding.url,
    },
    {
      chat: (config) =>
        new Map<Platform, ChannelAdapter>([
          ['lark', LarkAdapter.fromConfig(config, { now })!],
          ['wecom', WecomAdapter.fromConfig(config, { now })!],
          ['dingtalk', DingTalkAdapter.fromConfig(config, { now })!],
        ]),
    },
  );
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  // 飞书 and 企业微信 are bound to the demo company; 钉钉 is not (yet)
  await sys.companyPlatform.createMany({ data: [{ companyId, platform: 'lark', orgKey: TENANT }, { companyId, platform: 'wecom', orgKey: CORP }] });
  li = await as(t, 'li.xs');
}, 60_000);
afterAll(async () => {
  await t?.close();
  await Promise.all([lark?.close(), wecom?.close(), ding?.close()]);
});
beforeEach(() => {
  lark.reset();
  wecom.reset();
  ding.reset();
});

const sha1 = (s: string) => crypto.createHash('sha1').update(s, 'utf8').digest('hex');
const config = (platform: string, url: string) => li('get', '/api/v1/platform/jssdk-config').query({ platform, url });
const fakeRequests = () => lark.requests.length + wecom.requests.length + ding.requests.length;

describe('拒绝：不签、也不向平台取票据', () => {
  it('未登录 → 401', async () => {
    const res = await t.http().get('/api/v1/platform/jssdk-config').query({ platform: 'wecom', url: `${BASE}/m/` });
    expect(res.status).toBe(401);
    expect(fakeRequests()).toBe(0);
  });

  it.each([
    ['https://evil.example/m/'],
    [`${BASE}/api/v1/auth/me`],
    [`${BASE}/m/../api/v1/auth/me`],
    ['/m/'],
  ])('移动端以外的地址 %s → 400，中文说明', async (url) => {
    const res = await config('wecom', url);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(`页面地址：只能为本系统移动端页面签名（${BASE}/m/ 下的地址）`);
    expect(fakeRequests()).toBe(0);
  });

  it('缺少地址、平台不对 → 400', async () => {
    expect((await li('get', '/api/v1/platform/jssdk-config').query({ platform: 'wecom' })).status).toBe(400);
    const res = await config('wechat', `${BASE}/m/`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('平台');
    expect(fakeRequests()).toBe(0);
  });

  it('公司没有绑定钉钉企业 → 400，说明原因', async () => {
    const res = await config('dingtalk', `${BASE}/m/`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('平台：贵司还没有绑定钉钉企业，不能使用钉钉的 JS-SDK，请联系管理员');
    expect(fakeRequests()).toBe(0);
  });
  it('平台没有开启（服务器没有它的配置）→ 400，说明原因', async () => {
    const services = { database: t.database, config: t.config, log: undefined as never, tokens: undefined as never, chat: new Map<Platform, ChannelAdapter>() };
    const refused = await jssdkConfig(services, { db: t.database.app, actor: undefined as never }, { platform: 'lark', url: `${BASE}/m/` }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(400);
    expect((refused as AppError).message).toBe('平台：飞书未开启，不能使用飞书的 JS-SDK');
  });

  it('平台取票据失败 → 503「稍后再试」，之后恢复', async () => {
    lark.failNext(1, 500);
    const res = await config('lark', `${BASE}/m/`);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe('飞书暂时无法提供 JS-SDK 签名，请稍后再试');
    expect(lark.tickets).toHaveLength(0);
  });
});

describe('企业微信：config 与 agentConfig 两个签名', () => {
  const url = `${BASE}/m/?code=abc&state=wecom#/visits/today`;

  it('两个并发请求（缓存为空）：企业票据、应用票据各取一次；签名按秒、去掉 # 之后的部分', async () => {
    const [a, b] = await Promise.all([config('wecom', url), config('wecom', url)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(wecom.tickets.map((x) => x.kind).sort()).toEqual(['agent', 'corp']);
    const corp = wecom.tickets.find((x) => x.kind === 'corp')!.ticket;
    const agent = wecom.tickets.find((x) => x.kind === 'agent')!.ticket;
    for (const res of [a, b]) {
      const body = res.body;
      expect(body).toMatchObject({ platform: 'wecom', url, corpId: CORP, agentId: '1000009' });
      expect(JSON.stringify(body)).not.toContain(corp);
      expect(JSON.stringify(body)).not.toContain(agent);
      expect(Math.abs(body.config.timestamp - Math.floor(Date.now() / 1000))).toBeLessThan(30);
      const signed = `${BASE}/m/?code=abc&state=wecom`;
      expect(body.config.signature).toBe(sha1(`jsapi_ticket=${corp}&noncestr=${body.config.nonceStr}&timestamp=${body.config.timestamp}&url=${signed}`));
      expect(body.agentConfig.signature).toBe(sha1(`jsapi_ticket=${agent}&noncestr=${body.agentConfig.nonceStr}&timestamp=${body.agentConfig.timestamp}&url=${signed}`));
    }
    // cached: a third request fetches nothing
    expect((await config('wecom', `${BASE}/m/`)).status).toBe(200);
    expect(wecom.tickets).toHaveLength(2);
  });

  it('票据过期（两小时后）：重新取票据，用新票据签名', async () => {
    await config('wecom', `${BASE}/m/`); // cached from the test above, or fetched now
    wecom.reset();
    skewMs = 7200_000;
    try {
      const res = await config('wecom', `${BASE}/m/`);
      expect(res.status).toBe(200);
      expect(wecom.tickets.map((x) => x.kind).sort()).toEqual(['agent', 'corp']);
      const corp = wecom.tickets.find((x) => x.kind === 'corp')!.ticket;
      const { config: c } = res.body;
      expect(c.signature).toBe(sha1(`jsapi_ticket=${corp}&noncestr=${c.nonceStr}&timestamp=${c.timestamp}&url=${BASE}/m/`));
    } finally {
      skewMs = 0;
    }
  });
});

describe('飞书：h5sdk.config，毫秒时间戳', () => {
  it('签名可复算；两个并发请求只取一次票据', async () => {
    const url = `${BASE}/m/?x=%E5%BC%A0#/customers`;
    const [a, b] = await Promise.all([config('lark', url), config('lark', url)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(lark.tickets).toHaveLength(1);
    const ticket = lark.tickets[0]!;
    const ticketCall = lark.requests.find((r) => r.path === '/open-apis/jssdk/ticket/get')!;
    expect(ticketCall.authorization).toMatch(/^Bearer t-fake-/);
    const body = a.body;
    expect(body).toMatchObject({ platform: 'lark', appId: 'cli_jssdk', url });
    expect(Math.abs(body.timestamp - Date.now())).toBeLessThan(30_000);
    expect(body.signature).toBe(sha1(`jsapi_ticket=${ticket}&noncestr=${body.nonceStr}&timestamp=${body.timestamp}&url=${BASE}/m/?x=%E5%BC%A0`));
    expect(JSON.stringify(body)).not.toContain(ticket);
  });
});

describe('钉钉：dd.config，秒，查询串解码后签名', () => {
  it('绑定后：签名可复算；票据过期后重新取', async () => {
    await t.database.system.companyPlatform.create({ data: { companyId, platform: 'dingtalk', orgKey: DING_CORP } });
    const url = `${BASE}/m/?name=%E5%BC%A0%E4%B8%89#/visits`;
    const [a, b] = await Promise.all([config('dingtalk', url), config('dingtalk', url)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(ding.tickets).toHaveLength(1);
    const ticket = ding.tickets[0]!;
    const body = a.body;
    expect(body).toMatchObject({ platform: 'dingtalk', corpId: DING_CORP, agentId: '3001', url });
    expect(Math.abs(body.timeStamp - Math.floor(Date.now() / 1000))).toBeLessThan(30);
    expect(body.signature).toBe(sha1(`jsapi_ticket=${ticket}&noncestr=${body.nonceStr}&timestamp=${body.timeStamp}&url=${BASE}/m/?name=张三`));

    skewMs = 7200_000;
    try {
      const later = await config('dingtalk', `${BASE}/m/`);
      expect(later.status).toBe(200);
      expect(ding.tickets).toHaveLength(2);
      expect(later.body.signature).toBe(sha1(`jsapi_ticket=${ding.tickets[1]}&noncestr=${later.body.nonceStr}&timestamp=${later.body.timeStamp}&url=${BASE}/m/`));
    } finally {
      skewMs = 0;
    }
  });
});
