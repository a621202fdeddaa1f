// 呆滞料: items with stock that has not moved for N days, with quantity, average cost and value,
// most valuable first. "Moved" is the latest move's occurredAt (in the warehouse, when one is
// given), so back-dated moves count by the date they happened.
import { Decimal } from 'decimal.js';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { SlowMovingPage, SlowMovingQuery } from '../../../../shared/schemas/stock.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { cost, daysBetween, money, qty } from '../stock/checks.ts';
import { categorySql, itemKeywordSql, itemRefOf, orderSql, window, type RefColumns } from '../stock/queries.ts';

interface SlowSqlRow extends RefColumns { quantity: string; average_cost: string; value: string; last_at: Date | null }

export async function slowMovingReport(ctx: UseCaseContext, query: SlowMovingQuery): Promise<SlowMovingPage> {
  return runUseCase(ctx, async (tx) => {
    const wh = query.warehouseId;
    // Per item: all its stock (quantity and value as kept by the moving average), or its stock in one warehouse at the average cost.
    const stock = wh
      ? Prisma.sql`SELECT b.item_id, sum(b.on_hand) AS quantity, s.average_cost, round(sum(b.on_hand) * s.average_cost, 2) AS value
                     FROM stock_balance b JOIN item_stock s ON s.item_id = b.item_id
                    WHERE b.warehouse_id = ${wh}::uuid GROUP BY b.item_id, s.average_cost HAVING sum(b.on_hand) > 0`
      : Prisma.sql`SELECT item_id, quantity, average_cost, value FROM item_stock WHERE quantity > 0`;
    const cutoff = new Date(Date.now() - query.days * 86_400_000);
    const from = Prisma.sql`
      WITH stock AS (${stock}),
      last AS (SELECT m.item_id, max(m.occurred_at) AS last_at FROM stock_move m
                WHERE m.item_id IN (SELECT item_id FROM stock) ${wh ? Prisma.sql`AND m.warehouse_id = ${wh}::uuid` : Prisma.empty}
                GROUP BY m.item_id)
      SELECT i.id::text AS item_id, i.code AS item_code, i.name AS item_name, i.spec AS item_spec, u.name AS unit_name,
             NULL AS wh_id, NULL AS wh_code, NULL AS wh_name,
             s.quantity::text, s.average_cost::text, s.value::text, l.last_at
        FROM stock s JOIN item i ON i.id = s.item_id JOIN unit u ON u.id = i.base_unit_id LEFT JOIN last l ON l.item_id = s.item_id
       WHERE (l.last_at IS NULL OR l.last_at < ${cutoff})
         AND ${itemKeywordSql(query.q)} AND ${await categorySql(tx, query.categoryId)}`;
    const order = orderSql(query.sort, '-value', { value: 's.value', quantity: 's.quantity', lastMovedAt: 'l.last_at', itemCode: 'i.code' }, 'i.code');
    const rows = await tx.$queryRaw<SlowSqlRow[]>`${from} ORDER BY ${order} ${window(query)}`;
    const [totals] = await tx.$queryRaw<{ n: number; value: string }[]>`SELECT count(*)::int AS n, coalesce(sum(value::numeric), 0)::text AS value FROM (${from}) x`;
    const now = new Date();
    return {
      items: rows.map((r) => ({
        item: itemRefOf(r), quantity: qty(r.quantity), averageCost: cost(r.average_cost), value: money(r.value),
        lastMovedAt: r.last_at ? isoShanghai(r.last_at) : null, idleDays: r.last_at ? daysBetween(r.last_at, now) : null,
      })),
      total: totals?.n ?? 0, page: query.page, pageSize: query.pageSize, days: query.days,
      totalValue: money(new Decimal(totals?.value ?? 0)),
    };
  });
}
