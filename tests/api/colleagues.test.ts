// 通讯录: any signed-in colleague can find another by name (转交 / 加签 need it), but sees only
// name, account and department — not phone, e-mail, roles or chat bindings — and only active
// colleagues of their own company.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let wu: AuthedClient;
beforeAll(async () => {
  t = await createTestApp();
  wu = await as(t, 'wu.xs'); // 销售员: no user:read
});
afterAll(async () => t?.close());

describe('通讯录 GET /api/v1/colleagues', () => {
  it('没有用户查看权限的销售员也能按姓名找同事；只返回姓名、账号、部门', async () => {
    expect((await wu('get', '/api/v1/users')).status).toBe(403);
    const res = await wu('get', '/api/v1/colleagues?q=经理');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ id: expect.any(String), username: 'zhang.jl', name: '张经理', department: { id: expect.any(String), name: expect.any(String) } }]);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['department', 'id', 'name', 'username']);
  });

  it('分页、按部门筛选、排序', async () => {
    const all = await wu('get', '/api/v1/colleagues?pageSize=100');
    const company = await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
    const active = await t.database.system.user.count({ where: { active: true, companyId: company.id } });
    expect(all.body.total).toBe(active);
    const page2 = await wu('get', '/api/v1/colleagues?page=2&pageSize=3&sort=username');
    expect(page2.body.items.map((u: { username: string }) => u.username)).toEqual(
      all.body.items.map((u: { username: string }) => u.username).sort().slice(3, 6),
    );
    const dept = await t.database.system.department.findFirstOrThrow({ where: { code: 'D01' } });
    const inDept = await wu('get', `/api/v1/colleagues?departmentId=${dept.id}`);
    expect(inDept.body.items.map((u: { username: string }) => u.username)).toEqual(['boss']);
    expect((await wu('get', '/api/v1/colleagues?pageSize=0')).status).toBe(400);
    expect((await wu('get', '/api/v1/colleagues?sort=mobile')).status).toBe(400);
  });

  it('停用的同事和其他公司的用户不出现；未登录 401', async () => {
    const zhou = await t.database.system.user.findFirstOrThrow({ where: { username: 'zhou.zj' } });
    await t.database.system.user.update({ where: { id: zhou.id }, data: { active: false } });
    await createSecondCompany(t);
    const res = await wu('get', '/api/v1/colleagues?pageSize=100');
    const names = res.body.items.map((u: { username: string }) => u.username);
    expect(names).not.toContain('zhou.zj');
    expect(names).not.toContain('other.admin');
    expect(names).toContain('wu.xs');
    expect((await t.http().get('/api/v1/colleagues')).status).toBe(401);
  });
});
