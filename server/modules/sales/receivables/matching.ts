// 核销: receipts applied to invoices, partial and many-to-many, all of a request or nothing. Every
// invoice and receipt named is locked (FOR UPDATE, in id order so two requests cannot deadlock)
// before its open amount is read, so a second concurrent match sees what the first took and cannot
// over-match (the CHECKs on matched_amount back this in the database). A match that uses the
// receipt's advance part moves it from 预收账款 to 应收账款 by a voucher; cancelling a match (once,
// audited, with a reason) moves it back.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { ArMatchCreate } from '../../../../shared/schemas/sales/receivables.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, invalid, notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { exchangeGainLossAccount, postDocument, settlementAmounts, todayInShanghai, type SettlementCurrency } from '../../finance/index.ts';
import { yuan } from '../support.ts';
import { customerScopeSql } from './scope.ts';
import type { ArMatchPostingFacts } from './voucher.ts';

interface LockedInvoice { id: string; number: string; customer_id: string; state: string; open: string; currency_code: string | null; rate: string | null }
interface LockedReceipt {
  id: string; number: string; customer_id: string; amount: string; advance: string; matched: string; from_advance: string; currency_code: string | null; rate: string | null;
}

/** A document's currency for 核销 (null: CNY). An invoice is in its order's currency. */
const currencyOf = (row: { currency_code: string | null; rate: string | null }): SettlementCurrency | null =>
  row.currency_code && row.currency_code !== 'CNY' && row.rate ? { code: row.currency_code, rate: row.rate } : null;

/** The currencies and the 汇兑损益 account a match's voucher needs. */
async function matchCurrencies(tx: Tx, invoiceId: string, receiptId: string) {
  const [row] = await tx.$queryRaw<{ i_code: string | null; i_rate: string | null; r_code: string | null; r_rate: string | null }[]>`
    SELECT o.currency_code AS i_code, o.exchange_rate::text AS i_rate, r.currency_code AS r_code, r.exchange_rate::text AS r_rate
      FROM sales_invoice i LEFT JOIN sales_order o ON o.id = i.order_id CROSS JOIN customer_receipt r
     WHERE i.id = ${invoiceId}::uuid AND r.id = ${receiptId}::uuid`;
  return {
    invoiceCurrency: currencyOf({ currency_code: row!.i_code, rate: row!.i_rate }),
    receiptCurrency: currencyOf({ currency_code: row!.r_code, rate: row!.r_rate }),
  };
}

export interface ArMatchDto {
  id: string; invoiceId: string; invoiceNumber: string; receiptId: string | null; receiptNumber: string | null; redInvoiceId: string | null; redInvoiceNumber: string | null;
  amount: string; receiptAmount: string; amountForeign: string | null; fromAdvance: string; createdAt: string; unmatchedAt: string | null;
}

export async function matchDtos(tx: Tx, where: { ids?: string[]; invoiceId?: string; receiptId?: string; redInvoiceIds?: string[] }): Promise<ArMatchDto[]> {
  return tx.$queryRaw<ArMatchDto[]>`
    SELECT m.id::text, m.invoice_id::text AS "invoiceId", i.number AS "invoiceNumber", m.receipt_id::text AS "receiptId", r.number AS "receiptNumber",
           m.red_invoice_id::text AS "redInvoiceId", c.number AS "redInvoiceNumber",
           m.amount::text, m.receipt_amount::text AS "receiptAmount", m.amount_foreign::text AS "amountForeign", m.from_advance::text AS "fromAdvance",
           to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
           to_char(m.unmatched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "unmatchedAt"
      FROM ar_match m JOIN sales_invoice i ON i.id = m.invoice_id LEFT JOIN customer_receipt r ON r.id = m.receipt_id
           LEFT JOIN sales_red_invoice c ON c.id = m.red_invoice_id
     WHERE (${where.ids ?? null}::uuid[] IS NULL OR m.id = ANY(${where.ids ?? null}::uuid[]))
       AND (${where.redInvoiceIds ?? null}::uuid[] IS NULL OR m.red_invoice_id = ANY(${where.redInvoiceIds ?? null}::uuid[]))
       AND (${where.invoiceId ?? null}::uuid IS NULL OR m.invoice_id = ${where.invoiceId ?? null}::uuid)
       AND (${where.receiptId ?? null}::uuid IS NULL OR m.receipt_id = ${where.receiptId ?? null}::uuid)
     ORDER BY m.created_at, m.id`;
}

export async function matchReceivables(ctx: UseCaseContext, input: ArMatchCreate): Promise<{ items: ArMatchDto[] }> {
  const ids = await runUseCase(ctx, (tx) => matchInTx(tx, ctx, input.matches, { field: 'body.matches', scoped: true }));
  return runUseCase(ctx, async (tx) => ({ items: await matchDtos(tx, { ids }) }));
}

/** A match line: what pays (a receipt or a 销售红字发票's credit) against which invoice. */
export type MatchLine = { invoiceId: string; customerReceiptId?: string | null; redInvoiceId?: string | null; amount: string };

interface LockedCredit { id: string; number: string; customer_id: string; open: string }

/**
 * The match lines, all or nothing, in the caller's transaction. The customers are locked first (the
 * lock a receipt and a sales return take too, so a return's red invoice and a match of the same
 * invoice wait for each other), then invoices, receipts and red invoices, each in id order. A red
 * invoice's credit and the invoice are both on 应收账款: matching them posts nothing. `scoped`: the
 * documents must be within the actor's data scope (the API); a sales return matches its own red
 * invoice whatever the actor's customer scope.
 */
export async function matchInTx(tx: Tx, ctx: UseCaseContext, matches: MatchLine[], opts: { field: string; scoped: boolean }): Promise<string[]> {
  const { field } = opts;
  const scope = (column: string) => (opts.scoped ? customerScopeSql(ctx.actor, column) : Prisma.sql`TRUE`);
  const invoiceIds = [...new Set(matches.map((m) => m.invoiceId))].sort();
  const receiptIds = [...new Set(matches.flatMap((m) => (m.customerReceiptId ? [m.customerReceiptId] : [])))].sort();
  const creditIds = [...new Set(matches.flatMap((m) => (m.redInvoiceId ? [m.redInvoiceId] : [])))].sort();
  await tx.$queryRaw`
    SELECT id FROM customer WHERE id IN (SELECT customer_id FROM sales_invoice WHERE id = ANY(${invoiceIds}::uuid[])) ORDER BY id FOR UPDATE`;
  const invoices = await tx.$queryRaw<LockedInvoice[]>`
    SELECT i.id::text, i.number, i.customer_id::text, i.state, (i.amount_with_tax - i.matched_amount)::text AS open,
           o.currency_code, o.exchange_rate::text AS rate
      FROM sales_invoice i LEFT JOIN sales_order o ON o.id = i.order_id
     WHERE i.id = ANY(${invoiceIds}::uuid[]) AND ${scope('i.customer_id')}
     ORDER BY i.id FOR UPDATE OF i`;
  const receipts = receiptIds.length ? await tx.$queryRaw<LockedReceipt[]>`
    SELECT r.id::text, r.number, r.customer_id::text, r.amount::text, r.advance_amount::text AS advance, r.matched_amount::text AS matched,
           coalesce((SELECT sum(from_advance) FROM ar_match WHERE receipt_id = r.id AND unmatched_at IS NULL), 0)::text AS from_advance,
           r.currency_code, r.exchange_rate::text AS rate
      FROM customer_receipt r
     WHERE r.id = ANY(${receiptIds}::uuid[]) AND ${scope('r.customer_id')}
     ORDER BY r.id FOR UPDATE OF r` : [];
  const credits = creditIds.length ? await tx.$queryRaw<LockedCredit[]>`
    SELECT c.id::text, c.number, c.customer_id::text, (c.total_amount - c.matched_amount)::text AS open
      FROM sales_red_invoice c
     WHERE c.id = ANY(${creditIds}::uuid[]) AND ${scope('c.customer_id')}
     ORDER BY c.id FOR UPDATE OF c` : [];
  const inv = new Map(invoices.map((i) => [i.id, { ...i, open: new Decimal(i.open) }]));
  const rec = new Map(receipts.map((r) => [r.id, { ...r, matched: new Decimal(r.matched), fromAdvance: new Decimal(r.from_advance) }]));
  const cre = new Map(credits.map((c) => [c.id, { ...c, open: new Decimal(c.open) }]));
  const customers = await tx.customer.findMany({ where: { id: { in: [...new Set(invoices.map((i) => i.customer_id))] } }, select: { id: true, name: true } });
  const customerName = new Map(customers.map((c) => [c.id, c.name]));
  const gainLossAccount = receipts.length ? await exchangeGainLossAccount(tx) : undefined;
  const created: string[] = [];
  for (const [n, m] of matches.entries()) {
    const i = inv.get(m.invoiceId);
    if (!i) throw invalid(`${field}.${n}.invoiceId`, '销售发票不存在');
    if (i.state !== 'issued') throw invalid(`${field}.${n}.invoiceId`, `发票 ${i.number} 尚未开具，不能核销`);
    const amount = new Decimal(m.amount);
    if (amount.gt(i.open)) throw invalid(`${field}.${n}.amount`, `核销金额 ${yuan(amount)} 超过发票 ${i.number} 的未核销金额 ${yuan(i.open)}`);
    if (m.redInvoiceId) {
      const c = cre.get(m.redInvoiceId);
      if (!c) throw invalid(`${field}.${n}.redInvoiceId`, '红字发票不存在');
      if (c.customer_id !== i.customer_id) throw invalid(`${field}.${n}.redInvoiceId`, `红字发票 ${c.number} 与发票 ${i.number} 不是同一客户`);
      if (amount.gt(c.open)) throw invalid(`${field}.${n}.amount`, `核销金额 ${yuan(amount)} 超过红字发票 ${c.number} 的未抵扣金额 ${yuan(c.open)}`);
      i.open = i.open.minus(amount);
      c.open = c.open.minus(amount);
      const match = await tx.arMatch.create({
        data: { companyId: ctx.actor.companyId, invoiceId: i.id, redInvoiceId: c.id, amount: amount.toFixed(2), receiptAmount: amount.toFixed(2), createdById: ctx.actor.userId },
      });
      created.push(match.id);
      continue;
    }
    const r = rec.get(m.customerReceiptId!);
    if (!r) throw invalid(`${field}.${n}.customerReceiptId`, '收款单不存在');
    if (i.customer_id !== r.customer_id) throw invalid(`${field}.${n}.customerReceiptId`, `收款单 ${r.number} 与发票 ${i.number} 不是同一客户`);
    const unmatched = new Decimal(r.amount).minus(r.matched);
    const invoiceCurrency = currencyOf(i);
    const receiptCurrency = currencyOf(r);
    // Same foreign currency: the same foreign amount comes off the receipt, at the receipt's rate.
    const sides = settlementAmounts(amount, { currency: invoiceCurrency }, { open: unmatched, currency: receiptCurrency });
    if (!sides.ok) throw invalid(`${field}.${n}.customerReceiptId`, `收款单 ${r.number} 的币别 ${receiptCurrency!.code} 与发票 ${i.number} 的币别 ${invoiceCurrency!.code} 不同，不能核销`);
    const receiptAmount = sides.moneyAmount;
    if (receiptAmount.gt(unmatched)) {
      const at = receiptAmount.eq(amount) ? '' : `（按收款汇率折合 ${yuan(receiptAmount)}）`;
      throw invalid(`${field}.${n}.amount`, `核销金额 ${yuan(amount)}${at} 超过收款单 ${r.number} 的未核销金额 ${yuan(unmatched)}`);
    }
    // The receipt's 应收 part is used first; what goes beyond it comes out of its advance.
    const receivableLeft = new Decimal(r.amount).minus(r.advance).minus(r.matched.minus(r.fromAdvance));
    const fromAdvance = Decimal.max(0, receiptAmount.minus(Decimal.max(0, receivableLeft)));
    i.open = i.open.minus(amount);
    r.matched = r.matched.plus(receiptAmount);
    r.fromAdvance = r.fromAdvance.plus(fromAdvance);
    const match = await tx.arMatch.create({
      data: {
        companyId: ctx.actor.companyId, invoiceId: i.id, receiptId: r.id, amount: amount.toFixed(2), receiptAmount: receiptAmount.toFixed(2),
        amountForeign: sides.foreign?.toFixed(2) ?? null, fromAdvance: fromAdvance.toFixed(2), createdById: ctx.actor.userId,
      },
    });
    await postDocument<ArMatchPostingFacts>(tx, ctx, 'arMatch', {
      documentId: match.id, documentNumber: `${r.number}→${i.number}`, date: todayInShanghai(), customerId: i.customer_id,
      customerName: customerName.get(i.customer_id) ?? '', invoiceNumber: i.number, receiptNumber: r.number,
      amount: amount.toFixed(2), receiptAmount: receiptAmount.toFixed(2), amountForeign: sides.foreign?.toFixed(2) ?? null, fromAdvance: fromAdvance.toFixed(2),
      receiptCurrency, invoiceCurrency, gainLossAccount, undo: false,
    });
    created.push(match.id);
  }
  await tx.$executeRaw`
    UPDATE sales_invoice i SET matched_amount = amount_with_tax - v.open, updated_at = now()
      FROM unnest(${[...inv.keys()]}::uuid[], ${[...inv.values()].map((i) => i.open.toFixed(2))}::numeric[]) AS v(id, open) WHERE i.id = v.id`;
  if (rec.size) {
    await tx.$executeRaw`
      UPDATE customer_receipt r SET matched_amount = v.matched
        FROM unnest(${[...rec.keys()]}::uuid[], ${[...rec.values()].map((r) => r.matched.toFixed(2))}::numeric[]) AS v(id, matched) WHERE r.id = v.id`;
  }
  if (cre.size) {
    await tx.$executeRaw`
      UPDATE sales_red_invoice c SET matched_amount = total_amount - v.open
        FROM unnest(${[...cre.keys()]}::uuid[], ${[...cre.values()].map((c) => c.open.toFixed(2))}::numeric[]) AS v(id, open) WHERE c.id = v.id`;
  }
  await recordAudit(tx, ctx, { action: 'create', entity: 'arMatch', entityId: created[0]!, after: { matches, ids: created } });
  return created;
}

export async function unmatchReceivable(ctx: UseCaseContext, id: string, reason: string): Promise<ArMatchDto> {
  await runUseCase(ctx, async (tx) => {
    const [m] = await tx.$queryRaw<{ invoice_id: string; receipt_id: string | null; red_invoice_id: string | null }[]>`
      SELECT invoice_id::text, receipt_id::text, red_invoice_id::text FROM ar_match WHERE id = ${id}::uuid AND ${customerScopeSql(ctx.actor, '(SELECT customer_id FROM sales_invoice WHERE sales_invoice.id = ar_match.invoice_id)')}`;
    if (!m) throw notFound('核销记录');
    // The same lock order as matching: invoice, then receipt, then the match.
    const [i] = await tx.$queryRaw<{ number: string; customer_id: string; written_off: string }[]>`
      SELECT number, customer_id::text, written_off_amount::text AS written_off FROM sales_invoice WHERE id = ${m.invoice_id}::uuid FOR UPDATE`;
    // Its open amount was written off as a bad debt: reopening part of it would count it twice.
    if (new Decimal(i!.written_off).gt(0)) throw new AppError('CONFLICT', `发票 ${i!.number} 已核销坏账，不能取消核销`);
    if (m.red_invoice_id) {
      // A red invoice's credit: both sides on 应收账款, nothing was posted, nothing to post back.
      await tx.$queryRaw`SELECT id FROM sales_red_invoice WHERE id = ${m.red_invoice_id}::uuid FOR UPDATE`;
      const [row] = await tx.$queryRaw<{ amount: string; unmatched_at: Date | null }[]>`SELECT amount::text, unmatched_at FROM ar_match WHERE id = ${id}::uuid FOR UPDATE`;
      if (row!.unmatched_at) throw new AppError('CONFLICT', '该核销已取消，不能重复取消');
      await tx.$executeRaw`UPDATE ar_match SET unmatched_at = now(), unmatched_by_id = ${ctx.actor.userId}::uuid WHERE id = ${id}::uuid`;
      await tx.$executeRaw`UPDATE sales_invoice SET matched_amount = matched_amount - ${row!.amount}::numeric, updated_at = now() WHERE id = ${m.invoice_id}::uuid`;
      await tx.$executeRaw`UPDATE sales_red_invoice SET matched_amount = matched_amount - ${row!.amount}::numeric WHERE id = ${m.red_invoice_id}::uuid`;
      await recordAudit(tx, ctx, { action: 'unmatch', entity: 'arMatch', entityId: id, before: { amount: row!.amount }, after: { unmatched: true, reason } });
      return;
    }
    const [r] = await tx.$queryRaw<{ number: string }[]>`SELECT number FROM customer_receipt WHERE id = ${m.receipt_id}::uuid FOR UPDATE`;
    const [row] = await tx.$queryRaw<{ amount: string; receipt_amount: string; amount_foreign: string | null; from_advance: string; unmatched_at: Date | null }[]>`
      SELECT amount::text, receipt_amount::text, amount_foreign::text, from_advance::text, unmatched_at FROM ar_match WHERE id = ${id}::uuid FOR UPDATE`;
    if (row!.unmatched_at) throw new AppError('CONFLICT', '该核销已取消，不能重复取消');
    await tx.$executeRaw`UPDATE ar_match SET unmatched_at = now(), unmatched_by_id = ${ctx.actor.userId}::uuid WHERE id = ${id}::uuid`;
    await tx.$executeRaw`UPDATE sales_invoice SET matched_amount = matched_amount - ${row!.amount}::numeric, updated_at = now() WHERE id = ${m.invoice_id}::uuid`;
    await tx.$executeRaw`UPDATE customer_receipt SET matched_amount = matched_amount - ${row!.receipt_amount}::numeric WHERE id = ${m.receipt_id}::uuid`;
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: i!.customer_id }, select: { name: true } });
    await postDocument<ArMatchPostingFacts>(tx, ctx, 'arMatch', {
      documentId: id, documentNumber: `${r!.number}→${i!.number}`, date: todayInShanghai(), customerId: i!.customer_id, customerName: customer.name,
      invoiceNumber: i!.number, receiptNumber: r!.number, amount: row!.amount, receiptAmount: row!.receipt_amount, amountForeign: row!.amount_foreign,
      fromAdvance: row!.from_advance, ...(await matchCurrencies(tx, m.invoice_id, m.receipt_id!)), gainLossAccount: await exchangeGainLossAccount(tx), undo: true,
    });
    await recordAudit(tx, ctx, { action: 'unmatch', entity: 'arMatch', entityId: id, before: { amount: row!.amount, fromAdvance: row!.from_advance }, after: { unmatched: true, reason } });
  });
  return runUseCase(ctx, async (tx) => (await matchDtos(tx, { ids: [id] }))[0]!);
}

export async function listMatches(ctx: UseCaseContext, q: { invoiceId?: string; receiptId?: string }): Promise<{ items: ArMatchDto[] }> {
  return runUseCase(ctx, async (tx) => {
    const all = await matchDtos(tx, q);
    if (ctx.actor.dataScope === 'all') return { items: all };
    const visible = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM sales_invoice WHERE id = ANY(${[...new Set(all.map((m) => m.invoiceId))]}::uuid[]) AND ${customerScopeSql(ctx.actor, 'sales_invoice.customer_id')}`;
    const ok = new Set(visible.map((v) => v.id));
    return { items: all.filter((m) => ok.has(m.invoiceId)) };
  });
}

export async function getMatch(ctx: UseCaseContext, id: string): Promise<ArMatchDto> {
  const { items } = await runUseCase(ctx, async (tx) => ({ items: await matchDtos(tx, { ids: [id] }) }));
  if (!items[0]) throw notFound('核销记录');
  // Within scope as the invoice is.
  const visible = await listMatches(ctx, { invoiceId: items[0].invoiceId });
  if (!visible.items.some((m) => m.id === id)) throw notFound('核销记录');
  return items[0];
}
