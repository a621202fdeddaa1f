// 企业微信 adapter: app messages (text, markdown, template_card) to members, app group chats,
// template-card updates by response_code, and group robot webhooks. Endpoints (WECOM_BASE_URL):
//   GET  /cgi-bin/gettoken?corpid=…&corpsecret=…            → {errcode, access_token, expires_in}
//   POST /cgi-bin/message/send?access_token=…               {touser, msgtype, agentid, text|markdown|template_card}
//                                                            → {errcode, msgid, response_code?}
//   POST /cgi-bin/message/update_template_card?access_token=… {userids, agentid, response_code, template_card|button}
//   POST /cgi-bin/appchat/send?access_token=…               {chatid, msgtype, text|markdown}
//   POST /cgi-bin/webhook/send?key=…                         {msgtype, text|markdown}   (group robot, 20/minute)
//   GET  /cgi-bin/auth/getuserinfo?access_token=…&code=…    → {errcode, userid} | {errcode, openid} (docs path 91023 / 98177)
//   GET  /cgi-bin/get_jsapi_ticket?access_token=…            → {errcode, ticket, expires_in}  企业 jsapi_ticket (docs path 90506)
//   GET  /cgi-bin/ticket/get?access_token=…&type=agent_config → {errcode, ticket, expires_in}  应用 jsapi_ticket
// Targets: user → member userid; group → app chat id; group whose id is 'robot:<key>' → that robot.
// Idempotency (SendOptions.idempotencyKey), as far as WeCom supports it (docs 发送应用消息, path 90236):
// - message/send gets `enable_duplicate_check: 1` + `duplicate_check_interval`: WeCom then does not deliver
//   a request whose JSON equals one it took within the interval (default 1800 s, at most 4 h). It compares
//   content, not the key, so it is only asked for when a key is given (a notice re-sent after a crash);
// - a template card's task_id is derived from the key ("同一个应用任务id不能重复"): a re-send carries the
//   same task_id (and the same JSON) and makes no second card. WeCom's docs name no error for a repeated
//   task_id; it is reported to answer errcode 0 and push nothing, so the re-send counts as sent;
// - appchat/send and group robots have no dedupe: a re-send after a crash is at most one duplicate.
// errcode 40014 / 42001 (token invalid / expired) → fetch a new token and try once more;
// HTTP 5xx / 429, errcode 45009 (rate) and -1 (busy), timeouts → ChannelError retryable; other errcodes → not.
import { TokenCache } from '../token-cache.ts';
import crypto from 'node:crypto';
import type { Config } from '../../../server/platform/config.ts';
import { ChannelError, type CardView, type ChannelAdapter, type ChatTarget, type JsapiTicketKind, type PlatformMember, type SentMessage } from '../../../server/platform/channels.ts';
import { renderWecomMarkdown, renderWecomTemplateCard, truncateBytes, WECOM_TEXT_MAX_BYTES, wecomTaskId } from './render.ts';

const TOKEN_CODES = new Set([40014, 42001]);
const RETRYABLE_CODES = new Set([-1, 45009]);
/** auth/getuserinfo: "invalid code" (single use, 5 minutes) */
const INVALID_CODE = 40029;
/** refresh this long before expires_in runs out */
const EXPIRY_MARGIN_MS = 5 * 60_000;
export const ROBOT_PREFIX = 'robot:';

export interface WecomAdapterOptions {
  corpId: string;
  secret: string;
  agentId: number;
  /** WECOM_BASE_URL, e.g. https://qyapi.weixin.qq.com */
  baseUrl: string;
  /** card_action of a template card with neither buttons nor link (the mini-app) */
  fallbackUrl?: string;
  /** PUBLIC_BASE_URL: the only place a card may link to */
  publicBaseUrl?: string;
  timeoutMs?: number;
  now?: () => number;
}

/** duplicate_check_interval sent with an idempotency key: WeCom's default (it allows up to 14400 s). */
export const DUPLICATE_CHECK_INTERVAL_SEC = 1800;

export interface WecomSendOptions {
  /** task_id of a template card is derived from it; message/send requests get enable_duplicate_check */
  idempotencyKey?: string;
}

interface WecomAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  msgid?: string;
  response_code?: string;
  /** auth/getuserinfo: a member */
  userid?: string;
  /** auth/getuserinfo: not a member of the corp */
  openid?: string;
  /** get_jsapi_ticket, ticket/get */
  ticket?: string;
}

type Body = Record<string, unknown>;

/** message/send's duplicate check, asked for only when the send has an idempotency key. */
function dedupe(opts: WecomSendOptions): { enable_duplicate_check?: 1; duplicate_check_interval?: number } {
  return opts.idempotencyKey ? { enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_CHECK_INTERVAL_SEC } : {};
}

/** The robot key of a 'robot:<key>' group target, else null. */
export function robotKey(target: ChatTarget): string | null {
  return target.kind === 'group' && target.id.startsWith(ROBOT_PREFIX) ? target.id.slice(ROBOT_PREFIX.length) : null;
}

export class WecomAdapter implements ChannelAdapter {
  readonly platform = 'wecom' as const;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly tokens: TokenCache;
  /** WeCom limits ticket fetches (400 an hour per corp, 100 per app): one cache per kind */
  private readonly tickets: Record<JsapiTicketKind, TokenCache>;

  constructor(private readonly opts: WecomAdapterOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.tokens = new TokenCache(() => this.fetchToken(), () => this.now(), EXPIRY_MARGIN_MS);
    this.tickets = {
      corp: new TokenCache(() => this.fetchTicket('corp'), () => this.now(), EXPIRY_MARGIN_MS),
      agent: new TokenCache(() => this.fetchTicket('agent'), () => this.now(), EXPIRY_MARGIN_MS),
    };
  }

  /** null when WECOM_CORP_ID / WECOM_SECRET / WECOM_AGENT_ID are absent (the platform is off). */
  static fromConfig(config: Config, opts: Partial<WecomAdapterOptions> = {}): WecomAdapter | null {
    const agentId = Number(config.WECOM_AGENT_ID);
    if (!config.WECOM_CORP_ID || !config.WECOM_SECRET || !Number.isInteger(agentId)) return null;
    const fallbackUrl = config.PUBLIC_BASE_URL ? `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/m/` : undefined;
    return new WecomAdapter({ corpId: config.WECOM_CORP_ID, secret: config.WECOM_SECRET, agentId, baseUrl: config.WECOM_BASE_URL, fallbackUrl, publicBaseUrl: config.PUBLIC_BASE_URL, ...opts });
  }

  async sendText(target: ChatTarget, text: string, opts: WecomSendOptions = {}): Promise<SentMessage> {
    return this.sendSimple(target, 'text', { content: truncateBytes(text, WECOM_TEXT_MAX_BYTES) }, opts);
  }

  async sendMarkdown(target: ChatTarget, content: string, opts: WecomSendOptions = {}): Promise<SentMessage> {
    return this.sendSimple(target, 'markdown', { content }, opts);
  }

  /** A member gets a template_card; app group chats and robots get the card as markdown. */
  async sendCard(target: ChatTarget, card: CardView, opts: WecomSendOptions = {}): Promise<SentMessage> {
    if (target.kind === 'group') return this.sendMarkdown(target, renderWecomMarkdown(card, { publicBaseUrl: this.opts.publicBaseUrl }), opts);
    const templateCard = renderWecomTemplateCard(card, { taskId: wecomTaskId(opts.idempotencyKey), fallbackUrl: this.opts.fallbackUrl, publicBaseUrl: this.opts.publicBaseUrl });
    if (!templateCard) return this.sendMarkdown(target, renderWecomMarkdown(card, { publicBaseUrl: this.opts.publicBaseUrl }), opts);
    const body = { touser: target.id, msgtype: 'template_card', agentid: this.opts.agentId, template_card: templateCard, ...dedupe(opts) };
    const answer = await this.call('POST', '/cgi-bin/message/send', body);
    return { platform: 'wecom', target, messageId: answer.msgid ?? '', ...(answer.response_code ? { responseCode: answer.response_code } : {}) };
  }

  /**
   * A member's template card is replaced through update_template_card with `sent.responseCode`
   * (single use, 72 h; a click's callback brings a fresh one). Robots and app group chats cannot
   * edit a message: the new version is sent as a new markdown message.
   */
  async updateCard(sent: SentMessage, card: CardView): Promise<void> {
    if (sent.target.kind === 'group') {
      await this.sendMarkdown(sent.target, renderWecomMarkdown(card, { publicBaseUrl: this.opts.publicBaseUrl }));
      return;
    }
    if (!sent.responseCode) throw new ChannelError('企业微信模板卡片没有可用的 response_code，无法更新', false);
    await this.updateTemplateCard(sent.responseCode, [sent.target.id], card);
  }

  /** update_template_card: the whole card for these members (response_code from the send or a click). */
  async updateTemplateCard(responseCode: string, userIds: string[], card: CardView): Promise<void> {
    const templateCard = renderWecomTemplateCard(card, { taskId: wecomTaskId(), fallbackUrl: this.opts.fallbackUrl, publicBaseUrl: this.opts.publicBaseUrl });
    if (!templateCard) throw new ChannelError('卡片既无按钮也无链接，且未配置 PUBLIC_BASE_URL：无法生成企业微信模板卡片', false);
    await this.call('POST', '/cgi-bin/message/update_template_card', { userids: userIds, agentid: this.opts.agentId, response_code: responseCode, template_card: templateCard });
  }

  /** update_template_card: only turn the buttons grey with this text. */
  async replaceButton(responseCode: string, userIds: string[], replaceName: string): Promise<void> {
    await this.call('POST', '/cgi-bin/message/update_template_card', { userids: userIds, agentid: this.opts.agentId, response_code: responseCode, button: { replace_name: replaceName } });
  }

  /**
   * Sign-in from the mini-app opened inside WeCom: the OAuth / JS-SDK code (single use, 5 minutes) →
   * the member's userid. A visitor who is not a member of the corp only has an openid: refused. A code is
   * exchanged with this corp's access_token and only works for its members: the corp is ours.
   */
  async memberFromAuthCode(code: string): Promise<PlatformMember> {
    if (!code) throw new ChannelError('企业微信登录码为空', false);
    const answer = await this.call('GET', '/cgi-bin/auth/getuserinfo', undefined, { code });
    if (answer.userid) return { userId: answer.userid, orgKey: this.opts.corpId };
    if (answer.openid) throw new ChannelError('这个企业微信账号不是本企业成员（企业微信只给出了 openid），不能登录云桥', false);
    throw new ChannelError('企业微信没有返回成员 userid', false);
  }

  /** Forget the cached access_token (the next call fetches a new one). */
  invalidateToken(): void {
    this.tokens.invalidate();
  }

  /** 企业 (corp, for wx.config) or 应用 (agent, for agentConfig) jsapi_ticket, cached. */
  jsapiTicket(kind: JsapiTicketKind = 'corp'): Promise<string> {
    return this.tickets[kind].get();
  }

  private async fetchTicket(kind: JsapiTicketKind): Promise<{ token: string; lifetimeMs: number }> {
    const answer = kind === 'corp' ? await this.call('GET', '/cgi-bin/get_jsapi_ticket') : await this.call('GET', '/cgi-bin/ticket/get', undefined, { type: 'agent_config' });
    if (!answer.ticket) throw new ChannelError('企业微信没有返回 jsapi_ticket', true);
    return { token: answer.ticket, lifetimeMs: (answer.expires_in ?? 0) * 1000 };
  }

  private async sendSimple(target: ChatTarget, msgtype: 'text' | 'markdown', content: { content: string }, opts: WecomSendOptions): Promise<SentMessage> {
    const key = robotKey(target);
    if (key !== null) {
      await this.robot(key, { msgtype, [msgtype]: content });
      return { platform: 'wecom', target, messageId: `robot-${crypto.randomUUID()}` };
    }
    const answer =
      target.kind === 'group'
        ? await this.call('POST', '/cgi-bin/appchat/send', { chatid: target.id, msgtype, [msgtype]: content })
        : await this.call('POST', '/cgi-bin/message/send', { touser: target.id, msgtype, agentid: this.opts.agentId, [msgtype]: content, ...dedupe(opts) });
    return { platform: 'wecom', target, messageId: answer.msgid ?? '' };
  }

  private async robot(key: string, body: Body): Promise<void> {
    const path = '/cgi-bin/webhook/send';
    const { status, answer } = await this.request('POST', `${path}?key=${encodeURIComponent(key)}`, body);
    if (answer.errcode !== 0 || status >= 400) throw this.failure(path, status, answer);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: Body, query: Record<string, string> = {}): Promise<WecomAnswer> {
    const extra = Object.entries(query).map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('');
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      const { status, answer } = await this.request(method, `${path}?access_token=${encodeURIComponent(token)}${extra}`, body);
      if (answer.errcode === 0 && status < 400) return answer;
      if (TOKEN_CODES.has(answer.errcode ?? 0) && attempt === 0) {
        this.tokens.invalidate(token);
        continue;
      }
      throw this.failure(path, status, answer);
    }
  }

  private token(): Promise<string> {
    return this.tokens.get();
  }

  private async fetchToken(): Promise<{ token: string; lifetimeMs: number }> {
    const path = '/cgi-bin/gettoken';
    const query = `?corpid=${encodeURIComponent(this.opts.corpId)}&corpsecret=${encodeURIComponent(this.opts.secret)}`;
    const { status, answer } = await this.request('GET', path + query);
    if (answer.errcode !== 0 || !answer.access_token || status >= 400) throw this.failure(path, status, answer);
    return { token: answer.access_token, lifetimeMs: (answer.expires_in ?? 0) * 1000 };
  }

  private async request(method: 'GET' | 'POST', pathAndQuery: string, body?: Body): Promise<{ status: number; answer: WecomAnswer }> {
    const path = pathAndQuery.split('?')[0]!;
    let res: Response;
    try {
      res = await fetch(this.baseUrl + pathAndQuery, {
        method,
        headers: body ? { 'content-type': 'application/json; charset=utf-8' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const reason = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? '超时' : '网络错误';
      throw new ChannelError(`企业微信接口 ${path} ${reason}: ${e instanceof Error ? e.message : String(e)}`, true);
    }
    const text = await res.text();
    let answer: WecomAnswer;
    try {
      answer = text ? (JSON.parse(text) as WecomAnswer) : {};
    } catch {
      answer = { errmsg: text.slice(0, 200) };
    }
    return { status: res.status, answer };
  }

  private failure(path: string, status: number, answer: WecomAnswer): ChannelError {
    const code = answer.errcode;
    if (code === INVALID_CODE) return new ChannelError(`企业微信登录码无效、已用过或已过期 (errcode ${code})`, false, status);
    const retryable = status >= 500 || status === 429 || RETRYABLE_CODES.has(code ?? 0);
    return new ChannelError(`企业微信接口 ${path} 失败 (HTTP ${status}, errcode ${code ?? '无'}): ${answer.errmsg ?? ''}`.trim(), retryable, status);
  }
}
