// 钉钉 adapter against the loopback fake: shapes, tokens, failures, custom robots.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DingTalkAdapter, type DingTalkAdapterOptions } from '../../bot/channels/dingtalk/adapter.ts';
import { ChannelError, type CardView, type ChatTarget } from '../../server/platform/channels.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { startDingTalkFake, type DingTalkFake } from '../fakes/dingtalk.ts';

const APP = { appKey: 'dingyunqiaoapp', appSecret: 'yunqiao-app-secret' };
const ROBOT_SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
const group: ChatTarget = { platform: 'dingtalk', kind: 'group', id: 'cidGroupAAAA==' };
const user: ChatTarget = { platform: 'dingtalk', kind: 'user', id: 'wang.cg' };
const robot: ChatTarget = { platform: 'dingtalk', kind: 'group', id: `robot:rtoken1:${ROBOT_SECRET}` };
const card: CardView = {
  title: '缺料提醒：M8螺栓',
  tone: 'warning',
  fields: [{ label: '缺口', value: '1,200 个' }, { label: '金额', value: '¥1,234.50' }],
  link: { text: '查看详情', url: 'https://erp.example.com/m/items/1' },
  buttons: [{ text: '已处理', value: { action: 'ack' } }],
};

let fake: DingTalkFake;

function adapter(over: Partial<DingTalkAdapterOptions> = {}) {
  return new DingTalkAdapter({ ...APP, robotCode: 'dingrobot', cardTemplateId: 'tpl.schema', baseUrl: fake.url, oapiBaseUrl: fake.url, publicBaseUrl: 'https://erp.example.com', timeoutMs: 2000, ...over });
}

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

beforeAll(async () => {
  fake = await startDingTalkFake({ ...APP, robots: { rtoken1: ROBOT_SECRET, rtoken2: '' } });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('DingTalkAdapter: cards', () => {
  it('a group card goes through createAndDeliver with the template, IM_GROUP space, robotCode and a valid token', async () => {
    const sent = await adapter().sendCard(group, card);
    expect(fake.cards).toHaveLength(1);
    const body = fake.cards[0]!;
    expect(body).toMatchObject({
      cardTemplateId: 'tpl.schema',
      outTrackId: sent.messageId,
      openSpaceId: 'dtv1.card//IM_GROUP.cidGroupAAAA==',
      imGroupOpenSpaceModel: { supportForward: true },
      imGroupOpenDeliverModel: { robotCode: 'dingrobot' },
      userIdType: 1,
      cardData: { cardParamMap: { title: '缺料提醒：M8螺栓', tone: 'warning', fields: '**缺口**：1,200 个\n**金额**：¥1,234.50', link: card.link!.url } },
    });
    const req = fake.requests.find((r) => r.path === '/v1.0/card/instances/createAndDeliver')!;
    expect(req.token).toMatch(/^[0-9a-f]{32}$/);
    expect(sent).toEqual({ platform: 'dingtalk', target: group, messageId: expect.stringMatching(/^yq_/) });
  });

  it('a user card goes to the robot 1:1 space (IM_ROBOT)', async () => {
    await adapter({ callbackRouteKey: 'yunqiao' }).sendCard(user, card);
    expect(fake.cards[0]).toMatchObject({
      openSpaceId: 'dtv1.card//IM_ROBOT.wang.cg',
      imRobotOpenSpaceModel: { supportForward: true },
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: 'dingrobot' },
      callbackType: 'HTTP',
      callbackRouteKey: 'yunqiao',
    });
  });

  it('updateCard PUTs the new cardParamMap by outTrackId', async () => {
    const a = adapter();
    const sent = await a.sendCard(group, card);
    await a.updateCard(sent, { ...card, title: '缺料已处理', tone: 'success' });
    expect(fake.cardUpdates).toEqual([
      expect.objectContaining({ outTrackId: sent.messageId, cardUpdateOptions: { updateCardDataByKey: true }, cardData: { cardParamMap: expect.objectContaining({ title: '缺料已处理', tone: 'success' }) } }),
    ]);
    const err = await failure(a.updateCard({ ...sent, messageId: 'yq_unknown' }, card));
    expect(err.retryable).toBe(false);
  });

  it('the same idempotency key gives the same outTrackId: a repeated send makes no second card and counts as sent', async () => {
    const a = adapter();
    const first = await a.sendCard(group, card, { idempotencyKey: 'shortage:1:route-1' });
    const again = await a.sendCard(group, card, { idempotencyKey: 'shortage:1:route-1' });
    expect(again.messageId).toBe(first.messageId);
    expect(fake.cards).toHaveLength(1);
    expect(fake.repeatedCards).toHaveLength(1);
    expect(fake.cards[0]!.outTrackId).toBe(first.messageId);
    // another key: another card
    await a.sendCard(group, card, { idempotencyKey: 'shortage:2:route-1' });
    expect(fake.cards).toHaveLength(2);
  });

  it('without a card template, cards go out as sampleMarkdown robot messages', async () => {
    const sent = await adapter({ cardTemplateId: undefined }).sendCard(group, card);
    expect(fake.cards).toHaveLength(0);
    expect(fake.robotMessages[0]).toMatchObject({ kind: 'group', robotCode: 'dingrobot', openConversationId: 'cidGroupAAAA==', msgKey: 'sampleMarkdown' });
    expect(JSON.parse(fake.robotMessages[0]!.msgParam as string)).toMatchObject({ title: card.title, text: expect.stringContaining('¥1,234.50') });
    expect(sent.messageId).toMatch(/^pq/);
  });
});

describe('DingTalkAdapter: text', () => {
  it('text to a user goes through oToMessages/batchSend, to a group through groupMessages/send', async () => {
    const a = adapter();
    const s1 = await a.sendText(user, '订单 SO-1 已发货');
    const s2 = await a.sendText(group, '今日缺料 3 项');
    expect(fake.robotMessages).toEqual([
      { kind: 'oto', robotCode: 'dingrobot', userIds: ['wang.cg'], msgKey: 'sampleText', msgParam: JSON.stringify({ content: '订单 SO-1 已发货' }) },
      { kind: 'group', robotCode: 'dingrobot', openConversationId: 'cidGroupAAAA==', msgKey: 'sampleText', msgParam: JSON.stringify({ content: '今日缺料 3 项' }) },
    ]);
    expect(s1.messageId).toMatch(/^pq/);
    expect(s2.messageId).toMatch(/^pq/);
  });
});

describe('DingTalkAdapter: failures and tokens', () => {
  it('500 and 429 are retryable, 400 is not', async () => {
    const a = adapter();
    fake.failNext(1, 500);
    expect(await failure(a.sendCard(group, card))).toMatchObject({ retryable: true, status: 500 });
    fake.rateLimitNext(1);
    expect(await failure(a.sendText(user, 'x'))).toMatchObject({ retryable: true, status: 429 });
    fake.failNext(1, 400);
    expect(await failure(a.sendText(group, 'x'))).toMatchObject({ retryable: false, status: 400 });
    await a.sendText(group, 'recovered');
    expect(fake.robotMessages).toHaveLength(1);
  });

  it('a timeout is retryable', async () => {
    fake.setDelay(300);
    const err = await failure(adapter({ timeoutMs: 100 }).sendText(user, 'slow'));
    expect(err.retryable).toBe(true);
  });

  it('one token for many sends (also concurrent ones); a fresh one when DingTalk rejects it or it expires', async () => {
    let clock = Date.now();
    const a = adapter({ now: () => clock });
    await Promise.all([a.sendText(user, '1'), a.sendText(group, '2'), a.sendCard(group, card)]);
    for (let i = 0; i < 5; i++) await a.sendText(user, `n${i}`);
    expect(fake.tokenRequests).toBe(1);
    const tokens = new Set(fake.requests.filter((r) => r.path.startsWith('/v1.0/robot') || r.path.startsWith('/v1.0/card')).map((r) => r.token));
    expect(tokens.size).toBe(1);

    fake.invalidateTokens(); // DingTalk answers 400 InvalidAuthentication: refresh once, resend
    await a.sendText(user, 'after invalidation');
    expect(fake.tokenRequests).toBe(2);
    expect(fake.robotMessages.at(-1)).toMatchObject({ msgParam: JSON.stringify({ content: 'after invalidation' }) });

    clock += 7200 * 1000; // expireIn passed
    await a.sendText(user, 'later');
    expect(fake.tokenRequests).toBe(3);
  });

  it('wrong app credentials are not retryable', async () => {
    const err = await failure(adapter({ appSecret: 'wrong' }).sendText(user, 'x'));
    expect(err.retryable).toBe(false);
    expect(fake.robotMessages).toHaveLength(0);
  });

  it('is off without app key / secret', () => {
    expect(DingTalkAdapter.fromConfig(loadConfig({}))).toBeNull();
    const a = DingTalkAdapter.fromConfig(loadConfig({ DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' }));
    expect(a?.platform).toBe('dingtalk');
  });
});

describe('DingTalkAdapter: custom group robots', () => {
  it('a card to a signed robot is an actionCard on the signed webhook; text is text', async () => {
    const a = adapter();
    const sent = await a.sendCard(robot, card);
    await a.sendText({ ...robot, id: 'robot:rtoken2' }, '无加签的机器人');
    expect(fake.webhookMessages).toEqual([
      { msgtype: 'actionCard', accessToken: 'rtoken1', actionCard: expect.objectContaining({ title: card.title, singleTitle: '查看详情', singleURL: card.link!.url }) },
      { msgtype: 'text', accessToken: 'rtoken2', text: { content: '无加签的机器人' } },
    ]);
    const q = fake.requests.find((r) => r.path === '/robot/send')!.query;
    expect(q).toMatchObject({ access_token: 'rtoken1', timestamp: expect.stringMatching(/^\d{13}$/), sign: expect.any(String) });
    expect(await failure(a.updateCard(sent, card))).toMatchObject({ retryable: false });
  });

  it('a wrong secret is not retryable; the 21st message in a minute is (errcode 130101)', async () => {
    const a = adapter();
    expect(await failure(a.sendText({ ...robot, id: 'robot:rtoken1:SECwrong' }, 'x'))).toMatchObject({ retryable: false });
    for (let i = 0; i < 20; i++) await a.sendText(robot, `m${i}`);
    const err = await failure(a.sendText(robot, 'm20'));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('130101');
    fake.failNext(1, 503);
    expect(await failure(a.sendText({ ...robot, id: 'robot:rtoken2' }, 'x'))).toMatchObject({ retryable: true, status: 503 });
  });
});
