// 采购订单 提交审批: in the order's submit transaction, when the current 采购订单 flow has steps
// for the order's amount (in CNY), the order goes to 待审批 (locked for edits) and the approval
// starts; otherwise the caller confirms the order at once.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { formatYuan } from '../../../../shared/money.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { closeDocumentApproval } from '../actions.ts';
import { planApproval } from '../flows.ts';
import { ruleText } from '../rules.ts';
import { startApproval, type StartedApproval } from '../service.ts';

interface LockedPurchaseOrder {
  state: string;
  number: string;
  total_with_tax: string;
  exchange_rate: string;
  currency_code: string;
  supplier_name: string;
  buyer_name: string;
  line_count: number;
}

/** The order's facts for approval conditions: the amount (价税合计) in CNY. */
export function purchaseOrderFacts(o: { totalWithTax: Decimal.Value; exchangeRate: Decimal.Value }) {
  return { amount: new Decimal(o.totalWithTax).mul(o.exchangeRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) };
}

/**
 * Sends a draft purchase order to 待审批 and starts its approval, in the caller's transaction.
 * Null when no approval is needed (or the order is not a draft: the caller's confirmation then refuses it).
 */
export async function requestPurchaseOrderApproval(tx: Tx, ctx: UseCaseContext, orderId: string): Promise<StartedApproval | null> {
  const [order] = await tx.$queryRaw<LockedPurchaseOrder[]>`
    SELECT o.state::text AS state, o.number, o.total_with_tax::text, o.exchange_rate::text, o.currency_code,
           s.name AS supplier_name, u.name AS buyer_name,
           (SELECT count(*)::int FROM purchase_order_line l WHERE l.order_id = o.id) AS line_count
      FROM purchase_order o JOIN supplier s ON s.id = o.supplier_id JOIN app_user u ON u.id = o.buyer_id
     WHERE o.id = ${orderId}::uuid
       FOR UPDATE OF o`;
  if (!order || order.state !== 'draft') return null;
  const facts = purchaseOrderFacts({ totalWithTax: order.total_with_tax, exchangeRate: order.exchange_rate });
  const planned = await planApproval(tx, 'purchaseOrder', facts);
  if (!planned) return null;

  const [{ version }] = (await tx.$queryRaw<{ version: number }[]>`
    UPDATE purchase_order SET state = 'pendingApproval', updated_at = now(), version = version + 1
     WHERE id = ${orderId}::uuid RETURNING version`) as [{ version: number }];
  const rule = ruleText(planned.steps, planned.plan, facts);
  const cny = order.currency_code === 'CNY';
  const amount = cny ? formatYuan(order.total_with_tax) : `${order.currency_code} ${formatYuan(order.total_with_tax).slice(1)}（折合 ${formatYuan(facts.amount)}）`;
  await addTimelineStep(tx, ctx, {
    orderType: 'purchaseOrder', orderId, number: order.number, kind: 'submitted',
    message: `提交审批：${rule}`, data: { amount: facts.amount, rule },
  });
  await recordAudit(tx, ctx, { action: 'submit', entity: 'purchaseOrder', entityId: orderId, before: { state: 'draft' }, after: { state: 'pendingApproval', ...facts } });
  return startApproval(tx, ctx, {
    businessType: 'purchaseOrder', documentType: 'purchaseOrder', documentId: orderId, documentNumber: order.number, documentVersion: version,
    applicantId: ctx.actor.userId, facts, title: `采购订单审批 · ${order.number}`,
    summary: {
      fields: [
        { label: '供应商', value: order.supplier_name },
        { label: '金额', value: amount },
        { label: '明细', value: `${order.line_count} 行` },
        { label: '采购员', value: order.buyer_name },
      ],
      supplierName: order.supplier_name, currencyCode: order.currency_code, totalWithTax: new Decimal(order.total_with_tax).toFixed(2), amount: facts.amount,
    },
  });
}

/** The order is cancelled while its approval runs: the approval ends as withdrawn (the order is not touched again). */
export async function closePurchaseOrderApproval(tx: Tx, ctx: UseCaseContext, orderId: string, reason?: string | null): Promise<void> {
  await closeDocumentApproval(tx, ctx, 'purchaseOrder', orderId, reason ? `采购订单已取消：${reason}` : '采购订单已取消');
}
