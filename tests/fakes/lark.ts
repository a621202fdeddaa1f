// A loopback stand-in for the 飞书 open API (127.0.0.1 only), plus builders for callbacks signed and
// encrypted exactly as Feishu sends them. It checks app id/secret and bearer tokens, records every
// request, and can be told to fail (500 / 429 / 400 for the next N requests, slow answers, tokens
// invalidated). Sign-in: codes issued with issueAuthCode(openId) are exchanged once, within 5
// minutes, at /authen/v2/oauth/token (client_id + client_secret) for a user_access_token that
// /authen/v1/user_info turns into the open_id. JS-SDK: /jssdk/ticket/get needs a valid tenant token
// and records each ticket it issues. Encryption here is written independently of
// bot/channels/lark/crypto.ts.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LarkFakeOptions {
  appId: string;
  appSecret: string;
  /** `expire` of each tenant_access_token, seconds (Feishu: 7200) */
  tokenTtlSec?: number;
  /** `expire_in` of each jsapi_ticket, seconds (Feishu: 7200) */
  ticketTtlSec?: number;
}

export interface LarkRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  userAgent?: string;
  body: unknown;
}

export interface LarkSentMessage {
  messageId: string;
  receiveIdType: string;
  receiveId: string;
  msgType: string;
  /** the parsed `content` string */
  content: Record<string, unknown>;
  uuid?: string;
  token: string;
}

export interface LarkFake {
  url: string;
  requests: LarkRecordedRequest[];
  /** how many tenant_access_token requests arrived */
  tokenRequests: number;
  /** jsapi tickets issued by /open-apis/jssdk/ticket/get, in order */
  tickets: string[];
  sent: LarkSentMessage[];
  updates: { messageId: string; content: Record<string, unknown>; token: string }[];
  replies: { parentId: string; messageId: string; msgType: string; content: Record<string, unknown>; uuid?: string }[];
  /** the next n API calls (token endpoint excluded) answer HTTP `status` */
  failNext(n: number, status?: number): void;
  /** the next n API calls answer code 99991400: HTTP 429, or 400 as older Feishu APIs do */
  rateLimitNext(n: number, status?: 429 | 400): void;
  /** every answer waits this long */
  setDelay(ms: number): void;
  /** every token issued so far is now invalid (code 99991663) */
  invalidateTokens(): void;
  /** a one-time login code for this member (what tt.requestAccess hands the mini-app), in tenant tenantKey (default tk_fake) */
  issueAuthCode(openId: string, opts?: { ttlMs?: number; tenantKey?: string }): string;
  reset(): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function startLarkFake(opts: LarkFakeOptions): Promise<LarkFake> {
  const tokens = new Map<string, number>(); // token → expires at (ms)
  const messages = new Map<string, { msgType: string; content: Json }>();
  const uuids = new Map<string, string>(); // uuid → message id
  const authCodes = new Map<string, { openId: string; tenantKey: string; until: number }>();
  const userTokens = new Map<string, { openId: string; tenantKey: string; until: number }>();
  let failures: { left: number; status: number; code: number } = { left: 0, status: 500, code: 0 };
  let delay = 0;
  let seq = 0;

  const fake: LarkFake = {
    url: '',
    requests: [],
    tokenRequests: 0,
    tickets: [],
    sent: [],
    updates: [],
    replies: [],
    failNext: (n, status = 500) => void (failures = { left: n, status, code: status === 400 ? 230001 : 0 }),
    rateLimitNext: (n, status = 429) => void (failures = { left: n, status, code: 99991400 }),
    setDelay: (ms) => void (delay = ms),
    invalidateTokens: () => tokens.clear(),
    issueAuthCode: (openId, o = {}) => {
      const code = crypto.randomBytes(16).toString('hex');
      authCodes.set(code, { openId, tenantKey: o.tenantKey ?? 'tk_fake', until: Date.now() + (o.ttlMs ?? 5 * 60_000) });
      return code;
    },
    reset: () => {
      fake.requests.length = fake.tickets.length = fake.sent.length = fake.updates.length = fake.replies.length = 0;
      fake.tokenRequests = 0;
      failures = { left: 0, status: 500, code: 0 };
      delay = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: unknown = null;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      const { authorization, 'user-agent': userAgent } = req.headers;
      fake.requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization, userAgent, body });
      const [status, answer] = handle(req.method ?? '', url, req.headers.authorization, (body ?? {}) as Json);
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(answer));
      }, delay);
    });
  });

  function handle(method: string, url: URL, auth: string | undefined, body: Json): [number, Json] {
    const path = url.pathname;
    if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') {
      fake.tokenRequests++;
      if (body.app_id !== opts.appId || body.app_secret !== opts.appSecret) return [400, { code: 10014, msg: 'app secret invalid' }];
      const token = `t-fake-${++seq}-${crypto.randomBytes(6).toString('hex')}`;
      const ttl = opts.tokenTtlSec ?? 7200;
      tokens.set(token, Date.now() + ttl * 1000);
      return [200, { code: 0, msg: 'ok', tenant_access_token: token, expire: ttl }];
    }
    const token = /^Bearer (.+)$/.exec(auth ?? '')?.[1];
    if (path === '/open-apis/authen/v2/oauth/token' && method === 'POST') return oauthToken(body);
    if (path === '/open-apis/authen/v1/user_info' && method === 'GET') {
      const user = userTokens.get(token ?? '');
      // 99991668: user_access_token invalid (oapi-sdk-go core ErrCodeUserAccessTokenInvalid)
      if (!user || user.until <= Date.now()) return [400, { code: 99991668, msg: 'Invalid access token for authorization.' }];
      return failed() ?? [200, { code: 0, msg: 'success', data: { open_id: user.openId, union_id: `on_${user.openId}`, name: user.openId, tenant_key: user.tenantKey } }];
    }
    const ticket = method === 'POST' && path === '/open-apis/jssdk/ticket/get';
    if (!path.startsWith('/open-apis/im/v1/messages') && !ticket) return [404, { code: 404, msg: 'not found' }];
    if (!token) return [400, { code: 99991661, msg: 'Missing access token for authorization.' }];
    if (!((tokens.get(token) ?? 0) > Date.now())) return [400, { code: 99991663, msg: 'Invalid access token for authorization.' }];
    const failure = failed();
    if (failure) return failure;
    if (ticket) {
      const issued = crypto.randomBytes(20).toString('hex');
      fake.tickets.push(issued);
      return [200, { code: 0, msg: 'ok', data: { expire_in: opts.ticketTtlSec ?? 7200, ticket: issued } }];
    }
    const content = parseContent(body.content);
    if (!content) return [400, { code: 230001, msg: 'content is not a JSON string' }];

    const update = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path);
    if (method === 'PATCH' && update) {
      const messageId = decodeURIComponent(update[1]!);
      const old = messages.get(messageId);
      if (!old || old.msgType !== 'interactive') return [400, { code: 230001, msg: 'message is not an app card' }];
      if (!sharedCard(old.content) || !sharedCard(content)) return [400, { code: 230099, msg: 'fake: both cards need config.update_multi=true' }];
      messages.set(messageId, { msgType: 'interactive', content });
      fake.updates.push({ messageId, content, token });
      return [200, { code: 0, msg: 'success', data: {} }];
    }
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path);
    if (method === 'POST' && (reply || path === '/open-apis/im/v1/messages')) {
      const msgType = String(body.msg_type ?? '');
      if (!['text', 'interactive', 'post'].includes(msgType)) return [400, { code: 230001, msg: 'invalid msg_type' }];
      if (msgType === 'interactive' && !Array.isArray(content.elements)) return [400, { code: 230099, msg: 'card has no elements' }];
      const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
      if (uuid && uuids.has(uuid)) return [200, { code: 0, msg: 'success', data: { message_id: uuids.get(uuid) } }];
      const messageId = `om_fake_${++seq}`;
      if (reply) {
        const parentId = decodeURIComponent(reply[1]!);
        fake.replies.push({ parentId, messageId, msgType, content, uuid });
      } else {
        const receiveIdType = url.searchParams.get('receive_id_type') ?? '';
        if (!['chat_id', 'open_id', 'user_id', 'union_id', 'email'].includes(receiveIdType)) return [400, { code: 99992402, msg: 'field validation failed: receive_id_type' }];
        if (typeof body.receive_id !== 'string' || !body.receive_id) return [400, { code: 99992402, msg: 'field validation failed: receive_id' }];
        fake.sent.push({ messageId, receiveIdType, receiveId: body.receive_id, msgType, content, uuid, token });
      }
      messages.set(messageId, { msgType, content });
      if (uuid) uuids.set(uuid, messageId);
      return [200, { code: 0, msg: 'success', data: { message_id: messageId, msg_type: msgType } }];
    }
    return [404, { code: 404, msg: 'not found' }];
  }

  function failed(): [number, Json] | null {
    if (failures.left <= 0) return null;
    failures.left--;
    return [failures.status, { code: failures.code || failures.status, msg: `fake failure ${failures.status}` }];
  }

  // RFC 6749 §5.2 errors (HTTP 400 + `error`) plus a non-zero `code`, as Feishu answers on this endpoint;
  // the numbers are placeholders (not checked against Feishu's table): the adapter goes by the HTTP status.
  function oauthToken(body: Json): [number, Json] {
    if (body.client_id !== opts.appId || body.client_secret !== opts.appSecret) return [400, { code: 20002, error: 'invalid_client', error_description: 'client authentication failed' }];
    if (body.grant_type !== 'authorization_code') return [400, { code: 20001, error: 'unsupported_grant_type', error_description: 'grant_type' }];
    const failure = failed(); // before the code is used up: a 5xx leaves it valid
    if (failure) return failure;
    const grant = authCodes.get(String(body.code ?? ''));
    authCodes.delete(String(body.code ?? '')); // a code works once, however it went
    if (!grant || grant.until <= Date.now()) return [400, { code: 20003, error: 'invalid_grant', error_description: 'the code is invalid, expired or already used' }];
    const accessToken = `u-fake-${++seq}-${crypto.randomBytes(6).toString('hex')}`;
    userTokens.set(accessToken, { openId: grant.openId, tenantKey: grant.tenantKey, until: Date.now() + 7200_000 });
    return [200, { code: 0, access_token: accessToken, expires_in: 7200, token_type: 'Bearer', scope: '' }];
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function parseContent(s: unknown): Json | null {
  if (typeof s !== 'string') return null;
  try {
    const v: unknown = JSON.parse(s);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

function sharedCard(card: Json): boolean {
  return (card.config as Json | undefined)?.update_multi === true;
}

// ---- callbacks, as Feishu sends them --------------------------------------------------------

export interface LarkCallbackSigning {
  /** when set, the body is {"encrypt": …} and X-Lark-Signature is added */
  encryptKey?: string;
  timestamp?: string;
  nonce?: string;
}

/** Body (the exact bytes to post) and headers of a callback carrying `payload`. */
export function larkCallback(payload: object, signing: LarkCallbackSigning = {}): { body: string; headers: Record<string, string> } {
  const plain = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!signing.encryptKey) return { body: plain, headers };
  const key = crypto.createHash('sha256').update(signing.encryptKey).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  const encrypt = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
  const body = JSON.stringify({ encrypt });
  const timestamp = signing.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = signing.nonce ?? crypto.randomBytes(8).toString('hex');
  const signature = crypto.createHash('sha256').update(timestamp + nonce + signing.encryptKey + body).digest('hex');
  return { body, headers: { ...headers, 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature } };
}

export function larkUrlVerification(token: string, challenge: string = crypto.randomUUID()): Json {
  return { challenge, token, type: 'url_verification' };
}

function eventHeader(eventType: string, token: string, tenantKey: string, eventId?: string): Json {
  return {
    event_id: eventId ?? crypto.randomBytes(16).toString('hex'),
    event_type: eventType,
    create_time: String(Date.now() * 1000),
    token,
    app_id: 'cli_fake',
    tenant_key: tenantKey,
  };
}

export interface LarkMessageEventInput {
  token: string;
  tenantKey: string;
  chatId: string;
  chatType?: 'group' | 'p2p';
  senderOpenId: string;
  /** what the user typed, without the mention */
  text: string;
  /** prefix the text with an @mention of the bot (as a group message to the bot looks) */
  mentionBot?: boolean;
  eventId?: string;
  messageId?: string;
}

/** im.message.receive_v1 (schema 2.0) for a text message. */
export function larkMessageEvent(m: LarkMessageEventInput): Json {
  const mention = m.mentionBot ?? m.chatType !== 'p2p';
  return {
    schema: '2.0',
    header: eventHeader('im.message.receive_v1', m.token, m.tenantKey, m.eventId),
    event: {
      sender: { sender_id: { open_id: m.senderOpenId, union_id: `on_${m.senderOpenId}`, user_id: null }, sender_type: 'user', tenant_key: m.tenantKey },
      message: {
        message_id: m.messageId ?? `om_in_${crypto.randomBytes(8).toString('hex')}`,
        create_time: String(Date.now()),
        chat_id: m.chatId,
        chat_type: m.chatType ?? 'group',
        message_type: 'text',
        content: JSON.stringify({ text: mention ? `@_user_1 ${m.text}` : m.text }),
        mentions: mention ? [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: '云桥', tenant_key: m.tenantKey }] : [],
      },
    },
  };
}

export interface LarkCardActionInput {
  token: string;
  tenantKey: string;
  operatorOpenId: string;
  messageId: string;
  chatId?: string;
  value: Record<string, string>;
  eventId?: string;
  /** the inputs of the form container the button submits */
  formValue?: Record<string, string>;
}

/** card.action.trigger (schema 2.0) for a button click. */
export function larkCardActionEvent(a: LarkCardActionInput): Json {
  return {
    schema: '2.0',
    header: eventHeader('card.action.trigger', a.token, a.tenantKey, a.eventId),
    event: {
      operator: { tenant_key: a.tenantKey, open_id: a.operatorOpenId, union_id: `on_${a.operatorOpenId}` },
      token: `c-${crypto.randomBytes(8).toString('hex')}`,
      // a button inside a form container also brings the form's inputs (form_value) and its own name
      action: { value: a.value, tag: 'button', ...(a.formValue ? { form_value: a.formValue, name: 'button_0' } : {}) },
      host: 'im_message',
      context: { open_message_id: a.messageId, open_chat_id: a.chatId ?? 'oc_fake' },
    },
  };
}
