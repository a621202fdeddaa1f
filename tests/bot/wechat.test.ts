// 微信群 through wechaty with wechaty-puppet-mock (in memory, no network): which messages the bot
// acts on and what it hands the commands, what rooms and people receive, and the issue's stories
// end to end on the real database (库存, 订单 with the private answer, scope, binding, shortage
// notices, order progress).
import { FileBox } from 'file-box';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { chatMessageHandler } from '../../bot/callbacks.ts';
import { WechatChannel, type WechatOutcome } from '../../bot/channels/wechat/adapter.ts';
import { renderWechatCard } from '../../bot/channels/wechat/render.ts';
import { planDeliveries } from '../../bot/delivery/plan.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import { alreadySeen } from '../../bot/inbound.ts';
import { REPLIES, orderNotFound } from '../../bot/commands/run.ts';
import { ChannelError, type CardView, type InboundMessage } from '../../server/platform/channels.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { inCompany } from '../../server/db/transaction.ts';
import { issueStock, receiveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

// ---------------------------------------------------------------- a mock WeChat

/** Polls until `check` gives something truthy; fails after 5 s. */
async function until<T>(check: () => T | Promise<T>, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Who = mock.ContactMock;
type Where = mock.ContactMock | mock.RoomMock;
/** the mocks are EventEmitters (their typed-emitter typings do not resolve here) */
const onMessage = (x: Where, fn: (m: mock.MessageMock) => void) => (x as unknown as NodeJS.EventEmitter).on('message', fn);

function wechatWorld() {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const outcomes = new Map<string, WechatOutcome[]>();
  const channel = new WechatChannel({ puppet, botName: '云桥助手', onSettled: (id, o) => outcomes.set(id, [...(outcomes.get(id) ?? []), o]) });
  const bot = mocker.createContact({ name: '云桥助手' });
  /** conversation id → what the bot said there (a room, or 1:1 to a person) */
  const heard = new Map<string, string[]>();
  const record = (key: string) => (m: mock.MessageMock) => {
    const to = m.room()?.id ?? m.listener()?.id;
    if (m.talker().id === bot.id && to === key) heard.set(key, [...(heard.get(key) ?? []), m.text() ?? '']);
  };
  return {
    mocker, puppet, channel, bot, outcomes,
    person: (name: string) => {
      const c = mocker.createContact({ name });
      onMessage(c, record(c.id));
      return c;
    },
    room: (topic: string, members: Who[]) => {
      const r = mocker.createRoom({ topic, memberIdList: [bot.id, ...members.map((m) => m.id)] });
      onMessage(r, record(r.id));
      return r;
    },
    heard: (where: Where) => heard.get(where.id) ?? [],
    /** `who` says `text` in `where` (mentioning `mentions`); returns the message id (the mock delivers synchronously) */
    say: (who: Who, text: string | FileBox, where: Where, mentions: Who[] = []) => {
      who.say(text, mentions).to(where);
      return [...mocker.cacheMessagePayload.keys()].at(-1)!;
    },
    settled: (id: string) => until(() => outcomes.get(id)?.at(-1), `message ${id} settled`),
    login: async () => {
      mocker.login(bot);
      await until(() => channel.selfId === bot.id, 'bot login');
    },
  };
}

const card: CardView = {
  title: '销售订单 SO-20261122-0001', tone: 'info',
  fields: [{ label: '金额', value: '¥1,234.50' }, { label: '状态', value: '**已确认**' }],
  lines: ['交期：11-30'],
  link: { text: '查看订单', url: 'https://erp.example.com/m/#/sales-orders/1' },
  buttons: [{ text: '同意', value: { a: '1' } }],
  footer: '云桥 · 订单进度',
};

// ---------------------------------------------------------------- the channel on its own

describe('微信群通道', () => {
  const w = wechatWorld();
  const asked: InboundMessage[] = [];
  const seenIds = new Set<string>();
  const wang = w.person('王采购');
  const li = w.person('李销售');
  const purchase = w.room('采购群', [wang, li]);

  beforeAll(async () => {
    await w.channel.start(async (m) => {
      asked.push(m);
      return { text: m.text === '静默' ? '' : `收到：${m.text}` };
    }, async (id) => seenIds.has(id) || !seenIds.add(id));
    await w.login();
  });
  afterAll(() => w.channel.stop());

  const askedAbout = (id: string) => asked.find((m) => m.messageId === id);

  it('群里 @云桥助手：去掉 @，按群消息交给命令，答复回到同一个群', async () => {
    const id = w.say(wang, '@云桥助手\u2005库存 M8螺栓', purchase, [w.bot]);
    expect(await w.settled(id)).toBe('answered');
    expect(askedAbout(id)).toEqual({
      platform: 'wechat', messageId: id, orgKey: w.bot.id, chatType: 'group', chatId: purchase.id, senderId: wang.id, senderName: '王采购', text: '库存 M8螺栓',
    });
    expect(w.heard(purchase)).toContain('收到：库存 M8螺栓');
    // A PC client's mention (a plain space, no mention list from the puppet) counts too.
    const pc = w.say(li, '@云桥助手 你好', purchase);
    expect(await w.settled(pc)).toBe('answered');
    expect(askedAbout(pc)?.text).toBe('你好');
  });

  it('私聊：每条文字都交给命令，答复私聊回去', async () => {
    const id = w.say(wang, '库存 M8螺栓', w.bot);
    expect(await w.settled(id)).toBe('answered');
    expect(askedAbout(id)).toMatchObject({ chatType: 'p2p', chatId: wang.id, senderId: wang.id, text: '库存 M8螺栓' });
    expect(w.heard(wang)).toContain('收到：库存 M8螺栓');
  });

  it('群里不 @：命令照答，闲聊和半截命令不理', async () => {
    const command = w.say(li, '订单 SO-20261122-0001', purchase);
    expect(await w.settled(command)).toBe('answered');
    const help = w.say(li, '帮助', purchase);
    expect(await w.settled(help)).toBe('answered');
    const before = w.heard(purchase).length;
    for (const chatter of ['今天中午吃什么', '订单已经发了', '@王采购 好的', '?']) {
      const id = w.say(li, chatter, purchase);
      expect(await w.settled(id)).toBe('notForBot');
      expect(askedAbout(id)).toBeUndefined();
    }
    expect(w.heard(purchase).length).toBe(before);
  });

  it('自己发的消息、图片不处理；空答复不发', async () => {
    expect(await w.settled(w.say(w.bot, '库存 M8螺栓', purchase))).toBe('self');
    expect(await w.settled(w.say(wang, FileBox.fromBase64(Buffer.from('png').toString('base64'), 'photo.png'), purchase, [w.bot]))).toBe('notText');
    const before = w.heard(wang).length;
    expect(await w.settled(w.say(wang, '静默', w.bot))).toBe('silent');
    expect(w.heard(wang).length).toBe(before);
  });

  it('同一条消息重复推送：只处理一次', async () => {
    const id = w.say(wang, '库存 M6螺母', w.bot);
    expect(await w.settled(id)).toBe('answered');
    w.puppet.emit('message', { messageId: id });
    await until(() => w.outcomes.get(id)?.length === 2, 'redelivery settled');
    expect(w.outcomes.get(id)).toEqual(['answered', 'duplicate']);
    expect(asked.filter((m) => m.messageId === id)).toHaveLength(1);
    expect(w.heard(wang).filter((t) => t === '收到：库存 M6螺母')).toHaveLength(1);
  });

  it('发文字和卡片：按群名 topic:采购群、按群 id、私聊都送到', async () => {
    const byTopic = await w.channel.sendText({ platform: 'wechat', kind: 'group', id: 'topic:采购群' }, '缺料提醒：M8螺栓');
    expect(byTopic).toMatchObject({ platform: 'wechat', target: { id: 'topic:采购群' } });
    expect(byTopic.messageId).not.toBe('');
    await w.channel.sendCard({ platform: 'wechat', kind: 'group', id: purchase.id }, card);
    await w.channel.sendText({ platform: 'wechat', kind: 'user', id: li.id }, '你好，李销售');
    await until(() => w.heard(purchase).includes(renderWechatCard(card)), 'card in room');
    expect(w.heard(purchase)).toContain('缺料提醒：M8螺栓');
    expect(w.heard(li)).toContain('你好，李销售');
  });

  it('卡片渲染成微信文字：金额原样，链接单独一行，按钮不出现；更新时加【更新】', async () => {
    expect(renderWechatCard(card)).toBe([
      '【销售订单 SO-20261122-0001】', '金额：¥1,234.50', '状态：已确认', '交期：11-30', '查看订单：', 'https://erp.example.com/m/#/sales-orders/1', '云桥 · 订单进度',
    ].join('\n'));
    // No PUBLIC_BASE_URL: a relative link cannot be opened from WeChat and is left out.
    expect(renderWechatCard({ ...card, link: { text: '查看订单', url: '/m/#/sales-orders/1' } })).not.toContain('/m/#/');
    const sent = await w.channel.sendCard({ platform: 'wechat', kind: 'group', id: 'topic:采购群' }, card);
    await w.channel.updateCard(sent, { ...card, fields: [{ label: '状态', value: '已发货' }] });
    const update = await until(() => w.heard(purchase).find((t) => t.startsWith('【更新】')), 'update in room');
    expect(update.split('\n').slice(0, 2)).toEqual(['【更新】销售订单 SO-20261122-0001', '状态：已发货']);
  });

  it('找不到的群或联系人：不可重试的 ChannelError', async () => {
    for (const target of [
      { platform: 'wechat' as const, kind: 'group' as const, id: 'topic:没有这个群' },
      { platform: 'wechat' as const, kind: 'group' as const, id: 'nobody@chatroom' },
      { platform: 'wechat' as const, kind: 'user' as const, id: 'wxid_nobody' },
    ]) {
      const err = await w.channel.sendText(target, '你好').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChannelError);
      expect((err as ChannelError).retryable).toBe(false);
    }
  });

  it('还没启动或还没扫码登录：可重试的 ChannelError', async () => {
    const other = wechatWorld();
    const target = { platform: 'wechat' as const, kind: 'group' as const, id: 'topic:采购群' };
    expect(await other.channel.sendText(target, '你好').catch((e: ChannelError) => e.retryable)).toBe(true);
    await other.channel.start(async () => undefined, async () => false);
    try {
      const err = await other.channel.sendText(target, '你好').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChannelError);
      expect((err as ChannelError).retryable).toBe(true);
    } finally {
      await other.channel.stop();
    }
  });

  it('fromConfig：没有 WECHATY_PUPPET 就关闭；有就按包名加载 puppet', async () => {
    expect(WechatChannel.fromConfig(loadConfig({}))).toBeNull();
    const byName = WechatChannel.fromConfig(loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-mock' }))!;
    expect(byName.platform).toBe('wechat');
    await byName.start(async () => undefined, async () => false);
    expect(byName.selfId).toBeNull(); // up, not logged in
    await byName.stop();
  });
});

// ---------------------------------------------------------------- the stories, end to end

describe('微信群：命令与通知（真实数据库）', () => {
  const w = wechatWorld();
  const [wang, li, liu, stranger] = ['王采购', '李销售', '刘销售', '陌生人'].map((n) => w.person(n)) as [Who, Who, Who, Who];
  const purchase = w.room('采购群', [wang, li, liu, stranger]);
  const customerRoom = w.room('北仑港城订单群', [li, liu]);
  const baseUrl = 'https://erp.example.com';
  let t: TestApp;
  let companyId: string;
  let customerId: string;
  let m8: string;
  let orderNumber: string;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: baseUrl, WECHATY_PUPPET: 'wechaty-puppet-mock' });
    const sys = t.database.system;
    companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id; // 李销售的客户
    m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
    await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '30000', unitCost: '0.03' });
    const log = pino({ level: 'silent' });
    await w.channel.start(chatMessageHandler({ database: t.database, config: t.config, log }, new Map([['wechat', w.channel]])), (id) => alreadySeen(sys, 'wechat', id));
    await w.login();
    await sys.companyPlatform.create({ data: { companyId, platform: 'wechat', orgKey: w.channel.selfId! } });
    for (const [username, contact] of [['wang.cg', wang], ['li.xs', li], ['liu.xs', liu]] as const) {
      const user = await sys.user.findFirstOrThrow({ where: { companyId, username } });
      await sys.platformIdentity.create({ data: { companyId, userId: user.id, platform: 'wechat', externalUserId: contact.id } });
    }
    const order = await (await as(t, 'li.xs'))('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: m8, quantity: '2' }] });
    expect(order.status).toBe(201);
    orderNumber = order.body.number;
  });
  afterAll(async () => {
    await w.channel.stop();
    await t?.close();
  });

  const reply = async (id: string) => expect(await w.settled(id)).toBe('answered');

  it('王采购在采购群里 @云桥助手 库存 M8螺栓：群里收到按仓库的库存', async () => {
    await reply(w.say(wang, '@云桥助手\u2005库存 M8螺栓', purchase, [w.bot]));
    const answer = w.heard(purchase).at(-1)!;
    expect(answer).toContain('【库存：M8螺栓】');
    expect(answer).toContain('成品仓：在库 30 箱（30,000 个）');
    expect(answer).toMatch(/\n查看库存明细：\nhttps:\/\/erp\.example\.com\/m\/#\/stock\/[0-9a-f-]+\n/);
  });

  it('李销售在群里问自己的订单：答案私信给他，群里只有一句提示', async () => {
    await reply(w.say(li, `订单 ${orderNumber}`, customerRoom));
    expect(w.heard(customerRoom).at(-1)).toBe('已私信发送给 @李销售');
    const dm = await until(() => w.heard(li).find((m) => m.includes(orderNumber)), 'private answer');
    expect(dm).toContain('¥');
    expect(w.heard(customerRoom).some((m) => m.includes('¥'))).toBe(false);
  });

  it('刘销售问李销售的订单：告诉他找不到或无权查看', async () => {
    await reply(w.say(liu, `@云桥助手 订单 ${orderNumber}`, customerRoom, [w.bot]));
    expect(w.heard(customerRoom).at(-1)).toBe(orderNotFound(orderNumber));
    expect(w.heard(liu).some((m) => m.includes(orderNumber))).toBe(false);
  });

  it('没绑定的人得到绑定链接', async () => {
    await reply(w.say(stranger, '库存 M8螺栓', w.bot));
    expect(w.heard(stranger).at(-1)).toContain(`${baseUrl}/m/#/bind?platform=wechat`);
    expect(w.heard(stranger).at(-1)).not.toBe(REPLIES.unknownOrganisation);
  });

  const deliver = async () => {
    await planDeliveries(t.database, { debounceMs: 0, platforms: ['wechat'], publicBaseUrl: baseUrl });
    return sendDueDeliveries(t.database.system, new Map([['wechat', w.channel]]), { worker: 'test', backoffMs: 1 });
  };

  it('缺料进采购群（topic:采购群），只发一次', async () => {
    const sys = t.database.system;
    await sys.notificationRoute.updateMany({ where: { platform: 'wechat' }, data: { active: false } }); // the seed's demo route
    await sys.notificationRoute.create({ data: { companyId, topic: 'stock.shortage', platform: 'wechat', targetKind: 'group', targetId: 'topic:采购群', name: '采购群' } });
    const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
    const wh01 = await sys.warehouse.findFirstOrThrow({ where: { companyId, code: 'WH01' } });
    const item = await sys.item.create({ data: { companyId, code: 'SHORT-WX-1', name: '微信缺料测试', kind: 'raw', baseUnitId: pcs.id, safetyStock: '10' } });
    await inCompany(t.database.app, companyId, async (tx) => {
      const mc = { companyId, source: { type: 'test', id: 'x' } };
      await receiveStock(tx, { ...mc, kind: 'opening' }, [{ itemId: item.id, warehouseId: wh01.id, quantity: '12', unitCost: '1' }]);
      await issueStock(tx, { ...mc, kind: 'adjustment' }, [{ itemId: item.id, warehouseId: wh01.id, quantity: '5' }]);
    });
    expect((await deliver()).sent).toBe(1);
    const shortage = (m: string) => m.includes('缺料预警：微信缺料测试');
    const notice = await until(() => w.heard(purchase).find(shortage), 'shortage in 采购群');
    // (the ledger's stock.shortage payload carries no unit name yet, so no "个" after the figures)
    expect(notice).toMatch(/\n可用：7( 个)?\n安全库存：10( 个)?\n缺口：3( 个)?\n/);
    expect(notice).toMatch(/\n查看库存：\nhttps:\/\/erp\.example\.com\/m\/#\/stock\/[0-9a-f-]+\n/);
    expect((await deliver()).sent).toBe(0);
    expect(w.heard(purchase).filter(shortage)).toHaveLength(1);
    const row = await sys.noticeDelivery.findFirstOrThrow({ where: { platform: 'wechat', targetId: 'topic:采购群' } });
    expect(row.status).toBe('sent');
  });

  it('订单进度进客户群：新建、确认都送到', async () => {
    const sys = t.database.system;
    await sys.notificationRoute.create({
      data: { companyId, topic: 'order.progress', platform: 'wechat', targetKind: 'group', targetId: 'topic:北仑港城订单群', customerId, name: '北仑港城订单群' },
    });
    const li_ = await as(t, 'li.xs');
    const order = await li_('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: m8, quantity: '3' }] });
    expect(order.status).toBe(201);
    expect((await li_('post', `/api/v1/sales-orders/${order.body.id}/confirm`).send({})).status).toBe(200);
    expect((await deliver()).sent).toBe(2);
    const steps = await until(() => {
      const got = w.heard(customerRoom).filter((m) => m.startsWith(`【销售订单 ${order.body.number}`));
      return got.length === 2 ? got : null;
    }, 'order steps in 客户群');
    expect(steps.map((m) => m.split('\n')[0])).toEqual([`【销售订单 ${order.body.number} · 新建】`, `【销售订单 ${order.body.number} · 确认】`]);
    expect(steps[1]).toContain(`${baseUrl}/m/#/sales-orders/${order.body.id}`);
  });
});
