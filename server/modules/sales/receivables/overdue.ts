// 逾期应收: issued sales invoices past their due date (开票日期 + 账期) with an open amount
// (价税合计 − 已核销). Used by order confirmation (a company setting blocks new orders) and the
// salesperson's weekly reminder.
import { Decimal } from 'decimal.js';
import type { SqlTx } from '../../../db/sql-session.ts';
import { AppError } from '../../../platform/errors.ts';
import { todayInShanghai, yuan } from '../support.ts';

export interface OverdueBlock {
  overdue: Decimal;
  oldestNumber: string;
  oldestDueDate: string;
}

/**
 * ONE statement (through the (company, customer, state) index): when the company's 财务设置 blocks
 * orders on overdue receivables, the customer's overdue total and its oldest overdue invoice; null
 * when the setting is off (the default: no row or false) or nothing is overdue.
 */
export async function overdueBlock(tx: SqlTx, customerId: string, today = todayInShanghai()): Promise<OverdueBlock | null> {
  const [row] = await tx.$queryRaw<{ number: string; due_date: string; total: string }[]>`
    SELECT number, due_date::text AS due_date, (sum(amount_with_tax - matched_amount) OVER ())::text AS total
      FROM sales_invoice
     WHERE customer_id = ${customerId}::uuid AND state = 'issued' AND due_date < ${today}::date AND matched_amount < amount_with_tax
       AND EXISTS (SELECT 1 FROM finance_settings WHERE block_overdue_orders)
     ORDER BY due_date, number
     LIMIT 1`;
  return row ? { overdue: new Decimal(row.total), oldestNumber: row.number, oldestDueDate: row.due_date } : null;
}

export function overdueRefusal(b: OverdueBlock, customerName: string): AppError {
  return new AppError(
    'CONFLICT',
    `客户 ${customerName} 有逾期应收 ${yuan(b.overdue)}（最早逾期发票 ${b.oldestNumber}，到期日 ${b.oldestDueDate}），按财务设置不能确认新订单，请先催收`,
  );
}
