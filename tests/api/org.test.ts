// 组织与权限：部门（树）、用户、角色、平台身份绑定 — CRUD, bad input, permissions, versions, cycles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, loginAs, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let li: AuthedClient;
const id: Record<string, string> = {};
const sys = () => t.database.system;

async function counts() {
  const s = sys();
  return { users: await s.user.count(), departments: await s.department.count(), roles: await s.role.count(), identities: await s.platformIdentity.count(), userRoles: await s.userRole.count() };
}
const userInput = (o: Record<string, unknown> = {}) => ({
  username: `u.${uniqueCode('').toLowerCase()}`, name: '新同事', employeeNo: uniqueCode('E'), mobile: '13912345678',
  email: 'new@yunqiao-demo.cn', departmentId: id.D03, managerId: id['zhang.jl'], roleIds: [id.sales], password: 'Start2026', ...o,
});

async function signedIn(username: string): Promise<AuthedClient> {
  const token = await loginAs(t, username, { password: 'Start2026' });
  return (method, url) => t.http()[method](url).set('Authorization', `Bearer ${token}`);
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, li] = await Promise.all([as(t, 'admin'), as(t, 'li.xs')]);
  for (const d of await sys().department.findMany()) id[d.code] = d.id;
  for (const r of await sys().role.findMany()) id[r.code] = r.id;
  for (const u of await sys().user.findMany()) id[u.username] = u.id;
});
afterAll(async () => t?.close());

describe('部门', () => {
  it('平铺列表：分页、搜索、按上级筛选、排序', async () => {
    const all = await admin('get', '/api/v1/departments?pageSize=5&page=2&sort=code');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 14, page: 2, pageSize: 5 });
    expect(all.body.items.map((d: { code: string }) => d.code)).toEqual(['D05', 'D06', 'D07', 'D08', 'D09']);
    const sales = await admin('get', `/api/v1/departments?parentId=${id.D02}&sort=-name`);
    expect(sales.body.items.map((d: { name: string }) => d.name).sort()).toEqual(['华东销售组', '华南销售组']);
    expect(sales.body.items[0].parent).toEqual({ id: id.D02, name: '销售部' });
    const q = await admin('get', '/api/v1/departments?q=车间');
    expect(q.body.total).toBe(2);
  });

  it('部门树：嵌套，按 sort 排序，带人数', async () => {
    const res = await admin('get', '/api/v1/departments/tree');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const root = res.body.items[0];
    expect(root.name).toBe('浙江云桥五金配件有限公司');
    expect(root.children.map((c: { code: string }) => c.code)).toEqual(['D01', 'D02', 'D05', 'D06', 'D07', 'D10', 'D11', 'D12', 'D13']);
    const sales = root.children[1];
    expect(sales.children.map((c: { name: string; userCount: number }) => [c.name, c.userCount])).toEqual([['华东销售组', 2], ['华南销售组', 1]]);
  });

  it('新增、修改、移动、删除；写审计与发件箱；旧版本 409', async () => {
    const created = await admin('post', '/api/v1/departments').send({ code: 'D20', name: '外贸部', parentId: id.D02 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'D20', sort: 0, parent: { id: id.D02 }, childCount: 0, userCount: 0, version: 1 });
    const d = created.body.id;
    const moved = await admin('patch', `/api/v1/departments/${d}`).send({ parentId: id.D00, name: '国际贸易部', version: 1 });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ name: '国际贸易部', parentId: id.D00, version: 2 });
    const stale = await admin('patch', `/api/v1/departments/${d}`).send({ name: '旧的', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect((await admin('delete', `/api/v1/departments/${d}`)).status).toBe(204);
    const audit = await sys().auditLog.findMany({ where: { entity: 'department', entityId: d }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
    expect(audit[1]!.before).toMatchObject({ name: '外贸部' });
    expect(audit[1]!.after).toMatchObject({ name: '国际贸易部' });
    const events = await sys().outboxEvent.findMany({ where: { aggregateId: d }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['department.created', 'department.updated', 'department.deleted']);
  });

  it('不能移到自己或自己的下级之下（400 body.parentId），数据不变', async () => {
    const sales = await admin('get', `/api/v1/departments/${id.D02}`);
    for (const parentId of [id.D02, id.D03]) {
      const res = await admin('patch', `/api/v1/departments/${id.D02}`).send({ parentId, version: sales.body.version });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('body.parentId');
    }
    const deep = await admin('post', '/api/v1/departments').send({ code: 'D21', name: '华东一组', parentId: id.D03 });
    const res = await admin('patch', `/api/v1/departments/${id.D02}`).send({ parentId: deep.body.id, version: sales.body.version });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('下级');
    expect((await sys().department.findUniqueOrThrow({ where: { id: id.D02 } })).parentId).toBe(id.D00);
    expect((await admin('delete', `/api/v1/departments/${deep.body.id}`)).status).toBe(204);
  });

  it('有下级部门或用户时不能删除，提示数量', async () => {
    const res = await admin('delete', `/api/v1/departments/${id.D02}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('部门「销售部」下还有 2 个下级部门、1 个用户，不能删除');
    const leaf = await admin('delete', `/api/v1/departments/${id.D04}`);
    expect(leaf.body.error.message).toBe('部门「华南销售组」下还有 1 个用户，不能删除');
  });
});

describe('用户', () => {
  it('列表：搜索、按部门/角色/状态筛选、排序；不含密码哈希', async () => {
    const res = await admin('get', `/api/v1/users?roleId=${id.sales}&sort=-employeeNo`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { username: string }) => u.username)).toEqual(['liu.xs', 'wu.xs', 'li.xs']);
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
    const dept = await admin('get', `/api/v1/users?departmentId=${id.D03}&active=true&sort=username`);
    expect(dept.body.items.map((u: { username: string }) => u.username)).toEqual(['li.xs', 'wu.xs']);
    expect((await admin('get', '/api/v1/users?q=15867420913')).body.items[0].username).toBe('li.xs');
    expect((await admin('get', '/api/v1/users?q=YQ0003')).body.items[0].name).toBe('张经理');
    const detail = await admin('get', `/api/v1/users/${id['li.xs']}`);
    expect(detail.body).toMatchObject({
      department: { id: id.D03, name: '华东销售组' }, manager: { id: id['zhang.jl'], name: '张经理' },
      roles: [{ id: id.sales, code: 'sales', name: '销售员' }],
    });
    expect(detail.body.identities).toEqual(expect.arrayContaining([{ id: expect.any(String), platform: 'lark', externalUserId: 'ou_li.xs', unionId: null }]));
  });

  it('重置密码后，之前签发的令牌失效（401），新登录可用', async () => {
    const input = userInput();
    const created = await admin('post', '/api/v1/users').send(input);
    const oldToken = await loginAs(t, input.username, { password: 'Start2026' });
    const me = (token: string) => t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    expect((await me(oldToken)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // tokens carry whole seconds
    expect((await admin('post', `/api/v1/users/${created.body.id}/password`).send({ password: 'Changed2027' })).status).toBe(204);
    const refused = await me(oldToken);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('密码已重置，请重新登录');
    expect((await me(await loginAs(t, input.username, { password: 'Changed2027' }))).status).toBe(200);
    expect((await admin('delete', `/api/v1/users/${created.body.id}`)).status).toBe(204);
  });

  it('新增用户可以登录；修改角色；重置密码后旧密码失效；审计不含密码', async () => {
    const input = userInput();
    const res = await admin('post', '/api/v1/users').send(input);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: input.username, active: true, version: 1, roles: [{ code: 'sales' }] });
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
    await loginAs(t, input.username, { password: 'Start2026' });
    const patched = await admin('patch', `/api/v1/users/${res.body.id}`).send({ roleIds: [id.qc, id.planner, id.qc], version: 1 });
    expect(patched.body.roles.map((r: { code: string }) => r.code)).toEqual(['planner', 'qc']);
    expect((await admin('post', `/api/v1/users/${res.body.id}/password`).send({ password: 'Changed2027' })).status).toBe(204);
    await expect(loginAs(t, input.username, { password: 'Start2026' })).rejects.toThrow(/401/);
    await loginAs(t, input.username, { password: 'Changed2027' });
    const audit = await sys().auditLog.findMany({ where: { entity: 'user', entityId: res.body.id } });
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'login', 'login', 'loginFailed', 'resetPassword', 'update']); // loginFailed: the old password, refused
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toMatch(/passwordHash|\$2[aby]\$/);
    const events = await sys().outboxEvent.findMany({ where: { aggregateId: res.body.id } });
    expect(events.map((e) => e.type).sort()).toEqual(['user.created', 'user.passwordReset', 'user.updated']);
  });

  it('错误输入返回 4xx 并指出字段，数据库不变', async () => {
    const other = await createSecondCompany(t);
    const before = await counts();
    const cases: [Record<string, unknown>, string, number?][] = [
      [{ username: undefined }, 'body.username'],
      [{ username: 'ab' }, 'body.username'],
      [{ username: '李 销售' }, 'body.username'],
      [{ password: 'onlyletters' }, 'body.password'],
      [{ password: 'Ab1' }, 'body.password'],
      [{ mobile: '1234567' }, 'body.mobile'],
      [{ email: 'not-an-email' }, 'body.email'],
      [{ name: 'x'.repeat(51) }, 'body.name'],
      [{ roleIds: [] }, 'body.roleIds'],
      [{ roleIds: 'sales' }, 'body.roleIds'],
      [{ roleIds: [id.sales, '00000000-0000-4000-8000-000000000000'] }, 'body.roleIds.1'],
      [{ departmentId: '00000000-0000-4000-8000-000000000000' }, 'body.departmentId'],
      [{ managerId: 'not-a-uuid' }, 'body.managerId'],
      [{ active: 'yes' }, 'body.active'],
      [{ username: 'li.xs' }, 'body.username', 409],
      [{ employeeNo: 'YQ0004' }, 'body.employeeNo', 409],
    ];
    for (const [override, field, status] of cases) {
      const res = await admin('post', '/api/v1/users').send(userInput(override));
      expect(res.status, field).toBe(status ?? 400);
      expect(res.body.error.details.map((d: { field: string }) => d.field), JSON.stringify(override)).toContain(field);
    }
    const paging = await admin('get', '/api/v1/users?pageSize=500&sort=password');
    expect(paging.status).toBe(400);
    expect(paging.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['query.pageSize', 'query.sort']));
    const otherDept = await sys().department.findFirstOrThrow({ where: { companyId: other.companyId } });
    const foreign = await admin('post', '/api/v1/users').send(userInput({ departmentId: otherDept.id }));
    expect(foreign.body.error.details[0].field).toBe('body.departmentId');
    const otherUser = await sys().user.findFirstOrThrow({ where: { companyId: other.companyId } });
    expect((await admin('get', `/api/v1/users/${otherUser.id}`)).status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it('没有 user:create 的李销售新增用户 → 403；没有 role:read 不能看角色', async () => {
    const before = await counts();
    expect((await li('post', '/api/v1/users').send(userInput())).status).toBe(403);
    expect((await li('get', '/api/v1/users')).status).toBe(403);
    expect((await li('get', '/api/v1/roles')).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('上级：不能是自己，不能形成循环；旧版本 409', async () => {
    const zhang = await admin('get', `/api/v1/users/${id['zhang.jl']}`);
    const v = zhang.body.version;
    const self = await admin('patch', `/api/v1/users/${id['zhang.jl']}`).send({ managerId: id['zhang.jl'], version: v });
    expect(self.body.error.details[0]).toMatchObject({ field: 'body.managerId', message: '不能把自己设为直属上级' });
    const cycle = await admin('patch', `/api/v1/users/${id['zhang.jl']}`).send({ managerId: id['li.xs'], version: v });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details[0].field).toBe('body.managerId');
    expect((await sys().user.findUniqueOrThrow({ where: { id: id['zhang.jl'] } })).managerId).toBe(id.boss);
    const ok = await admin('patch', `/api/v1/users/${id['zhang.jl']}`).send({ mobile: '13806617453', version: v });
    expect(ok.body.version).toBe(v + 1);
    const stale = await admin('patch', `/api/v1/users/${id['zhang.jl']}`).send({ mobile: '13806617454', version: v });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
  });

  it('负责客户的用户不能删除（提示数量与停用）；不能删除或停用自己', async () => {
    const res = await admin('delete', `/api/v1/users/${id['li.xs']}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/李销售.*12 个客户.*停用/);
    expect((await admin('delete', `/api/v1/users/${id.admin}`)).status).toBe(409);
    const me = await admin('get', `/api/v1/users/${id.admin}`);
    const off = await admin('patch', `/api/v1/users/${id.admin}`).send({ active: false, version: me.body.version });
    expect(off.body.error.details[0].field).toBe('body.active');
    expect((await sys().user.findUniqueOrThrow({ where: { id: id.admin } })).active).toBe(true);
  });

  it('停用或删除后，该用户已有的令牌立即失效（401）', async () => {
    const a = await admin('post', '/api/v1/users').send(userInput({ roleIds: [id.sales_manager] }));
    const b = await admin('post', '/api/v1/users').send(userInput({ roleIds: [id.sales_manager] }));
    const [asA, asB] = await Promise.all([signedIn(a.body.username), signedIn(b.body.username)]);
    expect((await asA('get', '/api/v1/departments')).status).toBe(200);
    expect((await admin('patch', `/api/v1/users/${a.body.id}`).send({ active: false, version: 1 })).body.active).toBe(false);
    expect((await asA('get', '/api/v1/departments')).status).toBe(401);
    expect((await admin('delete', `/api/v1/users/${b.body.id}`)).status).toBe(204);
    expect((await asB('get', '/api/v1/departments')).status).toBe(401);
    expect(await sys().userRole.count({ where: { userId: b.body.id } })).toBe(0);
  });
});

describe('平台身份绑定', () => {
  it('绑定、重复绑定 409、解除绑定', async () => {
    const bind = (user: string, body: object) => admin('post', `/api/v1/users/${id[user]}/identities`).send(body);
    const res = await bind('li.xs', { platform: 'wechat', externalUserId: 'wx_li_001', unionId: 'un_li' });
    expect(res.status).toBe(201);
    expect(res.body.identities).toContainEqual({ id: expect.any(String), platform: 'wechat', externalUserId: 'wx_li_001', unionId: 'un_li' });
    const identityId = res.body.identities.find((i: { platform: string }) => i.platform === 'wechat').id;
    const before = await counts();
    const taken = await bind('wu.xs', { platform: 'wechat', externalUserId: 'wx_li_001' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'DUPLICATE', message: '该微信账号（wx_li_001）已绑定到用户「李销售」' });
    expect(taken.body.error.details[0].field).toBe('body.externalUserId');
    const again = await bind('li.xs', { platform: 'lark', externalUserId: 'ou_li_002' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('用户「李销售」已绑定飞书账号，请先解除原绑定');
    expect(again.body.error.details[0].field).toBe('body.platform');
    expect((await bind('li.xs', { platform: 'qq', externalUserId: 'x' })).body.error.details[0].field).toBe('body.platform');
    expect((await bind('li.xs', { platform: 'wecom', externalUserId: '' })).body.error.details[0].field).toBe('body.externalUserId');
    expect((await admin('post', '/api/v1/users/00000000-0000-4000-8000-000000000000/identities').send({ platform: 'wechat', externalUserId: 'x' })).status).toBe(404);
    expect(await counts()).toEqual(before);
    expect((await bind('wu.xs', { platform: 'wechat', externalUserId: 'wx_wu_001' })).status).toBe(201);
    expect((await admin('delete', `/api/v1/users/${id['wu.xs']}/identities/${identityId}`)).status).toBe(404);
    expect((await admin('delete', `/api/v1/users/${id['li.xs']}/identities/${identityId}`)).status).toBe(204);
    expect((await admin('delete', `/api/v1/users/${id['li.xs']}/identities/${identityId}`)).status).toBe(404);
    expect((await bind('wu.xs', { platform: 'wechat', externalUserId: 'wx_li_001' })).status).toBe(409); // wu already has wechat
    const events = await sys().outboxEvent.findMany({ where: { type: { startsWith: 'user.identity' } } });
    expect(events.map((e) => e.type).sort()).toEqual(['user.identityBound', 'user.identityBound', 'user.identityUnbound']);
    expect(await sys().auditLog.count({ where: { entity: 'platformIdentity' } })).toBe(3);
  });
});

describe('角色与权限', () => {
  it('权限目录：任何登录用户可查看，带中文名称', async () => {
    const res = await li('get', '/api/v1/permissions');
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual({ permission: 'customer:read', label: '客户·查看', resource: 'customer', resourceLabel: '客户', action: 'read', actionLabel: '查看' });
    expect(res.body.dataScopes).toEqual([{ value: 'own', label: '本人' }, { value: 'department', label: '本部门及下级' }, { value: 'all', label: '全部' }]);
  });

  it('列表、新增（权限去重、* 表示全部）、修改、删除；旧版本 409', async () => {
    const list = await admin('get', '/api/v1/roles?dataScope=own&sort=code');
    expect(list.body.items).toEqual([
      expect.objectContaining({ code: 'sales', userCount: 3, dataScopeLabel: '本人' }),
      expect.objectContaining({ code: 'worker', userCount: 1, dataScopeLabel: '本人' }),
    ]);
    const created = await admin('post', '/api/v1/roles').send({ code: 'clerk', name: '文员', permissions: ['item:read', 'customer:read', 'item:read'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ permissions: ['customer:read', 'item:read'], dataScope: 'own', userCount: 0 });
    const all = await admin('patch', `/api/v1/roles/${created.body.id}`).send({ permissions: ['item:read', '*'], dataScope: 'department', version: 1 });
    expect(all.body).toMatchObject({ permissions: ['*'], dataScopeLabel: '本部门及下级', version: 2 });
    expect((await admin('patch', `/api/v1/roles/${created.body.id}`).send({ name: 'x', version: 1 })).status).toBe(409);
    expect((await admin('delete', `/api/v1/roles/${created.body.id}`)).status).toBe(204);
    const audit = await sys().auditLog.findMany({ where: { entity: 'role', entityId: created.body.id } });
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete', 'update']);
  });

  it('错误输入与重复编码被拒绝，数据库不变；有用户持有的角色不能删除', async () => {
    const before = await counts();
    const bad: [object, string, number?][] = [
      [{ code: 'x1', name: 'x', permissions: ['customer:fly'] }, 'body.permissions.0'],
      [{ code: 'x1', name: 'x', permissions: 'customer:read' }, 'body.permissions'],
      [{ code: 'x1', name: 'x', permissions: [], dataScope: 'team' }, 'body.dataScope'],
      [{ code: '中文', name: 'x', permissions: [] }, 'body.code'],
      [{ code: 'sales', name: '重复', permissions: [] }, 'body.code', 409],
    ];
    for (const [body, field, status] of bad) {
      const res = await admin('post', '/api/v1/roles').send(body);
      expect(res.status, field).toBe(status ?? 400);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const held = await admin('delete', `/api/v1/roles/${id.sales}`);
    expect(held.status).toBe(409);
    expect(held.body.error.message).toBe('角色「销售员」已分配给 3 个用户，不能删除');
    expect(await counts()).toEqual(before);
  });
});

