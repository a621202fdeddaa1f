// 跟进提醒 card: the customer (or lead) to get in touch with today and what was said last time,
// from a `crm.followUpDue` outbox payload (one per follow-up on its next contact day).
import type { CardView } from '../../server/platform/channels.ts';
import type { FollowUpDuePayload } from '../../server/modules/notices/index.ts';
import { miniAppUrl } from './format.ts';
import type { CardOptions } from './shortage.ts';

export function followUpDueCard(p: FollowUpDuePayload, opts: CardOptions = {}): CardView {
  const who = p.customerName ?? p.leadCompany ?? '';
  const route = p.customerId ? `customers/${p.customerId}` : p.leadId ? `leads/${p.leadId}` : 'customers';
  return {
    title: `今日跟进：${who}`,
    tone: 'info',
    fields: [
      { label: '上次跟进', value: `${p.lastOn} ${p.type}` },
      { label: '内容', value: p.content },
    ],
    link: { text: '打开客户', url: miniAppUrl(opts.baseUrl, route) },
    footer: `云桥 · 跟进提醒（${p.date}）`,
  };
}
