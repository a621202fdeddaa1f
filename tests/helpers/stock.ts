// Opening stock for tests, put in through the stock ledger (never by writing stock tables): the
// template database holds no stock, so a test that ships or reserves first receives some here.
import { inCompany } from '../../server/db/transaction.ts';
import { receiveStock, type InboundLine } from '../../server/modules/inventory/stock/ledger.ts';
import type { TestApp } from './app.ts';
import { as, type AuthedClient } from './factories.ts';

export interface OpeningLine {
  /** item code (e.g. FG-BLT-M8X30) or id */
  item: string;
  /** warehouse code (default WH02 成品仓) or id */
  warehouse?: string;
  /** base unit */
  quantity: string;
  unitCost: string;
  batchNo?: string;
  qualityStatus?: 'pending' | 'passed' | 'rejected';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Receives opening stock (kind `opening`) in the demo company (or the given one). Returns the move ids. */
export async function addOpeningStock(t: TestApp, lines: OpeningLine[], companyCode = 'YUNQIAO'): Promise<bigint[]> {
  const sys = t.database.system;
  const company = await sys.company.findFirstOrThrow({ where: { code: companyCode } });
  const resolved: InboundLine[] = [];
  for (const l of lines) {
    const item = UUID.test(l.item)
      ? await sys.item.findFirstOrThrow({ where: { id: l.item, companyId: company.id } })
      : await sys.item.findFirstOrThrow({ where: { code: l.item, companyId: company.id } });
    const wh = l.warehouse ?? 'WH02';
    const warehouse = UUID.test(wh)
      ? await sys.warehouse.findFirstOrThrow({ where: { id: wh, companyId: company.id } })
      : await sys.warehouse.findFirstOrThrow({ where: { code: wh, companyId: company.id } });
    resolved.push({ itemId: item.id, warehouseId: warehouse.id, quantity: l.quantity, unitCost: l.unitCost, batchNo: l.batchNo, qualityStatus: l.qualityStatus });
  }
  return inCompany(t.database.app, company.id, (tx) =>
    receiveStock(tx, { companyId: company.id, kind: 'opening', source: { type: 'test', id: 'opening' } }, resolved),
  );
}

/** stock_level (合格 on hand and reserved) of an item in a warehouse, as fixed 4-decimal strings. */
export async function stockLevelOf(t: TestApp, itemId: string, warehouseId: string): Promise<{ onHand: string; reserved: string }> {
  const row = await t.database.system.stockLevel.findFirst({ where: { itemId, warehouseId } });
  return { onHand: row?.onHand.toFixed(4) ?? '0.0000', reserved: row?.reserved.toFixed(4) ?? '0.0000' };
}

// ---------------------------------------------------------------- through the API

const adminClients = new WeakMap<TestApp, Promise<AuthedClient>>();

export interface PutStockInput {
  itemCode: string;
  /** default WH02 成品仓 */
  warehouseCode?: string;
  /** base unit, > 0 */
  quantity: string;
  unitCost: string;
  /** required for batch-tracked items (e.g. RM-WR-35K-6.5), not allowed otherwise */
  batchNo?: string;
  qualityStatus?: 'pending' | 'passed' | 'rejected';
}

/**
 * 期初库存 through the real API (POST /stock/adjustments with opening: true, as admin of the demo
 * company). Returns the adjustment (number, lines with move ids, unit costs, amounts); throws on
 * anything but 201.
 */
export async function putStock(t: TestApp, input: PutStockInput): Promise<{ id: string; number: string; lines: { moveId: string; quantity: string; unitCost: string; amount: string }[] }> {
  if (!adminClients.has(t)) adminClients.set(t, as(t, 'admin'));
  const client = await adminClients.get(t)!;
  const sys = t.database.system;
  const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
  const item = await sys.item.findFirstOrThrow({ where: { code: input.itemCode, companyId: company.id } });
  const warehouse = await sys.warehouse.findFirstOrThrow({ where: { code: input.warehouseCode ?? 'WH02', companyId: company.id } });
  const res = await client('post', '/api/v1/stock/adjustments').send({
    warehouseId: warehouse.id,
    reason: '测试期初库存',
    opening: true,
    lines: [{ itemId: item.id, quantity: input.quantity, unitCost: input.unitCost, batchNo: input.batchNo, qualityStatus: input.qualityStatus }],
  });
  if (res.status !== 201) throw new Error(`putStock ${input.itemCode} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
