// 销售红字发票 (负数发票): a sales return of goods already invoiced needs a red invoice to the customer
// for the invoiced part. In the sub-ledger it is a credit against the original invoice: made with the
// return (one per original invoice the returned goods came on), it is matched (核销) against that
// invoice's open amount at once, like a receipt; what the invoice no longer has open (it was paid)
// stays a credit — owed back to the customer — until matched against a later invoice of theirs
// (POST /ar-matches with redInvoiceId). It posts no voucher: the return's voucher already credits
// 应收账款 with its 价税合计 and gives back the 销项税额 (returns/voucher.ts). The 数电红字发票号码 is
// recorded later.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import { escapeLike, type Page } from '../../../platform/listing.ts';
import type { SalesRedInvoice, SalesRedInvoiceListQuery, SalesRedInvoiceUpdate } from '../../../../shared/schemas/sales/receivables.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb } from '../support.ts';
import { matchDtos, matchInTx } from './matching.ts';
import { groupByOriginalInvoice } from '../../finance/index.ts';
import { customerScopeSql } from './scope.ts';

const fen = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** A return line's invoiced part: base quantity, 价税合计 and 销项税额 given back (base currency). */
export interface ReturnedInvoicedLine {
  id: string;
  orderLineId: string;
  invoicedQuantity: string;
  invoicedTotal: string;
  invoicedTax: string;
}

interface Candidate { id: string; quantity: string; returned: string }

/**
 * The red invoices of a sales return (caller's transaction, under the customer's lock): the invoiced
 * part of each line goes to the invoice it came on, one red invoice per such invoice, matched against
 * its invoice as far as that is still open. Writes each line's invoiced part and red invoice.
 */
export async function issueSalesRedInvoices(
  tx: Tx, ctx: UseCaseContext,
  ret: { id: string; number: string; date: string; customerId: string; currency: { code: string; rate: string } | null },
  lines: ReturnedInvoicedLine[],
): Promise<{ id: string; number: string; total: string; matched: string }[]> {
  const companyId = ctx.actor.companyId;
  const invoiced = lines.filter((l) => new Decimal(l.invoicedQuantity).gt(0));
  const groups = await groupByOriginalInvoice(invoiced, (l) => tx.$queryRaw<Candidate[]>`
      SELECT i.id::text, sum(il.quantity)::text AS quantity,
             (SELECT coalesce(sum(x.invoiced_quantity), 0) FROM sales_return_line x JOIN sales_red_invoice r ON r.id = x.red_invoice_id
               WHERE x.order_line_id = ${l.orderLineId}::uuid AND r.original_invoice_id = i.id)::text AS returned
        FROM sales_invoice_line il JOIN sales_invoice i ON i.id = il.invoice_id
       WHERE il.order_line_id = ${l.orderLineId}::uuid AND i.state = 'issued'
       GROUP BY i.id, i.invoice_date, i.number ORDER BY i.invoice_date DESC, i.number DESC`);

  const out: { id: string; number: string; total: string; matched: string }[] = [];
  for (const g of groups) {
    const total = g.lines.reduce((a, l) => a.plus(l.invoicedTotal), new Decimal(0));
    const tax = g.lines.reduce((a, l) => a.plus(l.invoicedTax), new Decimal(0));
    const number = await nextDocumentNumber(tx, companyId, 'XH');
    const red = await tx.salesRedInvoice.create({
      data: {
        companyId, number, customerId: ret.customerId, returnId: ret.id, originalInvoiceId: g.invoice.id, invoiceDate: dateOnlyToDb(ret.date),
        totalAmount: total.toFixed(2), taxAmount: tax.toFixed(2),
        currencyCode: ret.currency?.code ?? null, exchangeRate: ret.currency?.rate ?? null,
        totalForeign: ret.currency ? fen(total.div(ret.currency.rate)).toFixed(2) : null, createdById: ctx.actor.userId,
      },
    });
    for (const l of g.lines) {
      await tx.salesReturnLine.update({
        where: { id: l.id }, data: { invoicedQuantity: l.invoicedQuantity, invoicedTotal: l.invoicedTotal, invoicedTax: l.invoicedTax, redInvoiceId: red.id },
      });
    }
    const [inv] = await tx.$queryRaw<{ open: string }[]>`SELECT (amount_with_tax - matched_amount)::text AS open FROM sales_invoice WHERE id = ${g.invoice.id}::uuid FOR UPDATE`;
    const match = Decimal.min(total, Decimal.max(0, new Decimal(inv!.open)));
    if (match.gt(0)) await matchInTx(tx, ctx, [{ invoiceId: g.invoice.id, redInvoiceId: red.id, amount: match.toFixed(2) }], { field: 'body.lines', scoped: false });
    await recordAudit(tx, ctx, {
      action: 'create', entity: 'salesRedInvoice', entityId: red.id,
      after: { number, returnId: ret.id, returnNumber: ret.number, originalInvoiceId: g.invoice.id, totalAmount: total.toFixed(2), taxAmount: tax.toFixed(2), matched: match.toFixed(2) },
    });
    out.push({ id: red.id, number, total: total.toFixed(2), matched: match.toFixed(2) });
  }
  return out;
}

async function redInvoiceDtos(tx: Tx, ids: string[]): Promise<SalesRedInvoice[]> {
  const rows = await tx.salesRedInvoice.findMany({ where: { id: { in: ids } }, orderBy: [{ invoiceDate: 'asc' }, { number: 'asc' }] });
  const [customers, returns, invoices, matches] = await Promise.all([
    tx.customer.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.customerId))] } }, select: { id: true, code: true, name: true } }),
    tx.salesReturn.findMany({ where: { id: { in: rows.map((r) => r.returnId) } }, select: { id: true, number: true } }),
    tx.salesInvoice.findMany({ where: { id: { in: rows.map((r) => r.originalInvoiceId) } }, select: { id: true, number: true, invoiceNo: true } }),
    rows.length ? matchDtos(tx, { redInvoiceIds: rows.map((r) => r.id) }) : Promise.resolve([]),
  ]);
  const customerOf = new Map(customers.map((c) => [c.id, c]));
  const returnOf = new Map(returns.map((r) => [r.id, r]));
  const invoiceOf = new Map(invoices.map((i) => [i.id, i]));
  return rows.map((r) => ({
    id: r.id, number: r.number, customer: customerOf.get(r.customerId)!, salesReturn: returnOf.get(r.returnId)!, originalInvoice: invoiceOf.get(r.originalInvoiceId)!,
    redInvoiceNo: r.redInvoiceNo, invoiceDate: dateOnlyOf(r.invoiceDate), totalAmount: r.totalAmount.toFixed(2), taxAmount: r.taxAmount.toFixed(2),
    currencyCode: r.currencyCode, totalForeign: r.totalForeign?.toFixed(2) ?? null, exchangeRate: r.exchangeRate?.toFixed(6) ?? null,
    matchedAmount: r.matchedAmount.toFixed(2), openAmount: r.totalAmount.minus(r.matchedAmount).toFixed(2),
    matches: matches.filter((m) => m.redInvoiceId === r.id), createdAt: r.createdAt.toISOString(),
  }));
}

/** Red invoices of the customers in the actor's data scope (the customer's salesperson), as sales invoices are. */
/** sort keys of the list and their columns (a whitelist: the value goes into the ORDER BY) */
const RED_INVOICE_SORT = { number: 'r.number', invoiceDate: 'r.invoice_date', createdAt: 'r.created_at' } as const;

export async function listSalesRedInvoices(ctx: UseCaseContext, q: SalesRedInvoiceListQuery): Promise<Page<SalesRedInvoice>> {
  return runUseCase(ctx, async (tx) => {
    const like = q.q ? `%${escapeLike(q.q)}%` : null;
    const where = Prisma.sql`${customerScopeSql(ctx.actor, 'r.customer_id')}
         AND (${q.customerId ?? null}::uuid IS NULL OR r.customer_id = ${q.customerId ?? null}::uuid)
         AND (${q.salesReturnId ?? null}::uuid IS NULL OR r.return_id = ${q.salesReturnId ?? null}::uuid)
         AND (${q.openOnly === 'true'} = false OR r.matched_amount < r.total_amount)
         AND (${like}::text IS NULL OR r.number ILIKE ${like} OR r.red_invoice_no ILIKE ${like} OR c.code ILIKE ${like} OR c.name ILIKE ${like})`;
    const sort = q.sort ?? 'invoiceDate';
    const column = RED_INVOICE_SORT[sort.replace(/^-/, '') as keyof typeof RED_INVOICE_SORT];
    const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
    const ids = await tx.$queryRaw<{ id: string }[]>`
      SELECT r.id::text FROM sales_red_invoice r JOIN customer c ON c.id = r.customer_id
       WHERE ${where}
       ORDER BY ${Prisma.raw(`${column} ${direction}, r.number ${direction}`)} LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`;
    const [count] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM sales_red_invoice r JOIN customer c ON c.id = r.customer_id WHERE ${where}`;
    const dtos = new Map((await redInvoiceDtos(tx, ids.map((r) => r.id))).map((d) => [d.id, d]));
    return { items: ids.map((r) => dtos.get(r.id)!), total: count?.n ?? 0, page: q.page, pageSize: q.pageSize };
  });
}

async function visibleRedInvoice(tx: Tx, ctx: UseCaseContext, id: string): Promise<{ id: string; customerId: string; number: string; redInvoiceNo: string | null }> {
  const [row] = await tx.$queryRaw<{ id: string; customerId: string; number: string; redInvoiceNo: string | null }[]>`
    SELECT id::text, customer_id::text AS "customerId", number, red_invoice_no AS "redInvoiceNo" FROM sales_red_invoice
     WHERE id = ${id}::uuid AND ${customerScopeSql(ctx.actor, 'sales_red_invoice.customer_id')}`;
  if (!row) throw notFound('红字发票');
  return row;
}

export async function getSalesRedInvoice(ctx: UseCaseContext, id: string): Promise<SalesRedInvoice> {
  return runUseCase(ctx, async (tx) => {
    await visibleRedInvoice(tx, ctx, id);
    return (await redInvoiceDtos(tx, [id]))[0]!;
  });
}

/** Records the 数电红字发票号码 once issued (may be corrected; a number is used once per company). */
export async function recordSalesRedInvoiceNo(ctx: UseCaseContext, id: string, input: SalesRedInvoiceUpdate): Promise<SalesRedInvoice> {
  await runUseCase(ctx, async (tx) => {
    const row = await visibleRedInvoice(tx, ctx, id);
    const dup = await tx.salesRedInvoice.findFirst({ where: { redInvoiceNo: input.redInvoiceNo, id: { not: id } }, select: { number: true } });
    if (dup) throw new AppError('CONFLICT', `红字发票号码 ${input.redInvoiceNo} 已登记（${dup.number}）`, [{ field: 'body.redInvoiceNo', message: '红字发票号码已登记' }]);
    await tx.salesRedInvoice.update({ where: { id }, data: { redInvoiceNo: input.redInvoiceNo } });
    await recordAudit(tx, ctx, { action: 'update', entity: 'salesRedInvoice', entityId: id, before: { redInvoiceNo: row.redInvoiceNo }, after: { redInvoiceNo: input.redInvoiceNo } });
  });
  return getSalesRedInvoice(ctx, id);
}
