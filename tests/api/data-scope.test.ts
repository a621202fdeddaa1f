// 数据范围: the foundation's key acceptance test. A salesperson (本人) sees only their own customers,
// the sales manager (本部门及下级) sees the whole sales department's, the admin (全部) sees all; and a
// change to a user's roles or a role's scope takes effect on the very next request, without re-login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers as demoCustomers } from '../../prisma/seed-data/customers.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, customerInput, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let li: AuthedClient;
let zhang: AuthedClient;
const ids: Record<string, string> = {};

const ownedBy = (...usernames: string[]) => demoCustomers.filter((c) => usernames.includes(c.ownerUsername)).length;
const userId = async (username: string) => (await t.database.system.user.findFirstOrThrow({ where: { username } })).id;

interface CustomerItem { id: string; code: string; owner: { id: string; name: string } | null }
async function allCustomers(client: AuthedClient): Promise<{ total: number; items: CustomerItem[] }> {
  const res = await client('get', '/api/v1/customers?pageSize=200');
  expect(res.status).toBe(200);
  return res.body as { total: number; items: CustomerItem[] };
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, li, zhang] = await Promise.all([as(t, 'admin'), as(t, 'li.xs'), as(t, 'zhang.jl')]);
  for (const u of ['li.xs', 'wu.xs', 'liu.xs', 'zhang.jl', 'wang.cg']) ids[u] = await userId(u);
});
afterAll(async () => t?.close());

describe('数据范围：演示数据', () => {
  it('演示数据的前提：李销售、吴销售、刘销售、张经理各自负责若干客户，共 36 个', () => {
    expect(demoCustomers).toHaveLength(36);
    for (const u of ['li.xs', 'wu.xs', 'liu.xs', 'zhang.jl']) expect(ownedBy(u)).toBeGreaterThan(0);
  });

  it('李销售（本人）只看到自己负责的客户', async () => {
    const page = await allCustomers(li);
    expect(page.total).toBe(ownedBy('li.xs'));
    expect(page.items).toHaveLength(ownedBy('li.xs'));
    for (const c of page.items) expect(c.owner?.id).toBe(ids['li.xs']);
  });

  it('张经理（本部门及下级：销售部、华东销售组、华南销售组）看到李、吴、刘和自己的客户', async () => {
    const page = await allCustomers(zhang);
    const team = ['li.xs', 'wu.xs', 'liu.xs', 'zhang.jl'].map((u) => ids[u]);
    expect(page.total).toBe(ownedBy('li.xs', 'wu.xs', 'liu.xs', 'zhang.jl'));
    for (const c of page.items) expect(team).toContain(c.owner?.id);
    const owners = new Set(page.items.map((c) => c.owner?.id));
    expect(owners).toEqual(new Set(team));
  });

  it('系统管理员（全部）看到全部 36 个客户', async () => {
    const page = await allCustomers(admin);
    expect(page.total).toBe(36);
  });

  it('李销售打开刘销售的客户 → 404（不泄露存在与否）', async () => {
    const liuCustomer = demoCustomers.find((c) => c.ownerUsername === 'liu.xs')!;
    const row = await t.database.system.customer.findFirstOrThrow({ where: { code: liuCustomer.code, ownerId: ids['liu.xs'] } });
    const res = await li('get', `/api/v1/customers/${row.id}`);
    expect(res.status).toBe(404);
    expect((await li('patch', `/api/v1/customers/${row.id}`).send({ name: '改名', version: row.version })).status).toBe(404);
    const after = await t.database.system.customer.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.name).toBe(row.name);
  });

  it('李销售新建客户并指定刘销售为负责人 → 403，且未写入', async () => {
    const before = await t.database.system.customer.count();
    const res = await li('post', '/api/v1/customers').send(customerInput({ ownerId: ids['liu.xs'] }));
    expect(res.status).toBe(403);
    expect(await t.database.system.customer.count()).toBe(before);
  });

  it('李销售没有 customer:delete，删自己的客户 → 403；张经理可以删除', async () => {
    const created = await li('post', '/api/v1/customers').send(customerInput());
    expect(created.status).toBe(201);
    expect(created.body.owner.id).toBe(ids['li.xs']);
    const denied = await li('delete', `/api/v1/customers/${created.body.id}`);
    expect(denied.status).toBe(403);
    expect(await t.database.system.customer.count({ where: { id: created.body.id } })).toBe(1);
    expect((await zhang('delete', `/api/v1/customers/${created.body.id}`)).status).toBe(204);
    expect(await t.database.system.customer.count({ where: { id: created.body.id } })).toBe(0);
  });

  it('部门以外（采购部王采购）负责的客户，张经理看不到，管理员看得到', async () => {
    const res = await admin('post', '/api/v1/customers').send(customerInput({ ownerId: ids['wang.cg'] }));
    expect(res.status).toBe(201);
    const mine = await allCustomers(zhang);
    expect(mine.items.map((c) => c.id)).not.toContain(res.body.id);
    expect((await zhang('get', `/api/v1/customers/${res.body.id}`)).status).toBe(404);
    expect((await allCustomers(admin)).total).toBe(37);
    expect((await admin('delete', `/api/v1/customers/${res.body.id}`)).status).toBe(204);
  });
});

describe('数据范围：角色变更立即生效（无需重新登录）', () => {
  let roleId: string;

  it('通过用户接口把李销售的角色换成「全部」范围的角色，下一次请求即看到全部客户', async () => {
    const role = await admin('post', '/api/v1/roles').send({
      code: 'sales_all', name: '大客户销售', dataScope: 'all', permissions: ['customer:read', 'customer:create', 'customer:update'],
    });
    expect(role.status).toBe(201);
    roleId = role.body.id;
    const user = await admin('get', `/api/v1/users/${ids['li.xs']}`);
    const patched = await admin('patch', `/api/v1/users/${ids['li.xs']}`).send({ roleIds: [roleId], version: user.body.version });
    expect(patched.status).toBe(200);
    expect(patched.body.roles).toEqual([{ id: roleId, code: 'sales_all', name: '大客户销售' }]);

    const page = await allCustomers(li); // same token as before
    expect(page.total).toBe(36);
    expect(new Set(page.items.map((c) => c.owner?.id)).size).toBe(4);
  });

  it('通过角色接口把范围改回「本人」，下一次请求又只看到自己的客户', async () => {
    const role = await admin('get', `/api/v1/roles/${roleId}`);
    const res = await admin('patch', `/api/v1/roles/${roleId}`).send({ dataScope: 'own', version: role.body.version });
    expect(res.status).toBe(200);
    expect(res.body.dataScopeLabel).toBe('本人');
    const page = await allCustomers(li);
    expect(page.total).toBe(ownedBy('li.xs'));
    for (const c of page.items) expect(c.owner?.id).toBe(ids['li.xs']);
  });

  it('从角色中去掉 customer:read，下一次请求即被拒绝（403）', async () => {
    const role = await admin('get', `/api/v1/roles/${roleId}`);
    const res = await admin('patch', `/api/v1/roles/${roleId}`).send({ permissions: ['item:read'], version: role.body.version });
    expect(res.status).toBe(200);
    expect((await li('get', '/api/v1/customers')).status).toBe(403);
  });
});
