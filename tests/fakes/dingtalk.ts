// A loopback stand-in for 钉钉's open APIs (api.dingtalk.com and oapi.dingtalk.com on one 127.0.0.1 port),
// plus builders for callbacks signed / encrypted exactly as DingTalk sends them. It checks app key/secret
// and the x-acs-dingtalk-access-token header, verifies custom-robot signatures, records every request,
// and can be told to fail (HTTP 500 / 429 / 400 for the next N calls, slow answers, tokens invalidated).
// A card's outTrackId is its 幂等ID: a repeated createAndDeliver makes no second card (recorded in
// `repeatedCards`). 免登 codes (topapi/v2/user/getuserinfo, app access token in the query) are single use,
// 5 minutes; an unknown or used one answers errcode 40078 不存在的临时授权码. JS-API tickets
// (GET /get_jsapi_ticket, app access token in the query) are recorded in `tickets`.
// The crypto here is written independently of bot/channels/dingtalk/.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DingTalkFakeOptions {
  appKey: string;
  appSecret: string;
  /** expireIn of each access token, seconds (DingTalk: 7200) */
  tokenTtlSec?: number;
  /** custom group robots: access_token → secret ('' = no 加签) */
  robots?: Record<string, string>;
  /** expires_in of each jsapi ticket, seconds (DingTalk: 7200) */
  ticketTtlSec?: number;
}

export interface DingTalkRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  token?: string;
  body: Record<string, unknown>;
}

export interface DingTalkFake {
  url: string;
  requests: DingTalkRecordedRequest[];
  tokenRequests: number;
  /** jsapi tickets issued by /get_jsapi_ticket, in order */
  tickets: string[];
  /** createAndDeliver bodies */
  cards: Record<string, unknown>[];
  /** createAndDeliver bodies whose outTrackId had a card already (no second card) */
  repeatedCards: Record<string, unknown>[];
  /** a one-time 免登 code (dd.runtime.permission.requestAuthCode) for this userId */
  issueAuthCode(userId: string, name?: string): string;
  /** PUT /v1.0/card/instances bodies */
  cardUpdates: Record<string, unknown>[];
  /** oToMessages/batchSend and groupMessages/send bodies, with `kind` */
  robotMessages: (Record<string, unknown> & { kind: 'oto' | 'group' })[];
  /** custom robot webhook messages, with the access token */
  webhookMessages: (Record<string, unknown> & { accessToken: string })[];
  /** messages posted to /robot/sendBySession */
  sessionReplies: (Record<string, unknown> & { session: string })[];
  failNext(n: number, status?: number): void;
  rateLimitNext(n: number): void;
  setDelay(ms: number): void;
  invalidateTokens(): void;
  reset(): void;
  /** a sessionWebhook URL on this fake */
  sessionWebhook(session?: string): string;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function startDingTalkFake(opts: DingTalkFakeOptions): Promise<DingTalkFake> {
  const tokens = new Map<string, number>();
  const outTrackIds = new Set<string>();
  const authCodes = new Map<string, { userId: string; name: string; until: number }>();
  const robotSends = new Map<string, number[]>();
  let failures = { left: 0, status: 500 };
  let delay = 0;
  let seq = 0;

  const fake: DingTalkFake = {
    url: '',
    requests: [],
    tokenRequests: 0,
    tickets: [],
    cards: [],
    repeatedCards: [],
    issueAuthCode: (userId, name = userId) => {
      const code = `ac${++seq}${crypto.randomBytes(8).toString('hex')}`;
      authCodes.set(code, { userId, name, until: Date.now() + 5 * 60_000 });
      return code;
    },
    cardUpdates: [],
    robotMessages: [],
    webhookMessages: [],
    sessionReplies: [],
    failNext: (n, status = 500) => void (failures = { left: n, status }),
    rateLimitNext: (n) => void (failures = { left: n, status: 429 }),
    setDelay: (ms) => void (delay = ms),
    invalidateTokens: () => tokens.clear(),
    reset: () => {
      fake.requests.length = fake.tickets.length = fake.cards.length = fake.cardUpdates.length = fake.repeatedCards.length = 0;
      fake.robotMessages.length = fake.webhookMessages.length = fake.sessionReplies.length = 0;
      fake.tokenRequests = 0;
      failures = { left: 0, status: 500 };
      delay = 0;
      robotSends.clear();
    },
    sessionWebhook: (session = `s${++seq}`) => `${fake.url}/robot/sendBySession?session=${session}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    let body: Json = {};
    try {
      body = text ? (JSON.parse(text) as Json) : {};
    } catch {
      return send(res, 400, { code: 'InvalidParameter', message: 'body is not JSON' });
    }
    const token = req.headers['x-acs-dingtalk-access-token'];
    fake.requests.push({ method: req.method ?? '', path: url.pathname, query, token: typeof token === 'string' ? token : undefined, body });
    const route = `${req.method} ${url.pathname}`;

    if (route === 'POST /v1.0/oauth2/accessToken') {
      fake.tokenRequests++;
      if (body.appKey !== opts.appKey || body.appSecret !== opts.appSecret) return send(res, 400, { code: 'invalidClientIdOrSecret', message: '无效的appKey或appSecret' });
      const accessToken = crypto.randomBytes(16).toString('hex');
      const ttl = opts.tokenTtlSec ?? 7200;
      tokens.set(accessToken, Date.now() + ttl * 1000);
      return send(res, 200, { accessToken, expireIn: ttl });
    }
    if (failures.left > 0) {
      failures.left--;
      if (failures.status === 429) return send(res, 429, { code: 'Throttling', message: '请求过于频繁' });
      if (failures.status === 400) return send(res, 400, { code: 'InvalidParameter', message: '参数错误' });
      return send(res, failures.status, { code: 'ServiceUnavailable', message: '服务暂不可用' });
    }
    if (route === 'POST /robot/send') return robotSend(res, query, body);
    if (route === 'POST /robot/sendBySession') {
      fake.sessionReplies.push({ ...body, session: query.session ?? '' });
      return send(res, 200, { errcode: 0, errmsg: 'ok' });
    }
    if (route === 'GET /get_jsapi_ticket') {
      const exp = tokens.get(query.access_token ?? '');
      if (!exp || exp < Date.now()) return send(res, 200, { errcode: 40014, errmsg: '不合法的access_token' });
      const ticket = crypto.randomBytes(24).toString('base64url');
      fake.tickets.push(ticket);
      return send(res, 200, { errcode: 0, errmsg: 'ok', ticket, expires_in: opts.ticketTtlSec ?? 7200 });
    }
    if (route === 'POST /topapi/v2/user/getuserinfo') {
      // old-style oapi: the app token in the query, errors as HTTP 200 + errcode
      const exp = tokens.get(query.access_token ?? '');
      if (!exp || exp < Date.now()) return send(res, 200, { errcode: 40014, errmsg: '不合法的access_token', request_id: `r${++seq}` });
      const grant = typeof body.code === 'string' ? authCodes.get(body.code) : undefined;
      if (typeof body.code === 'string') authCodes.delete(body.code);
      if (!grant || grant.until < Date.now()) return send(res, 200, { errcode: 40078, errmsg: '不存在的临时授权码', request_id: `r${++seq}` });
      const unionid = crypto.createHash('sha1').update(grant.userId).digest('hex').slice(0, 20);
      const result = { userid: grant.userId, device_id: `dev${seq}`, sys: false, sys_level: 0, associated_unionid: '', unionid, name: grant.name };
      return send(res, 200, { errcode: 0, errmsg: 'ok', result, request_id: `r${++seq}` });
    }
    const exp = typeof token === 'string' ? tokens.get(token) : undefined;
    if (!exp || exp < Date.now()) return send(res, 400, { code: 'InvalidAuthentication', message: '不合法的access_token' });

    if (route === 'POST /v1.0/card/instances/createAndDeliver') {
      const paramMap = (body.cardData as { cardParamMap?: Json } | undefined)?.cardParamMap;
      const space = typeof body.openSpaceId === 'string' ? /^dtv1\.card\/\/(IM_GROUP|IM_ROBOT)\.(.+)$/i.exec(body.openSpaceId) : null;
      if (typeof body.cardTemplateId !== 'string' || typeof body.outTrackId !== 'string' || !space || !paramMap || Object.values(paramMap).some((v) => typeof v !== 'string')) {
        return send(res, 400, { code: 'InvalidParameter', message: 'cardTemplateId / outTrackId / openSpaceId / cardParamMap 不对' });
      }
      if (outTrackIds.has(body.outTrackId)) fake.repeatedCards.push(body);
      else fake.cards.push(body);
      outTrackIds.add(body.outTrackId);
      return send(res, 200, { success: true, result: { outTrackId: body.outTrackId, deliverResults: [{ spaceType: space[1]!.toUpperCase(), spaceId: space[2], success: true, carrierId: `c${++seq}` }] } });
    }
    if (route === 'PUT /v1.0/card/instances') {
      if (typeof body.outTrackId !== 'string' || !outTrackIds.has(body.outTrackId)) return send(res, 400, { code: 'param.cardNotExist', message: '卡片不存在' });
      fake.cardUpdates.push(body);
      return send(res, 200, { success: true, result: true });
    }
    if (route === 'POST /v1.0/robot/oToMessages/batchSend' || route === 'POST /v1.0/robot/groupMessages/send') {
      if (typeof body.robotCode !== 'string' || typeof body.msgKey !== 'string' || typeof body.msgParam !== 'string') return send(res, 400, { code: 'InvalidParameter', message: 'robotCode / msgKey / msgParam 必填' });
      const kind = route.includes('oToMessages') ? ('oto' as const) : ('group' as const);
      fake.robotMessages.push({ ...body, kind });
      return send(res, 200, kind === 'oto' ? { processQueryKey: `pq${++seq}`, invalidStaffIdList: [], flowControlledStaffIdList: [] } : { processQueryKey: `pq${++seq}` });
    }
    return send(res, 404, { code: 'NotFound', message: route });
  };

  const robotSend = (res: http.ServerResponse, query: Record<string, string>, body: Json) => {
    const accessToken = query.access_token ?? '';
    const secret = opts.robots?.[accessToken];
    if (secret === undefined) return send(res, 200, { errcode: 300001, errmsg: 'token is not exist' });
    if (secret) {
      const ts = Number(query.timestamp);
      const expected = crypto.createHmac('sha256', secret).update(`${query.timestamp}\n${secret}`).digest('base64');
      if (!query.timestamp || Math.abs(Date.now() - ts) > 3600_000 || query.sign !== expected) return send(res, 200, { errcode: 310000, errmsg: 'sign not match' });
    }
    const recent = (robotSends.get(accessToken) ?? []).filter((t) => t > Date.now() - 60_000);
    if (recent.length >= 20) return send(res, 200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
    robotSends.set(accessToken, [...recent, Date.now()]);
    fake.webhookMessages.push({ ...body, accessToken });
    return send(res, 200, { errcode: 0, errmsg: 'ok' });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const run = () => handle(req, res, Buffer.concat(chunks).toString('utf8'));
      if (delay > 0) setTimeout(run, delay);
      else run();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

// ---- callbacks as DingTalk sends them -------------------------------------------------------------

/** Robot @message HTTP callback: headers timestamp + sign = base64(HmacSHA256(appSecret, ts\nappSecret)). */
export function signedRobotCallback(appSecret: string, message: Json, timestamp: number = Date.now()): { headers: Record<string, string>; body: string } {
  const sign = crypto.createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
  return { headers: { timestamp: String(timestamp), sign, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(message) };
}

/** A robot message body shaped like DingTalk's (group by default). */
export function robotMessage(over: Json & { text?: string } = {}): Json {
  const { text, ...rest } = over;
  return {
    conversationId: 'cidGroupAAAA==',
    atUsers: [{ dingtalkId: '$:LWCP_v1:$bot' }],
    chatbotCorpId: 'dingcorp',
    chatbotUserId: '$:LWCP_v1:$bot',
    msgId: `msg${crypto.randomBytes(6).toString('hex')}`,
    senderNick: '王采购',
    isAdmin: false,
    senderStaffId: 'wang.cg',
    sessionWebhookExpiredTime: Date.now() + 20 * 60_000,
    createAt: Date.now(),
    senderCorpId: 'dingcorp',
    conversationType: '2',
    senderId: '$:LWCP_v1:$sender',
    conversationTitle: '采购群',
    isInAtList: true,
    text: { content: text ?? ' 库存 M8螺栓' },
    msgtype: 'text',
    robotCode: 'dingrobot',
    ...rest,
  };
}

function aesKey(encodingAesKey: string): Buffer {
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** Encrypts like DingTalk: AES-256-CBC, iv = key[0..16], random16 + len + msg + receiveId, PKCS#7/32. */
export function dingTalkEncrypt(encodingAesKey: string, receiveId: string, plaintext: string): string {
  const key = aesKey(encodingAesKey);
  const msg = Buffer.from(plaintext);
  const head = Buffer.alloc(20);
  crypto.randomBytes(16).toString('base64').slice(0, 16).split('').forEach((c, i) => head.write(c, i));
  head.writeUInt32BE(msg.length, 16);
  const body = Buffer.concat([head, msg, Buffer.from(receiveId)]);
  const padLen = 32 - (body.length % 32);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(padLen, padLen)])), cipher.final()]).toString('base64');
}

export function dingTalkDecrypt(encodingAesKey: string, encrypt: string): { msg: string; receiveId: string } {
  const key = aesKey(encodingAesKey);
  const d = crypto.createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(encrypt, 'base64')), d.final()]);
  const unpadded = plain.subarray(0, plain.length - plain[plain.length - 1]!);
  const n = unpadded.readUInt32BE(16);
  return { msg: unpadded.subarray(20, 20 + n).toString(), receiveId: unpadded.subarray(20 + n).toString() };
}

export function sha1Signature(...parts: string[]): string {
  return crypto.createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** An encrypted event push: `?signature&timestamp&nonce` and body {"encrypt": …}. */
export function encryptedEvent(
  keys: { token: string; aesKey: string; appKey: string },
  payload: Json,
  opts: { timestamp?: string; nonce?: string } = {},
): { query: string; body: string; encrypt: string } {
  const timestamp = opts.timestamp ?? String(Date.now());
  const nonce = opts.nonce ?? crypto.randomBytes(4).toString('hex');
  const encrypt = dingTalkEncrypt(keys.aesKey, keys.appKey, JSON.stringify(payload));
  const signature = sha1Signature(keys.token, timestamp, nonce, encrypt);
  return { query: `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, body: JSON.stringify({ encrypt }), encrypt };
}

/** A card button click as DingTalk delivers it (content is a JSON string with cardPrivateData). */
export function cardCallbackPayload(outTrackId: string, params: Record<string, string>, userId = 'boss', corpId = 'dingcorp'): Json {
  const content = JSON.stringify({ cardPrivateData: { actionIds: ['approve'], params } });
  return { extension: '{}', corpId, spaceType: 'IM', userIdType: 1, type: 'actionCallback', userId, content, spaceId: 'cidGroupAAAA==', outTrackId, value: content };
}
