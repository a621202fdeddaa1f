// 足缺料分析 as a pure function, no I/O: the released and in-progress production tasks' unissued kit
// materials take the free stock (合格, unreserved) in the order the tasks start (planned start, then
// number), each item on its own; what stock cannot cover is short, and the shortages take the open
// purchase supply in arrival order (dated by promised date, then undated), so two tasks never count
// the same stock or the same PO. A task is 齐套 when none of its materials is short, else 缺料.
import { Decimal } from 'decimal.js';
import { arrivalOrder, startOrder, type ArrivalStatus, type KitSupply } from './rules.ts';

export interface ShortageTaskInput {
  taskId: string;
  /** 单号, the tie-break after the planned start */
  number: string;
  /** YYYY-MM-DD */
  plannedStart: string;
  /** unissued kit materials (required − issued > 0), base unit */
  materials: readonly { itemId: string; required: string }[];
}

export interface MaterialAllocation {
  itemId: string;
  required: string;
  /** taken from the free stock */
  allocated: string;
  /** required − allocated */
  short: string;
  arrival: {
    status: ArrivalStatus;
    /** the promised date of the PO line that completes the cover (status 'arrives') */
    date: string | null;
    /** 「2026-12-20 到货」「无在途」「在途不足，仍缺 40」… */
    label: string;
    /** the POs the shortage counts on, in arrival order */
    refs: string[];
  };
}

export interface TaskAllocation {
  taskId: string;
  complete: boolean;
  materials: MaterialAllocation[];
}

const ZERO = new Decimal(0);
const fmt = (d: Decimal) => d.toFixed(4);

/** The allocation, tasks in the order they start; `free` per item (negative counts as none). */
export function allocateShortages(tasks: readonly ShortageTaskInput[], free: ReadonlyMap<string, string>, supply: readonly KitSupply[]): TaskAllocation[] {
  const stock = new Map<string, Decimal>([...free].map(([id, q]) => [id, Decimal.max(ZERO, new Decimal(q))]));
  const queues = new Map<string, { ref: string; date: string | null; left: Decimal }[]>();
  for (const s of arrivalOrder(supply)) {
    const q = new Decimal(s.quantity);
    if (q.lte(0)) continue;
    queues.set(s.itemId, [...(queues.get(s.itemId) ?? []), { ref: s.ref, date: s.date, left: q }]);
  }
  return startOrder(tasks).map((t) => {
    const materials = t.materials.map((m): MaterialAllocation => {
      const required = new Decimal(m.required);
      const has = stock.get(m.itemId) ?? ZERO;
      const allocated = Decimal.min(has, required);
      stock.set(m.itemId, has.minus(allocated));
      const short = required.minus(allocated);
      const base = { itemId: m.itemId, required: fmt(required), allocated: fmt(allocated), short: fmt(short) };
      if (short.lte(0)) return { ...base, arrival: { status: 'covered', date: null, label: '库存足够', refs: [] } };
      const queue = queues.get(m.itemId) ?? [];
      if (!queue.some((s) => s.left.gt(0))) return { ...base, arrival: { status: 'none', date: null, label: '无在途', refs: [] } };
      let rest = short;
      const refs: string[] = [];
      for (const s of queue) {
        if (s.left.lte(0)) continue;
        const take = Decimal.min(rest, s.left);
        s.left = s.left.minus(take);
        rest = rest.minus(take);
        refs.push(s.ref);
        if (rest.lte(0)) {
          return {
            ...base,
            arrival: s.date ? { status: 'arrives', date: s.date, label: `${s.date} 到货`, refs } : { status: 'undated', date: null, label: '在途未定交期', refs },
          };
        }
      }
      return { ...base, arrival: { status: 'insufficient', date: null, label: `在途不足，仍缺 ${new Decimal(rest.toFixed(4)).toString()}`, refs } };
    });
    return { taskId: t.taskId, complete: materials.every((m) => new Decimal(m.short).lte(0)), materials };
  });
}
