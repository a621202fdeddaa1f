// 库存 <品名或编码>: one item's stock (in its sales unit beside the base unit), or the candidates
// when the keyword matches several items — how many in all, and the first few.
import { countItemsByKeyword, findItemsByKeyword, salesUnitOf, stockPositionOf } from '../../server/modules/inventory/index.ts';
import { can } from '../../server/platform/actor.ts';
import type { UseCaseContext } from '../../server/platform/services.ts';
import type { StockItemRef } from '../../shared/schemas/stock.ts';
import { stockAnswerCard, stockCandidatesText } from '../cards/stock.ts';
import { cardToText } from '../cards/text.ts';
import type { BotReply } from './run.ts';

const CANDIDATES_SHOWN = 5;
const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The one item a keyword names (an exact code or name, or the only match), else the answer to give:
 * nothing found, or the candidates with how to ask again (`askAgain` with a code).
 */
export async function oneItemFor(ctx: UseCaseContext, keyword: string, askAgain?: (code: string) => string): Promise<{ item: StockItemRef } | { reply: BotReply }> {
  const items = await findItemsByKeyword(ctx, keyword);
  if (!items.length) return { reply: { text: `没有找到与「${keyword}」相符的物料，换个品名或编码试试。` } };
  const exact = items.filter((i) => sameText(i.code, keyword) || sameText(i.name, keyword));
  const pick = exact.length === 1 ? exact[0] : items.length === 1 ? items[0] : undefined;
  if (pick) return { item: pick };
  const total = items.length < 10 ? items.length : await countItemsByKeyword(ctx, keyword);
  return { reply: { text: stockCandidatesText(keyword, items, total, CANDIDATES_SHOWN, askAgain) } };
}

export async function stockReply(ctx: UseCaseContext, keyword: string, baseUrl: string | undefined, noPermission: string): Promise<BotReply> {
  if (!can(ctx.actor, 'stock:read')) return { text: noPermission };
  const found = await oneItemFor(ctx, keyword);
  if ('reply' in found) return found.reply;
  const pick = found.item;
  const [position, salesUnit] = await Promise.all([stockPositionOf(ctx, pick.id), salesUnitOf(ctx, pick.id)]);
  const card = stockAnswerCard(position, { baseUrl, salesUnit });
  return { text: cardToText(card), card };
}
