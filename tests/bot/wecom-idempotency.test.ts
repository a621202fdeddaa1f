// 企业微信 adapter: sign-in codes (获取访问用户身份) and idempotency keys against the loopback fake.
// Sign-in: GET /cgi-bin/auth/getuserinfo → userid for a member; a visitor gets only an openid (refused);
// errcode 40029 for an unknown or used code (not retryable). Idempotency: message/send asks for WeCom's
// duplicate check (same request JSON within duplicate_check_interval is not delivered again); a template
// card's task_id comes from the key, so a re-send makes no second card; robots and app chats have none.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DUPLICATE_CHECK_INTERVAL_SEC, WecomAdapter } from '../../bot/channels/wecom/adapter.ts';
import { wecomTaskId } from '../../bot/channels/wecom/render.ts';
import { ChannelError, type CardView, type ChatTarget } from '../../server/platform/channels.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';

/** The member's platform user id behind a sign-in code. */
const userIdOf = async (a: { memberFromAuthCode(code: string): Promise<{ userId: string }> }, code: string) => (await a.memberFromAuthCode(code)).userId;

const CORP = { corpId: 'ww_idem_test', secret: 'idem_secret', agentId: 1000002 };
const user: ChatTarget = { platform: 'wecom', kind: 'user', id: 'wang.cg' };
const robot: ChatTarget = { platform: 'wecom', kind: 'group', id: 'robot:idem-robot' };
const card: CardView = {
  title: '缺料预警：M8螺栓',
  tone: 'warning',
  fields: [{ label: '缺口', value: '1,200 个' }],
  link: { text: '查看库存', url: 'https://yq.example/m/#/stock/1' },
  buttons: [{ text: '生成请购', value: { action: 'requisition', itemId: '1' }, style: 'primary' }],
};

let fake: WecomFake;
let adapter: WecomAdapter;
const make = () => new WecomAdapter({ ...CORP, baseUrl: fake.url, timeoutMs: 2000 });

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

beforeAll(async () => {
  fake = await startWecomFake({ ...CORP, robotKeys: ['idem-robot'] });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  adapter = make();
});

describe('memberFromAuthCode（userId）：企业微信 OAuth / JS-SDK code → 成员 userid', () => {
  it('成员：GET /cgi-bin/auth/getuserinfo?access_token&code → userid', async () => {
    const code = fake.issueAuthCode('li.xs');
    expect(await userIdOf(adapter, code)).toBe('li.xs');
    const req = fake.requests.find((r) => r.path === '/cgi-bin/auth/getuserinfo')!;
    expect(req).toMatchObject({ method: 'GET', query: { code } });
    expect(req.query.access_token).toMatch(/^wt-/);
  });

  it('同一个 code 第二次、编造的 code：errcode 40029，不可重试', async () => {
    const code = fake.issueAuthCode('li.xs');
    await userIdOf(adapter, code);
    for (const bad of [code, 'made-up-code']) {
      const e = await failure(userIdOf(adapter, bad));
      expect(e.retryable).toBe(false);
      expect(e.message).toContain('40029');
    }
    expect((await failure(userIdOf(adapter, ''))).retryable).toBe(false);
  });

  it('非企业成员只拿到 openid：拒绝，说清楚原因', async () => {
    const e = await failure(userIdOf(adapter, fake.issueAuthCode('visitor', { nonMember: true })));
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('不是本企业成员');
  });

  it('token 失效时换新 token 再查一次；企业微信 500 可重试，恢复后同一个 code 还能用', async () => {
    await userIdOf(adapter, fake.issueAuthCode('li.xs'));
    fake.invalidateTokens();
    expect(await userIdOf(adapter, fake.issueAuthCode('wu.xs'))).toBe('wu.xs');
    expect(fake.tokenRequests).toBe(2);
    const code = fake.issueAuthCode('zhao.ck');
    fake.failNext(1, 500);
    expect(await failure(userIdOf(adapter, code))).toMatchObject({ retryable: true, status: 500 });
    expect(await userIdOf(adapter, code)).toBe('zhao.ck');
  });
});

describe('幂等键（SendOptions.idempotencyKey）', () => {
  it('文本带幂等键：enable_duplicate_check + duplicate_check_interval；同一内容再发，企业微信不再投递', async () => {
    await adapter.sendText(user, '订单 SO-1 已发货', { idempotencyKey: 'progress:1:r1' });
    expect(fake.sent[0]!.body).toMatchObject({ enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_CHECK_INTERVAL_SEC });
    const again = await adapter.sendText(user, '订单 SO-1 已发货', { idempotencyKey: 'progress:1:r1' });
    expect(again.messageId).toMatch(/^msg-/); // taken (errcode 0): the delivery row is marked sent
    expect(fake.sent).toHaveLength(1);
    expect(fake.duplicates.map((d) => d.reason)).toEqual(['duplicate_check']);
  });

  it('不带幂等键的发送不开启重复检查：同样的话问两次，两次都收到', async () => {
    await adapter.sendText(user, '库存：M8螺栓 30,000 个');
    await adapter.sendText(user, '库存：M8螺栓 30,000 个');
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[0]!.body).not.toHaveProperty('enable_duplicate_check');
  });

  it('模板卡片：task_id 由幂等键得出（[A-Za-z0-9_-@]，≤ 128），再发同一个键不出第二张卡；response_code 回到 SentMessage', async () => {
    const first = await adapter.sendCard(user, card, { idempotencyKey: 'shortage:42:route-7' });
    const tc = fake.sent[0]!.body.template_card as { task_id: string };
    expect(tc.task_id).toBe(wecomTaskId('shortage:42:route-7'));
    expect(tc.task_id).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/);
    expect(first.responseCode).toBe(fake.sent[0]!.responseCode);
    expect(first.responseCode).toBeTruthy();
    // a crash between send and mark: the worker sends the same notice again
    await make().sendCard(user, card, { idempotencyKey: 'shortage:42:route-7' });
    expect(fake.sent).toHaveLength(1);
    expect(fake.duplicates).toHaveLength(1);
    // the task_id alone keeps the card unique, even when the content (so the duplicate check) differs
    await adapter.sendCard(user, { ...card, footer: '第二次' }, { idempotencyKey: 'shortage:42:route-7' });
    expect(fake.sent).toHaveLength(1);
    expect(fake.duplicates.map((d) => d.reason)).toEqual(['duplicate_check', 'task_id']);
    // without a key every card gets a fresh task_id
    await adapter.sendCard(user, card);
    await adapter.sendCard(user, card);
    expect(fake.sent).toHaveLength(3);
  });

  it('群机器人没有去重：同一个键再发就是再一条（至多一条重复）', async () => {
    await adapter.sendCard(robot, card, { idempotencyKey: 'shortage:9:route-1' });
    await adapter.sendCard(robot, card, { idempotencyKey: 'shortage:9:route-1' });
    expect(fake.robot).toHaveLength(2);
    expect(fake.robot[0]!.body).not.toHaveProperty('enable_duplicate_check');
  });
});
