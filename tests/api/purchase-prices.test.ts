// 供应商价目表 API: CRUD, validation, permissions, and the price a purchase order line gets by default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let wang: AuthedClient;
let zhao: AuthedClient;
let li: AuthedClient;
const id: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [wang, zhao, li] = await Promise.all([as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'li.xs')]);
  const sys = t.database.system;
  id.supplier = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0002' } })).id;
  id.rod = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-40CR-12.0' } })).id; // KG, 采购单位 吨
  id.t = (await sys.unit.findFirstOrThrow({ where: { code: 'T' } })).id;
  id.kg = (await sys.unit.findFirstOrThrow({ where: { code: 'KG' } })).id;
  id.box = (await sys.unit.findFirstOrThrow({ where: { code: 'BOX' } })).id;
});
afterAll(async () => t?.close());

const count = () => t.database.system.supplierPrice.count();

describe('供应商价目表', () => {
  let priceId: string;

  it('新增：默认采购单位、供应商币别；列表按供应商/物料/有效日期/关键字筛选', async () => {
    const res = await wang('post', '/api/v1/supplier-prices').send({ supplierId: id.supplier, itemId: id.rod, price: '6850.5', validFrom: '2026-01-01', validTo: '2026-12-31' });
    expect(res.status).toBe(201);
    priceId = res.body.id;
    expect(res.body).toMatchObject({
      supplier: { code: 'S0002' }, item: { code: 'RM-WR-40CR-12.0' }, unit: { code: 'T' }, price: '6850.500000', currencyCode: 'CNY',
      minQuantity: '0.0000', validFrom: '2026-01-01', validTo: '2026-12-31',
    });
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: priceId } });
    expect(events.map((e) => e.type)).toEqual(['supplierPrice.created']);
    expect((await wang('get', `/api/v1/supplier-prices?supplierId=${id.supplier}&itemId=${id.rod}&validOn=2026-06-01`)).body.total).toBe(1);
    expect((await wang('get', `/api/v1/supplier-prices?itemId=${id.rod}&validOn=2027-01-01`)).body.total).toBe(0);
    expect((await wang('get', `/api/v1/supplier-prices?q=${encodeURIComponent('40CR-12')}`)).body.items.map((p: { id: string }) => p.id)).toContain(priceId);
    expect((await wang('get', `/api/v1/supplier-prices?q=${encodeURIComponent('澄联')}`)).body.total).toBeGreaterThanOrEqual(1);
    expect((await zhao('get', `/api/v1/supplier-prices/${priceId}`)).status).toBe(200);
  });

  it('修改与删除；重复（同供应商/物料/单位/币别/起订量/生效日）409', async () => {
    const dup = await wang('post', '/api/v1/supplier-prices').send({ supplierId: id.supplier, itemId: id.rod, unitId: id.t, price: '1', validFrom: '2026-01-01' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details[0].field).toBe('body.validFrom');
    const upd = await wang('patch', `/api/v1/supplier-prices/${priceId}`).send({ price: '6800', unitId: id.kg, validTo: null });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ price: '6800.000000', unit: { code: 'KG' }, validTo: null });
    const tmp = await wang('post', '/api/v1/supplier-prices').send({ supplierId: id.supplier, itemId: id.rod, price: '7000', minQuantity: '20', validFrom: '2026-03-01' });
    expect((await wang('delete', `/api/v1/supplier-prices/${tmp.body.id}`)).status).toBe(204);
    expect((await wang('get', `/api/v1/supplier-prices/${tmp.body.id}`)).status).toBe(404);
    const audits = await t.database.system.auditLog.findMany({ where: { entity: 'supplierPrice' }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual(['create', 'update', 'create', 'delete']);
  });

  it('错误输入：物料没有的单位、失效早于生效、单价小数过多、负起订量、未知供应商/物料 → 400，什么都不写', async () => {
    const before = await count();
    const base = { supplierId: id.supplier, itemId: id.rod, price: '1', validFrom: '2026-05-01' };
    const cases: [Record<string, unknown>, string][] = [
      [{ unitId: id.box }, 'body.unitId'],
      [{ validTo: '2026-04-30' }, 'body.validTo'],
      [{ price: '1.1234567' }, 'body.price'],
      [{ price: '-1' }, 'body.price'],
      [{ minQuantity: '-3' }, 'body.minQuantity'],
      [{ supplierId: '00000000-0000-4000-8000-000000000000' }, 'body.supplierId'],
      [{ itemId: '00000000-0000-4000-8000-000000000000' }, 'body.itemId'],
      [{ currencyCode: 'XYZ' }, 'body.currencyCode'],
      [{ validFrom: '2026-02-29' }, 'body.validFrom'],
    ];
    for (const [over, field] of cases) {
      const res = await wang('post', '/api/v1/supplier-prices').send({ ...base, ...over });
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it('权限：仓管员可看不可改（403）；销售员不可看（403）', async () => {
    expect((await zhao('get', '/api/v1/supplier-prices')).status).toBe(200);
    expect((await zhao('post', '/api/v1/supplier-prices').send({ supplierId: id.supplier, itemId: id.rod, price: '1' })).status).toBe(403);
    expect((await zhao('delete', `/api/v1/supplier-prices/${priceId}`)).status).toBe(403);
    expect((await li('get', '/api/v1/supplier-prices')).status).toBe(403);
  });

  it('另一家公司：看不到（404），用本公司的物料建价 → 400', async () => {
    await createSecondCompany(t);
    const other = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/supplier-prices/${priceId}`)).status).toBe(404);
    expect((await other('get', '/api/v1/supplier-prices')).body.total).toBe(0);
  });

  it('默认价格：价目表（按单位、起订量）→ 标准成本 → 0，订单明细按此取价', async () => {
    // 1 KG line: the KG entry (6800 per KG, min 0) applies; in 吨 there is no entry → standard cost 6.11 × 1000 × 1.13.
    const kg = await wang('get', `/api/v1/supplier-prices/pick?supplierId=${id.supplier}&itemId=${id.rod}&unitId=${id.kg}&quantity=1&date=2026-06-01`);
    expect(kg.body).toMatchObject({ unitId: id.kg, unitPrice: '6800.000000', source: 'priceList' });
    const ton = await wang('get', `/api/v1/supplier-prices/pick?supplierId=${id.supplier}&itemId=${id.rod}&date=2026-06-01`);
    expect(ton.body).toMatchObject({ unitId: id.t, unitPrice: '6904.300000', source: 'standardCost', supplierPriceId: null });
    expect((await wang('get', `/api/v1/supplier-prices/pick?supplierId=${id.supplier}&itemId=${id.rod}&unitId=${id.box}`)).status).toBe(400);
    const po = await wang('post', '/api/v1/purchase-orders').send({
      supplierId: id.supplier, orderDate: '2026-11-23', lines: [{ itemId: id.rod, unitId: id.kg, quantity: '2' }, { itemId: id.rod, quantity: '1' }],
    });
    expect(po.status).toBe(201);
    expect(po.body.lines.map((l: { unitPrice: string }) => l.unitPrice)).toEqual(['6800.000000', '6904.300000']);
    const item = await t.database.system.item.create({
      data: { companyId: (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id, code: 'FREE-1', name: '无成本物料', kind: 'purchased', baseUnitId: id.kg! },
    });
    const zero = await wang('get', `/api/v1/supplier-prices/pick?supplierId=${id.supplier}&itemId=${item.id}`);
    expect(zero.body).toMatchObject({ unitPrice: '0.000000', source: 'none' });
  });
});
