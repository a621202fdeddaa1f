// 飞书 (Feishu/Lark) adapter: send text and interactive cards, update a card, reply to a message.
// Plain fetch against the same open-API endpoints `@larksuiteoapi/node-sdk` calls (the SDK is not
// installed here); the class keeps the ChannelAdapter interface so an SDK-backed one can replace it.
//   POST  /open-apis/auth/v3/tenant_access_token/internal {app_id, app_secret} → {code, tenant_access_token, expire}
//   POST  /open-apis/im/v1/messages?receive_id_type=chat_id|open_id {receive_id, msg_type, content, uuid?}
//   PATCH /open-apis/im/v1/messages/:message_id {content}
//   POST  /open-apis/im/v1/messages/:message_id/reply {msg_type, content, uuid?}
// Every answer carries `code` (0 = ok); anything else becomes a ChannelError.
import { TokenCache } from '../token-cache.ts';
import crypto from 'node:crypto';
import type { Config } from '../../../server/platform/config.ts';
import { ChannelError, type CardView, type ChannelAdapter, type ChatTarget, type SentMessage } from '../../types.ts';
import { larkTextContent, renderLarkCard } from './render.ts';

/** token missing / invalid or expired: fetch a new tenant_access_token and try once more */
const TOKEN_CODES = new Set([99991661, 99991663]);
/** 99991400 app rate limit; 230020 send-frequency limit of one chat */
const RATE_LIMIT_CODES = new Set([99991400, 230020]);
/** refresh this long before `expire` (the SDK uses 3 minutes) */
const EXPIRY_MARGIN_MS = 3 * 60_000;

export interface LarkAdapterOptions {
  appId: string;
  appSecret: string;
  /** LARK_BASE_URL, e.g. https://open.feishu.cn */
  baseUrl: string;
  timeoutMs?: number;
  now?: () => number;
}

export interface LarkSendOptions {
  /** sent as `uuid`: Feishu sends at most one message per uuid within an hour */
  idempotencyKey?: string;
}

interface LarkAnswer {
  code?: number;
  msg?: string;
  data?: { message_id?: string };
  tenant_access_token?: string;
  expire?: number;
}

/** Feishu's `uuid` is at most 50 characters: longer keys are hashed. */
export function larkUuid(key: string): string {
  return key.length <= 50 ? key : crypto.createHash('sha256').update(key).digest('hex').slice(0, 50);
}

export class LarkAdapter implements ChannelAdapter {
  readonly platform = 'lark' as const;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly tokens: TokenCache;

  constructor(private readonly opts: LarkAdapterOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.tokens = new TokenCache(() => this.fetchToken(), () => this.now(), EXPIRY_MARGIN_MS);
  }

  /** null when LARK_APP_ID / LARK_APP_SECRET are absent (the platform is off). */
  static fromConfig(config: Config, opts: Partial<LarkAdapterOptions> = {}): LarkAdapter | null {
    if (!config.LARK_APP_ID || !config.LARK_APP_SECRET) return null;
    return new LarkAdapter({ appId: config.LARK_APP_ID, appSecret: config.LARK_APP_SECRET, baseUrl: config.LARK_BASE_URL, ...opts });
  }

  async sendText(target: ChatTarget, text: string, opts: LarkSendOptions = {}): Promise<SentMessage> {
    return this.send(target, 'text', larkTextContent(text), opts);
  }

  async sendCard(target: ChatTarget, card: CardView, opts: LarkSendOptions = {}): Promise<SentMessage> {
    return this.send(target, 'interactive', JSON.stringify(renderLarkCard(card)), opts);
  }

  async updateCard(sent: SentMessage, card: CardView): Promise<void> {
    await this.call('PATCH', `/open-apis/im/v1/messages/${encodeURIComponent(sent.messageId)}`, {
      content: JSON.stringify(renderLarkCard(card)),
    });
  }

  /** Answers a received message in its chat (as a reply to it). Returns the new message id. */
  async replyText(messageId: string, text: string, opts: LarkSendOptions = {}): Promise<string> {
    const answer = await this.call('POST', `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`, {
      msg_type: 'text',
      content: larkTextContent(text),
      ...(opts.idempotencyKey ? { uuid: larkUuid(opts.idempotencyKey) } : {}),
    });
    return answer.data?.message_id ?? '';
  }

  /** Forget the cached tenant_access_token (the next call fetches a new one). */
  invalidateToken(): void {
    this.tokens.invalidate();
  }

  private async send(target: ChatTarget, msgType: 'text' | 'interactive', content: string, opts: LarkSendOptions): Promise<SentMessage> {
    const idType = target.kind === 'group' ? 'chat_id' : 'open_id';
    const answer = await this.call('POST', `/open-apis/im/v1/messages?receive_id_type=${idType}`, {
      receive_id: target.id,
      msg_type: msgType,
      content,
      ...(opts.idempotencyKey ? { uuid: larkUuid(opts.idempotencyKey) } : {}),
    });
    const messageId = answer.data?.message_id;
    if (!messageId) throw new ChannelError('飞书发送消息的应答缺少 message_id', true);
    return { platform: 'lark', target, messageId };
  }

  private async call(method: 'POST' | 'PATCH', path: string, body: object): Promise<LarkAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      const { status, answer } = await this.request(method, path, body, token);
      if (answer.code === 0 && status < 400) return answer;
      if (TOKEN_CODES.has(answer.code ?? -1) && attempt === 0) {
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
    const path = '/open-apis/auth/v3/tenant_access_token/internal';
    const { status, answer } = await this.request('POST', path, { app_id: this.opts.appId, app_secret: this.opts.appSecret });
    if (answer.code !== 0 || !answer.tenant_access_token) throw this.failure(path, status, answer);
    return { token: answer.tenant_access_token, lifetimeMs: (answer.expire ?? 0) * 1000 };
  }

  private async request(method: string, path: string, body: object, token?: string): Promise<{ status: number; answer: LarkAnswer }> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const reason = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? '超时' : '网络错误';
      throw new ChannelError(`飞书接口 ${path.split('?')[0]} ${reason}: ${e instanceof Error ? e.message : String(e)}`, true);
    }
    const text = await res.text();
    let answer: LarkAnswer;
    try {
      answer = text ? (JSON.parse(text) as LarkAnswer) : {};
    } catch {
      answer = { msg: text.slice(0, 200) };
    }
    return { status: res.status, answer };
  }

  private failure(path: string, status: number, answer: LarkAnswer): ChannelError {
    const code = answer.code;
    const retryable = status >= 500 || status === 429 || RATE_LIMIT_CODES.has(code ?? -1);
    return new ChannelError(
      `飞书接口 ${path.split('?')[0]} 失败 (HTTP ${status}, code ${code ?? '无'}): ${answer.msg ?? ''}`.trim(),
      retryable,
      status,
    );
  }
}
