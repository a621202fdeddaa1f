// 成本计算 (month-end actual costing, 小企业会计准则: actual cost, no standard-cost variance account) as
// pure functions, no I/O: the month's labour and overhead pools allocated to the tasks, each task's
// actual cost, completed unit cost, WIP and the revaluation of what it received at standard cost,
// and where that revaluation goes (replaying the item's stock moves): the part still in stock, the
// part issued to another task (a component's actual cost rolls up into its parent's material:
// 逐步综合结转, components costed first), and cost of sales for the rest.
import { Decimal } from 'decimal.js';
import type { CostAllocationBasis } from '../../../../shared/enums.ts';

const fen = (v: Decimal) => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const ZERO = new Decimal(0);

/**
 * `pool` (to the fen) shared by `weights`, each share to the fen, the fens left by rounding going to
 * the largest remainders (ties to the earlier), so the shares add up to the pool exactly.
 * All weights 0 → null (nothing to allocate by).
 */
export function allocate(pool: Decimal.Value, weights: readonly Decimal.Value[]): Decimal[] | null {
  const total = weights.reduce<Decimal>((s, w) => s.plus(w), ZERO);
  const fens = new Decimal(pool).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (total.lte(0)) return fens.isZero() ? weights.map(() => ZERO) : null;
  const exact = weights.map((w) => fens.times(w).div(total));
  const floors = exact.map((e) => e.floor());
  let left = fens.minus(floors.reduce((s, f) => s.plus(f), ZERO)).toNumber();
  const order = exact.map((e, i) => ({ i, r: e.minus(floors[i]!) })).sort((a, b) => b.r.comparedTo(a.r) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(1);
    left--;
  }
  return floors.map((f) => f.div(100));
}

export interface TaskMonth {
  taskId: string;
  /** the WIP the task's previous close left */
  openingWip: Decimal.Value;
  /** materials issued to it in the month, at their document (stock) value */
  material: Decimal.Value;
  /** reported hours (报工) in the month */
  hours: Decimal.Value;
  /** finished goods received in the month */
  receivedQuantity: Decimal.Value;
  /** their provisional (standard cost) value as received */
  provisionalValue: Decimal.Value;
  /** still to receive at the month's end; 0 once the task is completed or closed */
  unreceivedQuantity: Decimal.Value;
}

export interface TaskCost {
  taskId: string;
  openingWip: Decimal;
  material: Decimal;
  labour: Decimal;
  overhead: Decimal;
  actualTotal: Decimal;
  /** actual total ÷ (received + unreceived), 6 decimals */
  unitCost: Decimal;
  completedValue: Decimal;
  wip: Decimal;
  /** completed value − provisional value */
  revaluation: Decimal;
}

export class AllocationBasisError extends Error {}

/**
 * Each task's month. Labour and overhead pools go to the tasks by their hours (basis `hours`) or by
 * their output, the quantity received in the month (`output`). Actual total = opening WIP + material
 * + labour + overhead. Rule for what was received versus what is not (WIP, 在产品):
 * - completed or closed by the month's end: everything is the cost of the goods received; WIP 0;
 * - still open: the actual total is shared between received and unreceived by quantity (each
 *   unreceived unit counts as a whole one), i.e. completed value = total × received ÷ (received +
 *   unreceived), to the fen, and WIP = total − completed value;
 * - nothing received nor left to receive: all of it stays WIP.
 * A pool with nothing to allocate by (no hours, or no output, in the month) throws AllocationBasisError.
 */
export function costTasks(tasks: readonly TaskMonth[], pools: { labour: Decimal.Value; overhead: Decimal.Value; basis: CostAllocationBasis }): TaskCost[] {
  const { labour, overhead } = allocatePools(tasks, pools);
  return tasks.map((t, i) => costTask(t, labour[i]!, overhead[i]!));
}

/** The labour and overhead pools shared by the tasks' hours or output (see costTasks). */
export function allocatePools(tasks: readonly TaskMonth[], pools: { labour: Decimal.Value; overhead: Decimal.Value; basis: CostAllocationBasis }): { labour: Decimal[]; overhead: Decimal[] } {
  const weights = tasks.map((t) => new Decimal(pools.basis === 'hours' ? t.hours : t.receivedQuantity));
  const labour = allocate(pools.labour, weights);
  const overhead = allocate(pools.overhead, weights);
  if (!labour || !overhead) {
    throw new AllocationBasisError(pools.basis === 'hours' ? '该期间没有报工工时，不能按工时分配人工和制造费用；请改按完工产量分配' : '该期间没有完工入库，不能按完工产量分配人工和制造费用；请改按报工工时分配');
  }
  return { labour, overhead };
}

/** One task's month given its labour and overhead shares (the WIP rule of costTasks). */
export function costTask(t: TaskMonth, labour: Decimal, overhead: Decimal): TaskCost {
  const openingWip = new Decimal(t.openingWip);
  const material = new Decimal(t.material);
  const actualTotal = openingWip.plus(material).plus(labour).plus(overhead);
  const received = new Decimal(t.receivedQuantity);
  const equivalent = received.plus(t.unreceivedQuantity);
  const completedValue = equivalent.isZero() ? ZERO : new Decimal(t.unreceivedQuantity).isZero() ? actualTotal : fen(actualTotal.times(received).div(equivalent));
  return {
    taskId: t.taskId, openingWip, material, labour, overhead, actualTotal,
    unitCost: equivalent.isZero() ? ZERO : actualTotal.div(equivalent).toDecimalPlaces(6, Decimal.ROUND_HALF_UP),
    completedValue, wip: actualTotal.minus(completedValue), revaluation: completedValue.minus(t.provisionalValue),
  };
}

export interface ItemMove {
  /** signed, base unit; 0 (value only) is ignored */
  quantity: Decimal.Value;
  /** the task whose receipt this is, when it is one being revalued */
  tag?: string;
  /** an outflow's destination that takes its share of the revaluation (a production task it was issued to) */
  to?: string;
}

/**
 * How much of each tagged receipt is still in stock after the item's moves, under the ledger's moving
 * average: every outflow takes the same share of everything on hand, tagged or not. Starts from the
 * item's quantity before the first move; moves in the order they happened (transfers and quality
 * changes, which leave the item's stock whole, are left out by the caller). Returns the held quantity per tag.
 */
export function heldByTag(openingQuantity: Decimal.Value, moves: readonly ItemMove[]): Map<string, Decimal> {
  return new Map([...followTags(openingQuantity, moves)].map(([tag, f]) => [tag, f.held]));
}

/**
 * heldByTag, and per tag what outflows with a destination took of it (the quantity issued to each
 * production task): so a component's revaluation follows it into the task that consumed it.
 */
export function followTags(openingQuantity: Decimal.Value, moves: readonly ItemMove[]): Map<string, { held: Decimal; to: Map<string, Decimal> }> {
  let onHand = new Decimal(openingQuantity);
  const out = new Map<string, { held: Decimal; to: Map<string, Decimal> }>();
  for (const m of moves) {
    const q = new Decimal(m.quantity);
    if (q.gt(0)) {
      onHand = onHand.plus(q);
      if (m.tag) {
        const f = out.get(m.tag) ?? { held: ZERO, to: new Map<string, Decimal>() };
        out.set(m.tag, { ...f, held: f.held.plus(q) });
      }
    } else if (q.lt(0)) {
      const taken = onHand.lte(0) ? new Decimal(1) : Decimal.min(1, q.neg().div(onHand));
      for (const [tag, f] of out) {
        const gone = f.held.times(taken);
        if (m.to) f.to.set(m.to, (f.to.get(m.to) ?? ZERO).plus(gone));
        f.held = f.held.minus(gone);
      }
      onHand = onHand.plus(q);
    }
  }
  return out;
}

/**
 * The order to cost tasks in so that a task comes after every task whose goods it consumed (their
 * revaluation is part of its material): a topological order of `feeds` (task → tasks it fed), ties
 * in the given order. BOMs have no cycles; should moves make one, the rest keep the given order.
 */
export function costingOrder(taskIds: readonly string[], feeds: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const indegree = new Map(taskIds.map((id) => [id, 0]));
  for (const [from, tos] of feeds) for (const to of tos) if (indegree.has(to) && indegree.has(from) && to !== from) indegree.set(to, indegree.get(to)! + 1);
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < taskIds.length) {
    const next = taskIds.find((id) => !done.has(id) && indegree.get(id) === 0) ?? taskIds.find((id) => !done.has(id))!;
    done.add(next);
    order.push(next);
    for (const to of feeds.get(next) ?? []) if (indegree.has(to) && to !== next) indegree.set(to, indegree.get(to)! - 1);
  }
  return order;
}

/**
 * A revaluation split between the stock still held and cost of sales by the held share of what was
 * received (to the fen; cost of sales takes the rest, so the two add up).
 */
export function splitRevaluation(revaluation: Decimal.Value, received: Decimal.Value, held: Decimal.Value): { toStock: Decimal; toCostOfSales: Decimal } {
  const total = new Decimal(revaluation);
  const r = new Decimal(received);
  const share = r.lte(0) ? ZERO : Decimal.min(1, Decimal.max(0, new Decimal(held).div(r)));
  const toStock = fen(total.times(share));
  return { toStock, toCostOfSales: total.minus(toStock) };
}

/**
 * A revaluation split by what became of the goods received: the held share to stock, each
 * destination's share (goods issued to a production task) to that task, each to the fen; cost of
 * sales takes the rest, so the parts add up.
 */
export function splitRevaluationTo(
  revaluation: Decimal.Value, received: Decimal.Value, held: Decimal.Value, to: ReadonlyMap<string, Decimal.Value>,
): { toStock: Decimal; toTasks: Map<string, Decimal>; toCostOfSales: Decimal } {
  const total = new Decimal(revaluation);
  const r = new Decimal(received);
  const shareOf = (q: Decimal.Value) => (r.lte(0) ? ZERO : fen(total.times(Decimal.min(1, Decimal.max(0, new Decimal(q).div(r))))));
  const toStock = shareOf(held);
  const toTasks = new Map([...to].map(([task, q]) => [task, shareOf(q)] as const).filter(([, v]) => !v.isZero()));
  const toCostOfSales = total.minus(toStock).minus([...toTasks.values()].reduce((s, v) => s.plus(v), ZERO));
  return { toStock, toTasks, toCostOfSales };
}
