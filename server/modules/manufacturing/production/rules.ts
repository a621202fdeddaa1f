// 生产任务单 pure rules: which materials a task needs (its BOM explosion with phantoms passed
// through) and how much of each a kit issue or a receipt takes, as cumulative targets so that
// rounding up at each step never adds up to more than the requirement.
import { Decimal } from 'decimal.js';
import type { ExplosionNode } from '../bom/rules.ts';

export interface TaskMaterial {
  itemId: string;
  /** base unit, scrap included, rounded up per level by the explosion */
  quantity: Decimal;
  issueMethod: 'kit' | 'backflush';
  operation: string | null;
}

/**
 * The task's materials: the parent's direct components, except that a phantom (跳层) with components
 * of its own is replaced by them (recursively). The same item with the same issue method is merged.
 */
export function taskMaterials(root: ExplosionNode): TaskMaterial[] {
  const out = new Map<string, TaskMaterial>();
  const walk = (n: ExplosionNode) => {
    for (const c of n.children) {
      if (c.line?.phantom && c.children.length) {
        walk(c);
        continue;
      }
      const issueMethod = c.line?.issueMethod ?? 'kit';
      const key = `${c.itemId}:${issueMethod}`;
      const known = out.get(key);
      if (known) known.quantity = known.quantity.plus(c.quantity);
      else out.set(key, { itemId: c.itemId, quantity: new Decimal(c.quantity), issueMethod, operation: c.line?.operation ?? null });
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
