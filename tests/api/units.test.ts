// 计量单位: CRUD, bad input, permissions, versions, refusing to delete a unit items count in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let otherUnitId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  const other = await createSecondCompany(t);
  otherUnitId = (await t.database.system.unit.create({ data: { companyId: other.companyId, code: 'PCS', name: '个', precision: 0 } })).id;
});
afterAll(async () => t?.close());

const unitCount = () => t.database.system.unit.count();
const newUnit = (overrides: Record<string, unknown> = {}) => ({ code: uniqueCode('U').slice(0, 10), name: `单位${uniqueCode('').slice(0, 6)}`, precision: 2, ...overrides });

describe('计量单位列表', () => {
  it('分页、搜索、排序', async () => {
    const page = await admin('get', '/api/v1/units?pageSize=5&sort=-code');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(5);
    expect(page.body.total).toBeGreaterThanOrEqual(11);
    const codes = page.body.items.map((u: { code: string }) => u.code);
    expect(codes).toEqual([...codes].sort().reverse());
    const second = await admin('get', '/api/v1/units?pageSize=5&page=2&sort=-code');
    expect(second.body.items[0].code < codes[4]).toBe(true);

    const search = await admin('get', `/api/v1/units?q=${encodeURIComponent('千克')}`);
    expect(search.body.items).toEqual([expect.objectContaining({ code: 'KG', name: '千克', precision: 3 })]);
  });

  it('按精度排序，详情可读', async () => {
    const list = await admin('get', '/api/v1/units?sort=precision&pageSize=50');
    const precisions = list.body.items.map((u: { precision: number }) => u.precision);
    expect(precisions).toEqual([...precisions].sort((a, b) => a - b));
    const pcs = list.body.items.find((u: { code: string }) => u.code === 'PCS');
    const one = await admin('get', `/api/v1/units/${pcs.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ code: 'PCS', name: '个', precision: 0, version: 1 });
  });

  it('分页参数不合法返回 400', async () => {
    for (const [qs, field] of [['pageSize=0', 'query.pageSize'], ['pageSize=201', 'query.pageSize'], ['page=abc', 'query.page'], ['sort=color', 'query.sort']]) {
      const res = await admin('get', `/api/v1/units?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });
});

describe('新增、修改、删除计量单位', () => {
  it('新增写入审计与事件，仓管员可维护，销售只能查看', async () => {
    const zhao = await as(t, 'zhao.ck');
    const input = newUnit({ precision: 3 });
    const res = await zhao('post', '/api/v1/units').send(input);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...input, version: 1 });
    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'unit', entityId: res.body.id } });
    expect(audit.map((a) => a.action)).toEqual(['create']);
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: res.body.id } });
    expect(events.map((e) => e.type)).toEqual(['unit.created']);

    const li = await as(t, 'li.xs');
    expect((await li('get', '/api/v1/units')).status).toBe(200);
    const before = await unitCount();
    const denied = await li('post', '/api/v1/units').send(newUnit());
    expect(denied.status).toBe(403);
    expect((await li('patch', `/api/v1/units/${res.body.id}`).send({ name: '改', version: 1 })).status).toBe(403);
    expect((await li('delete', `/api/v1/units/${res.body.id}`)).status).toBe(403);
    const wang = await as(t, 'wang.cg');
    expect((await wang('post', '/api/v1/units').send(newUnit())).status).toBe(403);
    expect(await unitCount()).toBe(before);
  });

  it.each([
    ['缺少编码', { code: undefined }, 'body.code'],
    ['编码超过 16 个字符', { code: 'A'.repeat(17) }, 'body.code'],
    ['编码含空格', { code: 'A B' }, 'body.code'],
    ['缺少名称', { name: undefined }, 'body.name'],
    ['名称超过 20 个字符', { name: '单'.repeat(21) }, 'body.name'],
    ['精度为负', { precision: -1 }, 'body.precision'],
    ['精度大于 6', { precision: 7 }, 'body.precision'],
    ['精度不是整数', { precision: 1.5 }, 'body.precision'],
    ['精度是文本', { precision: 'two' }, 'body.precision'],
  ])('%s → 400 且不入库', async (_label, patch, field) => {
    const before = await unitCount();
    const res = await admin('post', '/api/v1/units').send(newUnit(patch));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field }));
    expect(await unitCount()).toBe(before);
  });

  it('编码或名称重复 → 409 并指出字段', async () => {
    const before = await unitCount();
    const dupCode = await admin('post', '/api/v1/units').send(newUnit({ code: 'PCS' }));
    expect(dupCode.status).toBe(409);
    expect(dupCode.body.error).toMatchObject({ code: 'DUPLICATE', details: [{ field: 'body.code', message: '已存在' }] });
    const dupName = await admin('post', '/api/v1/units').send(newUnit({ name: '个' }));
    expect(dupName.status).toBe(409);
    expect(dupName.body.error.details[0].field).toBe('body.name');
    expect(await unitCount()).toBe(before);
  });

  it('修改需提交 version，过期版本 409，改成重复名称 409', async () => {
    const created = (await admin('post', '/api/v1/units').send(newUnit())).body;
    const noVersion = await admin('patch', `/api/v1/units/${created.id}`).send({ name: '新名称' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.details[0].field).toBe('body.version');

    const ok = await admin('patch', `/api/v1/units/${created.id}`).send({ precision: 6, version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ precision: 6, version: 2, code: created.code });

    const stale = await admin('patch', `/api/v1/units/${created.id}`).send({ precision: 1, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');

    const dup = await admin('patch', `/api/v1/units/${created.id}`).send({ name: '箱', version: 2 });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details[0].field).toBe('body.name');
    expect((await admin('get', `/api/v1/units/${created.id}`)).body).toMatchObject({ precision: 6, version: 2 });

    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'unit', entityId: created.id, action: 'update' } });
    expect(audit?.before).toMatchObject({ precision: 2 });
    expect(audit?.after).toMatchObject({ precision: 6 });
  });

  it('删除物料正在使用的单位「个」→ 409，消息写明物料数', async () => {
    const company = await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    const pcs = await t.database.system.unit.findFirstOrThrow({ where: { code: 'PCS', companyId: company.id } });
    const used = await t.database.system.item.count({
      where: { OR: [{ baseUnitId: pcs.id }, { purchaseUnitId: pcs.id }, { salesUnitId: pcs.id }, { conversions: { some: { unitId: pcs.id } } }] },
    });
    expect(used).toBeGreaterThan(10);
    const res = await admin('delete', `/api/v1/units/${pcs.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'IN_USE', message: `计量单位「个」正被 ${used} 个物料使用，不能删除` });
    expect(await t.database.system.unit.findUnique({ where: { id: pcs.id } })).not.toBeNull();
  });

  it('只在换算率中使用的单位也不能删除；未使用的可删除并留痕', async () => {
    const unit = (await admin('post', '/api/v1/units').send(newUnit({ name: '托' }))).body;
    const pcs = (await admin('get', '/api/v1/units?q=PCS')).body.items[0];
    const item = await admin('post', '/api/v1/items').send({
      code: uniqueCode('IT'), name: '测试托装件', kind: 'purchased', baseUnitId: pcs.id, conversions: [{ unitId: unit.id, factor: '5000' }],
    });
    expect(item.status).toBe(201);
    const refused = await admin('delete', `/api/v1/units/${unit.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('计量单位「托」正被 1 个物料使用，不能删除');

    expect((await admin('delete', `/api/v1/items/${item.body.id}`)).status).toBe(204);
    const ok = await admin('delete', `/api/v1/units/${unit.id}`);
    expect(ok.status).toBe(204);
    expect((await admin('get', `/api/v1/units/${unit.id}`)).status).toBe(404);
    const audit = await t.database.system.auditLog.findFirst({ where: { entity: 'unit', entityId: unit.id, action: 'delete' } });
    expect(audit?.before).toMatchObject({ code: unit.code });
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: unit.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['unit.created', 'unit.deleted']);
  });
});

describe('多公司隔离', () => {
  it('另一家公司的单位 → 404，对方也看不到我们的单位', async () => {
    expect((await admin('get', `/api/v1/units/${otherUnitId}`)).status).toBe(404);
    expect((await admin('patch', `/api/v1/units/${otherUnitId}`).send({ name: 'x', version: 1 })).status).toBe(404);
    expect((await admin('delete', `/api/v1/units/${otherUnitId}`)).status).toBe(404);
    expect((await admin('get', '/api/v1/units/not-a-uuid')).status).toBe(400);

    const other = await as(t, 'other.admin');
    const theirs = await other('get', '/api/v1/units');
    expect(theirs.body.items.map((u: { id: string }) => u.id)).toEqual([otherUnitId]);
    // the same code is free in another company
    expect((await other('post', '/api/v1/units').send({ code: 'BOX', name: '箱', precision: 0 })).status).toBe(201);
  });
});
