// 报价单状态: 草稿 → 已发送 → 已接受 / 已过期 / 已取消, and 转订单 (a draft sales order with the
// same lines; the quotation becomes accepted). Each locks the quotation row first.
import type { Tx } from '../../../db/transaction.ts';
import type { QuotationState } from '../../../generated/prisma/enums.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import type { Quotation, QuotationConvert } from '../../../../shared/schemas/sales/quotations.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { insertDraftOrder } from '../orders/draft.ts';
import { getOrder } from '../orders/service.ts';
import { lineAsInput } from '../pricing.ts';
import { dateOnlyOf, todayInShanghai } from '../support.ts';
import { findVisibleQuotation, loadQuotation, QUOTATION_STATE_WORD } from './service.ts';

const ACTION_WORD = { send: '发送', accept: '接受', expire: '置为过期', cancel: '取消', convert: '转为订单' } as const;
type QuotationAction = keyof typeof ACTION_WORD;

const ALLOWED: Record<QuotationAction, QuotationState[]> = {
  send: ['draft'],
  accept: ['draft', 'sent'],
  expire: ['draft', 'sent'],
  cancel: ['draft', 'sent', 'accepted'],
  convert: ['draft', 'sent', 'accepted'],
};

const TARGET: Record<Exclude<QuotationAction, 'convert'>, QuotationState> = { send: 'sent', accept: 'accepted', expire: 'expired', cancel: 'cancelled' };

async function lockQuotation(tx: Tx, id: string, action: QuotationAction): Promise<QuotationState> {
  const [row] = await tx.$queryRaw<{ state: QuotationState }[]>`SELECT state::text AS state FROM quotation WHERE id = ${id}::uuid FOR UPDATE`;
  if (!row) throw notFound('报价单');
  if (!ALLOWED[action].includes(row.state)) throw new AppError('CONFLICT', `${QUOTATION_STATE_WORD[row.state]}，不能${ACTION_WORD[action]}`);
  return row.state;
}

/** The orders made from a quotation that are still alive (not cancelled). */
async function liveOrders(tx: Tx, quotationId: string): Promise<string[]> {
  const orders = await tx.salesOrder.findMany({ where: { quotationId, state: { not: 'cancelled' } }, select: { number: true } });
  return orders.map((o) => o.number);
}

async function setState(tx: Tx, ctx: UseCaseContext, id: string, from: QuotationState, to: QuotationState, extra: Record<string, unknown> = {}): Promise<void> {
  const row = await tx.quotation.update({ where: { id }, data: { state: to, version: { increment: 1 } } });
  await recordAudit(tx, ctx, { action: to, entity: 'quotation', entityId: id, before: { state: from }, after: { state: to, ...extra } });
  await emitEvent(tx, ctx.actor.companyId, { type: `quotation.${to}`, aggregate: 'quotation', aggregateId: id, payload: { number: row.number, from, to, ...extra } as Record<string, string> });
}

export async function changeQuotationState(ctx: UseCaseContext, id: string, action: Exclude<QuotationAction, 'convert'>): Promise<Quotation> {
  return runUseCase(ctx, async (tx) => {
    await findVisibleQuotation(tx, ctx.actor, id);
    const from = await lockQuotation(tx, id, action);
    if (action === 'cancel') {
      const orders = await liveOrders(tx, id);
      if (orders.length) throw new AppError('CONFLICT', `报价单已转为订单 ${orders.join('、')}，不能取消（请先取消订单）`);
    }
    await setState(tx, ctx, id, from, TARGET[action]);
    return loadQuotation(tx, ctx.actor, id);
  });
}

/** 转订单: a draft sales order with the quotation's lines, prices, discounts and taxes; the quotation is accepted. */
export async function convertQuotation(ctx: UseCaseContext, id: string, input: QuotationConvert): Promise<SalesOrder> {
  const orderId = await runUseCase(ctx, async (tx) => {
    const quotation = await findVisibleQuotation(tx, ctx.actor, id);
    const from = await lockQuotation(tx, id, 'convert');
    const orders = await liveOrders(tx, id);
    if (orders.length) throw new AppError('CONFLICT', `报价单已转为订单 ${orders.join('、')}`);
    const orderDate = input.orderDate ?? todayInShanghai();
    if (quotation.validUntil && dateOnlyOf(quotation.validUntil) < orderDate) {
      throw new AppError('CONFLICT', `报价单已过有效期（${dateOnlyOf(quotation.validUntil)}），不能转为订单`);
    }
    const order = await insertDraftOrder(tx, ctx, {
      customerId: quotation.customerId,
      ownerId: quotation.ownerId,
      warehouseId: input.warehouseId,
      orderDate,
      requestedDate: input.requestedDate,
      currencyCode: quotation.currencyCode,
      prepaymentRequired: input.prepaymentRequired,
      agreedPaymentDate: input.agreedPaymentDate,
      remark: quotation.remark,
      quotationId: id,
      // The quoted selling prices hold (in the quotation's currency); their discount is judged again against the company's price.
      lines: quotation.lines.map((l) => lineAsInput(l)),
    });
    if (from !== 'accepted') await setState(tx, ctx, id, from, 'accepted', { orderId: order.id, orderNumber: order.number });
    else await recordAudit(tx, ctx, { action: 'convert', entity: 'quotation', entityId: id, after: { orderId: order.id, orderNumber: order.number } });
    return order.id;
  });
  return getOrder(ctx, orderId);
}
