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
import { AppError, lacking, notFound } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { timelineStepSql } from '../../../platform/timeline.ts';
import { raiseShortages, reservationSql } from '../../inventory/stock/ledger.ts';
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

export interface Confirmation {
  orderId: string;
  number: string;
  creditOverride: boolean;
  /** what the lines reserved in all (base unit, 4 decimals); per line it is in the timeline entry */
  reserved: string;
  /** lines that did not get all they still had to ship */
  shortLines: number;
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

/** For the reply (`detail`): the lines as the API shows them, the advance receipts and the timeline so far. */
type DetailReads = { lines: LineRow[] } & ExtrasRow;

function detailReadsSql(orderId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT (SELECT coalesce(json_agg(x ORDER BY x.line_no), '[]'::json) FROM (${orderLinesSql(Prisma.sql`sales_order_line`, orderId, true)}) x) AS lines,
           e.advances, e.timeline
      FROM (${orderExtrasSql(orderId)}) e`;
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
  return completeOrderConfirmation(tx, ctx, sendOrderConfirmation(tx, ctx, orderId, opts));
}

type FirstRow = ConfirmedHeader & Partial<DetailReads> & { seen_version: number };

/** A confirmation whose first statement has been sent (on a pipelined session it is on its way). */
export interface SentConfirmation {
  orderId: string;
  opts: ConfirmOptions;
  /** the data scope the order was looked up in */
  scope: Prisma.Sql;
  first: PromiseLike<FirstRow[]>;
}

/**
 * The confirmation's first statement, sent now: `prev` locks the row and keeps the state it had,
 * the UPDATE takes the row only in a state it may be confirmed from, and the header (and, for the
 * reply, the lines, advance receipts and timeline so far) are read with it. Finish it with
 * completeOrderConfirmation in the same transaction.
 */
export function sendOrderConfirmation(tx: SqlTx, ctx: UseCaseContext, orderId: string, opts: ConfirmOptions = {}): SentConfirmation {
  const from = opts.from ?? ['draft'];
  const scope = opts.visibleTo ? ownerScopeSql(opts.visibleTo, 'sales_order.owner_id') : Prisma.sql`TRUE`;
  const detailJoin = opts.detail ? Prisma.sql`, (${detailReadsSql(orderId)}) r` : Prisma.empty;
  const first = tx.$queryRaw<FirstRow[]>`
    WITH prev AS MATERIALIZED (SELECT id, state FROM sales_order WHERE id = ${orderId}::uuid AND ${scope} FOR UPDATE),
    o AS (
      UPDATE sales_order SET state = 'confirmed', confirmed_at = now(), updated_at = now(), version = version + 1
       WHERE id = (SELECT id FROM prev WHERE state = ANY(${from}::document_state[]))
      RETURNING *)
    SELECT h.*, (SELECT version FROM sales_order WHERE id = ${orderId}::uuid) AS seen_version ${opts.detail ? Prisma.sql`, r.*` : Prisma.empty}
      FROM (${orderHeaderSql(Prisma.sql`o`, Prisma.sql`, (SELECT state::text FROM prev) AS before_state, c.credit_limit::text AS credit_limit,
                 round(GREATEST(o.total_with_tax - o.advance_received, 0) * o.exchange_rate, 2)::text AS unpaid_in_base,
                 EXISTS (SELECT 1 FROM item i WHERE i.safety_stock > 0
                                AND i.id = ANY(ARRAY(SELECT ol.item_id FROM sales_order_line ol WHERE ol.order_id = ${orderId}::uuid))) AS watched`)}) h
           ${detailJoin}`;
  // Whoever sent it may end the transaction without waiting for it (an approval was due instead).
  Promise.resolve(first).catch(() => {});
  return { orderId, opts, scope, first };
}

/** The rest of the confirmation sent by sendOrderConfirmation, in the same transaction: see applyOrderConfirmation. */
export async function completeOrderConfirmation(tx: SqlTx, ctx: UseCaseContext, sent: SentConfirmation): Promise<Confirmation> {
  const { orderId, opts, scope } = sent;
  const [order] = await sent.first;
  if (!order) {
    const [now] = await tx.$queryRaw<{ state: DocumentState }[]>`SELECT state::text AS state FROM sales_order WHERE id = ${orderId}::uuid AND ${scope}`;
    if (!now) throw notFound('销售订单');
    assertMayOverride(ctx, opts);
    throw new AppError('CONFLICT', REFUSAL[now.state] ?? '订单当前状态不能确认');
  }
  assertMayOverride(ctx, opts);

  // The locks other confirmations contend for (customer with a credit limit, stock levels) come last.
  const credit = await checkCredit(tx, { id: orderId, customerId: order.customer_id, unpaidInBase: order.unpaid_in_base, creditLimit: order.credit_limit ?? 0 });
  if (credit.over && !opts.overrideCredit) throw creditRefusal(credit, order.customer_name ?? '');
  const overridden = credit.over;
  if (overridden) await tx.$executeRaw`UPDATE sales_order SET credit_override = true WHERE id = ${orderId}::uuid`;

  // Last, ONE statement: every line still to ship reserves (read from the order's lines, which the
  // order's row lock keeps as they are), and the timeline entry, its order.progress event and the
  // audit are written from what was reserved (so their message and per-line quantities are built in
  // SQL): the stock locks are held for the rest of that statement and the commit only.
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
    WITH lines AS MATERIALIZED (
      SELECT id, line_no, item_id, warehouse_id, GREATEST(base_quantity - shipped_quantity, 0)::numeric(18, 4) AS wanted,
             row_number() OVER (ORDER BY line_no, id) AS ord
        FROM sales_order_line WHERE order_id = ${orderId}::uuid),
    ${reservationSql(ctx.actor.companyId, 'salesOrderLine', Prisma.sql`SELECT item_id, warehouse_id, id AS demand_id, wanted, ord FROM lines WHERE wanted > 0`, { fresh: true })},
    -- every line (also one with nothing left to ship), in line order, with what it got
    got AS (
      SELECT ord, id, max(line_no) AS line_no, max(wanted) AS wanted, coalesce(max(take), 0)::numeric(18, 4) AS take
        FROM (SELECT ord, id, line_no, wanted, NULL::numeric AS take FROM lines UNION ALL SELECT ord, demand_id, NULL, NULL, take FROM alloc) u
       GROUP BY ord, id),
    outcome AS (
      SELECT count(*) FILTER (WHERE wanted > take) AS short_lines, count(*) AS line_count,
             coalesce(jsonb_agg(line_no ORDER BY ord), '[]') AS line_nos,
             coalesce(jsonb_agg(trim_scale(take)::text ORDER BY ord), '[]') AS reserved,
             coalesce(jsonb_agg(trim_scale(wanted - take)::text ORDER BY ord), '[]') AS short,
             coalesce(sum(take), 0)::numeric(18, 4) AS reserved_total,
             ${opts.detail ? Prisma.sql`json_object_agg(id, take::text)` : Prisma.sql`NULL::json`} AS taken
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
    SELECT o.short_lines::int, o.reserved_total::text, o.taken,
           ${order.watched
             ? Prisma.sql`(SELECT coalesce(array_agg(i.id::text), '{}') FROM item i WHERE i.id = ANY(ARRAY(SELECT item_id FROM d)) AND i.safety_stock > 0)`
             : Prisma.sql`'{}'::text[]`} AS watched_items,
           s.id, s.at, s.message, s.data
      FROM step s, outcome o`;
  /** taken: with `detail`, what each line got, by line id */
  type ConfirmRow = { short_lines: number; reserved_total: string; taken: Record<string, string> | null; watched_items: string[]; id: string; at: Date; message: string; data: unknown };
  // With a watched item, shortage alerts may follow in the same transaction; without, this is its
  // last statement (a safety stock set meanwhile counts as set after this confirmation: the item's next move checks it).
  const [entry] = order.watched ? await tx.$queryRaw<ConfirmRow[]>(confirmSql) : await lastStatement<ConfirmRow[]>(tx, confirmSql);
  if (order.watched && entry!.watched_items.length) await raiseShortages(tx, ctx.actor.companyId, entry!.watched_items);

  const result: Confirmation = { orderId, number: order.number, creditOverride: overridden, reserved: entry!.reserved_total, shortLines: entry!.short_lines };
  if (opts.detail && !order.has_documents) {
    // The reads share the first statement's snapshot, taken before the row lock was granted. Every
    // change to an order's lines bumps its version, so a version moved meanwhile means: read them again.
    const shown: DetailReads = order.seen_version === order.version - 1 ? (order as DetailReads) : (await tx.$queryRaw<DetailReads[]>(detailReadsSql(orderId)))[0]!;
    const taken = entry!.taken ?? {};
    const reservedNow = shown.lines.map((l) => new Decimal(l.reserved).plus(taken[l.id] ?? 0));
    result.detail = orderDetailOf(
      { ...order, credit_override: order.credit_override || overridden },
      shown.lines.map((l, n) => ({
        ...l,
        reserved: reservedNow[n]!.toFixed(4),
        short: Decimal.max(0, new Decimal(l.base_quantity).minus(l.shipped_quantity).minus(reservedNow[n]!)).toFixed(4),
      })),
      { advances: shown.advances, timeline: [...shown.timeline, { id: entry!.id, at: entry!.at, message: entry!.message, data: entry!.data, kind: 'confirmed', actor_id: ctx.actor.userId, actor_name: ctx.actor.name }] },
      { shipments: [], returns: [] },
    );
  }
  return result;
}

function assertMayOverride(ctx: UseCaseContext, opts: ConfirmOptions): void {
  if (opts.overrideCredit && !opts.overrideGranted && !can(ctx.actor, 'salesOrder:overrideCredit')) throw lacking('salesOrder:overrideCredit');
}
