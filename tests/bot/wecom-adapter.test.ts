// 企业微信 adapter against the loopback fake: message shapes and tokens, template-card updates,
// group robots, token caching and refresh, and which failures are retryable.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { parseButtonKey } from '../../bot/channels/wecom/render.ts';
import { ChannelError, type CardView, type ChatTarget } from '../../server/platform/channels.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';

const CORP = { corpId: 'ww_yunqiao_test', secret: 'secret_test', agentId: 1000002 };
const ROBOT = 'robot-key-1';
const user: ChatTarget = { platform: 'wecom', kind: 'user', id: 'wang.cg' };
const chat: ChatTarget = { platform: 'wecom', kind: 'group', id: 'wr_purchase' };
const robot: ChatTarget = { platform: 'wecom', kind: 'group', id: `robot:${ROBOT}` };

const card: CardView = {
  title: '缺料预警：M8螺栓',
  tone: 'danger',
  fields: [
    { label: '物料', value: 'M8螺栓' },
    { label: '缺口', value: '1,200 个' },
  ],
  link: { text: '查看详情', url: 'https://yq.example/m/items/1' },
  buttons: [{ text: '生成请购', value: { action: 'requisition', itemId: '1' }, style: 'primary' }],
};

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

describe('WecomAdapter ↔ 假企业微信', () => {
  let fake: WecomFake;
  let adapter: WecomAdapter;
  const make = (extra: Partial<ConstructorParameters<typeof WecomAdapter>[0]> = {}) =>
    new WecomAdapter({ ...CORP, baseUrl: fake.url, fallbackUrl: 'https://yq.example/m/', publicBaseUrl: 'https://yq.example', timeoutMs: 2000, ...extra });

  beforeAll(async () => {
    fake = await startWecomFake({ ...CORP, robotKeys: [ROBOT] });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    adapter = make();
  });

  it('fromConfig: 缺少 CorpID / Secret / AgentID 时为 null（平台关闭）', () => {
    expect(WecomAdapter.fromConfig(loadConfig({}))).toBeNull();
    expect(WecomAdapter.fromConfig(loadConfig({ WECOM_CORP_ID: 'ww', WECOM_SECRET: 's' }))).toBeNull();
    expect(WecomAdapter.fromConfig(loadConfig({ WECOM_CORP_ID: 'ww', WECOM_SECRET: 's', WECOM_AGENT_ID: '1000002' }))).toBeInstanceOf(WecomAdapter);
  });

  it('sendText → message/send {touser, msgtype:text, agentid}，带 access_token', async () => {
    const sent = await adapter.sendText(user, '你好');
    expect(sent).toMatchObject({ platform: 'wecom', target: user });
    expect(sent.messageId).toMatch(/^msg-/);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]!.body).toEqual({ touser: 'wang.cg', msgtype: 'text', agentid: CORP.agentId, text: { content: '你好' } });
    expect(fake.requests.find((r) => r.path === '/cgi-bin/message/send')!.query.access_token).toBe(fake.sent[0]!.token);
    expect(fake.requests[0]!.query).toEqual({ corpid: CORP.corpId, corpsecret: CORP.secret });
  });

  it('sendCard 给成员 → template_card button_interaction，返回 response_code；updateCard 用它更新', async () => {
    const sent = await adapter.sendCard(user, card, { idempotencyKey: 'notice:42' });
    const body = fake.sent[0]!.body as { msgtype: string; template_card: Record<string, unknown> & { button_list: { key: string; style: number }[] } };
    expect(body.msgtype).toBe('template_card');
    expect(body.template_card).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: '缺料预警：M8螺栓' },
      horizontal_content_list: [{ keyname: '物料', value: 'M8螺栓' }, { keyname: '缺口', value: '1,200 个' }],
      card_action: { type: 1, url: 'https://yq.example/m/items/1' },
    });
    expect(parseButtonKey(body.template_card.button_list[0]!.key)).toEqual({ action: 'requisition', itemId: '1' });
    expect(sent.responseCode).toBe(fake.sent[0]!.responseCode);
    // same idempotency key → same task_id: WeCom takes the request but pushes no second card
    await adapter.sendCard(user, card, { idempotencyKey: 'notice:42' });
    expect(fake.sent).toHaveLength(1);
    expect(fake.duplicates).toHaveLength(1);

    await adapter.updateCard(sent, { ...card, title: '已生成请购单', tone: 'success', buttons: [] });
    expect(fake.updates).toHaveLength(1);
    expect(fake.updates[0]!.body).toMatchObject({ userids: ['wang.cg'], agentid: CORP.agentId, response_code: sent.responseCode, template_card: { card_type: 'text_notice', main_title: { title: '已生成请购单' } } });
    // response_code is single use
    expect((await failure(adapter.updateCard(sent, card))).retryable).toBe(false);
    expect((await failure(adapter.updateCard({ ...sent, responseCode: undefined }, card))).retryable).toBe(false);
  });

  it('群聊 → appchat/send markdown；robot:<key> → webhook/send markdown（不取 token）', async () => {
    await adapter.sendCard(chat, card);
    expect(fake.chats[0]!.body).toMatchObject({ chatid: 'wr_purchase', msgtype: 'markdown' });
    fake.reset();
    const fresh = make();
    const sent = await fresh.sendCard(robot, card);
    expect(fake.tokenRequests).toBe(0);
    expect(fake.robot).toHaveLength(1);
    expect(fake.requests[0]!.query).toEqual({ key: ROBOT });
    const md = (fake.robot[0]!.body.markdown as { content: string }).content;
    expect(md).toContain('<font color="warning">**缺料预警：M8螺栓**</font>');
    expect(md).toContain('> 缺口: 1,200 个');
    await fresh.updateCard(sent, { ...card, title: '已处理' });
    expect(fake.robot).toHaveLength(2);
    await fresh.sendText(robot, 'ping');
    expect(fake.robot[2]!.body).toEqual({ msgtype: 'text', text: { content: 'ping' } });
  });

  it('群机器人每分钟 20 条：第 21 条 errcode 45009 → 可重试', async () => {
    for (let i = 0; i < 20; i++) await adapter.sendText(robot, `第 ${i + 1} 条`);
    const e = await failure(adapter.sendText(robot, '第 21 条'));
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('45009');
    expect(fake.robot).toHaveLength(20);
    // an unknown robot key is not retryable
    expect((await failure(adapter.sendText({ ...robot, id: 'robot:nope' }, 'x'))).retryable).toBe(false);
  });

  it('token 缓存：多次发送只取一次 token（并发也只取一次）', async () => {
    await Promise.all([adapter.sendText(user, '1'), adapter.sendText(user, '2'), adapter.sendText(user, '3')]);
    await adapter.sendText(user, '4');
    await adapter.sendCard(user, card);
    expect(fake.tokenRequests).toBe(1);
    expect(new Set(fake.sent.map((s) => s.token)).size).toBe(1);
  });

  it('token 失效 40014 / 过期 42001：重新取 token 并重发一次', async () => {
    await adapter.sendText(user, '1');
    fake.invalidateTokens();
    await adapter.sendText(user, '2');
    expect(fake.tokenRequests).toBe(2);
    fake.expireTokens();
    await adapter.sendText(user, '3');
    expect(fake.tokenRequests).toBe(3);
    expect(fake.sent.map((s) => (s.body.text as { content: string }).content)).toEqual(['1', '2', '3']);
  });

  it('本地到期（expires_in）后刷新 token', async () => {
    let now = 1_000_000;
    const a = make({ now: () => now });
    await a.sendText(user, '1');
    now += 7200_000 - 6 * 60_000;
    await a.sendText(user, '2');
    expect(fake.tokenRequests).toBe(1);
    now += 2 * 60_000; // inside the 5-minute margin
    await a.sendText(user, '3');
    expect(fake.tokenRequests).toBe(2);
  });

  it('HTTP 500 / 429、errcode 45009 / -1 → retryable；HTTP 400、其他 errcode → 不可重试', async () => {
    await adapter.sendText(user, 'warm up');
    fake.failNext(1, 500);
    expect(await failure(adapter.sendText(user, 'x'))).toMatchObject({ retryable: true, status: 500 });
    fake.failNext(1, 429);
    expect(await failure(adapter.sendText(user, 'x'))).toMatchObject({ retryable: true, status: 429 });
    fake.errcodeNext(1, 45009);
    expect((await failure(adapter.sendText(user, 'x'))).retryable).toBe(true);
    fake.errcodeNext(1, -1);
    expect((await failure(adapter.sendText(user, 'x'))).retryable).toBe(true);
    fake.failNext(1, 400);
    expect(await failure(adapter.sendText(user, 'x'))).toMatchObject({ retryable: false, status: 400 });
    fake.errcodeNext(1, 81013);
    expect((await failure(adapter.sendText(user, 'x'))).retryable).toBe(false);
    // recovered
    await adapter.sendText(user, 'ok');
    expect(fake.sent.at(-1)!.body).toMatchObject({ text: { content: 'ok' } });
  });

  it('错误的 secret → 不可重试；超时 → 可重试', async () => {
    const bad = make({ secret: 'wrong' });
    const e = await failure(bad.sendText(user, 'x'));
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('40001');
    await adapter.sendText(user, 'warm up');
    fake.setDelay(300);
    const slow = make({ timeoutMs: 100 });
    expect((await failure(slow.sendText(user, 'x'))).retryable).toBe(true);
    fake.setDelay(0);
  });
});
