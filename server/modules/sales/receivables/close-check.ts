// 结账前检查 (应收): the month's issued invoices that book something (预开票 or free lines — an invoice
// of goods already delivered posts nothing, its revenue and 销项 were booked at shipment) and its
// receipts (an 订单预收款's receipt posts through the advance), each without its voucher.
import { Prisma } from '../../../generated/prisma/client.ts';
import type { Tx } from '../../../db/transaction.ts';
import { noVoucher, type UnpostedDocument } from '../../finance/index.ts';

export async function unpostedReceivables(tx: Tx, period: string): Promise<UnpostedDocument[]> {
  const rows = await tx.$queryRaw<UnpostedDocument[]>`
    SELECT '销售发票' AS label, i.number FROM sales_invoice i
     WHERE i.state = 'issued' AND to_char(i.invoice_date, 'YYYY-MM') = ${period}
       AND (i.billed_ahead <> 0 OR EXISTS (SELECT 1 FROM sales_invoice_line l WHERE l.invoice_id = i.id AND l.order_line_id IS NULL AND l.amount_with_tax <> 0))
       AND ${noVoucher('salesInvoice', Prisma.sql`i.id`)}
    UNION ALL
    SELECT '收款单', r.number FROM customer_receipt r
     WHERE to_char(r.received_on, 'YYYY-MM') = ${period} AND r.amount <> 0 AND ${noVoucher('customerReceipt', Prisma.sql`r.id`)}
       -- an 订单预收款's receipt: its voucher is the advance's
       AND NOT EXISTS (SELECT 1 FROM advance_receipt a WHERE a.customer_receipt_id = r.id AND NOT ${noVoucher('advanceReceipt', Prisma.sql`a.id`)})
    ORDER BY 1, 2`;
  return rows;
}
