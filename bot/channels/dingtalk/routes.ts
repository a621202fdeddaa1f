// 钉钉 callbacks; the router is mounted at /callbacks/dingtalk and reads raw bodies itself (≤ 64 KB, else 413).
//
// POST /callbacks/dingtalk — encrypted event subscription (DINGTALK_TOKEN, DINGTALK_AES_KEY, receive id =
//   DINGTALK_APP_KEY): query signature|msg_signature, timestamp|timeStamp, nonce; body {"encrypt": "…"}.
//   Signature checked (constant time) over the `encrypt` string of the raw body, then decrypted (receive
//   id checked); any failure → 401 and nothing acted on.
//   check_url → encrypted "success" (no time window: it acts on nothing); card callbacks (outTrackId +
//   cardPrivateData) → onCardAction, only when the signed timestamp is within 5 minutes (a click held
//   back must not decide later), deduped by handleOnce (see cardEventId); a failure releases the click
//   and answers 500. Every other event → encrypted "success" and ignored.
//   Answer: {msg_signature, timeStamp, nonce, encrypt}.
// POST /callbacks/dingtalk/robot — robot @messages in HTTP mode: headers timestamp + sign (AppSecret).
//   DingTalk's sign covers the timestamp header only, not the body, and its docs allow an hour; here:
//   - a timestamp more than 5 minutes off is refused (the docs say nothing of resends keeping the old
//     timestamp), and each (timestamp, sign) is accepted once (chat_inbound_event, across processes);
//   - the company is the configured one (DINGTALK_CORP_ID: the internal app's corp), never the body's
//     senderCorpId / chatbotCorpId;
//   - the sender (senderStaffId) is unproven: the message is marked senderUnverified, an answer in a
//     1:1 chat goes to senderStaffId through the robot API (never in the HTTP response), and in a
//     group only the group-safe answer goes to the message's sessionWebhook — and only when its origin
//     is DINGTALK_OAPI_BASE_URL's (DingTalk issues it for the conversation our robot is in). Private
//     answers (orders, approvals) are sent 1:1 by onMessage itself (bot/callbacks.ts).
//   The HTTP response is always {}. Deduped by msgId; a failure releases it and answers 500.
import crypto from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../../../server/platform/config.ts';
import type { CardView, ChannelAdapter, InboundMessage } from '../../../server/platform/channels.ts';
import { DingTalkCryptoError, DingTalkEncryptor } from './crypto.ts';
import { handleOnce, isFresh } from '../../inbound.ts';
import { CALLBACK_BODY_LIMIT } from '../limits.ts';
import { CARD_COMMENT_PARAM } from './render.ts';
import { parseRobotMessage, robotSignKey, sessionWebhookAllowed, verifyRobotRequest, type ParsedRobotMessage } from './robot.ts';

export interface DingTalkCardAction {
  /** the card's outTrackId (our SentMessage.messageId) */
  outTrackId: string;
  /** who clicked (userId, i.e. staff id) */
  userId: string;
  orgKey: string;
  /** cardPrivateData.actionIds */
  actionIds: string[];
  /** cardPrivateData.params: the clicked button's value (and the template's inputs, see render.ts) */
  params: Record<string, string>;
  /** what was typed into the card's reason input (params[CARD_COMMENT_PARAM]), when anything */
  comment?: string;
  eventId: string;
}

export interface DingTalkCallbackDeps {
  config: Config;
  onMessage(msg: InboundMessage): Promise<{ text?: string } | void>;
  /** a returned card replaces the clicked one (PUT /v1.0/card/instances through `adapter`) */
  onCardAction?(action: DingTalkCardAction): Promise<{ card?: CardView } | void>;
  /** true if the id was processed before (then: not acted on again) */
  seen(eventId: string): Promise<boolean>;
  /** takes `seen` back for a click whose handling failed (the id is the click itself, so a retry would be dropped forever) */
  forget?(eventId: string): Promise<void>;
  /** updates clicked cards; sends 1:1 answers to robot messages */
  adapter?: Pick<ChannelAdapter, 'updateCard' | 'sendText'> | null;
  log?: (msg: string, err?: unknown) => void;
  now?: () => number;
  /** sessionWebhook call timeout */
  timeoutMs?: number;
}

/** How far a card callback's signed timestamp may be from now. */
export const DINGTALK_CARD_CALLBACK_WINDOW_MS = 5 * 60_000;

class Unauthenticated extends Error {}

function deny(res: Response, message: string): void {
  res.status(401).json({ error: { code: 'UNAUTHENTICATED', message } });
}

function first(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : undefined;
}

function parseObject(raw: Buffer): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function stringParams(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : JSON.stringify(x);
  }
  return out;
}

/** A decrypted card callback → action; null when the event is not one. */
export function parseCardCallback(ev: Record<string, unknown>, eventId: string): DingTalkCardAction | null {
  if (typeof ev.outTrackId !== 'string' || !ev.outTrackId) return null;
  const raw = ev.content ?? ev.value;
  let content: unknown = raw;
  if (typeof raw === 'string') {
    try {
      content = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  const priv = (content as { cardPrivateData?: { actionIds?: unknown; params?: unknown } } | undefined)?.cardPrivateData;
  if (!priv) return null;
  const params = stringParams(priv.params);
  const comment = params[CARD_COMMENT_PARAM]?.trim();
  return {
    outTrackId: ev.outTrackId,
    userId: typeof ev.userId === 'string' ? ev.userId : '',
    orgKey: typeof ev.corpId === 'string' ? ev.corpId : '',
    actionIds: Array.isArray(priv.actionIds) ? priv.actionIds.filter((x): x is string => typeof x === 'string') : [],
    params,
    ...(comment ? { comment } : {}),
    eventId,
  };
}

/**
 * The dedupe id of a card callback: its EventId when it has one, else the click itself (card, user,
 * content). A redelivery is re-encrypted with a fresh random prefix, so the ciphertext cannot serve;
 * the same user pressing the same button of the same card twice is one decision anyway.
 */
function cardEventId(ev: Record<string, unknown>): string {
  const declared = ev.EventId ?? ev.eventId;
  if (typeof declared === 'string' && declared) return declared;
  const content = typeof ev.content === 'string' ? ev.content : JSON.stringify(ev.content ?? ev.value ?? null);
  const digest = crypto.createHash('sha256').update(`${String(ev.outTrackId)}\n${String(ev.userId)}\n${content}`).digest('hex');
  return `card:${digest.slice(0, 48)}`;
}

export function createDingTalkCallbackRouter(deps: DingTalkCallbackDeps): Router {
  const { config } = deps;
  const log = deps.log ?? ((msg: string, err?: unknown) => console.warn(`[dingtalk] ${msg}`, err ?? ''));
  const now = deps.now ?? Date.now;
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: CALLBACK_BODY_LIMIT });

  const encryptor =
    config.DINGTALK_TOKEN && config.DINGTALK_AES_KEY && config.DINGTALK_APP_KEY
      ? new DingTalkEncryptor(config.DINGTALK_TOKEN, config.DINGTALK_AES_KEY, config.DINGTALK_APP_KEY)
      : null;

  router.post('/', raw, async (req: Request, res: Response) => {
    if (!encryptor) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: '钉钉事件订阅未配置' } });
    let event: Record<string, unknown>;
    let signedAt: number;
    try {
      const signature = first(req.query.signature) ?? first(req.query.msg_signature);
      const timestamp = first(req.query.timestamp) ?? first(req.query.timeStamp);
      const nonce = first(req.query.nonce);
      const body = Buffer.isBuffer(req.body) ? parseObject(req.body) : null;
      if (!signature || !timestamp || !nonce || typeof body?.encrypt !== 'string') throw new Unauthenticated('缺少签名参数或密文');
      if (!encryptor.verify(signature, timestamp, nonce, body.encrypt)) throw new Unauthenticated('签名不对');
      signedAt = /^\d{1,16}$/.test(timestamp) ? Number(timestamp) : NaN;
      const plain = encryptor.decrypt(body.encrypt);
      const parsed = parseObject(Buffer.from(plain, 'utf8'));
      if (!parsed) throw new Unauthenticated('事件内容不是 JSON 对象');
      event = parsed;
    } catch (e) {
      if (e instanceof Unauthenticated || e instanceof DingTalkCryptoError) return deny(res, `钉钉回调校验失败: ${e.message}`);
      throw e;
    }
    const success = () => res.json(encryptor.encryptedMap('success', String(now())));
    if (event.EventType === 'check_url') return void success();

    const action = parseCardCallback(event, cardEventId(event));
    if (!action || !deps.onCardAction) return void success();
    if (!isFresh(signedAt, now(), DINGTALK_CARD_CALLBACK_WINDOW_MS)) {
      log(`卡片回调 ${action.outTrackId} 的时间戳超过 5 分钟，不处理`);
      return deny(res, '钉钉回调校验失败: timestamp 与当前时间相差超过 5 分钟');
    }
    const onCardAction = deps.onCardAction;
    let result: { card?: CardView } | void;
    try {
      const once = await handleOnce(deps, action.eventId, () => onCardAction(action));
      if (once.duplicate) return void success();
      result = once.result;
    } catch (e) {
      // Not handled (a refusal is an answer, not an error): the click was released, so DingTalk's
      // redelivery or the user's next press of the same button is acted on.
      log(`处理卡片回调 ${action.outTrackId} 失败`, e);
      return void res.status(500).json({ error: { code: 'INTERNAL', message: '处理失败，请稍后重试' } });
    }
    try {
      if (result?.card && deps.adapter) {
        const target = { platform: 'dingtalk' as const, kind: 'user' as const, id: action.userId };
        await deps.adapter.updateCard({ platform: 'dingtalk', target, messageId: action.outTrackId }, result.card);
      }
    } catch (e) {
      // The decision stands; the card is brought up to date by the next re-render.
      log(`更新卡片 ${action.outTrackId} 失败`, e);
    }
    success();
  });

  router.post('/robot', raw, async (req: Request, res: Response) => {
    const secret = config.DINGTALK_APP_SECRET;
    if (!secret) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: '钉钉机器人未配置' } });
    const timestamp = first(req.headers.timestamp);
    const sign = first(req.headers.sign);
    const verdict = verifyRobotRequest(secret, timestamp, sign, now());
    if (!verdict.ok) return deny(res, `钉钉机器人消息校验失败: ${verdict.reason}`);
    // The sign proves the timestamp only: a (timestamp, sign) pair opens one body, once.
    if (await deps.seen(robotSignKey(timestamp!, sign!))) return deny(res, '钉钉机器人消息校验失败: 该签名已使用过');
    const body = Buffer.isBuffer(req.body) ? parseObject(req.body) : null;
    const parsed = body && parseRobotMessage(body, { orgKey: config.DINGTALK_CORP_ID ?? '' });
    if (!parsed) return void res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: '钉钉机器人消息缺少 msgId、发送人或会话' } });

    try {
      await handleOnce(deps, parsed.message.messageId, () => answerRobotMessage(parsed));
    } catch (e) {
      // Released with the message id: DingTalk's retry of this message (same headers) is taken.
      await deps.forget?.(robotSignKey(timestamp!, sign!)).catch(() => undefined);
      log(`处理钉钉消息 ${parsed.message.messageId} 失败`, e);
      return void res.status(500).json({});
    }
    // Never an answer here: whoever holds a captured signature reads this response.
    res.json({});
  });

  async function answerRobotMessage(parsed: ParsedRobotMessage): Promise<void> {
    const { message } = parsed;
    const text = (await deps.onMessage(message))?.text;
    if (!text) return;
    if (message.chatType === 'p2p') {
      // To the sender's own 1:1 chat through the API: a forged senderStaffId reaches its owner, not the forger.
      if (!parsed.senderStaffId || !deps.adapter) return void log(`单聊消息 ${message.messageId} 没有 senderStaffId 或未配置机器人，不回复`);
      await deps.adapter.sendText({ platform: 'dingtalk', kind: 'user', id: parsed.senderStaffId }, text);
      return;
    }
    const reply = { msgtype: 'text', text: { content: text }, ...(parsed.senderStaffId ? { at: { atUserIds: [parsed.senderStaffId] } } : {}) };
    const hook = parsed.sessionWebhook;
    if (!hook) return void log(`群消息 ${message.messageId} 没有 sessionWebhook，不回复`);
    if (!sessionWebhookAllowed(hook, config.DINGTALK_OAPI_BASE_URL)) {
      return void log(`sessionWebhook 不在 ${config.DINGTALK_OAPI_BASE_URL} 下，不回复: ${hook.slice(0, 200)}`);
    }
    if (parsed.sessionWebhookExpiresAt !== undefined && parsed.sessionWebhookExpiresAt < now()) {
      return void log(`sessionWebhook 已过期，不回复消息 ${message.messageId}`);
    }
    try {
      const r = await fetch(hook, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(reply),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      const out = (await r.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
      if (!r.ok || (out.errcode !== undefined && out.errcode !== 0)) log(`sessionWebhook 回复失败: HTTP ${r.status} ${out.errcode ?? ''} ${out.errmsg ?? ''}`);
    } catch (e) {
      log('sessionWebhook 回复失败', e);
    }
  }

  return router;
}
