// 外币采购入库按入库日的汇率折算（不是订单日的）: a USD order dated in September, received in
// December, is valued at December's rate — the spot rate of the receipt's date (the latest on or
// before it) by default, or the month's average when the company chooses it. The receipt shows the
// rate and the basis it used.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let wang: AuthedClient;
let zhao: AuthedClient;
let li: AuthedClient;
const id: Record<string, string> = {};
let order: { id: string; lines: { id: string }[] };

beforeAll(async () => {
  t = await createTestApp();
  [admin, wang, zhao, li] = await Promise.all([as(t, 'admin'), as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'li.xs')]);
  const sys = t.database.system;
  id.a2 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M6X20-A2' } })).id;
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  const usd = (await sys.currency.findFirstOrThrow({ where: { code: 'USD' } })).id;
  // USD → CNY: 7.05 from Sep 1; 7.10 from Nov 30; 7.16 from Dec 3; 7.22 from Dec 5 (the seed adds today's 7.12 later on).
  for (const [rateDate, rate] of [['2026-09-01', '7.05'], ['2026-11-30', '7.10'], ['2026-12-03', '7.16'], ['2026-12-05', '7.22']]) {
    await admin('post', `/api/v1/currencies/${usd}/rates`).send({ rateDate, rate }).expect(201);
  }
  const supplier = await wang('post', '/api/v1/suppliers').send({ code: 'SUSD02', name: 'Pacific Fastener Inc.', currencyCode: 'USD' });
  expect(supplier.status).toBe(201);
  // 1.13 USD per 个 with 13 % VAT: 1.00 USD net per 个.
  const po = await wang('post', '/api/v1/purchase-orders').send({
    supplierId: supplier.body.id, orderDate: '2026-09-15', lines: [{ itemId: id.a2, unitId: id.pcs, quantity: '1000', unitPrice: '1.13', taxRate: '0.13' }],
  });
  expect(po.status, JSON.stringify(po.body)).toBe(201);
  expect(po.body).toMatchObject({ currencyCode: 'USD', exchangeRate: '7.050000' });
  await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`).expect(200);
  order = po.body;
});
afterAll(async () => t?.close());

const receive = (quantity: string, receivedAt: string) =>
  zhao('post', `/api/v1/purchase-orders/${order.id}/receipts`).send({ receivedAt, lines: [{ orderLineId: order.lines[0]!.id, quantity }] });
const moveOf = async (receiptId: string) => {
  const m = await t.database.system.stockMove.findFirstOrThrow({ where: { sourceType: 'receipt', sourceId: receiptId } });
  return { unitCost: m.unitCost.toFixed(6), amount: m.amount.toFixed(2) };
};

describe('外币入库的折算汇率', () => {
  it('默认按入库日的即期汇率：12-05 收 40 个 → 40 × 1.00 USD × 7.22 = 288.80 元（不是订单日的 7.05）', async () => {
    const rc = await receive('40', '2026-12-05T10:00:00+08:00');
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    expect(rc.body).toMatchObject({ currencyCode: 'USD', exchangeRate: '7.220000', rateBasis: 'spot', rateBasisLabel: '入库日即期汇率', totalAmount: '288.80' });
    expect(rc.body.lines[0]).toMatchObject({ baseQuantity: '40.0000', unitCost: '7.220000', amount: '288.80' });
    expect(await moveOf(rc.body.id)).toEqual({ unitCost: '7.220000', amount: '288.80' });
    // shown again when read
    expect((await zhao('get', `/api/v1/purchase-receipts/${rc.body.id}`)).body).toMatchObject({ exchangeRate: '7.220000', rateBasis: 'spot' });
  });

  it('当天没有汇率：用该日之前最近的一条（汇率查询的惯例）— 12-04 用 12-03 的 7.16', async () => {
    const rc = await receive('10', '2026-12-04T23:30:00+08:00'); // 15:30 UTC: still Dec 4 in Asia/Shanghai
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    expect(rc.body).toMatchObject({ exchangeRate: '7.160000', rateBasis: 'spot', totalAmount: '71.60' });
    expect(await moveOf(rc.body.id)).toEqual({ unitCost: '7.160000', amount: '71.60' });
  });

  it('入库日及之前没有汇率：400 指明入库时间，什么都不写', async () => {
    const before = await t.database.system.receipt.count();
    const rc = await receive('1', '2026-08-31T12:00:00+08:00');
    expect(rc.status).toBe(400);
    expect(rc.body.error.details[0]).toEqual({ field: 'body.receivedAt', label: '收货时间', message: '没有 USD 在 2026-08-31 及之前的汇率，无法按入库日汇率折算入库成本，请先在「币别与汇率」中录入' });
    expect(await t.database.system.receipt.count()).toBe(before);
  });

  it('公司设置改为当月平均汇率：12-05 入库取 12-01 至 12-05 每天适用汇率的平均 (7.10+7.10+7.16+7.16+7.22)/5 = 7.148', async () => {
    const denied = await li('patch', '/api/v1/company').send({ receiptRateBasis: 'monthlyAverage' });
    expect(denied.status).toBe(403);
    const bad = await admin('patch', '/api/v1/company').send({ receiptRateBasis: 'yearly' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.receiptRateBasis');
    const set = await admin('patch', '/api/v1/company').send({ receiptRateBasis: 'monthlyAverage' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ receiptRateBasis: 'monthlyAverage', receiptRateBasisLabel: '当月平均汇率' });

    const rc = await receive('20', '2026-12-05T09:00:00+08:00');
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    // 20 × 1.00 USD × 7.148 = 142.96
    expect(rc.body).toMatchObject({ exchangeRate: '7.148000', rateBasis: 'monthlyAverage', rateBasisLabel: '当月平均汇率', totalAmount: '142.96' });
    expect(await moveOf(rc.body.id)).toEqual({ unitCost: '7.148000', amount: '142.96' });

    // Earlier receipts keep the rate they were valued at.
    const list = await zhao('get', '/api/v1/purchase-receipts').query({ orderId: order.id, sort: 'receivedAt' });
    expect(list.body.items.map((r: { exchangeRate: string; rateBasis: string }) => [r.exchangeRate, r.rateBasis])).toEqual([
      ['7.160000', 'spot'], ['7.148000', 'monthlyAverage'], ['7.220000', 'spot'],
    ]);

    const none = await receive('1', '2026-08-20T12:00:00+08:00');
    expect(none.status).toBe(400);
    expect(none.body.error.details[0]).toEqual({ field: 'body.receivedAt', label: '收货时间', message: '没有 USD 在 2026-08-01 至 2026-08-20 适用的汇率，无法按当月平均汇率折算入库成本，请先在「币别与汇率」中录入' });
    await admin('patch', '/api/v1/company').send({ receiptRateBasis: 'spot' }).expect(200);
  });
});

describe('外币采购退货按入库时记的金额退（不是订单日汇率）', () => {
  const giveBack = (quantity: string) =>
    zhao('post', `/api/v1/purchase-orders/${order.id}/returns`).send({ lines: [{ orderLineId: order.lines[0]!.id, quantity }], reason: '规格不符' });
  const returnMove = async (returnId: string) =>
    (await t.database.system.stockMove.findFirstOrThrow({ where: { sourceType: 'purchaseReturn', sourceId: returnId } })).amount.toFixed(2);

  it('已收 70 个共记 288.80 + 71.60 + 142.96 = 503.36 元：退 30 个 = 503.36 × 30/70 = 215.73；再退余下 40 个取余数 287.63，入库的钱全部退出', async () => {
    const first = await giveBack('30');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // at the order's 7.05 it would have been 30 × 7.05 = 211.50, leaving 4.23 元 in stock with no goods behind it
    expect(first.body).toMatchObject({ totalAmount: '215.73', priceVariance: '0.00' });
    expect(first.body.lines[0]).toMatchObject({ baseQuantity: '30.0000', amount: '215.73', unitCost: '7.191000' });
    expect(await returnMove(first.body.id)).toBe('-215.73');

    const rest = await giveBack('40');
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    expect(rest.body).toMatchObject({ totalAmount: '287.63', priceVariance: '0.00' });
    expect(rest.body.lines[0]).toMatchObject({ amount: '287.63', unitCost: '7.190750' });
    expect(await returnMove(rest.body.id)).toBe('-287.63');

    const moves = await t.database.system.stockMove.findMany({ where: { sourceType: { in: ['receipt', 'purchaseReturn'] }, itemId: id.a2 } });
    const receipts = await t.database.system.receipt.findMany({ where: { orderId: order.id }, select: { id: true } });
    const ours = moves.filter((m) => m.sourceType === 'purchaseReturn' ? [first.body.id, rest.body.id].includes(m.sourceId) : receipts.some((r) => r.id === m.sourceId));
    expect(ours.reduce((a, m) => a.plus(m.amount.toString()), new Decimal(0)).toFixed(2)).toBe('0.00');
  });
});
