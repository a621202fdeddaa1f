// 老板看板: one query for the boss's page and the daily card — today's sales (the shipments' revenue,
// 不含税), today's receipts and payments, the cash balance (库存现金 + 银行存款) and the 5 customers
// most overdue. Receipts and payments are read from the vouchers (money into or out of 1001/1002,
// transfers between them left out), so they count whatever document posted them. Overdue is derived
// from the 应收账款 lines: a customer's balance less what was charged within their 账期 (receipts
// taken to settle the oldest charges first) is past due.
import type { BossDashboard } from '../../../../shared/schemas/finance-reports.ts';
import type { Tx } from '../../../db/transaction.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { todayInShanghai } from '../currencies/rates.ts';

export async function loadBossDashboard(tx: Tx, date: string): Promise<BossDashboard> {
  const [row] = await tx.$queryRaw<{ sales: string; receipts: string; payments: string; cash: string; overdue: { customerId: string; customerName: string; amount: string }[] | null }[]>`
    WITH money AS (SELECT id FROM account WHERE code IN ('1001', '1002')),
    today AS (
      SELECT l.* FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
       WHERE v.voucher_date = ${date}::date
    ),
    cash_today AS (
      -- a voucher moving money only between cash and bank is neither a receipt nor a payment
      SELECT t.debit, t.credit FROM today t
       WHERE t.account_id IN (SELECT id FROM money)
         AND EXISTS (SELECT 1 FROM today o WHERE o.voucher_id = t.voucher_id AND o.account_id NOT IN (SELECT id FROM money))
    ),
    ar AS (
      SELECT l.customer_id,
             sum(l.debit - l.credit) AS balance,
             coalesce(sum(l.debit) FILTER (WHERE v.voucher_date > ${date}::date - c.payment_term_days), 0) AS not_due
        FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id JOIN account a ON a.id = l.account_id
        JOIN customer c ON c.id = l.customer_id
       WHERE a.code LIKE '1122%' AND v.voucher_date <= ${date}::date
       GROUP BY l.customer_id
    ),
    overdue AS (
      SELECT ar.customer_id, c.name, ar.balance - ar.not_due AS amount
        FROM ar JOIN customer c ON c.id = ar.customer_id
       WHERE ar.balance - ar.not_due > 0
       ORDER BY amount DESC, c.name LIMIT 5
    )
    SELECT
      (SELECT coalesce(sum(t.credit - t.debit), 0) FROM today t JOIN voucher v ON v.id = t.voucher_id JOIN account a ON a.id = t.account_id
        WHERE v.source_type = 'shipment' AND a.code LIKE '5001%')::text AS sales,
      (SELECT coalesce(sum(debit), 0) FROM cash_today)::text AS receipts,
      (SELECT coalesce(sum(credit), 0) FROM cash_today)::text AS payments,
      (SELECT coalesce(sum(l.debit - l.credit), 0) FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id
        WHERE l.account_id IN (SELECT id FROM money) AND v.voucher_date <= ${date}::date)::text AS cash,
      (SELECT json_agg(json_build_object('customerId', customer_id::text, 'customerName', name, 'amount', to_char(amount, 'FM999999999999990.00')) ORDER BY amount DESC, name)
         FROM overdue) AS overdue`;
  const fixed = (v: string) => Number(v).toFixed(2);
  return {
    date, sales: fixed(row!.sales), receipts: fixed(row!.receipts), payments: fixed(row!.payments), cashBalance: fixed(row!.cash),
    receiptsSource: '凭证（库存现金、银行存款的收付）',
    overdueReceivables: row!.overdue ?? [],
    overdueNote: '逾期按凭证推算：客户应收余额减去账期内新增的应收（先收款冲最早的应收）；有销售发票后改按发票到期日',
  };
}

export async function getBossDashboard(ctx: UseCaseContext, date = todayInShanghai()): Promise<BossDashboard> {
  return runUseCase(ctx, (tx) => loadBossDashboard(tx, date));
}
