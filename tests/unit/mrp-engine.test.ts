// MRP netting (server/modules/manufacturing/mrp): one test per failure the peers are known for,
// figures computed by hand in the comments. Today is Mon 2026-12-07; lead times are calendar days.
import { describe, expect, it } from 'vitest';
import { MrpInputError, runMrp, streamMrp, type EmittedSuggestion, type MrpBomLine, type MrpBomVersion, type MrpDemand, type MrpInput, type MrpItem, type MrpResult, type MrpSupply } from '../../server/modules/manufacturing/mrp/engine.ts';

const TODAY = '2026-12-07';

const item = (id: string, over: Partial<MrpItem> = {}): MrpItem => ({
  id, code: id, sourcing: 'buy', leadTimeDays: 0, safetyStock: '0', scrapRate: '0', lotPolicy: { kind: 'lotForLot' }, precision: 0, ...over,
});
const make = (id: string, over: Partial<MrpItem> = {}) => item(id, { sourcing: 'make', ...over });
const line = (componentId: string, quantity: string, over: Partial<MrpBomLine> = {}): MrpBomLine => ({
  componentId, quantity, factor: '1', scrapRate: null, phantom: false, ...over,
});
const version = (lines: MrpBomLine[], over: Partial<MrpBomVersion> = {}): MrpBomVersion => ({ id: 'v1', validFrom: '2026-01-01', validTo: null, lines, ...over });
const so = (id: string, itemId: string, date: string, quantity: string): MrpDemand => ({ id, kind: 'salesOrder', itemId, date, quantity, ref: id });
const supply = (id: string, itemId: string, quantity: string, date = TODAY, kind: MrpSupply['kind'] = 'stock'): MrpSupply => ({ id, kind, itemId, date, quantity });

function run(input: Partial<MrpInput>, trace = false): MrpResult {
  return runMrp({ today: TODAY, items: [], boms: [], demands: [], supplies: [], forecastConsumption: [], ...input }, { trace });
}
/** [dueDate, quantity] of an item's suggestions */
const planned = (r: MrpResult, itemId: string) => r.suggestions.filter((s) => s.itemId === itemId).map((s) => [s.dueDate, s.quantity]);
const only = (r: MrpResult, itemId: string) => {
  const list = r.suggestions.filter((s) => s.itemId === itemId);
  expect(list).toHaveLength(1);
  return list[0]!;
};
function refused(fn: () => unknown): MrpInputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MrpInputError);
    return e as MrpInputError;
  }
  throw new Error('expected the engine to refuse the input');
}

describe('low-level codes and shared components', () => {
  it('nets a nut used by the finished good and inside its sub-assembly once, across both needs, after both parents', () => {
    // FG (LT 2) = 2 NUT + 1 SUB; SUB (LT 3) = 4 NUT. SO 10 FG due 12-20.
    // FG: order 12-18 → NUT 20 needed 12-18, SUB 10 needed 12-18 → SUB order 12-15 → NUT 40 needed 12-15.
    // NUT stock 50, netted once in date order: 12-15 takes 40 (10 left), 12-18 takes 10, short 10.
    // Netting each use separately against the same 50 would suggest nothing (the under-count).
    const r = run({
      items: [make('FG', { leadTimeDays: 2 }), make('SUB', { leadTimeDays: 3 }), item('NUT')],
      boms: [
        { itemId: 'FG', versions: [version([line('NUT', '2'), line('SUB', '1')])] },
        { itemId: 'SUB', versions: [version([line('NUT', '4')])] },
      ],
      demands: [so('so1', 'FG', '2026-12-20', '10')],
      supplies: [supply('st-nut', 'NUT', '50')],
    });
    expect(r.lowLevelCodes).toEqual({ FG: 0, SUB: 1, NUT: 2 });
    expect(planned(r, 'FG')).toEqual([['2026-12-20', '10']]);
    expect(planned(r, 'SUB')).toEqual([['2026-12-18', '10']]);
    const nut = only(r, 'NUT');
    expect([nut.dueDate, nut.quantity, nut.kind]).toEqual(['2026-12-18', '10', 'purchase']);
    expect(nut.pegging).toEqual([{ source: 'suggestion', suggestionKey: 'FG@2026-12-20', itemId: 'FG', quantity: '10' }]);
    expect(only(r, 'FG').materials).toEqual([
      { itemId: 'NUT', quantity: '20', date: '2026-12-18' },
      { itemId: 'SUB', quantity: '10', date: '2026-12-18' },
    ]);
  });

  it('gives an item used at levels 1 and 3 the deeper code, whatever order the BOMs arrive in', () => {
    // A → B → C → D and A → D: D is netted at level 3, after C.
    const boms = [
      { itemId: 'C', versions: [version([line('D', '1')])] },
      { itemId: 'A', versions: [version([line('D', '1'), line('B', '1')])] },
      { itemId: 'B', versions: [version([line('C', '1')])] },
    ];
    const r = run({ items: [item('D'), make('C'), make('B'), make('A')], boms });
    expect(r.lowLevelCodes).toEqual({ A: 0, B: 1, C: 2, D: 3 });
  });
});

describe('netting each item once, with stock at every level', () => {
  it('nets sub-assembly stock before exploding: 4 SUB in stock leave 6 to make, so 18 C, not 30', () => {
    // SO 10 FG; FG = 1 SUB; SUB stock 4 → make 6; SUB = 3 C → C 18.
    const r = run({
      items: [make('FG'), make('SUB'), item('C')],
      boms: [{ itemId: 'FG', versions: [version([line('SUB', '1')])] }, { itemId: 'SUB', versions: [version([line('C', '3')])] }],
      demands: [so('so1', 'FG', '2026-12-10', '10')],
      supplies: [supply('st-sub', 'SUB', '4')],
    });
    expect(planned(r, 'SUB')).toEqual([['2026-12-10', '6']]);
    expect(planned(r, 'C')).toEqual([['2026-12-10', '18']]);
  });

  it('nets all demand of an item in date order with one suggestion per day: 5 + 7 on 12-10 and 9 on 12-12 against 8 in stock', () => {
    // stock 8: 12-10 needs 12 → short 4 (one suggestion for the day, pegged to both orders in key order),
    // 12-12 needs 9 → short 9.
    const r = run({
      items: [item('P')],
      demands: [so('b', 'P', '2026-12-10', '7'), so('a', 'P', '2026-12-10', '5'), so('c', 'P', '2026-12-12', '9')],
      supplies: [supply('st', 'P', '8')],
    });
    expect(planned(r, 'P')).toEqual([['2026-12-10', '4'], ['2026-12-12', '9']]);
    // 'a' (5) takes 5 of the stock, 'b' takes the other 3 and is short 4
    expect(r.suggestions[0]!.pegging).toEqual([{ source: 'demand', demandId: 'b', demandKind: 'salesOrder', ref: 'b', quantity: '4' }]);
  });

  it('nets only the free stock it is given: 5 free (20 more reserved, left out by the loader) against 12 unreserved → buy 7', () => {
    const r = run({ items: [item('P')], demands: [so('so1', 'P', '2026-12-10', '12')], supplies: [supply('free', 'P', '5')] });
    expect(planned(r, 'P')).toEqual([['2026-12-10', '7']]);
  });
});

describe('safety stock', () => {
  it('adds the floor of 20 once per item, not per row: 3 orders of 15 against 30 in stock → 35 in total', () => {
    // 12-10: 30 − 15 = 15 < 20 → floor set: the 15 left are held, 5 more to buy (pegged to safety stock).
    // 12-12: 15 short → 15. 12-14: 15 short → 15. 5 + 15 + 15 = 35 = 45 + 20 − 30. Per row it would be 95.
    const r = run({
      items: [item('P', { safetyStock: '20' })],
      demands: [so('a', 'P', '2026-12-10', '15'), so('b', 'P', '2026-12-12', '15'), so('c', 'P', '2026-12-14', '15')],
      supplies: [supply('st', 'P', '30')],
    }, true);
    expect(planned(r, 'P')).toEqual([['2026-12-10', '5'], ['2026-12-12', '15'], ['2026-12-14', '15']]);
    expect(r.suggestions[0]!.pegging).toEqual([{ source: 'safetyStock', quantity: '5' }]);
    expect(r.balances!.P!.map((b) => b.projected)).toEqual(['30', '20', '20', '20']);
  });

  it('creates demand today when free stock already is below the floor and nothing else is needed: floor 10, stock 4 → 6 due today', () => {
    const r = run({ items: [item('P', { safetyStock: '10', leadTimeDays: 2 })], supplies: [supply('st', 'P', '4')] });
    const s = only(r, 'P');
    expect([s.dueDate, s.quantity, s.orderDate, s.pastDue]).toEqual([TODAY, '6', '2026-12-05', true]);
    expect(s.pegging).toEqual([{ source: 'safetyStock', quantity: '6' }]);
  });
});

describe('scrap', () => {
  it('rounds each level up to its unit: 12 FG at 10 % → 14 SUB (13.33), at 5 % item scrap → 30 bolts (29.47), not 29', () => {
    // SUB = ceil(12 / 0.9) = ceil(13.33) = 14; BOLT = ceil(14 × 2 / 0.95) = ceil(29.47) = 30.
    // Rounding only at the end would give ceil(12 / 0.9 × 2 / 0.95) = ceil(28.07) = 29.
    const r = run({
      items: [make('FG'), make('SUB'), item('BOLT', { scrapRate: '0.05' })],
      boms: [
        { itemId: 'FG', versions: [version([line('SUB', '1', { scrapRate: '0.1' })])] },
        { itemId: 'SUB', versions: [version([line('BOLT', '2')])] },
      ],
      demands: [so('so1', 'FG', '2026-12-10', '12')],
    });
    expect(planned(r, 'SUB')).toEqual([['2026-12-10', '14']]);
    expect(planned(r, 'BOLT')).toEqual([['2026-12-10', '30']]);
  });

  it("uses the line's scrap rate over the item's: 12 at line 10 % → 14, not 24 at the item's 50 %", () => {
    const r = run({
      items: [make('FG'), item('C', { scrapRate: '0.5' })],
      boms: [{ itemId: 'FG', versions: [version([line('C', '1', { scrapRate: '0.1' })])] }],
      demands: [so('so1', 'FG', '2026-12-10', '12')],
    });
    expect(planned(r, 'C')).toEqual([['2026-12-10', '14']]);
  });

  it('rounds to a 2-decimal unit: 10 × 0.333 kg at 3 % → 3.44 kg (3.4330…)', () => {
    // 3.33 / 0.97 = 3.43298… → 3.44
    const r = run({
      items: [make('FG'), item('WIRE', { precision: 2 })],
      boms: [{ itemId: 'FG', versions: [version([line('WIRE', '0.333', { scrapRate: '0.03' })])] }],
      demands: [so('so1', 'FG', '2026-12-10', '10')],
    });
    expect(planned(r, 'WIRE')).toEqual([['2026-12-10', '3.44']]);
  });

  it('refuses a scrap rate of 100 % or more, on a line or on an item, with a typed error', () => {
    const lineScrap = refused(() => run({
      items: [make('FG'), item('C')],
      boms: [{ itemId: 'FG', versions: [version([line('C', '1', { scrapRate: '1' })])] }],
    }));
    expect(lineScrap.reason).toBe('SCRAP_RATE');
    expect(lineScrap.code).toBe('VALIDATION_FAILED');
    expect(lineScrap.message).toContain('损耗率');
    expect(refused(() => run({ items: [item('C', { scrapRate: '1.2' })] })).reason).toBe('SCRAP_RATE');
  });
});

describe('lot sizing', () => {
  it('carries the surplus of a 100 MOQ lot to later needs: 30, 50, 40 → lots of 100 on 12-10 and 12-20 only', () => {
    // MOQ 100, multiple 25. 12-10: 30 → ceil(max(100, 30) / 25) × 25 = 100, 70 left.
    // 12-15: 50 from the surplus, 20 left. 12-20: 40 − 20 = 20 short → 100 again.
    const r = run({
      items: [item('P', { lotPolicy: { kind: 'fixed', moq: '100', multiple: '25' } })],
      demands: [so('a', 'P', '2026-12-10', '30'), so('b', 'P', '2026-12-15', '50'), so('c', 'P', '2026-12-20', '40')],
    });
    expect(planned(r, 'P')).toEqual([['2026-12-10', '100'], ['2026-12-20', '100']]);
    const dem = (id: string, quantity: string) => ({ source: 'demand', demandId: id, demandKind: 'salesOrder', ref: id, quantity });
    expect(r.suggestions[0]!.pegging).toEqual([dem('a', '30'), dem('b', '50'), dem('c', '20')]);
    expect(r.suggestions[1]!.pegging).toEqual([dem('c', '20')]);
  });

  it('rounds up to the multiple above the MOQ: net 130 with MOQ 100 and multiple 25 → 150', () => {
    // ceil(max(100, 130) / 25) × 25 = ceil(5.2) × 25 = 150
    const r = run({
      items: [item('P', { lotPolicy: { kind: 'fixed', moq: '100', multiple: '25' } })],
      demands: [so('a', 'P', '2026-12-10', '130')],
    });
    expect(planned(r, 'P')).toEqual([['2026-12-10', '150']]);
  });

  it('explodes the whole lot, surplus included: a lot of 50 FG (MOQ) for a need of 8 needs 100 C', () => {
    const r = run({
      items: [make('FG', { lotPolicy: { kind: 'fixed', moq: '50', multiple: '10' } }), item('C')],
      boms: [{ itemId: 'FG', versions: [version([line('C', '2')])] }],
      demands: [so('a', 'FG', '2026-12-10', '8')],
    });
    expect(planned(r, 'FG')).toEqual([['2026-12-10', '50']]);
    expect(planned(r, 'C')).toEqual([['2026-12-10', '100']]);
  });
});

describe('existing supply', () => {
  it('nets POs, requisitions, production tasks and firmed suggestions at their due dates before suggesting', () => {
    // needs: 30 on 12-10, 30 on 12-15, 30 on 12-20, 30 on 12-25 (120).
    // PO 40 due 12-12 arrives after the first need → 12-10 short 30;
    // 12-15: PO 40 + req 10 (12-14) = 50, takes 30 → 20; 12-20: + task 5 + firmed 5 = 30, takes 30 → 0;
    // 12-25: 30 short.
    const r = run({
      items: [item('P')],
      demands: ['2026-12-10', '2026-12-15', '2026-12-20', '2026-12-25'].map((d, i) => so(`o${i}`, 'P', d, '30')),
      supplies: [
        supply('po', 'P', '40', '2026-12-12', 'purchaseOrder'),
        supply('rq', 'P', '10', '2026-12-14', 'requisition'),
        supply('pt', 'P', '5', '2026-12-18', 'productionTask'),
        supply('fs', 'P', '5', '2026-12-19', 'firmedSuggestion'),
      ],
    });
    expect(planned(r, 'P')).toEqual([['2026-12-10', '30'], ['2026-12-25', '30']]);
  });

  it('nets stock awaiting inspection (待检) as available today, beside free stock', () => {
    // need 100 on 12-10: free 30 + 待检 50 (its date in the past counts as today) = 80 → short 20
    const r = run({
      items: [item('P')],
      demands: [so('o', 'P', '2026-12-10', '100')],
      supplies: [supply('insp', 'P', '50', '2026-12-01', 'inspection'), supply('st', 'P', '30')],
    }, true);
    expect(planned(r, 'P')).toEqual([['2026-12-10', '20']]);
    expect(r.balances!.P).toMatchObject([{ date: '2026-12-10', gross: '100', receipts: '80', planned: '20', projected: '0' }]);
  });

  it('suggests nothing on a rerun after its suggestions are firmed (supply) with their materials (demand)', () => {
    const input: MrpInput = {
      today: TODAY,
      items: [make('FG', { leadTimeDays: 2, lotPolicy: { kind: 'fixed', moq: '20', multiple: '5' } }), make('SUB', { leadTimeDays: 1, safetyStock: '3' }), item('C', { scrapRate: '0.1' })],
      boms: [{ itemId: 'FG', versions: [version([line('SUB', '1'), line('C', '2')])] }, { itemId: 'SUB', versions: [version([line('C', '3')])] }],
      demands: [so('a', 'FG', '2026-12-10', '7'), so('b', 'FG', '2026-12-20', '16')],
      supplies: [supply('st', 'C', '11')],
      forecastConsumption: [],
    };
    const first = runMrp(input);
    expect(first.suggestions.length).toBeGreaterThan(0);
    expect(runMrp(firmAll(input, first)).suggestions).toEqual([]);
  });
});

describe('phantom (跳层) lines', () => {
  it('passes a phantom need straight through after its own stock: 20 PH, 5 in stock → 45 C, no PH suggestion', () => {
    // SO 10 FG; FG = 2 PH (phantom); PH = 3 C. PH need 20, stock 5 covers 5, 15 pass through → C 45.
    const r = run({
      items: [make('FG', { leadTimeDays: 1 }), make('PH', { leadTimeDays: 9 }), item('C')],
      boms: [{ itemId: 'FG', versions: [version([line('PH', '2', { phantom: true })])] }, { itemId: 'PH', versions: [version([line('C', '3')])] }],
      demands: [so('so1', 'FG', '2026-12-10', '10')],
      supplies: [supply('st', 'PH', '5')],
    });
    expect(planned(r, 'PH')).toEqual([]);
    // the phantom's lead time is ignored: C is needed on FG's order date 12-09
    const c = only(r, 'C');
    expect([c.dueDate, c.quantity]).toEqual(['2026-12-09', '45']);
    expect(c.pegging).toEqual([{ source: 'suggestion', suggestionKey: 'FG@2026-12-10', itemId: 'FG', quantity: '45' }]);
    expect(only(r, 'FG').materials).toEqual([
      { itemId: 'C', quantity: '45', date: '2026-12-09' },
      { itemId: 'PH', quantity: '5', date: '2026-12-09' },
    ]);
  });
});

describe('streamMrp: suggestions handed over as soon as they are final (the run writes them meanwhile)', () => {
  /** each yield's suggestions, as copies taken when they were yielded */
  const yields = (input: MrpInput): EmittedSuggestion[][] => {
    const out: EmittedSuggestion[][] = [];
    const netting = streamMrp(input);
    for (let next = netting.next(); !next.done; next = netting.next()) out.push(structuredClone(next.value));
    return out;
  };

  it('tells its progress about 20 times a run, from 0 of all items, in low-level-code order (for the run progress bar)', () => {
    const calls: [number, number][] = [];
    const ids = Array.from({ length: 45 }, (_, i) => `I${String(i).padStart(2, '0')}`);
    const netting = streamMrp(
      { today: TODAY, items: ids.map((id) => item(id)), boms: [], demands: ids.map((id, i) => so(`so${i}`, id, '2026-12-10', '1')), supplies: [], forecastConsumption: [] },
      { onProgress: (done, total) => calls.push([done, total]) },
    );
    let suggestions = 0;
    for (let next = netting.next(); !next.done; next = netting.next()) suggestions += next.value.length;
    expect(suggestions).toBe(45);
    // every ceil(45 / 20) = 3 items: 0, 3, …, 42 of 45
    expect(calls).toEqual(Array.from({ length: 15 }, (_, k) => [3 * k, 45]));
  });

  it('holds a suggestion back until the phantom it passes through is netted: FG comes with the PH and C materials', () => {
    // the phantom example above: FG (LT 1) = 2 PH (phantom); PH = 3 C; SO 10 FG due 12-10; 5 PH in stock
    const got = yields({
      today: TODAY, items: [make('FG', { leadTimeDays: 1 }), make('PH', { leadTimeDays: 9 }), item('C')],
      boms: [{ itemId: 'FG', versions: [version([line('PH', '2', { phantom: true })])] }, { itemId: 'PH', versions: [version([line('C', '3')])] }],
      demands: [so('so1', 'FG', '2026-12-10', '10')],
      supplies: [supply('st', 'PH', '5')], forecastConsumption: [],
    });
    // netting FG yields nothing (its materials are not known yet); netting PH yields FG; netting C yields C
    expect(got.map((y) => y.map((e) => e.suggestion.key))).toEqual([['FG@2026-12-10'], ['C@2026-12-09']]);
    expect(got[0]![0]!.suggestion.materials).toEqual([
      { itemId: 'C', quantity: '45', date: '2026-12-09' },
      { itemId: 'PH', quantity: '5', date: '2026-12-09' },
    ]);
  });

  it('hands over each of runMrp’s suggestions exactly once, over the 40 generated plans', () => {
    for (const seed of SEEDS) {
      const input = generate(seed);
      const emitted = yields(input).flat();
      expect(new Set(emitted.map((e) => e.index)).size, `seed ${seed}`).toBe(emitted.length);
      expect(emitted.sort((a, b) => a.index - b.index).map((e) => e.suggestion), `seed ${seed}`).toEqual(runMrp(input).suggestions);
    }
  });
});

describe('units, dates and versions', () => {
  it('converts BOM line units: 2 boxes of 100 per FG → 2,000 pcs for 10 FG; 250 g at 0.001 kg/g → 2.5 kg', () => {
    const r = run({
      items: [make('FG'), item('PCS'), item('KG', { precision: 3 })],
      boms: [{ itemId: 'FG', versions: [version([line('PCS', '2', { factor: '100' }), line('KG', '250', { factor: '0.001' })])] }],
      demands: [so('so1', 'FG', '2026-12-10', '10')],
    });
    expect(planned(r, 'PCS')).toEqual([['2026-12-10', '2000']]);
    expect(planned(r, 'KG')).toEqual([['2026-12-10', '2.5']]);
  });

  it('offsets lead times level by level and flags (never drops) a release date in the past', () => {
    // FG LT 2 due 12-20 → order 12-18; C LT 3 needed 12-18 → order 12-15.
    // SO due 12-09 with LT 5 → order 12-04 (past due). SO overdue 12-01 → due today 12-07, order 12-02.
    const r = run({
      items: [make('FG', { leadTimeDays: 2 }), item('C', { leadTimeDays: 3 }), item('Q', { leadTimeDays: 5 })],
      boms: [{ itemId: 'FG', versions: [version([line('C', '1')])] }],
      demands: [so('a', 'FG', '2026-12-20', '1'), so('b', 'Q', '2026-12-09', '1'), so('c', 'Q', '2026-12-01', '1')],
    });
    const dates = r.suggestions.map((s) => [s.itemId, s.orderDate, s.dueDate, s.pastDue]);
    expect(dates).toEqual([
      ['FG', '2026-12-18', '2026-12-20', false],
      ['Q', '2026-12-02', '2026-12-07', true],
      ['Q', '2026-12-04', '2026-12-09', true],
      ['C', '2026-12-15', '2026-12-18', false],
    ]);
  });

  it('uses the BOM version valid on the order date: due 12-20 (order 12-17) → v2, due 12-16 (order 12-13) → v1', () => {
    const r = run({
      items: [make('FG', { leadTimeDays: 3 }), item('OLD'), item('NEW')],
      boms: [{
        itemId: 'FG',
        versions: [
          version([line('NEW', '1')], { id: 'v2', validFrom: '2026-12-15' }),
          version([line('OLD', '1')], { id: 'v1', validFrom: '2026-01-01', validTo: '2026-12-14' }),
        ],
      }],
      demands: [so('a', 'FG', '2026-12-20', '4'), so('b', 'FG', '2026-12-16', '6')],
    });
    expect(r.suggestions.filter((s) => s.itemId === 'FG').map((s) => [s.dueDate, s.bomVersionId])).toEqual([['2026-12-16', 'v1'], ['2026-12-20', 'v2']]);
    expect(planned(r, 'OLD')).toEqual([['2026-12-13', '6']]);
    expect(planned(r, 'NEW')).toEqual([['2026-12-17', '4']]);
  });

  it('refuses a BOM cycle with its path named: A → B → C → A', () => {
    const e = refused(() => run({
      items: [make('A'), make('B'), make('C')],
      boms: [
        { itemId: 'A', versions: [version([line('B', '1')])] },
        { itemId: 'B', versions: [version([line('C', '1')])] },
        { itemId: 'C', versions: [version([line('A', '1')])] },
      ],
    }));
    expect(e.reason).toBe('BOM_CYCLE');
    expect(e.path).toEqual(['A', 'B', 'C', 'A']);
    expect(e.message).toBe('物料清单存在循环：A → B → C → A');
  });

  it('refuses zero or negative quantities, unknown components, impossible dates and a zero lot multiple', () => {
    const bomWith = (l: MrpBomLine) => () => run({ items: [make('FG'), item('C')], boms: [{ itemId: 'FG', versions: [version([l])] }] });
    expect(refused(bomWith(line('C', '0'))).reason).toBe('INVALID_INPUT');
    expect(refused(bomWith(line('C', '1', { factor: '-1' }))).reason).toBe('INVALID_INPUT');
    expect(refused(bomWith(line('X', '1'))).reason).toBe('UNKNOWN_ITEM');
    expect(refused(() => run({ items: [item('C')], demands: [so('a', 'C', '2026-12-10', '-1')] })).reason).toBe('INVALID_INPUT');
    expect(refused(() => run({ items: [item('C')], demands: [so('a', 'C', '2026-02-30', '1')] })).message).toContain('2026-02-30');
    expect(refused(() => run({ items: [item('C', { lotPolicy: { kind: 'fixed', moq: '10', multiple: '0' } })] })).message).toContain('批量倍数');
  });
});

describe('sourcing and missing BOMs', () => {
  it('suggests make items as production with their BOM version, buy and outsourced items as purchases', () => {
    const r = run({
      items: [make('FG'), item('B'), item('O', { sourcing: 'outsource' })],
      boms: [{ itemId: 'FG', versions: [version([line('B', '1')])] }],
      demands: [so('a', 'FG', '2026-12-10', '1'), so('b', 'O', '2026-12-10', '1')],
    });
    expect(r.suggestions.map((s) => [s.itemId, s.kind, s.bomVersionId])).toEqual([['FG', 'production', 'v1'], ['O', 'purchase', null], ['B', 'purchase', null]]);
  });

  it('keeps a production suggestion without a BOM version valid on its order date and warns, exploding nothing', () => {
    const r = run({
      items: [make('FG', { leadTimeDays: 1 }), item('C')],
      boms: [{ itemId: 'FG', versions: [version([line('C', '1')], { validFrom: '2027-01-01' })] }],
      demands: [so('a', 'FG', '2026-12-10', '3')],
    });
    expect(r.suggestions.map((s) => [s.itemId, s.quantity, s.bomVersionId])).toEqual([['FG', '3', null]]);
    expect(r.warnings).toEqual([{ kind: 'noBomVersion', itemId: 'FG', date: '2026-12-09' }]);
  });

  it('plans a phantom line whose item has no BOM like any item (a purchase of the shortfall) and warns', () => {
    // FG = 2 PH (phantom, but PH is bought): 5 FG → 10 PH, 4 in stock → buy 6
    const r = run({
      items: [make('FG'), item('PH')],
      boms: [{ itemId: 'FG', versions: [version([line('PH', '2', { phantom: true })])] }],
      demands: [so('a', 'FG', '2026-12-10', '5')],
      supplies: [supply('st', 'PH', '4')],
    });
    expect(planned(r, 'PH')).toEqual([['2026-12-10', '6']]);
    expect(only(r, 'FG').materials).toEqual([{ itemId: 'PH', quantity: '10', date: '2026-12-10' }]);
    expect(r.warnings).toEqual([{ kind: 'phantomWithoutBom', itemId: 'PH', date: '2026-12-10' }]);
  });
});

describe('forecasts', () => {
  const fc = (id: string, date: string, quantity: string): MrpDemand => ({ id, kind: 'forecast', itemId: 'P', date, quantity, ref: id });
  const ordered = (month: string, quantity: string) => ({ itemId: 'P', month, quantity });

  it('consumes a forecast by the same month’s orders: Dec 100 − 30 → 70 left; Jan 50 − 80 → 0 left', () => {
    const r = run({
      items: [item('P')],
      demands: [fc('f12', '2026-12-31', '100'), so('s12', 'P', '2026-12-10', '30'), fc('f01', '2027-01-31', '50'), so('s01', 'P', '2027-01-15', '80')],
      forecastConsumption: [ordered('2026-12', '30'), ordered('2027-01', '80')],
    });
    expect(planned(r, 'P')).toEqual([['2026-12-10', '30'], ['2026-12-31', '70'], ['2027-01-15', '80']]);
  });

  it('an order of 300 fully reserved from stock (no open demand) still consumes: forecast 500 → 200 planned, not 500', () => {
    // forecast dated the month's first day (as the loader does), netted as of today; the order's
    // stock is reserved, so neither it nor its free stock is in the input
    const r = run({ items: [item('P')], demands: [fc('f', '2026-12-01', '500')], forecastConsumption: [ordered('2026-12', '300')] });
    expect(planned(r, 'P')).toEqual([['2026-12-07', '200']]);
    expect(only(r, 'P').pegging).toEqual([{ source: 'demand', demandId: 'f', demandKind: 'forecast', ref: 'f', quantity: '200' }]);
  });

  it('a partly shipped order consumes by its whole quantity: 300 ordered, 100 shipped, 200 open → forecast 500 − 300 = 200', () => {
    const r = run({
      items: [item('P')],
      demands: [fc('f', '2026-12-01', '500'), so('s', 'P', '2026-12-10', '200')],
      forecastConsumption: [ordered('2026-12', '300')],
    });
    // by the open 200 alone it would be 300 + 200
    expect(planned(r, 'P')).toEqual([['2026-12-07', '200'], ['2026-12-10', '200']]);
  });

  it('orders of other months do not consume: Dec 500 − Dec 200 = 300, Nov’s 100 and Jan’s excess 300 leave it alone', () => {
    // Nov: an overdue open order of 100 (netted today). Dec: 200 ordered, all reserved. Jan: forecast
    // 100, 400 ordered and open → Jan forecast 0, its 300 beyond the forecast stays in January.
    const r = run({
      items: [item('P')],
      demands: [so('s11', 'P', '2026-11-20', '100'), fc('f12', '2026-12-01', '500'), fc('f01', '2027-01-01', '100'), so('s01', 'P', '2027-01-15', '400')],
      forecastConsumption: [ordered('2026-11', '100'), ordered('2026-12', '200'), ordered('2027-01', '400')],
    });
    expect(planned(r, 'P')).toEqual([['2026-12-07', '400'], ['2027-01-15', '400']]);
  });

  it('orders above the forecast leave it at 0, never negative: forecast 500, 800 ordered (500 reserved, 300 open) → 300 planned', () => {
    const r = run({
      items: [item('P')],
      demands: [fc('f', '2026-12-01', '500'), so('s', 'P', '2026-12-15', '300')],
      forecastConsumption: [ordered('2026-12', '800')],
    });
    expect(planned(r, 'P')).toEqual([['2026-12-15', '300']]);
    expect(only(r, 'P').pegging).toEqual([{ source: 'demand', demandId: 's', demandKind: 'salesOrder', ref: 's', quantity: '300' }]);
  });

  it('refuses consumption rows twice for one item and month, of an unknown item, with a bad month or a negative quantity', () => {
    const bad = (rows: MrpInput['forecastConsumption']) => refused(() => run({ items: [item('P')], forecastConsumption: rows }));
    expect(bad([ordered('2026-12', '1'), ordered('2026-12', '2')]).message).toBe('预测冲减 P 2026-12 重复');
    expect(bad([{ itemId: 'X', month: '2026-12', quantity: '1' }]).reason).toBe('UNKNOWN_ITEM');
    expect(bad([ordered('2026-13', '1')]).message).toContain('2026-13-01');
    expect(bad([ordered('2026-12', '-1')]).message).toContain('不能小于 0');
  });
});

// ---- property tests on generated plans -------------------------------------------------------

/** Firms every suggestion: each becomes supply at its due date, a production one's materials demand. */
function firmAll(input: MrpInput, result: MrpResult): MrpInput {
  return {
    ...input,
    supplies: [...input.supplies, ...result.suggestions.map((s): MrpSupply => ({ id: `F:${s.key}`, kind: 'firmedSuggestion', itemId: s.itemId, date: s.dueDate, quantity: s.quantity }))],
    demands: [...input.demands, ...result.suggestions.flatMap((s) => s.materials.map((m, i): MrpDemand => ({
      id: `M:${s.key}:${i}`, kind: 'productionMaterial', itemId: m.itemId, date: m.date, quantity: m.quantity, ref: s.key,
    })))],
  };
}

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return { next, int, pick, shuffle };
}

const day = (offset: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** 5 levels, shared components across levels, phantoms, two BOM versions, lots, scrap, safety stock. */
function generate(seed: number): MrpInput {
  const g = rng(seed);
  const levels = [4, 5, 6, 6, 6];
  const ids: string[][] = levels.map((n, l) => Array.from({ length: n }, (_, i) => `L${l}I${i}`));
  const items: MrpItem[] = ids.flatMap((row, l) => row.map((id) => ({
    id, code: id, sourcing: l === levels.length - 1 ? g.pick(['buy', 'outsource'] as const) : 'make',
    leadTimeDays: g.int(0, 4), safetyStock: g.next() < 0.25 ? String(g.int(1, 15)) : '0', scrapRate: g.pick(['0', '0', '0.02']),
    lotPolicy: g.next() < 0.5 ? { kind: 'lotForLot' } : { kind: 'fixed', moq: String(g.int(0, 40)), multiple: g.pick(['1', '5', '10', '0.5']) },
    precision: g.pick([0, 0, 2]),
  } satisfies MrpItem)));
  const lines = (l: number): MrpBomLine[] => {
    const deeper = ids.slice(l + 1).flat();
    const chosen = new Set(Array.from({ length: g.int(1, 3) }, () => (g.next() < 0.7 ? g.pick(ids[l + 1]!) : g.pick(deeper))));
    return [...chosen].map((c) => ({
      componentId: c, quantity: g.pick(['1', '2', '3', '0.5', '1.25']), factor: g.pick(['1', '1', '2', '0.1']),
      scrapRate: g.pick([null, null, '0.05', '0.1']), phantom: !c.startsWith(`L${levels.length - 1}`) && g.next() < 0.2,
    }));
  };
  const boms = ids.slice(0, -1).flatMap((row, l) => row.map((id) => ({
    itemId: id,
    versions: g.next() < 0.3
      ? [version(lines(l), { id: `${id}v1`, validTo: day(10) }), version(lines(l), { id: `${id}v2`, validFrom: day(11) })]
      : [version(lines(l), { id: `${id}v1` })],
  })));
  const all = ids.flat();
  const demands: MrpDemand[] = Array.from({ length: 14 }, (_, i) => ({
    id: `d${i}`, kind: g.pick(['salesOrder', 'salesOrder', 'forecast'] as const), itemId: g.next() < 0.8 ? g.pick(ids[0]!) : g.pick(all),
    date: day(g.int(-3, 40)), quantity: String(g.int(1, 60)), ref: `ref${i}`,
  }));
  const supplies: MrpSupply[] = Array.from({ length: 12 }, (_, i) => ({
    id: `s${i}`, kind: g.pick(['stock', 'purchaseOrder', 'requisition', 'productionTask'] as const), itemId: g.pick(all),
    date: day(g.int(-2, 30)), quantity: String(g.int(1, 80)),
  }));
  // what was ordered per month: the open sales demand plus, for every third order, 7 more
  // (reserved or shipped), without drawing from the generator so the plans stay as they were
  const orderedByMonth = new Map<string, number>();
  demands.forEach((d, i) => {
    const key = `${d.itemId}|${d.date.slice(0, 7)}`;
    if (d.kind === 'salesOrder') orderedByMonth.set(key, (orderedByMonth.get(key) ?? 0) + Number(d.quantity) + (i % 3 === 0 ? 7 : 0));
  });
  const forecastConsumption = [...orderedByMonth].map(([key, q]) => ({ itemId: key.split('|')[0]!, month: key.split('|')[1]!, quantity: String(q) }));
  return { today: TODAY, items, boms, demands, supplies, forecastConsumption };
}

const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i * 7919);

describe('properties over 40 generated 5-level plans', () => {
  it('gives the same output for the same input, also with items, BOMs, versions, demands and supplies shuffled', () => {
    const seen = { pastDue: false, safetyStock: false, passedThrough: false, laterVersion: false, lotSurplus: false };
    for (const seed of SEEDS) {
      const input = generate(seed);
      const g = rng(seed + 1);
      const shuffled: MrpInput = {
        today: input.today,
        items: g.shuffle(input.items),
        boms: g.shuffle(input.boms.map((b) => ({ ...b, versions: g.shuffle(b.versions) }))),
        demands: g.shuffle(input.demands),
        supplies: g.shuffle(input.supplies),
        forecastConsumption: g.shuffle(input.forecastConsumption),
      };
      const a = runMrp(input, { trace: true });
      expect(a.suggestions.length, `seed ${seed}`).toBeGreaterThan(0);
      expect(runMrp(input, { trace: true }), `seed ${seed}`).toEqual(a);
      expect(runMrp(shuffled, { trace: true }), `seed ${seed}`).toEqual(a);
      seen.pastDue ||= a.suggestions.some((s) => s.pastDue);
      seen.safetyStock ||= a.suggestions.some((s) => s.pegging.some((p) => p.source === 'safetyStock'));
      seen.passedThrough ||= Object.values(a.balances!).some((b) => b.some((x) => x.passedThrough !== '0'));
      seen.laterVersion ||= a.suggestions.some((s) => s.bomVersionId?.endsWith('v2') ?? false);
      seen.lotSurplus ||= a.suggestions.some((s) => s.pegging.some((p) => p.source === 'demand') && s.pegging.length > 1);
    }
    // the generated plans do exercise the rules the properties are about
    expect(seen).toEqual({ pastDue: true, safetyStock: true, passedThrough: true, laterVersion: true, lotSurplus: true });
  });

  it('suggests nothing on a rerun after every suggestion is firmed', () => {
    for (const seed of SEEDS) {
      const input = generate(seed);
      const first = runMrp(input);
      expect(runMrp(firmAll(input, first)).suggestions, `seed ${seed}`).toEqual([]);
    }
  });

  it('covers every item: its supply plus suggestions are at least its demand (forecasts net of the month’s orders, materials of production suggestions)', () => {
    for (const seed of SEEDS) {
      const input = generate(seed);
      const r = runMrp(input);
      const need = new Map<string, number>();
      const add = (m: Map<string, number>, k: string, q: string | number) => m.set(k, (m.get(k) ?? 0) + Number(q));
      const forecastByMonth = new Map<string, number>();
      for (const d of input.demands) {
        if (d.kind === 'forecast') add(forecastByMonth, `${d.itemId}|${d.date.slice(0, 7)}`, d.quantity as string);
        else add(need, d.itemId, d.quantity as string);
      }
      const orderedByMonth = new Map(input.forecastConsumption.map((c) => [`${c.itemId}|${c.month}`, Number(c.quantity)]));
      for (const [month, f] of forecastByMonth) add(need, month.split('|')[0]!, Math.max(0, f - (orderedByMonth.get(month) ?? 0)));
      for (const s of r.suggestions) for (const m of s.materials) add(need, m.itemId, m.quantity);
      const have = new Map<string, number>();
      for (const s of input.supplies) add(have, s.itemId, s.quantity as string);
      for (const s of r.suggestions) add(have, s.itemId, s.quantity);
      for (const [id, q] of need) expect(have.get(id) ?? 0, `seed ${seed} item ${id}`).toBeGreaterThanOrEqual(q - 1e-9);
    }
  });
});
