// The MRP engine's input and output. Plain data, no I/O: the service loads these from the
// database and writes the suggestions back. Quantities are decimal strings (or Decimal/number
// values on input), always in the item's base unit; dates are 'YYYY-MM-DD' day buckets.
import type { Decimal } from 'decimal.js';

/** A quantity on input: '12.5', a Decimal, or an integer number. Never a float you computed. */
export type Qty = string | number | Decimal;

/** 'YYYY-MM-DD'. Buckets are calendar days (no working-day calendar yet): lead times count every day. */
export type Day = string;

export type LotPolicy =
  | { kind: 'lotForLot' }
  /** lot = ceil(max(moq, net) / multiple) × multiple; multiple > 0 (pass the unit's smallest step for "none"). */
  | { kind: 'fixed'; moq: Qty; multiple: Qty };

export interface MrpItem {
  id: string;
  /** Shown in error messages and used to order the output. */
  code: string;
  /** 'outsource' is suggested as a purchase until outsourcing (委外) exists. */
  sourcing: 'make' | 'buy' | 'outsource';
  /** Calendar days from release (order date) to due date. */
  leadTimeDays: number;
  /** A floor: once projected stock would fall below it, one requirement of this size is added (once per item). */
  safetyStock: Qty;
  /** The item's default loss when used as a component, 0 ≤ s < 1; a BOM line's own rate overrides it. */
  scrapRate: Qty;
  lotPolicy: LotPolicy;
  /** Decimal places of the base unit; every requirement of this item is rounded UP to it. */
  precision: number;
}

export interface MrpBomLine {
  componentId: string;
  /** Per 1 base unit of the parent, in the line's unit of the component. */
  quantity: Qty;
  /** Line unit → component base unit. The loader refuses a line whose unit has no conversion (never 1:1). */
  factor: Qty;
  /** Overrides the component item's scrapRate when not null. */
  scrapRate: Qty | null;
  /** 跳层: the component is not planned itself, its own components are exploded straight into the parent's need. */
  phantom: boolean;
}

export interface MrpBomVersion {
  id: string;
  /** Valid from this day, inclusive. */
  validFrom: Day;
  /** Valid up to this day, inclusive; null = open-ended. */
  validTo: Day | null;
  lines: MrpBomLine[];
}

export interface MrpBom {
  /** The parent item. */
  itemId: string;
  versions: MrpBomVersion[];
}

export type MrpDemandKind = 'salesOrder' | 'forecast' | 'productionMaterial';

export interface MrpDemand {
  id: string;
  /**
   * salesOrder: the line's UNRESERVED open quantity (a reservation already took its stock out of
   * the free stock the loader passes). forecast: consumed by MrpInput.forecastConsumption of the
   * same item and calendar month (the actual orders, not these open remainders); dated within
   * that month. productionMaterial: unissued material of an open production task or of a firmed
   * production suggestion (its `materials`).
   */
  kind: MrpDemandKind;
  itemId: string;
  date: Day;
  quantity: Qty;
  /** Shown in pegging, e.g. 'SO-2026-0012/2'. */
  ref: string;
}

export type MrpSupplyKind = 'stock' | 'inspection' | 'purchaseOrder' | 'requisition' | 'productionTask' | 'firmedSuggestion';

export interface MrpSupply {
  id: string;
  /**
   * stock: FREE stock only (合格, not reserved, not awaiting inspection). The engine trusts it as
   * free and nets all of it; the loader must leave reserved and blocked quantities out.
   * inspection: stock awaiting inspection (待检库存), available today: not free, but already
   * received (its order's open quantity no longer counts it), so it is supply on its way.
   */
  kind: MrpSupplyKind;
  itemId: string;
  /** The due date (stock: today). A date before today counts as available today. */
  date: Day;
  quantity: Qty;
}

/**
 * What actually was ordered of an item in a month, which consumes that month's forecasts (备货生产:
 * a forecast is the expected orders, so every real order of the period uses it up, whether it is
 * still open, reserved from stock or already shipped). Not demand itself: the open, unreserved part
 * of those orders comes in as salesOrder demands.
 */
export interface MrpForecastConsumption {
  itemId: string;
  /** 'YYYY-MM' */
  month: string;
  /** base unit, ≥ 0; at most one row per item and month */
  quantity: Qty;
}

export interface MrpInput {
  today: Day;
  items: MrpItem[];
  boms: MrpBom[];
  demands: MrpDemand[];
  supplies: MrpSupply[];
  /** Per item and month, what consumes the forecasts (empty when there are none). */
  forecastConsumption: MrpForecastConsumption[];
}

export interface MrpOptions {
  /** Add per-item projected balances to the result (for debugging and the planner's detail view). */
  trace?: boolean;
  /** Told how many of the items (in low-level-code order) are netted, about 20 times a run, from 0 of total (the run's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export type MrpPegging =
  | { source: 'demand'; demandId: string; demandKind: MrpDemandKind; ref: string; quantity: string }
  | { source: 'suggestion'; suggestionKey: string; itemId: string; quantity: string }
  | { source: 'safetyStock'; quantity: string };

export interface MrpMaterial {
  itemId: string;
  quantity: string;
  /** When it is needed: the suggestion's order (release) date. */
  date: Day;
}

export interface MrpSuggestion {
  /** Unique within a run: `${itemId}@${dueDate}` (at most one suggestion per item per day). */
  key: string;
  itemId: string;
  kind: 'purchase' | 'production';
  quantity: string;
  /** Release date = dueDate − leadTimeDays. */
  orderDate: Day;
  dueDate: Day;
  /** orderDate is before today: kept, never dropped, so the planner sees it is late. */
  pastDue: boolean;
  /** Production only: the BOM version valid on orderDate (null when none is valid: see warnings). */
  bomVersionId: string | null;
  /** What the quantity is for, in netting order; a lot's surplus is pegged to later needs it covers. */
  pegging: MrpPegging[];
  /**
   * Production only: the component requirements this suggestion creates, after phantom
   * pass-through (a phantom's own stock appears as the phantom item, the rest as its components).
   * A firmed production suggestion is passed back as supply plus these as productionMaterial demands;
   * a production task released from it takes its phantoms' own share from here (production/service.ts).
   */
  materials: MrpMaterial[];
}

export interface MrpBucketTrace {
  date: Day;
  /** Sum of requirements in this bucket. */
  gross: string;
  /** Existing supply arriving in this bucket. */
  receipts: string;
  /** New suggestion due in this bucket. */
  planned: string;
  /** Requirements passed through to components because the item is a phantom there. */
  passedThrough: string;
  /** Physical projected balance at the end of the bucket (including held safety stock). */
  projected: string;
}

export type MrpWarning =
  | { kind: 'noBomVersion'; itemId: string; date: Day }
  | { kind: 'phantomWithoutBom'; itemId: string; date: Day };

export interface MrpResult {
  suggestions: MrpSuggestion[];
  /** 0 for top-level items; every parent's code is lower than its components'. */
  lowLevelCodes: Record<string, number>;
  warnings: MrpWarning[];
  /** Only with options.trace. */
  balances?: Record<string, MrpBucketTrace[]>;
}
