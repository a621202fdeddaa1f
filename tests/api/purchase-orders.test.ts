// 采购订单 API: CRUD of drafts, default prices, state changes, receipts and returns — bad input,
// permissions, tenancy, and races through real parallel HTTP requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { hashPassword } from '../../server/platform/auth.ts';
import { as, createSecondCompany, DEMO_PASSWORD, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let wang: AuthedClient; // purchaser: purchaseOrder:*, receipt:read
let zhao: AuthedClient; // warehouse: purchaseOrder:read, receipt:create
let li: AuthedClient; // sales: nothing in purchasing
let admin: AuthedClient;
const id: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [wang, zhao, li, admin] = await Promise.all([as(t, 'wang.cg'), as(t, 'zhao.ck'), as(t, 'li.xs'), as(t, 'admin')]);
  const sys = t.database.system;
  id.supplier = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
  id.a2 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M6X20-A2' } })).id; // PCS, 采购单位 箱 = 2000 个, 标准成本 0.0563
  id.rod = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-6.5' } })).id; // batch-tracked, KG / 吨
  id.pcs = (await sys.unit.findFirstOrThrow({ where: { code: 'PCS' } })).id;
  id.box = (await sys.unit.findFirstOrThrow({ where: { code: 'BOX' } })).id;
  id.kg = (await sys.unit.findFirstOrThrow({ where: { code: 'KG' } })).id;
  id.set = (await sys.unit.findFirstOrThrow({ where: { code: 'SET' } })).id;
  id.wh01 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH01' } })).id;
  id.wh02 = (await sys.warehouse.findFirstOrThrow({ where: { code: 'WH02' } })).id;
});
afterAll(async () => t?.close());

const counts = async () => ({
  orders: await t.database.system.purchaseOrder.count(),
  lines: await t.database.system.purchaseOrderLine.count(),
  receipts: await t.database.system.receipt.count(),
  returns: await t.database.system.purchaseReturn.count(),
  moves: await t.database.system.stockMove.count(),
  events: await t.database.system.outboxEvent.count(),
});

async function newOrder(lines: Record<string, unknown>[] = [{ itemId: id.a2, unitId: id.pcs, quantity: '100', unitPrice: '0.1' }], extra: Record<string, unknown> = {}) {
  const res = await wang('post', '/api/v1/purchase-orders').send({ supplierId: id.supplier, lines, ...extra });
  if (res.status !== 201) throw new Error(`create PO: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; number: string; version: number; lines: { id: string }[] };
}
async function confirmedOrder(lines?: Record<string, unknown>[]) {
  const po = await newOrder(lines);
  const res = await wang('post', `/api/v1/purchase-orders/${po.id}/confirm`);
  if (res.status !== 200) throw new Error(`confirm: ${res.status} ${JSON.stringify(res.body)}`);
  return po;
}

describe('草稿的增删改查', () => {
  it('新增：默认采购单位、原材料仓、采购员=本人、汇率 1；无价目表时按标准成本折算含税单价', async () => {
    const res = await wang('post', '/api/v1/purchase-orders').send({ supplierId: id.supplier, remark: '不锈钢件补货', lines: [{ itemId: id.a2, quantity: '3' }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'draft', stateLabel: '草稿', buyer: { name: '王采购' }, warehouse: { code: 'WH01' }, currencyCode: 'CNY', exchangeRate: '1.000000', version: 1 });
    // 0.0563 × 2000 × 1.13 = 127.238 per 箱
    expect(res.body.lines[0]).toMatchObject({ unit: { code: 'BOX' }, factor: '2000.000000', quantity: '3.0000', baseQuantity: '6000.0000', unitPrice: '127.238000', taxRate: '0.1300', amountWithTax: '381.71' });
    expect(res.body).toMatchObject({ totalWithTax: '381.71', totalAmount: '337.80', totalTax: '43.91' });
    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'purchaseOrder', entityId: res.body.id, action: 'create' } });
    expect(audit).not.toBeNull();
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: res.body.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['purchaseOrder.created', 'order.progress']);
  });

  it('修改（需 version）：整体替换明细，合计随之重算；旧版本 409', async () => {
    const po = await newOrder();
    const res = await wang('patch', `/api/v1/purchase-orders/${po.id}`).send({
      version: po.version, warehouseId: id.wh02, lines: [{ itemId: id.a2, unitId: id.pcs, quantity: '500', unitPrice: '0.12', taxRate: '0.09' }, { itemId: id.a2, quantity: '1', unitPrice: '200' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, warehouse: { code: 'WH02' }, totalWithTax: '260.00' });
    expect(res.body.lines.map((l: { lineNo: number; amountWithTax: string; taxRate: string; warehouse: { code: string } }) => [l.lineNo, l.amountWithTax, l.taxRate, l.warehouse.code])).toEqual([
      [1, '60.00', '0.0900', 'WH02'], [2, '200.00', '0.1300', 'WH02'],
    ]);
    const stale = await wang('patch', `/api/v1/purchase-orders/${po.id}`).send({ version: 1, remark: '旧' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0].field).toBe('body.version');
  });

  it('列表：分页、搜索（单号/供应商名）、按状态/供应商/采购员/物料/日期筛选、排序', async () => {
    const po = await confirmedOrder();
    const byNumber = await wang('get', `/api/v1/purchase-orders?q=${po.number}`);
    expect(byNumber.body).toMatchObject({ total: 1, items: [{ id: po.id, lineCount: 1, state: 'confirmed' }] });
    const bySupplierName = await wang('get', `/api/v1/purchase-orders?q=${encodeURIComponent('永昌金属')}&state=confirmed`);
    expect(bySupplierName.body.items.map((o: { id: string }) => o.id)).toContain(po.id);
    const buyer = (await t.database.system.user.findFirstOrThrow({ where: { username: 'wang.cg' } })).id;
    const filtered = await wang('get', `/api/v1/purchase-orders?supplierId=${id.supplier}&buyerId=${buyer}&itemId=${id.a2}&dateFrom=2020-01-01&dateTo=2099-12-31&sort=-totalWithTax&pageSize=2`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.pageSize).toBe(2);
    expect(filtered.body.items.length).toBeLessThanOrEqual(2);
    expect(filtered.body.total).toBeGreaterThanOrEqual(3);
    const none = await wang('get', '/api/v1/purchase-orders?dateTo=2000-01-01');
    expect(none.body.total).toBe(0);
    for (const bad of ['pageSize=500', 'page=0', 'sort=bogus', 'state=open', 'dateFrom=2026-02-30', 'supplierId=xyz']) {
      const r = await wang('get', `/api/v1/purchase-orders?${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.details[0].field).toMatch(/^query\./);
    }
  });

  it('删除：草稿可删（204）；已确认的 409', async () => {
    const draft = await newOrder();
    expect((await wang('delete', `/api/v1/purchase-orders/${draft.id}`)).status).toBe(204);
    expect(await t.database.system.purchaseOrder.count({ where: { id: draft.id } })).toBe(0);
    const confirmed = await confirmedOrder();
    const res = await wang('delete', `/api/v1/purchase-orders/${confirmed.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('已确认');
  });

  it('外币供应商：按订单日的汇率；该日之前没有汇率 → 400 body.orderDate', async () => {
    const s = await wang('post', '/api/v1/suppliers').send({ code: 'SUSD01', name: 'Taiwan Fastener Trading Co.', currencyCode: 'USD' });
    expect(s.status).toBe(201);
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId: s.body.id, lines: [{ itemId: id.a2, unitId: id.pcs, quantity: '1000', unitPrice: '0.0113' }] });
    expect(po.status).toBe(201);
    expect(po.body).toMatchObject({ currencyCode: 'USD', exchangeRate: '7.120000', totalWithTax: '11.30' });
    await wang('post', `/api/v1/purchase-orders/${po.body.id}/confirm`).expect(200);
    const rc = await zhao('post', `/api/v1/purchase-orders/${po.body.id}/receipts`).send({ lines: [{ orderLineId: po.body.lines[0].id, quantity: '1000' }] });
    expect(rc.status).toBe(201);
    // 0.0113 / 1.13 × 7.12 = 0.0712 CNY per 个
    expect(rc.body.lines[0].unitCost).toBe('0.071200');
    const old = await wang('post', '/api/v1/purchase-orders').send({ supplierId: s.body.id, orderDate: '2020-01-01', lines: [{ itemId: id.a2, quantity: '1' }] });
    expect(old.status).toBe(400);
    expect(old.body.error.details[0].field).toBe('body.orderDate');
  });
});

describe('错误输入：4xx 指明字段，什么都不写', () => {
  const line = (over: Record<string, unknown>) => ({ itemId: id.a2, unitId: id.pcs, quantity: '10', unitPrice: '0.1', ...over });
  const cases: { name: string; body: () => Record<string, unknown>; field: string }[] = [
    { name: '数量为 0', body: () => ({ supplierId: id.supplier, lines: [line({ quantity: '0' })] }), field: 'body.lines.0.quantity' },
    { name: '数量为负', body: () => ({ supplierId: id.supplier, lines: [line({ quantity: '-5' })] }), field: 'body.lines.0.quantity' },
    { name: '数量超过 4 位小数', body: () => ({ supplierId: id.supplier, lines: [line({ unitId: id.box, quantity: '1.00001' })] }), field: 'body.lines.0.quantity' },
    { name: '个（精度 0）带小数', body: () => ({ supplierId: id.supplier, lines: [line({ quantity: '1.5' })] }), field: 'body.lines.0.quantity' },
    { name: '数量不是数字', body: () => ({ supplierId: id.supplier, lines: [line({ quantity: 'ten' })] }), field: 'body.lines.0.quantity' },
    { name: '单价超过 6 位小数', body: () => ({ supplierId: id.supplier, lines: [line({ unitPrice: '0.1234567' })] }), field: 'body.lines.0.unitPrice' },
    { name: '税率大于 1', body: () => ({ supplierId: id.supplier, lines: [line({ taxRate: '1.3' })] }), field: 'body.lines.0.taxRate' },
    { name: '未知物料', body: () => ({ supplierId: id.supplier, lines: [line({}), line({ itemId: '00000000-0000-4000-8000-000000000000' })] }), field: 'body.lines.1.itemId' },
    { name: '物料没有的单位', body: () => ({ supplierId: id.supplier, lines: [line({ unitId: id.set })] }), field: 'body.lines.0.unitId' },
    { name: '未知供应商', body: () => ({ supplierId: '00000000-0000-4000-8000-000000000000', lines: [line({})] }), field: 'body.supplierId' },
    { name: '缺少供应商', body: () => ({ lines: [line({})] }), field: 'body.supplierId' },
    { name: '没有明细', body: () => ({ supplierId: id.supplier, lines: [] }), field: 'body.lines' },
    { name: '未知仓库', body: () => ({ supplierId: id.supplier, warehouseId: '00000000-0000-4000-8000-000000000000', lines: [line({})] }), field: 'body.warehouseId' },
    { name: '明细未知仓库', body: () => ({ supplierId: id.supplier, lines: [line({ warehouseId: '00000000-0000-4000-8000-000000000000' })] }), field: 'body.lines.0.warehouseId' },
    { name: '日期不存在', body: () => ({ supplierId: id.supplier, orderDate: '2026-02-30', lines: [line({})] }), field: 'body.orderDate' },
    { name: '备注过长', body: () => ({ supplierId: id.supplier, remark: '长'.repeat(501), lines: [line({})] }), field: 'body.remark' },
    { name: '未知请购单行', body: () => ({ supplierId: id.supplier, lines: [line({ requisitionLineId: '00000000-0000-4000-8000-000000000000' })] }), field: 'body.lines.0.requisitionLineId' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const before = await counts();
      const res = await wang('post', '/api/v1/purchase-orders').send(c.body());
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(c.field);
      expect(await counts()).toEqual(before);
    });
  }

  it('另一家公司的供应商 → 400 body.supplierId', async () => {
    const other = await createSecondCompany(t);
    const supplier = await t.database.system.supplier.create({ data: { companyId: other.companyId, code: 'X1', name: '别家的供应商' } });
    const res = await wang('post', '/api/v1/purchase-orders').send({ supplierId: supplier.id, lines: [line({})] });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.supplierId');
  });
});

describe('入库与退货的错误输入', () => {
  it('草稿订单、已取消订单不能入库（409，params.id），什么都不写', async () => {
    const draft = await newOrder();
    let before = await counts();
    const r1 = await zhao('post', `/api/v1/purchase-orders/${draft.id}/receipts`).send({ lines: [{ orderLineId: draft.lines[0]!.id, quantity: '1' }] });
    expect(r1.status).toBe(409);
    expect(r1.body.error.message).toContain('草稿');
    expect(r1.body.error.details[0].field).toBe('params.id');
    expect(await counts()).toEqual(before);
    const cancelled = await confirmedOrder();
    await wang('post', `/api/v1/purchase-orders/${cancelled.id}/cancel`).send({ reason: '供应商停产' }).expect(200);
    before = await counts();
    const r2 = await zhao('post', `/api/v1/purchase-orders/${cancelled.id}/receipts`).send({ lines: [{ orderLineId: cancelled.lines[0]!.id, quantity: '1' }] });
    expect(r2.status).toBe(409);
    expect(r2.body.error.message).toContain('已取消');
    expect(await counts()).toEqual(before);
  });

  it('批次管理的物料不填批次 → 400 body.lines.0.batchNo；非批次物料填批次 → 400', async () => {
    const po = await confirmedOrder([{ itemId: id.rod, quantity: '2', unitPrice: '6000' }]);
    const before = await counts();
    const res = await zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '1' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'body.lines.0.batchNo', label: '第 1 行 批次', message: expect.stringContaining('RM-WR-35K-6.5') }]);
    const a2 = await confirmedOrder();
    const res2 = await zhao('post', `/api/v1/purchase-orders/${a2.id}/receipts`).send({ lines: [{ orderLineId: a2.lines[0]!.id, quantity: '1', batchNo: 'X' }] });
    expect(res2.status).toBe(400);
    expect(res2.body.error.details[0].field).toBe('body.lines.0.batchNo');
    expect((await counts()).receipts).toBe(before.receipts);
  });

  it('其他订单的明细行、数量为 0、小数位超出单位精度、质检状态非法 → 400', async () => {
    const po = await confirmedOrder();
    const other = await confirmedOrder();
    const send = (l: Record<string, unknown>) => zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '1', ...l }] });
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ orderLineId: other.lines[0]!.id }, 'body.lines.0.orderLineId'],
      [{ quantity: '0' }, 'body.lines.0.quantity'],
      [{ quantity: '0.5' }, 'body.lines.0.quantity'],
      [{ quantity: '1.00001' }, 'body.lines.0.quantity'],
      [{ qualityStatus: 'ok' }, 'body.lines.0.qualityStatus'],
    ];
    for (const [l, field] of cases) {
      const res = await send(l);
      expect(res.status, JSON.stringify(l)).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('退货多于已收 → 409 指明行与数字；未入库的订单退货 → 409；缺退货原因 → 400', async () => {
    const po = await confirmedOrder();
    const before = await counts();
    const none = await zhao('post', `/api/v1/purchase-orders/${po.id}/returns`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '1' }], reason: '不合格' });
    expect(none.status).toBe(409);
    expect(none.body.error.message).toContain('已收 0 个，已退 0 个，本次 1 个，最多还可退 0 个');
    expect(none.body.error.details[0].field).toBe('body.lines.0.quantity');
    const noReason = await zhao('post', `/api/v1/purchase-orders/${po.id}/returns`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '1' }] });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0].field).toBe('body.reason');
    expect(await counts()).toEqual(before);
    await zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '40' }] }).expect(201);
    const tooMany = await zhao('post', `/api/v1/purchase-orders/${po.id}/returns`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '41' }], reason: '不合格' });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.message).toContain('已收 40 个，已退 0 个，本次 41 个');
    const ok = await zhao('post', `/api/v1/purchase-orders/${po.id}/returns`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '40' }], reason: '不合格' });
    expect(ok.status).toBe(201);
  });
});

describe('状态：确认、取消、关闭', () => {
  it('100 个并发确认同一订单：只有一次生效，其余 409「已确认」', async () => {
    const po = await newOrder();
    const results = await Promise.all(Array.from({ length: 100 }, () => wang('post', `/api/v1/purchase-orders/${po.id}/confirm`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(results.find((r) => r.status === 409)!.body.error.message).toContain('已确认');
    const timeline = await t.database.system.timelineEntry.findMany({ where: { orderId: po.id, kind: 'confirmed' } });
    expect(timeline).toHaveLength(1);
  });

  it('已入库的订单不能取消（409，提示关闭）；关闭后退出在订量、不能再入库，但可退货', async () => {
    const po = await confirmedOrder();
    const lineId = po.lines[0]!.id;
    await zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '30' }] }).expect(201);
    const cancel = await wang('post', `/api/v1/purchase-orders/${po.id}/cancel`).send({});
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.message).toContain('关闭');
    const onOrderBefore = (await wang('get', `/api/v1/items/${id.a2}/on-order`)).body;
    const mine = onOrderBefore.warehouses.flatMap((w: { orders: { orderId: string; openQuantity: string }[] }) => w.orders).find((o: { orderId: string }) => o.orderId === po.id);
    expect(mine.openQuantity).toBe('70.0000');
    const closed = await wang('post', `/api/v1/purchase-orders/${po.id}/close`).send({ reason: '余量不再到货' });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    const after = (await wang('get', `/api/v1/items/${id.a2}/on-order`)).body;
    expect(after.warehouses.flatMap((w: { orders: { orderId: string }[] }) => w.orders).some((o: { orderId: string }) => o.orderId === po.id)).toBe(false);
    expect((await zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '1' }] })).status).toBe(409);
    expect((await zhao('post', `/api/v1/purchase-orders/${po.id}/returns`).send({ lines: [{ orderLineId: lineId, quantity: '5' }], reason: '来料不良' })).status).toBe(201);
    expect((await wang('post', `/api/v1/purchase-orders/${po.id}/close`).send({})).status).toBe(409);
  });

  it('已确认未入库的订单可取消', async () => {
    const po = await confirmedOrder();
    const res = await wang('post', `/api/v1/purchase-orders/${po.id}/cancel`).send({ reason: '需求取消' });
    expect(res.status).toBe(200);
    expect(res.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['created', 'confirmed', 'cancelled']);
    expect((await wang('post', `/api/v1/purchase-orders/${po.id}/cancel`).send({})).status).toBe(409);
    expect((await wang('post', `/api/v1/purchase-orders/${po.id}/confirm`)).status).toBe(409);
  });
});

describe('权限与租户', () => {
  it('销售员 li.xs 不能看也不能建采购订单（403）', async () => {
    expect((await li('get', '/api/v1/purchase-orders')).status).toBe(403);
    const before = await counts();
    const res = await li('post', '/api/v1/purchase-orders').send({ supplierId: id.supplier, lines: [{ itemId: id.a2, quantity: '1' }] });
    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('仓管员 zhao.ck 能入库，不能建单或确认；采购员 wang.cg 不能入库', async () => {
    expect((await zhao('post', '/api/v1/purchase-orders').send({ supplierId: id.supplier, lines: [{ itemId: id.a2, quantity: '1' }] })).status).toBe(403);
    const draft = await newOrder();
    expect((await zhao('post', `/api/v1/purchase-orders/${draft.id}/confirm`)).status).toBe(403);
    const po = await confirmedOrder();
    expect((await wang('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '1' }] })).status).toBe(403);
    expect((await zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '1' }] })).status).toBe(201);
    expect((await zhao('get', `/api/v1/purchase-orders/${po.id}`)).status).toBe(200);
  });

  it('数据范围「本人」的采购员只看得到自己是采购员的订单', async () => {
    const sys = t.database.system;
    const company = await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    const dept = await sys.department.findFirstOrThrow({ where: { companyId: company.id, code: 'D05' } });
    const role = await sys.role.create({
      data: { companyId: company.id, code: 'buyer_own', name: '采购助理', dataScope: 'own', permissions: ['purchaseOrder:read', 'purchaseOrder:create', 'purchaseOrder:update'] },
    });
    await sys.user.create({
      data: {
        companyId: company.id, username: 'qian.cg', passwordHash: await hashPassword(DEMO_PASSWORD), name: '钱采购', employeeNo: 'YQ0099', departmentId: dept.id,
        roles: { create: [{ companyId: company.id, roleId: role.id }] },
      },
    });
    const qian = await as(t, 'qian.cg');
    const wangs = await newOrder();
    const mine = await qian('post', '/api/v1/purchase-orders').send({ supplierId: id.supplier, lines: [{ itemId: id.a2, quantity: '1', unitPrice: '100' }] });
    expect(mine.status).toBe(201);
    const list = await qian('get', '/api/v1/purchase-orders');
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([mine.body.id]);
    expect((await qian('get', `/api/v1/purchase-orders/${wangs.id}`)).status).toBe(404);
    expect((await qian('patch', `/api/v1/purchase-orders/${wangs.id}`).send({ version: wangs.version, remark: '改' })).status).toBe(404);
    const wangUser = await sys.user.findFirstOrThrow({ where: { username: 'wang.cg' } });
    const handOver = await qian('post', '/api/v1/purchase-orders').send({ supplierId: id.supplier, buyerId: wangUser.id, lines: [{ itemId: id.a2, quantity: '1' }] });
    expect(handOver.status).toBe(403);
  });

  it('另一家公司看不到也动不了本公司的订单（404）', async () => {
    const po = await confirmedOrder();
    const other = await as(t, 'other.admin', { companyCode: 'OTHERCO' });
    expect((await other('get', `/api/v1/purchase-orders/${po.id}`)).status).toBe(404);
    expect((await other('post', `/api/v1/purchase-orders/${po.id}/confirm`)).status).toBe(404);
    const rc = await other('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: po.lines[0]!.id, quantity: '1' }] });
    expect(rc.status).toBe(404);
    expect((await other('get', '/api/v1/purchase-orders')).body.total).toBe(0);
  });
});

describe('并发入库', () => {
  it('50 个并发入库（每次 3 个，订购 100 个，容差 5%）：恰好 35 次成功，已收 105，结存等于流水之和', async () => {
    const po = await confirmedOrder([{ itemId: id.a2, unitId: id.pcs, quantity: '100', unitPrice: '0.113', warehouseId: id.wh02 }]);
    const lineId = po.lines[0]!.id;
    const onHand = async () => (await t.database.system.stockLevel.findFirst({ where: { itemId: id.a2, warehouseId: id.wh02 } }))?.onHand.toNumber() ?? 0;
    const start = await onHand();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => zhao('post', `/api/v1/purchase-orders/${po.id}/receipts`).send({ lines: [{ orderLineId: lineId, quantity: '3' }] })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(35);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    const line = await t.database.system.purchaseOrderLine.findUniqueOrThrow({ where: { id: lineId } });
    expect(line.receivedQuantity.toFixed(4)).toBe('105.0000');
    expect(await t.database.system.receipt.count({ where: { orderId: po.id } })).toBe(35);
    expect((await onHand()) - start).toBe(105);
    const moves = await t.database.system.stockMove.findMany({ where: { itemId: id.a2, warehouseId: id.wh02 } });
    expect(moves.reduce((a, m) => a + m.quantity.toNumber(), 0)).toBe(await onHand());
    const numbers = new Set(results.filter((r) => r.status === 201).map((r) => r.body.number));
    expect(numbers.size).toBe(35);
    expect((await wang('get', `/api/v1/purchase-orders/${po.id}`)).body.receiptProgress).toBe('full');
    // The receipt cost: 0.113 / 1.13 = 0.1 per 个.
    expect(results.find((r) => r.status === 201)!.body.lines[0].unitCost).toBe('0.100000');
  });

  it('收货后的列表和详情：入库单列表按订单筛选，退货单列表', async () => {
    const rc = await zhao('get', `/api/v1/purchase-receipts?supplierId=${id.supplier}&dateFrom=2020-01-01&sort=-receivedAt&pageSize=5`);
    expect(rc.status).toBe(200);
    expect(rc.body.items.length).toBe(5);
    const one = await zhao('get', `/api/v1/purchase-receipts/${rc.body.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.lines.length).toBeGreaterThan(0);
    const rt = await admin('get', '/api/v1/purchase-returns');
    expect(rt.status).toBe(200);
    expect(rt.body.total).toBeGreaterThanOrEqual(2);
    expect((await li('get', '/api/v1/purchase-receipts')).status).toBe(403);
  });
});
