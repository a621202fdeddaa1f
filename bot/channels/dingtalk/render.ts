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
import type { CardView } from '../../types.ts';

const TONE_MARK: Record<CardView['tone'], string> = { info: '🔵', warning: '🟠', success: '🟢', danger: '🔴' };

export type CardParamMap = Record<string, string>;

/** The card variable of the reason input, and the callback param that brings its text back. */
export const CARD_COMMENT_PARAM = 'comment';

function fieldsMarkdown(card: CardView): string {
  return card.fields.map((f) => `**${f.label}**：${f.value}`).join('\n');
}

function bodyMarkdown(card: CardView, sep: string): string {
  return [...card.fields.map((f) => `**${f.label}**：${f.value}`), ...(card.lines ?? []), ...(card.footer ? [`> ${card.footer}`] : [])].join(sep);
}

/** The interactive card's variables (every value a string, as the card API requires). */
export function renderCardParamMap(card: CardView): CardParamMap {
  return {
    title: card.title,
    tone: card.tone,
    fields: fieldsMarkdown(card),
    lines: (card.lines ?? []).join('\n'),
    markdown: bodyMarkdown(card, '\n'),
    link: card.link?.url ?? '',
    linkText: card.link?.text ?? '',
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
export function renderRobotMarkdownText(card: CardView, withLink = true): string {
  const parts = [`### ${TONE_MARK[card.tone]} ${card.title}`, bodyMarkdown(card, '\n\n')];
  if (withLink && card.link) parts.push(`[${card.link.text}](${card.link.url})`);
  return parts.filter(Boolean).join('\n\n');
}

/** A card as a custom-robot message: actionCard when it links somewhere, else markdown. */
export function renderRobotCard(card: CardView): RobotMarkdownMessage | RobotActionCardMessage {
  if (card.link) {
    return {
      msgtype: 'actionCard',
      actionCard: { title: card.title, text: renderRobotMarkdownText(card, false), btnOrientation: '0', singleTitle: card.link.text, singleURL: card.link.url },
    };
  }
  return { msgtype: 'markdown', markdown: { title: card.title, text: renderRobotMarkdownText(card) } };
}

/** msgKey sampleMarkdown's msgParam, for app-robot sends when no card template is configured. */
export function renderSampleMarkdown(card: CardView): { title: string; text: string } {
  return { title: card.title, text: renderRobotMarkdownText(card) };
}
