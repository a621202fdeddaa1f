// 坏账核销: a confirmed bad debt written off to 营业外支出 (小企业会计准则 keeps no 坏账准备). The
// invoice's open amount at the moment is taken in full, once: under the invoice's lock, so a second
// or concurrent write-off sees the first and is refused. The amount also goes into matched_amount, so
// every "open" figure (aging, reminders, 应收, credit checks, matching) stops counting it.
import { Decimal } from 'decimal.js';
import type { SalesInvoice, SalesInvoiceWriteOff } from '../../../../shared/schemas/sales/receivables.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { postDocument } from '../../finance/index.ts';
import { dateOnlyToDb, todayInShanghai } from '../support.ts';
import { getSalesInvoice } from './invoices.ts';
import { customerScopeSql } from './scope.ts';
import type { ArWriteOffPostingFacts } from './voucher.ts';

export async function writeOffSalesInvoice(ctx: UseCaseContext, id: string, input: SalesInvoiceWriteOff): Promise<SalesInvoice> {
  await runUseCase(ctx, async (tx) => {
    const [inv] = await tx.$queryRaw<{ number: string; customer_id: string; state: string; open: string; written_off: string }[]>`
      SELECT number, customer_id::text, state, (amount_with_tax - matched_amount)::text AS open, written_off_amount::text AS written_off
        FROM sales_invoice WHERE id = ${id}::uuid AND ${customerScopeSql(ctx.actor, 'sales_invoice.customer_id')} FOR UPDATE`;
    if (!inv) throw notFound('销售发票');
    if (inv.state !== 'issued') throw new AppError('CONFLICT', `发票 ${inv.number} 尚未开具，不能核销坏账`);
    if (new Decimal(inv.written_off).gt(0)) throw new AppError('CONFLICT', `发票 ${inv.number} 已核销坏账，不能重复核销`);
    const open = new Decimal(inv.open);
    if (!open.gt(0)) throw new AppError('CONFLICT', `发票 ${inv.number} 已无未收金额，无需核销坏账`);
    const date = input.date ?? todayInShanghai();
    await tx.$executeRaw`
      UPDATE sales_invoice SET written_off_amount = ${open.toFixed(2)}::numeric, matched_amount = amount_with_tax,
             written_off_on = ${dateOnlyToDb(date)}::date, write_off_reason = ${input.reason}, updated_at = now()
       WHERE id = ${id}::uuid`;
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: inv.customer_id }, select: { name: true } });
    await postDocument<ArWriteOffPostingFacts>(tx, ctx, 'arWriteOff', {
      documentId: id, documentNumber: inv.number, date, customerId: inv.customer_id, customerName: customer.name, amount: open.toFixed(2), reason: input.reason,
    });
    await recordAudit(tx, ctx, { action: 'writeOff', entity: 'salesInvoice', entityId: id, before: { open: open.toFixed(2) }, after: { writtenOffAmount: open.toFixed(2), date, reason: input.reason } });
  });
  return getSalesInvoice(ctx, id);
}
