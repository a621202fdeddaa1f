// 通知卡片: what each planned notice looks like. The server's notices module decides who gets a
// notice for which event (server/modules/notices/planning.ts, under each company's row-level
// security); the bot draws the card. planDeliveries is that planner with these cards.
import type { Database } from '../../server/db/database.ts';
import { planNotices, type NoticeSubject, type PlanOptions, type RenderedNotice } from '../../server/modules/notices/index.ts';
import { approvalCard } from '../cards/approval.ts';
import { bossDailyCard } from '../cards/boss-daily.ts';
import { customerStatementCard } from '../cards/customer-statement.ts';
import { expensePaidCard } from '../cards/expense-paid.ts';
import { followUpDueCard } from '../cards/follow-up-due.ts';
import { mrpCompletedCard } from '../cards/mrp.ts';
import { orderProgressCard } from '../cards/order-progress.ts';
import { overdueDigestCard } from '../cards/overdue-digest.ts';
import { shortageNoticeCard } from '../cards/production-shortage.ts';
import { inspectionDueCard } from '../cards/quality.ts';
import { cardToText } from '../cards/text.ts';
import type { CardView } from '../../server/platform/channels.ts';
import { approvalCardFacts } from '../approvals/facts.ts';

function cardOf(subject: NoticeSubject, baseUrl: string | undefined): CardView {
  switch (subject.kind) {
    case 'shortage':
      return shortageNoticeCard(subject.payloads, subject.tasks ?? [], { baseUrl });
    case 'orderProgress':
      return orderProgressCard(subject.payload, { baseUrl });
    case 'expensePaid':
      return expensePaidCard(subject.payload, { baseUrl });
    case 'bossDaily':
      return bossDailyCard(subject.payload, { baseUrl });
    case 'overdueDigest':
      return overdueDigestCard(subject.payload, { baseUrl });
    case 'followUpDue':
      return followUpDueCard(subject.payload, { baseUrl });
    case 'mrpCompleted':
      return mrpCompletedCard(subject.payload, { baseUrl });
    case 'inspectionDue':
      return inspectionDueCard(subject.payload, { baseUrl });
    case 'customerStatement':
      return customerStatementCard(subject.payload, { baseUrl });
    case 'approval': {
      const facts = approvalCardFacts(subject.approval);
      const card = approvalCard(subject.actionable === false ? { ...facts, actionable: false } : facts, { baseUrl });
      return subject.reminder ? { ...card, title: `【催办】${card.title}` } : card;
    }
  }
}

/** A notice's card and its text fallback. */
export function renderNotice(subject: NoticeSubject, opts: { baseUrl?: string }): RenderedNotice {
  const card = cardOf(subject, opts.baseUrl);
  return { card, text: cardToText(card) };
}

/** Plans due notice events into deliveries with the bot's cards; returns how many events. */
export function planDeliveries(database: Pick<Database, 'app' | 'system'>, opts: Omit<PlanOptions, 'render'> = {}): Promise<number> {
  return planNotices(database, { ...opts, render: renderNotice });
}
