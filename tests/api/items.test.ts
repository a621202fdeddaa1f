// 物料分类与物料: CRUD, units and conversions, bad input, permissions, versions, other companies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBaseQuantity } from '../../server/modules/inventory/items/units.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
const unit: Record<string, string> = {};
const category: Record<string, string> = {};
let other: { companyId: string; itemId: string; unitId: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  for (const u of (await admin('get', '/api/v1/units?pageSize=200')).body.items) unit[u.code] = u.id;
  for (const c of (await admin('get', '/api/v1/item-categories?pageSize=200')).body.items) category[c.code] = c.id;
  const second = await createSecondCompany(t);
  const sys = t.database.system;
  const otherUnit = await sys.unit.create({ data: { companyId: second.companyId, code: 'PCS', name: '个', precision: 0 } });
  const otherItem = await sys.item.create({ data: { companyId: second.companyId, code: 'X1', name: '另一家的物料', kind: 'raw', baseUnitId: otherUnit.id } });
  other = { companyId: second.companyId, itemId: otherItem.id, unitId: otherUnit.id };
});
afterAll(async () => t?.close());

const itemCount = () => t.database.system.item.count();
const conversionCount = () => t.database.system.unitConversion.count();
const itemInput = (overrides: Record<string, unknown> = {}) => ({
  code: uniqueCode('FG-T'),
  name: '测试螺母 M10',
  spec: 'GB/T 6170 8级 镀锌',
  categoryId: category['0302'],
  kind: 'finished',
  sourcing: 'make',
  baseUnitId: unit.PCS,
  purchaseUnitId: unit.PACK,
  salesUnitId: unit.BOX,
  conversions: [{ unitId: unit.BOX, factor: '2000' }, { unitId: unit.PACK, factor: '100.5' }],
  safetyStock: '5000',
  leadTimeDays: 7,
  scrapRate: '0.005',
  standardCost: '0.0213',
  salePrice: '0.035',
  taxRate: '0.13',
  batchTracked: true,
  ...overrides,
});

describe('物料分类', () => {
  it('平铺列表带 parentId，树形嵌套下级', async () => {
    const flat = await admin('get', '/api/v1/item-categories?pageSize=200');
    expect(flat.status).toBe(200);
    expect(flat.body.items.find((c: { code: string }) => c.code === '0301')).toMatchObject({ name: '螺栓', parentId: category['03'] });
    const children = await admin('get', `/api/v1/item-categories?parentId=${category['03']}`);
    expect(children.body.total).toBe(7);
    expect((await admin('get', '/api/v1/item-categories?root=true')).body.total).toBe(6);

    const tree = await admin('get', '/api/v1/item-categories/tree');
    expect(tree.status).toBe(200);
    expect(tree.body.map((n: { code: string }) => n.code)).toEqual(['01', '02', '03', '04', '05', '06']);
    const finished = tree.body.find((n: { code: string }) => n.code === '03');
    expect(finished.children.map((n: { name: string }) => n.name)).toContain('螺栓');
    expect(finished.children[0].children).toEqual([]);
  });

  it('新增下级、移动、拒绝循环、删除规则', async () => {
    const before = await t.database.system.itemCategory.count();
    const parent = await admin('post', '/api/v1/item-categories').send({ code: uniqueCode('C'), name: '异形件', parentId: category['03'] });
    expect(parent.status).toBe(201);
    const child = await admin('post', '/api/v1/item-categories').send({ code: uniqueCode('C'), name: '异形螺栓', parentId: parent.body.id });
    expect(child.body.parentId).toBe(parent.body.id);

    for (const parentId of [parent.body.id, child.body.id]) {
      const cycle = await admin('patch', `/api/v1/item-categories/${parent.body.id}`).send({ parentId, version: 1 });
      expect(cycle.status).toBe(400);
      expect(cycle.body.error.details[0]).toEqual({ field: 'body.parentId', label: '上级', message: '不能把分类移到它自己或它的下级分类之下' });
    }
    const unknown = await admin('post', '/api/v1/item-categories').send({ code: uniqueCode('C'), name: 'x', parentId: other.unitId });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].field).toBe('body.parentId');
    const dup = await admin('post', '/api/v1/item-categories').send({ code: '0301', name: '重复' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details[0].field).toBe('body.code');
    expect(await t.database.system.itemCategory.count()).toBe(before + 2);

    const hasChildren = await admin('delete', `/api/v1/item-categories/${parent.body.id}`);
    expect(hasChildren.status).toBe(409);
    expect(hasChildren.body.error.message).toBe('物料分类「异形件」下还有 1 个下级分类，不能删除');
    const moved = await admin('patch', `/api/v1/item-categories/${child.body.id}`).send({ parentId: null, name: '异形螺栓(顶级)', version: 1 });
    expect(moved.body).toMatchObject({ parentId: null, name: '异形螺栓(顶级)', version: 2 });
    expect((await admin('delete', `/api/v1/item-categories/${parent.body.id}`)).status).toBe(204);

    const bolts = await admin('delete', `/api/v1/item-categories/${category['0301']}`);
    expect(bolts.status).toBe(409);
    expect(bolts.body.error.message).toMatch(/^物料分类「螺栓」正被 \d+ 个物料使用，不能删除$/);
    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'itemCategory', entityId: parent.body.id } });
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete']);
  });

  it('修改分类需提交 version；过期版本 409 VERSION_CONFLICT，数据与审计不变', async () => {
    const created = await admin('post', '/api/v1/item-categories').send({ code: uniqueCode('C'), name: '待改分类', parentId: category['03'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, updatedAt: expect.any(String) });
    const url = `/api/v1/item-categories/${created.body.id}`;

    const noVersion = await admin('patch', url).send({ name: '没带版本' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.version']);

    const ok = await admin('patch', url).send({ name: '已改分类', version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: '已改分类', parentId: category['03'], version: 2 });
    expect(Date.parse(ok.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));

    const auditBefore = await t.database.system.auditLog.count();
    const stale = await admin('patch', url).send({ name: '过期的修改', parentId: null, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect((await admin('get', url)).body).toMatchObject({ name: '已改分类', parentId: category['03'], version: 2 });
    expect(await t.database.system.auditLog.count()).toBe(auditBefore);
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: created.body.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['itemCategory.created', 'itemCategory.updated']);
  });

  it('销售可查看不可新增；另一家公司的分类 → 404', async () => {
    const li = await as(t, 'li.xs');
    expect((await li('get', '/api/v1/item-categories/tree')).status).toBe(200);
    expect((await li('post', '/api/v1/item-categories').send({ code: 'ZZ', name: '禁止' })).status).toBe(403);
    const theirs = await t.database.system.itemCategory.create({ data: { companyId: other.companyId, code: '01', name: '他们的' } });
    expect((await admin('get', `/api/v1/item-categories/${theirs.id}`)).status).toBe(404);
    expect((await admin('patch', `/api/v1/item-categories/${theirs.id}`).send({ name: '改别人的', version: 1 })).status).toBe(404);
    expect((await admin('delete', `/api/v1/item-categories/${theirs.id}`)).status).toBe(404);
  });
});

describe('物料查询', () => {
  it('演示物料 M8螺栓：基本单位个，销售单位箱 = 1000 个，3 箱 = 3000 个', async () => {
    const page = await admin('get', '/api/v1/items?q=FG-BLT-M8X30');
    const bolt = page.body.items.find((i: { code: string }) => i.code === 'FG-BLT-M8X30');
    expect(bolt).toMatchObject({
      name: 'M8螺栓', kind: 'finished', kindLabel: '产成品', sourcing: 'make', sourcingLabel: '自制',
      category: { id: category['0301'], code: '0301', name: '螺栓' },
      baseUnit: { id: unit.PCS, code: 'PCS', name: '个' }, purchaseUnit: null, salesUnit: { code: 'BOX', name: '箱' },
      conversions: [{ unit: { id: unit.BOX, code: 'BOX', name: '箱' }, factor: '1000.000000' }],
      safetyStock: '20000.0000', scrapRate: '0.0080', standardCost: '0.030000', salePrice: '0.055000', taxRate: '0.1300',
    });
    const units = await admin('get', `/api/v1/items/${bolt.id}/units`);
    expect(units.status).toBe(200);
    expect(units.body).toEqual([
      { unit: { id: unit.PCS, code: 'PCS', name: '个', precision: 0 }, factor: '1.000000', isBase: true, isPurchase: true, isSales: false },
      { unit: { id: unit.BOX, code: 'BOX', name: '箱', precision: 0 }, factor: '1000.000000', isBase: false, isPurchase: false, isSales: true },
    ]);
    expect(toBaseQuantity('3', units.body[1].factor)).toBe('3000.0000');
  });

  it('分页、搜索（编码/名称/规格）、筛选、排序', async () => {
    const p1 = await admin('get', '/api/v1/items?pageSize=10&sort=code');
    const p2 = await admin('get', '/api/v1/items?pageSize=10&page=2&sort=code');
    expect(p1.body.items).toHaveLength(10);
    expect(p1.body.total).toBe(await itemCount() - 1); // minus the other company's item
    expect(p2.body.items[0].code > p1.body.items[9].code).toBe(true);

    const bySpec = await admin('get', `/api/v1/items?q=${encodeURIComponent('热轧盘条')}`);
    expect(bySpec.body.total).toBeGreaterThan(5);
    const outsourced = await admin('get', '/api/v1/items?sourcing=outsource&pageSize=200');
    expect(outsourced.body.items.every((i: { sourcingLabel: string }) => i.sourcingLabel === '委外')).toBe(true);
    const services = await admin('get', '/api/v1/items?kind=service&pageSize=200');
    expect(services.body.total).toBe(outsourced.body.total);

    const finished = await admin('get', `/api/v1/items?categoryId=${category['03']}&pageSize=200`);
    const bolts = await admin('get', `/api/v1/items?categoryId=${category['0301']}&pageSize=200`);
    expect(finished.body.total).toBeGreaterThan(bolts.body.total);
    expect(bolts.body.items.every((i: { category: { code: string } }) => i.category.code === '0301')).toBe(true);

    const costly = await admin('get', '/api/v1/items?sort=-standardCost&pageSize=20');
    const costs = costly.body.items.map((i: { standardCost: string }) => Number(i.standardCost));
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect((await admin('get', '/api/v1/items?active=false')).body.total).toBe(0);
  });

  it.each([['pageSize=500', 'query.pageSize'], ['sort=price', 'query.sort'], ['kind=steel', 'query.kind'], ['active=yes', 'query.active'], ['categoryId=03', 'query.categoryId']])(
    '查询参数 %s → 400',
    async (qs, field) => {
      const res = await admin('get', `/api/v1/items?${qs}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    },
  );
});

describe('新增物料', () => {
  it('全部字段入库，DTO 精度固定，写审计与事件', async () => {
    const input = itemInput();
    const res = await admin('post', '/api/v1/items').send(input);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: input.code, kindLabel: '产成品', sourcingLabel: '自制', category: { code: '0302' },
      purchaseUnit: { code: 'PACK' }, salesUnit: { code: 'BOX' },
      conversions: [{ unit: { code: 'PACK' }, factor: '100.500000' }, { unit: { code: 'BOX' }, factor: '2000.000000' }],
      safetyStock: '5000.0000', leadTimeDays: 7, scrapRate: '0.0050', standardCost: '0.021300', salePrice: '0.035000', taxRate: '0.1300',
      batchTracked: true, active: true, version: 1,
    });
    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'item', entityId: res.body.id } });
    expect(audit).toMatchObject({ action: 'create', after: expect.objectContaining({ code: input.code }) });
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: res.body.id } });
    expect(events).toEqual([expect.objectContaining({ type: 'item.created', payload: { code: input.code, name: input.name } })]);
  });

  it('最少字段：默认外购、税率 0.13、无分类', async () => {
    const res = await admin('post', '/api/v1/items').send({ code: uniqueCode('S'), name: '最简物料', kind: 'raw', baseUnitId: unit.KG });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sourcing: 'buy', taxRate: '0.1300', category: null, conversions: [], purchaseUnit: null, safetyStock: '0.0000' });
  });

  it.each([
    ['缺少名称', { name: undefined }, 'body.name'],
    ['名称超过 100 字', { name: '长'.repeat(101) }, 'body.name'],
    ['编码超过 32 字符', { code: 'A'.repeat(33) }, 'body.code'],
    ['未知物料类型', { kind: 'steel' }, 'body.kind'],
    ['未知来源', { sourcing: 'steal' }, 'body.sourcing'],
    ['安全库存为负', { safetyStock: '-1' }, 'body.safetyStock'],
    ['安全库存 5 位小数', { safetyStock: '1.12345' }, 'body.safetyStock'],
    ['提前期超过 365', { leadTimeDays: 366 }, 'body.leadTimeDays'],
    ['提前期不是整数', { leadTimeDays: 1.5 }, 'body.leadTimeDays'],
    ['损耗率大于 1', { scrapRate: '1.5' }, 'body.scrapRate'],
    ['税率不是数字', { taxRate: 'abc' }, 'body.taxRate'],
    ['标准成本 7 位小数', { standardCost: '0.1234567' }, 'body.standardCost'],
    ['售价超过列宽', { salePrice: '99999999999999' }, 'body.salePrice'],
    ['批次管理不是布尔', { batchTracked: 'yes' }, 'body.batchTracked'],
    ['换算率为 0', { conversions: [{ unitId: unit.BOX, factor: '0' }] }, 'body.conversions.0.factor'],
    ['换算率 7 位小数', { conversions: [{ unitId: unit.BOX, factor: '1.1234567' }] }, 'body.conversions.0.factor'],
    ['换算单位不是 UUID', { conversions: [{ unitId: 'BOX', factor: '10' }] }, 'body.conversions.0.unitId'],
    ['基本单位不是 UUID', { baseUnitId: 'PCS' }, 'body.baseUnitId'],
    ['缺少基本单位', { baseUnitId: undefined }, 'body.baseUnitId'],
  ])('%s → 400 且不入库', async (_label, patch, field) => {
    const [items, conversions] = [await itemCount(), await conversionCount()];
    const res = await admin('post', '/api/v1/items').send(itemInput(patch));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field }));
    expect([await itemCount(), await conversionCount()]).toEqual([items, conversions]);
  });

  const unknownId = '00000000-0000-4000-8000-000000000001';
  it.each([
    ['基本单位不存在', () => ({ baseUnitId: unknownId }), 'body.baseUnitId', '基本单位', '计量单位不存在'],
    ['另一家公司的单位', () => ({ baseUnitId: other.unitId }), 'body.baseUnitId', '基本单位', '计量单位不存在'],
    ['换算单位不存在', () => ({ conversions: [{ unitId: unknownId, factor: '10' }] }), 'body.conversions.0.unitId', '单位换算 第 1 项 计量单位', '计量单位不存在'],
    ['分类不存在', () => ({ categoryId: unknownId }), 'body.categoryId', '物料分类', '物料分类不存在'],
    ['换算单位是基本单位', () => ({ conversions: [{ unitId: unit.BOX, factor: '10' }, { unitId: unit.PCS, factor: '1' }], purchaseUnitId: null }), 'body.conversions.1.unitId', '单位换算 第 2 项 计量单位', '基本单位不需要换算率'],
    ['换算单位重复', () => ({ conversions: [{ unitId: unit.BOX, factor: '10' }, { unitId: unit.BOX, factor: '20' }], purchaseUnitId: null }), 'body.conversions.1.unitId', '单位换算 第 2 项 计量单位', '换算单位重复'],
    ['采购单位不在换算单位中', () => ({ purchaseUnitId: unit.T }), 'body.purchaseUnitId', '采购单位', '采购单位必须是基本单位或换算单位之一'],
    ['销售单位不在换算单位中', () => ({ salesUnitId: unit.KG }), 'body.salesUnitId', '销售单位', '销售单位必须是基本单位或换算单位之一'],
  ])('%s → 400 指出字段且不入库', async (_label, patch, field, label, message) => {
    const [items, conversions] = [await itemCount(), await conversionCount()];
    const res = await admin('post', '/api/v1/items').send(itemInput(patch()));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual({ field, label, message });
    expect([await itemCount(), await conversionCount()]).toEqual([items, conversions]);
  });

  it('编码重复 → 409 指出 body.code', async () => {
    const before = await itemCount();
    const res = await admin('post', '/api/v1/items').send(itemInput({ code: 'FG-BLT-M8X30' }));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'DUPLICATE', details: [{ field: 'body.code', message: '已存在' }] });
    expect(await itemCount()).toBe(before);
  });

  it('销售 li.xs 可查看物料但新增 403；采购可新增但不能删除', async () => {
    const li = await as(t, 'li.xs');
    expect((await li('get', '/api/v1/items')).status).toBe(200);
    const before = await itemCount();
    expect((await li('post', '/api/v1/items').send(itemInput())).status).toBe(403);
    expect(await itemCount()).toBe(before);
    const wang = await as(t, 'wang.cg');
    const created = await wang('post', '/api/v1/items').send(itemInput());
    expect(created.status).toBe(201);
    expect((await wang('delete', `/api/v1/items/${created.body.id}`)).status).toBe(403);
  });
});

describe('修改与删除物料', () => {
  it('按版本修改，换算率整体替换，过期版本 409', async () => {
    const item = (await admin('post', '/api/v1/items').send(itemInput())).body;
    const noVersion = await admin('patch', `/api/v1/items/${item.id}`).send({ name: '改名' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.details[0].field).toBe('body.version');

    const ok = await admin('patch', `/api/v1/items/${item.id}`).send({
      version: 1, name: '改名螺母', purchaseUnitId: null, conversions: [{ unitId: unit.BOX, factor: '1500' }],
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: '改名螺母', version: 2, purchaseUnit: null, conversions: [{ unit: { code: 'BOX' }, factor: '1500.000000' }] });
    expect(await t.database.system.unitConversion.count({ where: { itemId: item.id } })).toBe(1);

    const stale = await admin('patch', `/api/v1/items/${item.id}`).send({ version: 1, name: '旧版本' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');

    const dropSales = await admin('patch', `/api/v1/items/${item.id}`).send({ version: 2, conversions: [] });
    expect(dropSales.status).toBe(400);
    expect(dropSales.body.error.details).toEqual([{ field: 'body.salesUnitId', label: '销售单位', message: '销售单位必须是基本单位或换算单位之一' }]);
    const baseClash = await admin('patch', `/api/v1/items/${item.id}`).send({ version: 2, baseUnitId: unit.BOX });
    expect(baseClash.status).toBe(400);
    expect(baseClash.body.error.details[0].field).toBe('body.baseUnitId');
    const dup = await admin('patch', `/api/v1/items/${item.id}`).send({ version: 2, code: 'FG-BLT-M8X30' });
    expect(dup.status).toBe(409);

    const after = (await admin('get', `/api/v1/items/${item.id}`)).body;
    expect(after).toMatchObject({ name: '改名螺母', version: 2, salesUnit: { code: 'BOX' }, conversions: [{ factor: '1500.000000' }] });
    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'item', entityId: item.id, action: 'update' } });
    expect(audit?.before).toMatchObject({ name: '测试螺母 M10' });
    expect(audit?.after).toMatchObject({ name: '改名螺母' });

    const deactivated = await admin('patch', `/api/v1/items/${item.id}`).send({ version: 2, active: false });
    expect(deactivated.body.active).toBe(false);
    expect((await admin('get', '/api/v1/items?active=false')).body.items.map((i: { id: string }) => i.id)).toEqual([item.id]);
  });

  it('删除物料连同换算率，写审计与事件', async () => {
    const item = (await admin('post', '/api/v1/items').send(itemInput())).body;
    expect((await admin('delete', `/api/v1/items/${item.id}`)).status).toBe(204);
    expect((await admin('get', `/api/v1/items/${item.id}`)).status).toBe(404);
    expect(await t.database.system.unitConversion.count({ where: { itemId: item.id } })).toBe(0);
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: item.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['item.created', 'item.deleted']);
  });

  it('损耗率 100% → 400 说明须小于 100%（新建与修改都拒绝）；99% 可以', async () => {
    const full = await admin('post', '/api/v1/items').send(itemInput({ scrapRate: '1' }));
    expect(full.status).toBe(400);
    expect(full.body.error.details).toEqual([{ field: 'body.scrapRate', label: '损耗率', message: '损耗率必须小于 1（100%）' }]);
    const ok = await admin('post', '/api/v1/items').send(itemInput({ scrapRate: '0.99' }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.scrapRate).toBe('0.9900');
    const patched = await admin('patch', `/api/v1/items/${ok.body.id}`).send({ scrapRate: '1.0000', version: ok.body.version });
    expect(patched.status).toBe(400);
    expect(patched.body.error.message).toContain('损耗率必须小于 1（100%）');
    expect((await admin('get', `/api/v1/items/${ok.body.id}`)).body).toMatchObject({ scrapRate: '0.9900', version: ok.body.version });
  });

  it('另一家公司的物料 → 404，对方看不到我们的物料', async () => {
    for (const [method, url] of [['get', ''], ['get', '/units'], ['patch', ''], ['delete', '']] as const) {
      const res = await admin(method, `/api/v1/items/${other.itemId}${url}`).send(method === 'patch' ? { version: 1, name: 'x' } : undefined);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    const theirs = await (await as(t, 'other.admin'))('get', '/api/v1/items');
    expect(theirs.body.items.map((i: { code: string }) => i.code)).toEqual(['X1']);
  });

  it('OpenAPI 文档含物料接口', async () => {
    const doc = await t.http().get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/items/{id}/units', '/api/v1/item-categories/tree', '/api/v1/units']));
  });
});
