// 对账单 card: a customer's statement totals for a date range, sent to the customer's group (from a
// `receivables.statement` outbox payload). Each channel escapes the text (the customer's name is user text).
import type { CardView } from '../../server/platform/channels.ts';
import type { CustomerStatementPayload } from '../../server/modules/notices/index.ts';
import { formatAmount, miniAppUrl } from './format.ts';
import type { CardOptions } from './shortage.ts';

export function customerStatementCard(p: CustomerStatementPayload, opts: CardOptions = {}): CardView {
  return {
    title: `对账单 ${p.customerName} ${p.from}–${p.to}`,
    tone: 'info',
    fields: [
      { label: '期初', value: formatAmount(p.opening) },
      { label: '本期开票', value: formatAmount(p.invoiced) },
      { label: '本期收款', value: formatAmount(p.received) },
      { label: '期末', value: formatAmount(p.closing) },
    ],
    link: { text: '查看', url: miniAppUrl(opts.baseUrl, `receivables/${encodeURIComponent(p.customerId)}?from=${p.from}&to=${p.to}`) },
    footer: '云桥 · 应收对账',
  };
}
