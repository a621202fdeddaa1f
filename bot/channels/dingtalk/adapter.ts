// 钉钉 adapter: app access token, interactive cards, robot text messages, custom group robots.
// Endpoints and bodies as in the official SDK (github.com/aliyun/dingtalk-sdk, dingtalk/ts/src/
// {oauth2_1_0,card_1_0,robot_1_0}/client.ts); every v1.0 call carries `x-acs-dingtalk-access-token`:
//   POST {BASE}/v1.0/oauth2/accessToken {appKey, appSecret} → {accessToken, expireIn}
//   POST {BASE}/v1.0/card/instances/createAndDeliver {cardTemplateId, outTrackId, cardData:{cardParamMap},
//        openSpaceId 'dtv1.card//IM_GROUP.<openConversationId>' | 'dtv1.card//IM_ROBOT.<userId>',
//        imGroupOpenSpaceModel + imGroupOpenDeliverModel{robotCode} | imRobotOpenSpaceModel + imRobotOpenDeliverModel{spaceType:'IM_ROBOT', robotCode}}
//   PUT  {BASE}/v1.0/card/instances {outTrackId, cardData:{cardParamMap}, cardUpdateOptions:{updateCardDataByKey}}
//   POST {BASE}/v1.0/robot/oToMessages/batchSend {robotCode, userIds, msgKey, msgParam} → {processQueryKey, invalidStaffIdList, flowControlledStaffIdList}
//   POST {BASE}/v1.0/robot/groupMessages/send {robotCode, openConversationId, msgKey, msgParam} → {processQueryKey}
//   POST {OAPI}/robot/send?access_token&timestamp&sign (custom group robot, see robot.ts) → {errcode, errmsg}
//   GET  {OAPI}/get_jsapi_ticket?access_token=… → {errcode, errmsg, ticket, expires_in} (JS-API 鉴权: dd.config)
//   POST {OAPI}/topapi/v2/user/getuserinfo?access_token=… {code} → {errcode, errmsg, result:{userid, name, unionid…}}
//        (通过免登码获取用户信息: the internal app's access token; the v1.0 accessToken above is the current way to
//        obtain that same token — the older GET /gettoken?appkey&appsecret returns it too)
// Idempotency: a card's outTrackId is derived from SendOptions.idempotencyKey. The official SDK describes
// outTrackId as "卡片幂等ID … 同一个outTrackId重复创建，卡片数据不覆盖更新" (dingtalkim_1_0 interactive-card models;
// the card_1_0 createAndDeliver reference names no error for a repeat): a re-send makes no second card. Robot
// messages (oToMessages / groupMessages / custom robots) have no dedupe key: a re-send is at most one duplicate.
// Targets: kind 'user' → userId (staff id); kind 'group' → openConversationId, or `robot:<token>[:<secret>]`
// for a custom group robot. Errors: 5xx, 429, throttling codes, timeouts → ChannelError retryable;
// other 4xx → not retryable; `InvalidAuthentication` → one fresh token, then once more.
import { TokenCache } from '../token-cache.ts';
import crypto from 'node:crypto';
import type { Config } from '../../../server/platform/config.ts';
import { ChannelError, type CardView, type ChannelAdapter, type ChatTarget, type PlatformMember, type SentMessage } from '../../../server/platform/channels.ts';
import { renderCardParamMap, renderRobotCard, renderSampleMarkdown, type RobotMessage } from './render.ts';
import { parseRobotTarget, signedRobotUrl, type RobotTarget } from './robot.ts';

/** refresh this long before expireIn runs out */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/** custom robot errcodes that mean "later": 130101 send too fast (20/min), 410100 flow control */
const ROBOT_RETRY_CODES = new Set([130101, 410100]);
/** oapi errcodes: token bad / expired (fetch a new one once), system busy (retryable), unknown auth code */
const OAPI_TOKEN_CODES = new Set([40001, 40014, 42001]);
const OAPI_BUSY = -1;
const OAPI_UNKNOWN_AUTH_CODE = 40078;

export interface DingTalkAdapterOptions {
  appKey: string;
  appSecret: string;
  /** for an internal app's robot the robotCode equals the app key */
  robotCode: string;
  /** without one, cards go out as sampleMarkdown robot messages (not updatable) */
  cardTemplateId?: string;
  /** DINGTALK_BASE_URL */
  baseUrl: string;
  /** DINGTALK_OAPI_BASE_URL (custom robots) */
  oapiBaseUrl: string;
  /** registered with /v1.0/card/callbacks/register; sets callbackType HTTP on created cards */
  callbackRouteKey?: string;
  /** DINGTALK_CORP_ID: the corp this internal app is installed in (its 免登 codes come from there) */
  corpId?: string;
  timeoutMs?: number;
  now?: () => number;
  /** PUBLIC_BASE_URL: the only place a card may link to */
  publicBaseUrl?: string;
}

export interface DingTalkSendOptions {
  /** a card's outTrackId is derived from it, so a repeated send cannot create a second card */
  idempotencyKey?: string;
}

interface ApiError {
  code?: string;
  message?: string;
}

/** outTrackId for a send: stable for an idempotency key, random otherwise. */
export function outTrackIdFor(key?: string): string {
  return key ? `yq_${crypto.createHash('sha256').update(key).digest('hex').slice(0, 40)}` : `yq_${crypto.randomUUID().replace(/-/g, '')}`;
}

export class DingTalkAdapter implements ChannelAdapter {
  readonly platform = 'dingtalk' as const;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly tokens: TokenCache;
  private readonly ticket: TokenCache;

  private get renderOptions() {
    return { publicBaseUrl: this.opts.publicBaseUrl };
  }

  constructor(private readonly opts: DingTalkAdapterOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.tokens = new TokenCache(() => this.fetchToken(), () => this.now(), EXPIRY_MARGIN_MS);
    this.ticket = new TokenCache(() => this.fetchTicket(), () => this.now(), EXPIRY_MARGIN_MS);
  }

  /** null when DINGTALK_APP_KEY / DINGTALK_APP_SECRET are absent (the platform is off). */
  static fromConfig(config: Config, extra: Partial<DingTalkAdapterOptions> = {}): DingTalkAdapter | null {
    if (!config.DINGTALK_APP_KEY || !config.DINGTALK_APP_SECRET) return null;
    return new DingTalkAdapter({
      appKey: config.DINGTALK_APP_KEY,
      appSecret: config.DINGTALK_APP_SECRET,
      robotCode: config.DINGTALK_ROBOT_CODE ?? config.DINGTALK_APP_KEY,
      cardTemplateId: config.DINGTALK_CARD_TEMPLATE_ID,
      callbackRouteKey: config.DINGTALK_CARD_CALLBACK_ROUTE_KEY,
      baseUrl: config.DINGTALK_BASE_URL,
      oapiBaseUrl: config.DINGTALK_OAPI_BASE_URL,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      corpId: config.DINGTALK_CORP_ID,
      ...extra,
    });
  }

  async sendText(target: ChatTarget, text: string): Promise<SentMessage> {
    const robot = parseRobotTarget(target.id);
    if (robot) return this.sendRobot(target, robot, { msgtype: 'text', text: { content: text } });
    return this.sendRobotApi(target, 'sampleText', { content: text });
  }

  async sendCard(target: ChatTarget, card: CardView, opts: DingTalkSendOptions = {}): Promise<SentMessage> {
    const robot = parseRobotTarget(target.id);
    if (robot) return this.sendRobot(target, robot, renderRobotCard(card, this.renderOptions));
    if (!this.opts.cardTemplateId) return this.sendRobotApi(target, 'sampleMarkdown', renderSampleMarkdown(card, this.renderOptions));
    const outTrackId = outTrackIdFor(opts.idempotencyKey);
    const body: Record<string, unknown> = {
      cardTemplateId: this.opts.cardTemplateId,
      outTrackId,
      cardData: { cardParamMap: renderCardParamMap(card, this.renderOptions) },
      userIdType: 1,
    };
    if (this.opts.callbackRouteKey) Object.assign(body, { callbackType: 'HTTP', callbackRouteKey: this.opts.callbackRouteKey });
    if (target.kind === 'group') {
      Object.assign(body, {
        openSpaceId: `dtv1.card//IM_GROUP.${target.id}`,
        imGroupOpenSpaceModel: { supportForward: true },
        imGroupOpenDeliverModel: { robotCode: this.opts.robotCode },
      });
    } else {
      Object.assign(body, {
        openSpaceId: `dtv1.card//IM_ROBOT.${target.id}`,
        imRobotOpenSpaceModel: { supportForward: true },
        imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: this.opts.robotCode },
      });
    }
    const res = (await this.api('POST', '/v1.0/card/instances/createAndDeliver', body)) as {
      success?: boolean;
      result?: { outTrackId?: string; deliverResults?: { success?: boolean; errorMsg?: string }[] };
    };
    const failed = res.result?.deliverResults?.find((d) => d.success === false);
    if (failed) throw new ChannelError(`钉钉卡片投放失败: ${failed.errorMsg ?? '未知原因'}`, false);
    return { platform: 'dingtalk', target, messageId: res.result?.outTrackId ?? outTrackId };
  }

  async updateCard(sent: SentMessage, card: CardView): Promise<void> {
    if (parseRobotTarget(sent.target.id)) throw new ChannelError('自定义机器人发出的消息不能更新', false);
    await this.api('PUT', '/v1.0/card/instances', {
      outTrackId: sent.messageId,
      cardData: { cardParamMap: renderCardParamMap(card, this.renderOptions) },
      cardUpdateOptions: { updateCardDataByKey: true },
      userIdType: 1,
    });
  }

  /**
   * 免登: the H5 micro-app's code from dd.runtime.permission.requestAuthCode (single use, 5 minutes) → the
   * member's userId. Unknown or used codes (errcode 40078) are not retryable. getuserinfo does not name
   * the corp: an internal app's codes come from its own corp, when configured.
   */
  async memberFromAuthCode(code: string): Promise<PlatformMember> {
    if (!code) throw new ChannelError('钉钉免登码为空', false);
    const base = this.opts.oapiBaseUrl.replace(/\/+$/, '');
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      const url = `${base}/topapi/v2/user/getuserinfo?access_token=${encodeURIComponent(token)}`;
      const res = await this.fetchJson(url, 'POST', { 'Content-Type': 'application/json' }, { code });
      if (!res.ok) throw statusError(res.status, res.body as ApiError, '钉钉免登');
      const body = (res.body ?? {}) as { errcode?: number; errmsg?: string; result?: { userid?: string } };
      if (body.errcode === 0 && body.result?.userid) return { userId: body.result.userid, orgKey: this.opts.corpId ?? null };
      if (OAPI_TOKEN_CODES.has(Number(body.errcode)) && attempt === 0) {
        this.tokens.invalidate(token);
        continue;
      }
      if (body.errcode === OAPI_UNKNOWN_AUTH_CODE) throw new ChannelError('钉钉免登码无效、已用过或已过期 (errcode 40078)', false);
      throw new ChannelError(`钉钉免登失败: ${body.errcode ?? '无 errcode'} ${body.errmsg ?? ''}`.trim(), body.errcode === OAPI_BUSY);
    }
  }

  /** The app's jsapi ticket for dd.config, cached until shortly before it expires. */
  jsapiTicket(): Promise<string> {
    return this.ticket.get();
  }

  private async fetchTicket(): Promise<{ token: string; lifetimeMs: number }> {
    const base = this.opts.oapiBaseUrl.replace(/\/+$/, '');
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      const res = await this.fetchJson(`${base}/get_jsapi_ticket?access_token=${encodeURIComponent(token)}`, 'GET', {}, undefined);
      if (!res.ok) throw statusError(res.status, res.body as ApiError, '钉钉 jsapi_ticket');
      const body = (res.body ?? {}) as { errcode?: number; errmsg?: string; ticket?: string; expires_in?: number };
      if (body.errcode === 0 && body.ticket) return { token: body.ticket, lifetimeMs: (body.expires_in ?? 7200) * 1000 };
      if (OAPI_TOKEN_CODES.has(Number(body.errcode)) && attempt === 0) {
        this.tokens.invalidate(token);
        continue;
      }
      throw new ChannelError(`钉钉 jsapi_ticket 获取失败: ${body.errcode ?? '无 errcode'} ${body.errmsg ?? ''}`.trim(), body.errcode === OAPI_BUSY);
    }
  }

  /** App robot: 1:1 (oToMessages/batchSend) or group (groupMessages/send); messageId = processQueryKey. */
  private async sendRobotApi(target: ChatTarget, msgKey: string, msgParam: Record<string, string>): Promise<SentMessage> {
    const common = { robotCode: this.opts.robotCode, msgKey, msgParam: JSON.stringify(msgParam) };
    if (target.kind === 'group') {
      const res = (await this.api('POST', '/v1.0/robot/groupMessages/send', { ...common, openConversationId: target.id })) as { processQueryKey?: string };
      return { platform: 'dingtalk', target, messageId: res.processQueryKey ?? '' };
    }
    const res = (await this.api('POST', '/v1.0/robot/oToMessages/batchSend', { ...common, userIds: [target.id] })) as {
      processQueryKey?: string;
      invalidStaffIdList?: string[];
      flowControlledStaffIdList?: string[];
    };
    if (res.invalidStaffIdList?.includes(target.id)) throw new ChannelError(`钉钉用户 ${target.id} 无效`, false);
    if (res.flowControlledStaffIdList?.includes(target.id)) throw new ChannelError(`发给钉钉用户 ${target.id} 的消息被限流`, true);
    return { platform: 'dingtalk', target, messageId: res.processQueryKey ?? '' };
  }

  /** Custom group robot webhook (signed when it has a secret). */
  private async sendRobot(target: ChatTarget, robot: RobotTarget, message: RobotMessage): Promise<SentMessage> {
    const url = signedRobotUrl(this.opts.oapiBaseUrl, robot, this.now());
    const res = await this.fetchJson(url, 'POST', { 'Content-Type': 'application/json' }, message);
    if (!res.ok) throw statusError(res.status, res.body as ApiError, '钉钉自定义机器人');
    const body = res.body as { errcode?: number; errmsg?: string };
    if (body.errcode !== 0) {
      throw new ChannelError(`钉钉自定义机器人发送失败: ${body.errcode} ${body.errmsg ?? ''}`.trim(), ROBOT_RETRY_CODES.has(Number(body.errcode)));
    }
    return { platform: 'dingtalk', target, messageId: `robot_${crypto.randomUUID().replace(/-/g, '')}` };
  }

  /** A v1.0 API call with the app token; one retry with a fresh token when DingTalk rejects it. */
  private async api(method: string, path: string, body: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      const res = await this.fetchJson(`${this.baseUrl}${path}`, method, { 'Content-Type': 'application/json', 'x-acs-dingtalk-access-token': token }, body);
      if (res.ok) return res.body;
      const err = (res.body ?? {}) as ApiError;
      if (attempt === 0 && (err.code === 'InvalidAuthentication' || res.status === 401)) {
        this.tokens.invalidate(token);
        continue;
      }
      throw statusError(res.status, err, `钉钉 ${path}`);
    }
  }

  /** The app access token, cached until shortly before it expires; concurrent callers share one request. */
  token(): Promise<string> {
    return this.tokens.get();
  }

  private async fetchToken(): Promise<{ token: string; lifetimeMs: number }> {
    const res = await this.fetchJson(`${this.baseUrl}/v1.0/oauth2/accessToken`, 'POST', { 'Content-Type': 'application/json' }, {
      appKey: this.opts.appKey,
      appSecret: this.opts.appSecret,
    });
    const body = (res.body ?? {}) as { accessToken?: string; expireIn?: number } & ApiError;
    if (!res.ok || !body.accessToken) throw statusError(res.status, body, '钉钉 accessToken');
    return { token: body.accessToken, lifetimeMs: (body.expireIn ?? 7200) * 1000 };
  }

  private async fetchJson(url: string, method: string, headers: Record<string, string>, body: unknown): Promise<{ ok: boolean; status: number; body: unknown }> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method, headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
    } catch (e) {
      throw new ChannelError(`钉钉请求失败: ${(e as Error).message}`, true);
    }
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      if (res.ok) throw new ChannelError(`钉钉返回的不是 JSON (HTTP ${res.status})`, true, res.status);
    }
    return { ok: res.ok, status: res.status, body: parsed };
  }
}

/** HTTP failure → ChannelError: 5xx / 429 / throttling retryable, other 4xx not. */
function statusError(status: number, err: ApiError | undefined, what: string): ChannelError {
  const code = err?.code ?? '';
  const throttled = /QpsLimit|Throttl|FlowControl|RateLimit/i.test(code);
  const retryable = status >= 500 || status === 429 || throttled;
  return new ChannelError(`${what} 失败: HTTP ${status}${code ? ` ${code}` : ''}${err?.message ? ` ${err.message}` : ''}`, retryable, status);
}
