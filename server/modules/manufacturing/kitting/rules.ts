// 齐套分析 as pure functions, no I/O: given what Q of a product needs of each component (the leaves
// of the BOM explosion, base units, scrap included), the free stock of each and the open supply
// (purchase order lines with promised dates): how many can be made now, which components limit it,
// and when each shortage is covered. The free stock of a made part or a phantom is used before its
// components are counted (netExplosion), so needs are not linear in the quantity: the
// kit-able quantity is then found by bisection over the product's unit steps.
import { Decimal } from 'decimal.js';
import type { ExplosionNode } from '../bom/rules.ts';
import { issueShare } from '../production/rules.ts';

export interface KitComponentInput {
  itemId: string;
  /** need for the whole quantity Q, base unit */
  need: string;
  /** free stock: qualified on hand − reserved, base unit (negative counts as none) */
  free: string;
  /** decimals of the component's base unit */
  precision: number;
}

export interface KitSupply {
  itemId: string;
  /** promised date YYYY-MM-DD; null = no date promised (counted after every dated line) */
  date: string | null;
  /** open quantity, base unit */
  quantity: string;
  /** the document it comes from (PO number) */
  ref: string;
}

export interface KitInput {
  /** Q, the product's base unit */
  quantity: string;
  /** decimals of the product's base unit: the kit-able quantity is rounded down to it */
  precision: number;
  components: readonly KitComponentInput[];
  supply: readonly KitSupply[];
  /**
   * Each component's need for k of the product, when it is not need × k / Q (made parts' stock
   * netted first); must not decrease as k grows. Components' `need` is then needsFor(Q).
   */
  needsFor?: (k: Decimal) => ReadonlyMap<string, Decimal>;
}

export type ArrivalStatus = 'covered' | 'arrives' | 'undated' | 'insufficient' | 'none';

export interface KitArrival {
  status: ArrivalStatus;
  /** the date cumulative dated supply covers the shortage (status 'arrives') */
  date: string | null;
  /** 「2026-12-20 到货」「无在途」… */
  label: string;
  /** the supply lines counted, in arrival order, up to the one that covers the shortage */
  supply: { ref: string; date: string | null; quantity: string }[];
}

export interface KitComponentResult {
  itemId: string;
  need: string;
  free: string;
  short: string;
  /** how many products this component's free stock allows (capped at Q) */
  kitable: string;
  limiting: boolean;
  arrival: KitArrival;
}

export interface KitResult {
  quantity: string;
  kitable: string;
  complete: boolean;
  /** the components whose free stock gives the minimum, when it is below Q */
  limiting: string[];
  components: KitComponentResult[];
  /** the day every shortage is covered by dated supply; null when complete now or some shortage is not */
  readyDate: string | null;
}

const ZERO = new Decimal(0);
const max0 = (d: Decimal) => (d.isNegative() ? ZERO : d);

/** Dated lines by date, then the undated ones, each group in the given order (stable). */
export function arrivalOrder<T extends { date: string | null }>(supply: readonly T[]): T[] {
  return supply
    .map((s, i) => ({ s, i }))
    .sort((a, b) => {
      if (a.s.date === b.s.date) return a.i - b.i;
      if (a.s.date === null) return 1;
      if (b.s.date === null) return -1;
      return a.s.date < b.s.date ? -1 : 1;
    })
    .map((x) => x.s);
}

/** When `short` of an item is covered by its open supply: the earliest day cumulative supply reaches it. */
export function arrivalOf(short: Decimal, supply: readonly KitSupply[], precision: number): KitArrival {
  if (short.lte(0)) return { status: 'covered', date: null, label: '库存足够', supply: [] };
  const lines = arrivalOrder(supply).filter((s) => new Decimal(s.quantity).gt(0));
  if (!lines.length) return { status: 'none', date: null, label: '无在途', supply: [] };
  let sum = ZERO;
  const used: KitArrival['supply'] = [];
  for (const s of lines) {
    sum = sum.plus(s.quantity);
    used.push({ ref: s.ref, date: s.date, quantity: new Decimal(s.quantity).toFixed(precision) });
    if (sum.gte(short)) {
      return s.date
        ? { status: 'arrives', date: s.date, label: `${s.date} 到货`, supply: used }
        : { status: 'undated', date: null, label: '在途未定交期', supply: used };
    }
  }
  return { status: 'insufficient', date: null, label: `在途不足，仍缺 ${short.minus(sum).toFixed(precision)}`, supply: used };
}

/**
 * The kit-able quantity: the largest k ≤ Q, rounded down to the product's precision, such that
 * every component's need for k (need × k / Q, or needsFor(k)) is within its free stock.
 */
export function kit(input: KitInput): KitResult {
  const q = new Decimal(input.quantity);
  if (q.lte(0)) throw new RangeError('quantity must be positive');
  const supplyOf = new Map<string, KitSupply[]>();
  for (const s of input.supply) supplyOf.set(s.itemId, [...(supplyOf.get(s.itemId) ?? []), s]);
  const allowsOf = input.needsFor ? bisectAllows(q, input.precision, input.needsFor) : null;
  const rows = input.components.map((c) => {
    const need = new Decimal(c.need);
    const free = max0(new Decimal(c.free));
    const allows = need.lte(0) ? q
      : allowsOf ? allowsOf(c.itemId, free)
        : Decimal.min(q, free.times(q).div(need).toDecimalPlaces(input.precision, Decimal.ROUND_DOWN));
    const short = max0(need.minus(free));
    return { c, need, free, short, allows, arrival: arrivalOf(short, supplyOf.get(c.itemId) ?? [], c.precision) };
  });
  const kitable = rows.reduce((m, r) => Decimal.min(m, r.allows), q);
  const complete = kitable.eq(q);
  const limiting = complete ? [] : rows.filter((r) => r.allows.eq(kitable)).map((r) => r.c.itemId);
  const shortRows = rows.filter((r) => r.short.gt(0));
  const readyDate = shortRows.length && shortRows.every((r) => r.arrival.status === 'arrives')
    ? shortRows.map((r) => r.arrival.date!).sort().at(-1)!
    : null;
  return {
    quantity: q.toFixed(input.precision),
    kitable: kitable.toFixed(input.precision),
    complete,
    limiting,
    components: rows.map((r) => ({
      itemId: r.c.itemId,
      need: r.need.toFixed(r.c.precision),
      free: r.free.toFixed(r.c.precision),
      short: r.short.toFixed(r.c.precision),
      kitable: r.allows.toFixed(input.precision),
      limiting: limiting.includes(r.c.itemId),
      arrival: r.arrival,
    })),
    readyDate,
  };
}

/**
 * Per component, the largest k ≤ Q (in steps of the product's unit) whose need is within its free
 * stock: a bisection over the steps, needs computed once per probed k and shared by all components.
 */
function bisectAllows(q: Decimal, precision: number, needsFor: (k: Decimal) => ReadonlyMap<string, Decimal>) {
  const step = new Decimal(1).div(new Decimal(10).pow(precision));
  const steps = q.div(step).floor().toNumber();
  const memo = new Map<number, ReadonlyMap<string, Decimal>>();
  const at = (n: number) => {
    if (!memo.has(n)) memo.set(n, needsFor(step.times(n)));
    return memo.get(n)!;
  };
  return (itemId: string, free: Decimal): Decimal => {
    const fits = (n: number) => (at(n).get(itemId) ?? ZERO).lte(free);
    if (fits(steps)) return q;
    let lo = 0;
    let hi = steps; // fits(lo), !fits(hi)
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    return step.times(lo);
  };
}

export interface NettedNeeds {
  /** need per leaf (bought parts, parts without a BOM), base unit */
  leaves: Map<string, Decimal>;
  /** free stock of made parts used instead of making them */
  fromStock: Map<string, Decimal>;
}

/**
 * Q of a product through its explosion, netting the free stock of each made part (phantoms included,
 * not the product itself) at every level before its components are counted: what stock covers is
 * not exploded, the rest is exploded again from that part (scrap and rounding per level, as made).
 * `pool` (free stock of made parts) is not changed.
 */
export function netExplosion(
  root: ExplosionNode, pool: ReadonlyMap<string, Decimal>, explodeAgain: (itemId: string, quantity: Decimal) => ExplosionNode,
): NettedNeeds {
  const left = new Map(pool);
  const leaves = new Map<string, Decimal>();
  const fromStock = new Map<string, Decimal>();
  const add = (m: Map<string, Decimal>, id: string, q: Decimal) => m.set(id, (m.get(id) ?? ZERO).plus(q));
  const walk = (n: ExplosionNode) => {
    for (const c of n.children) {
      const qty = new Decimal(c.quantity);
      if (!c.children.length) add(leaves, c.itemId, qty);
      // a phantom (跳层) too: its own stock first, the rest passed through, as MRP and a task's
      // materials do (the rule of bom/phantom.ts); it only never becomes a task of its own
      else {
        const use = Decimal.min(max0(left.get(c.itemId) ?? ZERO), qty);
        if (use.gt(0)) {
          left.set(c.itemId, (left.get(c.itemId) ?? ZERO).minus(use));
          add(fromStock, c.itemId, use);
        }
        if (use.eq(qty)) continue;
        walk(use.isZero() ? c : explodeAgain(c.itemId, qty.minus(use)));
      }
    }
  };
  walk(root);
  return { leaves, fromStock };
}

export interface KitOrderLine {
  lineId: string;
  quantity: string;
  precision: number;
  /** need per component for `quantity` (with `netted`, the need is taken from it instead) */
  components: readonly { itemId: string; need: string; precision: number }[];
  /** the line's needs for k of its product netting made parts' stock left in `stock` (netExplosion) */
  netted?: (k: Decimal, stock: ReadonlyMap<string, Decimal>) => NettedNeeds;
  /** the line's needs for k when they do not depend on stock but are not linear either (a task's issue shares) */
  needsFor?: (k: Decimal) => ReadonlyMap<string, Decimal>;
}

export interface KitOrderResult extends KitResult {
  /** made parts' stock this line counted on for its whole quantity (what earlier lines left) */
  fromStock: { itemId: string; quantity: string }[];
}

/**
 * A sales order's lines in line order, sharing the components' free stock (and made parts' stock)
 * and open supply: each line is analysed against what the earlier lines left — their kit-able
 * quantity takes its stock, their shortages take the earliest supply — so two lines never both
 * count the same stock or PO.
 */
export function kitOrder(lines: readonly KitOrderLine[], free: ReadonlyMap<string, string>, supply: readonly KitSupply[]): Map<string, KitOrderResult> {
  const stock = new Map<string, Decimal>([...free].map(([k, v]) => [k, max0(new Decimal(v))]));
  let open = arrivalOrder(supply).map((s) => ({ ...s }));
  const out = new Map<string, KitOrderResult>();
  for (const line of lines) {
    const q = new Decimal(line.quantity);
    const whole = line.netted?.(q, stock);
    const needsFor = line.netted ? (k: Decimal) => line.netted!(k, stock).leaves : line.needsFor;
    const wholeNeeds = whole?.leaves ?? line.needsFor?.(q);
    const result = kit({
      quantity: line.quantity,
      precision: line.precision,
      components: line.components.map((c) => ({
        ...c, need: wholeNeeds ? (wholeNeeds.get(c.itemId) ?? ZERO).toString() : c.need, free: (stock.get(c.itemId) ?? ZERO).toString(),
      })),
      supply: open,
      needsFor,
    });
    out.set(line.lineId, {
      ...result,
      fromStock: [...(whole?.fromStock ?? [])].map(([itemId, quantity]) => ({ itemId, quantity: quantity.toString() })),
    });
    // what the kit-able quantity takes: with netting or the line's own needs, exactly its needs; else
    // need × k / Q rounded up to the component's unit (never above the free stock, since k was chosen so)
    const kitable = new Decimal(result.kitable);
    const taken = line.netted?.(kitable, stock);
    if (taken) {
      for (const [id, used] of taken.fromStock) stock.set(id, (stock.get(id) ?? ZERO).minus(used));
    }
    const takenNeeds = taken?.leaves ?? line.needsFor?.(kitable);
    for (const c of line.components) {
      const has = stock.get(c.itemId) ?? ZERO;
      const want = takenNeeds ? (takenNeeds.get(c.itemId) ?? ZERO) : new Decimal(c.need).times(result.kitable).div(q).toDecimalPlaces(c.precision, Decimal.ROUND_UP);
      stock.set(c.itemId, has.minus(Decimal.min(has, want)));
      let short = new Decimal(result.components.find((r) => r.itemId === c.itemId)!.short);
      for (const s of open) {
        if (short.lte(0)) break;
        if (s.itemId !== c.itemId) continue;
        const take = Decimal.min(short, s.quantity);
        s.quantity = new Decimal(s.quantity).minus(take).toString();
        short = short.minus(take);
      }
    }
    open = open.filter((s) => new Decimal(s.quantity).gt(0));
  }
  return out;
}

export interface KitTaskInput {
  taskId: string;
  /** 单号, the tie-break after the planned start */
  number: string;
  /** YYYY-MM-DD */
  plannedStart: string;
  /** the task's quantity and how much of it is kitted already (product base unit) */
  quantity: string;
  kitted: string;
  /** decimals of the product's base unit */
  precision: number;
  /** the task's 配套 (kit) materials: required for the whole task and issued so far, base unit */
  materials: readonly { itemId: string; required: string; issued: string; precision: number }[];
}

/** Tasks in the order they start: planned start, then number (then id, so the order is total). */
export function startOrder<T extends { taskId: string; number: string; plannedStart: string }>(tasks: readonly T[]): T[] {
  return [...tasks].sort((a, b) => (a.plannedStart < b.plannedStart ? -1 : a.plannedStart > b.plannedStart ? 1 : a.number.localeCompare(b.number) || a.taskId.localeCompare(b.taskId)));
}

/**
 * What kitting k more sets of a task takes of each kit material: exactly what 配套领料 of k would
 * issue (issueShare: the requirement's share of the new progress rounded up, the last set takes the rest).
 */
export function taskKitNeeds(task: KitTaskInput): (k: Decimal) => Map<string, Decimal> {
  return (k) => {
    const needs = new Map<string, Decimal>();
    for (const m of task.materials) {
      const share = issueShare({ required: m.required, issued: m.issued }, task.kitted, k, task.quantity, m.precision);
      needs.set(m.itemId, (needs.get(m.itemId) ?? ZERO).plus(share));
    }
    return needs;
  };
}

/**
 * 齐套分析 of a set of production tasks: each task's quantity not yet kitted (quantity − kitted)
 * against its unissued kit materials, the tasks in start order sharing the free stock and the open
 * supply (kitOrder): a task counts only what the kit-able quantities of the tasks before it left, and
 * its shortages take the supply the earlier shortages did not. Tasks with nothing left to kit are
 * left out of the result.
 */
export function kitTasks(tasks: readonly KitTaskInput[], free: ReadonlyMap<string, string>, supply: readonly KitSupply[]): Map<string, KitOrderResult> {
  const lines = startOrder(tasks).flatMap((t): KitOrderLine[] => {
    const remaining = new Decimal(t.quantity).minus(t.kitted);
    if (remaining.lte(0)) return [];
    const needsFor = taskKitNeeds(t);
    const whole = needsFor(remaining);
    return [{
      lineId: t.taskId, quantity: remaining.toFixed(t.precision), precision: t.precision, needsFor,
      components: [...new Map(t.materials.map((m) => [m.itemId, m.precision]))]
        .filter(([id]) => (whole.get(id) ?? ZERO).gt(0))
        .map(([itemId, precision]) => ({ itemId, need: whole.get(itemId)!.toString(), precision })),
    }];
  });
  return kitOrder(lines, free, supply);
}
