// 供应商: CRUD through the real API, with contacts, validation, versions, permissions, tenants, audit and outbox.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let purchaser: AuthedClient;
let sales: AuthedClient;
let accountant: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  purchaser = await as(t, 'wang.cg');
  sales = await as(t, 'li.xs');
  accountant = await as(t, 'qian.kj');
});
afterAll(async () => t?.close());

function supplierInput(overrides: Record<string, unknown> = {}) {
  return {
    code: uniqueCode('SP'),
    name: `测试供应商${crypto.randomBytes(3).toString('hex')}`,
    taxNo: '91330206MA2GQ1X65N',
    category: '原材料',
    paymentTermDays: 45,
    currencyCode: 'CNY',
    phone: '0574-88001234',
    province: '浙江省',
    city: '宁波市',
    address: '浙江省宁波市北仑区测试路8号',
    bankName: '中国工商银行宁波北仑支行',
    bankAccount: '3901140009000123456',
    contacts: [{ name: '陈经理', title: '销售经理', mobile: '13900000001', isPrimary: true }],
    ...overrides,
  };
}

const count = () => t.database.system.supplier.count();
const contactCount = () => t.database.system.contact.count();

describe('供应商增删改查', () => {
  it('采购员新增、查看、修改（联系人整体替换）、删除，每一步都写审计日志和发件箱事件', async () => {
    const created = await purchaser('post', '/api/v1/suppliers').send(supplierInput({ code: 'SP-NEW-1', name: '宁波新材料有限公司', currencyCode: 'usd' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: 'SP-NEW-1', name: '宁波新材料有限公司', category: '原材料', paymentTermDays: 45, currencyCode: 'USD',
      bankAccount: '3901140009000123456', active: true, version: 1,
    });
    expect(created.body.contacts).toEqual([expect.objectContaining({ name: '陈经理', mobile: '13900000001', isPrimary: true, email: null })]);
    const id = created.body.id;

    const got = await purchaser('get', `/api/v1/suppliers/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.taxNo).toBe('91330206MA2GQ1X65N');

    const renamed = await purchaser('patch', `/api/v1/suppliers/${id}`).send({ version: 1, paymentTermDays: 60, remark: '年度框架协议' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ paymentTermDays: 60, remark: '年度框架协议', version: 2 });
    expect(renamed.body.contacts).toHaveLength(1); // contacts left alone when not given

    const contacts = [{ name: '林会计', email: 'lin@example.cn' }, { name: '黄总', mobile: '13700000002', isPrimary: true }];
    const replaced = await purchaser('patch', `/api/v1/suppliers/${id}`).send({ version: 2, contacts });
    expect(replaced.status).toBe(200);
    expect(replaced.body.version).toBe(3);
    expect(replaced.body.contacts.map((k: { name: string }) => k.name)).toEqual(['黄总', '林会计']);
    expect(await t.database.system.contact.count({ where: { supplierId: id } })).toBe(2);

    const deleted = await purchaser('delete', `/api/v1/suppliers/${id}`);
    expect(deleted.status).toBe(204);
    expect((await purchaser('get', `/api/v1/suppliers/${id}`)).status).toBe(404);
    expect(await t.database.system.contact.count({ where: { supplierId: id } })).toBe(0);

    const audit = await t.database.system.auditLog.findMany({ where: { entity: 'supplier', entityId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'delete']);
    expect((audit[1]!.before as { paymentTermDays: number }).paymentTermDays).toBe(45);
    expect((audit[1]!.after as { paymentTermDays: number }).paymentTermDays).toBe(60);
    const events = await t.database.system.outboxEvent.findMany({ where: { aggregateId: id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['supplier.created', 'supplier.updated', 'supplier.updated', 'supplier.deleted']);
  });

  it('列表分页、关键字搜索、筛选和排序', async () => {
    const page1 = await admin('get', '/api/v1/suppliers?page=1&pageSize=5&sort=-code');
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ page: 1, pageSize: 5 });
    expect(page1.body.items).toHaveLength(5);
    expect(page1.body.total).toBeGreaterThanOrEqual(12);
    const codes = page1.body.items.map((s: { code: string }) => s.code);
    expect(codes).toEqual([...codes].sort().reverse());
    const page2 = await admin('get', '/api/v1/suppliers?page=2&pageSize=5&sort=-code');
    expect(page2.body.items[0].code < codes[4]).toBe(true);

    const raw = await admin('get', `/api/v1/suppliers?category=${encodeURIComponent('原材料')}&pageSize=200`);
    expect(raw.body.total).toBeGreaterThanOrEqual(4);
    expect(raw.body.items.every((s: { category: string }) => s.category === '原材料')).toBe(true);

    const js = await admin('get', `/api/v1/suppliers?province=${encodeURIComponent('江苏省')}&sort=name`);
    expect(js.body.items.length).toBeGreaterThanOrEqual(2);
    expect(js.body.items.every((s: { province: string }) => s.province === '江苏省')).toBe(true);

    const byTaxNo = await admin('get', '/api/v1/suppliers?q=91320582MATK27GPQ6');
    expect(byTaxNo.body.items.map((s: { code: string }) => s.code)).toEqual(['S0001']);
    const byCity = await admin('get', `/api/v1/suppliers?q=${encodeURIComponent('马鞍山')}`);
    expect(byCity.body.items.map((s: { code: string }) => s.code)).toContain('S0003');

    const s = (await admin('post', '/api/v1/suppliers').send(supplierInput({ active: false }))).body;
    const inactive = await admin('get', '/api/v1/suppliers?active=false&pageSize=200');
    expect(inactive.body.items.map((x: { id: string }) => x.id)).toContain(s.id);
    expect(inactive.body.items.every((x: { active: boolean }) => !x.active)).toBe(true);
  });

  it('过期的版本号被拒绝（409），不会覆盖他人的修改', async () => {
    const s = (await purchaser('post', '/api/v1/suppliers').send(supplierInput())).body;
    expect((await purchaser('patch', `/api/v1/suppliers/${s.id}`).send({ version: 1, name: '第一次修改' })).status).toBe(200);
    const stale = await purchaser('patch', `/api/v1/suppliers/${s.id}`).send({ version: 1, name: '过期的修改', contacts: [] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const now = (await purchaser('get', `/api/v1/suppliers/${s.id}`)).body;
    expect(now).toMatchObject({ name: '第一次修改', version: 2 });
    expect(now.contacts).toHaveLength(1);
  });

  it('销售员没有供应商权限：新增和查看都是 403，且不写入数据', async () => {
    const before = await count();
    const res = await sales('post', '/api/v1/suppliers').send(supplierInput());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await sales('get', '/api/v1/suppliers')).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('会计可以查看供应商，但不能修改', async () => {
    const list = await accountant('get', '/api/v1/suppliers');
    expect(list.status).toBe(200);
    const one = list.body.items[0];
    expect((await accountant('patch', `/api/v1/suppliers/${one.id}`).send({ version: one.version, name: 'x' })).status).toBe(403);
  });

  it('另一家公司的供应商：看不到，按 ID 查看、修改、删除都是 404', async () => {
    const other = await createSecondCompany(t);
    const theirs = await t.database.system.supplier.create({ data: { companyId: other.companyId, code: 'S0001', name: '另一家的供应商' } });
    expect((await admin('get', `/api/v1/suppliers/${theirs.id}`)).status).toBe(404);
    expect((await admin('patch', `/api/v1/suppliers/${theirs.id}`).send({ version: 1, name: '改别人的' })).status).toBe(404);
    expect((await admin('delete', `/api/v1/suppliers/${theirs.id}`)).status).toBe(404);
    const list = await admin('get', '/api/v1/suppliers?pageSize=200');
    expect(list.body.items.map((s: { id: string }) => s.id)).not.toContain(theirs.id);
    expect((await t.database.system.supplier.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe('另一家的供应商');

    const otherAdmin = await as(t, other.adminUsername);
    const theirList = await otherAdmin('get', '/api/v1/suppliers');
    expect(theirList.body.items.map((s: { id: string }) => s.id)).toEqual([theirs.id]);
  });
});

type Reply = { status: number; body: { error: { details?: { field: string }[] } } };
const ghost = '00000000-0000-4000-8000-000000000000';

describe('供应商接口的错误输入：4xx、指明字段、不写入任何数据', () => {
  const cases: [string, () => Promise<Reply>, string][] = [
    ['缺少编码', () => admin('post', '/api/v1/suppliers').send({ ...supplierInput(), code: undefined }), 'body.code'],
    ['缺少名称', () => admin('post', '/api/v1/suppliers').send({ ...supplierInput(), name: undefined }), 'body.name'],
    ['名称过长', () => admin('post', '/api/v1/suppliers').send(supplierInput({ name: '长'.repeat(101) })), 'body.name'],
    ['名称类型错误', () => admin('post', '/api/v1/suppliers').send(supplierInput({ name: 123 })), 'body.name'],
    ['类别过长', () => admin('post', '/api/v1/suppliers').send(supplierInput({ category: '类'.repeat(51) })), 'body.category'],
    ['账期为负', () => admin('post', '/api/v1/suppliers').send(supplierInput({ paymentTermDays: -1 })), 'body.paymentTermDays'],
    ['账期超过 365 天', () => admin('post', '/api/v1/suppliers').send(supplierInput({ paymentTermDays: 366 })), 'body.paymentTermDays'],
    ['账期带小数', () => admin('post', '/api/v1/suppliers').send(supplierInput({ paymentTermDays: 30.5 })), 'body.paymentTermDays'],
    ['币别不存在', () => admin('post', '/api/v1/suppliers').send(supplierInput({ currencyCode: 'XYZ' })), 'body.currencyCode'],
    ['币别格式错误', () => admin('post', '/api/v1/suppliers').send(supplierInput({ currencyCode: 'RMB1' })), 'body.currencyCode'],
    ['银行账号含字母', () => admin('post', '/api/v1/suppliers').send(supplierInput({ bankAccount: '3901ABC0009000' })), 'body.bankAccount'],
    ['银行账号太短', () => admin('post', '/api/v1/suppliers').send(supplierInput({ bankAccount: '1234567' })), 'body.bankAccount'],
    ['税号格式错误', () => admin('post', '/api/v1/suppliers').send(supplierInput({ taxNo: '12345' })), 'body.taxNo'],
    ['联系人缺少姓名', () => admin('post', '/api/v1/suppliers').send(supplierInput({ contacts: [{ mobile: '13900000009' }] })), 'body.contacts.0.name'],
    ['联系人邮箱错误', () => admin('post', '/api/v1/suppliers').send(supplierInput({ contacts: [{ name: '张三', email: 'not-mail' }] })), 'body.contacts.0.email'],
    ['编码重复', () => admin('post', '/api/v1/suppliers').send(supplierInput({ code: 'S0001' })), 'body.code'],
    ['修改时缺少版本号', () => admin('patch', `/api/v1/suppliers/${ghost}`).send({ name: '无版本' }), 'body.version'],
    ['修改时币别不存在', () => admin('get', '/api/v1/suppliers?pageSize=1').then((r) =>
      admin('patch', `/api/v1/suppliers/${r.body.items[0].id}`).send({ version: r.body.items[0].version, currencyCode: 'ABC' })), 'body.currencyCode'],
    ['启用状态不是布尔值', () => admin('get', '/api/v1/suppliers?active=yes'), 'query.active'],
    ['分页参数为负', () => admin('get', '/api/v1/suppliers?page=-1'), 'query.page'],
    ['每页条数过大', () => admin('get', '/api/v1/suppliers?pageSize=1000'), 'query.pageSize'],
    ['排序字段不存在', () => admin('get', '/api/v1/suppliers?sort=bankAccount'), 'query.sort'],
    ['路径 ID 不是 UUID', () => admin('get', '/api/v1/suppliers/S0001'), 'params.id'],
  ];

  it.each(cases)('%s', async (_name, send, field) => {
    const before = [await count(), await contactCount(), await t.database.system.auditLog.count()];
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.details?.map((d) => d.field)).toContain(field);
    expect([await count(), await contactCount(), await t.database.system.auditLog.count()]).toEqual(before);
  });

  it('修改时币别不存在：供应商本身保持不变', async () => {
    const s = (await admin('get', '/api/v1/suppliers?q=S0002')).body.items[0];
    const res = await admin('patch', `/api/v1/suppliers/${s.id}`).send({ version: s.version, name: '不该生效', currencyCode: 'ABC', contacts: [] });
    expect(res.status).toBe(400);
    expect((await admin('get', `/api/v1/suppliers/${s.id}`)).body).toEqual(s);
  });

  it('不存在的供应商：查看、修改、删除都是 404', async () => {
    expect((await admin('get', `/api/v1/suppliers/${ghost}`)).status).toBe(404);
    expect((await admin('patch', `/api/v1/suppliers/${ghost}`).send({ version: 1, name: 'x' })).status).toBe(404);
    const del = await admin('delete', `/api/v1/suppliers/${ghost}`);
    expect(del.status).toBe(404);
    expect(del.body.error.message).toBe('供应商不存在');
  });
});
