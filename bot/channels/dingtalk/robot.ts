// 钉钉 robots: the signing both directions use, the custom group robot target, and parsing of the
// robot @messages an internal app's robot posts to us in HTTP mode.
//
// sign = base64(HmacSHA256(key = secret, data = `${timestamp}\n${secret}`)), timestamp in ms.
// - Custom group robot (自定义机器人, 加签): POST {OAPI}/robot/send?access_token=…&timestamp=…&sign=<url-encoded>.
//   Target id: `robot:<access_token>` or `robot:<access_token>:<secret>` (the SEC… secret of 加签;
//   neither contains ':'). Such a target takes `kind: 'group'`.
// - Inbound robot messages: headers `timestamp` and `sign`, secret = the app's AppSecret. DingTalk:
//   "timestamp 与系统当前时间戳如果相差1小时以上，则认为是非法的请求；sign 与开发者自己计算的结果
//   不一致，则认为是非法的请求". The sign covers the timestamp only, not the body: we take 5 minutes
//   (nothing in the docs says a resend keeps its old timestamp) and each (timestamp, sign) once.
import crypto from 'node:crypto';
import type { InboundMessage } from '../../../server/platform/channels.ts';
import { safeEqual } from './crypto.ts';

export const ROBOT_MAX_SKEW_MS = 5 * 60 * 1000;
export const ROBOT_TARGET_PREFIX = 'robot:';

/** base64(HmacSHA256(secret, `${timestamp}\n${secret}`)), not URL-encoded. */
export function robotSign(secret: string, timestamp: string | number): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

export interface RobotTarget {
  accessToken: string;
  secret?: string;
}

export function robotTargetId(t: RobotTarget): string {
  return `${ROBOT_TARGET_PREFIX}${t.accessToken}${t.secret ? `:${t.secret}` : ''}`;
}

/** `robot:<token>[:<secret>]` → parts; anything else → null (an app-robot target). */
export function parseRobotTarget(id: string): RobotTarget | null {
  if (!id.startsWith(ROBOT_TARGET_PREFIX)) return null;
  const [accessToken, secret, ...rest] = id.slice(ROBOT_TARGET_PREFIX.length).split(':');
  if (!accessToken || rest.length) return null;
  return secret ? { accessToken, secret } : { accessToken };
}

/** The custom robot's webhook URL, signed now when it has a secret. */
export function signedRobotUrl(oapiBaseUrl: string, t: RobotTarget, now: number = Date.now()): string {
  const url = new URL('/robot/send', oapiBaseUrl);
  url.searchParams.set('access_token', t.accessToken);
  if (t.secret) {
    url.searchParams.set('timestamp', String(now));
    url.searchParams.set('sign', robotSign(t.secret, now)); // URLSearchParams percent-encodes + / =
  }
  return url.toString();
}

export type RobotVerdict = { ok: true } | { ok: false; reason: string };

/** Checks the `timestamp` / `sign` headers of an inbound robot message. */
export function verifyRobotRequest(appSecret: string, timestamp: string | undefined, sign: string | undefined, now: number = Date.now()): RobotVerdict {
  if (!timestamp || !sign) return { ok: false, reason: '缺少 timestamp 或 sign' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'timestamp 格式不对' };
  if (Math.abs(now - Number(timestamp)) > ROBOT_MAX_SKEW_MS) return { ok: false, reason: 'timestamp 与当前时间相差超过 5 分钟' };
  if (!safeEqual(robotSign(appSecret, timestamp), sign)) return { ok: false, reason: '签名不对' };
  return { ok: true };
}

/** The once-only key of a (timestamp, sign) pair in the inbound claims (chat_inbound_event). */
export function robotSignKey(timestamp: string, sign: string): string {
  return `robot-sign:${crypto.createHash('sha256').update(`${timestamp}\n${sign}`).digest('hex')}`;
}

/** The body of a robot @message (fields as DingTalk sends them; others ignored). */
export interface RobotMessageBody {
  msgtype?: string;
  msgId?: string;
  text?: { content?: string };
  content?: { richText?: { text?: string }[] };
  conversationType?: string;
  conversationId?: string;
  conversationTitle?: string;
  senderId?: string;
  senderStaffId?: string;
  senderNick?: string;
  senderCorpId?: string;
  chatbotCorpId?: string;
  chatbotUserId?: string;
  robotCode?: string;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  isInAtList?: boolean;
}

export interface ParsedRobotMessage {
  message: InboundMessage;
  /** where to answer (only after sessionWebhookAllowed) */
  sessionWebhook?: string;
  sessionWebhookExpiresAt?: number;
  /** senderStaffId, to @ the asker in a group answer */
  senderStaffId?: string;
}

/** Removes leading @mentions ("@云桥助手 库存 M8" → "库存 M8"). */
export function stripMentions(text: string): string {
  let s = text.replace(/\u2005/g, ' ').trim();
  while (/^@\S+/.test(s)) s = s.replace(/^@\S+\s*/, '');
  return s.trim();
}

function messageText(b: RobotMessageBody): string {
  if (b.msgtype === 'text' || b.msgtype === undefined) return b.text?.content ?? '';
  if (b.msgtype === 'richText') return (b.content?.richText ?? []).map((p) => p.text ?? '').join('');
  return '';
}

/**
 * A robot message → InboundMessage; null when it lacks what we need (msgId, sender, conversation).
 * The body is not signed: `orgKey` is the configured corp (the body's corp ids are ignored) and the
 * message says its sender is unverified.
 */
export function parseRobotMessage(body: unknown, opts: { orgKey: string }): ParsedRobotMessage | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as RobotMessageBody;
  const senderId = b.senderStaffId || b.senderId;
  if (typeof b.msgId !== 'string' || !b.msgId || !senderId || !b.conversationId) return null;
  const message: InboundMessage = {
    platform: 'dingtalk',
    messageId: b.msgId,
    orgKey: opts.orgKey,
    chatType: b.conversationType === '2' ? 'group' : 'p2p',
    chatId: b.conversationId,
    senderId,
    text: stripMentions(messageText(b)),
    senderUnverified: true,
  };
  if (b.senderNick) message.senderName = b.senderNick;
  if (b.sessionWebhook) message.replyWebhook = b.sessionWebhook;
  return {
    message,
    sessionWebhook: b.sessionWebhook,
    sessionWebhookExpiresAt: typeof b.sessionWebhookExpiredTime === 'number' ? b.sessionWebhookExpiredTime : undefined,
    senderStaffId: b.senderStaffId,
  };
}

/** A sessionWebhook is only ever called when its origin is DINGTALK_OAPI_BASE_URL's origin. */
export function sessionWebhookAllowed(webhook: string, oapiBaseUrl: string): boolean {
  try {
    const url = new URL(webhook);
    const base = new URL(oapiBaseUrl);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === base.origin && !url.username && !url.password;
  } catch {
    return false;
  }
}
