// 跟进提醒: on the next contact day, the salesperson who planned it gets a chat card (outbox event
// `crm.followUpDue`, planned to their chat identities like the overdue digest). The day is the rate
// limit and the idempotency key (aggregate_id = 'YYYY-MM-DD:<follow-up>'): a company's run takes a
// transaction-scoped advisory lock and skips follow-ups that already have the day's event, so reruns
// and several processes write each once.
import type { Database } from '../../../db/database.ts';
import { inCompany } from '../../../db/transaction.ts';
import { FOLLOW_UP_TYPE_LABELS, type FollowUpType } from '../../../../shared/enums.ts';
import { todayInShanghai } from '../../finance/index.ts';

export const FOLLOW_UP_DUE_EVENT = 'crm.followUpDue';
/** From this time (Asia/Shanghai) on; a later run that day sends what is still due. */
const REMINDER_TIME = '08:30';

interface DueRow {
  id: string;
  owner_id: string;
  customer_id: string | null;
  customer_name: string | null;
  lead_id: string | null;
  lead_company: string | null;
  type: string;
  content: string;
  created_on: string;
}

/**
 * Writes today's reminder for every follow-up whose next contact day is today and that is still
 * the customer's plan (a later follow-up with another date replaces it); returns how many.
 */
export async function scheduleFollowUpReminders(database: Pick<Database, 'app' | 'system'>, now: Date = new Date()): Promise<number> {
  const today = todayInShanghai(now);
  if (new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(11, 16) < REMINDER_TIME) return 0;
  const companies = await database.system.$queryRaw<{ id: string }[]>`SELECT id::text FROM company`;
  let written = 0;
  for (const { id: companyId } of companies) {
    written += await inCompany(database.app, companyId, async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`follow-up-due:${companyId}`}))`;
      const rows = await tx.$queryRaw<DueRow[]>`
        SELECT f.id::text, f.owner_id::text, c.id::text AS customer_id, c.name AS customer_name, l.id::text AS lead_id, l.company AS lead_company,
               f.type, f.content, to_char(f.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS created_on
          FROM follow_up f
          JOIN app_user u ON u.id = f.owner_id AND u.active
          LEFT JOIN customer c ON c.id = f.customer_id
          LEFT JOIN lead l ON l.id = f.lead_id
         WHERE f.next_contact_on = ${today}::date
           AND (c.id IS NULL OR c.next_contact_on = ${today}::date)
           AND NOT EXISTS (SELECT 1 FROM outbox_event e WHERE e.type = ${FOLLOW_UP_DUE_EVENT} AND e.aggregate_id = ${today} || ':' || f.id::text)
         ORDER BY f.created_at, f.id`;
      for (const r of rows) {
        const payload = {
          date: today, followUpId: r.id, userId: r.owner_id,
          customerId: r.customer_id, customerName: r.customer_name, leadId: r.lead_id, leadCompany: r.lead_company,
          type: FOLLOW_UP_TYPE_LABELS[r.type as FollowUpType] ?? r.type, content: r.content.slice(0, 200), lastOn: r.created_on,
        };
        await tx.$executeRaw`
          INSERT INTO outbox_event (company_id, type, aggregate, aggregate_id, payload)
          VALUES (${companyId}::uuid, ${FOLLOW_UP_DUE_EVENT}, 'followUp', ${`${today}:${r.id}`}, ${JSON.stringify(payload)}::jsonb)`;
      }
      return rows.length;
    });
  }
  return written;
}

export interface FollowUpReminderScheduler {
  stop(): void;
}

/** Checks every half hour (the bot worker's process runs it). */
export function startFollowUpReminderScheduler(database: Pick<Database, 'app' | 'system'>, log: { error(obj: object, msg?: string): void }, everyMs = 1_800_000): FollowUpReminderScheduler {
  const timer = setInterval(() => {
    scheduleFollowUpReminders(database).catch((err: unknown) => log.error({ err }, '跟进提醒排程出错，稍后重试'));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
