// 付款单 and 核销. A payment pays what the supplier is owed (应付账款) and the rest is an advance
// (预付账款), decided under the supplier's row lock. 核销 settles parts of payments — or of 红字发票
// credits (a return of invoiced goods, red-invoices.ts) — against parts of invoices (many-to-many);
// each line raises the payment's (credit's) and the invoice's settled amount by a conditional update
// that holds only within their totals, so no number of simultaneous requests settles more than either
// has open, and a request with one line too many is refused whole (400).
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type {
  Settlement, SettlementCreate, SupplierPayment, SupplierPaymentCreate, SupplierPaymentListQuery,
} from '../../../../shared/schemas/payables.ts';
import { formatYuan } from '../../../../shared/money.ts';
import type { Tx } from '../../../db/transaction.ts';
import { recordChange } from '../../../platform/audit.ts';
import { invalid, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import {
  assertMoneyAccount, dateOnlyOf, dateOnlyToDb, documentCurrency, exchangeGainLossAccount, postDocument, settlementAmounts, todayInShanghai,
  type SettlementCurrency,
} from '../../finance/index.ts';
import { lockSupplier } from '../invoices/service.ts';
import { advanceShare, splitPayment, type AdvanceSettlementFacts, type AdvanceSettlementPart, type SupplierPaymentFacts } from './voucher.ts';

const fixed = (v: Decimal.Value) => new Decimal(v).toFixed(2);

/** A payment's or invoice's currency for 核销 (null: CNY). */
const currencyOf = (d: { currencyCode: string | null; exchangeRate: { toString(): string } | null }): SettlementCurrency | null =>
  d.currencyCode && d.currencyCode !== 'CNY' && d.exchangeRate ? { code: d.currencyCode, rate: d.exchangeRate.toString() } : null;

/**
 * What the supplier is owed on 应付账款—应付货款 by our documents: invoices − red invoices (returns) −
 * payments booked against it − advances settled into it.
 */
async function openPayableOf(tx: Tx, supplierId: string): Promise<Decimal> {
  const [row] = await tx.$queryRaw<{ open: string }[]>`
    SELECT ((SELECT COALESCE(SUM(total_amount), 0) FROM purchase_invoice WHERE supplier_id = ${supplierId}::uuid)
          - (SELECT COALESCE(SUM(total_amount), 0) FROM purchase_red_invoice WHERE supplier_id = ${supplierId}::uuid)
          - (SELECT COALESCE(SUM(payable_amount), 0) FROM supplier_payment WHERE supplier_id = ${supplierId}::uuid)
          - (SELECT COALESCE(SUM(from_advance), 0) FROM payable_settlement WHERE supplier_id = ${supplierId}::uuid))::text AS open`;
  return new Decimal(row!.open);
}

export async function createSupplierPayment(ctx: UseCaseContext, input: SupplierPaymentCreate): Promise<SupplierPayment> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const supplier = await lockSupplier(tx, input.supplierId);
    const fx = await documentCurrency(tx, input.currencyCode, input.paidOn, { currency: 'body.currencyCode', date: 'body.paidOn' });
    await assertMoneyAccount(tx, companyId, input.accountCode, fx, 'body.accountCode');
    // CNY: what 应付 settlement counts; a foreign payment at the day's rate
    const amount = fx ? new Decimal(input.amount).times(fx.rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP) : new Decimal(input.amount);
    const { payable, advance } = splitPayment(amount, await openPayableOf(tx, supplier.id));
    const id = crypto.randomUUID();
    const number = await nextDocumentNumber(tx, companyId, 'FK');
    await tx.supplierPayment.create({
      data: {
        id, companyId, number, supplierId: supplier.id, paidOn: dateOnlyToDb(input.paidOn), amount: fixed(amount), accountCode: input.accountCode,
        currencyCode: fx?.code ?? null, amountForeign: fx ? fixed(input.amount) : null, exchangeRate: fx?.rate ?? null,
        payableAmount: fixed(payable), advanceAmount: fixed(advance), remark: input.remark ?? null, createdById: ctx.actor.userId,
      },
    });
    const facts: SupplierPaymentFacts = {
      documentId: id, documentNumber: number, date: input.paidOn, supplierId: supplier.id, supplierName: supplier.name,
      accountCode: input.accountCode, payable: fixed(payable), advance: fixed(advance),
      currency: fx ? { ...fx, amountForeign: fixed(input.amount) } : null,
    };
    await postDocument(tx, ctx, 'supplierPayment', facts);
    if (input.settlements?.length) {
      await settleInTx(tx, ctx, input.paidOn, input.settlements.map((s) => ({ ...s, paymentId: id })), 'body.settlements');
    }
    const dto = await paymentDto(tx, id);
    await recordChange(tx, ctx, {
      action: 'create', entity: 'supplierPayment', entityId: id, after: dto,
      payload: { number, supplierId: supplier.id, amount: dto.amount, advanceAmount: dto.advanceAmount },
    });
    return dto;
  });
}

export async function settlePayables(ctx: UseCaseContext, input: SettlementCreate): Promise<{ items: Settlement[] }> {
  return runUseCase(ctx, async (tx) => {
    const items = await settleInTx(tx, ctx, input.settledOn ?? todayInShanghai(), input.lines, 'body.lines');
    return { items };
  });
}

/** A settlement line: what settles (a payment or a red invoice's credit) against which invoice. */
export type SettlementLine = { paymentId?: string | null; redInvoiceId?: string | null; invoiceId: string; amount: string };

/**
 * The settlement lines, in the caller's transaction: one supplier, each within what its payment (or
 * red invoice) and its invoice have open. A red invoice's credit and the invoice are both on 应付货款,
 * so settling them posts nothing.
 */
export async function settleInTx(tx: Tx, ctx: UseCaseContext, settledOn: string, lines: SettlementLine[], field: string): Promise<Settlement[]> {
  const companyId = ctx.actor.companyId;
  const ids = (pick: (l: SettlementLine) => string | null | undefined) => lines.flatMap((l) => (pick(l) ? [pick(l)!] : []));
  const payments = await tx.supplierPayment.findMany({
    where: { id: { in: ids((l) => l.paymentId) } }, select: { id: true, number: true, supplierId: true, currencyCode: true, exchangeRate: true },
  });
  const credits = await tx.purchaseRedInvoice.findMany({ where: { id: { in: ids((l) => l.redInvoiceId) } }, select: { id: true, number: true, supplierId: true } });
  const invoices = await tx.purchaseInvoice.findMany({
    where: { id: { in: lines.map((l) => l.invoiceId) } }, select: { id: true, number: true, invoiceNo: true, supplierId: true, currencyCode: true, exchangeRate: true },
  });
  const paymentOf = new Map(payments.map((p) => [p.id, p]));
  const creditOf = new Map(credits.map((c) => [c.id, c]));
  const invoiceOf = new Map(invoices.map((i) => [i.id, i]));
  let supplierId: string | undefined;
  lines.forEach((l, n) => {
    const p = l.paymentId ? paymentOf.get(l.paymentId) : l.redInvoiceId ? creditOf.get(l.redInvoiceId) : undefined;
    const i = invoiceOf.get(l.invoiceId);
    if (!p) throw l.redInvoiceId ? invalid(`${field}.${n}.redInvoiceId`, '红字发票不存在') : invalid(`${field}.${n}.paymentId`, '付款单不存在');
    if (!i) throw invalid(`${field}.${n}.invoiceId`, '采购发票不存在');
    const what = l.redInvoiceId ? '红字发票' : '付款单';
    if (p.supplierId !== i.supplierId) throw invalid(`${field}.${n}.invoiceId`, `发票 ${i.invoiceNo} 与${what} ${p.number} 不是同一供应商`);
    if (supplierId && supplierId !== p.supplierId) throw invalid(`${field}.${n}.${l.redInvoiceId ? 'redInvoiceId' : 'paymentId'}`, '一次核销只能是同一供应商的付款、红字发票和发票');
    supplierId = p.supplierId;
  });
  const supplier = await lockSupplier(tx, supplierId!);

  const rows: Prisma.PayableSettlementCreateManyInput[] = [];
  const advanceOf = new Map<string, { fromAdvance: Decimal; invoiceNos: Set<string>; parts: AdvanceSettlementPart[] }>();
  for (const [n, l] of lines.entries()) {
    const invoice = invoiceOf.get(l.invoiceId)!;
    const invoiceCurrency = currencyOf(invoice);
    let fromAdvance = new Decimal(0);
    // A red invoice's credit is the invoice's own money (same currency and rate): it settles at face value.
    let paymentAmount = fixed(l.amount);
    let amountForeign: string | null = null;
    if (l.paymentId) {
      const payment = paymentOf.get(l.paymentId)!;
      const paymentCurrency = currencyOf(payment);
      const [unsettled] = await tx.$queryRaw<{ open: string }[]>`SELECT (amount - settled_amount)::text AS open FROM supplier_payment WHERE id = ${l.paymentId}::uuid`;
      // Same foreign currency: the same foreign amount comes off the payment, at the payment's rate.
      const sides = settlementAmounts(l.amount, { currency: invoiceCurrency }, { open: unsettled!.open, currency: paymentCurrency });
      if (!sides.ok) throw invalid(`${field}.${n}.invoiceId`, `付款单 ${payment.number} 的币别 ${paymentCurrency!.code} 与发票 ${invoice.invoiceNo} 的币别 ${invoiceCurrency!.code} 不同，不能核销`);
      paymentAmount = fixed(sides.moneyAmount);
      amountForeign = sides.foreign ? fixed(sides.foreign) : null;
      const [paid] = await tx.$queryRaw<{ after: string; payable: string }[]>`
        UPDATE supplier_payment SET settled_amount = settled_amount + ${paymentAmount}::numeric
         WHERE id = ${l.paymentId}::uuid AND settled_amount + ${paymentAmount}::numeric <= amount
        RETURNING settled_amount::text AS after, payable_amount::text AS payable`;
      if (!paid) {
        const p = await tx.supplierPayment.findUniqueOrThrow({ where: { id: l.paymentId } });
        const open = new Decimal(p.amount.toString()).minus(p.settledAmount.toString());
        const at = paymentAmount === fixed(l.amount) ? '' : `（按付款汇率折合 ${formatYuan(paymentAmount)}）`;
        throw invalid(`${field}.${n}.amount`, `付款单 ${p.number} 未核销 ${formatYuan(open.toFixed(2))}，本次核销 ${formatYuan(fixed(l.amount))}${at} 超过了`);
      }
      fromAdvance = advanceShare({ payableAmount: paid.payable }, new Decimal(paid.after).minus(paymentAmount), paymentAmount);
    } else {
      const [credited] = await tx.$queryRaw<{ after: string }[]>`
        UPDATE purchase_red_invoice SET settled_amount = settled_amount + ${l.amount}::numeric
         WHERE id = ${l.redInvoiceId}::uuid AND settled_amount + ${l.amount}::numeric <= total_amount
        RETURNING settled_amount::text AS after`;
      if (!credited) {
        const c = await tx.purchaseRedInvoice.findUniqueOrThrow({ where: { id: l.redInvoiceId! } });
        const open = new Decimal(c.totalAmount.toString()).minus(c.settledAmount.toString());
        throw invalid(`${field}.${n}.amount`, `红字发票 ${c.number} 未抵扣 ${formatYuan(open.toFixed(2))}，本次核销 ${formatYuan(fixed(l.amount))} 超过了`);
      }
    }
    const [billed] = await tx.$queryRaw<{ after: string }[]>`
      UPDATE purchase_invoice SET settled_amount = settled_amount + ${l.amount}::numeric
       WHERE id = ${l.invoiceId}::uuid AND settled_amount + ${l.amount}::numeric <= total_amount
      RETURNING settled_amount::text AS after`;
    if (!billed) {
      const i = await tx.purchaseInvoice.findUniqueOrThrow({ where: { id: l.invoiceId } });
      const open = new Decimal(i.totalAmount.toString()).minus(i.settledAmount.toString());
      throw invalid(`${field}.${n}.amount`, `发票 ${i.invoiceNo} 未核销 ${formatYuan(open.toFixed(2))}，本次核销 ${formatYuan(fixed(l.amount))} 超过了`);
    }
    rows.push({
      id: crypto.randomUUID(), companyId, supplierId: supplier.id, paymentId: l.paymentId ?? null, redInvoiceId: l.redInvoiceId ?? null, invoiceId: l.invoiceId,
      amount: fixed(l.amount), paymentAmount, amountForeign, fromAdvance: fixed(fromAdvance), settledOn: dateOnlyToDb(settledOn), createdById: ctx.actor.userId,
    });
    if (l.paymentId && fromAdvance.gt(0)) {
      const a = advanceOf.get(l.paymentId) ?? { fromAdvance: new Decimal(0), invoiceNos: new Set<string>(), parts: [] };
      a.fromAdvance = a.fromAdvance.plus(fromAdvance);
      a.invoiceNos.add(invoice.invoiceNo);
      a.parts.push({ invoiceNo: invoice.invoiceNo, amount: fixed(l.amount), paymentAmount, amountForeign, fromAdvance: fixed(fromAdvance), invoiceCurrency });
      advanceOf.set(l.paymentId, a);
    }
  }
  await tx.payableSettlement.createMany({ data: rows });
  // An advance settled against an invoice moves from 预付账款 to 应付账款: one voucher per payment.
  const gainLossAccount = advanceOf.size ? await exchangeGainLossAccount(tx) : undefined;
  for (const [paymentId, a] of advanceOf) {
    const facts: AdvanceSettlementFacts = {
      documentId: paymentId, documentNumber: paymentOf.get(paymentId)!.number, date: settledOn, supplierId: supplier.id, supplierName: supplier.name,
      invoiceNos: [...a.invoiceNos], fromAdvance: fixed(a.fromAdvance), parts: a.parts, paymentCurrency: currencyOf(paymentOf.get(paymentId)!), gainLossAccount,
    };
    await postDocument(tx, ctx, 'payableSettlement', facts);
  }
  const out = rows.map((r) => settlementDto(r, { payment: r.paymentId ? paymentOf.get(r.paymentId)! : null, credit: r.redInvoiceId ? creditOf.get(r.redInvoiceId)! : null }, invoiceOf.get(r.invoiceId)!));
  for (const s of out) {
    await recordChange(tx, ctx, { action: 'create', entity: 'payableSettlement', entityId: s.id, after: s, payload: { supplierId: supplier.id, ...s } });
  }
  return out;
}

export function settlementDto(
  r: {
    id?: string; paymentId?: string | null; redInvoiceId?: string | null; invoiceId: string; amount: Decimal.Value | { toString(): string };
    paymentAmount: Decimal.Value | { toString(): string }; amountForeign?: Decimal.Value | { toString(): string } | null;
    fromAdvance?: Decimal.Value | { toString(): string }; settledOn: Date | string;
  },
  from: { payment: { number: string } | null; credit: { number: string } | null },
  invoice: { number: string; invoiceNo: string },
): Settlement {
  return {
    id: r.id!, paymentId: r.paymentId ?? null, paymentNumber: from.payment?.number ?? null,
    redInvoiceId: r.redInvoiceId ?? null, redInvoiceNumber: from.credit?.number ?? null,
    invoiceId: r.invoiceId, invoiceNumber: invoice.number, invoiceNo: invoice.invoiceNo,
    amount: fixed(r.amount.toString()), paymentAmount: fixed(r.paymentAmount.toString()),
    amountForeign: r.amountForeign == null ? null : fixed(r.amountForeign.toString()), fromAdvance: fixed((r.fromAdvance ?? 0).toString()),
    settledOn: r.settledOn instanceof Date ? dateOnlyOf(r.settledOn) : r.settledOn,
  };
}

type PaymentRow = Prisma.SupplierPaymentGetPayload<object>;

async function paymentDtos(tx: Tx, rows: PaymentRow[]): Promise<SupplierPayment[]> {
  const suppliers = await tx.supplier.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.supplierId))] } }, select: { id: true, code: true, name: true } });
  const settlements = await tx.payableSettlement.findMany({ where: { paymentId: { in: rows.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } });
  const invoices = await tx.purchaseInvoice.findMany({ where: { id: { in: [...new Set(settlements.map((s) => s.invoiceId))] } }, select: { id: true, number: true, invoiceNo: true } });
  const supplierOf = new Map(suppliers.map((s) => [s.id, s]));
  const invoiceOf = new Map(invoices.map((i) => [i.id, i]));
  return rows.map((r) => ({
    id: r.id, number: r.number, supplier: supplierOf.get(r.supplierId)!, paidOn: dateOnlyOf(r.paidOn), amount: fixed(r.amount.toString()),
    currencyCode: r.currencyCode, amountForeign: r.amountForeign ? fixed(r.amountForeign.toString()) : null, exchangeRate: r.exchangeRate?.toFixed(6) ?? null,
    accountCode: r.accountCode, payableAmount: fixed(r.payableAmount.toString()), advanceAmount: fixed(r.advanceAmount.toString()),
    settledAmount: fixed(r.settledAmount.toString()), unsettledAmount: fixed(new Decimal(r.amount.toString()).minus(r.settledAmount.toString())),
    remark: r.remark, createdAt: r.createdAt.toISOString(),
    settlements: settlements.filter((s) => s.paymentId === r.id).map((s) => settlementDto(s, { payment: r, credit: null }, invoiceOf.get(s.invoiceId)!)),
  }));
}

async function paymentDto(tx: Tx, id: string): Promise<SupplierPayment> {
  return (await paymentDtos(tx, [await tx.supplierPayment.findUniqueOrThrow({ where: { id } })]))[0]!;
}

export async function listSupplierPayments(ctx: UseCaseContext, query: SupplierPaymentListQuery): Promise<Page<SupplierPayment>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.SupplierPaymentWhereInput[] = [{ supplierId: query.supplierId }];
    if (query.dateFrom) and.push({ paidOn: { gte: dateOnlyToDb(query.dateFrom) } });
    if (query.dateTo) and.push({ paidOn: { lte: dateOnlyToDb(query.dateTo) } });
    if (query.q) {
      const like = containsText(query.q);
      const suppliers = await tx.supplier.findMany({ where: { OR: [{ code: like }, { name: like }] }, select: { id: true } });
      and.push({ OR: [{ number: like }, { remark: like }, { supplierId: { in: suppliers.map((s) => s.id) } }] });
    }
    const where: Prisma.SupplierPaymentWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.SupplierPaymentOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.supplierPayment.findMany({ where, orderBy, ...w }), () => tx.supplierPayment.count({ where }), (r) => r);
    return { ...page, items: await paymentDtos(tx, page.items) };
  });
}

export async function getSupplierPayment(ctx: UseCaseContext, id: string): Promise<SupplierPayment> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.supplierPayment.findFirst({ where: { id } });
    if (!row) throw notFound('付款单');
    return (await paymentDtos(tx, [row]))[0]!;
  });
}
