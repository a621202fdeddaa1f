// 报价单: list, detail, create, edit and delete drafts — each one transaction, within the
// actor's data scope (the salesperson's).
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { Prisma, Quotation as QuotationRow, QuotationLine as QuotationLineRow } from '../../../generated/prisma/client.ts';
import type { Quotation, QuotationCreate, QuotationListQuery, QuotationUpdate } from '../../../../shared/schemas/sales/quotations.ts';
import { QUOTATION_STATE_LABELS } from '../../../../shared/enums.ts';
import { isoShanghai } from '../../../../shared/time.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordChange } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { containsText, findPage, keywordWhere, orderByOf, type Page } from '../../../platform/listing.ts';
import { nextDocumentNumber } from '../../../platform/numbering.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { checkSalesperson, visibleCustomer } from '../orders/draft.ts';
import { exchangeRateOn, lineAsInput, lineColumns, priceSalesLines } from '../pricing.ts';
import { shanghaiStart } from '../shipments/service.ts';
import { dateOnlyOf, dateOnlyToDb, lookupNames, named, salespersonScope, todayInShanghai, unknownCoded, unknownItem, unknownNamed } from '../support.ts';

type QuotationWithLines = QuotationRow & { lines?: QuotationLineRow[] };

export const QUOTATION_STATE_WORD: Record<QuotationRow['state'], string> = {
  draft: '报价单为草稿', sent: '报价单已发送', accepted: '报价单已接受', expired: '报价单已过期', cancelled: '报价单已取消',
};

export async function quotationDtos(tx: Tx, rows: QuotationWithLines[], opts: { detail?: boolean } = {}): Promise<Quotation[]> {
  const lines = rows.flatMap((q) => q.lines ?? []);
  const names = await lookupNames(tx, {
    customers: rows.map((q) => q.customerId),
    users: rows.map((q) => q.ownerId),
    items: lines.map((l) => l.itemId),
    units: lines.map((l) => l.unitId),
  });
  const orders = opts.detail
    ? await tx.salesOrder.findMany({ where: { quotationId: { in: rows.map((q) => q.id) } }, select: { id: true, number: true, state: true, quotationId: true }, orderBy: { number: 'asc' } })
    : [];
  return rows.map((q) => ({
    id: q.id,
    number: q.number,
    customer: named(names.customers, q.customerId, unknownCoded),
    owner: named(names.users, q.ownerId, unknownNamed),
    currencyCode: q.currencyCode,
    exchangeRate: q.exchangeRate.toFixed(6),
    validUntil: q.validUntil ? dateOnlyOf(q.validUntil) : null,
    state: q.state,
    stateLabel: QUOTATION_STATE_LABELS[q.state],
    totalAmount: q.totalAmount.toFixed(2),
    totalTax: q.totalTax.toFixed(2),
    totalWithTax: q.totalWithTax.toFixed(2),
    remark: q.remark,
    ...(q.lines
      ? {
          lines: q.lines.map((l) => ({
            id: l.id, lineNo: l.lineNo, item: named(names.items, l.itemId, unknownItem), unit: named(names.units, l.unitId, unknownNamed),
            factor: l.factor.toFixed(6), quantity: l.quantity.toFixed(4), baseQuantity: l.baseQuantity.toFixed(4), listPrice: l.listPrice.toFixed(6),
            unitPrice: l.unitPrice.toFixed(6), discountRate: l.discountRate.toFixed(4), taxRate: l.taxRate.toFixed(4), amount: l.amount.toFixed(2),
            taxAmount: l.taxAmount.toFixed(2), amountWithTax: l.amountWithTax.toFixed(2),
          })),
        }
      : {}),
    ...(opts.detail ? { orders: orders.filter((o) => o.quotationId === q.id).map((o) => ({ id: o.id, number: o.number, state: o.state })) } : {}),
    createdAt: isoShanghai(q.createdAt),
    updatedAt: isoShanghai(q.updatedAt),
    version: q.version,
  }));
}

export async function findVisibleQuotation(tx: Tx, actor: Actor, id: string): Promise<QuotationRow & { lines: QuotationLineRow[] }> {
  const row = await tx.quotation.findFirst({ where: { AND: [{ id }, await salespersonScope(tx, actor)] }, include: { lines: { orderBy: { lineNo: 'asc' } } } });
  if (!row) throw notFound('报价单');
  return row;
}

export async function loadQuotation(tx: Tx, actor: Actor, id: string): Promise<Quotation> {
  return (await quotationDtos(tx, [await findVisibleQuotation(tx, actor, id)], { detail: true }))[0]!;
}

export async function listQuotations(ctx: UseCaseContext, query: QuotationListQuery): Promise<Page<Quotation>> {
  return runUseCase(ctx, async (tx) => {
    let keyword: Prisma.QuotationWhereInput = {};
    if (query.q) {
      const customers = await tx.customer.findMany({ where: keywordWhere(query.q, ['name', 'code']), select: { id: true }, take: 500 });
      keyword = { OR: [{ number: containsText(query.q) }, { customerId: { in: customers.map((c) => c.id) } }] };
    }
    const where: Prisma.QuotationWhereInput = {
      AND: [
        await salespersonScope(tx, ctx.actor),
        keyword,
        {
          state: query.state,
          customerId: query.customerId,
          ownerId: query.ownerId,
          createdAt: query.from || query.to ? { gte: query.from ? shanghaiStart(query.from) : undefined, lt: query.to ? shanghaiStart(query.to, 1) : undefined } : undefined,
        },
      ],
    };
    const orderBy = orderByOf(query.sort, '-number') as Prisma.QuotationOrderByWithRelationInput[];
    const page = await findPage(query, (w) => tx.quotation.findMany({ where, orderBy, ...w }), () => tx.quotation.count({ where }), (r) => r);
    return { ...page, items: await quotationDtos(tx, page.items) };
  });
}

export async function getQuotation(ctx: UseCaseContext, id: string): Promise<Quotation> {
  return runUseCase(ctx, (tx) => loadQuotation(tx, ctx.actor, id));
}

export async function createQuotation(ctx: UseCaseContext, input: QuotationCreate): Promise<Quotation> {
  return runUseCase(ctx, async (tx) => {
    const customer = await visibleCustomer(tx, ctx, input.customerId);
    const ownerId = input.ownerId ?? ctx.actor.userId;
    await checkSalesperson(tx, ctx, ownerId);
    const currencyCode = input.currencyCode ?? customer.currencyCode;
    const exchangeRate = await exchangeRateOn(tx, currencyCode, todayInShanghai());
    const priced = await priceSalesLines(tx, input.lines, { exchangeRate });
    const companyId = ctx.actor.companyId;
    const number = await nextDocumentNumber(tx, companyId, 'SQ');
    const row = await tx.quotation.create({
      data: {
        companyId, number, customerId: customer.id, ownerId, currencyCode, exchangeRate,
        validUntil: input.validUntil ? dateOnlyToDb(input.validUntil) : null, remark: input.remark ?? null,
        totalAmount: priced.totals.totalAmount, totalTax: priced.totals.totalTax, totalWithTax: priced.totals.totalWithTax,
      },
    });
    await tx.quotationLine.createMany({ data: priced.lines.map((l) => ({ ...lineColumns(l), companyId, quotationId: row.id })) });
    await recordChange(tx, ctx, { action: 'create', entity: 'quotation', entityId: row.id, after: { ...row, lines: priced.lines }, payload: { number, customerId: customer.id, totalWithTax: row.totalWithTax.toFixed(2) } });
    return loadQuotation(tx, ctx.actor, row.id);
  });
}

export async function updateQuotation(ctx: UseCaseContext, id: string, input: QuotationUpdate): Promise<Quotation> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisibleQuotation(tx, ctx.actor, id);
    if (before.state !== 'draft') throw new AppError('CONFLICT', `${QUOTATION_STATE_WORD[before.state]}，不能修改`);
    const customer = input.customerId ? await visibleCustomer(tx, ctx, input.customerId) : null;
    if (input.ownerId) await checkSalesperson(tx, ctx, input.ownerId);
    const currencyCode = input.currencyCode ?? (customer && customer.id !== before.customerId ? customer.currencyCode : before.currencyCode);
    const exchangeRate = currencyCode !== before.currencyCode ? await exchangeRateOn(tx, currencyCode, todayInShanghai()) : before.exchangeRate.toFixed(6);
    // A new currency re-prices the lines kept (see lineAsInput), so the amounts follow it.
    const rateChanged = !new Decimal(exchangeRate).eq(before.exchangeRate.toString());
    const lines = input.lines ?? (rateChanged ? before.lines.map((l) => lineAsInput(l, { from: before.exchangeRate, to: exchangeRate })) : null);
    const priced = lines ? await priceSalesLines(tx, lines, { exchangeRate }) : null;
    const { count } = await tx.quotation.updateMany({
      where: { id, version: input.version, state: 'draft' },
      data: {
        customerId: customer?.id, ownerId: input.ownerId, currencyCode, exchangeRate, remark: input.remark,
        validUntil: input.validUntil === undefined ? undefined : input.validUntil ? dateOnlyToDb(input.validUntil) : null,
        ...(priced ? { totalAmount: priced.totals.totalAmount, totalTax: priced.totals.totalTax, totalWithTax: priced.totals.totalWithTax } : {}),
        version: { increment: 1 },
      },
    });
    if (count !== 1) {
      const now = await tx.quotation.findUnique({ where: { id }, select: { state: true } });
      if (!now) throw notFound('报价单');
      if (now.state !== 'draft') throw new AppError('CONFLICT', `${QUOTATION_STATE_WORD[now.state]}，不能修改`);
      throw new AppError('VERSION_CONFLICT', '报价单已被他人修改，请刷新后重试', [{ field: 'body.version', message: '版本已过期' }]);
    }
    if (priced) {
      await tx.quotationLine.deleteMany({ where: { quotationId: id } });
      await tx.quotationLine.createMany({ data: priced.lines.map((l) => ({ ...lineColumns(l), companyId: ctx.actor.companyId, quotationId: id })) });
    }
    const after = await findVisibleQuotation(tx, ctx.actor, id).catch(() => tx.quotation.findUniqueOrThrow({ where: { id }, include: { lines: true } }));
    await recordChange(tx, ctx, { action: 'update', entity: 'quotation', entityId: id, before, after, payload: { number: after.number, totalWithTax: after.totalWithTax.toFixed(2) } });
    return (await quotationDtos(tx, [after], { detail: true }))[0]!;
  });
}

export async function deleteQuotation(ctx: UseCaseContext, id: string): Promise<void> {
  return runUseCase(ctx, async (tx) => {
    const before = await findVisibleQuotation(tx, ctx.actor, id);
    const { count } = await tx.quotation.deleteMany({ where: { id, state: 'draft' } });
    if (count !== 1) {
      const now = await tx.quotation.findUnique({ where: { id }, select: { state: true } });
      throw now ? new AppError('CONFLICT', `${QUOTATION_STATE_WORD[now.state]}，不能删除（可取消）`) : notFound('报价单');
    }
    await recordChange(tx, ctx, { action: 'delete', entity: 'quotation', entityId: id, before, payload: { number: before.number } });
  });
}
