// 应收 <客户>: the customer's open invoices and overdue amount, as the asker may see them (a
// salesperson only their own customers: the same scope as the customer API). Amounts go to the
// asker alone when asked in a group.
import { customerReceivables } from '../../server/modules/sales/index.ts';
import { can } from '../../server/platform/actor.ts';
import type { InboundMessage } from '../../server/platform/channels.ts';
import type { UseCaseContext } from '../../server/platform/services.ts';
import { miniAppUrl } from '../cards/format.ts';
import type { BotReply } from './run.ts';

const yuan = (v: string) => `¥${Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const SHOWN = 10;

export async function receivablesReply(ctx: UseCaseContext, msg: InboundMessage, customer: string, baseUrl: string | undefined, noPermission: string): Promise<BotReply> {
  if (!can(ctx.actor, 'salesInvoice:read')) return { text: noPermission };
  const r = await customerReceivables(ctx, customer);
  // Not found and outside the asker's scope read the same (existence does not leak).
  if (!r) return { text: `没有找到客户「${customer}」，或你无权查看` };
  const head = `${r.customer.name}（${r.customer.code}）应收：未核销 ${yuan(r.open)}，其中逾期 ${yuan(r.overdue)}`;
  const lines = r.invoices.slice(0, SHOWN).map((i) =>
    `• ${i.number}${i.invoiceNo ? `（${i.invoiceNo}）` : ''} 开票 ${i.invoiceDate} 到期 ${i.dueDate} 未收 ${yuan(i.open)}${i.overdueDays > 0 ? ` 逾期 ${i.overdueDays} 天` : ''}`);
  const more = r.invoices.length > SHOWN ? [`……另有 ${r.invoices.length - SHOWN} 张发票`] : [];
  const receipts = Number(r.unmatchedReceipts) > 0 ? [`未核销收款（含预收）${yuan(r.unmatchedReceipts)}`] : [];
  const credits = Number(r.unsettledCredits) > 0 ? [`红字发票未抵扣：应退客户 ${yuan(r.unsettledCredits)}`] : [];
  const text = [head, ...(r.invoices.length ? lines : ['没有未核销的发票']), ...more, ...receipts, ...credits, `对账单：${miniAppUrl(baseUrl, `receivables/${r.customer.id}`)}`].join('\n');
  if (msg.chatType === 'group') return { text, privateToAsker: true, groupPointer: `已私信发送给 @${ctx.actor.name}` };
  return { text };
}
