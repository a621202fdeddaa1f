// CardView → 企业微信 JSON. Two renderings:
// - template_card for app messages to a member (docs: 发送应用消息 › 模板卡片消息, path 90236/90372):
//   button_interaction when the card has buttons (button_list[].key = JSON of the button's value,
//   echoed back as EventKey in template_card_event), text_notice otherwise (card_action required);
// - markdown for group robots and app group chats (docs: 群机器人配置说明 path 91770), with the
//   supported subset: **bold**, [text](url), > quote lines, <font color="info|comment|warning">.
// Limits from the docs: horizontal_content_list ≤ 6, button_list ≤ 6, key ≤ 1024 bytes,
// task_id ≤ 128 bytes of [0-9A-Za-z_-@], markdown content ≤ 4096 bytes, text content ≤ 2048 bytes.
import crypto from 'node:crypto';
import { allowedLink, escapePlainMarkdown as md, type CardRenderOptions } from '../../cards/markdown.ts';
import type { CardButton, CardView } from '../../../server/platform/channels.ts';

export const WECOM_TEXT_MAX_BYTES = 2048;
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
const MAX_HORIZONTAL = 6;
const MAX_BUTTONS = 6;
const MAX_KEY_BYTES = 1024;

export interface WecomTemplateCard {
  card_type: 'button_interaction' | 'text_notice';
  source: { desc: string; desc_color: number };
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: { keyname: string; value: string }[];
  jump_list?: { type: 1; title: string; url: string }[];
  card_action?: { type: 1; url: string };
  task_id?: string;
  button_list?: { text: string; style: number; key: string }[];
}

/** source.desc_color: 0 grey, 1 black, 2 red, 3 green (the only colours a template card has). */
const TONE_COLOR: Record<CardView['tone'], number> = { info: 0, warning: 2, danger: 2, success: 3 };
/** button_list[].style: the docs allow 1–4 (default 1) without naming the colours. */
const BUTTON_STYLE: Record<NonNullable<CardButton['style']>, number> = { primary: 1, default: 2, danger: 3 };
/** markdown font colours: info = green, comment = grey, warning = orange-red. */
const TONE_FONT: Record<CardView['tone'], string | null> = { info: null, warning: 'warning', danger: 'warning', success: 'info' };

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character (adds … when cut). */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

/** The EventKey a button carries: its value as JSON (≤ 1024 bytes, as WeCom allows). */
export function buttonKey(value: Record<string, string>): string {
  const key = JSON.stringify(value);
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new Error(`按钮 key 超过 ${MAX_KEY_BYTES} 字节`);
  return key;
}

/** A clicked button's value from its EventKey; a key that is not our JSON comes back as { key }. */
export function parseButtonKey(key: string): Record<string, string> {
  try {
    const v: unknown = JSON.parse(key);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
    }
  } catch {
    // not JSON: fall through
  }
  return { key };
}

/** A task_id WeCom accepts (unique per app): from an idempotency key when given, random otherwise. */
export function wecomTaskId(idempotencyKey?: string): string {
  if (!idempotencyKey) return `yq-${Date.now().toString(36)}-${crypto.randomBytes(8).toString('hex')}`;
  return `yq-${crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}

const plain = (s: string) => s.replace(/\*\*/g, '');

/**
 * The template_card for a member. `fallbackUrl` (the mini-app) is the card_action of a card without
 * buttons and without a link; with none of the three there is no valid template card: returns null.
 */
export function renderWecomTemplateCard(card: CardView, opts: { taskId: string; fallbackUrl?: string } & CardRenderOptions): WecomTemplateCard | null {
  const buttons = (card.buttons ?? []).slice(0, MAX_BUTTONS);
  // template cards show plain text (no markdown to escape); only the link is checked
  const link = allowedLink(card.link, opts);
  const actionUrl = link?.url ?? opts.fallbackUrl;
  if (!buttons.length && !actionUrl) return null;
  const shown = card.fields.slice(0, MAX_HORIZONTAL);
  const overflow = card.fields.slice(MAX_HORIZONTAL).map((f) => `${f.label}：${f.value}`);
  const sub = [...(card.lines ?? []).map(plain), ...overflow, ...(card.footer ? [card.footer] : [])].join('\n');
  return {
    card_type: buttons.length ? 'button_interaction' : 'text_notice',
    source: { desc: '云桥', desc_color: TONE_COLOR[card.tone] },
    main_title: { title: card.title },
    ...(sub ? { sub_title_text: sub } : {}),
    ...(shown.length ? { horizontal_content_list: shown.map((f) => ({ keyname: f.label, value: f.value })) } : {}),
    ...(link ? { jump_list: [{ type: 1 as const, title: link.text, url: link.url }] } : {}),
    ...(actionUrl ? { card_action: { type: 1 as const, url: actionUrl } } : {}),
    task_id: opts.taskId,
    ...(buttons.length ? { button_list: buttons.map((b) => ({ text: b.text, style: BUTTON_STYLE[b.style ?? 'default'], key: buttonKey(b.value) })) } : {}),
  };
}

/**
 * Markdown for group robots / group chats: coloured title, `> label: value` per field, lines, link,
 * footer. Business text is escaped (bot/cards/markdown.ts); a link outside PUBLIC_BASE_URL is left out.
 */
export function renderWecomMarkdown(card: CardView, opts: CardRenderOptions = {}): string {
  const font = TONE_FONT[card.tone];
  const title = font ? `<font color="${font}">**${md(card.title)}**</font>` : `**${md(card.title)}**`;
  const out = [title];
  for (const f of card.fields) out.push(`> ${md(f.label)}: ${md(f.value)}`);
  if (card.lines?.length) out.push('', ...card.lines.map(md));
  const link = allowedLink(card.link, opts);
  if (link) out.push('', `[${md(link.text)}](${link.url})`);
  if (card.footer) out.push(`<font color="comment">${md(card.footer)}</font>`);
  return truncateBytes(out.join('\n'), WECOM_MARKDOWN_MAX_BYTES);
}
