// 销售订单 提交审批 (story 1). An order passes the sales flows in a fixed order — 销售折扣 first,
// then 销售订单金额 — each only when its current flow has steps for the order's facts. Submitting
// starts the first that applies (the order goes to 待审批, locked for edits); when one is approved
// the next that applies starts in the same transaction; after the last the order is confirmed.
// The customer's credit is checked at submit, so the salesperson hears of it before anyone approves.
import { Decimal } from 'decimal.js';
import { ormOf, readTogether, type SqlTx } from '../../../db/sql-session.ts';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma, type Approval } from '../../../generated/prisma/client.ts';
import { formatYuan } from '../../../../shared/money.ts';
import { BUSINESS_TYPE_LABELS, type BusinessType } from '../../../../shared/schemas/approvals.ts';
import { can, type Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { lacking, notFound } from '../../../platform/errors.ts';
import type { UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { checkCredit, creditRefusal } from '../../sales/credit.ts';
import { ownerScopeSql } from '../../sales/support.ts';
import { closeDocumentApproval } from '../actions.ts';
import { currentFlows, firstApprovalPlan, firstPlanOf, type ApprovalPlan } from '../flows.ts';
import { factText, orderDiscount, ruleText } from '../rules.ts';
import { startApproval, type StartedApproval } from '../service.ts';

/** The flows a sales order passes, in this order. */
export const SALES_ORDER_FLOWS = ['salesDiscount', 'salesOrderAmount'] as const satisfies readonly BusinessType[];
type SalesOrderFlow = (typeof SALES_ORDER_FLOWS)[number];

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

async function lockOrderForApproval(tx: SqlTx, orderId: string, visibleTo?: Actor): Promise<LockedOrder | undefined> {
  const scope = visibleTo ? ownerScopeSql(visibleTo, 'o.owner_id') : Prisma.sql`TRUE`;
  const [order] = await tx.$queryRaw<LockedOrder[]>`
    SELECT o.state::text AS state, o.number, o.version, o.customer_id::text, o.list_total::text, o.total_with_tax::text, o.exchange_rate::text,
           o.currency_code, c.name AS customer_name, u.name AS owner_name, c.credit_limit::text,
           round(GREATEST(o.total_with_tax - o.advance_received, 0) * o.exchange_rate, 2)::text AS unpaid_in_base
      FROM sales_order o JOIN customer c ON c.id = o.customer_id JOIN app_user u ON u.id = o.owner_id
     WHERE o.id = ${orderId}::uuid AND ${scope}
       FOR UPDATE OF o`;
  return order;
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

async function startOrderApproval(
  tx: Tx,
  ctx: UseCaseContext,
  orderId: string,
  order: LockedOrder,
  flow: { businessType: SalesOrderFlow; facts: OrderFacts; applicantId: string; creditOverride: boolean; chained?: boolean },
): Promise<StartedApproval | null> {
  const { facts } = flow;
  const amount = order.currency_code === 'CNY' ? formatYuan(order.total_with_tax) : `${order.currency_code} ${formatYuan(order.total_with_tax).slice(1)}（折合 ${formatYuan(facts.amount)}）`;
  const label = BUSINESS_TYPE_LABELS[flow.businessType];
  return startApproval(tx, ctx, {
    businessType: flow.businessType, documentType: 'salesOrder', documentId: orderId, documentNumber: order.number, documentVersion: order.version,
    applicantId: flow.applicantId, submittedById: flow.chained ? null : undefined, facts, title: `${label}审批 · ${order.number}`,
    summary: {
      fields: [
        { label: '客户', value: order.customer_name },
        { label: '金额', value: amount },
        { label: '折扣', value: factText('discountRate', facts.discountRate) },
        { label: '销售员', value: order.owner_name },
        ...(flow.creditOverride ? [{ label: '信用', value: '提交人已申请超信用额度放行' }] : []),
      ],
      customerName: order.customer_name, currencyCode: order.currency_code, totalWithTax: new Decimal(order.total_with_tax).toFixed(2),
      listTotal: new Decimal(order.list_total).toFixed(2), discountRate: facts.discountRate, amount: facts.amount, creditOverride: flow.creditOverride,
    },
  });
}

/**
 * Sends a draft order to 待审批 and starts the first sales flow that applies, in the caller's
 * transaction. Null when no approval is needed (or the order is not a draft: the caller's
 * confirmation then refuses it). Over the credit limit: refused with the figures now, unless the
 * submitter may override and asks to (carried to the confirmation after the last approval).
 */
export async function requestOrderApproval(
  tx: SqlTx,
  ctx: UseCaseContext,
  orderId: string,
  opts: { overrideCredit?: boolean; /** 404 for an order outside this actor's data scope */ visibleTo?: Actor } = {},
): Promise<StartedApproval | null> {
  // The order and the flows are read together (one round trip on a pipelined session).
  const [order, flows] = await readTogether(tx, () => lockOrderForApproval(tx, orderId, opts.visibleTo), () => currentFlows(tx, SALES_ORDER_FLOWS));
  if (!order) {
    if (opts.visibleTo) throw notFound('销售订单');
    return null;
  }
  if (order.state !== 'draft') return null;
  const facts = orderFacts({ listTotal: order.list_total, totalWithTax: order.total_with_tax, exchangeRate: order.exchange_rate });
  const next = firstPlanOf(flows, SALES_ORDER_FLOWS, facts);
  if (!next) return null;
  // Starting an approval takes the ORM (the lean path of order entry runs it again in a Prisma transaction).
  const orm = ormOf(tx, '发起审批');
  if (opts.overrideCredit && !can(ctx.actor, 'salesOrder:overrideCredit')) throw lacking('salesOrder:overrideCredit');
  const credit = await checkCredit(tx, { id: orderId, customerId: order.customer_id, unpaidInBase: order.unpaid_in_base, creditLimit: order.credit_limit });
  if (credit.over && !opts.overrideCredit) throw creditRefusal(credit, order.customer_name);

  const [{ version }] = (await orm.$queryRaw<{ version: number }[]>`
    UPDATE sales_order SET state = 'pendingApproval', updated_at = now(), version = version + 1
     WHERE id = ${orderId}::uuid RETURNING version`) as [{ version: number }];
  const rule = ruleText(next.planned.steps, next.planned.plan, facts);
  await addTimelineStep(orm, ctx, {
    orderType: 'salesOrder', orderId, number: order.number, kind: 'submitted',
    message: `提交审批：${rule}`, data: { businessType: next.businessType, discountRate: facts.discountRate, amount: facts.amount, rule },
  });
  await recordAudit(orm, ctx, {
    action: 'submit', entity: 'salesOrder', entityId: orderId, before: { state: 'draft' },
    after: { state: 'pendingApproval', businessType: next.businessType, ...facts, creditOverride: !!opts.overrideCredit },
  });
  return startOrderApproval(orm, ctx, orderId, { ...order, version }, {
    businessType: next.businessType, facts, applicantId: ctx.actor.userId, creditOverride: !!opts.overrideCredit,
  });
}

/**
 * After one of the order's approvals is approved: starts the next sales flow that applies (the
 * order stays 待审批; approvers who already agreed on this version are not asked again). Null when
 * none is left — the caller confirms the order.
 */
export async function continueOrderApproval(tx: Tx, ctx: UseCaseContext, approved: Approval): Promise<StartedApproval | null> {
  const order = await lockOrderForApproval(tx, approved.documentId);
  if (!order || order.state !== 'pendingApproval') return null;
  const facts = orderFacts({ listTotal: order.list_total, totalWithTax: order.total_with_tax, exchangeRate: order.exchange_rate });
  const next = await nextOrderFlow(tx, facts, approved.businessType);
  if (!next) return null;
  const rule = ruleText(next.planned.steps, next.planned.plan, facts);
  await addTimelineStep(tx, ctx, {
    orderType: 'salesOrder', orderId: approved.documentId, number: order.number, kind: 'submitted',
    message: `转入${BUSINESS_TYPE_LABELS[next.businessType]}审批：${rule}`,
    data: { businessType: next.businessType, after: approved.id, amount: facts.amount, rule },
  });
  return startOrderApproval(tx, ctx, approved.documentId, order, {
    businessType: next.businessType, facts, applicantId: approved.applicantId, creditOverride: creditOverrideOf(approved), chained: true,
  });
}

/** The order is cancelled while its approval runs: the approval ends as withdrawn (the order is not touched again). */
export async function closeOrderApproval(tx: Tx, ctx: UseCaseContext, orderId: string, reason?: string | null): Promise<void> {
  await closeDocumentApproval(tx, ctx, 'salesOrder', orderId, reason ? `订单已取消：${reason}` : '订单已取消');
}
