// CardView → 飞书消息卡片 JSON (card JSON 1.0: config / header / elements).
// Components used: div with fields (is_short) and lark_md text, action with buttons (type
// primary/danger/default, `value` object sent back in card.action.trigger, or `url` for a link),
// hr, note; a card with an input puts it and the buttons in a form container (tag form, buttons
// with action_type form_submit and a name; the callback brings the typed text in
// action.form_value[input name] beside the button's value; Feishu V6.6+). `update_multi: true`
// makes it a shared card: the PATCH update API and the callback's card reply both require it on
// the card before and after the update.
import { allowedLink, escapeLarkMd, type CardRenderOptions } from '../../cards/markdown.ts';
import type { CardButton, CardInput, CardView } from '../../../server/platform/channels.ts';

export { escapeLarkMd };

export type LarkTemplate = 'blue' | 'orange' | 'green' | 'red';

const TEMPLATE: Record<CardView['tone'], LarkTemplate> = {
  info: 'blue',
  warning: 'orange',
  success: 'green',
  danger: 'red',
};

interface PlainText { tag: 'plain_text'; content: string }
interface LarkMd { tag: 'lark_md'; content: string }
interface LarkButton {
  tag: 'button';
  text: PlainText;
  type: 'primary' | 'danger' | 'default';
  value?: Record<string, string>;
  url?: string;
  /** inside a form: submits it */
  action_type?: 'form_submit';
  /** inside a form: required, unique in the card */
  name?: string;
}
interface LarkInput {
  tag: 'input';
  name: string;
  required: boolean;
  label: PlainText;
  label_position: 'top';
  placeholder?: PlainText;
  max_length?: number;
}
export type LarkElement =
  | { tag: 'div'; text?: PlainText | LarkMd; fields?: { is_short: boolean; text: LarkMd }[] }
  | { tag: 'action'; actions: LarkButton[] }
  | { tag: 'form'; name: string; elements: (LarkInput | LarkButton)[] }
  | { tag: 'hr' }
  | { tag: 'note'; elements: PlainText[] };

export interface LarkCard {
  config: { wide_screen_mode: true; update_multi: true };
  header: { title: PlainText; template: LarkTemplate };
  elements: LarkElement[];
}

const plain = (content: string): PlainText => ({ tag: 'plain_text', content });

function button(b: CardButton): LarkButton {
  return { tag: 'button', text: plain(b.text), type: b.style ?? 'default', value: { ...b.value } };
}

function inputOf(i: CardInput): LarkInput {
  return {
    tag: 'input', name: i.name, required: false, label: plain(i.label), label_position: 'top',
    ...(i.placeholder ? { placeholder: plain(i.placeholder) } : {}), ...(i.maxLength ? { max_length: i.maxLength } : {}),
  };
}

/** Business text is escaped for lark_md (bot/cards/markdown.ts); a link outside PUBLIC_BASE_URL is left out. */
export function renderLarkCard(card: CardView, opts: CardRenderOptions = {}): LarkCard {
  const link = allowedLink(card.link, opts);
  const elements: LarkElement[] = [];
  if (card.fields.length) {
    elements.push({
      tag: 'div',
      fields: card.fields.map((f) => ({
        // two short fields share a row; a long value gets the whole width
        is_short: f.value.length <= 24,
        text: { tag: 'lark_md', content: `**${escapeLarkMd(f.label)}**\n${escapeLarkMd(f.value)}` },
      })),
    });
  }
  if (card.lines?.length) {
    elements.push({ tag: 'div', text: { tag: 'lark_md', content: card.lines.map(escapeLarkMd).join('\n') } });
  }
  const buttons = (card.buttons ?? []).map(button);
  const actions: LarkButton[] = [];
  if (card.input && buttons.length) {
    // The input and the buttons submit together: the clicked button's value plus the typed text.
    elements.push({ tag: 'form', name: 'decision', elements: [inputOf(card.input), ...buttons.map((b, i) => ({ ...b, action_type: 'form_submit' as const, name: `button_${i}` }))] });
  } else {
    actions.push(...buttons);
  }
  if (link) actions.push({ tag: 'button', text: plain(link.text), type: 'default', url: link.url });
  if (actions.length) elements.push({ tag: 'action', actions });
  if (card.footer) {
    elements.push({ tag: 'hr' }, { tag: 'note', elements: [plain(card.footer)] });
  }
  if (!elements.length) elements.push({ tag: 'div', text: plain(card.title) });
  return {
    config: { wide_screen_mode: true, update_multi: true },
    header: { title: plain(card.title), template: TEMPLATE[card.tone] },
    elements,
  };
}

/** The `content` string of a text message. */
export function larkTextContent(text: string): string {
  return JSON.stringify({ text });
}
