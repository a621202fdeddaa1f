// 报销已付款 card: tells the applicant their claim was paid (from an `expenseClaim.paid` outbox payload).
import type { CardView } from '../../server/platform/channels.ts';
import { formatAmount, miniAppUrl } from './format.ts';
import type { ExpensePaidPayload } from '../../server/modules/notices/index.ts';
import type { CardOptions } from './shortage.ts';

export function expensePaidCard(p: ExpensePaidPayload, opts: CardOptions = {}): CardView {
  return {
    title: `报销单 ${p.number} 已付款`,
    tone: 'success',
    fields: [
      { label: '单号', value: p.number },
      { label: '金额', value: formatAmount(p.totalAmount) },
      { label: '付款日期', value: p.paidOn },
      { label: '付款账户', value: p.account },
      { label: '付款人', value: p.paidBy },
    ],
    link: { text: '查看报销单', url: miniAppUrl(opts.baseUrl, `expense-claims/${p.claimId}`) },
    footer: '云桥 · 费用报销',
  };
}
