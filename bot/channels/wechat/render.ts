// 微信群 has no cards: a card is plain text (cardToText), tidied for the WeChat client. WeChat
// turns a bare http(s) URL into a link, but a URL glued to Chinese text on the same line can take
// the neighbouring characters with it, so every mini-app link goes on a line of its own; a
// relative link (no PUBLIC_BASE_URL) cannot be opened from WeChat and is left out.
import { cardToText } from '../../cards/text.ts';
import type { CardView } from '../../../server/platform/channels.ts';

/** "查看库存：https://…" → label line + URL line; "查看库存：/m/#/…" (relative) → dropped. */
const LINK_LINE = /^(.{1,40}?)[：:]\s*((?:https?:\/\/|\/m\/)\S+)$/;

/** Outgoing text as WeChat shows it best: links on their own line, no unopenable relative links, no trailing blanks. */
export function wechatText(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const m = LINK_LINE.exec(line.trim());
    if (!m) {
      out.push(line.trimEnd());
      continue;
    }
    const [, label, url] = m as unknown as [string, string, string];
    if (!/^https?:\/\//.test(url)) continue;
    out.push(`${label}：`, url);
  }
  return out.join('\n').trim();
}

export interface WechatCardOptions {
  /** a re-send of an updated card (WeChat cannot edit a sent message) */
  update?: boolean;
}

/** A card as one WeChat text message; buttons have no place in plain text and are left out. */
export function renderWechatCard(card: CardView, opts: WechatCardOptions = {}): string {
  const text = wechatText(cardToText({ ...card, buttons: undefined }));
  if (!opts.update) return text;
  // "【缺料预警：…】" → "【更新】缺料预警：…" (one tag, not two bracket pairs in a row)
  return text.startsWith('【') ? text.replace(/^【([^】\n]*)】/, '【更新】$1') : `【更新】${text}`;
}
