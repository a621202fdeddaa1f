// 销售订单 in the approvals engine (story 1). An order passes the sales flows in a fixed order —
// 销售折扣 first, then 销售订单金额 — each only when its current flow has steps for the order's facts.
// Submitting starts the first that applies (the order goes to 待审批, locked for edits); when one is
// approved the next that applies starts in the same transaction; after the last the order is
// confirmed and reserved; rejected or withdrawn → back to 草稿. The customer's credit is checked at
// submit, so the salesperson hears of it before anyone approves.
import { Decimal } from 'decimal.js';
import type { SqlTx } from '../../../db/sql-session.ts';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma, type Approval } from '../../../generated/prisma/client.ts';
import { formatYuan } from '../../../../shared/money.ts';
import { BUSINESS_TYPE_LABELS, type BusinessType } from '../../../../shared/schemas/approvals.ts';
import { can, type Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { lacking, notFound } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import {
  backToDraft, factText, firstApprovalPlan, orderDiscount, ruleText, startApproval,
  type ApprovalDescription, type ApprovalDocumentHooks, type ApprovalPlan, type StartedApproval,
} from '../../approvals/index.ts';
import { checkCredit, creditRefusal } from '../credit.ts';
import { ownerScopeSql } from '../support.ts';
import { applyOrderConfirmation } from './confirm.ts';

/** The flows a sales order passes, in this order. */
export const SALES_ORDER_FLOWS = ['salesDiscount', 'salesOrderAmount'] as const satisfies readonly BusinessType[];
type SalesOrderFlow = (typeof SALES_ORDER_FLOWS)[number];

/** What the order's submit passes to submitForApproval. */
export interface SalesOrderSubmit {
  /** 超信用额度放行 (the submitter's permission is checked; carried to the confirmation after the last approval) */
  overrideCredit?: boolean;
  /** 404 for an order outside this actor's data scope */
  visibleTo?: Actor;
}

interface LockedOrder {
  state: string;
  number: string;
  version: number;
  customer_id: string;
  list_total: string;
  total_with_tax: string;
  exchange_rate: string;
  currency_code: string;
  customer_name: string;
  owner_name: string;
  credit_limit: string;
  unpaid_in_base: string;
}

/** The order's facts for approval conditions: discount, and the amount in CNY. */
export function orderFacts(o: { listTotal: Decimal.Value; totalWithTax: Decimal.Value; exchangeRate: Decimal.Value }) {
  return {
    discountRate: orderDiscount(o.listTotal, o.totalWithTax),
    amount: new Decimal(o.totalWithTax).mul(o.exchangeRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
  };
}
type OrderFacts = ReturnType<typeof orderFacts>;
const factsOf = (order: LockedOrder) => orderFacts({ listTotal: order.list_total, totalWithTax: order.total_with_tax, exchangeRate: order.exchange_rate });

function lockOrderForApproval(tx: SqlTx, orderId: string, visibleTo?: Actor): PromiseLike<LockedOrder | undefined> {
  const scope = visibleTo ? ownerScopeSql(visibleTo, 'o.owner_id') : Prisma.sql`TRUE`;
  // Sent at once (no await before it): submitForApproval sends the read of the flows right behind it.
  const rows = tx.$queryRaw<LockedOrder[]>`
    SELECT o.state::text AS state, o.number, o.version, o.customer_id::text, o.list_total::text, o.total_with_tax::text, o.exchange_rate::text,
           o.currency_code, c.name AS customer_name, u.name AS owner_name, c.credit_limit::text,
           round(GREATEST(o.total_with_tax - o.advance_received, 0) * o.exchange_rate, 2)::text AS unpaid_in_base
      FROM sales_order o JOIN customer c ON c.id = o.customer_id JOIN app_user u ON u.id = o.owner_id
     WHERE o.id = ${orderId}::uuid AND ${scope}
       FOR UPDATE OF o`;
  return rows.then((r) => r[0]);
}

/** The first of the sales flows (after `after`, if given) with steps for these facts. */
async function nextOrderFlow(tx: SqlTx, facts: OrderFacts, after?: BusinessType): Promise<{ businessType: SalesOrderFlow; planned: ApprovalPlan } | null> {
  const from = after ? SALES_ORDER_FLOWS.indexOf(after as SalesOrderFlow) + 1 : 0;
  if (after && from === 0) return null;
  return firstApprovalPlan(tx, SALES_ORDER_FLOWS.slice(from), facts);
}

/** Whether the approval was submitted with 超信用额度放行 (then the confirmation after it overrides the limit). */
export function creditOverrideOf(approval: Pick<Approval, 'summary'>): boolean {
  const s = approval.summary;
  return typeof s === 'object' && s !== null && !Array.isArray(s) && (s as Record<string, unknown>).creditOverride === true;
}

/** The card of one of the order's approvals. */
function describeOrder(order: LockedOrder, businessType: BusinessType, facts: OrderFacts, creditOverride: boolean): ApprovalDescription {
  const amount = order.currency_code === 'CNY' ? formatYuan(order.total_with_tax) : `${order.currency_code} ${formatYuan(order.total_with_tax).slice(1)}（折合 ${formatYuan(facts.amount)}）`;
  return {
    title: `${BUSINESS_TYPE_LABELS[businessType]}审批 · ${order.number}`,
    summary: {
      fields: [
        { label: '客户', value: order.customer_name },
        { label: '金额', value: amount },
        { label: '折扣', value: factText('discountRate', facts.discountRate) },
        { label: '销售员', value: order.owner_name },
        ...(creditOverride ? [{ label: '信用', value: '提交人已申请超信用额度放行' }] : []),
      ],
      customerName: order.customer_name, currencyCode: order.currency_code, totalWithTax: new Decimal(order.total_with_tax).toFixed(2),
      listTotal: new Decimal(order.list_total).toFixed(2), discountRate: facts.discountRate, amount: facts.amount, creditOverride,
    },
  };
}

/**
 * After one of the order's approvals is approved: starts the next sales flow that applies (the
 * order stays 待审批; approvers who already agreed on this version are not asked again). Null when
 * none is left — the caller confirms the order.
 */
async function continueOrderApproval(tx: Tx, ctx: UseCaseContext, approved: Approval): Promise<StartedApproval | null> {
  const order = await lockOrderForApproval(tx, approved.documentId);
  if (!order || order.state !== 'pendingApproval') return null;
  const facts = factsOf(order);
  const next = await nextOrderFlow(tx, facts, approved.businessType);
  if (!next) return null;
  const rule = ruleText(next.planned.steps, next.planned.plan, facts);
  await addTimelineStep(tx, ctx, {
    orderType: 'salesOrder', orderId: approved.documentId, number: order.number, kind: 'submitted',
    message: `转入${BUSINESS_TYPE_LABELS[next.businessType]}审批：${rule}`,
    data: { businessType: next.businessType, after: approved.id, amount: facts.amount, rule },
  });
  const { title, summary } = describeOrder(order, next.businessType, facts, creditOverrideOf(approved));
  return startApproval(tx, ctx, {
    businessType: next.businessType, documentType: 'salesOrder', documentId: approved.documentId, documentNumber: order.number,
    documentVersion: order.version, applicantId: approved.applicantId, submittedById: null, facts, title, summary,
  });
}

export const salesOrderApproval: ApprovalDocumentHooks<LockedOrder, SalesOrderSubmit | undefined> = {
  label: '销售订单',
  businessTypes: SALES_ORDER_FLOWS,
  route: (documentId) => `sales-orders/${documentId}`,
  lock: (tx, orderId, opts) => lockOrderForApproval(tx, orderId, opts?.visibleTo),

  submittable(order, opts): order is LockedOrder {
    if (!order && opts?.visibleTo) throw notFound('销售订单');
    // Not a draft: the caller's confirmation refuses it with the order's state.
    return order?.state === 'draft';
  },

  facts: (order) => factsOf(order),

  async toPending(tx, ctx, order, submit, opts) {
    const overrideCredit = !!opts?.overrideCredit;
    if (overrideCredit && !can(ctx.actor, 'salesOrder:overrideCredit')) throw lacking('salesOrder:overrideCredit');
    const orderId = submit.documentId;
    const credit = await checkCredit(tx, { id: orderId, customerId: order.customer_id, unpaidInBase: order.unpaid_in_base, creditLimit: order.credit_limit });
    if (credit.over && !overrideCredit) throw creditRefusal(credit, order.customer_name);
    const [{ version }] = (await tx.$queryRaw<{ version: number }[]>`
      UPDATE sales_order SET state = 'pendingApproval', updated_at = now(), version = version + 1
       WHERE id = ${orderId}::uuid RETURNING version`) as [{ version: number }];
    const facts = submit.facts as OrderFacts;
    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId, number: order.number, kind: 'submitted',
      message: `提交审批：${submit.rule}`, data: { businessType: submit.businessType, discountRate: facts.discountRate, amount: facts.amount, rule: submit.rule },
    });
    await recordAudit(tx, ctx, {
      action: 'submit', entity: 'salesOrder', entityId: orderId, before: { state: 'draft' },
      after: { state: 'pendingApproval', businessType: submit.businessType, ...facts, creditOverride: overrideCredit },
    });
    return version;
  },

  describe: (order, submit, opts) => describeOrder(order, submit.businessType, submit.facts as OrderFacts, !!opts?.overrideCredit),

  async onApproved(tx, ctx, approval) {
    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId: approval.documentId, number: approval.documentNumber ?? '', kind: 'approved',
      message: `${BUSINESS_TYPE_LABELS[approval.businessType]}审批通过（${ctx.actor.name}）`, data: { approvalId: approval.id, businessType: approval.businessType },
    });
    // The next sales flow that applies (销售订单金额 after 销售折扣) runs before the order is confirmed.
    if (await continueOrderApproval(tx, ctx, approval)) return;
    // The submitter's 超信用额度放行 (checked against their permission at submit) carries over.
    await applyOrderConfirmation(tx, ctx, approval.documentId, {
      from: ['pendingApproval'], overrideCredit: creditOverrideOf(approval), overrideGranted: creditOverrideOf(approval),
    });
  },

  ...backToDraft({
    label: '订单', entity: 'salesOrder', timeline: 'salesOrder',
    toDraft: async (tx, id) => (await tx.salesOrder.updateMany({ where: { id, state: 'pendingApproval' }, data: { state: 'draft', version: { increment: 1 } } })).count,
  }),
};
