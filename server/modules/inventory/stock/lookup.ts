// Item look-ups for the chat bot's 库存 <品名或编码>: how many items a keyword matches in all
// (findItemsByKeyword returns the first 10), and the unit an item sells in.
import { Prisma } from '../../../generated/prisma/client.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { itemKeywordSql } from './queries.ts';

/** How many active items the keyword matches. */
export async function countItemsByKeyword(ctx: UseCaseContext, keyword: string): Promise<number> {
  return runUseCase(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM item i WHERE i.active AND ${itemKeywordSql(keyword.trim())}`;
    return row?.n ?? 0;
  });
}

/** The item's sales unit and how many base units it holds; null when it sells in its base unit. */
export async function salesUnitOf(ctx: UseCaseContext, itemId: string): Promise<{ name: string; factor: string } | null> {
  return runUseCase(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<{ name: string; factor: string }[]>(Prisma.sql`
      SELECT u.name, c.factor::text AS factor
        FROM item i JOIN unit u ON u.id = i.sales_unit_id
        JOIN unit_conversion c ON c.item_id = i.id AND c.unit_id = i.sales_unit_id
       WHERE i.id = ${itemId}::uuid AND i.sales_unit_id <> i.base_unit_id`);
    return row ? { name: row.name, factor: row.factor } : null;
  });
}
