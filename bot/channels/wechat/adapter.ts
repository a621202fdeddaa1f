// 微信群 through wechaty: the bot is a WeChat account logged in through a puppet (WECHATY_PUPPET,
// e.g. wechaty-puppet-service with WECHATY_PUPPET_TOKEN; tests inject a wechaty-puppet-mock).
// Inbound: group messages that @-mention the bot or are commands, and every 1:1 text, answered in
// the same chat. Outbound: text only (cards rendered as text), to a room by id or by its topic
// ('topic:<群名>'), or to a contact by id. WeChat cannot edit a sent message: an updated card is
// sent again, marked 【更新】. There is no idempotency key: a re-send after a crash between send
// and mark is at most one duplicate.
import crypto from 'node:crypto';
import path from 'node:path';
import { qrcodeValueToImageUrl, WechatyBuilder, type Contact, type Message, type Room, type Wechaty, type WechatyOptions } from 'wechaty';
import type { impls } from 'wechaty-puppet';
import type { Config } from '../../../server/platform/config.ts';
import { ChannelError, type CardView, type ChannelAdapter, type ChatTarget, type InboundMessage, type SentMessage } from '../../../server/platform/channels.ts';
import { toInbound, type WechatSkip } from './inbound.ts';
import { handleOnce, type InboundClaims } from '../../inbound.ts';
import { renderWechatCard, wechatText } from './render.ts';

/** a group target naming the room by its topic (群名) instead of its id */
export const TOPIC_PREFIX = 'topic:';

export interface WechatLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WechatDeps {
  log?: WechatLog;
  onLogin?: (selfId: string) => void | Promise<void>;
}

export interface WechatChannelOptions {
  /** the puppet package (WECHATY_PUPPET) or a ready puppet instance (tests: new PuppetMock({ mocker })) */
  puppet: string | impls.PuppetInterface;
  /** WECHATY_PUPPET_TOKEN, passed to a puppet given by name */
  token?: string;
  /** WECHATY_BOT_NAME: "@云桥助手" is how people address the bot in a group */
  botName?: string;
  /** wechaty's name: with one, the login session is kept in `<name>.memory-card.json` in the working directory */
  name?: string;
  log?: WechatLog;
  /** the bot logged in: its own WeChat id (register it as the company's org key) */
  onLogin?: (selfId: string) => void | Promise<void>;
  /** called once per message the listener finished with (tests wait on it; logs say the same) */
  onSettled?: (messageId: string, outcome: WechatOutcome) => void;
}

export type WechatOutcome = WechatSkip | 'duplicate' | 'answered' | 'silent' | 'failed';

export type WechatOnMessage = (msg: InboundMessage) => Promise<{ text?: string } | void>;
/** The inbound claims (bot/inbound.ts), or only the `seen` half of them. */
export type WechatSeen = ((messageId: string) => Promise<boolean>) | InboundClaims;

const silentLog: WechatLog = { debug() {}, info() {}, warn() {}, error() {} };
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class WechatChannel implements ChannelAdapter {
  readonly platform = 'wechat' as const;
  private readonly botName: string;
  private readonly log: WechatLog;
  private bot: Wechaty | null = null;

  constructor(private readonly opts: WechatChannelOptions) {
    this.botName = opts.botName ?? '云桥助手';
    this.log = opts.log ?? silentLog;
  }

  /** null when WECHATY_PUPPET is not set (the platform is off). */
  static fromConfig(config: Config, deps: WechatDeps = {}): WechatChannel | null {
    if (!config.WECHATY_PUPPET) return null;
    return new WechatChannel({
      puppet: config.WECHATY_PUPPET, token: config.WECHATY_PUPPET_TOKEN, botName: config.WECHATY_BOT_NAME, log: deps.log, onLogin: deps.onLogin,
      // keeps the login session across restarts: <DATA_DIR>/wechaty.memory-card.json
      name: path.resolve(config.DATA_DIR, 'wechaty'),
    });
  }

  /** The bot's own WeChat id once logged in (the company_platform org_key for 'wechat'), else null. */
  get selfId(): string | null {
    const bot = this.bot;
    return bot && loggedIn(bot) ? bot.currentUser.id : null;
  }

  /** Starts the puppet and listens; resolves once the puppet is up (logging in may come later: a QR code is logged). */
  async start(onMessage: WechatOnMessage, seen: WechatSeen): Promise<void> {
    if (this.bot) return;
    const bot = WechatyBuilder.build(this.wechatyOptions());
    bot.on('error', (e) => this.log.warn({ err: e }, '微信：wechaty 报错'));
    bot.on('scan', (qrcode, status) => this.log.info({ status, qrcode, image: qrcodeValueToImageUrl(qrcode) }, '微信：请用机器人微信号扫码登录'));
    bot.on('login', (user) => {
      this.log.info({ id: user.id, name: user.name() }, '微信：机器人已登录（company_platform 的 org_key 用这个 id）');
      void Promise.resolve(this.opts.onLogin?.(user.id)).catch((e: unknown) => this.log.error({ err: e }, '微信：登记机器人所属公司失败'));
    });
    bot.on('logout', (user) => this.log.warn({ id: user.id }, '微信：机器人已退出登录'));
    bot.on('message', (message) => this.handle(bot, message, onMessage, seen));
    this.bot = bot;
    try {
      await bot.start();
    } catch (e) {
      this.bot = null;
      throw e;
    }
  }

  async stop(): Promise<void> {
    const bot = this.bot;
    this.bot = null;
    if (bot) await bot.stop();
  }

  async sendText(target: ChatTarget, text: string): Promise<SentMessage> {
    const body = wechatText(text);
    if (!body) throw new ChannelError('微信：消息内容为空', false);
    const bot = this.loggedInBot();
    const conversation = await this.conversation(bot, target);
    let sent: Message | void;
    try {
      sent = await conversation.say(body);
    } catch (e) {
      throw new ChannelError(`微信：发送失败（${reason(e)}）`, true);
    }
    return { platform: 'wechat', target, messageId: sent?.id ?? `wechat-${crypto.randomUUID()}` };
  }

  async sendCard(target: ChatTarget, card: CardView): Promise<SentMessage> {
    return this.sendText(target, renderWechatCard(card));
  }

  /** WeChat cannot edit a sent message: the updated card goes to the same chat as a new one, marked 【更新】. */
  async updateCard(sent: SentMessage, card: CardView): Promise<void> {
    await this.sendText(sent.target, renderWechatCard(card, { update: true }));
  }

  private wechatyOptions(): WechatyOptions {
    const { puppet, token, name } = this.opts;
    if (typeof puppet !== 'string') return { puppet, ...(name ? { name } : {}) };
    // Any puppet package name is accepted (wechaty imports it); its type lists only the official ones.
    const byName = { puppet, puppetOptions: token ? { token } : {}, ...(name ? { name } : {}) };
    return byName as WechatyOptions;
  }

  private loggedInBot(): Wechaty {
    const bot = this.bot;
    if (!bot) throw new ChannelError('微信：机器人未启动', true);
    if (!loggedIn(bot)) throw new ChannelError('微信：机器人尚未登录（请扫码登录）', true);
    return bot;
  }

  private async conversation(bot: Wechaty, target: ChatTarget): Promise<Room | Contact> {
    if (target.kind === 'group') {
      const byTopic = target.id.startsWith(TOPIC_PREFIX);
      const topic = target.id.slice(TOPIC_PREFIX.length);
      const room = byTopic ? (topic ? await bot.Room.find({ topic }) : undefined) : await bot.Room.find({ id: target.id });
      if (!room) throw new ChannelError(byTopic ? `微信：机器人不在名为「${topic}」的群里` : `微信：找不到群 ${target.id}`, false);
      return room;
    }
    const contact = await bot.Contact.find({ id: target.id });
    if (!contact) throw new ChannelError(`微信：找不到联系人 ${target.id}`, false);
    if (contact.friend() === false) throw new ChannelError(`微信：${contact.name() || target.id} 还不是机器人的好友，无法私信`, false);
    return contact;
  }

  /** The message listener: never throws (a failure is logged and the message is settled as failed). */
  private async handle(bot: Wechaty, message: Message, onMessage: WechatOnMessage, seen: WechatSeen): Promise<void> {
    let outcome: WechatOutcome = 'failed';
    try {
      outcome = await this.answer(bot, message, onMessage, seen);
    } catch (e) {
      this.log.error({ err: e, messageId: message.id }, '微信：处理消息失败');
    }
    this.log.debug({ messageId: message.id, outcome }, '微信：消息已处理');
    this.opts.onSettled?.(message.id, outcome);
  }

  private async answer(bot: Wechaty, message: Message, onMessage: WechatOnMessage, seen: WechatSeen): Promise<WechatOutcome> {
    const inbound = await toInbound(bot, message, this.botName);
    if (typeof inbound === 'string') return inbound;
    const claims = typeof seen === 'function' ? { seen } : seen;
    // claim, answer, release on failure: the same rule as every platform's callbacks
    const once = await handleOnce(claims, inbound.messageId, async (): Promise<WechatOutcome> => {
      const reply = await onMessage(inbound);
      const text = reply?.text ? wechatText(reply.text) : '';
      if (!text) return 'silent';
      const room = message.room();
      await (room ? room.say(text) : message.talker().say(text));
      return 'answered';
    });
    return once.duplicate ? 'duplicate' : once.result;
  }
}

function loggedIn(bot: Wechaty): boolean {
  try {
    return bot.isLoggedIn;
  } catch {
    return false;
  }
}
