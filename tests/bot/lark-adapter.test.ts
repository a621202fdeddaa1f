// 飞书 adapter (on @larksuiteoapi/node-sdk) against the loopback fake: message shapes, tokens
// (cached per adapter, refreshed), errors (retryable or not), idempotency, sign-in by login code;
// and the CardView → card JSON rendering.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LarkAdapter, larkUuid } from '../../bot/channels/lark/adapter.ts';
import { renderLarkCard } from '../../bot/channels/lark/render.ts';
import { ChannelError, type CardView, type ChatTarget } from '../../server/platform/channels.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { startLarkFake, type LarkFake } from '../fakes/lark.ts';

/** The member's platform user id behind a sign-in code. */
const userIdOf = async (a: { memberFromAuthCode(code: string): Promise<{ userId: string }> }, code: string) => (await a.memberFromAuthCode(code)).userId;

const APP = { appId: 'cli_test', appSecret: 'secret_test' };
const GROUP: ChatTarget = { platform: 'lark', kind: 'group', id: 'oc_purchase' };
const USER: ChatTarget = { platform: 'lark', kind: 'user', id: 'ou_wang.cg' };

const CARD: CardView = {
  title: '缺料提醒：M8螺栓',
  tone: 'warning',
  fields: [
    { label: '物料', value: 'M8螺栓 (M8×30)' },
    { label: '缺口', value: '1,200 个' },
    { label: '说明', value: '主仓可用 300，在途 500，安全库存 2,000，需尽快补货' },
  ],
  lines: ['**建议**：下采购订单', '<at id=all></at> 不应提醒全员'],
  buttons: [
    { text: '生成请购单', value: { action: 'requisition', itemId: 'i-1' }, style: 'primary' },
    { text: '忽略', value: { action: 'ignore', itemId: 'i-1' }, style: 'danger' },
    { text: '稍后', value: { action: 'later' } },
  ],
  link: { text: '在小程序中查看', url: 'https://yq.example.com/m/items/i-1' },
  footer: '云桥 · 2025-01-01 09:00',
};

describe('renderLarkCard', () => {
  it('header、字段、文字、按钮、链接、备注', () => {
    const c = renderLarkCard(CARD, { publicBaseUrl: 'https://yq.example.com' });
    expect(c.config).toEqual({ wide_screen_mode: true, update_multi: true });
    expect(c.header).toEqual({ title: { tag: 'plain_text', content: '缺料提醒：M8螺栓' }, template: 'orange' });
    expect(c.elements[0]).toEqual({
      tag: 'div',
      fields: [
        { is_short: true, text: { tag: 'lark_md', content: '**物料**\nM8螺栓 (M8×30)' } },
        { is_short: true, text: { tag: 'lark_md', content: '**缺口**\n1,200 个' } },
        { is_short: false, text: { tag: 'lark_md', content: '**说明**\n主仓可用 300，在途 500，安全库存 2,000，需尽快补货' } },
      ],
    });
    expect(c.elements[1]).toEqual({ tag: 'div', text: { tag: 'lark_md', content: '**建议**：下采购订单\n&lt;at id=all&gt;&lt;/at&gt; 不应提醒全员' } });
    expect(c.elements[2]).toEqual({
      tag: 'action',
      actions: [
        { tag: 'button', text: { tag: 'plain_text', content: '生成请购单' }, type: 'primary', value: { action: 'requisition', itemId: 'i-1' } },
        { tag: 'button', text: { tag: 'plain_text', content: '忽略' }, type: 'danger', value: { action: 'ignore', itemId: 'i-1' } },
        { tag: 'button', text: { tag: 'plain_text', content: '稍后' }, type: 'default', value: { action: 'later' } },
        { tag: 'button', text: { tag: 'plain_text', content: '在小程序中查看' }, type: 'default', url: 'https://yq.example.com/m/items/i-1' },
      ],
    });
    expect(c.elements.slice(3)).toEqual([{ tag: 'hr' }, { tag: 'note', elements: [{ tag: 'plain_text', content: '云桥 · 2025-01-01 09:00' }] }]);
  });

  it.each([
    ['info', 'blue'],
    ['warning', 'orange'],
    ['success', 'green'],
    ['danger', 'red'],
  ] as const)('tone %s → template %s', (tone, template) => {
    expect(renderLarkCard({ title: 't', tone, fields: [] }).header.template).toBe(template);
  });

  it('只有标题也是一张合法卡片（elements 不为空）', () => {
    expect(renderLarkCard({ title: '仅标题', tone: 'info', fields: [] }).elements).toEqual([{ tag: 'div', text: { tag: 'plain_text', content: '仅标题' } }]);
  });
});

describe('LarkAdapter ↔ fake 飞书开放接口', () => {
  let fake: LarkFake;
  beforeAll(async () => {
    fake = await startLarkFake(APP);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const adapter = (over: Partial<ConstructorParameters<typeof LarkAdapter>[0]> = {}) => new LarkAdapter({ ...APP, baseUrl: fake.url, publicBaseUrl: 'https://yq.example.com', ...over });

  async function failure(p: Promise<unknown>): Promise<ChannelError> {
    const e = await p.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ChannelError);
    return e as ChannelError;
  }

  it('fromConfig：缺 app id/secret 时为 null（平台关闭）', () => {
    expect(LarkAdapter.fromConfig(loadConfig({}))).toBeNull();
    expect(LarkAdapter.fromConfig(loadConfig({ LARK_APP_ID: 'a', LARK_APP_SECRET: 'b' }))).toBeInstanceOf(LarkAdapter);
  });

  it('sendCard 到群：receive_id_type=chat_id，interactive，content 是卡片 JSON 字符串，带 tenant token', async () => {
    const sent = await adapter().sendCard(GROUP, CARD);
    expect(sent).toEqual({ platform: 'lark', target: GROUP, messageId: fake.sent[0]!.messageId });
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ receiveIdType: 'chat_id', receiveId: 'oc_purchase', msgType: 'interactive', content: renderLarkCard(CARD, { publicBaseUrl: 'https://yq.example.com' }) });
    const req = fake.requests.find((r) => r.path === '/open-apis/im/v1/messages')!;
    expect(typeof (req.body as { content: unknown }).content).toBe('string');
    expect(req.authorization).toBe(`Bearer ${fake.sent[0]!.token}`);
    // sent by the SDK (its User-Agent), not by hand
    expect(req.userAgent).toMatch(/^oapi-node-sdk\/1\.74\.0/);
    const tokenReq = fake.requests.find((r) => r.path === '/open-apis/auth/v3/tenant_access_token/internal')!;
    expect(tokenReq.body).toEqual({ app_id: APP.appId, app_secret: APP.appSecret });
  });

  it('sendText 给个人：receive_id_type=open_id，text', async () => {
    await adapter().sendText(USER, '你好');
    expect(fake.sent[0]).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_wang.cg', msgType: 'text', content: { text: '你好' } });
  });

  it('updateCard：PATCH /im/v1/messages/:id，新卡片内容', async () => {
    const a = adapter();
    const sent = await a.sendCard(GROUP, CARD);
    const next: CardView = { title: '已生成请购单', tone: 'success', fields: [{ label: '请购单', value: 'PR-0001' }] };
    await a.updateCard(sent, next);
    expect(fake.updates).toEqual([{ messageId: sent.messageId, content: renderLarkCard(next, { publicBaseUrl: 'https://yq.example.com' }), token: fake.sent[0]!.token }]);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/open-apis/im/v1/messages/${sent.messageId}` });
  });

  it('replyText：POST /im/v1/messages/:id/reply', async () => {
    const id = await adapter().replyText('om_in_9', '库存如下');
    expect(fake.replies).toEqual([{ parentId: 'om_in_9', messageId: id, msgType: 'text', content: { text: '库存如下' }, uuid: undefined }]);
  });

  it('500 / 429 → ChannelError retryable；400 → 不可重试', async () => {
    const a = adapter();
    fake.failNext(1, 500);
    expect(await failure(a.sendCard(GROUP, CARD))).toMatchObject({ retryable: true, status: 500 });
    fake.rateLimitNext(1);
    expect(await failure(a.sendText(GROUP, 'x'))).toMatchObject({ retryable: true, status: 429 });
    fake.failNext(1, 400);
    expect(await failure(a.sendText(GROUP, 'x'))).toMatchObject({ retryable: false, status: 400 });
    fake.failNext(1, 503);
    expect(await failure(a.updateCard({ platform: 'lark', target: GROUP, messageId: 'om_x' }, CARD))).toMatchObject({ retryable: true });
    fake.failNext(1, 503);
    expect(await failure(a.replyText('om_in_1', 'x'))).toMatchObject({ retryable: true, status: 503 });
    // older APIs answer the frequency limit with HTTP 400: still retryable, by its code
    fake.rateLimitNext(1, 400);
    expect(await failure(a.sendText(GROUP, 'x'))).toMatchObject({ retryable: true, status: 400 });
    // a card update of an unknown message: 4xx with a non-zero code, not retryable
    expect(await failure(a.updateCard({ platform: 'lark', target: GROUP, messageId: 'om_nope' }, CARD))).toMatchObject({ retryable: false, status: 400 });
    expect(fake.sent).toHaveLength(0);
    await a.sendText(GROUP, '恢复了');
    expect(fake.sent).toHaveLength(1);
  });

  it('token 缓存：多次（含并发）发送只取一次 token', async () => {
    const a = adapter();
    await Promise.all([1, 2, 3, 4, 5].map((i) => a.sendText(GROUP, `并发 ${i}`)));
    for (let i = 0; i < 5; i++) await a.sendText(GROUP, `顺序 ${i}`);
    expect(fake.sent).toHaveLength(10);
    expect(fake.tokenRequests).toBe(1);
    expect(new Set(fake.sent.map((s) => s.token)).size).toBe(1);
  });

  it('token 到期（expire − 3 分钟）前刷新', async () => {
    let now = 1_000_000;
    const a = adapter({ now: () => now });
    await a.sendText(GROUP, 'a');
    now += 7200_000 - 3 * 60_000 - 1;
    await a.sendText(GROUP, 'b');
    expect(fake.tokenRequests).toBe(1);
    now += 2;
    await a.sendText(GROUP, 'c');
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent[2]!.token).not.toBe(fake.sent[0]!.token);
  });

  it('token 被判无效（99991663）→ 换新 token 重试一次', async () => {
    const a = adapter();
    await a.sendText(GROUP, 'a');
    fake.invalidateTokens();
    await a.sendCard(GROUP, CARD);
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent).toHaveLength(2);
    expect(fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages')).toHaveLength(3);
  });

  it('app secret 错 → 不可重试的 ChannelError（消息里没有 secret）', async () => {
    const e = await failure(adapter({ appSecret: 'wrong' }).sendText(GROUP, 'x'));
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('10014');
    expect(e.message).not.toContain('wrong');
  });

  it('每个 adapter 自己的 token：SDK 的进程级缓存不用，实例之间、测试之间不串', async () => {
    await adapter().sendText(GROUP, 'a');
    // same app id, wrong secret: with the SDK's shared cache (keyed by app id) this would reuse a's token
    expect(await failure(adapter({ appSecret: 'wrong' }).sendText(GROUP, 'b'))).toMatchObject({ retryable: false });
    await adapter().sendText(GROUP, 'c');
    expect(fake.tokenRequests).toBe(3);
    expect(fake.sent[1]!.token).not.toBe(fake.sent[0]!.token);
  });

  it('SDK 不往控制台打日志（失败时也不）', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    try {
      const a = adapter();
      await a.sendText(GROUP, 'ok');
      fake.failNext(1, 500);
      await failure(a.sendText(GROUP, 'x'));
      await failure(adapter({ appSecret: 'wrong' }).sendText(GROUP, 'x'));
      await failure(new LarkAdapter({ ...APP, baseUrl: 'http://127.0.0.1:1' }).sendText(GROUP, 'x'));
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('超时、连不上 → retryable', async () => {
    fake.setDelay(300);
    expect(await failure(adapter({ timeoutMs: 50 }).sendText(GROUP, 'x'))).toMatchObject({ retryable: true });
    fake.setDelay(0);
    expect(await failure(new LarkAdapter({ ...APP, baseUrl: 'http://127.0.0.1:1' }).sendText(GROUP, 'x'))).toMatchObject({ retryable: true });
  });

  it('幂等键 → uuid：同一键只发一条；过长的键压到 50 字符', async () => {
    const a = adapter();
    const key = 'shortage-digest:100-250:route-0b6f3c8e-3d0f-4c55-9e7e-6d8f1c2b7a11';
    const s1 = await a.sendCard(GROUP, CARD, { idempotencyKey: key });
    const s2 = await a.sendCard(GROUP, CARD, { idempotencyKey: key });
    expect(s2.messageId).toBe(s1.messageId);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]!.uuid).toBe(larkUuid(key));
    expect(larkUuid(key)).toHaveLength(50);
    expect(larkUuid('short-key')).toBe('short-key');
  });

  describe('memberFromAuthCode（userId）：小程序在飞书内打开时的登录码 → open_id', () => {
    it('memberFromAuthCode：同时给出登录码所属的租户 tenant_key', async () => {
      expect(await adapter().memberFromAuthCode(fake.issueAuthCode('ou_li.xs', { tenantKey: 'tk_acme' }))).toEqual({ userId: 'ou_li.xs', orgKey: 'tk_acme' });
    });

    it('code → /authen/v2/oauth/token（client_id + client_secret）→ user_access_token → /authen/v1/user_info → open_id', async () => {
      const code = fake.issueAuthCode('ou_li.xs');
      expect(await userIdOf(adapter(), code)).toBe('ou_li.xs');
      const exchange = fake.requests.find((r) => r.path === '/open-apis/authen/v2/oauth/token')!;
      expect(exchange.method).toBe('POST');
      expect(exchange.body).toEqual({ grant_type: 'authorization_code', client_id: APP.appId, client_secret: APP.appSecret, code });
      const info = fake.requests.find((r) => r.path === '/open-apis/authen/v1/user_info')!;
      expect(info.method).toBe('GET');
      expect(info.authorization).toMatch(/^Bearer u-fake-/);
      expect(fake.tokenRequests).toBe(0); // no tenant token involved
    });

    it('用过的、不认识的、过期的、空的登录码 → 不可重试的 ChannelError', async () => {
      const a = adapter();
      const code = fake.issueAuthCode('ou_li.xs');
      await userIdOf(a, code);
      for (const bad of [code, 'never-issued', fake.issueAuthCode('ou_li.xs', { ttlMs: -1 }), '  ']) {
        const e = await failure(userIdOf(a, bad));
        expect(e.retryable).toBe(false);
        expect(e.message).toContain('飞书登录码');
      }
    });

    it('app secret 错 → 不可重试；飞书 500 → 可重试，登录码仍可再用', async () => {
      expect(await failure(userIdOf(adapter({ appSecret: 'wrong' }), fake.issueAuthCode('ou_li.xs')))).toMatchObject({ retryable: false });
      const code = fake.issueAuthCode('ou_wang.cg');
      fake.failNext(1, 500);
      expect(await failure(userIdOf(adapter(), code))).toMatchObject({ retryable: true, status: 500 });
      expect(await userIdOf(adapter(), code)).toBe('ou_wang.cg');
    });
  });
});
