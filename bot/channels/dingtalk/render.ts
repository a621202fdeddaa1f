// CardView → 钉钉 shapes.
// - Interactive card (card API, template DINGTALK_CARD_TEMPLATE_ID): `cardData.cardParamMap` is a
//   flat string → string map; the template binds these variables:
//     title, tone (info|warning|success|danger), fields (markdown: one "**标签**：值" per line),
//     lines (markdown), markdown (fields + lines + footer in one block, for a single-markdown template),
//     link / linkText (mini-app URL and its label, '' when none), footer,
//     buttons (JSON string of [{text, style, value}], '[]' when none; a button's `value` comes back
//     in the card callback's cardPrivateData.params: the template's 回传请求 params are the value's
//     keys bound to the loop item's value, e.g. approvalId → ${loop.value.approvalId}; values are strings),
//     comment ('' : the reason input's variable, shown while `buttons` is not '[]'; the template sends
//     it with each button's params as `comment`, so a 驳回 carries the typed reason — without it the
//     click still works and the reason defaults).
// - Custom group robot: `markdown` {title, text}, or `actionCard` {title, text, singleTitle, singleURL}
//   when the card has a link. Custom robots have no callbacks, so buttons are not rendered there.
// Business text is escaped for DingTalk markdown (bot/cards/markdown.ts) wherever it lands in
// markdown; a link outside PUBLIC_BASE_URL is left out.
import { allowedLink, escapePlainMarkdown as md, type CardRenderOptions } from '../../cards/markdown.ts';
import type { CardView } from '../../../server/platform/channels.ts';

const TONE_MARK: Record<CardView['tone'], string> = { info: '🔵', warning: '🟠', success: '🟢', danger: '🔴' };

export type CardParamMap = Record<string, string>;

/** The card variable of the reason input, and the callback param that brings its text back. */
export const CARD_COMMENT_PARAM = 'comment';

function fieldsMarkdown(card: CardView): string {
  return card.fields.map((f) => `**${md(f.label)}**：${md(f.value)}`).join('\n');
}

function bodyMarkdown(card: CardView, sep: string): string {
  return [...card.fields.map((f) => `**${md(f.label)}**：${md(f.value)}`), ...(card.lines ?? []).map(md), ...(card.footer ? [`> ${md(card.footer)}`] : [])].join(sep);
}

/** The interactive card's variables (every value a string, as the card API requires). */
export function renderCardParamMap(card: CardView, opts: CardRenderOptions = {}): CardParamMap {
  const link = allowedLink(card.link, opts);
  return {
    title: card.title,
    tone: card.tone,
    fields: fieldsMarkdown(card),
    lines: (card.lines ?? []).map(md).join('\n'),
    markdown: bodyMarkdown(card, '\n'),
    link: link?.url ?? '',
    linkText: link?.text ?? '',
    footer: card.footer ?? '',
    buttons: JSON.stringify((card.buttons ?? []).map((b) => ({ text: b.text, style: b.style ?? 'default', value: b.value }))),
    [CARD_COMMENT_PARAM]: '',
  };
}

export interface RobotMarkdownMessage {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at?: { atUserIds?: string[]; isAtAll?: boolean };
}

export interface RobotActionCardMessage {
  msgtype: 'actionCard';
  actionCard: { title: string; text: string; btnOrientation: '0' | '1'; singleTitle: string; singleURL: string };
}

export interface RobotTextMessage {
  msgtype: 'text';
  text: { content: string };
  at?: { atUserIds?: string[]; isAtAll?: boolean };
}

export type RobotMessage = RobotMarkdownMessage | RobotActionCardMessage | RobotTextMessage;

/** Markdown text of a card for robots (DingTalk markdown needs blank lines between paragraphs). */
export function renderRobotMarkdownText(card: CardView, withLink = true, opts: CardRenderOptions = {}): string {
  const link = allowedLink(card.link, opts);
  const parts = [`### ${TONE_MARK[card.tone]} ${md(card.title)}`, bodyMarkdown(card, '\n\n')];
  if (withLink && link) parts.push(`[${md(link.text)}](${link.url})`);
  return parts.filter(Boolean).join('\n\n');
}

/** A card as a custom-robot message: actionCard when it links somewhere, else markdown. */
export function renderRobotCard(card: CardView, opts: CardRenderOptions = {}): RobotMarkdownMessage | RobotActionCardMessage {
  const link = allowedLink(card.link, opts);
  if (link) {
    return {
      msgtype: 'actionCard',
      actionCard: { title: card.title, text: renderRobotMarkdownText(card, false, opts), btnOrientation: '0', singleTitle: link.text, singleURL: link.url },
    };
  }
  return { msgtype: 'markdown', markdown: { title: card.title, text: renderRobotMarkdownText(card, true, opts) } };
}

/** msgKey sampleMarkdown's msgParam, for app-robot sends when no card template is configured. */
export function renderSampleMarkdown(card: CardView, opts: CardRenderOptions = {}): { title: string; text: string } {
  return { title: card.title, text: renderRobotMarkdownText(card, true, opts) };
}
