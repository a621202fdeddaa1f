// 采购发票: registered against a supplier's received receipt lines, never beyond what was received
// (a conditional update of each receipt line's invoiced quantity), in one transaction with the red
// reversal of their 暂估, the revaluation of the stock still on hand by the price difference, and the
// invoice voucher. Every 应付 write for a supplier takes the supplier's row lock first, so invoices,
// payments and settlements of one supplier happen one after another.
import crypto from 'node:crypto';
import { Decimal } from 'decimal.js';
import { Prisma } from '../../../generated/prisma/client.ts';
import {
  PURCHASE_INVOICE_TYPE_LABELS, type PurchaseInvoice, type PurchaseInvoiceCreate, type PurchaseInvoiceListQuery, type UninvoicedLine,
} from '../../../../shared/schemas/payables.ts';
import type { Tx } from '../../../db/transaction.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf, dateOnlyToDb, documentCurrency, postDocument } from '../../finance/index.ts';
import { revalueStock } from '../../inventory/index.ts';
import { plain } from '../orders/support.ts';
import { lineValueAt } from '../receipts/valuation.ts';
import { inputVatDeductible, invoiceLineCost, type PurchaseInvoiceFacts } from './voucher.ts';

/** The supplier's row, locked for the rest of the transaction (every 应付 write of the supplier waits here). */
export async function lockSupplier(tx: Tx, supplierId: string): Promise<{ id: string; code: string; name: string; paymentTermDays: number }> {
  const [row] = await tx.$queryRaw<{ id: string; code: string; name: string; paymentTermDays: number }[]>`
    SELECT id, code, name, payment_term_days AS "paymentTermDays" FROM supplier WHERE id = ${supplierId}::uuid FOR UPDATE`;
  if (!row) throw notFound('供应商');
  return row;
}

const fixed = (v: Decimal.Value) => new Decimal(v).toFixed(2);

/**
 * What the order line `o` returned after it had been invoiced (a red invoice's matter, see
 * returns/split.ts): that quantity stays counted in the receipt lines' invoiced quantities, so only
 * returns of goods not yet invoiced lower what may still be invoiced.
 */
const returnedInvoicedSql = Prisma.sql`(SELECT COALESCE(SUM(x.invoiced_quantity), 0) FROM purchase_return_line x WHERE x.order_line_id = o.id)`;

/** 400 for a line invoiced beyond what is left of its receipt line (or of its order line, after returns not yet invoiced). */
async function overInvoiced(
  tx: Tx, r: { id: string; orderLineId: string; receipt: { number: string } }, field: string, quantity: string,
): Promise<AppError> {
  const [q] = await tx.$queryRaw<{ base: string; invoiced: string; returned: string; orderLeft: string }[]>`
    SELECT rl.base_quantity::text AS base, rl.invoiced_quantity::text AS invoiced, (o.returned_quantity - ${returnedInvoicedSql})::text AS returned,
           (o.received_quantity - o.returned_quantity + ${returnedInvoicedSql} - (SELECT SUM(x.invoiced_quantity) FROM receipt_line x WHERE x.order_line_id = o.id))::text AS "orderLeft"
      FROM receipt_line rl JOIN purchase_order_line o ON o.id = rl.order_line_id WHERE rl.id = ${r.id}::uuid`;
  const left = Decimal.max(Decimal.min(new Decimal(q!.base).minus(q!.invoiced), new Decimal(q!.orderLeft)), 0);
  const returned = new Decimal(q!.returned).gt(0) ? `，订单行已退货 ${plain(q!.returned)}` : '';
  return invalid(field, `入库单 ${r.receipt.number} 入库 ${plain(q!.base)}，已开票 ${plain(q!.invoiced)}${returned}，还可开票 ${plain(left)}，本次 ${plain(quantity)} 超过了`);
}

export async function createPurchaseInvoice(ctx: UseCaseContext, input: PurchaseInvoiceCreate): Promise<PurchaseInvoice> {
  return runUseCase(ctx, async (tx) => {
    const companyId = ctx.actor.companyId;
    const supplier = await lockSupplier(tx, input.supplierId);
    const dup = await tx.purchaseInvoice.findFirst({ where: { supplierId: supplier.id, invoiceNo: input.invoiceNo }, select: { number: true } });
    if (dup) throw new AppError('CONFLICT', `供应商「${supplier.name}」的发票 ${input.invoiceNo} 已登记（${dup.number}）`, [{ field: 'body.invoiceNo', message: '发票号码已登记' }]);

    const ids = input.lines.map((l) => l.receiptLineId);
    const found = await tx.receiptLine.findMany({ where: { id: { in: ids } }, include: { receipt: { select: { number: true, supplierId: true } } } });
    const byId = new Map(found.map((r) => [r.id, r]));
    const seen = new Set<string>();
    input.lines.forEach((l, n) => {
      const r = byId.get(l.receiptLineId);
      if (!r) throw invalid(`body.lines.${n}.receiptLineId`, '采购入库单行不存在');
      if (r.receipt.supplierId !== supplier.id) throw invalid(`body.lines.${n}.receiptLineId`, `入库单 ${r.receipt.number} 不是供应商「${supplier.name}」的`);
      if (seen.has(l.receiptLineId)) throw invalid(`body.lines.${n}.receiptLineId`, `入库单 ${r.receipt.number} 的同一行重复开票`);
      seen.add(l.receiptLineId);
    });

    // 外币发票: amounts entered in the currency, each converted at the invoice day's rate to the fen;
    // everything below (暂估, cost, VAT) is in CNY, and 应付 also keeps the foreign 价税合计.
    const fx = await documentCurrency(tx, input.currencyCode, input.invoiceDate, { currency: 'body.currencyCode', date: 'body.invoiceDate' });
    const toCny = (v: string) => (fx ? new Decimal(v).times(fx.rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) : v);
    const lines = input.lines.map((l) => ({ ...l, amount: toCny(l.amount), taxAmount: toCny(l.taxAmount) }));
    const totalForeign = fx ? input.lines.reduce((t, l) => t.plus(l.amount).plus(l.taxAmount), new Decimal(0)) : null;

    // Each receipt line's invoiced quantity grows only while it stays within what was received, and
    // its order line's invoiced total within what was received less what went back before it was
    // invoiced (returned goods are not invoiced; goods returned after their invoice stay counted as
    // invoiced — the red invoice undoes them). Returns take the supplier's lock too, so none runs meanwhile.
    const provisional: Decimal[] = [];
    for (const [n, l] of lines.entries()) {
      const [moved] = await tx.$queryRaw<{ after: string; base: string; amount: string }[]>`
        UPDATE receipt_line rl SET invoiced_quantity = rl.invoiced_quantity + ${l.quantity}::numeric
         WHERE rl.id = ${l.receiptLineId}::uuid AND rl.invoiced_quantity + ${l.quantity}::numeric <= rl.base_quantity
           AND (SELECT SUM(x.invoiced_quantity) FROM receipt_line x WHERE x.order_line_id = rl.order_line_id) + ${l.quantity}::numeric
               <= (SELECT o.received_quantity - o.returned_quantity + ${returnedInvoicedSql} FROM purchase_order_line o WHERE o.id = rl.order_line_id)
        RETURNING rl.invoiced_quantity::text AS after, rl.base_quantity::text AS base, rl.amount::text AS amount`;
      if (!moved) throw await overInvoiced(tx, byId.get(l.receiptLineId)!, `body.lines.${n}.quantity`, l.quantity);
      const before = new Decimal(moved.after).minus(l.quantity);
      provisional.push(lineValueAt(moved.amount, moved.base, moved.after).minus(lineValueAt(moved.amount, moved.base, before)));
    }

    const company = await tx.company.findUniqueOrThrow({ where: { id: companyId }, select: { taxpayerKind: true } });
    const deductible = inputVatDeductible(company.taxpayerKind, input.invoiceType);
    const itemIds = [...new Set(found.map((r) => r.itemId))].sort();
    const items = await tx.item.findMany({ where: { id: { in: itemIds } }, select: { id: true, kind: true } });
    const kindOf = new Map(items.map((i) => [i.id, i.kind]));
    // The stock held now (locked, in item order like every stock change), shared out over the lines of an item.
    const held = await tx.$queryRaw<{ itemId: string; quantity: string }[]>`
      SELECT item_id::text AS "itemId", quantity::text AS quantity FROM item_stock
       WHERE item_id = ANY(${itemIds}::uuid[]) ORDER BY item_id FOR UPDATE`;
    const onHandLeft = new Map(held.map((h) => [h.itemId, Decimal.max(new Decimal(h.quantity), 0)]));

    const id = crypto.randomUUID();
    const number = await nextDocumentNumber(tx, companyId, 'PI');
    const costs = lines.map((l, n) => {
      const r = byId.get(l.receiptLineId)!;
      const left = onHandLeft.get(r.itemId) ?? new Decimal(0);
      const onHand = Decimal.min(left, l.quantity);
      onHandLeft.set(r.itemId, left.minus(onHand));
      return { lineId: crypto.randomUUID(), ...invoiceLineCost({ amount: l.amount, taxAmount: l.taxAmount, provisional: provisional[n]!, quantity: l.quantity, onHand }, deductible) };
    });
    const revalue = costs.flatMap((c, n) => (c.wantedToStock.isZero() ? [] : [{ n, line: { itemId: byId.get(lines[n]!.receiptLineId)!.itemId, warehouseId: byId.get(lines[n]!.receiptLineId)!.warehouseId, amount: c.wantedToStock, sourceLineId: c.lineId } }]));
    const applied = await revalueStock(
      tx,
      { companyId, userId: ctx.actor.userId, source: { type: 'purchaseInvoice', id, documentNo: number }, remark: `采购发票 ${input.invoiceNo} 与暂估的差额` },
      revalue.map((r) => r.line),
    );
    const toStock = costs.map(() => new Decimal(0));
    revalue.forEach((r, k) => { toStock[r.n] = applied[k]!; });
    // What the stock could not take (consumed or sold since) is cost of sales.
    const toCostOfSales = costs.map((c, n) => c.difference.minus(toStock[n]!));

    const sum = (ds: Decimal.Value[]) => ds.reduce<Decimal>((t, d) => t.plus(d), new Decimal(0));
    const amount = sum(lines.map((l) => l.amount));
    const taxAmount = sum(lines.map((l) => l.taxAmount));
    const inputVat = sum(costs.map((c) => c.inputVat));
    await tx.purchaseInvoice.create({
      data: {
        id, companyId, number, invoiceNo: input.invoiceNo, invoiceType: input.invoiceType, supplierId: supplier.id, invoiceDate: dateOnlyToDb(input.invoiceDate),
        amount: fixed(amount), taxAmount: fixed(taxAmount), totalAmount: fixed(amount.plus(taxAmount)), inputVat: fixed(inputVat),
        provisionalAmount: fixed(sum(provisional)), toStock: fixed(sum(toStock)), toCostOfSales: fixed(sum(toCostOfSales)),
        currencyCode: fx?.code ?? null, totalForeign: totalForeign ? fixed(totalForeign) : null, exchangeRate: fx?.rate ?? null,
        remark: input.remark ?? null, createdById: ctx.actor.userId,
      },
    });
    await tx.purchaseInvoiceLine.createMany({
      data: lines.map((l, n) => ({
        id: costs[n]!.lineId, companyId, invoiceId: id, lineNo: n + 1, receiptLineId: l.receiptLineId, itemId: byId.get(l.receiptLineId)!.itemId,
        baseQuantity: l.quantity, amount: fixed(l.amount), taxAmount: fixed(l.taxAmount), provisionalAmount: fixed(provisional[n]!),
        costAmount: fixed(costs[n]!.cost), toStock: fixed(toStock[n]!), toCostOfSales: fixed(toCostOfSales[n]!),
      })),
    });

    const facts: PurchaseInvoiceFacts = {
      documentId: id, documentNumber: number, date: input.invoiceDate, supplierId: supplier.id, supplierName: supplier.name, invoiceNo: input.invoiceNo,
      lines: lines.map((l, n) => {
        const itemId = byId.get(l.receiptLineId)!.itemId;
        return { itemId, itemKind: kindOf.get(itemId) ?? 'raw', provisional: fixed(provisional[n]!), toStock: fixed(toStock[n]!), toCostOfSales: fixed(toCostOfSales[n]!) };
      }),
      inputVat: fixed(inputVat), total: fixed(amount.plus(taxAmount)),
      currency: fx && totalForeign ? { ...fx, totalForeign: fixed(totalForeign) } : null,
    };
    await postDocument(tx, ctx, 'purchaseInvoiceProvisionalReversal', facts);
    await postDocument(tx, ctx, 'purchaseInvoice', facts);

    const dto = await invoiceDto(tx, id);
    await recordChange(tx, ctx, {
      action: 'create', entity: 'purchaseInvoice', entityId: id, after: dto,
      payload: { number, invoiceNo: input.invoiceNo, supplierId: supplier.id, totalAmount: dto.totalAmount },
    });
    return dto;
  });
}

const include = { lines: { orderBy: { lineNo: 'asc' } } } satisfies Prisma.PurchaseInvoiceInclude;
type InvoiceRow = Prisma.PurchaseInvoiceGetPayload<{ include: typeof include }>;

export async function invoiceDtos(tx: Tx, rows: InvoiceRow[]): Promise<PurchaseInvoice[]> {
  const supplierIds = [...new Set(rows.map((r) => r.supplierId))];
  const lineIds = rows.flatMap((r) => r.lines.map((l) => l.receiptLineId));
  const itemIds = [...new Set(rows.flatMap((r) => r.lines.map((l) => l.itemId)))];
  const suppliers = await tx.supplier.findMany({ where: { id: { in: supplierIds } }, select: { id: true, code: true, name: true } });
  const receiptLines = await tx.receiptLine.findMany({ where: { id: { in: lineIds } }, select: { id: true, receipt: { select: { id: true, number: true } } } });
  const items = await tx.item.findMany({ where: { id: { in: itemIds } }, select: { id: true, code: true, name: true } });
  const supplierOf = new Map(suppliers.map((s) => [s.id, s]));
  const receiptOf = new Map(receiptLines.map((r) => [r.id, r.receipt]));
  const itemOf = new Map(items.map((i) => [i.id, i]));
  return rows.map((r) => ({
    id: r.id, number: r.number, invoiceNo: r.invoiceNo, invoiceType: r.invoiceType, invoiceTypeLabel: PURCHASE_INVOICE_TYPE_LABELS[r.invoiceType],
    supplier: supplierOf.get(r.supplierId)!, invoiceDate: dateOnlyOf(r.invoiceDate),
    amount: fixed(r.amount.toString()), taxAmount: fixed(r.taxAmount.toString()), totalAmount: fixed(r.totalAmount.toString()), inputVat: fixed(r.inputVat.toString()),
    currencyCode: r.currencyCode, totalForeign: r.totalForeign ? fixed(r.totalForeign.toString()) : null, exchangeRate: r.exchangeRate?.toFixed(6) ?? null,
    provisionalAmount: fixed(r.provisionalAmount.toString()), toStock: fixed(r.toStock.toString()), toCostOfSales: fixed(r.toCostOfSales.toString()),
    settledAmount: fixed(r.settledAmount.toString()), openAmount: fixed(new Decimal(r.totalAmount.toString()).minus(r.settledAmount.toString())),
    remark: r.remark, createdAt: r.createdAt.toISOString(),
    lines: r.lines.map((l) => ({
      id: l.id, lineNo: l.lineNo, receiptLineId: l.receiptLineId, receipt: receiptOf.get(l.receiptLineId)!, item: itemOf.get(l.itemId)!,
      quantity: new Decimal(l.baseQuantity.toString()).toFixed(4), amount: fixed(l.amount.toString()), taxAmount: fixed(l.taxAmount.toString()),
      provisionalAmount: fixed(l.provisionalAmount.toString()), costAmount: fixed(l.costAmount.toString()),
      toStock: fixed(l.toStock.toString()), toCostOfSales: fixed(l.toCostOfSales.toString()),
    })),
  }));
}

async function invoiceDto(tx: Tx, id: string): Promise<PurchaseInvoice> {
  return (await invoiceDtos(tx, [await tx.purchaseInvoice.findUniqueOrThrow({ where: { id }, include })]))[0]!;
}

export async function listPurchaseInvoices(ctx: UseCaseContext, query: PurchaseInvoiceListQuery): Promise<Page<PurchaseInvoice>> {
  return runUseCase(ctx, async (tx) => {
    const and: Prisma.PurchaseInvoiceWhereInput[] = [{ supplierId: query.supplierId }];
    if (query.dateFrom) and.push({ invoiceDate: { gte: dateOnlyToDb(query.dateFrom) } });
    if (query.dateTo) and.push({ invoiceDate: { lte: dateOnlyToDb(query.dateTo) } });
    if (query.open !== undefined) {
      const total = tx.purchaseInvoice.fields.totalAmount;
      and.push({ settledAmount: query.open ? { lt: total } : { gte: total } });
    }
    if (query.q) {
      const like = containsText(query.q);
      const suppliers = await tx.supplier.findMany({ where: { OR: [{ code: like }, { name: like }] }, select: { id: true } });
      and.push({ OR: [{ number: like }, { invoiceNo: like }, { remark: like }, { supplierId: { in: suppliers.map((s) => s.id) } }] });
    }
    const where: Prisma.PurchaseInvoiceWhereInput = { AND: and };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.PurchaseInvoiceOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.purchaseInvoice.findMany({ where, orderBy, include, ...w }), () => tx.purchaseInvoice.count({ where }), (r) => r);
    return { ...page, items: await invoiceDtos(tx, page.items) };
  });
}

export async function getPurchaseInvoice(ctx: UseCaseContext, id: string): Promise<PurchaseInvoice> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.purchaseInvoice.findFirst({ where: { id }, include });
    if (!row) throw notFound('采购发票');
    return (await invoiceDtos(tx, [row]))[0]!;
  });
}

/** The supplier's received lines not yet wholly invoiced, oldest first, with the 暂估 of what is left. */
export async function uninvoicedLines(ctx: UseCaseContext, supplierId: string): Promise<{ items: UninvoicedLine[] }> {
  return runUseCase(ctx, async (tx) => {
    // What is left of a line is also capped by its order line's kept quantity (received − returned before invoicing − invoiced).
    const rows = await tx.$queryRaw<{ id: string; receiptId: string; number: string; receivedAt: Date; itemId: string; code: string; name: string; base: string; invoiced: string; amount: string; orderLeft: string }[]>`
      SELECT l.id::text, r.id::text AS "receiptId", r.number, r.received_at AS "receivedAt", i.id::text AS "itemId", i.code, i.name,
             l.base_quantity::text AS base, l.invoiced_quantity::text AS invoiced, l.amount::text AS amount,
             (o.received_quantity - o.returned_quantity + ${returnedInvoicedSql} - (SELECT SUM(x.invoiced_quantity) FROM receipt_line x WHERE x.order_line_id = o.id))::text AS "orderLeft"
        FROM receipt_line l JOIN receipt r ON r.id = l.receipt_id JOIN item i ON i.id = l.item_id JOIN purchase_order_line o ON o.id = l.order_line_id
       WHERE r.supplier_id = ${supplierId}::uuid AND l.invoiced_quantity < l.base_quantity
       ORDER BY r.received_at, r.number, l.id
       LIMIT 500`;
    return {
      items: rows.flatMap((r) => {
        const open = Decimal.min(new Decimal(r.base).minus(r.invoiced), new Decimal(r.orderLeft));
        if (open.lte(0)) return [];
        const after = open.plus(r.invoiced);
        return [{
          receiptLineId: r.id, receipt: { id: r.receiptId, number: r.number, receivedAt: r.receivedAt.toISOString() },
          item: { id: r.itemId, code: r.code, name: r.name },
          baseQuantity: new Decimal(r.base).toFixed(4), invoicedQuantity: new Decimal(r.invoiced).toFixed(4),
          openQuantity: open.toFixed(4),
          openProvisional: fixed(lineValueAt(r.amount, r.base, after).minus(lineValueAt(r.amount, r.base, r.invoiced))),
        }];
      }),
    };
  });
}
