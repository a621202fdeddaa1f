// 库存账: moves, balances, moving average cost, reservations and shortages, under concurrency,
// against the real database.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { changeQualityStatus, issueStock, receiveStock, releaseReservations, reserveStock, type MoveContext } from '../../server/modules/inventory/stock/ledger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let companyId: string;
let wh1: string;
let wh2: string;

beforeAll(async () => {
  t = await createTestApp();
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  wh1 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH01' } })).id;
  wh2 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id;
});
afterAll(async () => t?.close());

let seq = 0;
/** A fresh item for each test, so tests do not share stock. */
async function newItem(safetyStock = '0'): Promise<string> {
  const base = await t.database.system.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const item = await t.database.system.item.create({
    data: { companyId, code: `LEDGER-${++seq}-${Date.now()}`, name: `测试物料${seq}`, kind: 'finished', baseUnitId: base.id, safetyStock },
  });
  return item.id;
}

const mc = (kind: MoveContext['kind'], id = 'T'): MoveContext => ({ companyId, kind, source: { type: 'test', id } });
const tx = <T>(fn: Parameters<typeof inCompany<T>>[2]) => inCompany(t.database.app, companyId, fn);

async function level(itemId: string, warehouseId = wh1) {
  const row = await t.database.system.stockLevel.findUnique({ where: { companyId_itemId_warehouseId: { companyId, itemId, warehouseId } } });
  return { onHand: row?.onHand.toString() ?? '0', reserved: row?.reserved.toString() ?? '0' };
}

describe('入库、出库与移动加权平均', () => {
  it('两次不同单价入库后平均成本按数量加权，出库按平均成本计价', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('purchaseReceipt'), [{ itemId: item, warehouseId: wh1, quantity: '100', unitCost: '1.00' }]));
    await tx((x) => receiveStock(x, mc('purchaseReceipt'), [{ itemId: item, warehouseId: wh2, quantity: '300', unitCost: '2.00' }]));
    let stock = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item } });
    expect(stock.averageCost.toFixed(6)).toBe('1.750000');
    expect(stock.value.toFixed(2)).toBe('700.00');
    const [issued] = await tx((x) => issueStock(x, mc('salesShipment'), [{ itemId: item, warehouseId: wh1, quantity: '40' }]));
    expect(issued!.unitCost.toFixed(6)).toBe('1.750000');
    stock = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item } });
    expect([stock.quantity.toFixed(4), stock.value.toFixed(2), stock.averageCost.toFixed(6)]).toEqual(['360.0000', '630.00', '1.750000']);
    const moves = await t.database.system.stockMove.findMany({ where: { itemId: item }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => [m.kind, m.quantity.toString(), m.amount.toFixed(2)])).toEqual([
      ['purchaseReceipt', '100', '100.00'], ['purchaseReceipt', '300', '600.00'], ['salesShipment', '-40', '-70.00'],
    ]);
    expect(await level(item)).toEqual({ onHand: '60', reserved: '0' });
  });

  it('出库超过结存被拒绝，什么都不写', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('purchaseReceipt'), [{ itemId: item, warehouseId: wh1, quantity: '5', unitCost: '1' }]));
    await expect(tx((x) => issueStock(x, mc('salesShipment'), [{ itemId: item, warehouseId: wh1, quantity: '6' }]))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await level(item)).toEqual({ onHand: '5', reserved: '0' });
    expect(await t.database.system.stockMove.count({ where: { itemId: item } })).toBe(1);
  });

  it('库存流水不可修改、不可删除（应用角色）', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('opening'), [{ itemId: item, warehouseId: wh1, quantity: '1', unitCost: '1' }]));
    await expect(tx((x) => x.stockMove.updateMany({ where: { itemId: item }, data: { remark: '改' } }))).rejects.toThrow();
    await expect(tx((x) => x.stockMove.deleteMany({ where: { itemId: item } }))).rejects.toThrow();
    expect(await t.database.system.stockMove.count({ where: { itemId: item } })).toBe(1);
  });

  it('预留只能落在已有的库存水位上（一条语句里有一行不在也整条拒绝）；库存水位不可删除', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('opening'), [{ itemId: item, warehouseId: wh1, quantity: '3', unitCost: '1' }]));
    const reserve = (rows: { warehouseId: string; demandId: string }[]) => tx((x) => x.$executeRaw`
      INSERT INTO reservation (id, company_id, item_id, warehouse_id, demand_type, demand_id, quantity, updated_at)
      SELECT gen_random_uuid(), ${companyId}::uuid, ${item}::uuid, w, 'salesOrderLine', d, 1, now()
        FROM unnest(${rows.map((r) => r.warehouseId)}::uuid[], ${rows.map((r) => r.demandId)}::uuid[]) AS t(w, d)`);
    // 原材料仓 has the item's level, 成品仓 has none.
    await expect(reserve([{ warehouseId: wh1, demandId: crypto.randomUUID() }, { warehouseId: wh2, demandId: crypto.randomUUID() }])).rejects.toThrow(/names no stock level/);
    expect(await t.database.system.reservation.count({ where: { itemId: item } })).toBe(0);
    await reserve([{ warehouseId: wh1, demandId: crypto.randomUUID() }]);
    await expect(tx((x) => x.$executeRaw`UPDATE reservation SET warehouse_id = ${wh2}::uuid WHERE item_id = ${item}::uuid`)).rejects.toThrow(/names no stock level/);
    expect((await t.database.system.reservation.findFirstOrThrow({ where: { itemId: item } })).warehouseId).toBe(wh1);

    await expect(tx((x) => x.stockLevel.deleteMany({ where: { itemId: item } }))).rejects.toThrow(/never deleted/);
    await expect(t.database.system.stockLevel.deleteMany({ where: { itemId: item } })).rejects.toThrow(/never deleted/);
    expect(await level(item)).toEqual({ onHand: '3', reserved: '0' });
  });

  it('50 个并发的入库与出库：结存等于流水之和，从不为负', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('opening'), [{ itemId: item, warehouseId: wh1, quantity: '20', unitCost: '1' }]));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? tx((x) => receiveStock(x, mc('purchaseReceipt', String(i)), [{ itemId: item, warehouseId: wh1, quantity: '3', unitCost: '1.2' }]))
          : tx((x) => issueStock(x, mc('salesShipment', String(i)), [{ itemId: item, warehouseId: wh1, quantity: '4' }])),
      ),
    );
    const moves = await t.database.system.stockMove.findMany({ where: { itemId: item } });
    const sum = moves.reduce((a, m) => a.plus(m.quantity), new Decimal(0));
    const { onHand } = await level(item);
    expect(onHand).toBe(sum.toString());
    expect(new Decimal(onHand).gte(0)).toBe(true);
    const balance = await t.database.system.stockBalance.findFirstOrThrow({ where: { itemId: item } });
    expect(balance.onHand.toString()).toBe(sum.toString());
    // Every refused issue was refused for stock, not for anything else.
    for (const r of results) if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('CONFLICT');
  });
});

describe('预留', () => {
  it('100 个并发预留各要 1 个，库存 10：恰好预留 10 个', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('opening'), [{ itemId: item, warehouseId: wh1, quantity: '10', unitCost: '1' }]));
    const ids = Array.from({ length: 100 }, () => crypto.randomUUID());
    const got = await Promise.all(ids.map((id) => tx((x) => reserveStock(x, companyId, 'salesOrderLine', [{ itemId: item, warehouseId: wh1, demandId: id, wanted: '1' }]))));
    const total = got.reduce((a, m) => a.plus([...m.values()][0]!), new Decimal(0));
    expect(total.toString()).toBe('10');
    expect(got.filter((m) => [...m.values()][0]!.eq(0))).toHaveLength(90);
    expect(await level(item)).toEqual({ onHand: '10', reserved: '10' });
    const held = await t.database.system.reservation.aggregate({ where: { itemId: item }, _sum: { quantity: true } });
    expect(held._sum.quantity?.toString()).toBe('10');
  });

  it('一次预留多行：同一物料按行序分配，不足部分为 0', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('opening'), [{ itemId: item, warehouseId: wh1, quantity: '7', unitCost: '1' }]));
    const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const got = await tx((x) => reserveStock(x, companyId, 'salesOrderLine', [
      { itemId: item, warehouseId: wh1, demandId: a, wanted: '5' },
      { itemId: item, warehouseId: wh1, demandId: b, wanted: '5' },
      { itemId: item, warehouseId: wh2, demandId: c, wanted: '5' },
    ]));
    expect([got.get(a)!.toString(), got.get(b)!.toString(), got.get(c)!.toString()]).toEqual(['5', '2', '0']);
    const released = await tx((x) => releaseReservations(x, companyId, 'salesOrderLine', [a]));
    expect(released.get(a)!.toString()).toBe('5');
    expect(await level(item)).toEqual({ onHand: '7', reserved: '2' });
  });

  it('出库消耗本需求的预留；他人预留的库存不能被出库', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('opening'), [{ itemId: item, warehouseId: wh1, quantity: '10', unitCost: '1' }]));
    const mine = crypto.randomUUID();
    const theirs = crypto.randomUUID();
    await tx((x) => reserveStock(x, companyId, 'salesOrderLine', [{ itemId: item, warehouseId: wh1, demandId: mine, wanted: '4' }, { itemId: item, warehouseId: wh1, demandId: theirs, wanted: '6' }]));
    await tx((x) => issueStock(x, mc('salesShipment'), [{ itemId: item, warehouseId: wh1, quantity: '4', consumes: { demandType: 'salesOrderLine', demandId: mine } }]));
    expect(await level(item)).toEqual({ onHand: '6', reserved: '6' });
    await expect(tx((x) => issueStock(x, mc('salesShipment'), [{ itemId: item, warehouseId: wh1, quantity: '1' }]))).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('缺料预警', () => {
  const shortages = (item: string) => t.database.system.outboxEvent.findMany({ where: { type: 'stock.shortage', aggregateId: item }, orderBy: { id: 'asc' } });

  it('低于安全库存写一条事件；继续下降不再写；回升后再次下降再写一条', async () => {
    const item = await newItem('10');
    await tx((x) => receiveStock(x, mc('opening'), [{ itemId: item, warehouseId: wh1, quantity: '15', unitCost: '1' }]));
    expect(await shortages(item)).toHaveLength(0);
    await tx((x) => issueStock(x, mc('salesShipment'), [{ itemId: item, warehouseId: wh1, quantity: '6' }])); // 9 < 10
    const first = await shortages(item);
    expect(first).toHaveLength(1);
    expect(first[0]!.payload).toMatchObject({ available: '9.0000', safetyStock: '10.0000', onOrder: '0.0000', suggestedQuantity: '1.0000' });
    await tx((x) => issueStock(x, mc('salesShipment'), [{ itemId: item, warehouseId: wh1, quantity: '4' }])); // 5
    await tx((x) => reserveStock(x, companyId, 'salesOrderLine', [{ itemId: item, warehouseId: wh1, demandId: crypto.randomUUID(), wanted: '2' }])); // 3
    expect(await shortages(item)).toHaveLength(1);
    await tx((x) => receiveStock(x, mc('purchaseReceipt'), [{ itemId: item, warehouseId: wh1, quantity: '20', unitCost: '1' }])); // 23 ≥ 10
    expect(await shortages(item)).toHaveLength(1);
    await tx((x) => issueStock(x, mc('salesShipment'), [{ itemId: item, warehouseId: wh1, quantity: '15' }])); // 8 < 10
    expect(await shortages(item)).toHaveLength(2);
  });

  it('并发出库同时跌破安全库存：只写一条', async () => {
    const item = await newItem('50');
    await tx((x) => receiveStock(x, mc('opening'), [{ itemId: item, warehouseId: wh1, quantity: '60', unitCost: '1' }]));
    await Promise.all(Array.from({ length: 10 }, () => tx((x) => issueStock(x, mc('salesShipment'), [{ itemId: item, warehouseId: wh1, quantity: '3' }]))));
    expect(await shortages(item)).toHaveLength(1);
  });
});

describe('按指定金额出库（退货按入库成本）', () => {
  it('剩余库存的平均成本随之重算', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('purchaseReceipt'), [{ itemId: item, warehouseId: wh1, quantity: '100', unitCost: '4.80' }]));
    await tx((x) => receiveStock(x, mc('purchaseReceipt'), [{ itemId: item, warehouseId: wh1, quantity: '100', unitCost: '5.20' }]));
    const [out] = await tx((x) => issueStock(x, mc('purchaseReturn'), [{ itemId: item, warehouseId: wh1, quantity: '50', amount: '260.00' }]));
    expect([out!.unitCost.toFixed(6), out!.amount.toFixed(2), out!.variance.toFixed(2)]).toEqual(['5.200000', '260.00', '0.00']);
    const stock = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item } });
    // 1000.00 − 260.00 = 740.00 over 150
    expect([stock.quantity.toFixed(4), stock.value.toFixed(2), stock.averageCost.toFixed(6)]).toEqual(['150.0000', '740.00', '4.933333']);
  });
});

describe('质检状态变更 changeQualityStatus', () => {
  it('待检 3 个共 ¥10.00：1 个转合格按份额 ¥3.33 移动（两条等值流水），物料数量、金额、均价不变；超过待检结存 409 什么都不写；合格被预留的部分不能转不合格', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('purchaseReceipt'), [{ itemId: item, warehouseId: wh1, quantity: '3', amount: '10.00', qualityStatus: 'pending' }]));
    const before = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item } });
    await tx((x) => changeQualityStatus(x, mc('qualityInspection'), [{ itemId: item, warehouseId: wh1, from: 'pending', to: 'passed', quantity: '1' }]));
    const after = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId: item } });
    expect([after.quantity.toFixed(4), after.value.toFixed(2), after.averageCost.toFixed(6)]).toEqual([before.quantity.toFixed(4), before.value.toFixed(2), before.averageCost.toFixed(6)]);
    const moves = await t.database.system.stockMove.findMany({ where: { itemId: item, kind: 'qualityInspection' }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => [m.qualityStatus, m.quantity.toString(), m.amount.toFixed(2), m.unitCost.toFixed(6)])).toEqual([
      ['pending', '-1', '-3.33', '3.330000'], ['passed', '1', '3.33', '3.330000'],
    ]);
    expect(await level(item)).toEqual({ onHand: '1', reserved: '0' });

    await expect(tx((x) => changeQualityStatus(x, mc('qualityInspection'), [
      { itemId: item, warehouseId: wh1, from: 'pending', to: 'passed', quantity: '1' },
      { itemId: item, warehouseId: wh1, from: 'pending', to: 'rejected', toWarehouseId: wh2, quantity: '2' },
    ]))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await t.database.system.stockMove.count({ where: { itemId: item, kind: 'qualityInspection' } })).toBe(2);
    expect(await level(item)).toEqual({ onHand: '1', reserved: '0' });

    await tx((x) => reserveStock(x, companyId, 'salesOrderLine', [{ itemId: item, warehouseId: wh1, demandId: crypto.randomUUID(), wanted: '1' }]));
    await expect(tx((x) => changeQualityStatus(x, mc('qualityInspection'), [{ itemId: item, warehouseId: wh1, from: 'passed', to: 'rejected', quantity: '1' }])))
      .rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('不指定批次出库（anyBatch，生产领料用）', () => {
  it('按炉号从早到晚分批取：L2611-01 的 30 取完再取 L2611-02 的 20，合计金额按各批份额；合计不够整行拒绝，什么都不写', async () => {
    const item = await newItem();
    await tx((x) => receiveStock(x, mc('purchaseReceipt'), [
      { itemId: item, warehouseId: wh1, quantity: '40', unitCost: '2.00', batchNo: 'L2611-02' },
      { itemId: item, warehouseId: wh1, quantity: '30', unitCost: '1.00', batchNo: 'L2611-01' },
    ]));
    // average (80 + 30) ÷ 70; 50 out → pro-rata 110 × 30 ÷ 70 = 47.14 from the first batch, then 110 − 47.14 = 62.86 over 40 × 20 → 31.43
    const [issued] = await tx((x) => issueStock(x, mc('productionIssue'), [{ itemId: item, warehouseId: wh1, quantity: '50', anyBatch: true }]));
    const moves = await t.database.system.stockMove.findMany({ where: { itemId: item, kind: 'productionIssue' }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => [m.batchNo, m.quantity.toString(), m.amount.toFixed(2)])).toEqual([['L2611-01', '-30', '-47.14'], ['L2611-02', '-20', '-31.43']]);
    expect(issued!.amount.toFixed(2)).toBe('78.57');
    const balances = await t.database.system.stockBalance.findMany({ where: { itemId: item }, orderBy: { batchNo: 'asc' } });
    expect(balances.map((b) => [b.batchNo, b.onHand.toString()])).toEqual([['L2611-01', '0'], ['L2611-02', '20']]);

    await expect(tx((x) => issueStock(x, mc('productionIssue'), [{ itemId: item, warehouseId: wh1, quantity: '21', anyBatch: true }]))).rejects.toThrow('结存不足 21');
    expect(await t.database.system.stockMove.count({ where: { itemId: item } })).toBe(4);
  });
});
