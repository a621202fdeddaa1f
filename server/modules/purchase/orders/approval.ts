// 采购订单 in the approvals engine: when the current 采购订单 flow has steps for the order's amount
// (in CNY), 提交 sends it to 待审批 (locked for edits) and the approval starts; approved → released
// (confirmed, so it counts in 在订量); rejected or withdrawn → back to 草稿 with the reason on the
// order's timeline. All in the submitting or deciding transaction.
import { Decimal } from 'decimal.js';
import type { SqlTx } from '../../../db/sql-session.ts';
import { formatYuan } from '../../../../shared/money.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { backToDraft, type ApprovalDocumentHooks } from '../../approvals/index.ts';
import { applyPurchaseOrderConfirmation } from './state.ts';

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

function lockPurchaseOrder(tx: SqlTx, orderId: string): PromiseLike<LockedPurchaseOrder | undefined> {
  return tx.$queryRaw<LockedPurchaseOrder[]>`
    SELECT o.state::text AS state, o.number, o.total_with_tax::text, o.exchange_rate::text, o.currency_code,
           s.name AS supplier_name, u.name AS buyer_name,
           (SELECT count(*)::int FROM purchase_order_line l WHERE l.order_id = o.id) AS line_count
      FROM purchase_order o JOIN supplier s ON s.id = o.supplier_id JOIN app_user u ON u.id = o.buyer_id
     WHERE o.id = ${orderId}::uuid
       FOR UPDATE OF o`.then((rows) => rows[0]);
}

export const purchaseOrderApproval: ApprovalDocumentHooks<LockedPurchaseOrder> = {
  label: '采购订单',
  businessTypes: ['purchaseOrder'],
  route: (documentId) => `purchase-orders/${documentId}`,
  lock: (tx, orderId) => lockPurchaseOrder(tx, orderId),
  // Not a draft: the caller's confirmation refuses it with the order's state.
  submittable: (order): order is LockedPurchaseOrder => order?.state === 'draft',
  facts: (order) => purchaseOrderFacts({ totalWithTax: order.total_with_tax, exchangeRate: order.exchange_rate }),

  async toPending(tx, ctx, order, submit) {
    const orderId = submit.documentId;
    const { version } = await tx.purchaseOrder.update({
      where: { id: orderId }, data: { state: 'pendingApproval', version: { increment: 1 } }, select: { version: true },
    });
    await addTimelineStep(tx, ctx, {
      orderType: 'purchaseOrder', orderId, number: order.number, kind: 'submitted',
      message: `提交审批：${submit.rule}`, data: { amount: submit.facts.amount ?? null, rule: submit.rule },
    });
    await recordAudit(tx, ctx, { action: 'submit', entity: 'purchaseOrder', entityId: orderId, before: { state: 'draft' }, after: { state: 'pendingApproval', ...submit.facts } });
    return version;
  },

  describe(order, submit) {
    const amount = String(submit.facts.amount);
    const shown = order.currency_code === 'CNY'
      ? formatYuan(order.total_with_tax)
      : `${order.currency_code} ${formatYuan(order.total_with_tax).slice(1)}（折合 ${formatYuan(amount)}）`;
    return {
      title: `采购订单审批 · ${order.number}`,
      summary: {
        fields: [
          { label: '供应商', value: order.supplier_name },
          { label: '金额', value: shown },
          { label: '明细', value: `${order.line_count} 行` },
          { label: '采购员', value: order.buyer_name },
        ],
        supplierName: order.supplier_name, currencyCode: order.currency_code, totalWithTax: new Decimal(order.total_with_tax).toFixed(2), amount,
      },
    };
  },

  async onApproved(tx, ctx, approval) {
    await addTimelineStep(tx, ctx, {
      orderType: 'purchaseOrder', orderId: approval.documentId, number: approval.documentNumber ?? '', kind: 'approved',
      message: `审批通过（${ctx.actor.name}）`, data: { approvalId: approval.id },
    });
    // Not limited by the approver's data scope: the approval is what allows it.
    await applyPurchaseOrderConfirmation(tx, ctx, approval.documentId, { from: 'pendingApproval' });
  },

  ...backToDraft({
    label: '采购订单', entity: 'purchaseOrder', timeline: 'purchaseOrder',
    toDraft: async (tx, id) => (await tx.purchaseOrder.updateMany({ where: { id, state: 'pendingApproval' }, data: { state: 'draft', version: { increment: 1 } } })).count,
  }),
};
