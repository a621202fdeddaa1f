// What one MRP run reads, as the engine's input: the item master and every BOM (manufacturing's own
// tables), free stock (inventory), the unreserved open quantity of confirmed sales order lines
// (sales), the sales forecasts (备货生产), open purchase orders and requisitions (purchase), and the firmed suggestions — as supply
// at their due date, and a firmed production suggestion's materials as demand; open production tasks
// (production) as supply and their unissued materials as demand. Read in the run's
// transaction, after it took the BOM lock, so a BOM edit cannot land halfway through the read.
import { Decimal } from 'decimal.js';
import type { Tx } from '../../../db/transaction.ts';
import { dateOnlyOf } from '../../finance/index.ts';
import { freeStockOf } from '../../inventory/index.ts';
import { purchaseSupplyForMrp } from '../../purchase/index.ts';
import { openSalesDemand } from '../../sales/index.ts';
import { allBomsWithLines } from '../bom/store.ts';
import { forecastsForMrp } from '../forecast/service.ts';
import { openProductionForMrp } from '../production/service.ts';
import type { MrpBom, MrpDemand, MrpInput, MrpItem, MrpMaterial, MrpSupply } from './types.ts';

/** Where a demand id of the input came from, for the pegging rows. */
export interface DemandSource {
  kind: 'salesOrder' | 'productionMaterial' | 'productionTask';
  /** the sales order line, the firmed suggestion whose material it is, or the production task whose material it is */
  sourceId: string;
}

export interface LoadedInput {
  input: MrpInput;
  demandSources: Map<string, DemandSource>;
  itemCodes: Map<string, string>;
  leadTimes: Map<string, number>;
}

export async function loadMrpInput(tx: Tx, today: string): Promise<LoadedInput> {
  const itemRows = await tx.item.findMany({
    select: {
      id: true, code: true, sourcing: true, leadTimeDays: true, safetyStock: true, scrapRate: true, moq: true, orderMultiple: true,
      baseUnit: { select: { precision: true } },
    },
  });
  const items: MrpItem[] = itemRows.map((i) => ({
    id: i.id, code: i.code, sourcing: i.sourcing, leadTimeDays: i.leadTimeDays, safetyStock: i.safetyStock.toString(), scrapRate: i.scrapRate.toString(),
    // the defaults (no MOQ, multiple 1) mean lot-for-lot, not "whole units only" for a kg item
    lotPolicy: i.moq.isZero() && i.orderMultiple.equals(1) ? { kind: 'lotForLot' } : { kind: 'fixed', moq: i.moq.toString(), multiple: i.orderMultiple.toString() },
    precision: i.baseUnit.precision,
  }));

  const bomRows = await allBomsWithLines(tx);
  const boms: MrpBom[] = bomRows.map((b) => ({
    itemId: b.parentItemId,
    versions: b.versions.map((v) => ({
      id: v.id, validFrom: dateOnlyOf(v.validFrom), validTo: v.validTo ? dateOnlyOf(v.validTo) : null,
      // lines are per batchQuantity of the parent; the engine wants per 1 base unit
      lines: v.lines.map((l) => ({
        componentId: l.componentItemId, quantity: l.quantity.toString(), factor: new Decimal(l.factor.toString()).div(v.batchQuantity.toString()).toString(),
        scrapRate: l.scrapRate === null ? null : l.scrapRate.toString(), phantom: l.phantom,
      })),
    })),
  }));

  const demands: MrpDemand[] = [];
  const demandSources = new Map<string, DemandSource>();
  for (const d of await openSalesDemand(tx)) {
    const id = `so:${d.lineId}`;
    demands.push({ id, kind: 'salesOrder', itemId: d.itemId, date: dateOnlyOf(d.date), quantity: d.quantity, ref: d.ref });
    demandSources.set(id, { kind: 'salesOrder', sourceId: d.lineId });
  }

  // 备货生产: the engine consumes each month's forecast by that month's sales orders
  for (const f of await forecastsForMrp(tx, today)) demands.push({ id: `fc:${f.id}`, kind: 'forecast', itemId: f.itemId, date: f.date, quantity: f.quantity, ref: f.ref });

  const supplies: MrpSupply[] = [];
  for (const [itemId, quantity] of await freeStockOf(tx)) {
    if (new Decimal(quantity).gt(0)) supplies.push({ id: `stock:${itemId}`, kind: 'stock', itemId, date: today, quantity });
  }
  for (const s of await purchaseSupplyForMrp(tx)) supplies.push({ id: `${s.kind}:${s.id}`, kind: s.kind, itemId: s.itemId, date: dateOnlyOf(s.date), quantity: s.quantity });

  // open production tasks: what they will receive is supply, their unissued materials are demand
  const production = await openProductionForMrp(tx);
  for (const s of production.supplies) supplies.push({ id: `task:${s.taskId}`, kind: 'productionTask', itemId: s.itemId, date: s.date, quantity: s.quantity });
  for (const d of production.demands) {
    const id = `task:${d.ref}`;
    demands.push({ id, kind: 'productionMaterial', itemId: d.itemId, date: d.date, quantity: d.quantity, ref: d.ref });
    demandSources.set(id, { kind: 'productionTask', sourceId: d.taskId });
  }

  const itemCodes = new Map(itemRows.map((i) => [i.id, i.code]));
  const firmed = await tx.mrpSuggestion.findMany({ where: { state: 'firmed' }, orderBy: { id: 'asc' } });
  for (const f of firmed) {
    supplies.push({ id: `firmed:${f.id}`, kind: 'firmedSuggestion', itemId: f.itemId, date: dateOnlyOf(f.dueDate), quantity: f.quantity.toString() });
    (f.materials as unknown as MrpMaterial[]).forEach((m, n) => {
      const id = `firmed:${f.id}:${n}`;
      demands.push({ id, kind: 'productionMaterial', itemId: m.itemId, date: m.date, quantity: m.quantity, ref: `生产建议 ${itemCodes.get(f.itemId) ?? ''} ${dateOnlyOf(f.dueDate)}`.slice(0, 64) });
      demandSources.set(id, { kind: 'productionMaterial', sourceId: f.id });
    });
  }

  return { input: { today, items, boms, demands, supplies }, demandSources, itemCodes, leadTimes: new Map(itemRows.map((i) => [i.id, i.leadTimeDays])) };
}
