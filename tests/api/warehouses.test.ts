// 仓库: CRUD through the real API, with the manager reference, validation, versions, permissions, tenants, audit and outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let keeper: AuthedClient;
let sales: AuthedClient;
let zhao: { id: string; name: string };
let wang: { id: string; name: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  keeper = await as(t, 'zhao.ck');
  sales = await as(t, 'li.xs');
  zhao = await t.database.system.user.findFirstOrThrow({ where: { username: 'zhao.ck' }, select: { id: true, name: true } });
  wang = await t.database.system.user.findFirstOrThrow({ where: { username: 'wang.cg' }, select: { id: true, name: true } });
});
afterAll(async () => t?.close());

const warehouseInput = (overrides: Record<string, unknown> = {}) => ({
  code: uniqueCode('WH'),
  name: '半成品仓',
  address: '浙江省宁波市鄞州区姜山镇科技园区明州西路577号2号库',
  ...overrides,
});
const count = () => t.database.system.warehouse.count();

describe('仓库增删改查', () => {
  it('仓管员新增、查看、修改、删除，负责人带出姓名，每一步都写审计日志和发件箱事件', async () => {
    const created = await keeper('post', '/api/v1/warehouses').send(warehouseInput({ code: 'WH-NEW-1', name: '外协仓', managerId: zhao.id }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'WH-NEW-1', name: '外协仓', active: true, version: 1, manager: { id: zhao.id, name: '赵仓管' } });
    const id = created.body.id;

    const got = await keeper('get', `/api/v1/warehouses/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.address).toContain('2号库');

    const moved = await keeper('patch', `/api/v1/warehouses/${id}`).send({ version: 1, managerId: wang.id, name: '外协周转仓' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ name: '外协周转仓', version: 2, manager: { id: wang.id, name: wang.name } });

    const cleared = await keeper('patch', `/api/v1/warehouses/${id}`).send({ version: 2, managerId: null, active: false });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ manager: null, active: false, version: 3 });

    expect((await keeper('delete', `/api/v1/warehouses/${id}`)).status).toBe(204);
    expect((await keeper('get', `/api/v1/warehouses/${id}`)).status).toBe(404);

    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'warehouse', entityId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'delete']);
    expect((audit[1]!.before as { managerId: string }).managerId).toBe(zhao.id);
    expect((audit[1]!.after as { managerId: string }).managerId).toBe(wang.id);
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['warehouse.created', 'warehouse.updated', 'warehouse.updated', 'warehouse.deleted']);
  });

  it('列表分页、关键字搜索、筛选和排序', async () => {
    for (const [code, name] of [['WH03', '半成品仓'], ['WH04', '不良品仓'], ['WH05', '包材仓']]) {
      expect((await admin('post', '/api/v1/warehouses').send(warehouseInput({ code, name, managerId: code === 'WH05' ? wang.id : null }))).status).toBe(201);
    }
    const page1 = await admin('get', '/api/v1/warehouses?page=1&pageSize=2&sort=-code');
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(page1.body.items.map((w: { code: string }) => w.code)).toEqual(['WH05', 'WH04']);
    const page3 = await admin('get', '/api/v1/warehouses?page=3&pageSize=2&sort=-code');
    expect(page3.body.items.map((w: { code: string }) => w.code)).toEqual(['WH01']);

    const seeded = await admin('get', '/api/v1/warehouses?q=WH01');
    expect(seeded.body.items).toEqual([expect.objectContaining({ code: 'WH01', name: '原材料仓', manager: { id: zhao.id, name: '赵仓管' } })]);
    const byName = await admin('get', `/api/v1/warehouses?q=${encodeURIComponent('不良')}`);
    expect(byName.body.items.map((w: { code: string }) => w.code)).toEqual(['WH04']);

    const mine = await admin('get', `/api/v1/warehouses?managerId=${zhao.id}&sort=code`);
    expect(mine.body.items.map((w: { code: string }) => w.code)).toEqual(['WH01', 'WH02']);
    const wangs = await admin('get', `/api/v1/warehouses?managerId=${wang.id}`);
    expect(wangs.body.items).toEqual([expect.objectContaining({ code: 'WH05', manager: { id: wang.id, name: '王采购' } })]);
    expect((await admin('get', '/api/v1/warehouses?active=false')).body.total).toBe(0);
  });

  it('过期的版本号被拒绝（409），不会覆盖他人的修改', async () => {
    const w = (await keeper('post', '/api/v1/warehouses').send(warehouseInput())).body;
    expect((await keeper('patch', `/api/v1/warehouses/${w.id}`).send({ version: 1, name: '第一次修改' })).status).toBe(200);
    const stale = await keeper('patch', `/api/v1/warehouses/${w.id}`).send({ version: 1, name: '过期的修改' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect((await keeper('get', `/api/v1/warehouses/${w.id}`)).body).toMatchObject({ name: '第一次修改', version: 2 });
  });

  it('销售员可以查看仓库，但新增、修改、删除都是 403', async () => {
    const before = await count();
    const list = await sales('get', '/api/v1/warehouses');
    expect(list.status).toBe(200);
    const wh = list.body.items[0];
    expect((await sales('post', '/api/v1/warehouses').send(warehouseInput())).status).toBe(403);
    expect((await sales('patch', `/api/v1/warehouses/${wh.id}`).send({ version: wh.version, name: 'x' })).status).toBe(403);
    expect((await sales('delete', `/api/v1/warehouses/${wh.id}`)).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('另一家公司的仓库按 ID 是 404；另一家公司的用户不能当负责人', async () => {
    const other = await createSecondCompany(t);
    const theirs = await t.database.system.warehouse.create({ data: { companyId: other.companyId, code: 'WH01', name: '另一家的仓库' } });
    expect((await admin('get', `/api/v1/warehouses/${theirs.id}`)).status).toBe(404);
    expect((await admin('patch', `/api/v1/warehouses/${theirs.id}`).send({ version: 1, name: '改别人的' })).status).toBe(404);
    expect((await admin('delete', `/api/v1/warehouses/${theirs.id}`)).status).toBe(404);
    expect((await t.database.system.warehouse.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe('另一家的仓库');

    const theirUser = await t.database.system.user.findFirstOrThrow({ where: { companyId: other.companyId, username: other.adminUsername } });
    const before = await count();
    const res = await admin('post', '/api/v1/warehouses').send(warehouseInput({ managerId: theirUser.id }));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'body.managerId', label: '主管', message: '用户不存在' }]);
    expect(await count()).toBe(before);
  });
});

type Reply = { status: number; body: { error: { details?: { field: string }[] } } };
const ghost = '00000000-0000-4000-8000-000000000000';

describe('仓库接口的错误输入：4xx、指明字段、不写入任何数据', () => {
  const cases: [string, () => Promise<Reply>, string][] = [
    ['缺少编码', () => admin('post', '/api/v1/warehouses').send({ name: '无编码仓' }), 'body.code'],
    ['缺少名称', () => admin('post', '/api/v1/warehouses').send({ code: uniqueCode('WH') }), 'body.name'],
    ['名称过长', () => admin('post', '/api/v1/warehouses').send(warehouseInput({ name: '仓'.repeat(51) })), 'body.name'],
    ['编码过长', () => admin('post', '/api/v1/warehouses').send(warehouseInput({ code: 'W'.repeat(33) })), 'body.code'],
    ['地址过长', () => admin('post', '/api/v1/warehouses').send(warehouseInput({ address: '址'.repeat(201) })), 'body.address'],
    ['启用状态类型错误', () => admin('post', '/api/v1/warehouses').send(warehouseInput({ active: 'yes' })), 'body.active'],
    ['负责人不存在', () => admin('post', '/api/v1/warehouses').send(warehouseInput({ managerId: ghost })), 'body.managerId'],
    ['负责人 ID 不是 UUID', () => admin('post', '/api/v1/warehouses').send(warehouseInput({ managerId: 'zhao.ck' })), 'body.managerId'],
    ['编码重复', () => admin('post', '/api/v1/warehouses').send(warehouseInput({ code: 'WH01' })), 'body.code'],
    ['修改时缺少版本号', () => admin('patch', `/api/v1/warehouses/${ghost}`).send({ name: '无版本' }), 'body.version'],
    ['版本号不是整数', () => admin('patch', `/api/v1/warehouses/${ghost}`).send({ version: '1', name: 'x' }), 'body.version'],
    ['修改时负责人不存在', () => admin('get', '/api/v1/warehouses?q=WH02').then((r) =>
      admin('patch', `/api/v1/warehouses/${r.body.items[0].id}`).send({ version: r.body.items[0].version, managerId: ghost, name: '不该生效' })), 'body.managerId'],
    ['按负责人筛选不是 UUID', () => admin('get', '/api/v1/warehouses?managerId=abc'), 'query.managerId'],
    ['页码为 0', () => admin('get', '/api/v1/warehouses?page=0'), 'query.page'],
    ['排序字段不存在', () => admin('get', '/api/v1/warehouses?sort=address'), 'query.sort'],
    ['路径 ID 不是 UUID', () => admin('delete', '/api/v1/warehouses/WH01'), 'params.id'],
  ];

  it.each(cases)('%s', async (_name, send, field) => {
    const before = [await count(), await t.database.system.auditLog.count()];
    const wh02 = await t.database.system.warehouse.findFirstOrThrow({ where: { code: 'WH02' } });
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.details?.map((d) => d.field)).toContain(field);
    expect([await count(), await t.database.system.auditLog.count()]).toEqual(before);
    expect(await t.database.system.warehouse.findUniqueOrThrow({ where: { id: wh02.id } })).toEqual(wh02);
  });

  it('不存在的仓库：查看、修改、删除都是 404', async () => {
    expect((await admin('get', `/api/v1/warehouses/${ghost}`)).status).toBe(404);
    expect((await admin('patch', `/api/v1/warehouses/${ghost}`).send({ version: 1, name: 'x' })).status).toBe(404);
    expect((await admin('delete', `/api/v1/warehouses/${ghost}`)).status).toBe(404);
  });
});
