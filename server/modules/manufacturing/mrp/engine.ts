// Regenerative MRP netting (物料需求计划) as one pure function: items are netted once each, in
// low-level-code order (every parent before its components), across all their demand in date
// order, time-phased by calendar day. No I/O: the service loads MrpInput and stores the result.
//
// Rules worth knowing when reading a result:
// - Anything dated before today (overdue demand, late supply, stock) is netted as of today; a
//   suggestion is never due before today, and its release date may be (flagged pastDue).
// - Existing supply counts from its own due date (a late PO does not cover an earlier need).
// - Safety stock is a floor: the first time projected stock would drop below it, one requirement
//   of the whole safety stock is added; from then on the floor is held, never re-added per row.
// - A lot's surplus stays in the projected balance and covers later needs first (pegged to them).
// - Phantom (跳层) lines: the phantom's free stock and supply cover it first; the rest is exploded
//   straight through to its components on the same day (no lead time, no lot sizing, no suggestion).
import { addDays, assertDay, maxDay } from './days.ts';
import { MrpInputError } from './errors.ts';
import { computeLowLevelCodes } from './low-level-codes.ts';
import { D, lotSize, normalizeLot, withScrap, ZERO, type NormalizedLot } from './lot-sizing.ts';
import type {
  Day, MrpBucketTrace, MrpDemand, MrpDemandKind, MrpInput, MrpItem, MrpMaterial, MrpOptions, MrpPegging,
  MrpResult, MrpSuggestion, MrpWarning, Qty,
} from './types.ts';

export { MrpInputError } from './errors.ts';
export type * from './types.ts';

interface Item {
  src: MrpItem;
  safetyStock: D;
  scrap: D;
  lot: NormalizedLot;
}

interface Line {
  componentId: string;
  /** quantity × factor: component base units per parent base unit */
  perParent: D;
  scrap: D;
  phantom: boolean;
}

interface Version {
  id: string;
  validFrom: Day;
  validTo: Day | null;
  lines: Line[];
}

type Origin =
  | { source: 'demand'; demandId: string; demandKind: MrpDemandKind; ref: string }
  | { source: 'suggestion'; suggestionKey: string; itemId: string };

interface Requirement {
  /** the day it is needed (may be before today) */
  date: Day;
  /** the day it is netted: max(date, today) */
  bucket: Day;
  /** unique, orders requirements of one day independently of input order */
  key: string;
  quantity: D;
  phantom: boolean;
  origin: Origin;
  /** the production suggestion whose materials this requirement is */
  parent: Building | null;
}

interface Building {
  key: string;
  itemId: string;
  kind: 'purchase' | 'production';
  quantity: D;
  orderDate: Day;
  dueDate: Day;
  bomVersionId: string | null;
  pegging: { peg: Origin | { source: 'safetyStock' }; quantity: D }[];
  materials: { itemId: string; quantity: D; date: Day }[];
}

interface Lot {
  quantity: D;
  /** the new suggestion this surplus came from; null for existing supply */
  from: Building | null;
}

interface Supply {
  bucket: Day;
  order: string;
  quantity: D;
}

const SUPPLY_ORDER = { stock: 0, purchaseOrder: 1, requisition: 2, productionTask: 3, firmedSuggestion: 4 } as const;
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function decimal(value: Qty, what: string): D {
  let q: D;
  try {
    q = new D(typeof value === 'string' || typeof value === 'number' ? value : value.toString());
  } catch {
    throw new MrpInputError('INVALID_INPUT', `${what}不是有效的数字`);
  }
  if (!q.isFinite()) throw new MrpInputError('INVALID_INPUT', `${what}不是有效的数字`);
  return q;
}

function scrapRate(value: Qty, what: string): D {
  const s = decimal(value, what);
  if (s.lt(0) || s.gte(1)) throw new MrpInputError('SCRAP_RATE', `${what}必须不小于 0% 且小于 100%`);
  return s;
}

export function runMrp(input: MrpInput, options: MrpOptions = {}): MrpResult {
  const today = input.today;
  assertDay(today, '今天');

  // ---- items
  const items = new Map<string, Item>();
  for (const src of input.items) {
    if (items.has(src.id)) throw new MrpInputError('INVALID_INPUT', `物料 ${src.code} 重复`);
    if (!Number.isInteger(src.precision) || src.precision < 0 || src.precision > 10) throw new MrpInputError('INVALID_INPUT', `物料 ${src.code} 的单位精度无效`);
    if (!Number.isInteger(src.leadTimeDays) || src.leadTimeDays < 0) throw new MrpInputError('INVALID_INPUT', `物料 ${src.code} 的提前期必须是不小于 0 的整数天`);
    const safetyStock = decimal(src.safetyStock, `物料 ${src.code} 的安全库存`);
    if (safetyStock.lt(0)) throw new MrpInputError('INVALID_INPUT', `物料 ${src.code} 的安全库存不能小于 0`);
    const lot = normalizeLot(src.lotPolicy);
    if (lot.kind === 'fixed' && (lot.moq.lt(0) || lot.multiple.lte(0))) throw new MrpInputError('INVALID_INPUT', `物料 ${src.code} 的最小订货量不能小于 0，批量倍数必须大于 0`);
    items.set(src.id, { src, safetyStock, scrap: scrapRate(src.scrapRate, `物料 ${src.code} 的损耗率`), lot });
  }
  const item = (id: string, where: string): Item => {
    const found = items.get(id);
    if (!found) throw new MrpInputError('UNKNOWN_ITEM', `${where}引用了不存在的物料 ${id}`);
    return found;
  };
  const codeOf = (id: string) => items.get(id)?.src.code ?? id;

  // ---- BOMs: versions newest first; children over every version for the low-level codes
  const versions = new Map<string, Version[]>();
  const children = new Map<string, string[]>();
  for (const bom of input.boms) {
    const parent = item(bom.itemId, '物料清单');
    const list = versions.get(bom.itemId) ?? [];
    for (const v of bom.versions) {
      const where = `物料 ${parent.src.code} 的物料清单版本 ${v.id}`;
      assertDay(v.validFrom, `${where}生效`);
      if (v.validTo !== null) {
        assertDay(v.validTo, `${where}失效`);
        if (v.validTo < v.validFrom) throw new MrpInputError('INVALID_INPUT', `${where}的失效日期早于生效日期`);
      }
      const lines = v.lines.map((l, i): Line & { i: number } => {
        const comp = item(l.componentId, where);
        const lineWhere = `${where}第 ${i + 1} 行（${comp.src.code}）`;
        const quantity = decimal(l.quantity, `${lineWhere}的用量`);
        const factor = decimal(l.factor, `${lineWhere}的换算率`);
        if (quantity.lte(0)) throw new MrpInputError('INVALID_INPUT', `${lineWhere}的用量必须大于 0`);
        if (factor.lte(0)) throw new MrpInputError('INVALID_INPUT', `${lineWhere}的换算率必须大于 0`);
        const scrap = l.scrapRate === null ? comp.scrap : scrapRate(l.scrapRate, `${lineWhere}的损耗率`);
        return { componentId: l.componentId, perParent: quantity.mul(factor), scrap, phantom: l.phantom, i };
      });
      lines.sort((a, b) => byString(a.componentId, b.componentId) || a.i - b.i);
      list.push({ id: v.id, validFrom: v.validFrom, validTo: v.validTo, lines });
    }
    list.sort((a, b) => byString(b.validFrom, a.validFrom) || byString(a.id, b.id));
    versions.set(bom.itemId, list);
    const kids = new Set(children.get(bom.itemId));
    for (const v of list) for (const l of v.lines) kids.add(l.componentId);
    children.set(bom.itemId, [...kids].sort(byString));
  }
  const versionOn = (itemId: string, day: Day): Version | null =>
    versions.get(itemId)?.find((v) => v.validFrom <= day && (v.validTo === null || day <= v.validTo)) ?? null;

  const itemIds = [...items.keys()].sort(byString);
  const llc = computeLowLevelCodes(itemIds, children, codeOf);

  // ---- independent demand, forecasts consumed by the same month's sales orders
  const requirements = new Map<string, Requirement[]>();
  const addRequirement = (itemId: string, r: Requirement) => {
    const list = requirements.get(itemId);
    if (list) list.push(r);
    else requirements.set(itemId, [r]);
  };
  const demandIds = new Set<string>();
  const salesByMonth = new Map<string, D>();
  const forecasts: { demand: MrpDemand; quantity: D }[] = [];
  for (const d of input.demands) {
    if (demandIds.has(d.id)) throw new MrpInputError('INVALID_INPUT', `需求 ${d.id} 重复`);
    demandIds.add(d.id);
    item(d.itemId, `需求 ${d.ref}`);
    assertDay(d.date, `需求 ${d.ref}`);
    const quantity = decimal(d.quantity, `需求 ${d.ref} 的数量`);
    if (quantity.lt(0)) throw new MrpInputError('INVALID_INPUT', `需求 ${d.ref} 的数量不能小于 0`);
    if (d.kind === 'forecast') {
      forecasts.push({ demand: d, quantity });
      continue;
    }
    if (d.kind === 'salesOrder') {
      const month = `${d.itemId}\u0000${d.date.slice(0, 7)}`;
      salesByMonth.set(month, (salesByMonth.get(month) ?? ZERO).plus(quantity));
    }
    if (quantity.gt(0)) addRequirement(d.itemId, demandRequirement(d, quantity));
  }
  forecasts.sort((a, b) => byString(a.demand.date, b.demand.date) || byString(a.demand.id, b.demand.id));
  for (const f of forecasts) {
    const month = `${f.demand.itemId}\u0000${f.demand.date.slice(0, 7)}`;
    const sales = salesByMonth.get(month) ?? ZERO;
    const consumed = D.min(sales, f.quantity);
    if (consumed.gt(0)) salesByMonth.set(month, sales.minus(consumed));
    const remaining = f.quantity.minus(consumed);
    if (remaining.gt(0)) addRequirement(f.demand.itemId, demandRequirement(f.demand, remaining));
  }
  function demandRequirement(d: MrpDemand, quantity: D): Requirement {
    return {
      date: d.date, bucket: maxDay(d.date, today), key: `D:${d.id}`, quantity, phantom: false,
      origin: { source: 'demand', demandId: d.id, demandKind: d.kind, ref: d.ref }, parent: null,
    };
  }

  // ---- existing supply
  const supplies = new Map<string, Supply[]>();
  const supplyIds = new Set<string>();
  for (const s of input.supplies) {
    if (supplyIds.has(s.id)) throw new MrpInputError('INVALID_INPUT', `供应 ${s.id} 重复`);
    supplyIds.add(s.id);
    item(s.itemId, `供应 ${s.id}`);
    assertDay(s.date, `供应 ${s.id}`);
    const quantity = decimal(s.quantity, `供应 ${s.id} 的数量`);
    if (quantity.lt(0)) throw new MrpInputError('INVALID_INPUT', `供应 ${s.id} 的数量不能小于 0`);
    if (quantity.isZero()) continue;
    const list = supplies.get(s.itemId) ?? [];
    list.push({ bucket: maxDay(s.date, today), order: `${SUPPLY_ORDER[s.kind]}:${s.id}`, quantity });
    supplies.set(s.itemId, list);
  }

  // ---- netting, level by level
  const warnings: MrpWarning[] = [];
  const built: Building[] = [];
  const balances: Record<string, MrpBucketTrace[]> | undefined = options.trace ? {} : undefined;

  /** Requirements of one parent quantity's components, on `date`, with the BOM version valid that day. */
  function explode(parentId: string, quantity: D, date: Day, keyPrefix: string, origin: Origin, parent: Building): Version | null {
    const version = versionOn(parentId, date);
    if (!version) return null;
    version.lines.forEach((line, i) => {
      const comp = items.get(line.componentId)!;
      const q = withScrap(quantity.mul(line.perParent), line.scrap, comp.src.precision);
      if (q.isZero()) return;
      addRequirement(line.componentId, {
        date, bucket: maxDay(date, today), key: `${keyPrefix}/${i}`, quantity: q, phantom: line.phantom, origin, parent,
      });
      if (!line.phantom) parent.materials.push({ itemId: line.componentId, quantity: q, date });
    });
    return version;
  }

  const order = [...itemIds].sort((a, b) => llc.get(a)! - llc.get(b)! || byString(codeOf(a), codeOf(b)) || byString(a, b));
  for (const itemId of order) {
    const it = items.get(itemId)!;
    const precision = it.src.precision;
    const reqs = (requirements.get(itemId) ?? []).sort((a, b) => byString(a.bucket, b.bucket) || byString(a.key, b.key));
    const sups = (supplies.get(itemId) ?? []).sort((a, b) => byString(a.bucket, b.bucket) || byString(a.order, b.order));
    const safety = it.safetyStock;
    if (!reqs.length && safety.isZero()) continue;

    const queue: Lot[] = [];
    let head = 0;
    let free = ZERO; // sum of the queue: projected stock above the held safety stock
    let held = false;
    let s = 0;
    const trace: MrpBucketTrace[] = [];

    /** Takes up to `quantity` from the projected stock, oldest first; returns what it could not cover. */
    const take = (quantity: D, peg: Origin | { source: 'safetyStock' }): D => {
      let rest = quantity;
      while (rest.gt(0) && head < queue.length) {
        const lot = queue[head]!;
        const used = D.min(lot.quantity, rest);
        lot.quantity = lot.quantity.minus(used);
        rest = rest.minus(used);
        free = free.minus(used);
        if (lot.from) lot.from.pegging.push({ peg, quantity: used });
        if (lot.quantity.isZero()) head++;
      }
      return rest;
    };

    const buckets: Day[] = [];
    if (safety.gt(0)) buckets.push(today);
    for (const r of reqs) if (buckets[buckets.length - 1] !== r.bucket) buckets.push(r.bucket);

    let r = 0;
    for (const day of buckets) {
      let receipts = ZERO;
      while (s < sups.length && sups[s]!.bucket <= day) {
        const q = sups[s++]!.quantity;
        queue.push({ quantity: q, from: null });
        free = free.plus(q);
        receipts = receipts.plus(q);
      }
      let gross = ZERO;
      const short: { req: Requirement; quantity: D }[] = [];
      const phantomShort: { req: Requirement; quantity: D }[] = [];
      const phantoms: Requirement[] = [];
      for (; r < reqs.length && reqs[r]!.bucket === day; r++) {
        const req = reqs[r]!;
        gross = gross.plus(req.quantity);
        if (req.phantom) phantoms.push(req);
        const rest = take(req.quantity, req.origin);
        if (rest.isZero()) continue;
        if (!req.phantom || versionOn(itemId, req.date)) (req.phantom ? phantomShort : short).push({ req, quantity: rest });
        else {
          // nothing to pass through to on that day: planned like any need of the item
          warnings.push({ kind: 'phantomWithoutBom', itemId, date: req.date });
          short.push({ req, quantity: rest });
        }
      }
      let net = short.reduce((sum, x) => sum.plus(x.quantity), ZERO);
      let forSafety = ZERO;
      if (!held && safety.gt(0) && (net.gt(0) || phantomShort.length > 0 || free.lt(safety))) {
        held = true; // the floor is set once; from now on it is simply not part of `free`
        forSafety = take(safety, { source: 'safetyStock' });
        net = net.plus(forSafety);
      }

      let planned = ZERO;
      if (net.gt(0)) {
        const quantity = lotSize(net, it.lot, precision);
        planned = quantity;
        const kind = it.src.sourcing === 'make' ? 'production' : 'purchase';
        const orderDate = addDays(day, -it.src.leadTimeDays);
        const sugg: Building = {
          key: `${itemId}@${day}`, itemId, kind, quantity, orderDate, dueDate: day, bomVersionId: null, pegging: [], materials: [],
        };
        built.push(sugg);
        for (const x of short) sugg.pegging.push({ peg: x.req.origin, quantity: x.quantity });
        if (forSafety.gt(0)) sugg.pegging.push({ peg: { source: 'safetyStock' }, quantity: forSafety });
        let surplus = quantity.minus(net);
        // the lot's surplus covers this day's phantom needs before they are passed through
        for (const x of phantomShort) {
          const used = D.min(surplus, x.quantity);
          if (used.isZero()) break;
          sugg.pegging.push({ peg: x.req.origin, quantity: used });
          x.quantity = x.quantity.minus(used);
          surplus = surplus.minus(used);
        }
        if (surplus.gt(0)) {
          queue.push({ quantity: surplus, from: sugg });
          free = free.plus(surplus);
        }
        if (kind === 'production') {
          const origin: Origin = { source: 'suggestion', suggestionKey: sugg.key, itemId };
          const version = explode(itemId, quantity, orderDate, `S:${sugg.key}`, origin, sugg);
          if (version) sugg.bomVersionId = version.id;
          else warnings.push({ kind: 'noBomVersion', itemId, date: orderDate });
        }
      }

      // a phantom's uncovered need passes straight through to its components, same day
      let passedThrough = ZERO;
      const passed = new Map<Requirement, D>();
      for (const x of phantomShort) {
        if (x.quantity.isZero()) continue;
        explode(itemId, x.quantity, x.req.date, x.req.key, x.req.origin, x.req.parent!);
        passed.set(x.req, x.quantity);
        passedThrough = passedThrough.plus(x.quantity);
      }
      // what the phantom's own stock and supply covered is issued as the phantom item itself
      for (const req of phantoms) {
        const issued = req.quantity.minus(passed.get(req) ?? ZERO);
        if (issued.gt(0)) req.parent!.materials.push({ itemId, quantity: issued, date: req.date });
      }

      if (trace) {
        trace.push({
          date: day, gross: gross.toFixed(), receipts: receipts.toFixed(), planned: planned.toFixed(), passedThrough: passedThrough.toFixed(),
          projected: free.plus(held ? safety : ZERO).toFixed(),
        });
      }
    }
    if (balances) balances[itemId] = trace;
  }

  return {
    suggestions: built.map((b) => finish(b, today)),
    lowLevelCodes: Object.fromEntries(order.map((id) => [id, llc.get(id)!])),
    warnings,
    ...(balances ? { balances } : {}),
  };
}

function pegging(p: Building['pegging'][number]): MrpPegging {
  const quantity = p.quantity.toFixed();
  if (p.peg.source === 'safetyStock') return { source: 'safetyStock', quantity };
  if (p.peg.source === 'demand') return { ...p.peg, quantity };
  return { ...p.peg, quantity };
}

function finish(b: Building, today: Day): MrpSuggestion {
  const materials: MrpMaterial[] = b.materials
    .map((m) => ({ itemId: m.itemId, quantity: m.quantity.toFixed(), date: m.date }))
    .sort((x, y) => byString(x.itemId, y.itemId) || byString(x.date, y.date));
  return {
    key: b.key, itemId: b.itemId, kind: b.kind, quantity: b.quantity.toFixed(), orderDate: b.orderDate, dueDate: b.dueDate,
    pastDue: b.orderDate < today, bomVersionId: b.bomVersionId, pegging: b.pegging.map(pegging), materials,
  };
}
