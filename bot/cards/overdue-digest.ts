// 逾期应收周提醒 card: a salesperson's customers with overdue invoices, from a
// `receivables.overdueDigest` outbox payload (one a week).
import type { CardView } from '../../server/platform/channels.ts';
import type { OverdueDigestPayload } from '../../server/modules/notices/index.ts';
import { formatAmount, miniAppUrl } from './format.ts';
import type { CardOptions } from './shortage.ts';

/** Invoices listed per customer; the rest are counted (the card stays readable). */
const SHOWN = 5;

export function overdueDigestCard(p: OverdueDigestPayload, opts: CardOptions = {}): CardView {
  return {
    title: `逾期应收提醒 ${p.week}`,
    tone: 'warning',
    fields: [
      { label: '逾期合计', value: formatAmount(p.total) },
      ...p.customers.map((c) => ({
        label: `${c.customerName} ${formatAmount(c.overdue)}`,
        value: [
          ...c.invoices.slice(0, SHOWN).map((i) => `${i.number}${i.invoiceNo ? `（${i.invoiceNo}）` : ''} 到期 ${i.dueDate}，逾期 ${i.overdueDays} 天，未收 ${formatAmount(i.open)}`),
          ...(c.invoices.length > SHOWN ? [`另有 ${c.invoices.length - SHOWN} 张`] : []),
        ].join('\n'),
      })),
    ],
    link: { text: '查看应收', url: miniAppUrl(opts.baseUrl, 'receivables') },
    footer: `云桥 · 应收（截至 ${p.asOf}）`,
  };
}
