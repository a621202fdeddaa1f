// 订单预收款 (the order's own 登记预收款): money in against an order before its goods, all of it an
// advance. It is a customer receipt (收款单, advance = its whole amount) like any other, so 核销 can
// later apply it to the order's invoices (moving it 预收 → 应收); the 订单预收款 record keeps what the
// order shows (its 预收款 list, GET /advance-receipts/:id, the timeline step) and links the receipt.
// Unlike a receipt entered in 应收, it is booked at the order's rate the day it is recorded.
import { Decimal } from 'decimal.js';
import type { AdvanceReceiptCreate } from '../../../../shared/schemas/sales/shipments.ts';
import type { SalesOrder } from '../../../../shared/schemas/sales/orders.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { invalid } from '../../../platform/errors.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { addTimelineStep } from '../../../platform/timeline.ts';
import { ACCOUNTS, assertMoneyAccount, postDocument, todayInShanghai } from '../../finance/index.ts';
import { progressOf } from '../../inventory/index.ts';
import { lockOrder } from '../orders/lifecycle.ts';
import { assertOrderVisible } from '../orders/read.ts';
import { bringForwardDeferredVat } from '../shipments/deferred-vat.ts';
import { getOrder } from '../orders/service.ts';
import { dateOnlyToDb, money, stateConflict } from '../support.ts';
import type { AdvanceReceiptPostingFacts } from './voucher.ts';

/** 预收款 against an order (款到发货 orders ship once it covers the order), with its receipt and voucher. */
export async function recordAdvanceReceipt(ctx: UseCaseContext, id: string, input: AdvanceReceiptCreate): Promise<SalesOrder> {
  await runUseCase(ctx, async (tx) => {
    await assertOrderVisible(tx, ctx.actor, id);
    const locked = await lockOrder(tx, id);
    if (locked.state === 'cancelled' || locked.state === 'closed') throw stateConflict(locked.state, '不能再登记预收款');
    const order = await tx.salesOrder.findUniqueOrThrow({
      where: { id }, select: { advanceReceived: true, totalWithTax: true, currencyCode: true, exchangeRate: true, customerId: true },
    });
    const total = new Decimal(order.advanceReceived.toString()).plus(input.amount);
    if (total.gt(order.totalWithTax.toString())) {
      throw invalid('body.amount', `预收合计 ${money(order.currencyCode, total)} 将超过订单价税合计 ${money(order.currencyCode, order.totalWithTax.toString())}`);
    }
    const companyId = ctx.actor.companyId;
    const today = todayInShanghai();
    const foreign = order.currencyCode !== 'CNY';
    const rate = order.exchangeRate.toString();
    // The money's account: it must take postings; one kept in a currency must be the order's (its line
    // then carries the foreign amount). A foreign order's advance into a CNY account is booked at the
    // order's rate, as it always was.
    const accountCode = input.accountCode ?? ACCOUNTS.bank;
    const [account] = await tx.$queryRaw<{ currency_code: string | null }[]>`SELECT currency_code FROM account WHERE code = ${accountCode}`;
    const inCurrency = Boolean(account?.currency_code);
    await assertMoneyAccount(tx, companyId, accountCode, inCurrency && foreign ? { code: order.currencyCode, rate } : null, 'body.accountCode');
    // CNY at the order's rate: what the voucher books and 核销 counts
    const amount = new Decimal(input.amount).times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const customerReceipt = await tx.customerReceipt.create({
      data: {
        companyId, number: await nextDocumentNumber(tx, companyId, 'SK'), customerId: order.customerId, orderId: id,
        receivedOn: dateOnlyToDb(today), accountCode, amount: amount.toFixed(2), advanceAmount: amount.toFixed(2),
        currencyCode: foreign ? order.currencyCode : null, amountForeign: foreign ? new Decimal(input.amount).toFixed(2) : null, exchangeRate: foreign ? rate : null,
        method: input.method ?? null, remark: input.remark ?? null, createdById: ctx.actor.userId,
      },
    });
    const receipt = await tx.advanceReceipt.create({
      data: {
        companyId, orderId: id, amount: input.amount, method: input.method ?? null, remark: input.remark ?? null,
        customerReceiptId: customerReceipt.id, createdById: ctx.actor.userId,
      },
    });
    await tx.salesOrder.update({
      where: { id },
      data: { advanceReceived: total.toFixed(2), paymentProgress: progressOf(total, order.totalWithTax.toString()), version: { increment: 1 } },
    });
    await addTimelineStep(tx, ctx, {
      orderType: 'salesOrder', orderId: id, number: locked.number, kind: 'advanceReceived',
      message: `收到预收款 ${money(order.currencyCode, input.amount)}${input.method ? `（${input.method}）` : ''}，累计 ${money(order.currencyCode, total)}`,
      data: { advanceReceiptId: receipt.id, amount: new Decimal(input.amount).toFixed(2), advanceReceived: total.toFixed(2) },
    });
    // Payment received is an obligation date, as for any receipt against the order: the 待转销项税额 of
    // its shipments this reaches becomes 销项税额 in the same voucher.
    const deferredVat = await bringForwardDeferredVat(tx, { orderId: id }, amount, `收款单 ${customerReceipt.number}`);
    // The money is in the bank: 借 银行存款 / 贷 预收账款, in the order's rate (finance's rule).
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: order.customerId }, select: { id: true, name: true } });
    await postDocument<AdvanceReceiptPostingFacts>(tx, ctx, 'advanceReceipt', {
      documentId: receipt.id, documentNumber: locked.number, date: today, customerId: customer.id, customerName: customer.name, orderNumber: locked.number,
      amount: amount.toFixed(2), accountCode, accountInCurrency: inCurrency, deferredVat,
      currency: foreign ? { code: order.currencyCode, rate, amountForeign: new Decimal(input.amount).toFixed(2) } : null,
    });
    await recordAudit(tx, ctx, { action: 'create', entity: 'advanceReceipt', entityId: receipt.id, after: { ...receipt, customerReceiptNumber: customerReceipt.number } });
  });
  // Read back after the commit, so the locks are held no longer than the change needs.
  return getOrder(ctx, id);
}
