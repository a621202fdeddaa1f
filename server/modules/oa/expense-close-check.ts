// 结账前检查 (费用报销): claims approved in the month (the day of their 'approve' audit record, the
// day the approval's voucher is dated) without the approval's voucher, and claims paid in the month
// without the payment's voucher.
import { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../db/transaction.ts';
import { noVoucher, type UnpostedDocument } from '../finance/index.ts';

export async function unpostedExpenseClaims(tx: Tx, period: string): Promise<UnpostedDocument[]> {
  return tx.$queryRaw<UnpostedDocument[]>`
    SELECT '费用报销单' AS label, c.number FROM expense_claim c
     WHERE c.state IN ('confirmed', 'closed') AND c.total_amount <> 0
       AND EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'expenseClaim' AND a.entity_id = c.id::text AND a.action = 'approve'
                    AND to_char(a.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${period})
       AND ${noVoucher('expenseClaim', Prisma.sql`c.id`)}
    UNION ALL
    SELECT '费用报销单（付款）', c.number FROM expense_claim c
     WHERE c.paid_on IS NOT NULL AND to_char(c.paid_on, 'YYYY-MM') = ${period} AND c.total_amount <> 0
       AND ${noVoucher('expenseClaimPayment', Prisma.sql`c.id`)}
    ORDER BY 1, 2`;
}
