// 逾期应收周提醒: once a week, each salesperson whose customers have overdue invoices gets ONE digest
// (outbox event `receivables.overdueDigest`, planned to their chat identities like the boss's card).
// The ISO week is the rate limit and the idempotency key (aggregate_id = 'YYYY-Www:<user>'): a
// company's run takes a transaction-scoped advisory lock and skips whoever already has this week's
// event, so reruns and several processes write it once.
import { Decimal } from 'decimal.js';
import type { Database } from '../../../db/database.ts';
import { inCompany } from '../../../db/transaction.ts';
import { todayInShanghai } from '../support.ts';

export const OVERDUE_DIGEST_EVENT = 'receivables.overdueDigest';
/** Monday from this time (Asia/Shanghai) on; any later run in the week sends what is still due. */
const DIGEST_TIME = '09:00';

/** ISO 8601 week of a YYYY-MM-DD day: '2026-W50' (weeks start Monday; week 1 holds the year's first Thursday). */
export function isoWeekKey(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // that week's Thursday decides the year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

interface OverdueRow {
  owner_id: string;
  customer_id: string;
  customer_name: string;
  number: string;
  invoice_no: string | null;
  due_date: string;
  open: string;
  overdue_days: number;
}

/** Writes this week's digest for every salesperson with overdue receivables who has none yet; returns how many. */
export async function scheduleOverdueDigests(database: Pick<Database, 'app' | 'system'>, now: Date = new Date()): Promise<number> {
  const today = todayInShanghai(now);
  const shanghai = new Date(now.getTime() + 8 * 3_600_000);
  if (shanghai.getUTCDay() === 1 && shanghai.toISOString().slice(11, 16) < DIGEST_TIME) return 0;
  const week = isoWeekKey(today);
  const companies = await database.system.$queryRaw<{ id: string }[]>`SELECT id::text FROM company`;
  let written = 0;
  for (const { id: companyId } of companies) {
    written += await inCompany(database.app, companyId, async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`overdue-digest:${companyId}`}))`;
      const rows = await tx.$queryRaw<OverdueRow[]>`
        SELECT c.owner_id::text, c.id::text AS customer_id, c.name AS customer_name, i.number, i.invoice_no, i.due_date::text AS due_date,
               (i.amount_with_tax - i.matched_amount)::text AS open, (${today}::date - i.due_date)::int AS overdue_days
          FROM sales_invoice i JOIN customer c ON c.id = i.customer_id JOIN app_user u ON u.id = c.owner_id AND u.active
         WHERE i.state = 'issued' AND i.due_date < ${today}::date AND i.matched_amount < i.amount_with_tax
           AND NOT EXISTS (SELECT 1 FROM outbox_event e WHERE e.type = ${OVERDUE_DIGEST_EVENT} AND e.aggregate_id = ${week} || ':' || c.owner_id::text)
         ORDER BY c.owner_id, c.name, i.due_date, i.number`;
      const byOwner = new Map<string, OverdueRow[]>();
      for (const r of rows) byOwner.set(r.owner_id, [...(byOwner.get(r.owner_id) ?? []), r]);
      for (const [userId, list] of byOwner) {
        await tx.$executeRaw`
          INSERT INTO outbox_event (company_id, type, aggregate, aggregate_id, payload)
          VALUES (${companyId}::uuid, ${OVERDUE_DIGEST_EVENT}, 'user', ${`${week}:${userId}`}, ${JSON.stringify(digestPayload(week, today, userId, list))}::jsonb)`;
      }
      return byOwner.size;
    });
  }
  return written;
}

function digestPayload(week: string, asOf: string, userId: string, rows: OverdueRow[]) {
  const customers: { customerId: string; customerName: string; overdue: string; invoices: { number: string; invoiceNo: string | null; dueDate: string; open: string; overdueDays: number }[] }[] = [];
  for (const r of rows) {
    let c = customers.at(-1);
    if (c?.customerId !== r.customer_id) customers.push((c = { customerId: r.customer_id, customerName: r.customer_name, overdue: '0.00', invoices: [] }));
    c.invoices.push({ number: r.number, invoiceNo: r.invoice_no, dueDate: r.due_date, open: r.open, overdueDays: r.overdue_days });
  }
  for (const c of customers) c.overdue = c.invoices.reduce((s, i) => s.plus(i.open), new Decimal(0)).toFixed(2);
  const total = customers.reduce((s, c) => s.plus(c.overdue), new Decimal(0)).toFixed(2);
  return { week, asOf, userId, total, customers };
}

export interface OverdueDigestScheduler {
  stop(): void;
}

/** Checks every hour (the bot worker's process runs it). */
export function startOverdueDigestScheduler(database: Pick<Database, 'app' | 'system'>, log: { error(obj: object, msg?: string): void }, everyMs = 3_600_000): OverdueDigestScheduler {
  const timer = setInterval(() => {
    scheduleOverdueDigests(database).catch((err: unknown) => log.error({ err }, '逾期应收周提醒排程出错，下一小时重试'));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
