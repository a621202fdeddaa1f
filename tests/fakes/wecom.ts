// A loopback stand-in for the 企业微信 server API (127.0.0.1 only), plus builders for callbacks
// encrypted and signed exactly as WeCom sends them. It checks corp id/secret and access tokens,
// answers like WeCom (HTTP 200 with errcode), records every request, enforces a group robot's
// 20 messages a minute (errcode 45009), and can be told to fail (HTTP 500/429/400, errcode 45009 / -1,
// slow answers, tokens invalidated or expired). Dedupe as WeCom documents it: message/send with
// enable_duplicate_check drops a request whose JSON equals one taken within duplicate_check_interval
// (default 1800 s, at most 4 h); a template card's task_id is unique per app (a repeat answers errcode 0
// and pushes nothing, as reported in the field); both land in `duplicates`, not in `sent`. OAuth codes
// (auth/getuserinfo) are single use, 5 minutes. JS-SDK tickets (get_jsapi_ticket = 企业, ticket/get
// ?type=agent_config = 应用) need a valid access token, are counted and recorded. The crypto here is written independently of
// bot/channels/wecom/crypto.ts.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WecomFakeOptions {
  corpId: string;
  secret: string;
  agentId: number;
  /** expires_in of each access_token, seconds (WeCom: 7200) */
  tokenTtlSec?: number;
  /** group robot webhook keys that exist */
  robotKeys?: string[];
  /** messages per minute one robot accepts (WeCom: 20) */
  robotPerMinute?: number;
  /** the fake's clock (ms), for tests that let minutes pass */
  now?: () => number;
  /** expires_in of each jsapi ticket, seconds (WeCom: 7200) */
  ticketTtlSec?: number;
}

type Json = Record<string, unknown>;

export interface WecomRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Json | null;
}

export interface WecomFake {
  url: string;
  requests: WecomRecordedRequest[];
  tokenRequests: number;
  /** JS-SDK tickets issued, in order: corp = get_jsapi_ticket, agent = ticket/get?type=agent_config */
  tickets: { kind: 'corp' | 'agent'; ticket: string }[];
  /** message/send, accepted */
  sent: { msgid: string; touser: string; msgtype: string; body: Json; token: string; responseCode?: string }[];
  /** appchat/send, accepted */
  chats: { chatid: string; msgtype: string; body: Json; token: string }[];
  /** update_template_card, accepted */
  updates: { responseCode: string; userids: string[]; body: Json; token: string }[];
  /** webhook/send, accepted, with the (fake clock) time it arrived */
  robot: { key: string; msgtype: string; body: Json; at: number }[];
  /** message/send requests WeCom took but did not deliver (duplicate check / repeated task_id) */
  duplicates: { reason: 'duplicate_check' | 'task_id'; body: Json }[];
  /** the most messages one robot took inside any 60 s window */
  robotMaxPerMinute(key: string): number;
  /** a one-time OAuth / JS-SDK code for this member (or, nonMember, for a visitor with only an openid) */
  issueAuthCode(userId: string, opts?: { nonMember?: boolean }): string;
  /** the next n API calls (gettoken excluded) answer HTTP `status` */
  failNext(n: number, status?: number): void;
  /** the next n API calls answer HTTP 200 with this errcode (45009 rate limit, -1 busy, …) */
  errcodeNext(n: number, errcode: number): void;
  setDelay(ms: number): void;
  /** every token issued so far is unknown (errcode 40014) */
  invalidateTokens(): void;
  /** every token issued so far has expired (errcode 42001) */
  expireTokens(): void;
  /** a fresh response_code, as a click callback brings one */
  newResponseCode(): string;
  reset(): void;
  close(): Promise<void>;
}

export async function startWecomFake(opts: WecomFakeOptions): Promise<WecomFake> {
  const tokens = new Map<string, number>(); // token → expires at (ms)
  const responseCodes = new Map<string, number>(); // unused code → expires at (ms)
  const taskIds = new Set<string>();
  const recentBodies = new Map<string, number>(); // canonical message/send JSON → dedupe until (ms)
  const authCodes = new Map<string, { userId: string; nonMember: boolean; until: number }>();
  const robotSends = new Map<string, number[]>();
  const now = opts.now ?? Date.now;
  let failures = { left: 0, status: 500, errcode: 0 };
  let delay = 0;
  let seq = 0;

  const issueCode = () => {
    const code = `rc-${++seq}-${crypto.randomBytes(6).toString('hex')}`;
    responseCodes.set(code, now() + 72 * 3600_000);
    return code;
  };

  const fake: WecomFake = {
    url: '',
    requests: [],
    tokenRequests: 0,
    tickets: [],
    sent: [],
    chats: [],
    updates: [],
    robot: [],
    duplicates: [],
    robotMaxPerMinute: (key) => {
      const at = fake.robot.filter((m) => m.key === key).map((m) => m.at);
      return Math.max(0, ...at.map((start) => at.filter((x) => x >= start && x < start + 60_000).length));
    },
    issueAuthCode: (userId, o = {}) => {
      const code = `oc-${++seq}-${crypto.randomBytes(8).toString('hex')}`;
      authCodes.set(code, { userId, nonMember: !!o.nonMember, until: now() + 5 * 60_000 });
      return code;
    },
    failNext: (n, status = 500) => void (failures = { left: n, status, errcode: 0 }),
    errcodeNext: (n, errcode) => void (failures = { left: n, status: 200, errcode }),
    setDelay: (ms) => void (delay = ms),
    invalidateTokens: () => tokens.clear(),
    expireTokens: () => {
      for (const k of tokens.keys()) tokens.set(k, 0);
    },
    newResponseCode: issueCode,
    reset: () => {
      fake.requests.length = fake.tickets.length = fake.sent.length = fake.chats.length = fake.updates.length = fake.robot.length = fake.duplicates.length = 0;
      fake.tokenRequests = 0;
      failures = { left: 0, status: 500, errcode: 0 };
      delay = 0;
      robotSends.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: Json | null = null;
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : null;
      } catch {
        body = null;
      }
      fake.requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body });
      const [status, answer] = handle(req.method ?? '', url, body);
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(answer));
      }, delay);
    });
  });

  const err = (errcode: number, errmsg: string): [number, Json] => [200, { errcode, errmsg }];

  function handle(method: string, url: URL, body: Json | null): [number, Json] {
    const path = url.pathname;
    const q = url.searchParams;
    if (method === 'GET' && path === '/cgi-bin/gettoken') {
      fake.tokenRequests++;
      if (q.get('corpid') !== opts.corpId) return err(40013, 'invalid corpid');
      if (q.get('corpsecret') !== opts.secret) return err(40001, 'invalid credential');
      const token = `wt-${++seq}-${crypto.randomBytes(8).toString('hex')}`;
      const ttl = opts.tokenTtlSec ?? 7200;
      tokens.set(token, now() + ttl * 1000);
      return [200, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: ttl }];
    }
    const getUserInfo = method === 'GET' && path === '/cgi-bin/auth/getuserinfo';
    const ticketKind = method !== 'GET' ? null : path === '/cgi-bin/get_jsapi_ticket' ? 'corp' : path === '/cgi-bin/ticket/get' ? 'agent' : null;
    if (method !== 'POST' && !getUserInfo && !ticketKind) return [404, { errcode: 404, errmsg: 'not found' }];
    if (failures.left > 0) {
      failures.left--;
      return failures.status === 200 ? err(failures.errcode, 'fake failure') : [failures.status, { errcode: failures.status, errmsg: `fake HTTP ${failures.status}` }];
    }
    if (path === '/cgi-bin/webhook/send') return body ? robotSend(q.get('key') ?? '', body) : err(47001, 'data format error');
    const token = q.get('access_token') ?? '';
    if (!token) return err(41001, 'access_token missing');
    if (!tokens.has(token)) return err(40014, 'invalid access_token');
    if (tokens.get(token)! <= now()) return err(42001, 'access_token expired');
    if (ticketKind) {
      if (ticketKind === 'agent' && q.get('type') !== 'agent_config') return err(40097, 'invalid args: type');
      const ticket = `${ticketKind === 'corp' ? 'kgt' : 'agt'}${++seq}-${crypto.randomBytes(12).toString('hex')}`;
      fake.tickets.push({ kind: ticketKind, ticket });
      return [200, { errcode: 0, errmsg: 'ok', ticket, expires_in: opts.ticketTtlSec ?? 7200 }];
    }
    if (getUserInfo) {
      // 获取访问用户身份: a code is good once, for 5 minutes; a member → userid, anyone else → openid
      const code = q.get('code') ?? '';
      const grant = authCodes.get(code);
      authCodes.delete(code);
      if (!grant || grant.until <= now()) return err(40029, 'invalid code');
      return [200, grant.nonMember ? { errcode: 0, errmsg: 'ok', openid: `o${crypto.createHash('sha1').update(grant.userId).digest('hex').slice(0, 27)}` } : { errcode: 0, errmsg: 'ok', userid: grant.userId }];
    }
    if (!body) return err(47001, 'data format error');
    const msgtype = String(body.msgtype ?? '');

    if (path === '/cgi-bin/message/send') {
      if (body.agentid !== opts.agentId) return err(40056, 'invalid agentid');
      if (typeof body.touser !== 'string' || !body.touser) return err(40031, 'invalid userid list');
      const problem = checkContent(msgtype, body);
      if (problem) return err(40058, problem);
      const msgid = `msg-${++seq}`;
      const taken = [200, { errcode: 0, errmsg: 'ok', invaliduser: '', msgid }] as [number, Json];
      if (body.enable_duplicate_check === 1) {
        const interval = Math.min(Number(body.duplicate_check_interval ?? 1800) || 1800, 4 * 3600);
        const key = canonical(body);
        if ((recentBodies.get(key) ?? 0) > now()) {
          fake.duplicates.push({ reason: 'duplicate_check', body });
          return taken;
        }
        recentBodies.set(key, now() + interval * 1000);
      }
      let responseCode: string | undefined;
      if (msgtype === 'template_card') {
        const card = body.template_card as Json;
        const taskId = card.task_id as string | undefined;
        if (taskId && taskIds.has(taskId)) {
          fake.duplicates.push({ reason: 'task_id', body });
          return taken;
        }
        if (taskId) taskIds.add(taskId);
        if (card.card_type === 'button_interaction') responseCode = issueCode();
      }
      fake.sent.push({ msgid, touser: body.touser, msgtype, body, token, responseCode });
      return [200, { errcode: 0, errmsg: 'ok', invaliduser: '', msgid, ...(responseCode ? { response_code: responseCode } : {}) }];
    }
    if (path === '/cgi-bin/appchat/send') {
      if (typeof body.chatid !== 'string' || !body.chatid) return err(86003, 'chat not found');
      if (msgtype === 'template_card') return err(40008, 'invalid message type');
      const problem = checkContent(msgtype, body);
      if (problem) return err(40058, problem);
      fake.chats.push({ chatid: body.chatid, msgtype, body, token });
      return [200, { errcode: 0, errmsg: 'ok' }];
    }
    if (path === '/cgi-bin/message/update_template_card') {
      if (body.agentid !== opts.agentId) return err(40056, 'invalid agentid');
      const code = String(body.response_code ?? '');
      if (!((responseCodes.get(code) ?? 0) > now())) return err(40058, 'response_code invalid or used');
      const button = body.button as Json | undefined;
      if (!button?.replace_name) {
        const problem = checkContent('template_card', body);
        if (problem) return err(40058, problem);
      }
      responseCodes.delete(code); // single use
      fake.updates.push({ responseCode: code, userids: (body.userids as string[]) ?? [], body, token });
      return [200, { errcode: 0, errmsg: 'ok', invaliduser: [] }];
    }
    return [404, { errcode: 404, errmsg: 'not found' }];
  }

  function robotSend(key: string, body: Json): [number, Json] {
    if (!(opts.robotKeys ?? []).includes(key)) return err(93000, 'invalid webhook url');
    const msgtype = String(body.msgtype ?? '');
    if (msgtype !== 'text' && msgtype !== 'markdown') return err(40008, 'invalid message type');
    const problem = checkContent(msgtype, body);
    if (problem) return err(40058, problem);
    const at = now();
    const recent = (robotSends.get(key) ?? []).filter((x) => x > at - 60_000);
    if (recent.length >= (opts.robotPerMinute ?? 20)) return err(45009, 'api freq out of limit');
    robotSends.set(key, [...recent, at]);
    fake.robot.push({ key, msgtype, body, at });
    return [200, { errcode: 0, errmsg: 'ok' }];
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** JSON with sorted keys: "the same request JSON" whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Json)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** What WeCom would refuse in a text / markdown / template_card body (null = fine). */
function checkContent(msgtype: string, body: Json): string | null {
  if (msgtype === 'text' || msgtype === 'markdown') {
    const content = (body[msgtype] as Json | undefined)?.content;
    if (typeof content !== 'string' || !content) return `${msgtype}.content missing`;
    if (Buffer.byteLength(content) > (msgtype === 'text' ? 2048 : 4096)) return `${msgtype}.content too long`;
    return null;
  }
  if (msgtype !== 'template_card') return 'invalid msgtype';
  const card = body.template_card as Json | undefined;
  if (!card) return 'template_card missing';
  const title = (card.main_title as Json | undefined)?.title;
  if (!title && !card.sub_title_text) return 'main_title.title or sub_title_text required';
  if (((card.horizontal_content_list as unknown[]) ?? []).length > 6) return 'horizontal_content_list > 6';
  if (card.card_type === 'text_notice') return (card.card_action as Json | undefined)?.url ? null : 'card_action required';
  if (card.card_type !== 'button_interaction') return 'card_type not supported by the fake';
  if (typeof card.task_id !== 'string' || !/^[\w\-@]{1,128}$/.test(card.task_id)) return 'task_id invalid';
  const buttons = card.button_list as Json[] | undefined;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 6) return 'button_list must have 1..6 buttons';
  const keys = buttons.map((b) => String(b.key ?? ''));
  if (keys.some((k) => !k || Buffer.byteLength(k) > 1024) || new Set(keys).size !== keys.length) return 'button key invalid or repeated';
  return null;
}

// ---- callbacks, as WeCom sends them ---------------------------------------------------------

export interface WecomCallbackSettings {
  token: string;
  encodingAesKey: string;
  corpId: string;
  agentId?: number;
  timestamp?: string;
  nonce?: string;
}

/** msg_encrypt: AES-256-CBC(key = b64(EncodingAESKey+'='), iv = key[0..16)) of random16 + len32be + msg + corpid, PKCS#7/32. */
export function wecomEncrypt(encodingAesKey: string, receiveId: string, message: string): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const msg = Buffer.from(message, 'utf8');
  const head = Buffer.alloc(20);
  crypto.randomBytes(16).copy(head, 0);
  head.writeUInt32BE(msg.length, 16);
  const plain = Buffer.concat([head, msg, Buffer.from(receiveId, 'utf8')]);
  const n = 32 - (plain.length % 32);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(n, n)])), cipher.final()]).toString('base64');
}

export function wecomSign(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return crypto.createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

/** The query string and exact body of a POST callback carrying `plainXml`. */
export function wecomCallback(plainXml: string, s: WecomCallbackSettings): { query: Record<string, string>; body: string; encrypted: string } {
  const encrypted = wecomEncrypt(s.encodingAesKey, s.corpId, plainXml);
  const timestamp = s.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = s.nonce ?? String(crypto.randomInt(1e9));
  const body = `<xml><ToUserName><![CDATA[${s.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${s.agentId ?? 1000002}]]></AgentID></xml>`;
  return { query: { msg_signature: wecomSign(s.token, timestamp, nonce, encrypted), timestamp, nonce }, body, encrypted };
}

/** The GET URL check: query with msg_signature over echostr; `echo` is what we must answer. */
export function wecomUrlVerification(s: WecomCallbackSettings, echo = crypto.randomBytes(8).readBigUInt64BE().toString()): { query: Record<string, string>; echo: string } {
  const echostr = wecomEncrypt(s.encodingAesKey, s.corpId, echo);
  const timestamp = s.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = s.nonce ?? String(crypto.randomInt(1e9));
  return { query: { msg_signature: wecomSign(s.token, timestamp, nonce, echostr), timestamp, nonce, echostr }, echo };
}

const cd = (v: string) => `<![CDATA[${v.split(']]>').join(']]]]><![CDATA[>')}]]>`;

/** 接收消息 › 文本消息 (path 90239), as decrypted. */
export function wecomTextXml(m: { corpId: string; from: string; content: string; msgId?: string; agentId?: number; chatId?: string; createTime?: number }): string {
  return (
    `<xml><ToUserName>${cd(m.corpId)}</ToUserName><FromUserName>${cd(m.from)}</FromUserName>` +
    `<CreateTime>${m.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cd('text')}</MsgType>` +
    `<Content>${cd(m.content)}</Content><MsgId>${m.msgId ?? String(crypto.randomInt(2 ** 47))}</MsgId>` +
    `<AgentID>${m.agentId ?? 1000002}</AgentID>${m.chatId ? `<ChatId>${cd(m.chatId)}</ChatId>` : ''}</xml>`
  );
}

/** 事件 › 模板卡片事件推送 (template_card_event, path 90240), as decrypted. */
export function wecomCardClickXml(e: { corpId: string; from: string; taskId: string; eventKey: string; responseCode?: string; cardType?: string; agentId?: number; createTime?: number }): string {
  return (
    `<xml><ToUserName>${cd(e.corpId)}</ToUserName><FromUserName>${cd(e.from)}</FromUserName>` +
    `<CreateTime>${e.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cd('event')}</MsgType>` +
    `<Event>${cd('template_card_event')}</Event><EventKey>${cd(e.eventKey)}</EventKey><TaskId>${cd(e.taskId)}</TaskId>` +
    `<CardType>${cd(e.cardType ?? 'button_interaction')}</CardType>` +
    (e.responseCode ? `<ResponseCode>${cd(e.responseCode)}</ResponseCode>` : '') +
    `<AgentID>${e.agentId ?? 1000002}</AgentID></xml>`
  );
}
