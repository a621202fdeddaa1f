// A WeChat message → the bot's InboundMessage, or the reason it is not for the bot. In a group
// the bot acts when it is @-mentioned, or (commands work with or without the mention) when the
// text is a well-formed command as parseCommand reads it; everything else in a group is people
// talking to each other and is left alone. 1:1 every text is for the bot (chatter gets help).
import { types, type Message, type Wechaty } from 'wechaty';
import { normaliseText, parseCommand } from '../../commands/parse.ts';
import type { InboundMessage } from '../../../server/platform/channels.ts';

export type WechatSkip = 'self' | 'notText' | 'official' | 'notForBot' | 'notLoggedIn';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "@云桥助手 " (mobile clients put U+2005 after a mention, PC clients a space) → removed. */
export function stripMentions(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of names.filter(Boolean)) {
    out = out.replace(new RegExp(`@${escapeRegExp(name)}(?:[\\s\\u2005]+|$)`, 'g'), ' ');
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Whether the text mentions one of the names ("@云桥助手" followed by a space, U+2005 or the end). */
export function mentionsName(text: string, names: readonly string[]): boolean {
  return names.filter(Boolean).some((n) => new RegExp(`@${escapeRegExp(n)}(?:[\\s\\u2005]|$)`).test(text));
}

/**
 * Whether a group message nobody @-mentioned the bot in is still a command: a command parseCommand
 * understands (库存 …, 订单 <单号>, 待审批) or a bare help word (帮助). A command word with a bad
 * argument ("订单已经发了") is ordinary talk in a group and gets no answer unless the bot is mentioned.
 */
export function isUnmentionedCommand(text: string): boolean {
  const command = parseCommand(text);
  if (command.kind !== 'help') return true;
  return !command.reason && /[\p{L}\p{N}]/u.test(normaliseText(text));
}

/** The InboundMessage for the bot, or why the message is not one. Never throws for ordinary messages. */
export async function toInbound(bot: Wechaty, message: Message, botName: string): Promise<InboundMessage | WechatSkip> {
  if (!bot.isLoggedIn) return 'notLoggedIn';
  if (message.self()) return 'self';
  if (message.type() !== types.Message.Text) return 'notText';
  const talker = message.talker();
  const room = message.room();
  // Subscription / service accounts (公众号) push articles 1:1: not people asking.
  if (!room && talker.type() === types.Contact.Official) return 'official';
  const self = bot.currentUser;
  const names = [...new Set([botName, self.name()].filter(Boolean))];
  const raw = message.text();
  let text = stripMentions(raw, names);
  if (room) {
    const listed = await message.mentionSelf().catch(() => false);
    if (listed) text = stripMentions(await message.mentionText().catch(() => raw), names);
    if (!listed && !mentionsName(raw, names) && !isUnmentionedCommand(text)) return 'notForBot';
  }
  const alias = room ? await room.alias(talker).catch(() => undefined) : undefined;
  return {
    platform: 'wechat',
    messageId: message.id,
    orgKey: self.id,
    chatType: room ? 'group' : 'p2p',
    chatId: room ? room.id : talker.id,
    senderId: talker.id,
    senderName: alias || talker.name() || undefined,
    text,
  };
}
