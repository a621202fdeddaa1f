// 库存金额到分: the value that enters stock is the purchase line's net amount (pro rata, the last
// receipt taking the remainder), what goes out is the stock's pro-rata share (the move that empties
// an item takes all that is left), a return never takes out more value than stock holds, and after a
// month of mixed documents Σ stock value = Σ document values to the fen. Everything through the
// HTTP API; every figure worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient, wang: AuthedClient, zhao: AuthedClient, li: AuthedClient, boss: AuthedClient;
const id: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [admin, wang, zhao, li, boss] = await Promise.all([as(t, 'admin'), as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'li.xs'), as(t, 'boss')]);
  const sys = t.database.system;
  for (const code of ['FG-BLT-M8X30', 'FG-BLT-M8X20', 'FG-BLT-M8X25', 'FG-BLT-M8X40', 'FG-NUT-M12']) id[code] = (await sys.item.findFirstOrThrow({ where: { code } })).id;
  id.box = (await sys.unit.findFirstOrThrow({ where: { code: 'BOX' } })).id; // 1 箱 = 1000 个 for all these items
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  id.wh01 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH01' } })).id;
  id.wh02 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id;
  id.supplier = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
  id.customer = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id; // 李销售's
});
afterAll(async () => t?.close());

type Doc = { id: string; number: string; totalAmount: string; priceVariance?: string; lines: { id: string; item: { code: string }; amount: string; unitCost: string; priceVariance?: string }[] };

/** A confirmed purchase order into 原材料仓 (≥ ¥50,000 goes through the boss's approval). */
async function purchaseOrder(lines: { item: string; unit: 'box' | 'pcs'; quantity: string; unitPrice: string }[]) {
  const res = await wang('post', '/api/v1/purchase-orders').send({
    supplierId: id.supplier, warehouseId: id.wh01,
    lines: lines.map((l) => ({ itemId: id[l.item], unitId: id[l.unit], quantity: l.quantity, unitPrice: l.unitPrice, taxRate: '0.13' })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const confirmed = await wang('post', `/api/v1/purchase-orders/${res.body.id}/confirm`);
  expect(confirmed.status).toBe(200);
  if (confirmed.body.state === 'pendingApproval') {
    const approval = await t.database.system.approval.findFirstOrThrow({ where: { documentId: res.body.id } });
    expect((await boss('post', `/api/v1/approvals/${approval.id}/decide`).send({ decision: 'agree' })).status).toBe(200);
  }
  return res.body as { id: string; lines: { id: string; amount: string }[] };
}
async function receive(po: { id: string; lines: { id: string }[] }, quantities: (string | null)[]): Promise<Doc> {
  const lines = quantities.flatMap((q, n) => (q ? [{ orderLineId: po.lines[n]!.id, quantity: q }] : []));
  const res = await zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
async function giveBack(po: { id: string; lines: { id: string }[] }, line: number, quantity: string): Promise<Doc> {
  const res = await zhao('post', `/api/v1/purchase-orders/${po.id}/returns`).send({ lines: [{ orderLineId: po.lines[line]!.id, quantity }], reason: '来料不良' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
/** 库存调整 of one item in base units (negative = out at the stock's value). */
async function adjust(item: string, warehouseId: string, quantity: string, extra: Record<string, unknown> = {}): Promise<Doc> {
  const res = await admin('post', '/api/v1/stock/adjustments').send({ warehouseId, reason: '测试调整', ...extra, lines: [{ itemId: id[item], quantity, ...(extra.unitCost ? { unitCost: extra.unitCost } : {}) }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
async function stockOf(item: string): Promise<{ value: string; averageCost: string; onHand: string }> {
  const res = await admin('get', `/api/v1/stock/items/${id[item]}`);
  expect(res.status).toBe(200);
  return { value: res.body.value, averageCost: res.body.averageCost, onHand: res.body.total.onHand };
}
type Move = { quantity: string; amount: string; unitCost: string; documentNo: string | null; kind: string };
async function movesOf(item: string): Promise<Move[]> {
  const res = await admin('get', `/api/v1/stock/moves?itemId=${id[item]}&pageSize=100`);
  expect(res.status).toBe(200);
  return res.body.items;
}
const fen = (xs: string[]) => (xs.reduce((a, x) => a + Math.round(Number(x) * 100), 0) / 100).toFixed(2);

describe('入库金额 = 采购行不含税金额（到分）', () => {
  it('200 箱 × ¥100.00 含税 13%：入库单、流水和库存金额都是 17,699.12；全部出库后金额恰好为 0', async () => {
    // 200 × 100.00 = 20,000.00 含税; ÷ 1.13 = 17,699.115… → 17,699.12 (not 200,000 个 × 0.088496 = 17,699.20)
    const po = await purchaseOrder([{ item: 'FG-BLT-M8X30', unit: 'box', quantity: '200', unitPrice: '100' }]);
    expect(po.lines[0]!.amount).toBe('17699.12');
    const rc = await receive(po, ['200']);
    expect([rc.totalAmount, rc.lines[0]!.amount, rc.lines[0]!.unitCost]).toEqual(['17699.12', '17699.12', '0.088496']);
    expect((await movesOf('FG-BLT-M8X30')).map((m) => [m.kind, m.quantity, m.amount])).toEqual([['purchaseReceipt', '200000.0000', '17699.12']]);
    expect(await stockOf('FG-BLT-M8X30')).toEqual({ value: '17699.12', averageCost: '0.088496', onHand: '200000.0000' });

    const out = await adjust('FG-BLT-M8X30', id.wh01!, '-200000');
    expect(out.totalAmount).toBe('-17699.12');
    expect(await stockOf('FG-BLT-M8X30')).toMatchObject({ value: '0.00', onHand: '0.0000' });
  });

  it('分批入库 50 + 150 箱：按数量分摊，最后一批取余数；分两次出库，最后一次取走剩余金额', async () => {
    const po = await purchaseOrder([{ item: 'FG-BLT-M8X20', unit: 'box', quantity: '200', unitPrice: '100' }]);
    // 17,699.12 × 50 / 200 = 4,424.78; the rest 17,699.12 − 4,424.78 = 13,274.34 (at 0.088496 per 个: 4,424.80 and 13,274.40)
    expect((await receive(po, ['50'])).lines[0]!.amount).toBe('4424.78');
    expect((await receive(po, ['150'])).lines[0]!.amount).toBe('13274.34');
    expect((await stockOf('FG-BLT-M8X20')).value).toBe('17699.12');
    // 17,699.12 × 70,000 / 200,000 = 6,194.692 → 6,194.69 out, 11,504.43 left; the last 130,000 个 take all 11,504.43
    expect((await adjust('FG-BLT-M8X20', id.wh01!, '-70000')).totalAmount).toBe('-6194.69');
    expect((await stockOf('FG-BLT-M8X20')).value).toBe('11504.43');
    expect((await adjust('FG-BLT-M8X20', id.wh01!, '-130000')).totalAmount).toBe('-11504.43');
    expect(await stockOf('FG-BLT-M8X20')).toMatchObject({ value: '0.00', onHand: '0.0000' });
    expect(fen((await movesOf('FG-BLT-M8X20')).map((m) => m.amount))).toBe('0.00');
  });
});

describe('采购退货不能使库存金额为负', () => {
  it('入库成本超过库存剩余金额：按移动平均出库，差额记为退货单的价格差异', async () => {
    const item = 'FG-BLT-M8X25';
    await adjust(item, id.wh01!, '100', { opening: true, unitCost: '1' }); // 100 个 worth 100.00
    // 10 个 × ¥113.00 含税 13% = 1,130.00 → net 1,000.00: 100.00 per 个
    const po = await purchaseOrder([{ item, unit: 'pcs', quantity: '10', unitPrice: '113' }]);
    await receive(po, ['10']); // 110 个 worth 1,100.00 (average 10.00)
    await adjust(item, id.wh01!, '-100'); // 1,100.00 × 100 / 110 = 1,000.00 out: 10 个 worth 100.00 left
    expect(await stockOf(item)).toEqual({ value: '100.00', averageCost: '10.000000', onHand: '10.0000' });

    // 8 个 at their receipt cost would be 800.00 out of 100.00 (2 个 worth −700.00). Out at the average
    // instead: 100.00 × 8 / 10 = 80.00; price variance 800.00 − 80.00 = 720.00; 2 个 worth 20.00 left.
    const rt = await giveBack(po, 0, '8');
    expect([rt.totalAmount, rt.priceVariance]).toEqual(['800.00', '720.00']);
    expect(rt.lines.map((l) => [l.amount, l.unitCost, l.priceVariance])).toEqual([['800.00', '100.000000', '720.00']]);
    expect((await zhao('get', `/api/v1/purchase-returns/${rt.id}`)).body).toMatchObject({ priceVariance: '720.00', lines: [{ priceVariance: '720.00' }] });
    expect((await movesOf(item)).filter((m) => m.kind === 'purchaseReturn').map((m) => [m.quantity, m.amount])).toEqual([['-8.0000', '-80.00']]);
    expect(await stockOf(item)).toEqual({ value: '20.00', averageCost: '10.000000', onHand: '2.0000' });
  });

  it('数据库拒绝负的库存金额和平均成本，也拒绝零数量带金额', async () => {
    const sys = t.database.system;
    const itemId = id['FG-BLT-M8X25']!;
    await expect(sys.$executeRaw`UPDATE item_stock SET value = -0.01 WHERE item_id = ${itemId}::uuid`).rejects.toThrow(/item_stock_value_nonnegative/);
    await expect(sys.$executeRaw`UPDATE item_stock SET average_cost = -1 WHERE item_id = ${itemId}::uuid`).rejects.toThrow(/item_stock_average_cost_nonnegative/);
    await expect(sys.$executeRaw`UPDATE item_stock SET quantity = 0 WHERE item_id = ${itemId}::uuid`).rejects.toThrow(/item_stock_no_value_without_quantity/);
  });
});

describe('一个月的混合单据：Σ 库存金额 = Σ 单据金额（到分）', () => {
  const D = 'FG-BLT-M8X40';
  const E = 'FG-NUT-M12';
  const docs: Record<string, string[]> = { [D]: [], [E]: [] };
  /** each document's value for an item, as the document shows it */
  const book = (item: string, ...amounts: string[]) => docs[item]!.push(...amounts);
  const lineOf = (doc: Doc, item: string) => doc.lines.filter((l) => l.item.code === item);

  it('入库（分批、含 1,000 箱 × ¥100.00）、退货、补货', async () => {
    // D: 37 箱 × ¥99.99 = 3,699.63 含税 → 3,274.01 net; E: 1,000 箱 × ¥100.00 = 100,000.00 → 88,495.58 (at 0.088496 per 个: 88,496.00)
    const po = await purchaseOrder([{ item: D, unit: 'box', quantity: '37', unitPrice: '99.99' }, { item: E, unit: 'box', quantity: '1000', unitPrice: '100' }]);
    expect(po.lines.map((l) => l.amount)).toEqual(['3274.01', '88495.58']);
    // D 12 箱: 3,274.01 × 12/37 = 1,061.84; E 400 箱: 88,495.58 × 0.4 = 35,398.23
    const rc1 = await receive(po, ['12', '400']);
    // D 25 箱 completes the line: 3,274.01 − 1,061.84 = 2,212.17; E 600 箱: 88,495.58 − 35,398.23 = 53,097.35
    const rc2 = await receive(po, ['25', '600']);
    expect([rc1, rc2].map((r) => [r.totalAmount, ...[D, E].flatMap((item) => lineOf(r, item).map((l) => l.amount))])).toEqual([['36460.07', '1061.84', '35398.23'], ['55309.52', '2212.17', '53097.35']]);
    // D 5 箱 back: the line's 37,000 个 worth 3,274.01, 32,000 worth 3,274.01 × 32/37 = 2,831.58: 442.43 out (stock holds it)
    const rt = await giveBack(po, 0, '5');
    expect([rt.totalAmount, rt.priceVariance]).toEqual(['442.43', '0.00']);
    // redelivered: 3,274.01 − 2,831.58 = 442.43 again
    const rc3 = await receive(po, ['5', null]);
    expect(rc3.totalAmount).toBe('442.43');
    for (const r of [rc1, rc2, rc3]) for (const item of [D, E]) book(item, ...lineOf(r, item).map((l) => l.amount));
    book(D, `-${rt.totalAmount}`); // value out = totalAmount − priceVariance (0)
    expect(await stockOf(D)).toMatchObject({ value: '3274.01', onHand: '37000.0000' });
    expect(await stockOf(E)).toMatchObject({ value: '88495.58', onHand: '1000000.0000' });
  });

  it('调拨：调出的金额原样调入，物料金额不变', async () => {
    const res = await admin('post', '/api/v1/stock/transfers').send({
      fromWarehouseId: id.wh01, toWarehouseId: id.wh02,
      lines: [{ itemId: id[D], quantity: '20000' }, { itemId: id[E], quantity: '300000' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // D: 3,274.01 × 20,000 / 37,000 = 1,769.74; E: 88,495.58 × 0.3 = 26,548.67
    expect(res.body.lines.map((l: { amount: string }) => l.amount)).toEqual(['1769.74', '26548.67']);
    const moves = [...(await movesOf(D)), ...(await movesOf(E))].filter((m) => m.documentNo === res.body.number);
    expect(fen(moves.map((m) => m.amount))).toBe('0.00');
    expect((await stockOf(D)).value).toBe('3274.01');
    expect((await stockOf(E)).value).toBe('88495.58');
    // per warehouse, shared by quantity and adding up to the item: D 原材料仓 17,000 个 = 3,274.01 × 17/37 = 1,504.27
    // (not 17,000 × 0.088487 = 1,504.28); E 原材料仓 700,000 个 = 88,495.58 × 0.7 = 61,946.91
    const perWarehouse = async (item: string) => (await admin('get', `/api/v1/stock/items/${id[item]}`)).body.warehouses.map((w: { warehouse: { code: string }; value: string }) => [w.warehouse.code, w.value]);
    expect(await perWarehouse(D)).toEqual([['WH01', '1504.27'], ['WH02', '1769.74']]);
    expect(await perWarehouse(E)).toEqual([['WH01', '61946.91'], ['WH02', '26548.67']]);
  });

  it('盘点：盘亏按库存金额分摊出库，盘盈按平均成本入库', async () => {
    const created = await admin('post', '/api/v1/stock/counts').send({ warehouseId: id.wh02, itemIds: [id[D], id[E]] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const line = (code: string) => created.body.lines.find((l: { item: { code: string } }) => l.item.code === code);
    const entered = await admin('patch', `/api/v1/stock/counts/${created.body.id}`).send({
      version: created.body.version, lines: [{ lineId: line(D).id, countedQuantity: '19990' }, { lineId: line(E).id, countedQuantity: '300005' }],
    });
    expect(entered.status, JSON.stringify(entered.body)).toBe(200);
    const posted = await admin('post', `/api/v1/stock/counts/${created.body.id}/post`);
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const amountOf = (code: string) => posted.body.lines.find((l: { item: { code: string } }) => l.item.code === code).varianceAmount as string;
    // D −10: 3,274.01 × 10 / 37,000 = 0.88; E +5 at the average 0.088496 = 0.44
    expect([amountOf(D), amountOf(E)]).toEqual(['-0.88', '0.44']);
    book(D, amountOf(D));
    book(E, amountOf(E));
  });

  it('发货：按库存金额分摊出库', async () => {
    const so = await li('post', '/api/v1/sales-orders').send({
      customerId: id.customer, warehouseId: id.wh02,
      lines: [{ itemId: id[D], unitId: id.box, quantity: '10', listPrice: '60' }, { itemId: id[E], unitId: id.box, quantity: '100', listPrice: '40' }],
    });
    expect(so.status, JSON.stringify(so.body)).toBe(201);
    expect((await li('post', `/api/v1/sales-orders/${so.body.id}/confirm`).send({})).status).toBe(200);
    const sh = await zhao('post', `/api/v1/sales-orders/${so.body.id}/shipments`).send({
      lines: [{ orderLineId: so.body.lines[0].id, quantity: '7' }, { orderLineId: so.body.lines[1].id, quantity: '100' }],
    });
    expect(sh.status, JSON.stringify(sh.body)).toBe(201);
    // D: 3,273.13 × 7,000 / 36,990 = 619.41; E: 88,496.02 × 100,000 / 1,000,005 = 8,849.56
    const shipped = async (item: string) => (await movesOf(item)).filter((m) => m.documentNo === sh.body.number).map((m) => m.amount);
    expect([await shipped(D), await shipped(E)]).toEqual([['-619.41'], ['-8849.56']]);
    book(D, ...(await shipped(D)));
    book(E, ...(await shipped(E)));
  });

  it('报损清空 E：最后一笔取走全部剩余金额，金额为 0', async () => {
    // 79,646.46 over 900,005 个: 700,000 out of 原材料仓 = 61,946.90; the last 200,005 take the 17,699.56 left
    const a1 = await adjust(E, id.wh01!, '-700000');
    const a2 = await adjust(E, id.wh02!, '-200005');
    expect([a1.totalAmount, a2.totalAmount]).toEqual(['-61946.90', '-17699.56']);
    book(E, a1.totalAmount, a2.totalAmount);
    expect(await stockOf(E)).toMatchObject({ value: '0.00', onHand: '0.0000' });
  });

  it('对账：每个物料 Σ 单据金额 = Σ 流水金额 = 库存金额；对账报告无差异', async () => {
    // D: 1,061.84 + 2,212.17 + 442.43 − 442.43 − 0.88 − 619.41 = 2,653.72 (29,990 个)
    expect(fen(docs[D]!)).toBe('2653.72');
    expect(fen((await movesOf(D)).map((m) => m.amount))).toBe('2653.72');
    expect(await stockOf(D)).toMatchObject({ value: '2653.72', onHand: '29990.0000' });
    // E: 35,398.23 + 53,097.35 + 0.44 − 8,849.56 − 61,946.90 − 17,699.56 = 0.00
    expect(fen(docs[E]!)).toBe('0.00');
    expect(fen((await movesOf(E)).map((m) => m.amount))).toBe('0.00');
    const report = await admin('get', '/api/v1/stock/reports/reconcile');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ ok: true, drifts: [] });
  });
});
