// 报价单 through the real API: drafts with lines, the states, 转订单, data scope and permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let li: AuthedClient, wu: AuthedClient, zhang: AuthedClient, wang: AuthedClient;
const id = {} as Record<'c2' | 'c4' | 'm8' | 'pcs', string>;

beforeAll(async () => {
  t = await createTestApp();
  [li, wu, zhang, wang] = await Promise.all([as(t, 'li.xs'), as(t, 'wu.xs'), as(t, 'zhang.jl'), as(t, 'wang.cg')]);
  const sys = t.database.system;
  id.c2 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
  id.c4 = (await sys.customer.findFirstOrThrow({ where: { code: 'C0004' } })).id;
  id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
});
afterAll(async () => t?.close());

const counts = async () => {
  const s = t.database.system;
  return { quotations: await s.quotation.count(), lines: await s.quotationLine.count(), orders: await s.salesOrder.count(), events: await s.outboxEvent.count(), audit: await s.auditLog.count() };
};

async function newQuotation(client: AuthedClient, body: Record<string, unknown> = {}) {
  const res = await client('post', '/api/v1/quotations').send({ customerId: id.c2, lines: [{ itemId: id.m8, quantity: '2' }], ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('报价单', () => {
  it('新增、修改草稿（version）、发送后锁定、删除草稿；审计与事件', async () => {
    const q = await newQuotation(li, { validUntil: '2099-06-30', remark: '含运费' });
    expect(q).toMatchObject({ state: 'draft', validUntil: '2099-06-30', owner: { name: '李销售' }, customer: { code: 'C0002' }, totalWithTax: '110.00', version: 1 });
    const upd = await li('patch', `/api/v1/quotations/${q.id}`).send({ version: 1, lines: [{ itemId: id.m8, unitId: id.pcs, quantity: '1000', listPrice: '0.05' }] });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ version: 2, totalWithTax: '50.00' });
    expect(upd.body.lines).toHaveLength(1);
    expect((await li('patch', `/api/v1/quotations/${q.id}`).send({ version: 1, remark: 'x' })).status).toBe(409);
    expect((await li('post', `/api/v1/quotations/${q.id}/send`)).body.state).toBe('sent');
    const before = await counts();
    const locked = await li('patch', `/api/v1/quotations/${q.id}`).send({ version: 3, remark: 'x' });
    expect(locked.status).toBe(409);
    expect(locked.body.error.message).toBe('报价单已发送，不能修改');
    expect((await li('delete', `/api/v1/quotations/${q.id}`)).status).toBe(409);
    expect((await li('post', `/api/v1/quotations/${q.id}/send`)).status).toBe(409);
    expect(await counts()).toEqual(before);

    const d = await newQuotation(li);
    expect((await li('delete', `/api/v1/quotations/${d.id}`)).status).toBe(204);
    expect((await li('get', `/api/v1/quotations/${d.id}`)).status).toBe(404);
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: q.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['quotation.created', 'quotation.updated', 'quotation.sent']);
    const audit = await t.database.system.auditLog.findMany({ where: { entityId: q.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'sent']);
  });

  it('错误输入 → 400 指明字段，不写入', async () => {
    const before = await counts();
    for (const [lines, field] of [
      [[{ itemId: id.m8, quantity: '0' }], 'body.lines.0.quantity'],
      [[{ itemId: id.m8, quantity: '1.00001' }], 'body.lines.0.quantity'],
      [[{ itemId: '00000000-0000-4000-8000-000000000000', quantity: '1' }], 'body.lines.0.itemId'],
      [[{ itemId: id.m8, quantity: '1', listPrice: '-1' }], 'body.lines.0.listPrice'],
    ] as const) {
      const res = await li('post', '/api/v1/quotations').send({ customerId: id.c2, lines });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((x: { field: string }) => x.field)).toContain(field);
    }
    expect((await li('post', '/api/v1/quotations').send({ customerId: id.c4, lines: [{ itemId: id.m8, quantity: '1' }] })).status).toBe(400); // 吴销售的客户
    expect(await counts()).toEqual(before);
  });

  it('转订单：草稿订单带同样的明细，报价单已接受；不能再转或取消', async () => {
    const q = await newQuotation(li, { lines: [{ itemId: id.m8, quantity: '4', discountRate: '0.1' }, { itemId: id.m8, unitId: id.pcs, quantity: '300' }] });
    await li('post', `/api/v1/quotations/${q.id}/send`);
    expect((await li('post', `/api/v1/quotations/${q.id}/accept`)).body.state).toBe('accepted');
    // a bad 约定收款日期 is refused by its label, nothing written; a good one goes onto the order (赊销 contracts)
    const bad = await li('post', `/api/v1/quotations/${q.id}/convert`).send({ agreedPaymentDate: '2099-13-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ field: 'body.agreedPaymentDate', label: '约定收款日期' });
    const res = await li('post', `/api/v1/quotations/${q.id}/convert`).send({ requestedDate: '2099-02-01', agreedPaymentDate: '2099-04-30' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      state: 'draft', quotation: { id: q.id, number: q.number }, totalWithTax: q.totalWithTax, requestedDate: '2099-02-01', agreedPaymentDate: '2099-04-30',
    });
    expect(res.body.lines.map((l: Record<string, string>) => [l.quantity, l.discountRate, l.unitPrice, l.amountWithTax])).toEqual(
      q.lines.map((l: Record<string, string>) => [l.quantity, l.discountRate, l.unitPrice, l.amountWithTax]),
    );
    const before = await counts();
    const again = await li('post', `/api/v1/quotations/${q.id}/convert`).send({});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`报价单已转为订单 ${res.body.number}`);
    expect((await li('post', `/api/v1/quotations/${q.id}/cancel`)).status).toBe(409);
    expect(await counts()).toEqual(before);
    const detail = (await li('get', `/api/v1/quotations/${q.id}`)).body;
    expect(detail.orders).toEqual([{ id: res.body.id, number: res.body.number, state: 'draft' }]);
  });

  it('过期的报价单不能转订单；可置为过期、取消', async () => {
    const old = await newQuotation(li, { validUntil: '2001-01-01' });
    const res = await li('post', `/api/v1/quotations/${old.id}/convert`).send({});
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('报价单已过有效期（2001-01-01），不能转为订单');
    expect((await li('post', `/api/v1/quotations/${old.id}/expire`)).body.state).toBe('expired');
    expect((await li('post', `/api/v1/quotations/${old.id}/convert`).send({})).status).toBe(409);
    const c = await newQuotation(li);
    expect((await li('post', `/api/v1/quotations/${c.id}/cancel`)).body.state).toBe('cancelled');
  });

  it('数据范围：李销售看不到吴销售的报价单，张经理看得到；王采购 403', async () => {
    const wus = await newQuotation(wu, { customerId: id.c4 });
    const mine = await newQuotation(li);
    expect((await li('get', `/api/v1/quotations/${wus.id}`)).status).toBe(404);
    const liList = (await li('get', '/api/v1/quotations?pageSize=200')).body;
    expect(liList.items.every((q: { owner: { name: string } }) => q.owner.name === '李销售')).toBe(true);
    const zhangIds = (await zhang('get', '/api/v1/quotations?pageSize=200')).body.items.map((q: { id: string }) => q.id);
    expect(zhangIds).toEqual(expect.arrayContaining([wus.id, mine.id]));
    const filtered = (await zhang('get', `/api/v1/quotations?customerId=${id.c4}&state=draft`)).body.items.map((q: { id: string }) => q.id);
    expect(filtered).toContain(wus.id);
    expect(filtered).not.toContain(mine.id);
    expect((await zhang('get', `/api/v1/quotations?q=${encodeURIComponent(mine.number)}`)).body.items.map((q: { id: string }) => q.id)).toEqual([mine.id]);
    expect((await wang('get', '/api/v1/quotations')).status).toBe(403);
    expect((await wang('post', '/api/v1/quotations').send({ customerId: id.c2, lines: [{ itemId: id.m8, quantity: '1' }] })).status).toBe(403);
  });
});
