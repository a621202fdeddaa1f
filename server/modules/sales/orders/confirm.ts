// 订单确认: credit check, then every line reserves min(wanted, available) in its ship-from
// warehouse with ONE set-based reserveStock call; never fails for lack of stock (the shortfall
// is shown per line). Runs inside the caller's transaction so the approvals issue can call it.
// It is the hot path of order entry: a handful of statements, none of them through the ORM.
import { Decimal } from 'decimal.js';
import { lastStatement, type SqlTx } from '../../../db/sql-session.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import type { DocumentState } from '../../../generated/prisma/enums.ts';
import { can, type Actor } from '../../../platform/actor.ts';
import { auditSql } from '../../../platform/audit.ts';
import { AppError, forbidden, notFound } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { timelineStepSql } from '../../../platform/timeline.ts';
import { reservationOutcome, reservationSql, reservedByDemand, type ReservationRow } from '../../inventory/stock/ledger.ts';
import { checkCredit, creditRefusal } from '../credit.ts';
import { ownerScopeSql, yuan } from '../support.ts';
import { orderDetailOf, orderExtrasSql, orderHeaderSql, orderLinesSql, type ExtrasRow, type HeaderRow, type LineRow } from './read.ts';

export interface ConfirmOptions {
  /** confirm although the customer's credit limit is exceeded (needs salesOrder:overrideCredit; audited) */
  overrideCredit?: boolean;
  /** the override was granted earlier by someone allowed to (the submitter of an approved order), not by this actor */
  overrideGranted?: boolean;
  /** the states the order may be confirmed from: a manual confirm takes drafts, the approvals issue pending ones */
  from?: DocumentState[];
  /** only an order within this actor's data scope (404 otherwise) */
  visibleTo?: Actor;
  /** also return the order as the API shows it after the confirmation (read before the stock locks are taken) */
  detail?: boolean;
}

export interface ConfirmedLine {
  lineId: string;
  lineNo: number;
  itemId: string;
  wanted: string;
  reserved: string;
  short: string;
}

export interface Confirmation {
  orderId: string;
  number: string;
  creditOverride: boolean;
  lines: ConfirmedLine[];
  /** with `detail`: the confirmed order as the API shows it (absent when it has shipments or returns: read it after the commit) */
  detail?: SalesOrder;
}

const REFUSAL: Partial<Record<DocumentState, string>> = {
  confirmed: '订单已确认，不能重复确认',
  pendingApproval: '订单待审批中，需审批通过后确认',
  draft: '订单尚未提交审批',
  closed: '订单已关闭，不能确认',
  cancelled: '订单已取消，不能确认',
};

interface ConfirmedHeader extends HeaderRow {
  before_state: DocumentState;
  /** some line's item has a safety stock (its shortage alert is checked after reserving) */
  watched: boolean;
  credit_limit: string | null;
  unpaid_in_base: string;
}

/** The order's lines (with names for the reply, else only what confirming needs) and, for the reply, its advance receipts and timeline. */
type OrderReads = { lines: Pick<LineRow, 'id' | 'line_no' | 'item_id' | 'warehouse_id' | 'base_quantity' | 'shipped_quantity'>[] } & Partial<ExtrasRow>;

/** What orderReadsSql reads with `detail`: the lines as the API shows them, advance receipts, timeline. */
type DetailReads = { lines: LineRow[] } & ExtrasRow;

function orderReadsSql(orderId: string, detail: boolean): Prisma.Sql {
  if (!detail) {
    return Prisma.sql`
      SELECT (SELECT coalesce(json_agg(json_build_object('id', id, 'line_no', line_no, 'item_id', item_id, 'warehouse_id', warehouse_id,
                     'base_quantity', base_quantity::text, 'shipped_quantity', shipped_quantity::text) ORDER BY line_no), '[]'::json)
                FROM sales_order_line WHERE order_id = ${orderId}::uuid) AS lines`;
  }
  return Prisma.sql`
    SELECT (SELECT coalesce(json_agg(x ORDER BY x.line_no), '[]'::json) FROM (${orderLinesSql(Prisma.sql`sales_order_line`, orderId, true)}) x) AS lines,
           e.advances, e.timeline
      FROM (${orderExtrasSql(orderId)}) e`;
}

interface OpenLine {
  id: string;
  line_no: number;
  item_id: string;
  warehouse_id: string;
  /** base quantity still to ship */
  wanted: string;
}

/**
 * Confirms one order in the caller's transaction, in this order: the order row (locked and set to
 * 已确认 by one UPDATE, so 100 parallel confirmations confirm it once; the others get 409
 * "订单已确认"), its lines, the customer (if it has a credit limit), and last ONE statement that
 * locks and reserves the stock and writes the timeline entry, its event and the audit: the stock
 * locks, which every order for the same items waits for, are held for the rest of it and the commit.
 * On a SqlSession (order entry's lean path) that statement carries the COMMIT: call this last.
 */
export async function applyOrderConfirmation(tx: SqlTx, ctx: UseCaseContext, orderId: string, opts: ConfirmOptions = {}): Promise<Confirmation> {
  const from = opts.from ?? ['draft'];
  const scope = opts.visibleTo ? ownerScopeSql(opts.visibleTo, 'sales_order.owner_id') : Prisma.sql`TRUE`;
  // One statement: `prev` locks the row and keeps the state it had, the UPDATE takes the row only in
  // a state it may be confirmed from, and the header, the lines (and, for the reply, the advance
  // receipts and timeline so far) are read with it.
  const [order] = await tx.$queryRaw<(ConfirmedHeader & OrderReads & { seen_version: number })[]>`
    WITH prev AS MATERIALIZED (SELECT id, state FROM sales_order WHERE id = ${orderId}::uuid AND ${scope} FOR UPDATE),
    o AS (
      UPDATE sales_order SET state = 'confirmed', confirmed_at = now(), updated_at = now(), version = version + 1
       WHERE id = (SELECT id FROM prev WHERE state = ANY(${from}::document_state[]))
      RETURNING *)
    SELECT h.*, (SELECT version FROM sales_order WHERE id = ${orderId}::uuid) AS seen_version, r.*
      FROM (${orderHeaderSql(Prisma.sql`o`, Prisma.sql`, (SELECT state::text FROM prev) AS before_state, c.credit_limit::text AS credit_limit,
                 round(GREATEST(o.total_with_tax - o.advance_received, 0) * o.exchange_rate, 2)::text AS unpaid_in_base,
                 EXISTS (SELECT 1 FROM sales_order_line ol JOIN item i ON i.id = ol.item_id WHERE ol.order_id = o.id AND i.safety_stock > 0) AS watched`)}) h,
           (${orderReadsSql(orderId, !!opts.detail)}) r`;
  if (!order) {
    const [now] = await tx.$queryRaw<{ state: DocumentState }[]>`SELECT state::text AS state FROM sales_order WHERE id = ${orderId}::uuid AND ${scope}`;
    if (!now) throw notFound('销售订单');
    assertMayOverride(ctx, opts);
    throw new AppError('CONFLICT', REFUSAL[now.state] ?? '订单当前状态不能确认');
  }
  assertMayOverride(ctx, opts);
  // The reads share the statement's snapshot, taken before the row lock was granted. Every change
  // to an order's lines bumps its version, so a version moved meanwhile means: read them again.
  const reads: OrderReads = order.seen_version === order.version - 1 ? order : (await tx.$queryRaw<OrderReads[]>(orderReadsSql(orderId, !!opts.detail)))[0]!;

  // Lines still to ship, in line order (reservations are allocated in this order).
  const lines: OpenLine[] = reads.lines.map((l) => ({
    id: l.id, line_no: l.line_no, item_id: l.item_id, warehouse_id: l.warehouse_id, wanted: new Decimal(l.base_quantity).minus(l.shipped_quantity).toString(),
  }));

  // The locks other confirmations contend for (customer with a credit limit, stock levels) come last.
  const credit = await checkCredit(tx, { id: orderId, customerId: order.customer_id, unpaidInBase: order.unpaid_in_base, creditLimit: order.credit_limit ?? 0 });
  if (credit.over && !opts.overrideCredit) throw creditRefusal(credit, order.customer_name ?? '');
  const overridden = credit.over;
  if (overridden) await tx.$executeRaw`UPDATE sales_order SET credit_override = true WHERE id = ${orderId}::uuid`;

  const demands = lines
    .filter((l) => new Decimal(l.wanted).gt(0))
    .map((l) => ({ itemId: l.item_id, warehouseId: l.warehouse_id, demandId: l.id, wanted: l.wanted }));
  const wanted = lines.map((l) => Decimal.max(0, l.wanted).toFixed(4));

  // Last, ONE statement: reserve, and write the timeline entry, its order.progress event and the
  // audit from what was reserved (so their message and per-line quantities are built in SQL): the
  // stock locks are held for the rest of that statement and the commit only.
  const audits = [auditSql(ctx, {
    action: 'confirm', entity: 'salesOrder', entityId: orderId, before: { state: order.before_state },
    after: Prisma.sql`(SELECT jsonb_build_object('state', 'confirmed', 'shortLines', short_lines, 'creditOverride', ${overridden}::boolean) FROM outcome)`,
  })];
  if (overridden) {
    audits.push(auditSql(ctx, {
      action: 'creditOverride', entity: 'salesOrder', entityId: orderId,
      after: { customerId: order.customer_id, limit: credit.limit.toFixed(2), exposure: credit.exposure.toFixed(2), thisOrder: credit.thisOrder.toFixed(2),
        message: `超信用额度放行：额度 ${yuan(credit.limit)}，已占用 ${yuan(credit.exposure)}，本单 ${yuan(credit.thisOrder)}` },
    }));
  }
  const confirmSql = Prisma.sql`
    WITH ${reservationSql(ctx.actor.companyId, 'salesOrderLine', demands)},
    -- every line (also one with nothing left to ship), in line order, with what it got
    got AS (
      SELECT ln.ord, ln.line_no, ln.wanted, coalesce(r.take, 0) AS take
        FROM unnest(${lines.map((l) => l.id)}::uuid[], ${lines.map((l) => l.line_no)}::int[], ${wanted}::numeric[]) WITH ORDINALITY AS ln(id, line_no, wanted, ord)
        LEFT JOIN reservation_result r ON r.demand_id = ln.id),
    outcome AS (
      SELECT count(*) FILTER (WHERE wanted > take) AS short_lines, count(*) AS line_count,
             coalesce(jsonb_agg(line_no ORDER BY ord), '[]') AS line_nos,
             coalesce(jsonb_agg(trim_scale(take)::text ORDER BY ord), '[]') AS reserved,
             coalesce(jsonb_agg(trim_scale(wanted - take)::text ORDER BY ord), '[]') AS short
        FROM got),
    ${timelineStepSql(ctx, {
      orderType: 'salesOrder', orderId, number: order.number, kind: 'confirmed',
      // 确认订单 SO-…：5 行已全部预留 / 3 行已全部预留，2 行缺货, and （超信用额度放行）
      message: Prisma.sql`(SELECT format('确认订单 %s：%s%s', ${order.number}::text,
                 CASE WHEN short_lines > 0 THEN format('%s 行已全部预留，%s 行缺货', line_count - short_lines, short_lines)
                      ELSE format('%s 行已全部预留', line_count) END, ${overridden ? '（超信用额度放行）' : ''}::text) FROM outcome)`,
      // Per line, column-wise (a 1,000-line order stays a small document): line numbers, reserved, short.
      data: Prisma.sql`(SELECT jsonb_build_object('shortLines', short_lines, 'creditOverride', ${overridden}::boolean, 'lineNo', line_nos, 'reserved', reserved, 'short', short) FROM outcome)`,
    })},
    ${Prisma.join(audits.map((a, n) => Prisma.sql`${Prisma.raw(`audit_${n}`)} AS (${a})`), ', ')}
    SELECT (SELECT json_agg(json_build_object('demand_id', demand_id, 'item_id', item_id, 'take', take::text, 'watched', watched) ORDER BY ord)
              FROM reservation_result) AS reserved,
           s.id, s.at, s.message, s.data
      FROM step s`;
  type ConfirmRow = { reserved: ReservationRow[] | null; id: string; at: Date; message: string; data: unknown };
  // With a watched item, shortage alerts may follow in the same transaction; without, this is its
  // last statement (a safety stock set meanwhile counts as set after this confirmation: the item's next move checks it).
  const [first] = order.watched ? await tx.$queryRaw<ConfirmRow[]>(confirmSql) : await lastStatement<ConfirmRow[]>(tx, confirmSql);
  const entry = first!;
  const rows = entry.reserved ?? [];
  const reserved = order.watched ? await reservationOutcome(tx, ctx.actor.companyId, demands, rows) : reservedByDemand(demands, rows);
  const confirmed: ConfirmedLine[] = lines.map((l, n) => {
    const got = reserved.get(l.id) ?? new Decimal(0);
    return { lineId: l.id, lineNo: l.line_no, itemId: l.item_id, wanted: wanted[n]!, reserved: got.toFixed(4), short: new Decimal(wanted[n]!).minus(got).toFixed(4) };
  });

  const result: Confirmation = { orderId, number: order.number, creditOverride: overridden, lines: confirmed };
  if (opts.detail && !order.has_documents) {
    const shown = reads as DetailReads;
    const reservedNow = shown.lines.map((l) => new Decimal(l.reserved).plus(reserved.get(l.id) ?? 0));
    result.detail = orderDetailOf(
      { ...order, credit_override: order.credit_override || overridden },
      shown.lines.map((l, n) => ({
        ...l,
        reserved: reservedNow[n]!.toFixed(4),
        short: Decimal.max(0, new Decimal(l.base_quantity).minus(l.shipped_quantity).minus(reservedNow[n]!)).toFixed(4),
      })),
      { advances: shown.advances, timeline: [...shown.timeline, { id: entry.id, at: entry.at, message: entry.message, data: entry.data, kind: 'confirmed', actor_id: ctx.actor.userId, actor_name: ctx.actor.name }] },
      { shipments: [], returns: [] },
    );
  }
  return result;
}

function assertMayOverride(ctx: UseCaseContext, opts: ConfirmOptions): void {
  if (opts.overrideCredit && !opts.overrideGranted && !can(ctx.actor, 'salesOrder:overrideCredit')) throw forbidden('没有权限：超信用额度放行需要 salesOrder:overrideCredit');
}
