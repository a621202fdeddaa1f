// The channel contract: what the server and the chat platforms exchange, independent of any one
// platform. The server owns it (sign-in, notice sending); bot/channels/* implement it.
import type { ChatPlatform } from '../../shared/enums.ts';

export type Platform = ChatPlatform;

/** Where a message goes: a user (Feishu open_id, WeCom userid, DingTalk userId) or a group. */
export interface ChatTarget {
  platform: Platform;
  kind: 'user' | 'group';
  /** Feishu chat_id / open_id; WeCom chatid / userid / group-robot key; DingTalk openConversationId / userId / robot access token; WeChat room id */
  id: string;
}

export interface CardButton {
  text: string;
  /** sent back in the click callback */
  value: Record<string, string>;
  style?: 'primary' | 'danger' | 'default';
}

/** A card's content; each channel renders it in its own JSON. */
export interface CardView {
  title: string;
  /** header colour / emphasis */
  tone: 'info' | 'warning' | 'success' | 'danger';
  /** short label → value pairs, shown as a grid where the platform has one */
  fields: { label: string; value: string }[];
  /** free lines of text (markdown-light: **bold** only) */
  lines?: string[];
  /** a link into the mini-app */
  link?: { text: string; url: string };
  buttons?: CardButton[];
  /**
   * a free-text field sent back with whichever button is clicked (the reason of a 驳回), on
   * platforms whose cards have an input (Feishu form container); others ignore it
   */
  input?: CardInput;
  footer?: string;
}

export interface CardInput {
  /** the key the typed text comes back under */
  name: string;
  label: string;
  placeholder?: string;
  maxLength?: number;
}

/** What a send returned: enough to update that card later. */
export interface SentMessage {
  platform: Platform;
  target: ChatTarget;
  /** Feishu message_id; WeCom msgid (+ response_code for template cards); DingTalk outTrackId; WeChat message id */
  messageId: string;
  /** WeCom template_card response_code (single use, 72 h) */
  responseCode?: string;
}

/** A chat message addressed to the bot, parsed from a verified callback. */
export interface InboundMessage {
  platform: Platform;
  /** the platform's message / event id, for "acted on once" */
  messageId: string;
  /** organisation: Feishu tenant_key, WeCom corpid, DingTalk corpId */
  orgKey: string;
  chatType: 'group' | 'p2p';
  chatId: string;
  senderId: string;
  senderName?: string;
  /** the text with any @mention removed */
  text: string;
  /**
   * The platform does not vouch for senderId (DingTalk robot messages: the signature covers only a
   * timestamp, not the body). Then nothing private may go back the way the message came.
   */
  senderUnverified?: boolean;
  /** DingTalk: where to answer (host checked against DINGTALK_OAPI_BASE_URL) */
  replyWebhook?: string;
}

/** Per-send options. */
export interface SendOptions {
  /**
   * Stable per notice (≤ 64 chars, [A-Za-z0-9_-]): a re-send after a crash between send and mark
   * is dropped by the platform where it supports that (Feishu `uuid`, DingTalk `outTrackId`,
   * WeCom duplicate check); elsewhere at most one duplicate.
   */
  idempotencyKey?: string;
}

/** One platform: send, update, and nothing about HTTP routing. */
export interface ChannelAdapter {
  platform: Platform;
  sendText(target: ChatTarget, text: string, opts?: SendOptions): Promise<SentMessage>;
  sendCard(target: ChatTarget, card: CardView, opts?: SendOptions): Promise<SentMessage>;
  updateCard(sent: SentMessage, card: CardView): Promise<void>;
  /**
   * Sign-in from chat: exchange the platform's one-time auth code (Feishu 网页应用 code, WeCom
   * OAuth code, DingTalk 免登 code) for the member's platform user id (Feishu open_id, WeCom
   * userid, DingTalk userId) and the organisation the code was issued in (Feishu tenant_key,
   * WeCom corpid, DingTalk corpId): the proof that binds an organisation to a company. orgKey is
   * null when the platform's answer does not say (a DingTalk app without DINGTALK_CORP_ID).
   */
  memberFromAuthCode?(code: string): Promise<PlatformMember>;
  /**
   * JS-SDK: the app's jsapi ticket (WeCom: 'corp' = 企业的 jsapi_ticket for wx.config, 'agent' = 应用的
   * jsapi_ticket for agentConfig; the other platforms have one), kept until shortly before it expires;
   * concurrent callers share one fetch. The server signs with it and never sends it to a client.
   */
  jsapiTicket?(kind?: JsapiTicketKind): Promise<string>;
}

export type JsapiTicketKind = 'corp' | 'agent';

/** Who a sign-in code belongs to, and in which organisation. */
export interface PlatformMember {
  userId: string;
  orgKey: string | null;
}

/** A send failed; `retryable` for 5xx, 429 and timeouts. */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}
