// Regenerative MRP netting (物料需求计划) as one pure function: items are netted once each, in
// low-level-code order (every parent before its components), across all their demand in date
// order, time-phased by calendar day. No I/O: the service loads MrpInput and stores the result
// (streamMrp hands suggestions over as they become final, so the service writes while it nets).
//
// Rules worth knowing when reading a result:
// - Buckets are calendar days; lead times count calendar days (no working-day calendar yet).
// - Anything dated before today (overdue demand, late supply, stock) is netted as of today; a
//   suggestion is never due before today, and its release date may be (flagged pastDue).
// - Existing supply counts from its own due date (a late PO does not cover an earlier need).
// - `stock` supplies are trusted as free: the loader passes only available stock (合格, unreserved);
//   stock awaiting inspection comes as its own `inspection` supply, available today.
// - Safety stock is a floor: the first time projected stock would drop below it, one requirement
//   of the whole safety stock is added; from then on the floor is held, never re-added per row.
// - A lot's surplus stays in the projected balance and covers later needs first (pegged to them).
// - A forecast is planned less what was actually ordered of its item in its month
//   (forecastConsumption), never below 0; orders beyond it do not carry to other months.
// - Phantom (跳层) lines: the phantom's free stock and supply cover it first; the rest is exploded
//   straight through to its components on the same day (no lead time, no lot sizing, no suggestion).
import { phantomPassThrough } from '../bom/phantom.ts';
import { dayFormatter, dayNumber } from './days.ts';
import { MrpInputError } from './errors.ts';
import { explodeQuantity, lotSize } from './lot-sizing.ts';
import { byString, notNegative, readMasterData, type Version } from './master-data.ts';
import { formatter, minQ } from './quantity.ts';
import type { MrpBucketTrace, MrpDemand, MrpDemandKind, MrpInput, MrpOptions, MrpPegging, MrpResult, MrpSuggestion, MrpWarning, Qty } from './types.ts';

export { MrpInputError } from './errors.ts';
export type * from './types.ts';

type Origin =
  | { source: 'demand'; demandId: string; demandKind: MrpDemandKind; ref: string }
  | { source: 'suggestion'; suggestionKey: string; itemId: string };
type Peg = Origin | { source: 'safetyStock' };

interface Requirement {
  /** the day it is needed (may be before today) */
  date: number;
  /** the day it is netted: max(date, today) */
  bucket: number;
  /**
   * Orders requirements of one day independently of input order: independent demand first by
   * its id, then dependent requirements in the (deterministic) order the explosion made them.
   */
  seq: number;
  quantity: bigint;
  phantom: boolean;
  origin: Origin;
  /** the production suggestion whose material this requirement is */
  parent: Building | null;
}

interface Building {
  /** creation order: the order runMrp returns suggestions in */
  index: number;
  /** phantom requirements exploded from it and not yet netted: they still add to its materials */
  pending: number;
  /** its own item has been netted: its quantity and pegging are final */
  netted: boolean;
  key: string;
  itemId: string;
  kind: 'purchase' | 'production';
  quantity: bigint;
  orderDate: number;
  dueDate: number;
  bomVersionId: string | null;
  pegging: { peg: Peg; quantity: bigint }[];
  materials: { itemId: string; quantity: bigint; date: number }[];
}

interface Lot {
  quantity: bigint;
  /** the new suggestion this surplus came from; null for existing supply */
  from: Building | null;
}

interface Supply {
  bucket: number;
  order: string;
  quantity: bigint;
}

const SUPPLY_ORDER = { stock: 0, inspection: 1, purchaseOrder: 2, requisition: 3, productionTask: 4, firmedSuggestion: 5 } as const;

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A suggestion that will not change any more, with its creation index (see streamMrp). */
export interface EmittedSuggestion {
  index: number;
  suggestion: MrpSuggestion;
}

export type MrpSummary = Omit<MrpResult, 'suggestions'>;

/**
 * The netting of runMrp as a generator: after each item is netted, the suggestions that can no
 * longer change (their own item netted, and every phantom component they pass through netted too),
 * so a caller can write them while the rest is computed. Every suggestion is emitted exactly once;
 * the return value is the rest of the result.
 */
export function* streamMrp(input: MrpInput, options: MrpOptions = {}): Generator<EmittedSuggestion[], MrpSummary, void> {
  const today = dayNumber(input.today, '今天');
  const dayText = dayFormatter();
  const format = formatter();

  const { items, item, versionOn, order, lowLevelCodes: llc } = readMasterData(input);

  // ---- independent demand, forecasts consumed by the same month's actual orders
  const requirements = new Map<string, Requirement[]>();
  const addRequirement = (itemId: string, r: Requirement) => append(requirements, itemId, r);
  /** A demand or supply row's checks: unique id, known item, valid day, quantity ≥ 0. */
  const readRow = (seen: Set<string>, kind: string, row: { id: string; itemId: string; date: string; quantity: Qty }, name: string) => {
    if (seen.has(row.id)) throw new MrpInputError('INVALID_INPUT', `${kind} ${row.id} 重复`);
    seen.add(row.id);
    item(row.itemId, `${kind} ${name} `);
    return { date: dayNumber(row.date, `${kind} ${name} `), q: notNegative(row.quantity, `${kind} ${name} 的数量`) };
  };
  // independent demand is numbered by id, so input order never changes the netting order
  const demandSeq = new Map([...input.demands].map((d) => d.id).sort(byString).map((id, i) => [id, i]));
  let nextSeq = demandSeq.size;
  const demandRequirement = (d: MrpDemand, date: number, q: bigint): Requirement => ({
    date, bucket: Math.max(date, today), seq: demandSeq.get(d.id)!, quantity: q, phantom: false,
    origin: { source: 'demand', demandId: d.id, demandKind: d.kind, ref: d.ref }, parent: null,
  });
  const demandIds = new Set<string>();
  const forecasts: { demand: MrpDemand; date: number; quantity: bigint }[] = [];
  for (const d of input.demands) {
    const { date, q } = readRow(demandIds, '需求', d, d.ref);
    if (d.kind === 'forecast') {
      forecasts.push({ demand: d, date, quantity: q });
      continue;
    }
    if (q > 0n) addRequirement(d.itemId, demandRequirement(d, date, q));
  }
  // A forecast is consumed by the month's actual orders (forecastConsumption), not by the open
  // salesOrder demands: an order reserved from stock or shipped still used up its share of it.
  const orderedByMonth = new Map<string, bigint>();
  for (const c of input.forecastConsumption) {
    const what = `预测冲减 ${item(c.itemId, '预测冲减 ').src.code} ${c.month}`;
    const key = `${c.itemId}\u0000${c.month}`;
    if (orderedByMonth.has(key)) throw new MrpInputError('INVALID_INPUT', `${what} 重复`);
    dayNumber(`${c.month}-01`, `${what} `);
    orderedByMonth.set(key, notNegative(c.quantity, `${what} 的数量`));
  }
  forecasts.sort((a, b) => a.date - b.date || byString(a.demand.id, b.demand.id));
  for (const f of forecasts) {
    const month = `${f.demand.itemId}\u0000${f.demand.date.slice(0, 7)}`;
    const ordered = orderedByMonth.get(month) ?? 0n;
    const consumed = minQ(ordered, f.quantity);
    if (consumed > 0n) orderedByMonth.set(month, ordered - consumed);
    if (f.quantity > consumed) addRequirement(f.demand.itemId, demandRequirement(f.demand, f.date, f.quantity - consumed));
  }

  // ---- existing supply
  const supplies = new Map<string, Supply[]>();
  const supplyIds = new Set<string>();
  for (const s of input.supplies) {
    const { date, q } = readRow(supplyIds, '供应', s, s.id);
    if (q > 0n) append(supplies, s.itemId, { bucket: Math.max(date, today), order: `${SUPPLY_ORDER[s.kind]}:${s.id}`, quantity: q });
  }

  // ---- netting, level by level
  const warnings: MrpWarning[] = [];
  /** how many suggestions were made (the next one's index); none is held here once emitted, so the caller may drop it */
  let made = 0;
  const balances: Record<string, MrpBucketTrace[]> | undefined = options.trace ? {} : undefined;

  /** Requirements for the components of `q` of a parent, on `date`, by the BOM version valid that day. */
  function explode(parentId: string, q: bigint, date: number, origin: Origin, parent: Building): Version | null {
    const version = versionOn(parentId, date);
    if (!version) return null;
    const bucket = Math.max(date, today);
    for (let i = 0; i < version.lines.length; i++) {
      const line = version.lines[i]!;
      const need = explodeQuantity(q, line.ratio);
      if (need === 0n) continue;
      addRequirement(line.componentId, { date, bucket, seq: nextSeq++, quantity: need, phantom: line.phantom, origin, parent });
      if (line.phantom) parent.pending++;
      else parent.materials.push({ itemId: line.componentId, quantity: need, date });
    }
    return version;
  }

  function pegging({ peg, quantity: q }: Building['pegging'][number]): MrpPegging {
    const text = format(q);
    if (peg.source === 'demand') return { source: 'demand', demandId: peg.demandId, demandKind: peg.demandKind, ref: peg.ref, quantity: text };
    if (peg.source === 'suggestion') return { source: 'suggestion', suggestionKey: peg.suggestionKey, itemId: peg.itemId, quantity: text };
    return { source: 'safetyStock', quantity: text };
  }
  const finish = (b: Building): EmittedSuggestion => ({
    index: b.index,
    suggestion: {
      key: b.key, itemId: b.itemId, kind: b.kind, quantity: format(b.quantity), orderDate: dayText(b.orderDate), dueDate: dayText(b.dueDate),
      pastDue: b.orderDate < today, bomVersionId: b.bomVersionId, pegging: b.pegging.map(pegging),
      materials: b.materials
        .sort((x, y) => byString(x.itemId, y.itemId) || x.date - y.date)
        .map((m) => ({ itemId: m.itemId, quantity: format(m.quantity), date: dayText(m.date) })),
    },
  });

  let emitted = 0;
  const report = options.onProgress;
  const every = Math.max(1, Math.ceil(order.length / 20));
  let netted = 0;
  for (const itemId of order) {
    if (report && netted % every === 0) report(netted, order.length);
    netted++;
    const it = items.get(itemId)!;
    // suggestions that became final while netting this item
    const ready: Building[] = [];
    const mine: Building[] = [];
    const reqs = (requirements.get(itemId) ?? []).sort((a, b) => a.bucket - b.bucket || a.seq - b.seq);
    const sups = (supplies.get(itemId) ?? []).sort((a, b) => a.bucket - b.bucket || byString(a.order, b.order));
    // netted once: what it needed and had is not looked at again
    requirements.delete(itemId);
    supplies.delete(itemId);
    const safety = it.safetyStock;
    if (!reqs.length && safety === 0n) continue;

    const queue: Lot[] = [];
    let head = 0;
    let free = 0n; // sum of the queue: projected stock above the held safety stock
    let held = false;
    let s = 0;
    const trace: MrpBucketTrace[] = [];

    /** Takes up to `q` from the projected stock, oldest lot first; returns what it could not cover. */
    const take = (q: bigint, peg: Peg): bigint => {
      let rest = q;
      while (rest > 0n && head < queue.length) {
        const lot = queue[head]!;
        const used = lot.quantity <= rest ? lot.quantity : rest;
        lot.quantity -= used;
        rest -= used;
        if (lot.from) lot.from.pegging.push({ peg, quantity: used });
        if (lot.quantity === 0n) head++;
      }
      free -= q - rest;
      return rest;
    };

    const buckets: number[] = [];
    if (safety > 0n) buckets.push(today);
    for (const r of reqs) if (buckets[buckets.length - 1] !== r.bucket) buckets.push(r.bucket);

    let r = 0;
    for (const day of buckets) {
      let receipts = 0n;
      while (s < sups.length && sups[s]!.bucket <= day) {
        const q = sups[s++]!.quantity;
        queue.push({ quantity: q, from: null });
        free += q;
        receipts += q;
      }
      let gross = 0n;
      let net = 0n;
      const short: { req: Requirement; quantity: bigint }[] = [];
      let phantomShort: { req: Requirement; quantity: bigint }[] | null = null;
      let phantoms: Requirement[] | null = null;
      for (; r < reqs.length && reqs[r]!.bucket === day; r++) {
        const req = reqs[r]!;
        gross += req.quantity;
        let rest: bigint;
        if (req.phantom) {
          (phantoms ??= []).push(req);
          // the shared 跳层 rule: the projected stock (`free`, the queue's sum) first, the rest passed through
          const passed = phantomPassThrough(req.quantity, free, versionOn(itemId, req.date) !== null);
          rest = take(req.quantity - passed, req.origin);
          if (passed > 0n) (phantomShort ??= []).push({ req, quantity: passed });
          // nothing to pass through to on that day: planned like any need of the item
          if (rest > 0n) warnings.push({ kind: 'phantomWithoutBom', itemId, date: dayText(req.date) });
        } else rest = take(req.quantity, req.origin);
        if (rest === 0n) continue;
        short.push({ req, quantity: rest });
        net += rest;
      }
      let forSafety = 0n;
      if (!held && safety > 0n && (net > 0n || phantomShort !== null || free < safety)) {
        held = true; // the floor is set once; from now on it is simply not part of `free`
        forSafety = take(safety, { source: 'safetyStock' });
        net += forSafety;
      }

      let planned = 0n;
      if (net > 0n) {
        planned = lotSize(net, it.lot, it.step);
        const kind = it.src.sourcing === 'make' ? 'production' : 'purchase';
        const orderDate = day - it.src.leadTimeDays;
        const sugg: Building = {
          index: made++, pending: 0, netted: false,
          key: `${itemId}@${dayText(day)}`, itemId, kind, quantity: planned, orderDate, dueDate: day, bomVersionId: null, pegging: [], materials: [],
        };
        mine.push(sugg);
        for (const x of short) sugg.pegging.push({ peg: x.req.origin, quantity: x.quantity });
        if (forSafety > 0n) sugg.pegging.push({ peg: { source: 'safetyStock' }, quantity: forSafety });
        let surplus = planned - net;
        // the lot's surplus covers this day's phantom needs before they are passed through
        for (const x of phantomShort ?? []) {
          const used = minQ(surplus, x.quantity);
          if (used === 0n) break;
          sugg.pegging.push({ peg: x.req.origin, quantity: used });
          x.quantity -= used;
          surplus -= used;
        }
        if (surplus > 0n) {
          queue.push({ quantity: surplus, from: sugg });
          free += surplus;
        }
        if (kind === 'production') {
          const origin: Origin = { source: 'suggestion', suggestionKey: sugg.key, itemId };
          const version = explode(itemId, planned, orderDate, origin, sugg);
          if (version) sugg.bomVersionId = version.id;
          else warnings.push({ kind: 'noBomVersion', itemId, date: dayText(orderDate) });
        }
      }

      // a phantom's uncovered need passes straight through to its components, same day
      let passedThrough = 0n;
      if (phantoms) {
        const passed = new Map<Requirement, bigint>();
        for (const x of phantomShort ?? []) {
          if (x.quantity === 0n) continue;
          explode(itemId, x.quantity, x.req.date, x.req.origin, x.req.parent!);
          passed.set(x.req, x.quantity);
          passedThrough += x.quantity;
        }
        // what the phantom's own stock and supply covered is issued as the phantom item itself
        for (const req of phantoms) {
          const issued = req.quantity - (passed.get(req) ?? 0n);
          const parent = req.parent!;
          if (issued > 0n) parent.materials.push({ itemId, quantity: issued, date: req.date });
          if (--parent.pending === 0 && parent.netted) ready.push(parent);
        }
      }

      if (balances) {
        trace.push({
          date: dayText(day), gross: format(gross), receipts: format(receipts), planned: format(planned), passedThrough: format(passedThrough),
          projected: format(free + (held ? safety : 0n)),
        });
      }
    }
    if (balances) balances[itemId] = trace;
    for (const sugg of mine) {
      sugg.netted = true;
      if (sugg.pending === 0) ready.push(sugg);
    }
    if (ready.length) {
      emitted += ready.length;
      yield ready.sort((a, b) => a.index - b.index).map(finish);
    }
  }
  // a phantom requirement left un-netted would hold its parent back forever
  if (emitted !== made) throw new Error(`streamMrp: ${made - emitted} suggestions never became final`);

  return {
    lowLevelCodes: Object.fromEntries(order.map((id) => [id, llc.get(id)!])),
    warnings,
    ...(balances ? { balances } : {}),
  };
}

export function runMrp(input: MrpInput, options: MrpOptions = {}): MrpResult {
  const suggestions: MrpSuggestion[] = [];
  const netting = streamMrp(input, options);
  for (;;) {
    const next = netting.next();
    if (next.done) return { suggestions, ...next.value };
    for (const e of next.value) suggestions[e.index] = e.suggestion;
  }
}
