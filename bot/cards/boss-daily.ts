// 老板日报 card: the day's sales, receipts, payments, cash and the most overdue customers (from a
// `finance.bossDaily` outbox payload, the same figures as the boss's dashboard page).
import type { CardView } from '../../server/platform/channels.ts';
import type { BossDailyPayload } from '../../server/modules/notices/index.ts';
import { formatAmount, miniAppUrl } from './format.ts';
import type { CardOptions } from './shortage.ts';

export function bossDailyCard(p: BossDailyPayload, opts: CardOptions = {}): CardView {
  const overdue = p.overdueReceivables.length
    ? p.overdueReceivables.map((o, i) => `${i + 1}. ${o.customerName} ${formatAmount(o.amount)}`).join('\n')
    : '无';
  return {
    title: `经营日报 ${p.date}`,
    tone: 'info',
    fields: [
      { label: '今日发货（不含税）', value: formatAmount(p.sales) },
      { label: '今日收款', value: formatAmount(p.receipts) },
      { label: '今日付款', value: formatAmount(p.payments) },
      { label: '资金余额', value: formatAmount(p.cashBalance) },
      { label: '逾期应收前 5', value: overdue },
    ],
    link: { text: '查看老板看板', url: miniAppUrl(opts.baseUrl, 'boss') },
    footer: '云桥 · 财务',
  };
}
