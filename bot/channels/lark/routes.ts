// /callbacks/lark — one URL for 飞书 events and card callbacks.
// Verification (docs: event-subscription-guide "接收事件" / callback-subscription "接收回调"):
// - with LARK_ENCRYPT_KEY: every event / callback must carry X-Lark-Signature =
//   sha256(timestamp + nonce + encrypt_key + RAW body) and an {"encrypt": …} body (AES-256-CBC);
//   the URL check (`url_verification`) is not signed, it is accepted when it decrypts and its token matches;
// - always: the Verification Token (header.token for schema 2.0, token for url_verification).
// Anything that fails → 401 {error:{code:'UNAUTHENTICATED'}} and nothing is acted on.
// Handled: url_verification → {challenge}; im.message.receive_v1 → onMessage (deduped by event_id,
// its text answer sent as a reply); card.action.trigger → onCardAction, answered within 3 s with
// {toast, card:{type:'raw', data}}. Other events are acknowledged with {}.
// Freshness: a card action created (header.create_time, or the signed request timestamp) more than
// 5 minutes ago is refused with a toast and not acted on (a held-back click must not decide later);
// a message older than the inbound retention (bot/inbound.ts) is dropped, since its id may be pruned.
// Bodies are capped at 64 KB. Handling that fails releases the event id (handleOnce): a message is
// answered 500 so Feishu retries it; a click gets an error toast and can be pressed again.
import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../../../server/platform/config.ts';
import type { CardView, InboundMessage } from '../../../server/platform/channels.ts';
import { LarkAdapter } from './adapter.ts';
import { decryptLark, LarkCryptoError, LARK_NONCE_HEADER, LARK_SIGNATURE_HEADER, LARK_TIMESTAMP_HEADER, safeEqual, verifyLarkSignature } from './crypto.ts';
import { handleOnce, INBOUND_RETENTION_MS, isFresh } from '../../inbound.ts';
import { CALLBACK_BODY_LIMIT } from '../limits.ts';
import { renderLarkCard } from './render.ts';

export type LarkToastType = 'info' | 'success' | 'error' | 'warning';

export interface LarkCardAction {
  /** the clicked button's `value` */
  value: Record<string, string>;
  /** a form container's inputs by name (action.form_value), when the button submitted one */
  formValue?: Record<string, string>;
  /** operator open_id */
  operatorId: string;
  /** open_message_id of the card */
  messageId: string;
  chatId?: string;
  /** tenant_key */
  orgKey: string;
  eventId: string;
}

export interface LarkCardActionResult {
  toast?: { type: LarkToastType; content: string };
  /** the card's new content; omitted = keep the card as it is */
  card?: CardView;
}

export interface LarkCallbackDeps {
  config: Config;
  onMessage(msg: InboundMessage): Promise<{ text?: string } | void>;
  onCardAction?(action: LarkCardAction): Promise<LarkCardActionResult | void>;
  /** true if the id was processed before (then: not acted on again) */
  seen(eventId: string): Promise<boolean>;
  /** takes `seen` back for an event whose handling failed */
  forget?(eventId: string): Promise<void>;
  /** sends onMessage's answer; default LarkAdapter.fromConfig(config) */
  adapter?: Pick<LarkAdapter, 'replyText'> | null;
  /** card callbacks must be answered within 3 s: after this the click gets a "processing" toast */
  cardActionBudgetMs?: number;
  log?: (msg: string, err?: unknown) => void;
  now?: () => number;
}

/** A card action older than this is refused. */
export const LARK_CARD_ACTION_WINDOW_MS = 5 * 60_000;

/** Feishu times as milliseconds: header.create_time (ms; µs seen too) or the request header (s). */
export function larkTimeMs(v: string | undefined): number | undefined {
  if (!v || !/^\d{1,19}$/.test(v)) return undefined;
  const n = Number(v);
  return n > 1e14 ? Math.floor(n / 1000) : n < 1e11 ? n * 1000 : n;
}

interface Envelope {
  schema?: string;
  type?: string;
  token?: string;
  challenge?: string;
  encrypt?: string;
  header?: { event_id?: string; event_type?: string; token?: string; tenant_key?: string; create_time?: string };
  event?: Record<string, unknown>;
}

class Unauthenticated extends Error {}

function deny(res: Response, message: string): void {
  res.status(401).json({ error: { code: 'UNAUTHENTICATED', message } });
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseJson(text: string): Envelope {
  const v: unknown = JSON.parse(text);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new SyntaxError('not an object');
  return v as Envelope;
}

/** Verifies and opens a request; throws Unauthenticated. Returns the plain envelope. */
function open(req: Request, raw: Buffer, config: Config): Envelope {
  const key = config.LARK_ENCRYPT_KEY;
  const token = config.LARK_VERIFICATION_TOKEN!;
  const sig = { timestamp: header(req, LARK_TIMESTAMP_HEADER), nonce: header(req, LARK_NONCE_HEADER), signature: header(req, LARK_SIGNATURE_HEADER) };
  const signed = key ? verifyLarkSignature(sig, key, raw) : false;
  if (key && sig.signature && !signed) throw new Unauthenticated('X-Lark-Signature 校验失败');
  let outer: Envelope;
  try {
    outer = parseJson(raw.toString('utf8'));
  } catch {
    throw new Unauthenticated('请求体不是合法的 JSON');
  }
  let body = outer;
  if (typeof outer.encrypt === 'string') {
    if (!key) throw new Unauthenticated('收到加密事件，但未配置 LARK_ENCRYPT_KEY');
    try {
      body = parseJson(decryptLark(key, outer.encrypt));
    } catch (e) {
      throw new Unauthenticated(e instanceof LarkCryptoError ? `解密失败：${e.message}` : '解密结果不是合法的 JSON');
    }
  } else if (key) {
    throw new Unauthenticated('已配置 Encrypt Key，事件必须加密推送');
  }
  if (body.type === 'url_verification') {
    // the documented shape is {challenge, token, type}; the SDKs' own samples also carry it in header.token
    const given = body.token ?? body.header?.token;
    if (!given || !safeEqual(given, token)) throw new Unauthenticated('Verification Token 不匹配');
    return body;
  }
  if (key && !signed) throw new Unauthenticated('缺少 X-Lark-Signature 签名');
  const given = body.schema === '2.0' ? body.header?.token : body.token;
  if (!given || !safeEqual(given, token)) throw new Unauthenticated('Verification Token 不匹配');
  return body;
}

/** The text of a text / post message with the @mention placeholders (@_user_1 …) removed. */
export function messageText(messageType: string, content: string, mentionKeys: string[]): string {
  let text = '';
  try {
    const c = JSON.parse(content) as Record<string, unknown>;
    if (messageType === 'text' && typeof c.text === 'string') text = c.text;
    if (messageType === 'post') {
      const post = (Array.isArray(c.content) ? c : Object.values(c)[0]) as { content?: unknown } | undefined;
      const rows = Array.isArray(post?.content) ? (post.content as unknown[]) : [];
      text = rows
        .map((row) => (Array.isArray(row) ? row : []).map((el: { tag?: string; text?: string }) => (el?.tag === 'text' || el?.tag === 'a' ? el.text ?? '' : '')).join(''))
        .join('\n');
    }
  } catch {
    return '';
  }
  for (const k of mentionKeys) text = text.split(k).join(' ');
  return text.replace(/@_user_\d+|@_all/g, ' ').replace(/[ \t\u00a0\u3000]+/g, ' ').replace(/ *\n */g, '\n').trim();
}

interface ReceiveEvent {
  sender?: { sender_id?: { open_id?: string }; sender_type?: string };
  message?: { message_id?: string; chat_id?: string; chat_type?: string; message_type?: string; content?: string; mentions?: { key?: string; name?: string }[] };
}

interface CardActionEvent {
  operator?: { open_id?: string };
  action?: { value?: unknown; form_value?: unknown };
  context?: { open_message_id?: string; open_chat_id?: string };
}

function stringValues(v: unknown): Record<string, string> {
  if (typeof v === 'string') return { value: v };
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
}

export function createLarkCallbackRouter(deps: LarkCallbackDeps): Router {
  const { config } = deps;
  const log = deps.log ?? ((msg: string, err?: unknown) => console.error(`[lark] ${msg}`, err ?? ''));
  const adapter = deps.adapter === undefined ? LarkAdapter.fromConfig(config) : deps.adapter;
  const budget = deps.cardActionBudgetMs ?? 2500;
  const now = deps.now ?? Date.now;
  const router = express.Router();

  router.post('/', express.raw({ type: () => true, limit: CALLBACK_BODY_LIMIT }), async (req, res) => {
    if (!config.LARK_VERIFICATION_TOKEN) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: '飞书未配置（缺少 LARK_VERIFICATION_TOKEN）' } });
      return;
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let body: Envelope;
    try {
      body = open(req, raw, config);
    } catch (e) {
      if (e instanceof Unauthenticated) return deny(res, e.message);
      throw e;
    }
    if (body.type === 'url_verification') {
      res.json({ challenge: body.challenge ?? '' });
      return;
    }
    const eventType = body.header?.event_type;
    const eventId = body.header?.event_id;
    const orgKey = body.header?.tenant_key ?? '';
    if (body.schema !== '2.0' || !eventId || (eventType !== 'im.message.receive_v1' && eventType !== 'card.action.trigger')) {
      res.json({});
      return;
    }
    // The event's own time, else the request's (covered by the signature when there is one).
    const createdAt = larkTimeMs(body.header?.create_time) ?? larkTimeMs(header(req, LARK_TIMESTAMP_HEADER));
    const requestedAt = larkTimeMs(header(req, LARK_TIMESTAMP_HEADER));
    if (eventType === 'card.action.trigger') {
      const stale = [createdAt, requestedAt].some((t) => t !== undefined && !isFresh(t, now(), LARK_CARD_ACTION_WINDOW_MS));
      if (createdAt === undefined || stale) {
        log(`卡片操作 ${eventId} 已过期，不处理`);
        res.json({ toast: { type: 'error', content: '操作已过期，请重新打开卡片后再试' } });
        return;
      }
      res.json(await handleCardAction(body.event as CardActionEvent, eventId, orgKey));
      return;
    }
    if (createdAt !== undefined && !isFresh(createdAt, now(), INBOUND_RETENTION_MS)) {
      res.json({});
      return;
    }
    try {
      await handleOnce(deps, eventId, () => handleMessage(body.event as ReceiveEvent, eventId, orgKey));
    } catch (e) {
      // released: Feishu's retry is acted on
      log(`处理消息事件 ${eventId} 失败`, e);
      res.status(500).json({});
      return;
    }
    res.json({});
  });

  async function handleMessage(event: ReceiveEvent, eventId: string, orgKey: string): Promise<void> {
    const m = event?.message;
    if (!m?.message_id || !m.chat_id || event.sender?.sender_type === 'app') return;
    const mentions = m.mentions ?? [];
    const msg: InboundMessage = {
      platform: 'lark',
      messageId: m.message_id,
      orgKey,
      chatType: m.chat_type === 'p2p' ? 'p2p' : 'group',
      chatId: m.chat_id,
      senderId: event.sender?.sender_id?.open_id ?? '',
      text: messageText(m.message_type ?? '', m.content ?? '', mentions.map((x) => x.key ?? '').filter(Boolean)),
    };
    const answer = await deps.onMessage(msg);
    if (answer?.text && adapter) await adapter.replyText(m.message_id, answer.text, { idempotencyKey: `reply:${eventId}` });
  }

  async function handleCardAction(event: CardActionEvent, eventId: string, orgKey: string): Promise<object> {
    if (!deps.onCardAction) return {};
    const action: LarkCardAction = {
      value: stringValues(event?.action?.value),
      ...(event?.action?.form_value ? { formValue: stringValues(event.action.form_value) } : {}),
      operatorId: event?.operator?.open_id ?? '',
      messageId: event?.context?.open_message_id ?? '',
      chatId: event?.context?.open_chat_id,
      orgKey,
      eventId,
    };
    const onCardAction = deps.onCardAction;
    const work = handleOnce(deps, eventId, () => onCardAction(action)).then(
      (r): LarkCardActionResult => (r.duplicate ? { toast: { type: 'info', content: '该操作已处理' } } : r.result ?? {}),
      (e: unknown) => {
        log(`处理卡片操作 ${eventId} 失败`, e);
        const failed: LarkCardActionResult = { toast: { type: 'error', content: '操作失败，请稍后再试' } };
        return failed;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<LarkCardActionResult>((resolve) => {
      timer = setTimeout(() => resolve({ toast: { type: 'info', content: '已收到，正在处理…' } }), budget);
    });
    const result = await Promise.race([work, late]).finally(() => clearTimeout(timer));
    return {
      ...(result.toast ? { toast: result.toast } : {}),
      ...(result.card ? { card: { type: 'raw', data: renderLarkCard(result.card, { publicBaseUrl: config.PUBLIC_BASE_URL }) } } : {}),
    };
  }

  return router;
}
