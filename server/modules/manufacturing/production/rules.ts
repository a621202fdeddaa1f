// 生产任务单 pure rules: which materials a task needs (its BOM explosion, phantoms by the 跳层 rule
// MRP uses: their own stock first, the rest passed through) and how much of each a kit issue or a
// receipt takes, as cumulative targets so that rounding up at each step never adds up to more than
// the requirement.
import { Decimal } from 'decimal.js';
import { phantomPassThrough } from '../bom/phantom.ts';
import type { ExplosionNode } from '../bom/rules.ts';
import { format, quantity } from '../mrp/quantity.ts';

export interface TaskMaterial {
  itemId: string;
  /** base unit, scrap included, rounded up per level by the explosion */
  quantity: Decimal;
  issueMethod: 'kit' | 'backflush';
  operation: string | null;
}

/** What a task may use of its phantoms' own stock, and how to explode a phantom for the rest. */
export interface PhantomStock {
  /** per phantom item: the quantity of the item itself this task may use (see writeMaterials) */
  available: ReadonlyMap<string, Decimal.Value>;
  /** the phantom's explosion for a quantity of it (its BOM on the task's date, rounded per level) */
  explode: (itemId: string, quantity: Decimal) => ExplosionNode;
}

// the shared rule counts in MRP's fixed-point quantities (10 decimals: every unit precision fits)
const asFixed = (d: Decimal) => quantity(d.toString(), '数量');
const asDecimal = (q: bigint) => new Decimal(format(q));

/**
 * The task's materials: the parent's direct components, except that a phantom (跳层) with components
 * of its own is met by the shared rule (phantomPassThrough): what `phantoms` allows of the phantom
 * item itself is a material as the item, the rest is replaced by its components (recursively,
 * exploded again for that rest: rounding per level, as MRP does). Without `phantoms` every phantom
 * is passed through whole. The same item with the same issue method is merged.
 */
export function taskMaterials(root: ExplosionNode, phantoms?: PhantomStock): TaskMaterial[] {
  const out = new Map<string, TaskMaterial>();
  const left = new Map([...(phantoms?.available ?? [])].map(([id, q]) => [id, asFixed(new Decimal(q))]));
  const add = (c: ExplosionNode, q: Decimal) => {
    const issueMethod = c.line?.issueMethod ?? 'kit';
    const key = `${c.itemId}:${issueMethod}`;
    const known = out.get(key);
    if (known) known.quantity = known.quantity.plus(q);
    else out.set(key, { itemId: c.itemId, quantity: q, issueMethod, operation: c.line?.operation ?? null });
  };
  const walk = (n: ExplosionNode) => {
    for (const c of n.children) {
      if (!c.line?.phantom || !c.children.length) {
        add(c, new Decimal(c.quantity));
        continue;
      }
      const need = asFixed(new Decimal(c.quantity));
      const available = left.get(c.itemId) ?? 0n;
      const passed = phantomPassThrough(need, available, true);
      const own = need - passed;
      if (own > 0n) {
        add(c, asDecimal(own));
        left.set(c.itemId, available - own);
      }
      if (passed === need) walk(c);
      else if (passed > 0n) walk(phantoms!.explode(c.itemId, asDecimal(passed)));
    }
  };
  walk(root);
  return [...out.values()];
}

/**
 * What a material's next issue takes when the task's progress (kitted or received finished goods)
 * goes from `done` to `done + adding` of `total`: the requirement's share of the new progress,
 * rounded up to the unit's precision, less what was issued already; the last step takes the rest.
 */
export function issueShare(
  m: { required: Decimal.Value; issued: Decimal.Value },
  done: Decimal.Value, adding: Decimal.Value, total: Decimal.Value, precision: number,
): Decimal {
  const required = new Decimal(m.required);
  const progress = new Decimal(done).plus(adding);
  const target = progress.gte(total) ? required : Decimal.min(required, required.times(progress).div(total).toDecimalPlaces(precision, Decimal.ROUND_UP));
  return Decimal.max(0, target.minus(m.issued));
}

/** 生产任务单 states a kit issue or a receipt may happen in. */
export const WORKING_STATES = ['released', 'inProgress'] as const;
export const CANCELLABLE_STATES = ['planned', 'released'] as const;
export const CLOSABLE_STATES = ['released', 'inProgress', 'completed'] as const;
