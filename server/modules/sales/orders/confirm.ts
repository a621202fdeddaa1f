// 订单确认: credit check, then every line reserves min(wanted, available) in its ship-from
// warehouse with ONE set-based reserveStock call; never fails for lack of stock (the shortfall
// is shown per line). Runs inside the caller's transaction so the approvals issue can call it.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { DocumentState } from '../../../generated/prisma/enums.ts';
import { can } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, forbidden, notFound } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { reserveStock } from '../../inventory/stock/ledger.ts';
import { checkCredit, creditRefusal } from '../credit.ts';
import { qtyText, yuan } from '../support.ts';

export interface ConfirmOptions {
  /** confirm although the customer's credit limit is exceeded (needs salesOrder:overrideCredit; audited) */
  overrideCredit?: boolean;
  /** the states the order may be confirmed from: a manual confirm takes drafts, the approvals issue pending ones */
  from?: DocumentState[];
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
}

const REFUSAL: Partial<Record<DocumentState, string>> = {
  confirmed: '订单已确认，不能重复确认',
  pendingApproval: '订单待审批中，需审批通过后确认',
  draft: '订单尚未提交审批',
  closed: '订单已关闭，不能确认',
  cancelled: '订单已取消，不能确认',
};

interface LockedOrder {
  number: string;
  state: DocumentState;
  customer_id: string;
  customer_name: string;
  credit_limit: string;
  unpaid_in_base: string;
}

/**
 * Confirms one order in the caller's transaction. The order row is locked first (so 100 parallel
 * confirmations confirm it once; the others get 409 "订单已确认"), then the customer (if it has a
 * credit limit), then stock levels inside reserveStock.
 */
export async function applyOrderConfirmation(tx: Tx, ctx: UseCaseContext, orderId: string, opts: ConfirmOptions = {}): Promise<Confirmation> {
  if (opts.overrideCredit && !can(ctx.actor, 'salesOrder:overrideCredit')) throw forbidden('没有权限：超信用额度放行需要 salesOrder:overrideCredit');
  const from = opts.from ?? ['draft'];
  const [order] = await tx.$queryRaw<LockedOrder[]>`
    SELECT o.number, o.state::text AS state, o.customer_id::text AS customer_id, c.name AS customer_name, c.credit_limit::text AS credit_limit,
           round(GREATEST(o.total_with_tax - o.advance_received, 0) * o.exchange_rate, 2)::text AS unpaid_in_base
      FROM sales_order o JOIN customer c ON c.id = o.customer_id
     WHERE o.id = ${orderId}::uuid
       FOR UPDATE OF o`;
  if (!order) throw notFound('销售订单');
  if (!from.includes(order.state)) throw new AppError('CONFLICT', REFUSAL[order.state] ?? '订单当前状态不能确认');

  // Lines still to ship, in line order (reservations are allocated in this order).
  const lines = await tx.$queryRaw<{ id: string; line_no: number; item_id: string; warehouse_id: string; wanted: string }[]>`
    SELECT id::text, line_no, item_id::text, warehouse_id::text, (base_quantity - shipped_quantity)::text AS wanted
      FROM sales_order_line WHERE order_id = ${orderId}::uuid ORDER BY line_no`;
  await tx.$executeRaw`
    UPDATE sales_order SET state = 'confirmed', confirmed_at = now(), updated_at = now(), version = version + 1 WHERE id = ${orderId}::uuid`;

  // The locks other confirmations contend for (customer with a credit limit, stock levels) come last.
  const credit = await checkCredit(tx, { id: orderId, customerId: order.customer_id, unpaidInBase: order.unpaid_in_base, creditLimit: order.credit_limit });
  if (credit.over && !opts.overrideCredit) throw creditRefusal(credit, order.customer_name);
  const overridden = credit.over;
  if (overridden) await tx.$executeRaw`UPDATE sales_order SET credit_override = true WHERE id = ${orderId}::uuid`;

  const demands = lines
    .filter((l) => new Decimal(l.wanted).gt(0))
    .map((l) => ({ itemId: l.item_id, warehouseId: l.warehouse_id, demandId: l.id, wanted: l.wanted }));
  const reserved = await reserveStock(tx, ctx.actor.companyId, 'salesOrderLine', demands);

  const confirmed: ConfirmedLine[] = lines.map((l) => {
    const got = reserved.get(l.id) ?? new Decimal(0);
    const wanted = Decimal.max(0, l.wanted);
    return { lineId: l.id, lineNo: l.line_no, itemId: l.item_id, wanted: wanted.toFixed(4), reserved: got.toFixed(4), short: wanted.minus(got).toFixed(4) };
  });
  const shortLines = confirmed.filter((l) => new Decimal(l.short).gt(0)).length;
  await addTimelineStep(tx, ctx, {
    orderType: 'salesOrder', orderId, number: order.number, kind: 'confirmed',
    message: `确认订单 ${order.number}：${shortLines ? `${lines.length - shortLines} 行已全部预留，${shortLines} 行缺货` : `${lines.length} 行已全部预留`}${overridden ? '（超信用额度放行）' : ''}`,
    data: {
      shortLines,
      creditOverride: overridden,
      // Per line, column-wise (a 1,000-line order stays a small document): line numbers, reserved, short.
      lineNo: confirmed.map((l) => l.lineNo),
      reserved: confirmed.map((l) => qtyText(l.reserved)),
      short: confirmed.map((l) => qtyText(l.short)),
    },
  });
  await recordAudit(tx, ctx, {
    action: 'confirm', entity: 'salesOrder', entityId: orderId,
    before: { state: order.state }, after: { state: 'confirmed', shortLines, creditOverride: overridden },
  });
  if (overridden) {
    await recordAudit(tx, ctx, {
      action: 'creditOverride', entity: 'salesOrder', entityId: orderId,
      after: { customerId: order.customer_id, limit: credit.limit.toFixed(2), exposure: credit.exposure.toFixed(2), thisOrder: credit.thisOrder.toFixed(2),
        message: `超信用额度放行：额度 ${yuan(credit.limit)}，已占用 ${yuan(credit.exposure)}，本单 ${yuan(credit.thisOrder)}` },
    });
  }
  return { orderId, number: order.number, creditOverride: overridden, lines: confirmed };
}

/**
 * 审批规则: which approval an order needs before it is confirmed. The approvals issue fills
 * this in; until then no order needs approval and submitting confirms at once.
 */
export function approvalRuleFor(_order: { id: string; customerId: string; totalWithTax: string; ownerId: string }): null {
  return null;
}
