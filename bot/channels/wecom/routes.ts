// /callbacks/wecom — 企业微信 app callbacks (docs: 回调配置 path 90930, 接收消息与事件 path 90238/90240).
// GET  ?msg_signature&timestamp&nonce&echostr: URL verification — the signature covers echostr; the
//      decrypted echostr is answered as plain text.
// POST ?msg_signature&timestamp&nonce with <xml><ToUserName/><Encrypt/><AgentID/></xml>: the signature
//      covers the Encrypt text as it stands in the raw body; decrypted, its receiveid must be WECOM_CORP_ID.
//      Handled: MsgType text → onMessage (deduped by MsgId; the answer is sent to the sender, or to the chat
//      when a ChatId is present); Event template_card_event → onCardAction with the button's value (deduped
//      by sender + CreateTime + TaskId + EventKey, as the docs advise for events), whose result may
//      replace the card through update_template_card with the click's ResponseCode. Anything else: 200 ''.
// Any verification failure → 401 {error:{code:'UNAUTHENTICATED'}} and nothing is acted on. Bodies are
// capped at 64 KB (413); the signature is checked over the Encrypt text found by a bounded scan before
// any XML is read, and a signed timestamp more than 5 minutes off is refused (WeCom retries a callback
// within seconds: three tries, five seconds apart). An event whose handling failed is released (see
// bot/inbound.ts) and answered 500, so WeCom's retry is acted on.
import crypto from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../../../server/platform/config.ts';
import type { CardView, ChatTarget, InboundMessage } from '../../../server/platform/channels.ts';
import { WecomAdapter } from './adapter.ts';
import { decryptWecom, verifyWecomSignature, WecomCryptoError } from './crypto.ts';
import { parseButtonKey } from './render.ts';
import { handleOnce } from '../../inbound.ts';
import { CALLBACK_BODY_LIMIT } from '../limits.ts';
import { extractEncrypt, parseXmlFields, XmlError } from './xml.ts';

export interface WecomCardAction {
  /** the clicked button's value (its key, parsed) */
  value: Record<string, string>;
  /** the raw EventKey */
  key: string;
  /** the member who clicked (userid) */
  operatorId: string;
  taskId: string;
  cardType: string;
  /** single use, 72 h: lets update_template_card replace this card for the clicker */
  responseCode?: string;
  agentId?: string;
  /** corp id */
  orgKey: string;
  eventId: string;
}

export interface WecomCardActionResult {
  /** the card's new content for the clicker; omitted = keep it */
  card?: CardView;
  /** or only grey out the buttons with this text */
  replaceButtonText?: string;
}

export interface WecomCallbackDeps {
  config: Config;
  onMessage(msg: InboundMessage): Promise<{ text?: string } | void>;
  onCardAction?(action: WecomCardAction): Promise<WecomCardActionResult | void>;
  /** true if the id was processed before (then: not acted on again) */
  seen(eventId: string): Promise<boolean>;
  /** takes `seen` back for an event whose handling failed */
  forget?(eventId: string): Promise<void>;
  /** sends answers and card updates; default WecomAdapter.fromConfig(config) */
  adapter?: Pick<WecomAdapter, 'sendText' | 'updateTemplateCard' | 'replaceButton'> | null;
  log?: (msg: string, err?: unknown) => void;
  now?: () => number;
}

/** How far the signed timestamp may be from now (WeCom's retries all fall within seconds). */
export const WECOM_TIMESTAMP_WINDOW_MS = 5 * 60_000;

class Unauthenticated extends Error {}

function deny(res: Response, message: string): void {
  res.status(401).json({ error: { code: 'UNAUTHENTICATED', message } });
}

function queryString(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : undefined;
}

function signatureParams(req: Request) {
  return { signature: queryString(req, 'msg_signature'), timestamp: queryString(req, 'timestamp'), nonce: queryString(req, 'nonce') };
}

interface Settings {
  token: string;
  aesKey: string;
  corpId: string;
}

function settings(config: Config): Settings | null {
  const { WECOM_TOKEN: token, WECOM_ENCODING_AES_KEY: aesKey, WECOM_CORP_ID: corpId } = config;
  return token && aesKey && corpId ? { token, aesKey, corpId } : null;
}

/** Verifies the signature over `encrypted` and decrypts it for our corp id; throws Unauthenticated. */
function open(req: Request, s: Settings, encrypted: string, nowMs?: number): string {
  const params = signatureParams(req);
  if (!verifyWecomSignature(s.token, params, encrypted)) throw new Unauthenticated('msg_signature 校验失败');
  // Only after the signature: the timestamp is then WeCom's own (seconds).
  if (nowMs !== undefined && !(/^\d{1,12}$/.test(params.timestamp ?? '') && Math.abs(nowMs - Number(params.timestamp) * 1000) <= WECOM_TIMESTAMP_WINDOW_MS)) {
    throw new Unauthenticated('timestamp 与当前时间相差超过 5 分钟');
  }
  try {
    return decryptWecom(s.aesKey, encrypted, s.corpId).message;
  } catch (e) {
    if (e instanceof WecomCryptoError) throw new Unauthenticated(`解密失败：${e.message}`);
    throw e;
  }
}

function eventId(f: Record<string, string>): string {
  const parts = [f.FromUserName, f.CreateTime, f.TaskId, f.EventKey].map((x) => x ?? '').join('\n');
  return `event:${crypto.createHash('sha1').update(parts).digest('hex')}`;
}

export function createWecomCallbackRouter(deps: WecomCallbackDeps): Router {
  const { config } = deps;
  const log = deps.log ?? ((msg: string, err?: unknown) => console.error(`[wecom] ${msg}`, err ?? ''));
  const adapter = deps.adapter === undefined ? WecomAdapter.fromConfig(config) : deps.adapter;
  const now = deps.now ?? Date.now;
  const router = express.Router();

  function configured(res: Response): Settings | null {
    const s = settings(config);
    if (!s) res.status(404).json({ error: { code: 'NOT_FOUND', message: '企业微信未配置（缺少 WECOM_TOKEN / WECOM_ENCODING_AES_KEY / WECOM_CORP_ID）' } });
    return s;
  }

  router.get('/', (req, res) => {
    const s = configured(res);
    if (!s) return;
    // base64 never holds a space: a '+' that arrived un-encoded was turned into one by the query parser
    const echostr = queryString(req, 'echostr')?.replace(/ /g, '+') ?? '';
    try {
      const echo = open(req, s, echostr);
      res.type('text/plain').send(echo);
    } catch (e) {
      if (e instanceof Unauthenticated) return deny(res, e.message);
      throw e;
    }
  });

  router.post('/', express.raw({ type: () => true, limit: CALLBACK_BODY_LIMIT }), async (req, res) => {
    const s = configured(res);
    if (!s) return;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let fields: Record<string, string>;
    try {
      // Nothing reads the XML before the signature holds: the Encrypt text comes from a bounded scan.
      const encrypted = extractEncrypt(raw.toString('utf8'));
      if (!encrypted) throw new Unauthenticated('请求体缺少 Encrypt');
      const plain = open(req, s, encrypted, now());
      try {
        fields = parseXmlFields(plain);
      } catch (e) {
        if (e instanceof XmlError) throw new Unauthenticated('解密结果不是合法的 XML');
        throw e;
      }
    } catch (e) {
      if (e instanceof Unauthenticated) return deny(res, e.message);
      throw e;
    }
    try {
      if (fields.MsgType === 'text' && fields.MsgId) {
        await handleOnce(deps, fields.MsgId, () => handleText(fields, s.corpId));
      } else if (fields.MsgType === 'event' && fields.Event === 'template_card_event' && deps.onCardAction) {
        const id = eventId(fields);
        await handleOnce(deps, id, () => handleCardAction(fields, id, s.corpId));
      }
    } catch (e) {
      // released: WeCom's retry (or the next press) is acted on
      log('处理回调失败', e);
      return void res.status(500).type('text/plain').send('');
    }
    // an empty answer: WeCom neither retries nor shows anything
    res.type('text/plain').send('');
  });

  async function handleText(f: Record<string, string>, corpId: string): Promise<void> {
    const chatId = f.ChatId || undefined;
    const msg: InboundMessage = {
      platform: 'wecom',
      messageId: f.MsgId!,
      orgKey: corpId,
      chatType: chatId ? 'group' : 'p2p',
      chatId: chatId ?? f.FromUserName ?? '',
      senderId: f.FromUserName ?? '',
      text: (f.Content ?? '').replace(/^@\S+[\s\u2005\u3000]+/, '').trim(),
    };
    const answer = await deps.onMessage(msg);
    if (answer?.text && adapter) {
      const target: ChatTarget = chatId ? { platform: 'wecom', kind: 'group', id: chatId } : { platform: 'wecom', kind: 'user', id: msg.senderId };
      // No idempotency key: WeCom's duplicate check compares content, so it would swallow the same
      // answer to the same question asked twice. A failed send releases the MsgId: the retry answers.
      await adapter.sendText(target, answer.text);
    }
  }

  async function handleCardAction(f: Record<string, string>, id: string, corpId: string): Promise<void> {
    const action: WecomCardAction = {
      value: parseButtonKey(f.EventKey ?? ''),
      key: f.EventKey ?? '',
      operatorId: f.FromUserName ?? '',
      taskId: f.TaskId ?? '',
      cardType: f.CardType ?? '',
      responseCode: f.ResponseCode || undefined,
      agentId: f.AgentID || undefined,
      orgKey: corpId,
      eventId: id,
    };
    // A failure here releases the click: the decision is applied once by the approval engine anyway.
    const result = await deps.onCardAction!(action);
    if (!result || !adapter || !action.responseCode) return;
    try {
      if (result.card) await adapter.updateTemplateCard(action.responseCode, [action.operatorId], result.card);
      else if (result.replaceButtonText) await adapter.replaceButton(action.responseCode, [action.operatorId], result.replaceButtonText);
    } catch (e) {
      // The decision stands; the card is brought up to date by the next re-render.
      log(`更新卡片 ${id} 失败`, e);
    }
  }

  return router;
}
