// 销售订单 提交审批 (story 1): in the order's submit transaction, when the current 销售折扣 flow
// has steps for the order's discount, the order goes to 待审批 (locked for edits) and the
// approval starts; otherwise the caller confirms the order at once.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { formatYuan } from '../../../../shared/money.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { closeDocumentApproval } from '../actions.ts';
import { planApproval } from '../flows.ts';
import { factText, orderDiscount, ruleText } from '../rules.ts';
import { startApproval, type StartedApproval } from '../service.ts';

interface LockedOrder {
  state: string;
  number: string;
  list_total: string;
  total_with_tax: string;
  exchange_rate: string;
  currency_code: string;
  customer_name: string;
  owner_name: string;
}

/** The order's facts for approval conditions: discount, and the amount in CNY. */
export function orderFacts(o: { listTotal: Decimal.Value; totalWithTax: Decimal.Value; exchangeRate: Decimal.Value }) {
  return {
    discountRate: orderDiscount(o.listTotal, o.totalWithTax),
    amount: new Decimal(o.totalWithTax).mul(o.exchangeRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
  };
}

/**
 * Sends a draft order to 待审批 and starts its approval, in the caller's transaction. Null when
 * no approval is needed (or the order is not a draft: the caller's confirmation then refuses it).
 */
export async function requestOrderApproval(tx: Tx, ctx: UseCaseContext, orderId: string): Promise<StartedApproval | null> {
  const [order] = await tx.$queryRaw<LockedOrder[]>`
    SELECT o.state::text AS state, o.number, o.list_total::text, o.total_with_tax::text, o.exchange_rate::text, o.currency_code,
           c.name AS customer_name, u.name AS owner_name
      FROM sales_order o JOIN customer c ON c.id = o.customer_id JOIN app_user u ON u.id = o.owner_id
     WHERE o.id = ${orderId}::uuid
       FOR UPDATE OF o`;
  if (!order || order.state !== 'draft') return null;
  const facts = orderFacts({ listTotal: order.list_total, totalWithTax: order.total_with_tax, exchangeRate: order.exchange_rate });
  const planned = await planApproval(tx, 'salesDiscount', facts);
  if (!planned) return null;

  const [{ version }] = (await tx.$queryRaw<{ version: number }[]>`
    UPDATE sales_order SET state = 'pendingApproval', updated_at = now(), version = version + 1
     WHERE id = ${orderId}::uuid RETURNING version`) as [{ version: number }];
  const rule = ruleText(planned.steps, planned.plan, facts);
  const amount = order.currency_code === 'CNY' ? formatYuan(order.total_with_tax) : `${order.currency_code} ${formatYuan(order.total_with_tax).slice(1)}`;
  await addTimelineStep(tx, ctx, {
    orderType: 'salesOrder', orderId, number: order.number, kind: 'submitted',
    message: `提交审批：${rule}`, data: { discountRate: facts.discountRate, rule },
  });
  await recordAudit(tx, ctx, { action: 'submit', entity: 'salesOrder', entityId: orderId, before: { state: 'draft' }, after: { state: 'pendingApproval', ...facts } });
  return startApproval(tx, ctx, {
    businessType: 'salesDiscount', documentType: 'salesOrder', documentId: orderId, documentNumber: order.number, documentVersion: version,
    applicantId: ctx.actor.userId, facts, title: `销售折扣审批 · ${order.number}`,
    summary: {
      fields: [
        { label: '客户', value: order.customer_name },
        { label: '金额', value: amount },
        { label: '折扣', value: factText('discountRate', facts.discountRate) },
        { label: '销售员', value: order.owner_name },
      ],
      customerName: order.customer_name, currencyCode: order.currency_code, totalWithTax: new Decimal(order.total_with_tax).toFixed(2),
      listTotal: new Decimal(order.list_total).toFixed(2), discountRate: facts.discountRate,
    },
  });
}

/** The order is cancelled while its approval runs: the approval ends as withdrawn (the order is not touched again). */
export async function closeOrderApproval(tx: Tx, ctx: UseCaseContext, orderId: string, reason?: string | null): Promise<void> {
  await closeDocumentApproval(tx, ctx, 'salesOrder', orderId, reason ? `订单已取消：${reason}` : '订单已取消');
}
