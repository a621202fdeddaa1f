// 销售全流程: 报价 → 订单（箱和个两种单位）→ 确认（预留）→ 部分发货 → 其余发货 → 退货 2 个。
// Each step checks stock levels and balances, the moving average cost, the order timeline and
// exactly which outbox events were written.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock, stockLevelOf } from '../helpers/stock.ts';

let t: TestApp;
let li: AuthedClient;
let zhao: AuthedClient;
const id = {} as Record<'customer' | 'm8' | 'm12' | 'pcs' | 'box' | 'wh02', string>;

beforeAll(async () => {
  t = await createTestApp();
  [li, zhao] = await Promise.all([as(t, 'li.xs'), as(t, 'zhao.ck')]);
  const sys = t.database.system;
  id.customer = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id; // 李销售的客户
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id; // M8螺栓: 1 箱 = 1000 个, safety stock 20000
  id.m12 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M12X40' } })).id; // safety stock 1000
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  id.box = (await sys.unit.findFirstOrThrow({ where: { code: 'BOX' } })).id;
  id.wh02 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id;
  // Two receipts of M8 at different costs: 30000 × 0.030 + 20000 × 0.0355 → average 0.0322.
  await addOpeningStock(t, [
    { item: 'FG-BLT-M8X30', quantity: '30000', unitCost: '0.030000' },
    { item: 'FG-BLT-M8X30', quantity: '20000', unitCost: '0.035500' },
    { item: 'FG-BLT-M12X40', quantity: '5000', unitCost: '0.079300' },
  ]);
});
afterAll(async () => t?.close());

async function mark(): Promise<bigint> {
  return (await t.database.system.outboxEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
}
async function eventsSince(m: bigint) {
  return t.database.system.outboxEvent.findMany({ where: { id: { gt: m } }, orderBy: { id: 'asc' } });
}
async function itemStock(itemId: string) {
  const s = await t.database.system.itemStock.findFirstOrThrow({ where: { itemId } });
  return { quantity: s.quantity.toFixed(4), value: s.value.toFixed(2), averageCost: s.averageCost.toFixed(6) };
}
async function balance(itemId: string) {
  const rows = await t.database.system.stockBalance.findMany({ where: { itemId, warehouseId: id.wh02 } });
  return rows.map((r) => [r.batchNo, r.qualityStatus, r.onHand.toFixed(4)]);
}
const timelineKinds = async (orderId: string) =>
  (await t.database.system.timelineEntry.findMany({ where: { orderId }, orderBy: { id: 'asc' } })).map((e) => e.kind);

describe('销售全流程', () => {
  let quotationId: string;
  let orderId: string;
  let lines: { id: string; lineNo: number }[];

  it('开账库存：M8 两次入库，移动加权平均 0.0322', async () => {
    expect(await itemStock(id.m8)).toEqual({ quantity: '50000.0000', value: '1610.00', averageCost: '0.032200' });
    expect(await stockLevelOf(t, id.m8, id.wh02)).toEqual({ onHand: '50000.0000', reserved: '0.0000' });
  });

  it('报价单：箱和个两种单位，默认售价按换算率，金额与合计', async () => {
    const m = await mark();
    const res = await li('post', '/api/v1/quotations').send({
      customerId: id.customer,
      validUntil: '2099-12-31',
      lines: [
        { itemId: id.m8, quantity: '30', discountRate: '0.05' }, // default unit: 箱; list price 0.055 × 1000 = 55
        { itemId: id.m12, unitId: id.pcs, quantity: '500' },
      ],
    });
    expect(res.status).toBe(201);
    quotationId = res.body.id;
    expect(res.body).toMatchObject({ state: 'draft', currencyCode: 'CNY', totalWithTax: '1639.45', totalAmount: '1450.84', totalTax: '188.61' });
    expect(res.body.number).toMatch(/^SQ-\d{8}-\d{4}$/);
    expect(res.body.lines.map((l: Record<string, unknown>) => [l.unit, l.quantity, l.baseQuantity, l.listPrice, l.unitPrice, l.amountWithTax])).toEqual([
      [{ id: id.box, name: '箱' }, '30.0000', '30000.0000', '55.000000', '52.250000', '1567.50'],
      [{ id: id.pcs, name: '个' }, '500.0000', '500.0000', '0.143900', '0.143900', '71.95'],
    ]);
    expect((await li('post', `/api/v1/quotations/${quotationId}/send`)).body.state).toBe('sent');
    expect((await eventsSince(m)).map((e) => e.type)).toEqual(['quotation.created', 'quotation.sent']);
  });

  it('报价单转订单：订单草稿带同样的明细，报价单已接受', async () => {
    const m = await mark();
    const res = await li('post', `/api/v1/quotations/${quotationId}/convert`).send({});
    expect(res.status).toBe(201);
    orderId = res.body.id;
    expect(res.body).toMatchObject({
      state: 'draft', customer: { id: id.customer, code: 'C0002' }, owner: { name: '李销售' }, warehouse: { code: 'WH02', name: '成品仓' },
      currencyCode: 'CNY', exchangeRate: '1.000000', totalWithTax: '1639.45', listTotal: '1721.95', shipmentProgress: 'none',
    });
    expect(res.body.quotation.id).toBe(quotationId);
    lines = res.body.lines;
    expect(res.body.lines.map((l: Record<string, string>) => [l.quantity, l.baseQuantity, l.unitPrice, l.reservedQuantity])).toEqual([
      ['30.0000', '30000.0000', '52.250000', '0.0000'],
      ['500.0000', '500.0000', '0.143900', '0.0000'],
    ]);
    expect((await li('get', `/api/v1/quotations/${quotationId}`)).body).toMatchObject({ state: 'accepted', orders: [{ id: orderId, state: 'draft' }] });
    const events = await eventsSince(m);
    expect(events.map((e) => [e.type, (e.payload as { kind?: string }).kind ?? null])).toEqual([['order.progress', 'created'], ['quotation.accepted', null]]);
    expect(await stockLevelOf(t, id.m8, id.wh02)).toEqual({ onHand: '50000.0000', reserved: '0.0000' });
  });

  it('确认：每行预留订单数量，库存在库不变、可用减少；无缺货事件', async () => {
    const m = await mark();
    const res = await li('post', `/api/v1/sales-orders/${orderId}/confirm`).send({});
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('confirmed');
    expect(res.body.confirmedAt).toMatch(/\+08:00$/);
    expect(res.body.lines.map((l: Record<string, string>) => [l.reservedQuantity, l.shortQuantity, l.shippedQuantity])).toEqual([
      ['30000.0000', '0.0000', '0.0000'],
      ['500.0000', '0.0000', '0.0000'],
    ]);
    expect(await stockLevelOf(t, id.m8, id.wh02)).toEqual({ onHand: '50000.0000', reserved: '30000.0000' });
    expect(await stockLevelOf(t, id.m12, id.wh02)).toEqual({ onHand: '5000.0000', reserved: '500.0000' });
    const events = await eventsSince(m);
    expect(events.map((e) => e.type)).toEqual(['order.progress']);
    expect(events[0]!.payload).toMatchObject({
      kind: 'confirmed', actor: '李销售',
      data: { shortLines: 0, creditOverride: false, lineNo: [1, 2], reserved: ['30000', '500'], short: ['0', '0'] },
    });
    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'salesOrder', entityId: orderId }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'confirm']);
  });

  it('部分发货：10 箱 M8 和 200 个 M12，消耗预留，按移动加权平均成本出库', async () => {
    const m = await mark();
    const res = await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({
      lines: [{ orderLineId: lines[0]!.id, quantity: '10' }, { orderLineId: lines[1]!.id, quantity: '200' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(/^SH-\d{8}-\d{4}$/);
    expect(res.body.lines.map((l: Record<string, unknown>) => [l.lineNo, l.quantity, l.baseQuantity, l.unitCost, (l.unit as { name: string }).name])).toEqual([
      [1, '10.0000', '10000.0000', '0.032200', '箱'],
      [2, '200.0000', '200.0000', '0.079300', '个'],
    ]);
    expect(await stockLevelOf(t, id.m8, id.wh02)).toEqual({ onHand: '40000.0000', reserved: '20000.0000' });
    expect(await stockLevelOf(t, id.m12, id.wh02)).toEqual({ onHand: '4800.0000', reserved: '300.0000' });
    expect(await balance(id.m8)).toEqual([['', 'passed', '40000.0000']]);
    expect(await itemStock(id.m8)).toEqual({ quantity: '40000.0000', value: '1288.00', averageCost: '0.032200' });
    expect(await itemStock(id.m12)).toEqual({ quantity: '4800.0000', value: '380.64', averageCost: '0.079300' });
    const moves = await t.database.system.stockMove.findMany({ where: { sourceType: 'shipment', sourceId: res.body.id }, orderBy: { id: 'asc' } });
    expect(moves.map((mv) => [mv.kind, mv.quantity.toFixed(4), mv.amount.toFixed(2), mv.documentNo])).toEqual([
      ['salesShipment', '-10000.0000', '-322.00', res.body.number],
      ['salesShipment', '-200.0000', '-15.86', res.body.number],
    ]);
    const order = (await zhao('get', `/api/v1/sales-orders/${orderId}`)).body;
    expect(order.shipmentProgress).toBe('partial');
    expect(order.lines.map((l: Record<string, string>) => [l.shippedQuantity, l.reservedQuantity, l.shortQuantity])).toEqual([
      ['10000.0000', '20000.0000', '0.0000'],
      ['200.0000', '300.0000', '0.0000'],
    ]);
    const events = await eventsSince(m);
    expect(events.map((e) => e.type)).toEqual(['order.progress']);
    expect(events[0]!.payload).toMatchObject({ kind: 'shipped', message: `发货 10 箱 M8螺栓、200 个 外六角螺栓 M12×40（${res.body.number}）`, actor: '赵仓管' });
  });

  it('其余发货：全部发完，预留归零，发货进度“全部”', async () => {
    const m = await mark();
    const res = await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({
      lines: [{ orderLineId: lines[0]!.id, quantity: '20' }, { orderLineId: lines[1]!.id, quantity: '300' }],
    });
    expect(res.status).toBe(201);
    expect(await stockLevelOf(t, id.m8, id.wh02)).toEqual({ onHand: '20000.0000', reserved: '0.0000' });
    expect(await stockLevelOf(t, id.m12, id.wh02)).toEqual({ onHand: '4500.0000', reserved: '0.0000' });
    expect(await itemStock(id.m8)).toEqual({ quantity: '20000.0000', value: '644.00', averageCost: '0.032200' });
    expect(await itemStock(id.m12)).toEqual({ quantity: '4500.0000', value: '356.85', averageCost: '0.079300' });
    const order = (await li('get', `/api/v1/sales-orders/${orderId}`)).body;
    expect(order.shipmentProgress).toBe('full');
    expect(order.shipments).toHaveLength(2);
    expect(order.lines.map((l: Record<string, string>) => [l.shippedQuantity, l.reservedQuantity, l.shortQuantity])).toEqual([
      ['30000.0000', '0.0000', '0.0000'],
      ['500.0000', '0.0000', '0.0000'],
    ]);
    // Nothing more can be shipped.
    const more = await zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({ lines: [{ orderLineId: lines[1]!.id, quantity: '1' }] });
    expect(more.status).toBe(409);
    expect(more.body.error.details).toEqual([{ field: 'body.lines.0.quantity', label: '第 1 行 数量', message: '第 2 行最多还可发 0 个 外六角螺栓 M12×40' }]);
    expect((await eventsSince(m)).map((e) => [e.type, (e.payload as { kind: string }).kind])).toEqual([['order.progress', 'shipped']]);
  });

  it('退货 2 个：按发货成本入库（新进价不同，平均成本随之变化）', async () => {
    // A later receipt at a higher cost moves the average: (356.85 + 4500 × 0.09) / 9000 = 0.08465.
    await addOpeningStock(t, [{ item: 'FG-BLT-M12X40', quantity: '4500', unitCost: '0.090000' }]);
    expect(await itemStock(id.m12)).toEqual({ quantity: '9000.0000', value: '761.85', averageCost: '0.084650' });
    const m = await mark();
    const res = await zhao('post', `/api/v1/sales-orders/${orderId}/returns`).send({ lines: [{ orderLineId: lines[1]!.id, quantity: '2' }], reason: '螺纹损伤' });
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(/^SR-\d{8}-\d{4}$/);
    // Back in at the shipped value, not at today's average: the 500 shipped took 500 × 0.0793 = 39.65,
    // 2 of them are 39.65 × 2/500 = 0.1586 → 0.16 (unit cost derived from it: 0.08).
    expect(res.body.lines).toMatchObject([{ lineNo: 2, quantity: '2.0000', baseQuantity: '2.0000', amount: '0.16', unitCost: '0.080000', qualityStatus: 'passed' }]);
    const value = new Decimal('761.85').plus('0.16');
    expect(await itemStock(id.m12)).toEqual({ quantity: '9002.0000', value: value.toFixed(2), averageCost: value.div(9002).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6) });
    expect(await stockLevelOf(t, id.m12, id.wh02)).toEqual({ onHand: '9002.0000', reserved: '0.0000' });
    expect(await balance(id.m12)).toEqual([['', 'passed', '9002.0000']]);
    const move = await t.database.system.stockMove.findFirstOrThrow({ where: { sourceType: 'salesReturn', sourceId: res.body.id } });
    expect([move.kind, move.quantity.toFixed(4), move.unitCost.toFixed(6), move.amount.toFixed(2)]).toEqual(['salesReturn', '2.0000', '0.080000', '0.16']);
    const order = (await li('get', `/api/v1/sales-orders/${orderId}`)).body;
    expect(order.lines[1]).toMatchObject({ shippedQuantity: '500.0000', returnedQuantity: '2.0000' });
    expect(order.returns).toHaveLength(1);
    const events = await eventsSince(m);
    expect(events.map((e) => e.type)).toEqual(['order.progress']);
    expect(events[0]!.payload).toMatchObject({ kind: 'returned', message: `退货 2 个 外六角螺栓 M12×40（${res.body.number}）：螺纹损伤` });
    // Cannot return more than shipped − returned.
    const tooMany = await zhao('post', `/api/v1/sales-orders/${orderId}/returns`).send({ lines: [{ orderLineId: lines[1]!.id, quantity: '499' }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.details[0].field).toBe('body.lines.0.quantity');
  });

  it('时间线：创建、确认、两次发货、退货，最新的在最后', async () => {
    expect(await timelineKinds(orderId)).toEqual(['created', 'confirmed', 'shipped', 'shipped', 'returned']);
    const res = await li('get', `/api/v1/sales-orders/${orderId}/timeline`);
    expect(res.status).toBe(200);
    expect(res.body.map((e: { kind: string }) => e.kind)).toEqual(['created', 'confirmed', 'shipped', 'shipped', 'returned']);
    expect(res.body.map((e: { actor: { name: string } }) => e.actor.name)).toEqual(['李销售', '李销售', '赵仓管', '赵仓管', '赵仓管']);
    expect(res.body[1].message).toContain('2 行已全部预留');
  });
});
