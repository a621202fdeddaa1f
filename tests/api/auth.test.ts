// 登录: every demo user signs in; wrong passwords and missing tokens are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createSecondCompany, DEMO_PASSWORD } from '../helpers/factories.ts';

const DEMO_USERS = ['admin', 'boss', 'zhang.jl', 'li.xs', 'wang.cg', 'zhao.ck', 'sun.jh', 'zhou.zj', 'qian.kj'];
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('登录', () => {
  it.each(DEMO_USERS)('演示用户 %s 可用 yunqiao123 登录并取得令牌与身份', async (username) => {
    const res = await t.http().post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^ey/);
    expect(res.body.user).toMatchObject({ username, companyName: '浙江云桥五金配件有限公司' });
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(username);
  });

  it('密码错误返回 401，且不透露账号是否存在', async () => {
    const wrong = await t.http().post('/api/v1/auth/login').send({ username: 'li.xs', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    const unknown = await t.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'nope' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('缺少字段返回 400 并指出字段', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ username: 'li.xs' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'body.password' }));
  });

  it('没有令牌、令牌伪造都返回 401', async () => {
    expect((await t.http().get('/api/v1/customers')).status).toBe(401);
    const forged = await t.http().get('/api/v1/customers').set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad');
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('同名账号在两家公司时需提供公司编码', async () => {
    await createSecondCompany(t);
    const ambiguous = await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: DEMO_PASSWORD });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.details[0].field).toBe('body.companyCode');
    const ours = await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: DEMO_PASSWORD, companyCode: 'YUNQIAO' });
    expect(ours.status).toBe(200);
    expect(ours.body.user.companyName).toBe('浙江云桥五金配件有限公司');
    const theirs = await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: DEMO_PASSWORD, companyCode: 'OTHERCO' });
    expect(theirs.status).toBe(200);
    expect(theirs.body.user.companyName).toBe('江苏另一家机械有限公司');
  });

  it('登录写入审计日志', async () => {
    await t.http().post('/api/v1/auth/login').send({ username: 'qian.kj', password: DEMO_PASSWORD });
    const rows = await t.database.system.auditLog.findMany({ where: { action: 'login' } });
    expect(rows.length).toBeGreaterThan(0);
  });
});
