// 足缺料分析 over the released and in-progress production tasks, and the `production.shortage` alert.
//
// The analysis (read): the tasks' unissued kit materials, free stock (inventory) and open purchase
// supply (purchase) through those modules, allocated by the pure rules (shortage-rules.ts).
//
// The alert (write, in the transaction of the change): after a stock move, a reservation, a task's
// release, issue or receipt, the analysis runs again and each task that is short now but was not is
// flipped in production_task_shortage and writes one `production.shortage` event; a task that is
// covered again is flipped back, so it alerts again the next time it goes short. Cost: a stock move
// of items no open task needs costs one indexed EXISTS and nothing else. Races: the flips take the
// state rows with FOR UPDATE SKIP LOCKED — a row another transaction is flipping is left to it (it
// saw the same change or a later one) — so a stock move never waits on another's state rows and two
// moves cannot deadlock through them; at worst an alert lost to a rolled-back flip comes with the
// next change of the task's materials.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { KITTING_ARRIVAL_LABELS, PRODUCTION_TASK_STATE_LABELS, type ShortageAnalysisQuery, type ShortageTask } from '../../../../shared/schemas/manufacturing.ts';
import { emitEvent } from '../../../platform/outbox.ts';
import type { Page } from '../../../platform/listing.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { dateOnlyOf } from '../../finance/index.ts';
import { freeStockOf } from '../../inventory/index.ts';
import { openPurchaseSupply } from '../../purchase/index.ts';
import { bomItemRef, bomItemsById } from '../bom/service.ts';
import { allocateShortages, type TaskAllocation } from './shortage-rules.ts';

const OPEN_STATES = ['released', 'inProgress'] as const;

async function analyse(tx: Tx) {
  const tasks = await tx.productionTask.findMany({
    where: { state: { in: [...OPEN_STATES] } },
    include: { materials: { where: { issueMethod: 'kit' }, orderBy: { lineNo: 'asc' } } },
    orderBy: [{ plannedStart: 'asc' }, { number: 'asc' }],
  });
  const inputs = tasks.map((t) => ({
    taskId: t.id, number: t.number, plannedStart: dateOnlyOf(t.plannedStart),
    materials: t.materials.map((m) => ({ itemId: m.itemId, required: m.requiredQuantity.minus(m.issuedQuantity).toString() })).filter((m) => new Decimal(m.required).gt(0)),
  })).filter((t) => t.materials.length);
  const itemIds = [...new Set(inputs.flatMap((t) => t.materials.map((m) => m.itemId)))];
  const [free, supply] = await Promise.all([
    freeStockOf(tx, itemIds),
    openPurchaseSupply(tx, itemIds).then((rows) => rows.map((s) => ({ itemId: s.itemId, date: s.promisedDate, quantity: s.quantity, ref: s.orderNumber }))),
  ]);
  return { tasks: new Map(tasks.map((t) => [t.id, t])), allocations: allocateShortages(inputs, free, supply) };
}

/** 足缺料分析: every released / in-progress task with unissued kit materials, in the order they start. */
export async function shortageAnalysis(ctx: UseCaseContext, query: ShortageAnalysisQuery): Promise<Page<ShortageTask>> {
  return runUseCase(ctx, async (tx) => {
    const { tasks, allocations } = await analyse(tx);
    const items = await bomItemsById(tx, [...new Set([...tasks.values()].map((t) => t.itemId).concat(allocations.flatMap((a) => a.materials.map((m) => m.itemId))))]);
    const q = query.q?.toLowerCase();
    let rows = allocations.filter((a) => !query.shortOnly || !a.complete);
    if (q) {
      rows = rows.filter((a) => {
        const t = tasks.get(a.taskId)!;
        const i = items.get(t.itemId);
        return [t.number, i?.code, i?.name].some((s) => s?.toLowerCase().includes(q));
      });
    }
    if (query.sort === '-plannedStart') rows.reverse();
    const page = query.page;
    const pageSize = query.pageSize;
    const shown = rows.slice((page - 1) * pageSize, page * pageSize).map((a): ShortageTask => {
      const t = tasks.get(a.taskId)!;
      const rank = (m: TaskAllocation['materials'][number]) => (new Decimal(m.short).gt(0) ? 0 : 1);
      return {
        task: {
          id: t.id, number: t.number, item: bomItemRef(items.get(t.itemId), t.itemId), quantity: t.quantity.toFixed(4), plannedStart: dateOnlyOf(t.plannedStart),
          state: t.state, stateLabel: PRODUCTION_TASK_STATE_LABELS[t.state],
        },
        complete: a.complete, statusLabel: a.complete ? '齐套' : '缺料',
        materials: a.materials.map((m, i) => ({ m, i })).sort((x, y) => rank(x.m) - rank(y.m) || x.i - y.i).map(({ m }) => ({
          item: bomItemRef(items.get(m.itemId), m.itemId), required: m.required, allocated: m.allocated, short: m.short,
          arrival: { status: m.arrival.status, statusLabel: KITTING_ARRIVAL_LABELS[m.arrival.status], date: m.arrival.date, label: m.arrival.label, orders: m.arrival.refs },
        })),
      };
    });
    return { items: shown, total: rows.length, page, pageSize };
  });
}

/** Does any open task still have these items to issue by kit? The gate that keeps unrelated stock moves cheap. */
async function neededByOpenTasks(tx: Tx, itemIds: readonly string[]): Promise<boolean> {
  if (!itemIds.length) return false;
  const [row] = await tx.$queryRaw<{ needed: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM production_task_material m JOIN production_task t ON t.id = m.task_id
       WHERE m.item_id = ANY(${[...new Set(itemIds)]}::uuid[]) AND m.issue_method = 'kit' AND m.required_quantity > m.issued_quantity
         AND t.state IN ('released', 'in_progress')) AS needed`;
  return row?.needed ?? false;
}

/**
 * The re-check after a change: with `itemIds`, only when an open task needs one of them. Newly short
 * tasks write `production.shortage` (one each); covered ones are reset so their next shortage alerts.
 */
export async function recheckProductionShortages(tx: Tx, companyId: string, itemIds?: readonly string[]): Promise<void> {
  if (itemIds && !(await neededByOpenTasks(tx, itemIds))) return;
  const { tasks, allocations } = await analyse(tx);
  if (!allocations.length) return;
  const short = allocations.filter((a) => !a.complete).map((a) => a.taskId).sort();
  const covered = allocations.filter((a) => a.complete).map((a) => a.taskId).sort();
  // a task released before this table existed gets its row here (release writes it otherwise)
  await tx.$executeRaw`
    INSERT INTO production_task_shortage (task_id, company_id, short, changed_at)
    SELECT id, ${companyId}::uuid, false, now() FROM unnest(${allocations.map((a) => a.taskId)}::uuid[]) AS id
    ON CONFLICT (task_id) DO NOTHING`;
  if (covered.length) {
    await tx.$executeRaw`
      WITH cand AS (SELECT task_id FROM production_task_shortage WHERE task_id = ANY(${covered}::uuid[]) AND short ORDER BY task_id FOR UPDATE SKIP LOCKED)
      UPDATE production_task_shortage s SET short = false, changed_at = now() FROM cand WHERE s.task_id = cand.task_id`;
  }
  if (!short.length) return;
  const flipped = await tx.$queryRaw<{ task_id: string }[]>`
    WITH cand AS (SELECT task_id FROM production_task_shortage WHERE task_id = ANY(${short}::uuid[]) AND NOT short ORDER BY task_id FOR UPDATE SKIP LOCKED)
    UPDATE production_task_shortage s SET short = true, changed_at = now() FROM cand WHERE s.task_id = cand.task_id
    RETURNING s.task_id::text`;
  if (!flipped.length) return;
  const byTask = new Map(allocations.map((a) => [a.taskId, a]));
  const ids = flipped.map((f) => f.task_id).sort();
  const items = await bomItemsById(tx, [...new Set(ids.flatMap((id) => [tasks.get(id)!.itemId, ...byTask.get(id)!.materials.map((m) => m.itemId)]))]);
  for (const id of ids) {
    const t = tasks.get(id)!;
    const a = byTask.get(id)!;
    const product = items.get(t.itemId);
    await emitEvent(tx, companyId, {
      type: 'production.shortage', aggregate: 'productionTask', aggregateId: id,
      payload: {
        taskId: id, number: t.number, itemCode: product?.code ?? '?', itemName: product?.name ?? '?', plannedStart: dateOnlyOf(t.plannedStart),
        lines: a.materials.filter((m) => new Decimal(m.short).gt(0)).map((m) => {
          const i = items.get(m.itemId);
          return { itemId: m.itemId, code: i?.code ?? '?', name: i?.name ?? '?', unit: i?.baseUnit.name ?? null, short: m.short, arrivalDate: m.arrival.date, arrivalLabel: m.arrival.label };
        }),
      },
    });
  }
}
