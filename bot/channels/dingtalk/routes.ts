// 钉钉 callbacks; the router is mounted at /callbacks/dingtalk and reads raw bodies itself.
//
// POST /callbacks/dingtalk — encrypted event subscription (DINGTALK_TOKEN, DINGTALK_AES_KEY, receive id =
//   DINGTALK_APP_KEY): query signature|msg_signature, timestamp|timeStamp, nonce; body {"encrypt": "…"}.
//   Signature checked (constant time) over the `encrypt` string of the raw body, then decrypted (receive
//   id checked); any failure → 401 and nothing acted on. No time window (the official SDKs set none).
//   check_url → encrypted "success"; card callbacks (outTrackId + cardPrivateData) → onCardAction (deduped,
//   see cardEventId);
//   every other event → encrypted "success" and ignored. Answer: {msg_signature, timeStamp, nonce, encrypt}.
// POST /callbacks/dingtalk/robot — robot @messages in HTTP mode: headers timestamp + sign (AppSecret),
//   refused (401) when more than an hour off or wrong. Deduped by msgId. onMessage's answer goes to the
//   message's sessionWebhook ONLY when its origin is DINGTALK_OAPI_BASE_URL's origin (otherwise it is
//   logged and nothing is answered); a message without a sessionWebhook is answered in the HTTP response.
//   DingTalk's sign covers the timestamp header only, not the body: a captured pair could carry another
//   body within the hour. Hence the webhook origin rule and the msgId dedupe.
import crypto from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../../../server/platform/config.ts';
import type { CardView, ChannelAdapter, InboundMessage } from '../../types.ts';
import { DingTalkCryptoError, DingTalkEncryptor } from './crypto.ts';
import { CARD_COMMENT_PARAM } from './render.ts';
import { parseRobotMessage, sessionWebhookAllowed, verifyRobotRequest } from './robot.ts';

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
  adapter?: Pick<ChannelAdapter, 'updateCard'> | null;
  log?: (msg: string, err?: unknown) => void;
  now?: () => number;
  /** sessionWebhook call timeout */
  timeoutMs?: number;
}

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
  const raw = express.raw({ type: () => true, limit: '1mb' });

  const encryptor =
    config.DINGTALK_TOKEN && config.DINGTALK_AES_KEY && config.DINGTALK_APP_KEY
      ? new DingTalkEncryptor(config.DINGTALK_TOKEN, config.DINGTALK_AES_KEY, config.DINGTALK_APP_KEY)
      : null;

  router.post('/', raw, async (req: Request, res: Response) => {
    if (!encryptor) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: '钉钉事件订阅未配置' } });
    let event: Record<string, unknown>;
    try {
      const signature = first(req.query.signature) ?? first(req.query.msg_signature);
      const timestamp = first(req.query.timestamp) ?? first(req.query.timeStamp);
      const nonce = first(req.query.nonce);
      const body = Buffer.isBuffer(req.body) ? parseObject(req.body) : null;
      if (!signature || !timestamp || !nonce || typeof body?.encrypt !== 'string') throw new Unauthenticated('缺少签名参数或密文');
      if (!encryptor.verify(signature, timestamp, nonce, body.encrypt)) throw new Unauthenticated('签名不对');
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
    if (await deps.seen(action.eventId)) return void success();
    let result: { card?: CardView } | void;
    try {
      result = await deps.onCardAction(action);
    } catch (e) {
      // Not handled (a refusal is an answer, not an error): forget the click and answer 500, so
      // DingTalk delivers it again or the user's next press of the same button is acted on.
      log(`处理卡片回调 ${action.outTrackId} 失败`, e);
      await deps.forget?.(action.eventId).catch((f: unknown) => log(`撤销去重记录 ${action.eventId} 失败`, f));
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
    const verdict = verifyRobotRequest(secret, first(req.headers.timestamp), first(req.headers.sign), now());
    if (!verdict.ok) return deny(res, `钉钉机器人消息校验失败: ${verdict.reason}`);
    const body = Buffer.isBuffer(req.body) ? parseObject(req.body) : null;
    const parsed = body && parseRobotMessage(body);
    if (!parsed) return void res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: '钉钉机器人消息缺少 msgId、发送人或会话' } });
    if (await deps.seen(parsed.message.messageId)) return void res.json({});

    let answer: { text?: string } | void;
    try {
      answer = await deps.onMessage(parsed.message);
    } catch (e) {
      log(`处理钉钉消息 ${parsed.message.messageId} 失败`, e);
      return void res.json({});
    }
    const text = answer?.text;
    if (!text) return void res.json({});
    const at = parsed.message.chatType === 'group' && parsed.senderStaffId ? { atUserIds: [parsed.senderStaffId] } : undefined;
    const reply = { msgtype: 'text', text: { content: text }, ...(at ? { at } : {}) };
    const hook = parsed.sessionWebhook;
    if (!hook) return void res.json(reply);
    if (!sessionWebhookAllowed(hook, config.DINGTALK_OAPI_BASE_URL)) {
      log(`sessionWebhook 不在 ${config.DINGTALK_OAPI_BASE_URL} 下，不回复: ${hook.slice(0, 200)}`);
      return void res.json({});
    }
    if (parsed.sessionWebhookExpiresAt !== undefined && parsed.sessionWebhookExpiresAt < now()) {
      log(`sessionWebhook 已过期，不回复消息 ${parsed.message.messageId}`);
      return void res.json({});
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
    res.json({});
  });

  return router;
}
