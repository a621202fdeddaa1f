// 库存 <品名或编码>: one item's stock (in its sales unit beside the base unit), or the candidates
// when the keyword matches several items — how many in all, and the first few.
import { Prisma } from '../../server/generated/prisma/client.ts';
import { findItemsByKeyword, itemKeywordSql, stockPositionOf } from '../../server/modules/inventory/stock/queries.ts';
import { can } from '../../server/platform/actor.ts';
import { runUseCase, type UseCaseContext } from '../../server/platform/services.ts';
import { stockAnswerCard, stockCandidatesText, type SalesUnit } from '../cards/stock.ts';
import { cardToText } from '../cards/text.ts';
import type { BotReply } from './run.ts';

const CANDIDATES_SHOWN = 5;
const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** How many active items the keyword matches (findItemsByKeyword returns the first 10). */
async function countItems(ctx: UseCaseContext, keyword: string): Promise<number> {
  return runUseCase(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM item i WHERE i.active AND ${itemKeywordSql(keyword.trim())}`;
    return row?.n ?? 0;
  });
}

/** The item's sales unit and how many base units it holds; null when it sells in its base unit. */
async function salesUnitOf(ctx: UseCaseContext, itemId: string): Promise<SalesUnit | null> {
  return runUseCase(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<{ name: string; factor: string }[]>(Prisma.sql`
      SELECT u.name, c.factor::text AS factor
        FROM item i JOIN unit u ON u.id = i.sales_unit_id
        JOIN unit_conversion c ON c.item_id = i.id AND c.unit_id = i.sales_unit_id
       WHERE i.id = ${itemId}::uuid AND i.sales_unit_id <> i.base_unit_id`);
    return row ? { name: row.name, factor: row.factor } : null;
  });
}

export async function stockReply(ctx: UseCaseContext, keyword: string, baseUrl: string | undefined, noPermission: string): Promise<BotReply> {
  if (!can(ctx.actor, 'stock:read')) return { text: noPermission };
  const items = await findItemsByKeyword(ctx, keyword);
  if (!items.length) return { text: `没有找到与「${keyword}」相符的物料，换个品名或编码试试。` };
  const exact = items.filter((i) => sameText(i.code, keyword) || sameText(i.name, keyword));
  const pick = exact.length === 1 ? exact[0] : items.length === 1 ? items[0] : undefined;
  if (!pick) {
    const total = items.length < 10 ? items.length : await countItems(ctx, keyword);
    return { text: stockCandidatesText(keyword, items, total, CANDIDATES_SHOWN) };
  }
  const [position, salesUnit] = await Promise.all([stockPositionOf(ctx, pick.id), salesUnitOf(ctx, pick.id)]);
  const card = stockAnswerCard(position, { baseUrl, salesUnit });
  return { text: cardToText(card), card };
}
