// 采购全流程: 缺料 → 请购 → 采购订单（价目表阶梯价）→ 确认（审批，在订）→ 部分入库 → 全部入库；超收容差；
// 退货按入库成本出库且重新计入在订量。Each step checks on-order quantities, the moving average cost,
// stock levels and balances, the order timeline and the outbox events written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCompany } from '../../server/db/transaction.ts';
import { receiveStock } from '../../server/modules/inventory/stock/ledger.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let wang: AuthedClient; // 王采购: purchaser
let zhao: AuthedClient; // 赵仓管: warehouse keeper
let sun: AuthedClient; // 孙计划: planner
const id: Record<string, string> = {};

/** Opening stock straight through the ledger (kind opening), in the demo company. */
async function opening(itemId: string, quantity: string, unitCost: string, batchNo: string): Promise<void> {
  await inCompany(t.database.app, id.company!, (tx) =>
    receiveStock(tx, { companyId: id.company!, kind: 'opening', source: { type: 'test', id: 'opening' } }, [{ itemId, warehouseId: id.wh01!, quantity, unitCost, batchNo }]),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  [wang, zhao, sun] = await Promise.all([as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'sun.jh')]);
  const sys = t.database.system;
  id.company = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
  id.wh01 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH01' } })).id;
  id.rod = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-8.0' } })).id; // 盘条: KG, 采购单位 吨, 批次管理, 安全库存 5000 KG
  id.rod10 = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-10.0' } })).id;
  id.t = (await sys.unit.findFirstOrThrow({ where: { code: 'T' } })).id;
  id.supplier = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
});
afterAll(async () => t?.close());

async function mark(): Promise<bigint> {
  return (await t.database.system.outboxEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
}
async function eventsSince(m: bigint) {
  const rows = await t.database.system.outboxEvent.findMany({ where: { id: { gt: m } }, orderBy: { id: 'asc' } });
  return rows.map((e) => ({ type: e.type, aggregateId: e.aggregateId, payload: e.payload as Record<string, unknown> }));
}
async function itemStock(itemId: string) {
  const s = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId } });
  return { quantity: s.quantity.toFixed(4), value: s.value.toFixed(2), averageCost: s.averageCost.toFixed(6), shortageOpen: s.shortageOpen };
}
async function onHand(itemId: string) {
  const l = await t.database.system.stockLevel.findFirst({ where: { itemId, warehouseId: id.wh01 } });
  return l?.onHand.toFixed(4) ?? '0.0000';
}
async function balances(itemId: string) {
  const rows = await t.database.system.stockBalance.findMany({ where: { itemId, warehouseId: id.wh01 }, orderBy: { batchNo: 'asc' } });
  return rows.map((r) => [r.batchNo, r.qualityStatus, r.onHand.toFixed(4)]);
}
async function movesSum(itemId: string) {
  const moves = await t.database.system.stockMove.findMany({ where: { itemId } });
  return moves.reduce((a, m) => a + Number(m.quantity), 0).toFixed(4);
}
async function onOrder(itemId: string) {
  const res = await wang('get', `/api/v1/items/${itemId}/on-order`);
  expect(res.status).toBe(200);
  return res.body as { total: string; warehouses: { warehouse: { code: string }; quantity: string; orders: { number: string; openQuantity: string }[] }[] };
}
/** on order as the ledger's shortage check sees it (the same rule, computed in SQL by the ledger). */
async function ledgerOnOrder(itemId: string): Promise<string> {
  const lines = await t.database.system.purchaseOrderLine.findMany({ where: { itemId, order: { state: 'confirmed' } } });
  return lines.reduce((a, l) => a + Math.max(0, Number(l.baseQuantity) - Number(l.receivedQuantity) + Number(l.returnedQuantity)), 0).toFixed(4);
}

describe('采购全流程：请购 → 订单 → 部分入库 → 全部入库', () => {
  let requisitionId: string;
  let orderId: string;
  let orderNumber: string;
  let lineId: string;

  it('期初 2000 KG（4.80）低于安全库存 5000：写一次缺料预警，在订 0', async () => {
    const m = await mark();
    await opening(id.rod!, '2000', '4.800000', 'H2410-01');
    const events = await eventsSince(m);
    expect(events.map((e) => e.type)).toEqual(['stock.shortage']);
    expect(events[0]!.payload).toMatchObject({ available: '2000.0000', safetyStock: '5000.0000', onOrder: '0.0000', suggestedQuantity: '3000.0000' });
    expect(await itemStock(id.rod!)).toEqual({ quantity: '2000.0000', value: '9600.00', averageCost: '4.800000', shortageOpen: true });
  });

  it('供应商价目表：两档阶梯价', async () => {
    const small = await wang('post', '/api/v1/supplier-prices').send({ supplierId: id.supplier, itemId: id.rod, price: '6400', validFrom: '2026-01-01' });
    expect(small.status).toBe(201);
    expect(small.body).toMatchObject({ unit: { code: 'T' }, price: '6400.000000', currencyCode: 'CNY', minQuantity: '0.0000', validTo: null });
    const big = await wang('post', '/api/v1/supplier-prices').send({ supplierId: id.supplier, itemId: id.rod, unitId: id.t, price: '6215.00', minQuantity: '5', validFrom: '2026-01-01' });
    expect(big.status).toBe(201);
    const pick = await wang('get', `/api/v1/supplier-prices/pick?supplierId=${id.supplier}&itemId=${id.rod}&quantity=4&date=2026-11-23`);
    expect(pick.body).toMatchObject({ unitPrice: '6400.000000', source: 'priceList', supplierPriceId: small.body.id });
  });

  it('计划员请购 10 吨（来源：缺料）并提交；计划员不能转采购订单', async () => {
    const res = await sun('post', '/api/v1/purchase-requisitions').send({
      source: 'shortage', remark: 'Φ8.0 盘条低于安全库存', lines: [{ itemId: id.rod, quantity: '10', requiredDate: '2026-12-10', supplierId: id.supplier }],
    });
    expect(res.status).toBe(201);
    requisitionId = res.body.id;
    expect(res.body).toMatchObject({ state: 'draft', source: 'shortage', requester: { name: '孙计划' }, orderProgress: 'none' });
    expect(res.body.number).toMatch(/^PR-\d{8}-\d{4}$/);
    expect(res.body.lines[0]).toMatchObject({ unit: { code: 'T' }, factor: '1000.000000', quantity: '10.0000', baseQuantity: '10000.0000', remainingQuantity: '10000.0000' });
    const submitted = await sun('post', `/api/v1/purchase-requisitions/${requisitionId}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe('confirmed');
    expect((await sun('post', `/api/v1/purchase-requisitions/${requisitionId}/to-order`).send({ supplierId: id.supplier })).status).toBe(403);
  });

  it('采购员转采购订单：阶梯价 6215/吨，金额与税额，请购已下单', async () => {
    const m = await mark();
    const res = await wang('post', `/api/v1/purchase-requisitions/${requisitionId}/to-order`).send({ supplierId: id.supplier });
    expect(res.status).toBe(201);
    orderId = res.body.id;
    orderNumber = res.body.number;
    lineId = res.body.lines[0].id;
    expect(orderNumber).toMatch(/^PO-\d{8}-\d{4}$/);
    expect(res.body).toMatchObject({
      state: 'draft', buyer: { name: '王采购' }, warehouse: { code: 'WH01' }, currencyCode: 'CNY', exchangeRate: '1.000000',
      totalAmount: '55000.00', totalTax: '7150.00', totalWithTax: '62150.00', receiptProgress: 'none',
    });
    expect(res.body.lines[0]).toMatchObject({
      unit: { code: 'T' }, quantity: '10.0000', baseQuantity: '10000.0000', unitPrice: '6215.000000', taxRate: '0.1300',
      amount: '55000.00', taxAmount: '7150.00', amountWithTax: '62150.00', promisedDate: '2026-12-10', requisitionLineId: expect.any(String),
    });
    const req = (await wang('get', `/api/v1/purchase-requisitions/${requisitionId}`)).body;
    expect(req).toMatchObject({ orderProgress: 'full', orders: [{ id: orderId, number: orderNumber, state: 'draft' }] });
    expect(req.lines[0]).toMatchObject({ orderedQuantity: '10000.0000', remainingQuantity: '0.0000' });
    // A draft is not on order yet.
    expect((await onOrder(id.rod!)).total).toBe('0.0000');
    expect((await eventsSince(m)).map((e) => e.type)).toEqual(['purchaseOrder.created', 'order.progress']);
  });

  it('确认：¥62,150 达到采购订单审批金额，先待审批（不在订），总经理同意后已确认', async () => {
    const res = await wang('post', `/api/v1/purchase-orders/${orderId}/confirm`);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('pendingApproval');
    expect((await onOrder(id.rod!)).total).toBe('0.0000');
    const approval = await t.database.system.approval.findFirstOrThrow({ where: { documentId: orderId } });
    expect(approval).toMatchObject({ businessType: 'purchaseOrder', state: 'pending' });
    const boss = await as(t, 'boss');
    const m = await mark();
    expect((await boss('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' })).status).toBe(200);
    expect((await wang('get', `/api/v1/purchase-orders/${orderId}`)).body.state).toBe('confirmed');
    const events = await eventsSince(m);
    expect(events.filter((e) => e.type === 'order.progress').map((e) => e.payload.kind)).toEqual(['approved', 'confirmed']);
  });

  it('在订 10000 KG（原材料仓，来自该订单），与库存账的在订口径一致', async () => {
    const oo = await onOrder(id.rod!);
    expect(oo.total).toBe('10000.0000');
    expect(oo.warehouses).toMatchObject([{ warehouse: { code: 'WH01' }, quantity: '10000.0000', orders: [{ number: orderNumber, openQuantity: '10000.0000' }] }]);
    expect(await ledgerOnOrder(id.rod!)).toBe('10000.0000');
  });

  it('部分入库 4 吨（炉号 H2411-07，仓管员）：成本 5.50，平均成本 5.266667，在订 6000，缺料解除', async () => {
    const m = await mark();
    const res = await zhao('post', `/api/v1/purchase-orders/${orderId}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '4', batchNo: 'H2411-07' }] });
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(/^RC-\d{8}-\d{4}$/);
    expect(res.body).toMatchObject({ order: { id: orderId, number: orderNumber }, totalAmount: '22000.00', createdBy: { name: '赵仓管' } });
    expect(res.body.lines[0]).toMatchObject({
      quantity: '4.0000', unit: { code: 'T' }, baseQuantity: '4000.0000', batchNo: 'H2411-07', qualityStatus: 'passed', unitCost: '5.500000', amount: '22000.00',
    });
    // (2000 × 4.80 + 4000 × 5.50) / 6000 = 31600 / 6000
    expect(await itemStock(id.rod!)).toEqual({ quantity: '6000.0000', value: '31600.00', averageCost: '5.266667', shortageOpen: false });
    expect(await onHand(id.rod!)).toBe('6000.0000');
    expect(await balances(id.rod!)).toEqual([['H2410-01', 'passed', '2000.0000'], ['H2411-07', 'passed', '4000.0000']]);
    expect((await onOrder(id.rod!)).total).toBe('6000.0000');
    expect(await ledgerOnOrder(id.rod!)).toBe('6000.0000');
    const po = (await wang('get', `/api/v1/purchase-orders/${orderId}`)).body;
    expect(po.receiptProgress).toBe('partial');
    expect(po.lines[0]).toMatchObject({ receivedQuantity: '4000.0000', returnedQuantity: '0.0000', openQuantity: '6000.0000' });
    const events = await eventsSince(m);
    // The shortage recovered (flag cleared) without a new shortage event.
    expect(events.map((e) => e.type)).toEqual(['receipt.created', 'order.progress']);
    expect(events[1]!.payload).toMatchObject({ kind: 'received', number: orderNumber, orderType: 'purchaseOrder', actor: '赵仓管' });
    expect((events[1]!.payload.data as { receiptProgress: string }).receiptProgress).toBe('partial');
    const move = await t.database.system.stockMove.findFirstOrThrow({ where: { itemId: id.rod, kind: 'purchaseReceipt' } });
    expect([move.quantity.toFixed(4), move.unitCost.toFixed(6), move.amount.toFixed(2), move.sourceType, move.sourceId, move.documentNo, move.batchNo]).toEqual([
      '4000.0000', '5.500000', '22000.00', 'receipt', res.body.id, res.body.number, 'H2411-07',
    ]);
  });

  it('其余 6 吨（炉号 H2411-09）：平均成本 5.383333，在订 0，收货进度 全部', async () => {
    const res = await zhao('post', `/api/v1/purchase-orders/${orderId}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '6', batchNo: 'H2411-09' }] });
    expect(res.status).toBe(201);
    // (31600 + 6000 × 5.50) / 12000 = 64600 / 12000
    expect(await itemStock(id.rod!)).toEqual({ quantity: '12000.0000', value: '64600.00', averageCost: '5.383333', shortageOpen: false });
    expect(await onHand(id.rod!)).toBe('12000.0000');
    expect(await movesSum(id.rod!)).toBe('12000.0000');
    expect(await balances(id.rod!)).toEqual([['H2410-01', 'passed', '2000.0000'], ['H2411-07', 'passed', '4000.0000'], ['H2411-09', 'passed', '6000.0000']]);
    expect(await onOrder(id.rod!)).toMatchObject({ total: '0.0000', warehouses: [] });
    expect(await ledgerOnOrder(id.rod!)).toBe('0.0000');
    const po = (await wang('get', `/api/v1/purchase-orders/${orderId}`)).body;
    expect(po.receiptProgress).toBe('full');
    expect(po.receipts).toHaveLength(2);
    expect(po.timeline.map((e: { kind: string }) => e.kind)).toEqual(['created', 'submitted', 'approved', 'confirmed', 'received', 'received']);
    expect(po.timeline.map((e: { actor: { name: string } }) => e.actor.name)).toEqual(['王采购', '王采购', '老板', '老板', '赵仓管', '赵仓管']);
    expect(po.timeline[5].message).toContain('6 吨');
    const progress = await t.database.system.outboxEvent.findMany({ where: { type: 'order.progress', aggregateId: orderId }, orderBy: { id: 'asc' } });
    expect(progress.map((e) => (e.payload as { kind: string }).kind)).toEqual(['created', 'submitted', 'approved', 'confirmed', 'received', 'received']);
    const audits = await t.database.system.auditLog.findMany({ where: { entity: 'receipt' } });
    expect(audits).toHaveLength(2);
    // The receipts list finds them by order number and by supplier.
    const list = await zhao('get', `/api/v1/purchase-receipts?q=${orderNumber}`);
    expect(list.body.total).toBe(2);
  });

  it('超收：5% 以内允许（最多 10.5 吨），超出 409 说明数字且什么都不写', async () => {
    const before = { stock: await itemStock(id.rod!), receipts: await t.database.system.receipt.count(), events: await mark() };
    const over = await zhao('post', `/api/v1/purchase-orders/${orderId}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '0.6', batchNo: 'H2411-10' }] });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('超收');
    expect(over.body.error.message).toContain('订购 10 吨，已收 10 吨，本次 0.6 吨');
    expect(over.body.error.message).toContain('最多可收 10.5 吨，还可收 0.5 吨');
    expect(over.body.error.details).toEqual([{ field: 'body.lines.0.quantity', label: '第 1 行 数量', message: expect.stringContaining('超收') }]);
    expect(await itemStock(id.rod!)).toEqual(before.stock);
    expect(await t.database.system.receipt.count()).toBe(before.receipts);
    expect(await eventsSince(before.events)).toEqual([]);
    const within = await zhao('post', `/api/v1/purchase-orders/${orderId}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '0.5', batchNo: 'H2411-10' }] });
    expect(within.status).toBe(201);
    const line = await t.database.system.purchaseOrderLine.findUniqueOrThrow({ where: { id: lineId } });
    expect(line.receivedQuantity.toFixed(4)).toBe('10500.0000');
    expect((await zhao('post', `/api/v1/purchase-orders/${orderId}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '0.001', batchNo: 'H2411-10' }] })).status).toBe(409);
    // Over-received lines do not count as negative on order.
    expect(await onOrder(id.rod!)).toMatchObject({ total: '0.0000' });
  });
});

describe('采购退货：按入库成本出库，退回的数量重新计入在订量', () => {
  let orderId: string;
  let lineId: string;

  it('订 2 吨 5650/吨（成本 5.00），全部入库后退 0.5 吨', async () => {
    await opening(id.rod10!, '1000', '5.200000', 'A1');
    const created = await wang('post', '/api/v1/purchase-orders').send({
      supplierId: id.supplier, orderDate: '2026-11-20', lines: [{ itemId: id.rod10, quantity: '2', unitPrice: '5650', promisedDate: '2026-11-30' }],
    });
    expect(created.status).toBe(201);
    orderId = created.body.id;
    lineId = created.body.lines[0].id;
    expect((await wang('post', `/api/v1/purchase-orders/${orderId}/confirm`)).status).toBe(200);
    expect((await zhao('post', `/api/v1/purchase-orders/${orderId}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '2', batchNo: 'B7' }] })).status).toBe(201);
    // (1000 × 5.20 + 2000 × 5.00) / 3000
    expect(await itemStock(id.rod10!)).toMatchObject({ quantity: '3000.0000', value: '15200.00', averageCost: '5.066667' });

    const m = await mark();
    const res = await zhao('post', `/api/v1/purchase-orders/${orderId}/returns`).send({ lines: [{ orderLineId: lineId, quantity: '0.5', batchNo: 'B7' }], reason: '表面锈蚀' });
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(/^RT-\d{8}-\d{4}$/);
    expect(res.body.lines[0]).toMatchObject({ quantity: '0.5000', baseQuantity: '500.0000', unitCost: '5.000000', amount: '2500.00', batchNo: 'B7' });
    const move = await t.database.system.stockMove.findFirstOrThrow({ where: { itemId: id.rod10, kind: 'purchaseReturn' } });
    expect([move.quantity.toFixed(4), move.unitCost.toFixed(6), move.amount.toFixed(2)]).toEqual(['-500.0000', '5.000000', '-2500.00']);
    // Out at the receipt cost, not the average: value 15200 − 2500.
    expect(await itemStock(id.rod10!)).toMatchObject({ quantity: '2500.0000', value: '12700.00' });
    expect(await balances(id.rod10!)).toEqual([['A1', 'passed', '1000.0000'], ['B7', 'passed', '1500.0000']]);
    // Returned goods are expected again.
    expect((await onOrder(id.rod10!)).total).toBe('500.0000');
    expect(await ledgerOnOrder(id.rod10!)).toBe('500.0000');
    const po = (await wang('get', `/api/v1/purchase-orders/${orderId}`)).body;
    expect(po.receiptProgress).toBe('partial');
    expect(po.lines[0]).toMatchObject({ receivedQuantity: '2000.0000', returnedQuantity: '500.0000', openQuantity: '500.0000' });
    expect(po.returns).toMatchObject([{ reason: '表面锈蚀', totalAmount: '2500.00' }]);
    expect(po.timeline.map((e: { kind: string }) => e.kind)).toEqual(['created', 'confirmed', 'received', 'returned']);
    expect((await eventsSince(m)).map((e) => e.type)).toEqual(['purchaseReturn.created', 'order.progress']);
  });

  it('退货超过已收减已退：409 说明数字，什么都不写', async () => {
    const before = await itemStock(id.rod10!);
    const res = await zhao('post', `/api/v1/purchase-orders/${orderId}/returns`).send({ lines: [{ orderLineId: lineId, quantity: '1.6', batchNo: 'B7' }], reason: '多退' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('已收 2 吨，已退 0.5 吨，本次 1.6 吨，最多还可退 1.5 吨');
    expect(res.body.error.details[0].field).toBe('body.lines.0.quantity');
    expect(await itemStock(id.rod10!)).toEqual(before);
    expect(await t.database.system.purchaseReturn.count()).toBe(1);
  });

  it('供应商补货 0.5 吨：收货进度回到 全部，在订 0', async () => {
    const res = await zhao('post', `/api/v1/purchase-orders/${orderId}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '0.5', batchNo: 'B8' }] });
    expect(res.status).toBe(201);
    expect((await wang('get', `/api/v1/purchase-orders/${orderId}`)).body.receiptProgress).toBe('full');
    expect((await onOrder(id.rod10!)).total).toBe('0.0000');
    // 2500 + 500 at 5.00: (12700 + 2500) / 3000
    expect(await itemStock(id.rod10!)).toMatchObject({ quantity: '3000.0000', value: '15200.00', averageCost: '5.066667' });
  });
});
