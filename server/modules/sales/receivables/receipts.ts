// 收款单: money in from a customer. Under the customer's lock (so two receipts of one customer see
// each other), the part up to the customer's open invoices not yet covered by earlier receipts
// credits 应收账款 and the rest is an advance (预收账款). A receipt against an order adds to the
// order's 已收款 (advance_received: what the customer has paid against it, which 款到发货 and the
// credit exposure read), moves its 收款进度, and writes the timeline step whose order.progress event
// tells the order's group and salesperson.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { CustomerReceipt, CustomerReceiptCreate } from '../../../../shared/schemas/sales/receivables.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { assertMoneyAccount, documentCurrency, postDocument, type DocumentCurrency } from '../../finance/index.ts';
import { progressOf } from '../../inventory/index.ts';
import { lockOrder } from '../orders/lifecycle.ts';
import { bringForwardDeferredVat } from '../shipments/deferred-vat.ts';
import { dateOnlyToDb, money, todayInShanghai } from '../support.ts';
import { customerInScope, customerScopeSql } from './scope.ts';
import type { CustomerReceiptPostingFacts } from './voucher.ts';

/**
 * What of the customer's issued invoices no receipt covers yet: Σ open invoice amounts less the
 * part of earlier receipts that went to 应收账款 and is not matched yet, less 销售红字发票 credits not
 * yet set off (owed back to the customer, to be set off against those invoices), never below 0.
 */
export async function uncoveredInvoices(tx: Tx, customerId: string): Promise<Decimal> {
  const [row] = await tx.$queryRaw<{ v: string }[]>`
    SELECT GREATEST(
      coalesce((SELECT sum(amount_with_tax - matched_amount) FROM sales_invoice WHERE customer_id = ${customerId}::uuid AND state = 'issued'), 0)
      - coalesce((SELECT sum(GREATEST(r.amount - r.advance_amount - (r.matched_amount - coalesce(m.adv, 0)), 0))
                    FROM customer_receipt r
                    LEFT JOIN LATERAL (SELECT sum(from_advance) AS adv FROM ar_match WHERE receipt_id = r.id AND unmatched_at IS NULL) m ON TRUE
                   WHERE r.customer_id = ${customerId}::uuid), 0)
      - coalesce((SELECT sum(total_amount - matched_amount) FROM sales_red_invoice WHERE customer_id = ${customerId}::uuid), 0), 0)::text AS v`;
  return new Decimal(row?.v ?? 0);
}

export async function createCustomerReceipt(ctx: UseCaseContext, input: CustomerReceiptCreate): Promise<CustomerReceipt> {
  const id = await runUseCase(ctx, async (tx) => {
    const customer = await customerInScope(tx, ctx.actor, input.customerId, { lock: true });
    const receivedOn = input.receivedOn ?? todayInShanghai();
    const fx = await receiptCurrency(tx, ctx.actor.companyId, input, receivedOn);
    // the base-currency amount: what 应收 matching and the order's progress count
    const amount = fx ? fen(new Decimal(input.amount).times(fx.rate)) : new Decimal(input.amount);
    let order: { id: string; number: string; currencyCode: string; totalWithTax: string; received: Decimal } | null = null;
    if (input.orderId) {
      const [row] = await tx.$queryRaw<{ customer_id: string }[]>`SELECT customer_id::text FROM sales_order WHERE id = ${input.orderId}::uuid`;
      if (!row) throw notFound('销售订单');
      if (row.customer_id !== customer.id) throw invalid('body.orderId', '订单不属于该客户');
      const locked = await lockOrder(tx, input.orderId);
      if (locked.state === 'cancelled') throw new AppError('CONFLICT', '订单已取消，不能登记收款');
      const o = await tx.salesOrder.findUniqueOrThrow({ where: { id: input.orderId }, select: { advanceReceived: true, totalWithTax: true, currencyCode: true } });
      // The order's 已收款 is in its own currency: a receipt against it is in that currency too.
      if (o.currencyCode !== (fx?.code ?? 'CNY')) throw invalid('body.currencyCode', `订单币别为 ${o.currencyCode}，收款币别必须相同`);
      const paid = new Decimal(input.amount);
      const received = new Decimal(o.advanceReceived.toString()).plus(paid);
      if (received.gt(o.totalWithTax.toString())) {
        const m = (v: Decimal.Value) => money(o.currencyCode, v);
        throw invalid('body.amount', `订单已收 ${m(o.advanceReceived.toString())}，加上本次 ${m(paid)} 将超过订单价税合计 ${m(o.totalWithTax.toString())}`);
      }
      order = { id: input.orderId, number: locked.number, currencyCode: o.currencyCode, totalWithTax: o.totalWithTax.toString(), received };
    }
    const toReceivable = Decimal.min(amount, await uncoveredInvoices(tx, customer.id));
    const advance = amount.minus(toReceivable);
    const companyId = ctx.actor.companyId;
    const receipt = await tx.customerReceipt.create({
      data: {
        companyId, number: await nextDocumentNumber(tx, companyId, 'SK'), customerId: customer.id, orderId: order?.id ?? null,
        receivedOn: dateOnlyToDb(receivedOn), accountCode: input.accountCode, amount: amount.toFixed(2), advanceAmount: advance.toFixed(2),
        currencyCode: fx?.code ?? null, amountForeign: fx ? new Decimal(input.amount).toFixed(2) : null, exchangeRate: fx?.rate ?? null,
        method: input.method ?? null, remark: input.remark ?? null, createdById: ctx.actor.userId,
      },
    });
    // Payment received is an obligation date: the 待转销项税额 of the shipments it reaches becomes
    // 销项税额 in this receipt's voucher — the order's shipments for a receipt against an order; without
    // an order, the customer's (oldest first) for the part beyond the open invoices only, as the rest
    // pays goods already invoiced (their VAT arose at the invoice).
    const deferredVat = await bringForwardDeferredVat(
      tx, order ? { orderId: order.id } : { customerId: customer.id }, order ? amount : advance, `收款单 ${receipt.number}`,
    );
    await postDocument<CustomerReceiptPostingFacts>(tx, ctx, 'customerReceipt', {
      documentId: receipt.id, documentNumber: receipt.number, date: receivedOn, customerId: customer.id, customerName: customer.name,
      accountCode: input.accountCode, amount: amount.toFixed(2), advance: advance.toFixed(2), deferredVat,
      currency: fx ? { code: fx.code, rate: fx.rate, amountForeign: new Decimal(input.amount).toFixed(2) } : null,
    });
    if (order) {
      const progress = progressOf(order.received, order.totalWithTax);
      await tx.salesOrder.update({ where: { id: order.id }, data: { advanceReceived: order.received.toFixed(2), paymentProgress: progress, version: { increment: 1 } } });
      await addTimelineStep(tx, ctx, {
        orderType: 'salesOrder', orderId: order.id, number: order.number, kind: 'paid',
        message: `收到货款 ${money(order.currencyCode, input.amount)}（${receipt.number}${input.method ? `，${input.method}` : ''}），累计已收 ${money(order.currencyCode, order.received)}`,
        data: { customerReceiptId: receipt.id, receiptNumber: receipt.number, amount: new Decimal(input.amount).toFixed(2), received: order.received.toFixed(2), paymentProgress: progress },
      });
    }
    await recordAudit(tx, ctx, { action: 'create', entity: 'customerReceipt', entityId: receipt.id, after: receipt });
    return receipt.id;
  });
  return getCustomerReceipt(ctx, id);
}

const fen = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** The receipt's currency and rate (null: CNY), and its account checked against it (400 otherwise). */
async function receiptCurrency(tx: Tx, companyId: string, input: CustomerReceiptCreate, receivedOn: string): Promise<DocumentCurrency | null> {
  const fx = await documentCurrency(tx, input.currencyCode, receivedOn, { currency: 'body.currencyCode', date: 'body.receivedOn' });
  await assertMoneyAccount(tx, companyId, input.accountCode, fx, 'body.accountCode');
  return fx;
}

async function receiptDtos(tx: Tx, ids: string[]): Promise<CustomerReceipt[]> {
  if (!ids.length) return [];
  return tx.$queryRaw<CustomerReceipt[]>`
    SELECT r.id::text, r.number, json_build_object('id', c.id, 'code', c.code, 'name', c.name) AS customer,
           CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'number', o.number) END AS order,
           to_char(r.received_on, 'YYYY-MM-DD') AS "receivedOn", r.account_code AS "accountCode",
           r.amount::text, r.currency_code AS "currencyCode", r.amount_foreign::text AS "amountForeign", r.exchange_rate::text AS "exchangeRate",
           r.advance_amount::text AS "advanceAmount", r.matched_amount::text AS "matchedAmount",
           (r.amount - r.matched_amount)::text AS "unmatchedAmount", r.method, r.remark,
           CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name) END AS "createdBy",
           to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
      FROM customer_receipt r JOIN customer c ON c.id = r.customer_id
      LEFT JOIN sales_order o ON o.id = r.order_id LEFT JOIN app_user u ON u.id = r.created_by_id
     WHERE r.id = ANY(${ids}::uuid[])
     ORDER BY r.received_on, r.number`;
}

export async function getCustomerReceipt(ctx: UseCaseContext, id: string): Promise<CustomerReceipt> {
  return runUseCase(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM customer_receipt WHERE id = ${id}::uuid AND ${customerScopeSql(ctx.actor, 'customer_receipt.customer_id')}`;
    if (!row) throw notFound('收款单');
    return (await receiptDtos(tx, [id]))[0]!;
  });
}

export async function listCustomerReceipts(ctx: UseCaseContext, q: { customerId?: string; openOnly?: 'true' | 'false' }): Promise<{ items: CustomerReceipt[] }> {
  return runUseCase(ctx, async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM customer_receipt
       WHERE ${customerScopeSql(ctx.actor, 'customer_receipt.customer_id')}
         AND (${q.customerId ?? null}::uuid IS NULL OR customer_id = ${q.customerId ?? null}::uuid)
         AND (${q.openOnly === 'true'} = false OR matched_amount < amount)
       ORDER BY received_on, number LIMIT 500`;
    return { items: await receiptDtos(tx, rows.map((r) => r.id)) };
  });
}
