// 账龄表, 客户对账单 (JSON and Excel) and the customer's open receivables the bot answers 应收 with,
// all from issued invoices and receipts, within the actor's data scope (the customer's salesperson).
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import type { AgingReport, CustomerStatement } from '../../../../shared/schemas/sales/receivables.ts';
import type { Actor } from '../../../platform/actor.ts';
import { writeWorkbook, type Column } from '../../../platform/excel.ts';
import { invalid } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { ownerScopeSql, todayInShanghai } from '../support.ts';
import { addToBuckets, agingBucket, bucketsDto, emptyBuckets, type Buckets } from './aging.ts';
import { customerInScope, customerScopeSql } from './scope.ts';

interface OpenInvoiceRow { id: string; number: string; invoice_no: string | null; customer_id: string; code: string; name: string; invoice_date: string; due_date: string; open: string }

/** Open as of the day (issued by then, less live matches of receipts received by then); asOf null: open now, whatever the dates. */
async function openInvoices(tx: Tx, actor: Actor, asOf: string | null, customerId: string | null): Promise<OpenInvoiceRow[]> {
  return tx.$queryRaw<OpenInvoiceRow[]>`
    SELECT i.id::text, i.number, i.invoice_no, i.customer_id::text, c.code, c.name,
           to_char(i.invoice_date, 'YYYY-MM-DD') AS invoice_date, to_char(i.due_date, 'YYYY-MM-DD') AS due_date,
           (i.amount_with_tax - coalesce((SELECT sum(m.amount) FROM ar_match m LEFT JOIN customer_receipt r ON r.id = m.receipt_id
                                               LEFT JOIN sales_red_invoice c ON c.id = m.red_invoice_id
                                          WHERE m.invoice_id = i.id AND m.unmatched_at IS NULL
                                            AND (${asOf}::date IS NULL OR coalesce(r.received_on, c.invoice_date) <= ${asOf}::date)), 0)
              - CASE WHEN i.written_off_on IS NOT NULL AND (${asOf}::date IS NULL OR i.written_off_on <= ${asOf}::date) THEN i.written_off_amount ELSE 0 END)::text AS open
      FROM sales_invoice i JOIN customer c ON c.id = i.customer_id
     WHERE i.state = 'issued' AND (${asOf}::date IS NULL OR i.invoice_date <= ${asOf}::date) AND ${customerScopeSql(actor, 'i.customer_id')}
       AND (${customerId}::uuid IS NULL OR i.customer_id = ${customerId}::uuid)
     ORDER BY c.code, i.due_date, i.number`;
}

export async function agingReport(ctx: UseCaseContext, q: { asOf?: string; customerId?: string }): Promise<AgingReport> {
  const asOf = q.asOf ?? todayInShanghai();
  return runUseCase(ctx, async (tx) => {
    if (q.customerId) await customerInScope(tx, ctx.actor, q.customerId);
    const rows = (await openInvoices(tx, ctx.actor, asOf, q.customerId ?? null)).filter((r) => new Decimal(r.open).gt(0));
    const unmatched = await tx.$queryRaw<{ customer_id: string; v: string }[]>`
      SELECT customer_id::text, sum(amount - matched_amount)::text AS v FROM customer_receipt
       WHERE received_on <= ${asOf}::date AND matched_amount < amount AND ${customerScopeSql(ctx.actor, 'customer_receipt.customer_id')}
         AND (${q.customerId ?? null}::uuid IS NULL OR customer_id = ${q.customerId ?? null}::uuid)
       GROUP BY customer_id`;
    const unmatchedOf = new Map(unmatched.map((u) => [u.customer_id, u.v]));
    // 销售红字发票 not yet set off against an invoice (as of the day): owed back to the customer.
    const credits = await tx.$queryRaw<{ customer_id: string; code: string; name: string; v: string }[]>`
      SELECT c.customer_id::text, k.code, k.name,
             sum(c.total_amount - coalesce((SELECT sum(m.amount) FROM ar_match m JOIN sales_invoice i ON i.id = m.invoice_id
                                             WHERE m.red_invoice_id = c.id AND m.unmatched_at IS NULL AND i.invoice_date <= ${asOf}::date), 0))::text AS v
        FROM sales_red_invoice c JOIN customer k ON k.id = c.customer_id
       WHERE c.invoice_date <= ${asOf}::date AND ${customerScopeSql(ctx.actor, 'c.customer_id')}
         AND (${q.customerId ?? null}::uuid IS NULL OR c.customer_id = ${q.customerId ?? null}::uuid)
       GROUP BY c.customer_id, k.code, k.name`;
    const creditOf = new Map(credits.filter((c) => new Decimal(c.v).gt(0)).map((c) => [c.customer_id, c.v]));
    const per = new Map<string, { customer: { id: string; code: string; name: string }; b: Buckets }>();
    const totals = emptyBuckets();
    for (const r of rows) {
      const entry = per.get(r.customer_id) ?? { customer: { id: r.customer_id, code: r.code, name: r.name }, b: emptyBuckets() };
      per.set(r.customer_id, entry);
      const bucket = agingBucket(r.due_date, asOf);
      addToBuckets(entry.b, r.open, bucket);
      addToBuckets(totals, r.open, bucket);
    }
    // A customer owed a credit and nothing open is listed too (all buckets 0).
    for (const c of credits) {
      if (creditOf.has(c.customer_id) && !per.has(c.customer_id)) per.set(c.customer_id, { customer: { id: c.customer_id, code: c.code, name: c.name }, b: emptyBuckets() });
    }
    return {
      asOf,
      customers: [...per.values()].map((e) => ({
        customer: e.customer, ...bucketsDto(e.b), unmatchedReceipts: new Decimal(unmatchedOf.get(e.customer.id) ?? 0).toFixed(2),
        unsettledCredits: new Decimal(creditOf.get(e.customer.id) ?? 0).toFixed(2),
      })),
      totals: bucketsDto(totals),
    };
  });
}

export async function customerStatement(ctx: UseCaseContext, customerId: string, q: { from: string; to: string }): Promise<CustomerStatement> {
  if (q.from > q.to) throw invalid('query.from', '起始日期不能晚于截止日期');
  return runUseCase(ctx, (tx) => statementIn(tx, ctx.actor, customerId, q));
}

/** The 对账单 read in the caller's transaction (the send use case builds its card from it); 404 outside the actor's scope. */
export async function statementIn(tx: Tx, actor: Actor, customerId: string, q: { from: string; to: string }): Promise<CustomerStatement> {
  const customer = await customerInScope(tx, actor, customerId);
  const [open] = await tx.$queryRaw<{ v: string }[]>`
    SELECT (coalesce((SELECT sum(amount_with_tax) FROM sales_invoice WHERE customer_id = ${customerId}::uuid AND state = 'issued' AND invoice_date < ${q.from}::date), 0)
          - coalesce((SELECT sum(amount) FROM customer_receipt WHERE customer_id = ${customerId}::uuid AND received_on < ${q.from}::date), 0)
          - coalesce((SELECT sum(written_off_amount) FROM sales_invoice WHERE customer_id = ${customerId}::uuid AND written_off_on < ${q.from}::date), 0)
          - coalesce((SELECT sum(total_amount) FROM sales_red_invoice WHERE customer_id = ${customerId}::uuid AND invoice_date < ${q.from}::date), 0))::text AS v`;
  // A 销售红字发票 (goods returned after their invoice) is a negative invoice line.
  const moves = await tx.$queryRaw<{ date: string; kind: 'invoice' | 'receipt' | 'writeOff' | 'redInvoice'; number: string; reference: string | null; debit: string; credit: string }[]>`
    SELECT to_char(invoice_date, 'YYYY-MM-DD') AS date, 'invoice' AS kind, number, invoice_no AS reference, amount_with_tax::text AS debit, '0.00' AS credit
      FROM sales_invoice WHERE customer_id = ${customerId}::uuid AND state = 'issued' AND invoice_date BETWEEN ${q.from}::date AND ${q.to}::date
    UNION ALL
    SELECT to_char(received_on, 'YYYY-MM-DD'), 'receipt', number, method, '0.00', amount::text
      FROM customer_receipt WHERE customer_id = ${customerId}::uuid AND received_on BETWEEN ${q.from}::date AND ${q.to}::date
    UNION ALL
    SELECT to_char(written_off_on, 'YYYY-MM-DD'), 'writeOff', number, write_off_reason, '0.00', written_off_amount::text
      FROM sales_invoice WHERE customer_id = ${customerId}::uuid AND written_off_on BETWEEN ${q.from}::date AND ${q.to}::date
    UNION ALL
    SELECT to_char(invoice_date, 'YYYY-MM-DD'), 'redInvoice', number, red_invoice_no, (-total_amount)::text, '0.00'
      FROM sales_red_invoice WHERE customer_id = ${customerId}::uuid AND invoice_date BETWEEN ${q.from}::date AND ${q.to}::date
    ORDER BY 1, 2, 3`;
  let balance = new Decimal(open!.v);
  let invoiced = new Decimal(0);
  let received = new Decimal(0);
  let writtenOff = new Decimal(0);
  const lines = moves.map((m) => {
    balance = balance.plus(m.debit).minus(m.credit);
    invoiced = invoiced.plus(m.debit);
    if (m.kind === 'writeOff') writtenOff = writtenOff.plus(m.credit);
    else received = received.plus(m.credit);
    return { ...m, debit: new Decimal(m.debit).toFixed(2), credit: new Decimal(m.credit).toFixed(2), balance: balance.toFixed(2) };
  });
  return {
    customer: { id: customer.id, code: customer.code, name: customer.name }, from: q.from, to: q.to,
    opening: new Decimal(open!.v).toFixed(2), lines, invoiced: invoiced.toFixed(2), received: received.toFixed(2), writtenOff: writtenOff.toFixed(2), closing: balance.toFixed(2),
    closingLabel: balance.gt(0) ? '应收客户' : balance.lt(0) ? '应退客户（可抵扣）' : '已结清',
  };
}

const KIND_LABELS = { invoice: '销售发票', receipt: '收款', writeOff: '坏账核销', redInvoice: '销售红字发票' } as const;

type StatementRow = { date: string; kind: string; number: string; reference: string | null; debit: string; credit: string; balance: string };

const statementColumns: Column<StatementRow>[] = [
  { key: 'date', header: '日期', value: (r) => r.date },
  { key: 'kind', header: '单据', value: (r) => r.kind },
  { key: 'number', header: '单号', width: 22, value: (r) => r.number },
  { key: 'reference', header: '发票号码/收款方式/核销原因', width: 24, value: (r) => r.reference },
  { key: 'debit', header: '开票金额', value: (r) => r.debit },
  { key: 'credit', header: '收款金额', value: (r) => r.credit },
  { key: 'balance', header: '余额', value: (r) => r.balance },
];

/** 对账单 as a workbook: the opening row, one row per invoice or receipt, the closing row. */
export async function customerStatementWorkbook(ctx: UseCaseContext, customerId: string, q: { from: string; to: string }): Promise<{ fileName: string; data: Buffer }> {
  const s = await customerStatement(ctx, customerId, q);
  const rows: StatementRow[] = [
    { date: s.from, kind: '期初余额', number: '', reference: null, debit: '', credit: '', balance: s.opening },
    ...s.lines.map((l) => ({ ...l, kind: KIND_LABELS[l.kind] })),
    { date: s.to, kind: `本期合计 / 期末余额（${s.closingLabel}）`, number: '', reference: null, debit: s.invoiced, credit: new Decimal(s.received).plus(s.writtenOff).toFixed(2), balance: s.closing },
  ];
  return { fileName: `对账单-${s.customer.name}-${s.from}至${s.to}.xlsx`, data: await writeWorkbook('对账单', statementColumns, rows) };
}

export interface CustomerReceivables {
  customer: { id: string; code: string; name: string };
  asOf: string;
  invoices: { number: string; invoiceNo: string | null; invoiceDate: string; dueDate: string; open: string; overdueDays: number }[];
  open: string;
  overdue: string;
  unmatchedReceipts: string;
  /** 销售红字发票 not yet set off against an invoice: owed back to the customer (应退客户, 可抵扣) */
  unsettledCredits: string;
}

/**
 * A customer's open invoices now and the overdue part (due before today), for the bot's 应收; the
 * customer found by code or name among those the actor may see; null when none matches.
 */
export async function customerReceivables(ctx: UseCaseContext, customerText: string): Promise<CustomerReceivables | null> {
  const asOf = todayInShanghai();
  return runUseCase(ctx, async (tx) => {
    const [c] = await tx.$queryRaw<{ id: string; code: string; name: string }[]>`
      SELECT id::text, code, name FROM customer
       WHERE (code = ${customerText} OR name = ${customerText} OR name LIKE ${`%${customerText.replace(/[\\%_]/g, (m) => `\\${m}`)}%`})
         AND ${ownerScopeSql(ctx.actor, 'owner_id')}
       ORDER BY (code = ${customerText} OR name = ${customerText}) DESC, code LIMIT 1`;
    if (!c) return null;
    return receivablesOfCustomer(tx, ctx.actor, c, asOf);
  });
}

/** A customer's open invoices today, what is overdue, the receipts and red invoices not yet matched, within the actor's data scope (the customer 360 reads it in its own transaction). */
export async function receivablesOfCustomer(tx: Tx, actor: Actor, c: { id: string; code: string; name: string }, asOf: string = todayInShanghai()): Promise<CustomerReceivables> {
  const rows = (await openInvoices(tx, actor, null, c.id)).filter((r) => new Decimal(r.open).gt(0));
  const [u] = await tx.$queryRaw<{ v: string }[]>`SELECT coalesce(sum(amount - matched_amount), 0)::text AS v FROM customer_receipt WHERE customer_id = ${c.id}::uuid`;
  const [cr] = await tx.$queryRaw<{ v: string }[]>`SELECT coalesce(sum(total_amount - matched_amount), 0)::text AS v FROM sales_red_invoice WHERE customer_id = ${c.id}::uuid`;
  let open = new Decimal(0);
  let overdue = new Decimal(0);
  const invoices = rows.map((r) => {
    const days = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${r.due_date}T00:00:00Z`)) / 86_400_000);
    open = open.plus(r.open);
    if (days > 0) overdue = overdue.plus(r.open);
    return { number: r.number, invoiceNo: r.invoice_no, invoiceDate: r.invoice_date, dueDate: r.due_date, open: new Decimal(r.open).toFixed(2), overdueDays: Math.max(0, days) };
  });
  return { customer: c, asOf, invoices, open: open.toFixed(2), overdue: overdue.toFixed(2), unmatchedReceipts: new Decimal(u!.v).toFixed(2), unsettledCredits: new Decimal(cr!.v).toFixed(2) };
}
