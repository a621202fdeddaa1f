// 越权矩阵 for the org endpoints: a user administrator holding only user:* and a role administrator
// holding only role:* try every way up — their own roles, a role they do not hold, the admin's
// password or chat identity, their own role's permissions or data scope — and get 403 with nothing
// written; what is within their own permissions still works; two administrators removing each other at
// the same moment leave one administrator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, loginAs, uniqueCode, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
let hr: AuthedClient; // 用户管理员: user:read/create/update, data scope all
let ra: AuthedClient; // 角色管理员: role:read/create/update, data scope own
const rid: Record<string, string> = {}; // role ids by code
const uid: Record<string, string> = {}; // user ids by username (or test key)
const sys = () => t.database.system;
const PASSWORD = 'Start2026';

const userInput = (roleIds: string[]) => ({
  username: `u.${uniqueCode('').toLowerCase()}`, name: '新同事', employeeNo: uniqueCode('E'), roleIds, password: PASSWORD,
});

async function signedIn(username: string): Promise<AuthedClient> {
  const token = await loginAs(t, username, { password: PASSWORD });
  return (method, url) => t.http()[method](url).set('Authorization', `Bearer ${token}`);
}

/** Everything an escalation could change: who holds which role, what roles allow, passwords, bindings. */
async function grantsSnapshot() {
  const s = sys();
  return {
    userRoles: (await s.userRole.findMany({ select: { userId: true, roleId: true } })).map((r) => `${r.userId}:${r.roleId}`).sort(),
    roles: (await s.role.findMany({ select: { code: true, permissions: true, dataScope: true }, orderBy: { code: 'asc' } })),
    users: (await s.user.findMany({ select: { username: true, passwordHash: true, active: true, mobile: true }, orderBy: { username: 'asc' } })),
    identities: await s.platformIdentity.count(),
  };
}

const version = async (kind: 'users' | 'roles', key: string) => (await admin('get', `/api/v1/${kind}/${(kind === 'users' ? uid : rid)[key]}`)).body.version as number;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
  for (const r of await sys().role.findMany()) rid[r.code] = r.id;
  for (const u of await sys().user.findMany()) uid[u.username] = u.id;
  const role = async (code: string, permissions: string[], dataScope: string) => {
    const res = await admin('post', '/api/v1/roles').send({ code, name: code, permissions, dataScope });
    expect(res.status).toBe(201);
    rid[code] = res.body.id;
  };
  await role('user_admin', ['user:read', 'user:create', 'user:update'], 'all');
  await role('role_admin', ['role:read', 'role:create', 'role:update'], 'own');
  await role('viewer', ['user:read'], 'own');
  await role('role_viewer', ['role:read'], 'own');
  const user = async (key: string, roleCode: string) => {
    const res = await admin('post', '/api/v1/users').send(userInput([rid[roleCode]!]));
    expect(res.status).toBe(201);
    uid[key] = res.body.id;
    return res.body.username as string;
  };
  hr = await signedIn(await user('hr', 'user_admin'));
  ra = await signedIn(await user('ra', 'role_admin'));
  await user('plain', 'viewer');
});
afterAll(async () => t?.close());

describe('越权矩阵：组织接口', () => {
  it('每一条向上的路都是 403，且什么都没有写入', async () => {
    const before = await grantsSnapshot();
    const cases: [string, () => Promise<{ status: number; body: { error?: { message: string } } }>, RegExp][] = [
      ['用户管理员给自己加系统管理员角色', async () => hr('patch', `/api/v1/users/${uid.hr}`).send({ roleIds: [rid.user_admin, rid.admin], version: await version('users', 'hr') }), /不能修改自己的角色/],
      ['用户管理员把自己的角色换成只读', async () => hr('patch', `/api/v1/users/${uid.hr}`).send({ roleIds: [rid.viewer], version: await version('users', 'hr') }), /不能修改自己的角色/],
      ['用户管理员给别人系统管理员角色', async () => hr('patch', `/api/v1/users/${uid.plain}`).send({ roleIds: [rid.admin], version: await version('users', 'plain') }), /全部权限（\*）/],
      ['用户管理员给别人销售经理角色（含他没有的客户权限）', async () => hr('patch', `/api/v1/users/${uid.plain}`).send({ roleIds: [rid.sales_manager], version: await version('users', 'plain') }), /销售经理.*客户·查看/],
      ['用户管理员新建一个系统管理员', async () => hr('post', '/api/v1/users').send(userInput([rid.admin!])), /不能授予你自己没有的权限/],
      ['用户管理员重置管理员密码', async () => hr('post', `/api/v1/users/${uid.admin}/password`).send({ password: 'Taken2026' }), /不能管理权限比你大的用户「系统管理员」/],
      ['用户管理员把自己的微信绑到管理员账号', async () => hr('post', `/api/v1/users/${uid.admin}/identities`).send({ platform: 'wechat', externalUserId: 'wx_hr' }), /不能管理权限比你大的用户/],
      ['用户管理员解除管理员的飞书绑定', async () => {
        const identity = await sys().platformIdentity.findFirstOrThrow({ where: { userId: uid.admin, platform: 'lark' } });
        return hr('delete', `/api/v1/users/${uid.admin}/identities/${identity.id}`);
      }, /不能管理权限比你大的用户/],
      ['用户管理员停用管理员', async () => hr('patch', `/api/v1/users/${uid.admin}`).send({ active: false, version: await version('users', 'admin') }), /不能管理权限比你大的用户/],
      ['用户管理员改管理员的手机号', async () => hr('patch', `/api/v1/users/${uid.admin}`).send({ mobile: '13900000000', version: await version('users', 'admin') }), /不能管理权限比你大的用户/],
      ['角色管理员给自己的角色 *', async () => ra('patch', `/api/v1/roles/${rid.role_admin}`).send({ permissions: ['*'], version: await version('roles', 'role_admin') }), /全部权限（\*）/],
      ['角色管理员给自己的角色加 user:update', async () => ra('patch', `/api/v1/roles/${rid.role_admin}`).send({ permissions: ['role:read', 'role:create', 'role:update', 'user:update'], version: await version('roles', 'role_admin') }), /用户·修改/],
      ['角色管理员放大自己角色的数据范围', async () => ra('patch', `/api/v1/roles/${rid.role_admin}`).send({ dataScope: 'all', version: await version('roles', 'role_admin') }), /数据范围/],
      ['角色管理员去掉自己角色的一项权限', async () => ra('patch', `/api/v1/roles/${rid.role_admin}`).send({ permissions: ['role:read', 'role:update'], version: await version('roles', 'role_admin') }), /不能修改自己所持角色「role_admin」/],
      ['角色管理员给别的角色加他没有的权限', async () => ra('patch', `/api/v1/roles/${rid.role_viewer}`).send({ permissions: ['role:read', 'user:update'], version: await version('roles', 'role_viewer') }), /用户·修改/],
      ['角色管理员改含他没有的权限的角色', async () => ra('patch', `/api/v1/roles/${rid.viewer}`).send({ name: '改名', version: await version('roles', 'viewer') }), /不能修改权限比你大的角色：角色「viewer」含 用户·查看/],
      ['角色管理员清空系统管理员角色', async () => ra('patch', `/api/v1/roles/${rid.admin}`).send({ permissions: [], version: await version('roles', 'admin') }), /不能修改权限比你大的角色/],
      ['角色管理员新建含 * 的角色', async () => ra('post', '/api/v1/roles').send({ code: 'x_all', name: '万能', permissions: ['*'] }), /全部权限（\*）/],
      ['角色管理员新建数据范围为全部的角色', async () => ra('post', '/api/v1/roles').send({ code: 'x_scope', name: '全看', permissions: ['role:read'], dataScope: 'all' }), /数据范围/],
      ['管理员给自己的角色去掉 *', async () => admin('patch', `/api/v1/roles/${rid.admin}`).send({ permissions: ['user:read'], version: await version('roles', 'admin') }), /不能修改自己所持角色/],
      ['管理员改自己的角色', async () => admin('patch', `/api/v1/users/${uid.admin}`).send({ roleIds: [rid.viewer], version: await version('users', 'admin') }), /不能修改自己的角色/],
    ];
    const outcomes = [];
    for (const [name, call, message] of cases) {
      const res = await call();
      outcomes.push({ name, status: res.status, message: message.test(res.body.error?.message ?? '') ? 'ok' : res.body.error?.message });
    }
    expect(outcomes).toEqual(cases.map(([name]) => ({ name, status: 403, message: 'ok' })));
    expect(await grantsSnapshot()).toEqual(before);
    // the admin still signs in with his own password
    await loginAs(t, 'admin');
  });

  it('自己权限范围内的事照常可做', async () => {
    const created = await hr('post', '/api/v1/users').send(userInput([rid.viewer!]));
    expect(created.status).toBe(201);
    const edited = await hr('patch', `/api/v1/users/${created.body.id}`).send({ mobile: '13912340000', version: 1 });
    expect(edited.status).toBe(200);
    expect((await hr('post', `/api/v1/users/${created.body.id}/password`).send({ password: 'Other2026' })).status).toBe(204);
    // the same roles submitted again is not a change of one's own roles
    expect((await hr('patch', `/api/v1/users/${uid.hr}`).send({ roleIds: [rid.user_admin], name: '人事', version: await version('users', 'hr') })).status).toBe(200);
    const role = await ra('patch', `/api/v1/roles/${rid.role_viewer}`).send({ permissions: ['role:read', 'role:create'], name: '只读', version: await version('roles', 'role_viewer') });
    expect(role.status).toBe(200);
    expect(role.body.permissions).toEqual(['role:read', 'role:create']);
    expect((await ra('post', '/api/v1/roles').send({ code: 'x_ok', name: '可以', permissions: ['role:read'] })).status).toBe(201);
    // a full administrator hands out anything, to others
    expect((await admin('patch', `/api/v1/users/${uid.plain}`).send({ roleIds: [rid.sales_manager], version: await version('users', 'plain') })).status).toBe(200);
  });

  it('最后一位管理员：两位管理员同时互相撤掉管理员角色，只有一个成功，公司仍有一位管理员', async () => {
    const boss = await as(t, 'boss');
    const [a, b] = await Promise.all([
      admin('patch', `/api/v1/users/${uid.boss}`).send({ roleIds: [rid.viewer], version: await version('users', 'boss') }),
      boss('patch', `/api/v1/users/${uid.admin}`).send({ roleIds: [rid.viewer], version: await version('users', 'admin') }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, a.status === 200 ? b.status : a.status].sort());
    expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
    const loser = a.status === 200 ? b : a;
    expect([403, 409]).toContain(loser.status);
    const admins = await sys().user.findMany({ where: { active: true, roles: { some: { role: { permissions: { has: '*' } } } } }, select: { username: true } });
    expect(admins).toHaveLength(1);
  });
});
