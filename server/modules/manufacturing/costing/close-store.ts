// What a cost close reads besides the stock ledger, in plain SQL (row-level security keeps it to the
// company): the month's 报工 hours per task, and the WIP each task's previous close left.
import type { Tx } from '../../../db/transaction.ts';

/**
 * Hours reported (报工, work_report) per production task with a work date in [firstDay, nextDay),
 * YYYY-MM-DD. Tasks without reports are absent.
 */
export async function reportedHours(tx: Tx, firstDay: string, nextDay: string): Promise<Map<string, string>> {
  const rows = await tx.$queryRaw<{ task_id: string; hours: string }[]>`
    SELECT task_id::text, sum(hours)::text AS hours FROM work_report
     WHERE work_date >= ${firstDay}::date AND work_date < ${nextDay}::date
     GROUP BY task_id HAVING sum(hours) > 0`;
  return new Map(rows.map((r) => [r.task_id, r.hours]));
}

/** The WIP the latest close before `period` left on each task (tasks never closed are absent). */
export async function openingWips(tx: Tx, period: string, taskIds: string[]): Promise<Map<string, string>> {
  if (!taskIds.length) return new Map();
  const rows = await tx.$queryRaw<{ task_id: string; wip: string }[]>`
    SELECT DISTINCT ON (l.task_id) l.task_id::text, l.wip::text
      FROM cost_close_line l JOIN cost_close c ON c.id = l.close_id
     WHERE c.period < ${period} AND l.task_id = ANY(${taskIds}::uuid[])
     ORDER BY l.task_id, c.period DESC`;
  return new Map(rows.map((r) => [r.task_id, r.wip]));
}
