// 应付账龄 and 供应商对账单, read from the invoices, red invoices (returns of invoiced goods),
// payments and settlements (the same documents the vouchers were posted from). A statement's balance
// is what is owed to the supplier — 应付货款 for the supplier: invoices (价税合计) add to it, red
// invoices (negative) and payments take from it; below 0 the supplier owes us (an advance paid, or
// goods returned after their invoice was paid), to be set off against later invoices.
import { Decimal } from 'decimal.js';
import type { AgingBucket } from '../../../../shared/enums.ts';
import type { Payables, PayablesQuery, StatementQuery, SupplierStatement } from '../../../../shared/schemas/payables.ts';
import type { Tx } from '../../../db/transaction.ts';
import { writeWorkbook, type Column } from '../../../platform/excel.ts';
import { notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { todayInShanghai } from '../../finance/index.ts';

const fixed = (v: Decimal.Value) => new Decimal(v).toFixed(2);
const DAY = 86_400_000;


/** Pure: the bucket of an invoice `days` old (from its invoice date to the as-of date). */
export function agingBucket(days: number): AgingBucket {
  if (days <= 30) return 'days0to30';
  if (days <= 60) return 'days31to60';
  if (days <= 90) return 'days61to90';
  return 'over90';
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

export async function payables(ctx: UseCaseContext, query: PayablesQuery): Promise<Payables> {
  return runUseCase(ctx, async (tx) => {
    const asOf = query.asOf ?? todayInShanghai();
    const supplierId = query.supplierId ?? null;
    // Open as of the date: settlements dated after it do not count yet.
    const invoices = await tx.$queryRaw<{ supplierId: string; date: string; open: string }[]>`
      SELECT i.supplier_id::text AS "supplierId", to_char(i.invoice_date, 'YYYY-MM-DD') AS date,
             (i.total_amount - COALESCE((SELECT SUM(s.amount) FROM payable_settlement s WHERE s.invoice_id = i.id AND s.settled_on <= ${asOf}::date), 0))::text AS open
        FROM purchase_invoice i
       WHERE i.invoice_date <= ${asOf}::date AND (${supplierId}::uuid IS NULL OR i.supplier_id = ${supplierId}::uuid)`;
    const payments = await tx.$queryRaw<{ supplierId: string; open: string }[]>`
      SELECT p.supplier_id::text AS "supplierId",
             (p.amount - COALESCE((SELECT SUM(s.payment_amount) FROM payable_settlement s WHERE s.payment_id = p.id AND s.settled_on <= ${asOf}::date), 0))::text AS open
        FROM supplier_payment p
       WHERE p.paid_on <= ${asOf}::date AND (${supplierId}::uuid IS NULL OR p.supplier_id = ${supplierId}::uuid)`;
    // 红字发票 not yet set off against an invoice: owed by the supplier, like an unsettled payment.
    const credits = await tx.$queryRaw<{ supplierId: string; open: string }[]>`
      SELECT r.supplier_id::text AS "supplierId",
             (r.total_amount - COALESCE((SELECT SUM(s.amount) FROM payable_settlement s WHERE s.red_invoice_id = r.id AND s.settled_on <= ${asOf}::date), 0))::text AS open
        FROM purchase_red_invoice r
       WHERE r.invoice_date <= ${asOf}::date AND (${supplierId}::uuid IS NULL OR r.supplier_id = ${supplierId}::uuid)`;
    const ids = [...new Set([...invoices, ...payments, ...credits].map((r) => r.supplierId))];
    const suppliers = await tx.supplier.findMany({ where: { id: { in: ids } }, select: { id: true, code: true, name: true, paymentTermDays: true }, orderBy: { code: 'asc' } });
    const zero = () => ({ openInvoices: new Decimal(0), unsettledPayments: new Decimal(0), unsettledCredits: new Decimal(0), overdue: new Decimal(0), aging: { days0to30: new Decimal(0), days31to60: new Decimal(0), days61to90: new Decimal(0), over90: new Decimal(0) } });
    const acc = new Map(suppliers.map((s) => [s.id, zero()]));
    const termOf = new Map(suppliers.map((s) => [s.id, s.paymentTermDays]));
    for (const i of invoices) {
      const a = acc.get(i.supplierId)!;
      const open = new Decimal(i.open);
      if (open.isZero()) continue;
      const days = daysBetween(i.date, asOf);
      a.openInvoices = a.openInvoices.plus(open);
      a.aging[agingBucket(days)] = a.aging[agingBucket(days)].plus(open);
      if (days > (termOf.get(i.supplierId) ?? 0)) a.overdue = a.overdue.plus(open);
    }
    for (const p of payments) acc.get(p.supplierId)!.unsettledPayments = acc.get(p.supplierId)!.unsettledPayments.plus(p.open);
    for (const c of credits) acc.get(c.supplierId)!.unsettledCredits = acc.get(c.supplierId)!.unsettledCredits.plus(c.open);
    const total = zero();
    const items = suppliers.flatMap((s) => {
      const a = acc.get(s.id)!;
      if (a.openInvoices.isZero() && a.unsettledPayments.isZero() && a.unsettledCredits.isZero()) return [];
      total.openInvoices = total.openInvoices.plus(a.openInvoices);
      total.unsettledPayments = total.unsettledPayments.plus(a.unsettledPayments);
      total.unsettledCredits = total.unsettledCredits.plus(a.unsettledCredits);
      total.overdue = total.overdue.plus(a.overdue);
      for (const k of Object.keys(a.aging) as AgingBucket[]) total.aging[k] = total.aging[k].plus(a.aging[k]);
      return [{ supplier: { id: s.id, code: s.code, name: s.name }, ...row(a) }];
    });
    return { asOf, items, totals: row(total) };
  });
}

function row(a: { openInvoices: Decimal; unsettledPayments: Decimal; unsettledCredits: Decimal; overdue: Decimal; aging: Record<AgingBucket, Decimal> }) {
  return {
    openInvoices: fixed(a.openInvoices), unsettledPayments: fixed(a.unsettledPayments), unsettledCredits: fixed(a.unsettledCredits),
    balance: fixed(a.openInvoices.minus(a.unsettledPayments).minus(a.unsettledCredits)),
    aging: { days0to30: fixed(a.aging.days0to30), days31to60: fixed(a.aging.days31to60), days61to90: fixed(a.aging.days61to90), over90: fixed(a.aging.over90) },
    overdue: fixed(a.overdue),
  };
}

export async function supplierStatement(ctx: UseCaseContext, supplierId: string, query: StatementQuery): Promise<SupplierStatement> {
  return runUseCase(ctx, (tx) => statementIn(tx, supplierId, query));
}

const KIND_LABELS = { invoice: '发票', payment: '付款', redInvoice: '退货红字发票' } as const;

async function statementIn(tx: Tx, supplierId: string, query: StatementQuery): Promise<SupplierStatement> {
  const supplier = await tx.supplier.findFirst({ where: { id: supplierId }, select: { id: true, code: true, name: true } });
  if (!supplier) throw notFound('供应商');
  const [opening] = await tx.$queryRaw<{ opening: string }[]>`
    SELECT ((SELECT COALESCE(SUM(total_amount), 0) FROM purchase_invoice WHERE supplier_id = ${supplierId}::uuid AND invoice_date < ${query.dateFrom}::date)
          - (SELECT COALESCE(SUM(total_amount), 0) FROM purchase_red_invoice WHERE supplier_id = ${supplierId}::uuid AND invoice_date < ${query.dateFrom}::date)
          - (SELECT COALESCE(SUM(amount), 0) FROM supplier_payment WHERE supplier_id = ${supplierId}::uuid AND paid_on < ${query.dateFrom}::date))::text AS opening`;
  const moves = await tx.$queryRaw<{ date: string; kind: 'invoice' | 'payment' | 'redInvoice'; id: string; number: string; invoiceNo: string | null; summary: string; increase: string; decrease: string }[]>`
    SELECT to_char(invoice_date, 'YYYY-MM-DD') AS date, 'invoice' AS kind, id::text, number, invoice_no AS "invoiceNo",
           CASE invoice_type WHEN 'special' THEN '增值税专用发票' ELSE '普通发票' END || COALESCE(' ' || remark, '') AS summary,
           total_amount::text AS increase, '0' AS decrease
      FROM purchase_invoice WHERE supplier_id = ${supplierId}::uuid AND invoice_date BETWEEN ${query.dateFrom}::date AND ${query.dateTo}::date
    UNION ALL
    SELECT to_char(paid_on, 'YYYY-MM-DD'), 'payment', id::text, number, NULL,
           '付款' || CASE WHEN advance_amount > 0 THEN '（含预付 ' || advance_amount::text || '）' ELSE '' END || COALESCE(' ' || remark, ''),
           '0', amount::text
      FROM supplier_payment WHERE supplier_id = ${supplierId}::uuid AND paid_on BETWEEN ${query.dateFrom}::date AND ${query.dateTo}::date
    UNION ALL
    SELECT to_char(r.invoice_date, 'YYYY-MM-DD'), 'redInvoice', r.id::text, r.number, r.red_invoice_no,
           '退货 ' || t.number || ' 冲减发票 ' || i.invoice_no, (-r.total_amount)::text, '0'
      FROM purchase_red_invoice r JOIN purchase_return t ON t.id = r.return_id JOIN purchase_invoice i ON i.id = r.original_invoice_id
     WHERE r.supplier_id = ${supplierId}::uuid AND r.invoice_date BETWEEN ${query.dateFrom}::date AND ${query.dateTo}::date
    ORDER BY date, kind, number`;
  let balance = new Decimal(opening!.opening);
  let up = new Decimal(0);
  let down = new Decimal(0);
  const lines = moves.map((m) => {
    balance = balance.plus(m.increase).minus(m.decrease);
    up = up.plus(m.increase);
    down = down.plus(m.decrease);
    return { ...m, kindLabel: KIND_LABELS[m.kind], increase: fixed(m.increase), decrease: fixed(m.decrease), balance: fixed(balance) };
  });
  return {
    supplier, dateFrom: query.dateFrom, dateTo: query.dateTo, opening: fixed(opening!.opening), lines,
    totalIncrease: fixed(up), totalDecrease: fixed(down), closing: fixed(balance),
    closingLabel: balance.gt(0) ? '应付供应商' : balance.lt(0) ? '供应商欠款（可抵扣）' : '已结清',
  };
}

type SheetRow = { date: string; kindLabel: string; number: string; invoiceNo: string | null; summary: string; increase: string; decrease: string; balance: string };

const statementColumns: Column<SheetRow>[] = [
  { key: 'date', header: '日期', width: 12, value: (r) => r.date },
  { key: 'kind', header: '类型', value: (r) => r.kindLabel },
  { key: 'number', header: '单号', width: 18, value: (r) => r.number },
  { key: 'invoiceNo', header: '发票号码', width: 24, value: (r) => r.invoiceNo },
  { key: 'summary', header: '摘要', width: 30, value: (r) => r.summary },
  { key: 'increase', header: '应付增加', width: 14, value: (r) => r.increase },
  { key: 'decrease', header: '付款', width: 14, value: (r) => r.decrease },
  { key: 'balance', header: '余额', width: 14, value: (r) => r.balance },
];

/** 对账单 as an Excel sheet: the opening balance, every invoice and payment of the range, the totals and the closing balance. */
export async function exportSupplierStatement(ctx: UseCaseContext, supplierId: string, query: StatementQuery): Promise<{ fileName: string; buffer: Buffer }> {
  const s = await supplierStatement(ctx, supplierId, query);
  const blank = { number: '', invoiceNo: null, increase: '', decrease: '' };
  const rows: SheetRow[] = [
    { ...blank, date: s.dateFrom, kindLabel: '', summary: `期初余额（${s.supplier.name}）`, balance: s.opening },
    ...s.lines,
    { ...blank, date: s.dateTo, kindLabel: '', summary: `本期合计（期末：${s.closingLabel}）`, increase: s.totalIncrease, decrease: s.totalDecrease, balance: s.closing },
  ];
  return { fileName: `对账单-${s.supplier.code}-${s.dateFrom}至${s.dateTo}.xlsx`, buffer: await writeWorkbook('对账单', statementColumns, rows) };
}
