// Right numbers in sales, through the HTTP API with figures worked out by hand: credit exposure
// keeps what was shipped and not paid (closed orders too) and drops what came back; shipments and
// returns in any unit of the item; a draft changing currency is re-priced (and its approvals and
// credit read CNY); discounts are judged against the company's price, not one the client sends;
// quotations and orders say their state in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { addOpeningStock } from '../helpers/stock.ts';

let t: TestApp;
let li: AuthedClient, zhao: AuthedClient;
const id = {} as Record<'c2' | 'c3' | 'm8' | 'pcs' | 'kg', string>;

beforeAll(async () => {
  t = await createTestApp();
  [li, zhao] = await Promise.all([as(t, 'li.xs'), as(t, 'zhao.ck')]);
  const sys = t.database.system;
  id.c2 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id; // 李销售, 额度 800,000
  id.c3 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0003' } })).id; // 李销售
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id; // 售价 ¥0.055/个, 1 箱 = 1000 个
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  id.kg = (await sys.unit.findFirstOrThrow({ where: { code: 'KG' } })).id;
  await sys.customer.update({ where: { id: id.c3 }, data: { creditLimit: '1000' } });
  await addOpeningStock(t, [{ item: 'FG-BLT-M8X30', quantity: '100000', unitCost: '0.03' }]);
});
afterAll(async () => t?.close());

type Order = { id: string; version: number; state: string; lines: { id: string; listPrice: string; unitPrice: string; discountRate: string; amountWithTax: string }[] } & Record<string, unknown>;

async function draft(customerId: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}): Promise<Order> {
  const res = await li('post', '/api/v1/sales-orders').send({ customerId, lines, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const confirm = (orderId: string) => li('post', `/api/v1/sales-orders/${orderId}/confirm`).send({});
const ship = (orderId: string, lines: Record<string, unknown>[]) => zhao('post', `/api/v1/sales-orders/${orderId}/shipments`).send({ lines });
const giveBack = (orderId: string, lines: Record<string, unknown>[]) => zhao('post', `/api/v1/sales-orders/${orderId}/returns`).send({ lines });

describe('信用占用：已发未收的货款一直算，退回的货不算', () => {
  it('额度 ¥1,000：¥1,000 的订单发 ¥400 后关闭 → ¥700 新单被拒；退回 ¥100 的货 → 恰好 ¥1,000，可以确认', async () => {
    // 10 箱 at a proposed ¥100 a box: ¥1,000.00, all of the limit.
    const a = await draft(id.c3, [{ itemId: id.m8, quantity: '10', listPrice: '100' }]);
    expect((await confirm(a.id)).status).toBe(200);
    expect((await ship(a.id, [{ orderLineId: a.lines[0]!.id, quantity: '4' }])).status).toBe(201); // ¥400.00 shipped
    expect((await li('post', `/api/v1/sales-orders/${a.id}/close`).send({ reason: '客户不再要货' })).status).toBe(200);

    // Closed, but the ¥400 shipped is still owed: 400 + 700 > 1,000.
    const b = await draft(id.c3, [{ itemId: id.m8, quantity: '7', listPrice: '100' }]);
    const refused = await confirm(b.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/^超出信用额度：额度 ¥1,000\.00，已占用 ¥400\.00，本单 ¥700\.00/);

    // 1 箱 comes back, entered as 1000 个 on a line sold in 箱: ¥100.00 less owed → 300 + 700 = 1,000, within the limit.
    const back = await giveBack(a.id, [{ orderLineId: a.lines[0]!.id, unitId: id.pcs, quantity: '1000' }]);
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.lines).toMatchObject([{ unit: { name: '个' }, quantity: '1000.0000', baseQuantity: '1000.0000' }]);
    expect((await li('get', `/api/v1/sales-orders/${a.id}`)).body.lines[0]).toMatchObject({ shippedQuantity: '4000.0000', returnedQuantity: '1000.0000' });
    expect((await confirm(b.id)).status).toBe(200);

    // Now ¥300 owed on A and ¥700 not yet shipped on B: a ¥100 order is over.
    const c = await draft(id.c3, [{ itemId: id.m8, quantity: '1', listPrice: '100' }]);
    const full = await confirm(c.id);
    expect(full.status).toBe(409);
    expect(full.body.error.message).toMatch(/^超出信用额度：额度 ¥1,000\.00，已占用 ¥1,000\.00，本单 ¥100\.00/);

    // ¥200 paid in advance on B: B still owes 700 − 200 = 500, so 300 + 500 + 100 = 900.
    expect((await li('post', `/api/v1/sales-orders/${b.id}/advance-receipts`).send({ amount: '200' })).status).toBe(201);
    expect((await confirm(c.id)).status).toBe(200);
  });
});

describe('发货、退货可用物料的任一单位', () => {
  it('按箱卖的订单发 5 个、退 5 个（基本单位计数）；个不能有小数，千克不是该物料的单位', async () => {
    const o = await draft(id.c2, [{ itemId: id.m8, quantity: '2' }]);
    expect((await confirm(o.id)).status).toBe(200);
    const line = o.lines[0]!.id;
    const sent = await ship(o.id, [{ orderLineId: line, unitId: id.pcs, quantity: '5' }]);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.lines).toMatchObject([{ unit: { name: '个' }, quantity: '5.0000', baseQuantity: '5.0000' }]);
    expect(sent.body.lines[0].unitCost).toBe('0.030000');

    const back = await giveBack(o.id, [{ orderLineId: line, unitId: id.pcs, quantity: '5' }]);
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    const after = (await li('get', `/api/v1/sales-orders/${o.id}`)).body;
    expect(after.lines[0]).toMatchObject({ quantity: '2.0000', shippedQuantity: '5.0000', returnedQuantity: '5.0000' });
    expect(after.timeline.map((e: { message: string }) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^发货 5 个 M8螺栓/), expect.stringMatching(/^退货 5 个 M8螺栓/)]));

    const fraction = await ship(o.id, [{ orderLineId: line, unitId: id.pcs, quantity: '2.5' }]);
    expect(fraction.status).toBe(400);
    expect(fraction.body.error.details).toEqual([{ field: 'body.lines.0.quantity', label: '第 1 行 数量', message: '计量单位「个」的数量必须是整数' }]);
    const notItsUnit = await ship(o.id, [{ orderLineId: line, unitId: id.kg, quantity: '1' }]);
    expect(notItsUnit.status).toBe(400);
    expect(notItsUnit.body.error.details[0].field).toBe('body.lines.0.unitId');
    // 1 箱 = 1000 个 still open after 5 个: 1996 个 is 1 more than that.
    const tooMany = await ship(o.id, [{ orderLineId: line, unitId: id.pcs, quantity: '1996' }]);
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.details[0].message).toBe('第 1 行最多还可发 1.995 箱（1995 个） M8螺栓');
  });
});

describe('草稿改币别：按订单日期的汇率重新定价', () => {
  it('USD 125.00（汇率 7.12）改为人民币 → ¥890.00；按牌价打折的行保留折扣', async () => {
    const o = await draft(id.c2, [{ itemId: id.m8, quantity: '1', listPrice: '125' }, { itemId: id.m8, quantity: '2', discountRate: '0.1' }], { currencyCode: 'USD' });
    expect(o).toMatchObject({ currencyCode: 'USD', exchangeRate: '7.120000', totalWithTax: '138.90' }); // 125 + 2 × 6.952247 (7.724719 × 0.9)
    const res = await li('patch', `/api/v1/sales-orders/${o.id}`).send({ version: o.version, currencyCode: 'CNY' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ currencyCode: 'CNY', exchangeRate: '1.000000', totalWithTax: '989.00', listTotal: '165.00' });
    expect(res.body.lines.map((l: Order['lines'][number]) => [l.listPrice, l.unitPrice, l.discountRate, l.amountWithTax])).toEqual([
      ['55.000000', '890.000000', '0.0000', '890.00'], // 125 × 7.12
      ['55.000000', '49.500000', '0.1000', '99.00'], // 10 % off ¥55 a box
    ]);
  });

  it('$70,500 的订单改为人民币仍是 ¥501,960：提交后要总经理审批（≥ ¥500,000）', async () => {
    const o = await draft(id.c2, [{ itemId: id.m8, quantity: '1', listPrice: '70500' }], { currencyCode: 'USD' });
    const res = await li('patch', `/api/v1/sales-orders/${o.id}`).send({ version: o.version, currencyCode: 'CNY' });
    expect(res.body).toMatchObject({ currencyCode: 'CNY', totalWithTax: '501960.00' });
    const submitted = await li('post', `/api/v1/sales-orders/${o.id}/submit`).send({});
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ state: 'pendingApproval', stateLabel: '待审批' });
    const approval = await t.database.system.approval.findFirstOrThrow({ where: { documentId: o.id } });
    expect(approval).toMatchObject({ businessType: 'salesOrderAmount', state: 'pending' });
    expect((approval.summary as { amount: string }).amount).toBe('501960.00');
  });
});

describe('折扣按公司牌价算，不按客户端发来的价', () => {
  it('listPrice 只给牌价的 10%、不填折扣 → 折扣 90%，提交要审批；报价单同样', async () => {
    const o = await draft(id.c2, [{ itemId: id.m8, quantity: '10', listPrice: '5.5' }]);
    expect(o.lines[0]).toMatchObject({ listPrice: '55.000000', unitPrice: '5.500000', discountRate: '0.9000', amountWithTax: '55.00' });
    expect(o).toMatchObject({ listTotal: '550.00', totalWithTax: '55.00' });
    const submitted = await li('post', `/api/v1/sales-orders/${o.id}/submit`).send({});
    expect(submitted.body.state).toBe('pendingApproval');
    const approval = await t.database.system.approval.findFirstOrThrow({ where: { documentId: o.id } });
    expect(approval).toMatchObject({ businessType: 'salesDiscount', state: 'pending' });
    expect((approval.summary as { discountRate: string }).discountRate).toBe('0.9000');

    const q = await li('post', '/api/v1/quotations').send({ customerId: id.c2, lines: [{ itemId: id.m8, quantity: '10', listPrice: '5.5' }] });
    expect(q.status, JSON.stringify(q.body)).toBe(201);
    expect(q.body.lines[0]).toMatchObject({ listPrice: '55.000000', unitPrice: '5.500000', discountRate: '0.9000', amountWithTax: '55.00' });

    // A proposed selling price: 10 箱 at ¥44 → 20 % off; with a discount as well it is ambiguous → 400.
    const priced = await draft(id.c2, [{ itemId: id.m8, quantity: '10', unitPrice: '44' }]);
    expect(priced.lines[0]).toMatchObject({ listPrice: '55.000000', unitPrice: '44.000000', discountRate: '0.2000', amountWithTax: '440.00' });
    const both = await li('post', '/api/v1/sales-orders').send({ customerId: id.c2, lines: [{ itemId: id.m8, quantity: '1', unitPrice: '44', discountRate: '0.1' }] });
    expect(both.status).toBe(400);
    expect(both.body.error.details[0].field).toBe('body.lines.0.unitPrice');
  });
});

describe('状态的中文名', () => {
  it('报价单和销售订单带 stateLabel（详情与列表）', async () => {
    const o = await draft(id.c2, [{ itemId: id.m8, quantity: '1' }]);
    expect(o.stateLabel).toBe('草稿');
    const list = await li('get', `/api/v1/sales-orders?state=draft&pageSize=5`);
    expect(list.body.items[0].stateLabel).toBe('草稿');
    expect((await confirm(o.id)).body.stateLabel).toBe('已确认');
    const q = await li('post', '/api/v1/quotations').send({ customerId: id.c2, lines: [{ itemId: id.m8, quantity: '1' }] });
    expect(q.body.stateLabel).toBe('草稿');
    const sent = await li('post', `/api/v1/quotations/${q.body.id}/send`).send({});
    expect(sent.body.stateLabel).toBe('已发送');
    expect((await li('get', '/api/v1/quotations?pageSize=5')).body.items[0].stateLabel).toBeTruthy();
  });
});

describe('销售退货按发货取走的金额退回，到分', () => {
  it('30,000 个发货取走 ¥1,234.57（单位成本只存 0.041152）：退 10,000 个 = 1,234.57 × 1/3 = 411.52，再退 20,000 个取余数 823.05，库存金额回到 1,234.57', async () => {
    const sys = t.database.system;
    const nut = await sys.item.findFirstOrThrow({ where: { code: 'FG-NUT-M6' } });
    // 30,000 × 0.041152333 = 1,234.56999 → ¥1,234.57, all the item's stock
    await addOpeningStock(t, [{ item: 'FG-NUT-M6', quantity: '30000', unitCost: '0.041152333' }]);
    const o = await draft(id.c2, [{ itemId: nut.id, unitId: id.pcs, quantity: '30000' }]);
    expect((await confirm(o.id)).status).toBe(200);
    const sh = await ship(o.id, [{ orderLineId: o.lines[0]!.id, quantity: '30000', unitId: id.pcs }]);
    expect(sh.status, JSON.stringify(sh.body)).toBe(201);
    expect(sh.body.lines[0]).toMatchObject({ baseQuantity: '30000.0000', unitCost: '0.041152', amount: '1234.57' });
    const stockValue = async () => (await sys.itemStock.findFirstOrThrow({ where: { itemId: nut.id } })).value.toFixed(2);
    expect(await stockValue()).toBe('0.00');

    const first = await giveBack(o.id, [{ orderLineId: o.lines[0]!.id, unitId: id.pcs, quantity: '10000' }]);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.lines[0]).toMatchObject({ baseQuantity: '10000.0000', amount: '411.52', unitCost: '0.041152' });
    expect(await stockValue()).toBe('411.52');

    // at the stored unit cost it would come back as 20,000 × 0.041152 = 823.04, a fen short
    const rest = await giveBack(o.id, [{ orderLineId: o.lines[0]!.id, unitId: id.pcs, quantity: '20000' }]);
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    expect(rest.body.lines[0]).toMatchObject({ baseQuantity: '20000.0000', amount: '823.05', unitCost: '0.041153' });
    const moves = await sys.stockMove.findMany({ where: { sourceType: 'salesReturn', sourceId: { in: [first.body.id, rest.body.id] } }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => m.amount.toFixed(2))).toEqual(['411.52', '823.05']);
    expect(await stockValue()).toBe('1234.57');
  });
});
