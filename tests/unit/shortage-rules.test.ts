// 足缺料分析 (pure): tasks take the free stock in the order they start, each item on its own; the
// shortages take the open POs in arrival order (dated first), so no stock or PO counts twice.
import { describe, expect, it } from 'vitest';
import { allocateShortages } from '../../server/modules/manufacturing/kitting/shortage-rules.ts';

const po = (itemId: string, ref: string, date: string | null, quantity: string) => ({ itemId, ref, date, quantity });

describe('足缺料分析（纯函数）', () => {
  it('按计划开工先后分配库存；缺口按到货先后占用在途，补齐的那张采购订单给出预计到货日', () => {
    const result = allocateShortages(
      [
        { taskId: 't2', number: 'MO-2', plannedStart: '2026-12-12', materials: [{ itemId: 'rod', required: '80' }, { itemId: 'ctn', required: '2' }] },
        { taskId: 't1', number: 'MO-1', plannedStart: '2026-12-10', materials: [{ itemId: 'rod', required: '60' }] },
        { taskId: 't3', number: 'MO-3', plannedStart: '2026-12-12', materials: [{ itemId: 'rod', required: '50' }] },
      ],
      new Map([['rod', '100'], ['ctn', '5']]),
      [po('rod', 'PO-B', '2026-12-20', '30'), po('rod', 'PO-U', null, '100'), po('rod', 'PO-A', '2026-12-15', '20')],
    );
    expect(result.map((r) => [r.taskId, r.complete])).toEqual([['t1', true], ['t2', false], ['t3', false]]);
    // MO-1 takes 60 of 100; MO-2 the other 40, short 40 = PO-A 20 (12-15) + 20 of PO-B (12-20)
    expect(result[1]!.materials).toEqual([
      { itemId: 'rod', required: '80.0000', allocated: '40.0000', short: '40.0000', arrival: { status: 'arrives', date: '2026-12-20', label: '2026-12-20 到货', refs: ['PO-A', 'PO-B'] } },
      { itemId: 'ctn', required: '2.0000', allocated: '2.0000', short: '0.0000', arrival: { status: 'covered', date: null, label: '库存足够', refs: [] } },
    ]);
    // MO-3: no stock left; PO-B's last 10, then the undated PO-U covers the rest
    expect(result[2]!.materials[0]).toEqual({ itemId: 'rod', required: '50.0000', allocated: '0.0000', short: '50.0000', arrival: { status: 'undated', date: null, label: '在途未定交期', refs: ['PO-B', 'PO-U'] } });
  });

  it('无在途、在途不足；负库存当作没有', () => {
    const [a, b] = allocateShortages(
      [
        { taskId: 'a', number: 'MO-1', plannedStart: '2026-12-01', materials: [{ itemId: 'x', required: '10' }, { itemId: 'y', required: '3.5' }] },
        { taskId: 'b', number: 'MO-2', plannedStart: '2026-12-02', materials: [{ itemId: 'y', required: '1' }] },
      ],
      new Map([['x', '-4']]),
      [po('y', 'PO-Y', '2026-12-09', '4')],
    );
    expect(a!.materials.map((m) => [m.allocated, m.short, m.arrival.label])).toEqual([['0.0000', '10.0000', '无在途'], ['0.0000', '3.5000', '2026-12-09 到货']]);
    expect(b!.materials[0]!.arrival).toEqual({ status: 'insufficient', date: null, label: '在途不足，仍缺 0.5', refs: ['PO-Y'] });
    expect([a!.complete, b!.complete]).toEqual([false, false]);
  });
});
