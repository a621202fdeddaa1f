// The plain-text form of a card: for platforms or chats that show no cards (WeChat groups, a
// failed card send) and for the text part of every bot answer.
import type { CardView } from '../../server/platform/channels.ts';

const plain = (s: string) => s.replace(/\*\*/g, '');

export function cardToText(card: CardView): string {
  const out = [`【${plain(card.title)}】`];
  for (const f of card.fields) out.push(`${f.label}：${plain(f.value)}`);
  for (const l of card.lines ?? []) out.push(plain(l));
  if (card.link) out.push(`${card.link.text}：${card.link.url}`);
  if (card.footer) out.push(plain(card.footer));
  return out.join('\n');
}
