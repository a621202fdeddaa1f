// 库存对账: the derived stock figures checked against what they derive from. Expected empty.
//  - balanceVsMoves: each balance (item × warehouse × batch × status) = Σ its moves
//  - levelVsBalances: each level's on hand (item × warehouse) = Σ its 合格 balances
//  - reservedVsReservations: each level's reserved = Σ the reservations held there
//  - itemStockVsBalances: the item's quantity for the moving average = Σ all its balances
//  - itemValueVsMoves: the item's stock value = Σ its moves' amounts (to the fen)
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import type { ReconcileDrift, ReconcileReport } from '../../../../shared/schemas/stock.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import { money, qty } from '../stock/checks.ts';
import { REF_COLUMNS, warehouseRefOf, type RefColumns } from '../stock/queries.ts';

interface DriftSqlRow extends RefColumns { chk: ReconcileDrift['check']; batch_no: string | null; quality_status: ReconcileDrift['qualityStatus']; expected: string; actual: string }

const LIMIT = 500;

export async function reconcileStock(ctx: UseCaseContext): Promise<ReconcileReport> {
  return runUseCase(ctx, async (tx) => {
    const rows = await tx.$queryRaw<DriftSqlRow[]>`
      WITH mv AS (
        SELECT item_id, warehouse_id, batch_no, quality_status, sum(quantity) AS q, sum(amount) AS v FROM stock_move GROUP BY 1, 2, 3, 4),
      bal AS (
        SELECT 'balanceVsMoves' AS chk, coalesce(b.item_id, mv.item_id) AS item_id, coalesce(b.warehouse_id, mv.warehouse_id) AS warehouse_id,
               coalesce(b.batch_no, mv.batch_no) AS batch_no, coalesce(b.quality_status, mv.quality_status)::text AS quality_status,
               coalesce(mv.q, 0) AS expected, coalesce(b.on_hand, 0) AS actual
          FROM stock_balance b FULL JOIN mv
            ON mv.item_id = b.item_id AND mv.warehouse_id = b.warehouse_id AND mv.batch_no = b.batch_no AND mv.quality_status = b.quality_status),
      passed AS (
        SELECT item_id, warehouse_id, sum(on_hand) AS q FROM stock_balance WHERE quality_status = 'passed' GROUP BY 1, 2),
      lvl AS (
        SELECT 'levelVsBalances' AS chk, coalesce(l.item_id, p.item_id) AS item_id, coalesce(l.warehouse_id, p.warehouse_id) AS warehouse_id,
               NULL::text AS batch_no, NULL::text AS quality_status, coalesce(p.q, 0) AS expected, coalesce(l.on_hand, 0) AS actual
          FROM stock_level l FULL JOIN passed p ON p.item_id = l.item_id AND p.warehouse_id = l.warehouse_id),
      held AS (
        SELECT item_id, warehouse_id, sum(quantity) AS q FROM reservation GROUP BY 1, 2),
      res AS (
        SELECT 'reservedVsReservations' AS chk, coalesce(l.item_id, h.item_id) AS item_id, coalesce(l.warehouse_id, h.warehouse_id) AS warehouse_id,
               NULL::text, NULL::text, coalesce(h.q, 0), coalesce(l.reserved, 0)
          FROM stock_level l FULL JOIN held h ON h.item_id = l.item_id AND h.warehouse_id = l.warehouse_id),
      total AS (
        SELECT item_id, sum(on_hand) AS q FROM stock_balance GROUP BY 1),
      itm AS (
        SELECT 'itemStockVsBalances' AS chk, coalesce(s.item_id, t.item_id) AS item_id, NULL::uuid AS warehouse_id,
               NULL::text, NULL::text, coalesce(t.q, 0), coalesce(s.quantity, 0)
          FROM item_stock s FULL JOIN total t ON t.item_id = s.item_id),
      moved_value AS (
        SELECT item_id, sum(v) AS v FROM mv GROUP BY 1),
      val AS (
        SELECT 'itemValueVsMoves' AS chk, coalesce(s.item_id, m.item_id) AS item_id, NULL::uuid AS warehouse_id,
               NULL::text, NULL::text, coalesce(m.v, 0), coalesce(s.value, 0)
          FROM item_stock s FULL JOIN moved_value m ON m.item_id = s.item_id),
      drift AS (
        SELECT * FROM bal UNION ALL SELECT * FROM lvl UNION ALL SELECT * FROM res UNION ALL SELECT * FROM itm UNION ALL SELECT * FROM val)
      SELECT d.chk, ${REF_COLUMNS}, d.batch_no, d.quality_status, d.expected::text, d.actual::text
        FROM drift d JOIN item i ON i.id = d.item_id JOIN unit u ON u.id = i.base_unit_id LEFT JOIN warehouse w ON w.id = d.warehouse_id
       WHERE d.expected <> d.actual
       ORDER BY d.chk, i.code, w.code, d.batch_no
       LIMIT ${LIMIT}`;
    const drifts = rows.map((r) => ({
      check: r.chk, item: { id: r.item_id, code: r.item_code, name: r.item_name }, warehouse: warehouseRefOf(r),
      batchNo: r.batch_no, qualityStatus: r.quality_status,
      ...(r.chk === 'itemValueVsMoves' ? { expected: money(r.expected), actual: money(r.actual) } : { expected: qty(r.expected), actual: qty(r.actual) }),
    }));
    return { ok: drifts.length === 0, checkedAt: isoShanghai(new Date()), drifts };
  });
}
