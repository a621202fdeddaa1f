// 客户: CRUD through the real API, with validation, versions, permissions, audit and outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, customerInput, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let sales: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  sales = await as(t, 'li.xs');
});
afterAll(async () => t?.close());

const count = () => t.database.system.customer.count();

describe('客户增删改查', () => {
  it('新增、查看、修改、删除，每一步都写审计日志和发件箱事件', async () => {
    const created = await sales('post', '/api/v1/customers').send(customerInput({ code: 'CT-NEW-1', name: '宁波新客户机械有限公司' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'CT-NEW-1', creditLimit: '100000.00', latitude: '29.820000', version: 1 });
    expect(created.body.owner.name).toBe('李销售');
    // Times are shown in Beijing time.
    expect(created.body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
    expect(Math.abs(new Date(created.body.createdAt).getTime() - Date.now())).toBeLessThan(60_000);
    expect(created.body.contacts).toHaveLength(1);
    const id = created.body.id;

    const got = await sales('get', `/api/v1/customers/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.name).toBe('宁波新客户机械有限公司');

    const updated = await sales('patch', `/api/v1/customers/${id}`).send({ version: 1, creditLimit: '200000', level: 'A', contacts: [] });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ creditLimit: '200000.00', level: 'A', version: 2, contacts: [] });

    const deleted = await admin('delete', `/api/v1/customers/${id}`);
    expect(deleted.status).toBe(204);
    expect((await admin('get', `/api/v1/customers/${id}`)).status).toBe(404);

    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'customer', entityId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
    expect((audit[1]!.before as { creditLimit: string }).creditLimit).toBe('100000');
    expect((audit[1]!.after as { creditLimit: string }).creditLimit).toBe('200000');
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.updated', 'customer.deleted']);
  });

  it('列表分页、关键字搜索、筛选和排序', async () => {
    const page1 = await admin('get', '/api/v1/customers?page=1&pageSize=10&sort=-code');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(10);
    expect(page1.body.total).toBeGreaterThanOrEqual(36);
    const codes = page1.body.items.map((c: { code: string }) => c.code);
    expect(codes).toEqual([...codes].sort().reverse());
    const page2 = await admin('get', '/api/v1/customers?page=2&pageSize=10&sort=-code');
    expect(page2.body.items[0].code < codes[9]).toBe(true);

    const gd = await admin('get', `/api/v1/customers?province=${encodeURIComponent('广东省')}&pageSize=200`);
    expect(gd.body.total).toBeGreaterThanOrEqual(10);
    expect(gd.body.items.every((c: { province: string }) => c.province === '广东省')).toBe(true);

    const one = page1.body.items[0];
    const found = await admin('get', `/api/v1/customers?q=${encodeURIComponent(one.name.slice(0, 6))}`);
    expect(found.body.items.map((c: { id: string }) => c.id)).toContain(one.id);
  });

  it('过期的版本号被拒绝（409），不会覆盖他人的修改', async () => {
    const c = (await admin('post', '/api/v1/customers').send(customerInput())).body;
    expect((await admin('patch', `/api/v1/customers/${c.id}`).send({ version: 1, name: '第一次修改' })).status).toBe(200);
    const stale = await admin('patch', `/api/v1/customers/${c.id}`).send({ version: 1, name: '过期的修改' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect((await admin('get', `/api/v1/customers/${c.id}`)).body.name).toBe('第一次修改');
  });

  it('两人同时修改同一客户：恰好一人成功', async () => {
    const c = (await admin('post', '/api/v1/customers').send(customerInput())).body;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => admin('patch', `/api/v1/customers/${c.id}`).send({ version: 1, remark: `并发修改 ${i}` })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it('没有 customer:delete 权限的销售员删除客户得到 403', async () => {
    const mine = (await sales('post', '/api/v1/customers').send(customerInput())).body;
    const res = await sales('delete', `/api/v1/customers/${mine.id}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await sales('get', `/api/v1/customers/${mine.id}`)).status).toBe(200);
  });

  it('有销售订单的客户不能删除：409 说明被销售订单引用，客户仍在', async () => {
    const c = (await admin('post', '/api/v1/customers').send(customerInput())).body;
    const item = await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } });
    const order = await admin('post', '/api/v1/sales-orders').send({ customerId: c.id, lines: [{ itemId: item.id, quantity: '1' }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const res = await admin('delete', `/api/v1/customers/${c.id}`);
    expect([res.status, res.body.error?.code, res.body.error?.message]).toEqual([409, 'IN_USE', '该记录正被销售订单引用，不能删除']);
    expect((await admin('get', `/api/v1/customers/${c.id}`)).status).toBe(200);
  });
});

describe('客户接口的错误输入：4xx、指明字段、不写入任何数据', () => {
  const cases: [string, () => Promise<{ status: number; body: { error: { details?: { field: string }[] } } }>, string][] = [
    ['缺少编码', () => admin('post', '/api/v1/customers').send({ ...customerInput(), code: undefined }), 'body.code'],
    ['缺少名称', () => admin('post', '/api/v1/customers').send({ ...customerInput(), name: undefined }), 'body.name'],
    ['名称过长', () => admin('post', '/api/v1/customers').send(customerInput({ name: '长'.repeat(101) })), 'body.name'],
    ['编码含非法字符', () => admin('post', '/api/v1/customers').send(customerInput({ code: '客户 01' })), 'body.code'],
    ['信用额度为负', () => admin('post', '/api/v1/customers').send(customerInput({ creditLimit: '-1' })), 'body.creditLimit'],
    ['信用额度三位小数', () => admin('post', '/api/v1/customers').send(customerInput({ creditLimit: '1.005' })), 'body.creditLimit'],
    ['信用额度不是数字', () => admin('post', '/api/v1/customers').send(customerInput({ creditLimit: 'abc' })), 'body.creditLimit'],
    ['账期类型错误', () => admin('post', '/api/v1/customers').send(customerInput({ paymentTermDays: '三十' })), 'body.paymentTermDays'],
    ['账期为负', () => admin('post', '/api/v1/customers').send(customerInput({ paymentTermDays: -5 })), 'body.paymentTermDays'],
    ['等级不存在', () => admin('post', '/api/v1/customers').send(customerInput({ level: 'S' })), 'body.level'],
    ['税号格式错误', () => admin('post', '/api/v1/customers').send(customerInput({ taxNo: '12345' })), 'body.taxNo'],
    ['纬度超出范围', () => admin('post', '/api/v1/customers').send(customerInput({ latitude: '95.1' })), 'body.latitude'],
    ['只填经度不填纬度', () => admin('post', '/api/v1/customers').send(customerInput({ latitude: null })), 'body.longitude'],
    ['联系人手机号错误', () => admin('post', '/api/v1/customers').send(customerInput({ contacts: [{ name: '张三', mobile: '123' }] })), 'body.contacts.0.mobile'],
    ['负责人 ID 不存在', () => admin('post', '/api/v1/customers').send(customerInput({ ownerId: '00000000-0000-4000-8000-000000000000' })), 'body.ownerId'],
    ['负责人 ID 不是 UUID', () => admin('post', '/api/v1/customers').send(customerInput({ ownerId: 'li.xs' })), 'body.ownerId'],
    ['币别不存在', () => admin('post', '/api/v1/customers').send(customerInput({ currencyCode: 'XYZ' })), 'body.currencyCode'],
    ['编码重复', () => admin('post', '/api/v1/customers').send(customerInput({ code: 'C0001' })), 'body.code'],
    ['修改时缺少版本号', () => admin('patch', '/api/v1/customers/00000000-0000-4000-8000-000000000000').send({ name: '无版本' }), 'body.version'],
    ['分页参数不是数字', () => admin('get', '/api/v1/customers?page=abc'), 'query.page'],
    ['每页条数过大', () => admin('get', '/api/v1/customers?pageSize=1000'), 'query.pageSize'],
    ['排序字段不存在', () => admin('get', '/api/v1/customers?sort=password'), 'query.sort'],
    ['路径 ID 不是 UUID', () => admin('get', '/api/v1/customers/123'), 'params.id'],
  ];

  it.each(cases)('%s', async (_name, send, field) => {
    const before = await count();
    const audits = await t.database.system.auditLog.count();
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.details?.map((d) => d.field)).toContain(field);
    expect(await count()).toBe(before);
    expect(await t.database.system.auditLog.count()).toBe(audits);
  });

  it('不存在的客户：查看、修改、删除都是 404', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect((await admin('get', `/api/v1/customers/${ghost}`)).status).toBe(404);
    expect((await admin('patch', `/api/v1/customers/${ghost}`).send({ version: 1, name: 'x' })).status).toBe(404);
    expect((await admin('delete', `/api/v1/customers/${ghost}`)).status).toBe(404);
  });

  it('非法 JSON 请求体返回 400', async () => {
    const res = await admin('post', '/api/v1/customers').set('Content-Type', 'application/json').send('{"code": ');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body');
  });
});
