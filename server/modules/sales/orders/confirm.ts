// 订单确认: credit check, then every line reserves min(wanted, available) in its ship-from
// warehouse with ONE set-based reserveStock call; never fails for lack of stock (the shortfall
// is shown per line). Runs inside the caller's transaction so the approvals issue can call it.
// It is the hot path of order entry: a handful of statements, none of them through the ORM.
import { Decimal } from 'decimal.js';
import { lastRowsOf, rowsOf } from '../../../db/rows.ts';
import type { SqlTx } from '../../../db/sql-session.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import type { DocumentState } from '../../../generated/prisma/enums.ts';
import { can, type Actor } from '../../../platform/actor.ts';
import { AppError, lacking, notFound } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { raiseShortages } from '../../inventory/index.ts';
import { checkCredit, creditRefusal } from '../credit.ts';
import { overdueBlock, overdueRefusal } from '../receivables/overdue.ts';
import { ownerScopeSql, yuan } from '../support.ts';
import { orderDetailOf } from './dto.ts';
import { confirmOrderRow, detailReads, markCreditOverride, orderState, reserveOrderLines, type ConfirmedHeader, type DetailReads } from './store.ts';

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

type FirstRow = ConfirmedHeader & Partial<DetailReads>;

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
  const first = rowsOf(tx, confirmOrderRow(orderId, from, scope, !!opts.detail));
  // Whoever sent it may end the transaction without waiting for it (an approval was due instead).
  Promise.resolve(first).catch(() => {});
  return { orderId, opts, scope, first };
}

/** The rest of the confirmation sent by sendOrderConfirmation, in the same transaction: see applyOrderConfirmation. */
export async function completeOrderConfirmation(tx: SqlTx, ctx: UseCaseContext, sent: SentConfirmation): Promise<Confirmation> {
  const { orderId, opts, scope } = sent;
  const [order] = await sent.first;
  if (!order) {
    const [now] = await rowsOf(tx, orderState(orderId, scope));
    if (!now) throw notFound('销售订单');
    assertMayOverride(ctx, opts);
    throw new AppError('CONFLICT', REFUSAL[now.state] ?? '订单当前状态不能确认');
  }
  assertMayOverride(ctx, opts);

  // 逾期应收禁止下单 (财务设置, off by default): one indexed read, no lock.
  const overdue = await overdueBlock(tx, order.customer_id);
  if (overdue) throw overdueRefusal(overdue, order.customer_name ?? '');

  // The locks other confirmations contend for (customer with a credit limit, stock levels) come last.
  const credit = await checkCredit(tx, { id: orderId, customerId: order.customer_id, unpaidInBase: order.unpaid_in_base, creditLimit: order.credit_limit ?? 0 });
  if (credit.over && !opts.overrideCredit) throw creditRefusal(credit, order.customer_name ?? '');
  const overridden = credit.over;
  if (overridden) await markCreditOverride(tx, orderId);

  // Last, ONE statement: every line still to ship reserves, and the timeline entry, its
  // order.progress event and the audit are written from what was reserved: the stock locks are
  // held for the rest of that statement and the commit only.
  const confirmSql = reserveOrderLines(ctx, {
    orderId, number: order.number, beforeState: order.before_state, overridden, detail: !!opts.detail, watched: order.watched,
    overrideAudit: overridden
      ? {
          customerId: order.customer_id, limit: credit.limit.toFixed(2), exposure: credit.exposure.toFixed(2), thisOrder: credit.thisOrder.toFixed(2),
          message: `超信用额度放行：额度 ${yuan(credit.limit)}，已占用 ${yuan(credit.exposure)}，本单 ${yuan(credit.thisOrder)}`,
        }
      : null,
  });
  // With a watched item, shortage alerts may follow in the same transaction; without, this is its
  // last statement (a safety stock set meanwhile counts as set after this confirmation: the item's next move checks it).
  const [entry] = order.watched ? await rowsOf(tx, confirmSql) : await lastRowsOf(tx, confirmSql);
  if (order.watched && entry!.watched_items.length) await raiseShortages(tx, ctx.actor.companyId, entry!.watched_items);

  const result: Confirmation = { orderId, number: order.number, creditOverride: overridden, reserved: entry!.reserved_total, shortLines: entry!.short_lines };
  if (opts.detail && !order.has_documents) {
    // The reads share the first statement's snapshot, taken before the row lock was granted. Every
    // change to an order's lines bumps its version, so a version moved meanwhile means: read them again.
    const shown: DetailReads = order.seen_version === order.version - 1 ? (order as DetailReads) : (await rowsOf(tx, detailReads(orderId)))[0]!;
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
