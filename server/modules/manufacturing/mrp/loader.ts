// What one MRP run reads, as the engine's input: the item master and every BOM (manufacturing's own
// tables), free stock and stock awaiting inspection (inventory), the unreserved open quantity of confirmed sales order lines
// (sales), the sales forecasts (备货生产) with what was ordered in their months (sales), open purchase orders and requisitions (purchase), and the firmed suggestions — as supply
// at their due date, and a firmed production suggestion's materials as demand; open production tasks
// (production) as supply and their unissued materials as demand. Read in the run's
// transaction, after it took the BOM lock, so a BOM edit cannot land halfway through the read.
import { Decimal } from 'decimal.js';
import { withTransactionClient } from '../../../db/preparing-client.ts';
import type { Tx } from '../../../db/transaction.ts';
import { dateOnlyOf } from '../../finance/index.ts';
import { freeStockOf, pendingInspectionStockOf } from '../../inventory/index.ts';
import { purchaseSupplyForMrp } from '../../purchase/index.ts';
import { openSalesDemand, orderedForForecasts } from '../../sales/index.ts';
import { forecastsForMrp } from '../forecast/service.ts';
import { openProductionForMrp } from '../production/service.ts';
import type { MrpBom, MrpDemand, MrpForecastConsumption, MrpInput, MrpItem, MrpMaterial, MrpSupply } from './types.ts';

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
  /** per item, for the run's purchase amount where no purchase price is known */
  standardCosts: Map<string, string>;
}

/** id, code, sourcing, lead time, safety stock, scrap rate, MOQ, multiple, unit precision, standard cost */
type MrpItemRow = [string, string, MrpItem['sourcing'], number, string, string, string, string, number, string];
/** parent, version, valid from, valid to, batch quantity, then the line (all null for a version without lines): component, quantity, factor, scrap rate, phantom */
type MrpBomRow = [string, string, string, string | null, string, string | null, string | null, string | null, string | null, boolean | null];

export async function loadMrpInput(tx: Tx, today: string): Promise<LoadedInput> {
  // Items and BOMs are most of what a run reads (10,000 items, 30,000 BOM lines for a large
  // company): plain SQL on the transaction's own pg connection, every value as text and each row
  // as an array, not the ORM's model reads and nested includes, which cost several times more in
  // Node for the same rows.
  const [itemRows, bomRows] = await withTransactionClient(tx, async (c) => {
    const items = await c.query<MrpItemRow>({
      rowMode: 'array',
      text: `SELECT i.id::text, i.code, i.sourcing::text, i.lead_time_days, trim_scale(i.safety_stock)::text, trim_scale(i.scrap_rate)::text,
                    trim_scale(i.moq)::text, trim_scale(i.order_multiple)::text, u.precision, i.standard_cost::text
               FROM item i JOIN unit u ON u.id = i.base_unit_id`,
    });
    // every BOM version with its lines in line order, one row per line (a version without lines: one row of nulls)
    const boms = await c.query<MrpBomRow>({
      rowMode: 'array',
      text: `SELECT b.parent_item_id::text, v.id::text, v.valid_from::text, v.valid_to::text, v.batch_quantity::text, l.component_item_id::text,
                    trim_scale(l.quantity)::text, l.factor::text, trim_scale(l.scrap_rate)::text, l.phantom
               FROM bom b JOIN bom_version v ON v.bom_id = b.id LEFT JOIN bom_line l ON l.version_id = v.id
              ORDER BY b.parent_item_id, v.version_no, l.line_no`,
    });
    return [items.rows, boms.rows];
  });
  const items: MrpItem[] = itemRows.map(([id, code, sourcing, leadTimeDays, safetyStock, scrapRate, moq, multiple, precision]) => ({
    id, code, sourcing, leadTimeDays, safetyStock, scrapRate,
    // the defaults (no MOQ, multiple 1) mean lot-for-lot, not "whole units only" for a kg item
    lotPolicy: moq === '0' && multiple === '1' ? { kind: 'lotForLot' } : { kind: 'fixed', moq, multiple },
    precision,
  }));

  const boms: MrpBom[] = [];
  // lines are per batchQuantity of the parent; the engine wants per 1 base unit (few distinct pairs: memo)
  const perUnit = new Map<string, string>();
  const factorOf = (factor: string, batch: string) => {
    const key = `${factor}/${batch}`;
    let f = perUnit.get(key);
    if (f === undefined) perUnit.set(key, (f = new Decimal(factor).div(batch).toString()));
    return f;
  };
  let bom: MrpBom | undefined;
  let version: MrpBom['versions'][number] | undefined;
  for (const [parentId, versionId, validFrom, validTo, batch, componentId, quantity, factor, scrapRate, phantom] of bomRows) {
    if (bom?.itemId !== parentId) boms.push((bom = { itemId: parentId, versions: [] }));
    if (version?.id !== versionId) bom.versions.push((version = { id: versionId, validFrom, validTo, lines: [] }));
    if (componentId === null) continue;
    version.lines.push({ componentId, quantity: quantity!, factor: factorOf(factor!, batch), scrapRate, phantom: phantom! });
  }

  const demands: MrpDemand[] = [];
  const demandSources = new Map<string, DemandSource>();
  for (const d of await openSalesDemand(tx)) {
    const id = `so:${d.lineId}`;
    demands.push({ id, kind: 'salesOrder', itemId: d.itemId, date: dateOnlyOf(d.date), quantity: d.quantity, ref: d.ref });
    demandSources.set(id, { kind: 'salesOrder', sourceId: d.lineId });
  }

  // 备货生产: the engine consumes each month's forecast by what was actually ordered in that month
  // (also the orders already reserved or shipped, which are no open demand above)
  const forecasts = await forecastsForMrp(tx, today);
  for (const f of forecasts) demands.push({ id: `fc:${f.id}`, kind: 'forecast', itemId: f.itemId, date: f.date, quantity: f.quantity, ref: f.ref });
  const forecastConsumption: MrpForecastConsumption[] = await orderedForForecasts(tx, forecasts.map((f) => ({ itemId: f.itemId, month: f.date.slice(0, 7) })));

  const supplies: MrpSupply[] = [];
  for (const [itemId, quantity] of await freeStockOf(tx)) {
    if (new Decimal(quantity).gt(0)) supplies.push({ id: `stock:${itemId}`, kind: 'stock', itemId, date: today, quantity });
  }
  // 待检: the receipt already took it off its order's or task's open quantity, so it is supply too
  for (const [itemId, quantity] of await pendingInspectionStockOf(tx)) supplies.push({ id: `inspection:${itemId}`, kind: 'inspection', itemId, date: today, quantity });
  for (const s of await purchaseSupplyForMrp(tx)) supplies.push({ id: `${s.kind}:${s.id}`, kind: s.kind, itemId: s.itemId, date: dateOnlyOf(s.date), quantity: s.quantity });

  // open production tasks: what they will receive is supply, their unissued materials are demand
  const production = await openProductionForMrp(tx);
  for (const s of production.supplies) supplies.push({ id: `task:${s.taskId}`, kind: 'productionTask', itemId: s.itemId, date: s.date, quantity: s.quantity });
  for (const d of production.demands) {
    const id = `task:${d.ref}`;
    demands.push({ id, kind: 'productionMaterial', itemId: d.itemId, date: d.date, quantity: d.quantity, ref: d.ref });
    demandSources.set(id, { kind: 'productionTask', sourceId: d.taskId });
  }

  const itemCodes = new Map(itemRows.map((i) => [i[0], i[1]]));
  // the state as a literal: the statement then matches the partial index of kept suggestions instead of
  // reading the whole table (tens of thousands of unfirmed rows with their pegging)
  const firmed = await tx.$queryRaw<{ id: string; item_id: string; due_date: string; quantity: string; materials: MrpMaterial[] }[]>`
    SELECT id::text AS id, item_id::text AS item_id, due_date::text AS due_date, trim_scale(quantity)::text AS quantity, materials
      FROM mrp_suggestion WHERE state = 'firmed' ORDER BY id`;
  for (const f of firmed) {
    supplies.push({ id: `firmed:${f.id}`, kind: 'firmedSuggestion', itemId: f.item_id, date: f.due_date, quantity: f.quantity });
    f.materials.forEach((m, n) => {
      const id = `firmed:${f.id}:${n}`;
      demands.push({ id, kind: 'productionMaterial', itemId: m.itemId, date: m.date, quantity: m.quantity, ref: `生产建议 ${itemCodes.get(f.item_id) ?? ''} ${f.due_date}`.slice(0, 64) });
      demandSources.set(id, { kind: 'productionMaterial', sourceId: f.id });
    });
  }

  return { input: { today, items, boms, demands, supplies, forecastConsumption }, demandSources, itemCodes, standardCosts: new Map(itemRows.map((i) => [i[0], i[9]])) };
}
