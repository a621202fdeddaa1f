// 库存查询 over real data (opening stock put in through the API): levels with available =
// on hand − reserved and on order, balances, one item's position, item search, the stock ledger
// report and what holds reservations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { reserveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { findItemsByKeyword, stockPositionOf } from '../../server/modules/inventory/stock/queries.ts';
import type { UseCaseContext } from '../../server/platform/services.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

let t: TestApp;
let admin: AuthedClient;
let companyId: string;
let ctx: UseCaseContext;
let orderNumber: string;
const wh: Record<string, string> = {};
const item: Record<string, string> = {};

type Row = Record<string, unknown> & { item: { code: string }; warehouse: { code: string } | null };

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  const sys = t.database.system;
  companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  for (const w of await sys.warehouse.findMany({ where: { companyId } })) wh[w.code] = w.id;
  for (const i of await sys.item.findMany({ where: { companyId }, select: { id: true, code: true } })) item[i.code] = i.id;
  const adminUser = await sys.user.findFirstOrThrow({ where: { companyId, username: 'admin' } });
  ctx = {
    db: t.database.app, requestId: 'test',
    actor: { userId: adminUser.id, companyId, username: 'admin', name: '系统管理员', departmentId: null, permissions: new Set(['*']), dataScope: 'all', departmentIds: [] },
  };

  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '1000', unitCost: '0.03' });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH01', quantity: '200', unitCost: '0.036' });
  await putStock(t, { itemCode: 'FG-NUT-M8', warehouseCode: 'WH02', quantity: '50000', unitCost: '0.011' });
  await putStock(t, { itemCode: 'RM-WR-35K-6.5', warehouseCode: 'WH01', quantity: '3000', unitCost: '5.2', batchNo: 'L1' });
  await putStock(t, { itemCode: 'RM-WR-35K-6.5', warehouseCode: 'WH01', quantity: '1000', unitCost: '5.3', batchNo: 'L2', qualityStatus: 'pending' });

  // A confirmed sales order line (owned by wu.xs) holding 300 of M8X30 in WH02.
  const pcs = await sys.unit.findFirstOrThrow({ where: { companyId, code: 'PCS' } });
  const customer = await sys.customer.findFirstOrThrow({ where: { companyId } });
  const wu = await sys.user.findFirstOrThrow({ where: { companyId, username: 'wu.xs' } });
  const money = { listPrice: '0.055', unitPrice: '0.055', taxRate: '0.13', amount: '14.60', taxAmount: '1.90', amountWithTax: '16.50' };
  const order = await sys.salesOrder.create({
    data: {
      companyId, number: 'SO-TEST-0001', customerId: customer.id, ownerId: wu.id, warehouseId: wh.WH02!, orderDate: new Date('2026-11-23'), state: 'confirmed',
      lines: { create: [{ companyId, lineNo: 1, itemId: item['FG-BLT-M8X30']!, warehouseId: wh.WH02!, unitId: pcs.id, factor: '1', quantity: '300', baseQuantity: '300', ...money }] },
    },
    include: { lines: true },
  });
  orderNumber = order.number;
  await inCompany(t.database.app, companyId, (tx) =>
    reserveStock(tx, companyId, 'salesOrderLine', [{ itemId: item['FG-BLT-M8X30']!, warehouseId: wh.WH02!, demandId: order.lines[0]!.id, wanted: '300' }]));

  // Purchase orders: a confirmed one (M8X30 5000 into WH02, 1000 received, 200 returned; M8X40 3000), and a draft that does not count.
  const supplier = await sys.supplier.findFirstOrThrow({ where: { companyId } });
  const buyer = await sys.user.findFirstOrThrow({ where: { companyId, username: 'wang.cg' } });
  const poLine = (lineNo: number, code: string, qty: string, received = '0', returned = '0') => ({
    companyId, lineNo, itemId: item[code]!, warehouseId: wh.WH02!, unitId: pcs.id, factor: '1', quantity: qty, baseQuantity: qty,
    unitPrice: '0.03', taxRate: '0.13', amount: '1', taxAmount: '0.13', amountWithTax: '1.13', receivedQuantity: received, returnedQuantity: returned,
  });
  for (const [number, state, lines] of [
    ['PO-TEST-0001', 'confirmed', [poLine(1, 'FG-BLT-M8X30', '5000', '1000', '200'), poLine(2, 'FG-BLT-M8X40', '3000')]],
    ['PO-TEST-0002', 'draft', [poLine(1, 'FG-BLT-M8X30', '7777')]],
  ] as const) {
    await sys.purchaseOrder.create({
      data: { companyId, number, supplierId: supplier.id, buyerId: buyer.id, warehouseId: wh.WH02!, orderDate: new Date('2026-11-23'), state, lines: { create: [...lines] } },
    });
  }
});
afterAll(async () => t?.close());

const get = async (url: string) => {
  const res = await admin('get', url);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('库存水位 /stock/levels', () => {
  it('每个物料 × 仓库：可用 = 在库 − 预留，在订 = 已审核采购未入库（含退货）', async () => {
    const page = await get(`/api/v1/stock/levels?itemId=${item['FG-BLT-M8X30']}&sort=warehouseCode`);
    expect(page.total).toBe(2);
    expect(page.items.map((r: Row) => [r.warehouse!.code, r.onHand, r.reserved, r.available, r.onOrder, r.safetyStock, r.belowSafety])).toEqual([
      ['WH01', '200.0000', '0.0000', '200.0000', '0.0000', '20000.0000', true],
      ['WH02', '1000.0000', '300.0000', '700.0000', '4200.0000', '20000.0000', true],
    ]);
    for (const r of page.items) expect(Number(r.available)).toBe(Number(r.onHand) - Number(r.reserved));
  });

  it('只有在订没有库存的物料也列出', async () => {
    const page = await get(`/api/v1/stock/levels?itemId=${item['FG-BLT-M8X40']}`);
    expect(page.items.map((r: Row) => [r.warehouse!.code, r.onHand, r.onOrder])).toEqual([['WH02', '0.0000', '3000.0000']]);
  });

  it('关键字（编码、名称、规格，多个词都要匹配）、仓库、分类（含下级）、排序、分页', async () => {
    expect((await get('/api/v1/stock/levels?q=M8螺栓')).items.map((r: Row) => r.item.code)).toEqual(['FG-BLT-M8X30', 'FG-BLT-M8X30']);
    expect((await get('/api/v1/stock/levels?q=' + encodeURIComponent('M8 螺母'))).items.map((r: Row) => r.item.code)).toEqual(['FG-NUT-M8']);
    expect((await get('/api/v1/stock/levels?q=' + encodeURIComponent('冷镦钢 Φ6.5'))).items.map((r: Row) => r.item.code)).toEqual(['RM-WR-35K-6.5']);
    const wh01 = await get(`/api/v1/stock/levels?warehouseId=${wh.WH01}`);
    expect(wh01.items.map((r: Row) => r.item.code).sort()).toEqual(['FG-BLT-M8X30', 'RM-WR-35K-6.5']);
    const finished = (await t.database.system.itemCategory.findFirstOrThrow({ where: { companyId, code: '03' } })).id;
    const fg = await get(`/api/v1/stock/levels?categoryId=${finished}`);
    expect(new Set(fg.items.map((r: Row) => r.item.code))).toEqual(new Set(['FG-BLT-M8X30', 'FG-NUT-M8', 'FG-BLT-M8X40']));
    const byAvailable = await get('/api/v1/stock/levels?sort=-available');
    expect(byAvailable.items[0].item.code).toBe('FG-NUT-M8');
    const paged = await get('/api/v1/stock/levels?pageSize=2&page=2&sort=itemCode');
    expect(paged.total).toBe(5);
    expect(paged.items).toHaveLength(2);
  });

  it('低于安全库存：按全部仓库可用合计判断；没有任何库存的物料也列出（无仓库）', async () => {
    const below = await get('/api/v1/stock/levels?belowSafety=true&pageSize=200');
    const codes = below.items.map((r: Row) => r.item.code);
    expect(codes).toContain('FG-BLT-M8X30');
    expect(codes).toContain('RM-WR-35K-6.5');
    expect(codes).not.toContain('FG-NUT-M8');
    const bare = await get('/api/v1/stock/levels?belowSafety=true&q=RM-WR-35K-8.0');
    expect(bare.items).toEqual([expect.objectContaining({ warehouse: null, onHand: '0.0000', safetyStock: '5000.0000', belowSafety: true })]);
    const fine = await get('/api/v1/stock/levels?belowSafety=false');
    expect(fine.items.map((r: Row) => r.item.code)).toEqual(['FG-NUT-M8']);
  });

  it('错误的查询参数：400 指明字段', async () => {
    for (const [q, field] of [
      ['pageSize=500', 'query.pageSize'], ['page=0', 'query.page'], ['sort=price', 'query.sort'],
      ['itemId=abc', 'query.itemId'], ['belowSafety=yes', 'query.belowSafety'],
    ]) {
      const res = await admin('get', `/api/v1/stock/levels?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });
});

describe('库存余额 /stock/balances', () => {
  it('物料 × 仓库 × 批次 × 质检状态，可按批次、状态筛选', async () => {
    const page = await get(`/api/v1/stock/balances?itemId=${item['RM-WR-35K-6.5']}&sort=-onHand`);
    expect(page.items.map((r: Row) => [r.warehouse!.code, r.batchNo, r.qualityStatus, r.onHand])).toEqual([
      ['WH01', 'L1', 'passed', '3000.0000'], ['WH01', 'L2', 'pending', '1000.0000'],
    ]);
    expect(page.items[0].lastMovedAt).toMatch(/\+08:00$/);
    expect((await get('/api/v1/stock/balances?qualityStatus=pending')).items.map((r: Row) => r.batchNo)).toEqual(['L2']);
    expect((await get('/api/v1/stock/balances?batchNo=L1')).total).toBe(1);
    expect((await get(`/api/v1/stock/balances?warehouseId=${wh.WH02}`)).total).toBe(2);
    expect((await admin('get', '/api/v1/stock/balances?qualityStatus=ok')).status).toBe(400);
  });
});

describe('单个物料 /stock/items/:itemId 与机器人用的服务函数', () => {
  it('各仓库与合计、平均成本、金额、批次', async () => {
    const pos = await get(`/api/v1/stock/items/${item['FG-BLT-M8X30']}`);
    expect(pos).toMatchObject({
      item: { code: 'FG-BLT-M8X30', name: 'M8螺栓', unit: '个', batchTracked: false },
      safetyStock: '20000.0000', belowSafety: true, averageCost: '0.031000', value: '37.20',
      total: { onHand: '1200.0000', reserved: '300.0000', available: '900.0000', pending: '0.0000', rejected: '0.0000', onOrder: '4200.0000' },
    });
    expect(pos.warehouses.map((w: Row) => [w.warehouse!.code, w.onHand, w.available, w.onOrder, w.value])).toEqual([
      ['WH01', '200.0000', '200.0000', '0.0000', '6.20'], ['WH02', '1000.0000', '700.0000', '4200.0000', '31.00'],
    ]);
    const rm = await get(`/api/v1/stock/items/${item['RM-WR-35K-6.5']}`);
    expect(rm.total).toMatchObject({ onHand: '3000.0000', pending: '1000.0000', available: '3000.0000' });
    expect(rm.batches.map((b: Row) => [b.batchNo, b.qualityStatus, b.onHand])).toEqual([['L1', 'passed', '3000.0000'], ['L2', 'pending', '1000.0000']]);
    expect(await stockPositionOf(ctx, item['FG-BLT-M8X30']!)).toEqual(pos);
  });

  it('未知物料、别家公司的物料：404', async () => {
    expect((await admin('get', `/api/v1/stock/items/${crypto.randomUUID()}`)).status).toBe(404);
    const other = await createSecondCompany(t);
    const unit = await t.database.system.unit.create({ data: { companyId: other.companyId, code: 'PCS', name: '个' } });
    const foreign = await t.database.system.item.create({ data: { companyId: other.companyId, code: 'X1', name: '别家物料', kind: 'finished', baseUnitId: unit.id } });
    expect((await admin('get', `/api/v1/stock/items/${foreign.id}`)).status).toBe(404);
    expect(await findItemsByKeyword(ctx, '别家物料')).toEqual([]);
  });

  it('findItemsByKeyword：编码、名称、规格包含，完全匹配在前，最多 10 个', async () => {
    const exact = await findItemsByKeyword(ctx, 'M8螺栓');
    expect(exact[0]).toMatchObject({ code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: 'M8×30 外六角 8.8级 镀锌', unit: '个' });
    expect(await findItemsByKeyword(ctx, 'M8')).toHaveLength(10);
    expect((await findItemsByKeyword(ctx, 'fg-blt-m8x30'))[0]!.code).toBe('FG-BLT-M8X30');
    expect(await findItemsByKeyword(ctx, '   ')).toEqual([]);
    expect(await findItemsByKeyword(ctx, '%')).toEqual([]);
  });
});

describe('预留明细 /stock/reservations', () => {
  it('列出占用预留的销售订单行（订单号、行号、客户）', async () => {
    const page = await get(`/api/v1/stock/reservations?itemId=${item['FG-BLT-M8X30']}`);
    expect(page.items).toEqual([expect.objectContaining({ quantity: '300.0000', demandType: 'salesOrderLine', warehouse: expect.objectContaining({ code: 'WH02' }) })]);
    expect(page.items[0].salesOrder).toMatchObject({ number: orderNumber, lineNo: 1, state: 'confirmed' });
    expect((await get(`/api/v1/stock/reservations?q=${orderNumber}`)).total).toBe(1);
    expect((await get(`/api/v1/stock/reservations?itemId=${item['FG-NUT-M8']}`)).total).toBe(0);
  });

  it('数据范围：销售员看不到别人订单的订单号和客户，经理能看到本部门的', async () => {
    const li = await as(t, 'li.xs');
    const mine = (await li('get', `/api/v1/stock/reservations?itemId=${item['FG-BLT-M8X30']}`)).body;
    expect(mine.items[0]).toMatchObject({ quantity: '300.0000', salesOrder: null });
    const zhang = await as(t, 'zhang.jl');
    const dept = (await zhang('get', `/api/v1/stock/reservations?itemId=${item['FG-BLT-M8X30']}`)).body;
    expect(dept.items[0].salesOrder.number).toBe(orderNumber);
  });
});

describe('库存流水账 /stock/moves', () => {
  it('按物料：日期顺序，各仓库滚动结存，期间汇总', async () => {
    await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '50', unitCost: '0.031' });
    const res = await admin('post', '/api/v1/stock/adjustments').send({ warehouseId: wh.WH02, reason: '报损', lines: [{ itemId: item['FG-BLT-M8X30'], quantity: '-20' }] });
    expect(res.status).toBe(201);
    const page = await get(`/api/v1/stock/moves?itemId=${item['FG-BLT-M8X30']}`);
    expect(page.items.map((m: Row) => [m.kind, m.warehouse!.code, m.quantity, m.balance])).toEqual([
      ['opening', 'WH02', '1000.0000', '1000.0000'], ['opening', 'WH01', '200.0000', '200.0000'],
      ['opening', 'WH02', '50.0000', '1050.0000'], ['adjustment', 'WH02', '-20.0000', '1030.0000'],
    ]);
    expect(page.items[3]).toMatchObject({ kindLabel: '库存调整', unitCost: '0.031000', amount: '-0.62', remark: '报损', createdBy: { name: '系统管理员' } });
    expect(page.summary).toEqual([
      { warehouse: expect.objectContaining({ code: 'WH01' }), opening: '0.0000', received: '200.0000', issued: '0.0000', closing: '200.0000' },
      { warehouse: expect.objectContaining({ code: 'WH02' }), opening: '0.0000', received: '1050.0000', issued: '20.0000', closing: '1030.0000' },
    ]);
    // Filters do not change the running balance: it is over all of the item's moves.
    const adjustments = await get(`/api/v1/stock/moves?itemId=${item['FG-BLT-M8X30']}&kind=adjustment`);
    expect(adjustments.items.map((m: Row) => m.balance)).toEqual(['1030.0000']);
    const latestFirst = await get(`/api/v1/stock/moves?itemId=${item['FG-BLT-M8X30']}&sort=-occurredAt&pageSize=1`);
    expect(latestFirst).toMatchObject({ total: 4, items: [expect.objectContaining({ kind: 'adjustment' })] });
  });

  it('日期范围：之前的流水进期初', async () => {
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    const page = await get(`/api/v1/stock/moves?itemId=${item['FG-BLT-M8X30']}&warehouseId=${wh.WH02}&dateFrom=${tomorrow}`);
    expect(page.items).toEqual([]);
    expect(page.summary).toEqual([expect.objectContaining({ opening: '1030.0000', received: '0.0000', issued: '0.0000', closing: '1030.0000' })]);
  });

  it('不按物料时给出全部流水（无滚动结存），可按类型、关键字（单号）筛选', async () => {
    const all = await get('/api/v1/stock/moves?pageSize=200');
    expect(all.total).toBe(7);
    expect(all.summary).toBeNull();
    expect(all.items.every((m: Row) => m.balance === null)).toBe(true);
    const kinds = await get('/api/v1/stock/moves?kind=adjustment,transferIn');
    expect(kinds.total).toBe(1);
    expect((await get(`/api/v1/stock/moves?q=${kinds.items[0].documentNo}`)).total).toBe(1);
    const bad = await admin('get', '/api/v1/stock/moves?kind=adjustment,stolen');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toMatch(/^query\.kind/);
    expect((await admin('get', '/api/v1/stock/moves?dateFrom=2026-02-30')).status).toBe(400);
  });
});
