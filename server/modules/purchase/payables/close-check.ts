// 结账前检查 (应付): the month's purchase invoices and supplier payments without their voucher.
import { Prisma } from '../../../generated/prisma/client.ts';
import type { Tx } from '../../../db/transaction.ts';
import { noVoucher, type UnpostedDocument } from '../../finance/index.ts';

export async function unpostedPayables(tx: Tx, period: string): Promise<UnpostedDocument[]> {
  return tx.$queryRaw<UnpostedDocument[]>`
    SELECT '采购发票' AS label, i.number FROM purchase_invoice i
     WHERE to_char(i.invoice_date, 'YYYY-MM') = ${period} AND i.total_amount <> 0 AND ${noVoucher('purchaseInvoice', Prisma.sql`i.id`)}
    UNION ALL
    SELECT '付款单', p.number FROM supplier_payment p
     WHERE to_char(p.paid_on, 'YYYY-MM') = ${period} AND p.amount <> 0 AND ${noVoucher('supplierPayment', Prisma.sql`p.id`)}
    ORDER BY 1, 2`;
}
