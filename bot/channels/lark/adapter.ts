// 飞书 (Feishu/Lark) adapter on `@larksuiteoapi/node-sdk`, its domain at LARK_BASE_URL:
//   client.auth.tenantAccessToken.internal  POST  /open-apis/auth/v3/tenant_access_token/internal
//   client.im.message.create                POST  /open-apis/im/v1/messages?receive_id_type=chat_id|open_id
//   client.im.message.patch                 PATCH /open-apis/im/v1/messages/:message_id
//   client.im.message.reply                 POST  /open-apis/im/v1/messages/:message_id/reply
//   sign-in from the mini-app opened in Feishu (tt.requestAccess → code):
//   client.request                          POST  /open-apis/authen/v2/oauth/token → user_access_token
//   client.authen.userInfo.get              GET   /open-apis/authen/v1/user_info   → open_id
//   JS-SDK (h5sdk.config): client.request   POST  /open-apis/jssdk/ticket/get      → data {ticket, expire_in} (tenant token)
// The tenant token is ours (TokenCache: one fetch shared by concurrent sends, refreshed 3 minutes
// before `expire`, dropped and re-fetched once when Feishu calls it invalid) and handed to each
// call with lark.withTenantToken; see sdk.ts for why the SDK's own cache is off.
import crypto from 'node:crypto';
import type * as Lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../../../server/platform/config.ts';
import { ChannelError, type CardView, type ChannelAdapter, type ChatTarget, type PlatformMember, type SentMessage } from '../../../server/platform/channels.ts';
import { TokenCache } from '../token-cache.ts';
import { larkTextContent, renderLarkCard } from './render.ts';
import { createLarkClient, isOk, larkAnswer, larkFailure, larkSdk, TOKEN_CODES, type LarkBody, type LarkSdk } from './sdk.ts';

/** refresh this long before `expire` (the SDK uses 3 minutes too) */
const EXPIRY_MARGIN_MS = 3 * 60_000;
const MESSAGES = '/open-apis/im/v1/messages';
const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const OAUTH_TOKEN_PATH = '/open-apis/authen/v2/oauth/token';
const USER_INFO_PATH = '/open-apis/authen/v1/user_info';
const JSAPI_TICKET_PATH = '/open-apis/jssdk/ticket/get';

export interface LarkAdapterOptions {
  appId: string;
  appSecret: string;
  /** LARK_BASE_URL, e.g. https://open.feishu.cn */
  baseUrl: string;
  /** per request (default 10 s) */
  timeoutMs?: number;
  /** clock of the token cache */
  now?: () => number;
  /** PUBLIC_BASE_URL: the only place a card may link to */
  publicBaseUrl?: string;
}

export interface LarkSendOptions {
  /** sent as `uuid`: Feishu sends at most one message per uuid within an hour */
  idempotencyKey?: string;
}

/** Feishu's `uuid` is at most 50 characters: longer keys are hashed. */
export function larkUuid(key: string): string {
  return key.length <= 50 ? key : crypto.createHash('sha256').update(key).digest('hex').slice(0, 50);
}

type Answer<T> = { status: number; body: T | LarkBody };
type Sdk = { lark: LarkSdk; client: Lark.Client };
type TenantAuth = ReturnType<LarkSdk['withTenantToken']>;

export class LarkAdapter implements ChannelAdapter {
  readonly platform = 'lark' as const;
  private readonly tokens: TokenCache;
  private readonly ticket: TokenCache;
  private loaded?: Promise<Sdk>;

  constructor(private readonly opts: LarkAdapterOptions) {
    const now = opts.now ?? Date.now;
    this.tokens = new TokenCache(() => this.fetchToken(), () => now(), EXPIRY_MARGIN_MS);
    this.ticket = new TokenCache(() => this.fetchTicket(), () => now(), EXPIRY_MARGIN_MS);
  }

  /** null when LARK_APP_ID / LARK_APP_SECRET are absent (the platform is off). */
  static fromConfig(config: Config, opts: Partial<LarkAdapterOptions> = {}): LarkAdapter | null {
    if (!config.LARK_APP_ID || !config.LARK_APP_SECRET) return null;
    return new LarkAdapter({ appId: config.LARK_APP_ID, appSecret: config.LARK_APP_SECRET, baseUrl: config.LARK_BASE_URL, publicBaseUrl: config.PUBLIC_BASE_URL, ...opts });
  }

  async sendText(target: ChatTarget, text: string, opts: LarkSendOptions = {}): Promise<SentMessage> {
    return this.send(target, 'text', larkTextContent(text), opts);
  }

  async sendCard(target: ChatTarget, card: CardView, opts: LarkSendOptions = {}): Promise<SentMessage> {
    return this.send(target, 'interactive', JSON.stringify(renderLarkCard(card, { publicBaseUrl: this.opts.publicBaseUrl })), opts);
  }

  /** The card must have been sent as a shared card (config.update_multi), as renderLarkCard does. */
  async updateCard(sent: SentMessage, card: CardView): Promise<void> {
    await this.withToken(`${MESSAGES}/:message_id`, (client, auth) =>
      client.im.message.patch({ path: { message_id: sent.messageId }, data: { content: JSON.stringify(renderLarkCard(card, { publicBaseUrl: this.opts.publicBaseUrl })) } }, auth),
    );
  }

  /** Answers a received message in its chat (as a reply to it). Returns the new message id. */
  async replyText(messageId: string, text: string, opts: LarkSendOptions = {}): Promise<string> {
    const body = await this.withToken(`${MESSAGES}/:message_id/reply`, (client, auth) =>
      client.im.message.reply(
        { path: { message_id: messageId }, data: { msg_type: 'text', content: larkTextContent(text), ...uuidOf(opts) } },
        auth,
      ),
    );
    return body.data?.message_id ?? '';
  }

  /**
   * Sign-in from the mini-app opened inside Feishu: the code from tt.requestAccess (or the
   * 网页应用 authorize redirect) → user_access_token → the member's open_id and tenant_key (their
   * organisation). Codes live 5 minutes and work once; an invalid, used or expired one is
   * ChannelError(retryable=false).
   */
  async memberFromAuthCode(code: string): Promise<PlatformMember> {
    if (!code.trim()) throw new ChannelError('飞书登录码为空', false);
    const { lark, client } = await this.sdk();
    const exchanged = await larkAnswer(OAUTH_TOKEN_PATH, () =>
      client.request<LarkBody & { access_token?: string }>({
        method: 'POST',
        url: OAUTH_TOKEN_PATH,
        data: { grant_type: 'authorization_code', client_id: this.opts.appId, client_secret: this.opts.appSecret, code },
      }),
    );
    const accessToken = isOk(exchanged) ? (exchanged.body as { access_token?: string }).access_token : undefined;
    if (!accessToken) throw this.signInFailure(OAUTH_TOKEN_PATH, exchanged);
    const info = await larkAnswer(USER_INFO_PATH, () => client.authen.userInfo.get({}, lark.withUserAccessToken(accessToken)));
    const data = isOk(info) ? (info.body as { data?: { open_id?: string; tenant_key?: string } }).data : undefined;
    if (!data?.open_id) throw this.signInFailure(USER_INFO_PATH, info);
    return { userId: data.open_id, orgKey: data.tenant_key || null };
  }

  /** The app's jsapi_ticket for h5sdk.config, cached until shortly before `expire_in` runs out. */
  jsapiTicket(): Promise<string> {
    return this.ticket.get();
  }

  private async fetchTicket(): Promise<{ token: string; lifetimeMs: number }> {
    const body = await this.withToken(JSAPI_TICKET_PATH, (client, auth) =>
      client.request<LarkBody & { data?: { ticket?: string; expire_in?: number } }>({ method: 'POST', url: JSAPI_TICKET_PATH, data: {} }, auth),
    );
    if (!body.data?.ticket) throw new ChannelError('飞书没有返回 jsapi_ticket', true);
    return { token: body.data.ticket, lifetimeMs: (body.data.expire_in ?? 0) * 1000 };
  }

  /** Forget the cached tenant_access_token (the next call fetches a new one). */
  invalidateToken(): void {
    this.tokens.invalidate();
  }

  private async send(target: ChatTarget, msgType: 'text' | 'interactive', content: string, opts: LarkSendOptions): Promise<SentMessage> {
    const body = await this.withToken(MESSAGES, (client, auth) =>
      client.im.message.create(
        { params: { receive_id_type: target.kind === 'group' ? 'chat_id' : 'open_id' }, data: { receive_id: target.id, msg_type: msgType, content, ...uuidOf(opts) } },
        auth,
      ),
    );
    const messageId = body.data?.message_id;
    if (!messageId) throw new ChannelError('飞书发送消息的应答缺少 message_id', true);
    return { platform: 'lark', target, messageId };
  }

  private sdk(): Promise<Sdk> {
    this.loaded ??= larkSdk().then((lark) => ({
      lark,
      client: createLarkClient(lark, { appId: this.opts.appId, appSecret: this.opts.appSecret, baseUrl: this.opts.baseUrl, timeoutMs: this.opts.timeoutMs ?? 10_000 }),
    }));
    return this.loaded;
  }

  /** One API call with the tenant token; a token Feishu calls invalid is replaced once. */
  private async withToken<T extends LarkBody>(api: string, run: (client: Lark.Client, auth: TenantAuth) => Promise<T>): Promise<T> {
    const { lark, client } = await this.sdk();
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      const answer: Answer<T> = await larkAnswer(api, () => run(client, lark.withTenantToken(token)));
      if (isOk(answer)) return answer.body as T;
      if (TOKEN_CODES.has(answer.body.code ?? -1) && attempt === 0) {
        this.tokens.invalidate(token);
        continue;
      }
      throw larkFailure(api, answer);
    }
  }

  private async fetchToken(): Promise<{ token: string; lifetimeMs: number }> {
    const { client } = await this.sdk();
    const answer = await larkAnswer(TOKEN_PATH, () =>
      client.auth.tenantAccessToken.internal({ data: { app_id: this.opts.appId, app_secret: this.opts.appSecret } }),
    );
    const body = answer.body as LarkBody & { tenant_access_token?: string; expire?: number };
    if (!isOk(answer) || !body.tenant_access_token) throw larkFailure(TOKEN_PATH, answer);
    return { token: body.tenant_access_token, lifetimeMs: (body.expire ?? 0) * 1000 };
  }

  /** 5xx / 429 stay retryable; any other refusal means the code is no good. */
  private signInFailure(api: string, answer: Answer<LarkBody>): ChannelError {
    const e = larkFailure(api, answer);
    if (e.retryable) return e;
    return new ChannelError(`飞书登录码无效或已过期：${e.message}`, false, answer.status);
  }
}

function uuidOf(opts: LarkSendOptions): { uuid?: string } {
  return opts.idempotencyKey ? { uuid: larkUuid(opts.idempotencyKey) } : {};
}
