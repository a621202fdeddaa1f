// 红字发票 (负数发票): a purchase return of goods already invoiced needs a red special invoice from the
// supplier for the invoiced part. In the sub-ledger it is a credit against the original invoice:
// made with the return (one per original invoice the returned goods came on), it is settled (核销)
// against that invoice's open amount at once, like a payment; what the invoice no longer has open
// (it was paid) stays a credit — the supplier owes us — until settled against a later invoice of the
// supplier (POST /payable-settlements with redInvoiceId). It posts no voucher: the return's voucher
// holds its lines (借 应付货款 价税合计 / 贷 进项税额, returns/voucher.ts), one 应付货款 line per red
// invoice carrying the original invoice's currency and rate. The 数电红字发票号码 is recorded later.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { PurchaseRedInvoice, PurchaseRedInvoiceListQuery, PurchaseRedInvoiceUpdate } from '../../../../shared/schemas/payables.ts';
import type { Tx } from '../../../db/transaction.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb, groupByOriginalInvoice } from '../../finance/index.ts';
import { bookedShare } from '../../inventory/index.ts';
import { settleInTx, settlementDto } from './service.ts';

const fixed = (v: Decimal.Value) => new Decimal(v).toFixed(2);

/** What the return's voucher needs of each red invoice: one 应付货款 line each. */
export interface RedInvoicePosting {
  number: string;
  /** 价税合计 taken off, base currency */
  total: string;
  /** the original invoice's currency: the line carries the foreign 价税合计 at the invoice's rate */
  currency: { code: string; rate: string; totalForeign: string } | null;
}

interface ReturnedInvoicedLine {
  id: string;
  orderLineId: string;
  invoicedQuantity: string;
  invoicedCost: string;
  invoicedTotal: string;
}

interface Candidate {
  id: string;
  invoiceNo: string;
  currencyCode: string | null;
  totalForeign: string | null;
  exchangeRate: string | null;
  totalAmount: string;
  /** base quantity this invoice invoiced of the order line, and how much of it earlier red invoices took back */
  quantity: string;
  returned: string;
}

/**
 * The red invoices of a return (caller's transaction, under the supplier's lock): the invoiced part
 * of each line goes to the invoice it came on, one red invoice per such invoice, each settled against
 * its invoice as far as that is still open. Returns what the voucher posts.
 */
export async function issueRedInvoices(
  tx: Tx, ctx: UseCaseContext, ret: { id: string; number: string; date: string; supplierId: string }, lines: ReturnedInvoicedLine[],
): Promise<RedInvoicePosting[]> {
  const companyId = ctx.actor.companyId;
  const invoiced = lines.filter((l) => new Decimal(l.invoicedTotal).gt(0));
  const groups = await groupByOriginalInvoice(invoiced, (l) => tx.$queryRaw<Candidate[]>`
      SELECT i.id::text, i.invoice_no AS "invoiceNo", i.currency_code AS "currencyCode", i.total_foreign::text AS "totalForeign",
             i.exchange_rate::text AS "exchangeRate", i.total_amount::text AS "totalAmount", SUM(pil.base_quantity)::text AS quantity,
             (SELECT COALESCE(SUM(x.invoiced_quantity), 0) FROM purchase_return_line x JOIN purchase_red_invoice r ON r.id = x.red_invoice_id
               WHERE x.order_line_id = ${l.orderLineId}::uuid AND r.original_invoice_id = i.id)::text AS returned
        FROM purchase_invoice_line pil JOIN receipt_line rl ON rl.id = pil.receipt_line_id JOIN purchase_invoice i ON i.id = pil.invoice_id
       WHERE rl.order_line_id = ${l.orderLineId}::uuid
       GROUP BY i.id ORDER BY i.invoice_date DESC, i.number DESC`);

  const out: RedInvoicePosting[] = [];
  for (const g of groups) {
    const inv = g.invoice;
    const total = g.lines.reduce((a, l) => a.plus(l.invoicedTotal), new Decimal(0));
    const cost = g.lines.reduce((a, l) => a.plus(l.invoicedCost), new Decimal(0));
    let currency: RedInvoicePosting['currency'] = null;
    if (inv.currencyCode && inv.totalForeign && inv.exchangeRate) {
      // The foreign share of what this invoice has not yet had taken off (the last return takes the rest).
      const [earlier] = await tx.$queryRaw<{ total: string; foreign: string }[]>`
        SELECT COALESCE(SUM(total_amount), 0)::text AS total, COALESCE(SUM(total_foreign), 0)::text AS foreign
          FROM purchase_red_invoice WHERE original_invoice_id = ${inv.id}::uuid`;
      const leftCny = new Decimal(inv.totalAmount).minus(earlier!.total);
      const leftForeign = new Decimal(inv.totalForeign).minus(earlier!.foreign);
      const foreign = leftCny.gt(0) ? bookedShare(leftForeign, leftCny, total).amount : total.div(inv.exchangeRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
      currency = { code: inv.currencyCode, rate: new Decimal(inv.exchangeRate).toFixed(6), totalForeign: foreign };
    }
    const id = crypto.randomUUID();
    const number = await nextDocumentNumber(tx, companyId, 'HZ');
    await tx.purchaseRedInvoice.create({
      data: {
        id, companyId, number, supplierId: ret.supplierId, returnId: ret.id, originalInvoiceId: inv.id, invoiceDate: dateOnlyToDb(ret.date),
        totalAmount: fixed(total), inputVat: fixed(total.minus(cost)),
        currencyCode: currency?.code ?? null, totalForeign: currency?.totalForeign ?? null, exchangeRate: currency?.rate ?? null, createdById: ctx.actor.userId,
      },
    });
    await tx.purchaseReturnLine.updateMany({ where: { id: { in: g.lines.map((l) => l.id) } }, data: { redInvoiceId: id } });
    const [open] = await tx.$queryRaw<{ open: string }[]>`SELECT (total_amount - settled_amount)::text AS open FROM purchase_invoice WHERE id = ${inv.id}::uuid`;
    const settle = Decimal.min(total, new Decimal(open!.open));
    if (settle.gt(0)) await settleInTx(tx, ctx, ret.date, [{ redInvoiceId: id, invoiceId: inv.id, amount: fixed(settle) }], 'body.lines');
    await recordChange(tx, ctx, {
      action: 'create', entity: 'purchaseRedInvoice', entityId: id,
      payload: { number, returnId: ret.id, returnNumber: ret.number, originalInvoiceId: inv.id, totalAmount: fixed(total), settled: fixed(settle) },
    });
    out.push({ number, total: fixed(total), currency });
  }
  return out;
}

type Row = Prisma.PurchaseRedInvoiceGetPayload<object>;

async function redInvoiceDtos(tx: Tx, rows: Row[]): Promise<PurchaseRedInvoice[]> {
  const [suppliers, returns, settlements] = await Promise.all([
    tx.supplier.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.supplierId))] } }, select: { id: true, code: true, name: true } }),
    tx.purchaseReturn.findMany({ where: { id: { in: rows.map((r) => r.returnId) } }, select: { id: true, number: true } }),
    tx.payableSettlement.findMany({ where: { redInvoiceId: { in: rows.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } }),
  ]);
  const invoices = await tx.purchaseInvoice.findMany({
    where: { id: { in: [...new Set([...rows.map((r) => r.originalInvoiceId), ...settlements.map((s) => s.invoiceId)])] } }, select: { id: true, number: true, invoiceNo: true },
  });
  const supplierOf = new Map(suppliers.map((s) => [s.id, s]));
  const returnOf = new Map(returns.map((r) => [r.id, r]));
  const invoiceOf = new Map(invoices.map((i) => [i.id, i]));
  return rows.map((r) => ({
    id: r.id, number: r.number, supplier: supplierOf.get(r.supplierId)!, purchaseReturn: returnOf.get(r.returnId)!, originalInvoice: invoiceOf.get(r.originalInvoiceId)!,
    redInvoiceNo: r.redInvoiceNo, invoiceDate: dateOnlyOf(r.invoiceDate), totalAmount: fixed(r.totalAmount.toString()), inputVat: fixed(r.inputVat.toString()),
    currencyCode: r.currencyCode, totalForeign: r.totalForeign ? fixed(r.totalForeign.toString()) : null, exchangeRate: r.exchangeRate?.toFixed(6) ?? null,
    settledAmount: fixed(r.settledAmount.toString()), openAmount: fixed(new Decimal(r.totalAmount.toString()).minus(r.settledAmount.toString())),
    settlements: settlements.filter((s) => s.redInvoiceId === r.id).map((s) => settlementDto(s, { payment: null, credit: r }, invoiceOf.get(s.invoiceId)!)),
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listRedInvoices(ctx: UseCaseContext, query: PurchaseRedInvoiceListQuery): Promise<Page<PurchaseRedInvoice>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.PurchaseRedInvoiceWhereInput[] = [{ supplierId: query.supplierId, returnId: query.returnId }];
    if (query.open !== undefined) {
      const total = tx.purchaseRedInvoice.fields.totalAmount;
      and.push({ settledAmount: query.open ? { lt: total } : { gte: total } });
    }
    if (query.q) {
      const like = containsText(query.q);
      const suppliers = await tx.supplier.findMany({ where: { OR: [{ code: like }, { name: like }] }, select: { id: true } });
      and.push({ OR: [{ number: like }, { redInvoiceNo: like }, { supplierId: { in: suppliers.map((s) => s.id) } }] });
    }
    const where: Prisma.PurchaseRedInvoiceWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.PurchaseRedInvoiceOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.purchaseRedInvoice.findMany({ where, orderBy, ...w }), () => tx.purchaseRedInvoice.count({ where }), (r) => r);
    return { ...page, items: await redInvoiceDtos(tx, page.items) };
  });
}

export async function getRedInvoice(ctx: UseCaseContext, id: string): Promise<PurchaseRedInvoice> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.purchaseRedInvoice.findFirst({ where: { id } });
    if (!row) throw notFound('红字发票');
    return (await redInvoiceDtos(tx, [row]))[0]!;
  });
}

/** Records the 数电红字发票号码 once the supplier has issued it (may be corrected; unique per supplier). */
export async function recordRedInvoiceNo(ctx: UseCaseContext, id: string, input: PurchaseRedInvoiceUpdate): Promise<PurchaseRedInvoice> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.purchaseRedInvoice.findFirst({ where: { id } });
    if (!row) throw notFound('红字发票');
    const dup = await tx.purchaseRedInvoice.findFirst({ where: { supplierId: row.supplierId, redInvoiceNo: input.redInvoiceNo, id: { not: id } }, select: { number: true } });
    if (dup) throw new AppError('CONFLICT', `该供应商的红字发票 ${input.redInvoiceNo} 已登记（${dup.number}）`, [{ field: 'body.redInvoiceNo', message: '红字发票号码已登记' }]);
    const after = await tx.purchaseRedInvoice.update({ where: { id }, data: { redInvoiceNo: input.redInvoiceNo } });
    await recordChange(tx, ctx, { action: 'update', entity: 'purchaseRedInvoice', entityId: id, before: { redInvoiceNo: row.redInvoiceNo }, after: { redInvoiceNo: input.redInvoiceNo },
      payload: { number: row.number, redInvoiceNo: input.redInvoiceNo },
    });
    return (await redInvoiceDtos(tx, [after]))[0]!;
  });
}
