// 登录安全: failed sign-ins are throttled per account and per client IP in PostgreSQL (5 failures →
// 429 with a growing Retry-After, 20 → locked 15 minutes, an administrator unlocks), unknown
// usernames are answered exactly like known ones, the client IP comes from X-Forwarded-For only when
// TRUST_PROXY says so, the "which company?" question comes only after the password matched, and a
// password reset ends a token issued in the same second. No test sleeps: the clock is moved in the
// database (last_failure_at) instead.
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, DEMO_PASSWORD, loginAs, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;
const sys = () => t.database.system;

beforeAll(async () => {
  t = await createTestApp({ TRUST_PROXY: '1' });
  admin = await as(t, 'admin');
});
afterAll(async () => t?.close());

/** A sign-in from `ip` (through the one trusted proxy). */
const attempt = (username: string, password: string, ip: string, extra: object = {}) =>
  t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password, ...extra });

/** Moves an account's or IP's last failure into the past, as if that much time had gone by. */
const age = (key: string, seconds: number, failures?: number) =>
  sys().$executeRaw`UPDATE login_throttle SET last_failure_at = now() - make_interval(secs => ${seconds}),
                           failures = coalesce(${failures ?? null}::int, failures) WHERE key = ${key}`;

/** The throttle counter of a demo-company user (counted per user: usernames repeat across companies). */
const userIn = async (username: string, companyCode = 'YUNQIAO') => {
  const company = await sys().company.findUniqueOrThrow({ where: { code: companyCode } });
  return sys().user.findFirstOrThrow({ where: { username, companyId: company.id } });
};
const keyOf = async (username: string, companyCode?: string) => `user:${(await userIn(username, companyCode)).id}`;

const audits = async (username: string, action: string) => {
  const user = await sys().user.findFirstOrThrow({ where: { username } });
  return sys().auditLog.count({ where: { entity: 'user', entityId: user.id, action } });
};

describe('登录限速', () => {
  it('连续 5 次密码错误后，第 6 次（哪怕密码正确）立即 429 + Retry-After；不存在的用户名得到一模一样的答复', async () => {
    const ip = '203.0.113.10';
    for (let i = 0; i < 5; i++) expect((await attempt('li.xs', 'wrong', ip)).status).toBe(401);
    // each "at once" below pins the last failure to now: on a busy machine checking a password can take longer than the wait
    await age(await keyOf('li.xs'), 0);
    const blocked = await attempt('li.xs', DEMO_PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('1');
    expect(blocked.body.error).toEqual({ code: 'TOO_MANY_REQUESTS', message: '该账号登录失败次数过多，请 1 秒后再试' });

    const ghostIp = '203.0.113.11';
    const ghost = [];
    for (let i = 0; i < 6; i++) {
      if (i === 5) await age('account:no.such.user', 0);
      ghost.push(await attempt('no.such.user', 'wrong', ghostIp));
    }
    expect(ghost.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(ghost[0]!.body).toEqual((await attempt('liu.xs', 'wrong', '203.0.113.12')).body);
    expect(ghost[5]!.body).toEqual(blocked.body);
    expect(ghost[5]!.headers['retry-after']).toBe('1');

    // the delay grows: once the 1 s has passed, one more failure → 2 s
    await age(await keyOf('li.xs'), 1.5);
    expect((await attempt('li.xs', 'wrong', ip)).status).toBe(401);
    await age(await keyOf('li.xs'), 0);
    const longer = await attempt('li.xs', 'wrong', ip);
    expect(longer.status).toBe(429);
    expect(longer.headers['retry-after']).toBe('2');
    // after the wait, the right password works and the account starts afresh
    await age(await keyOf('li.xs'), 3);
    expect((await attempt('li.xs', DEMO_PASSWORD, ip)).status).toBe(200);
    expect(await sys().loginThrottle.count({ where: { key: await keyOf('li.xs') } })).toBe(0);
    expect(await audits('li.xs', 'loginFailed')).toBe(6); // the refused attempts were not even checked
    expect(await audits('liu.xs', 'loginFailed')).toBe(1);
  });

  it('50 个错误密码同时到达：逐个计数，只有前 5 个（机器再慢也不超过 7 个）被检查，其余 429', async () => {
    const ip = '203.0.113.20';
    const answers = await Promise.all(Array.from({ length: 50 }, () => attempt('wu.xs', 'guess', ip)));
    const checked = answers.filter((r) => r.status === 401).length;
    // 5, plus one more for each growing wait (1 s, 2 s) that passes while the 50 are still being answered
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(7);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(50 - checked);
    expect(await sys().loginThrottle.findUnique({ where: { key: await keyOf('wu.xs') } })).toMatchObject({ failures: checked });
    expect(await audits('wu.xs', 'loginFailed')).toBe(checked);
  });

  it('第 20 次失败锁定 15 分钟（审计），管理员解锁后可登录；锁定时间过去后也自动解除', async () => {
    const ip = '203.0.113.30';
    await attempt('qian.kj', 'wrong', ip);
    await age(await keyOf('qian.kj'), 600, 19); // 19 failures, the last 10 minutes ago (longer than any delay)
    expect((await attempt('qian.kj', 'wrong', ip)).status).toBe(401); // the 20th
    await age(await keyOf('qian.kj'), 0);
    const locked = await attempt('qian.kj', DEMO_PASSWORD, '198.51.100.1'); // from anywhere
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.body.error.message).toBe('该账号连续登录失败次数过多，已锁定 15 分钟（还剩约 15 分钟），或请管理员解锁');
    expect(await audits('qian.kj', 'loginLocked')).toBe(1);

    // 14 minutes later: still locked (one minute left)
    await age(await keyOf('qian.kj'), 14 * 60);
    const later = await attempt('qian.kj', DEMO_PASSWORD, ip);
    expect(later.status).toBe(429);
    expect(later.headers['retry-after']).toBe('60');

    // only someone allowed to manage the account may unlock it
    const li = await as(t, 'li.xs');
    const qian = await sys().user.findFirstOrThrow({ where: { username: 'qian.kj' } });
    expect((await li('post', `/api/v1/users/${qian.id}/unlock`)).status).toBe(403);
    expect((await admin('post', `/api/v1/users/${qian.id}/unlock`)).status).toBe(204);
    expect(await audits('qian.kj', 'loginUnlocked')).toBe(1);
    expect((await attempt('qian.kj', DEMO_PASSWORD, ip)).status).toBe(200);

    // a lock that has run its 15 minutes ends by itself
    await attempt('sun.jh', 'wrong', ip);
    await age(await keyOf('sun.jh'), 0, 20);
    expect((await attempt('sun.jh', DEMO_PASSWORD, ip)).status).toBe(429);
    await age(await keyOf('sun.jh'), 15 * 60 + 1);
    expect((await attempt('sun.jh', DEMO_PASSWORD, ip)).status).toBe(200);
  });

  it('两家公司都有 admin：按用户计数——A 的成功登录不清 B 的失败，A 的解锁不解 B 的锁，B 被锁不挡 A', async () => {
    await createSecondCompany(t, 'TENANTB');
    const ip = '203.0.113.50';
    const [aKey, bKey] = [await keyOf('admin'), await keyOf('admin', 'TENANTB')];
    const guessB = () => attempt('admin', 'wrong', ip, { companyCode: 'TENANTB' });
    for (let i = 0; i < 4; i++) expect((await guessB()).status).toBe(401);
    // the attacker's own admin signs in: B's four failures stay
    expect((await attempt('admin', DEMO_PASSWORD, ip, { companyCode: 'YUNQIAO' })).status).toBe(200);
    expect(await sys().loginThrottle.findUnique({ where: { key: bKey } })).toMatchObject({ failures: 4 });
    expect((await guessB()).status).toBe(401);
    await age(bKey, 0);
    expect((await attempt('admin', DEMO_PASSWORD, ip, { companyCode: 'TENANTB' })).status).toBe(429);
    expect(await sys().loginThrottle.findUnique({ where: { key: aKey } })).toBeNull(); // B's failures never touched A

    // B's admin locked: A's admin still signs in (without a company code too: only A's password matches)
    await age(bKey, 0, 20);
    expect((await attempt('admin', DEMO_PASSWORD, ip)).status).toBe(200);
    expect((await attempt('admin', DEMO_PASSWORD, ip, { companyCode: 'YUNQIAO' })).status).toBe(200);
    // A's unlock clears only A's own user; B's user is not A's to unlock
    const [aAdmin, bAdmin] = [await userIn('admin'), await userIn('admin', 'TENANTB')];
    expect((await admin('post', `/api/v1/users/${aAdmin.id}/unlock`)).status).toBe(204);
    expect((await admin('post', `/api/v1/users/${bAdmin.id}/unlock`)).status).toBe(404);
    const stillLocked = await attempt('admin', DEMO_PASSWORD, ip, { companyCode: 'TENANTB' });
    expect(stillLocked.status).toBe(429);
    expect(stillLocked.headers['retry-after']).toBe('900');
    // B's own administrator unlocks B's admin
    const bOther = await as(t, 'other.admin', { companyCode: 'TENANTB' });
    expect((await bOther('post', `/api/v1/users/${bAdmin.id}/unlock`)).status).toBe(204);
    expect((await attempt('admin', DEMO_PASSWORD, ip, { companyCode: 'TENANTB' })).status).toBe(200);
  });

  it('按 IP：同一地址对不同用户名的失败累计，满 20 次后该地址的任何登录都 429；别的地址不受影响', async () => {
    const ip = '198.51.100.20';
    const sprayed = await Promise.all(['spray.a', 'spray.b', 'zhang.jl'].map((u) => attempt(u, 'Spring2026', ip)));
    expect(sprayed.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(await sys().loginThrottle.findUnique({ where: { key: `ip:${ip}` } })).toMatchObject({ failures: 3 });
    await age(`ip:${ip}`, 0, 20); // 17 more sprayed names, just now
    const next = await attempt('wang.cg', DEMO_PASSWORD, ip);
    expect(next.status).toBe(429);
    expect(next.body.error.message).toBe('此网络登录失败次数过多，请 1 秒后再试');
    expect((await attempt('wang.cg', DEMO_PASSWORD, '198.51.100.21')).status).toBe(200);
    // a success takes back only its own attempt: the sprayed failures stay counted for that address
    expect(await sys().loginThrottle.findUnique({ where: { key: 'ip:198.51.100.21' } })).toMatchObject({ failures: 0 });
  });

  it('未设置 TRUST_PROXY（默认）时忽略 X-Forwarded-For：客户端不能自选 IP 来绕过限速', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    expect(config.TRUST_PROXY).toBe(0);
    const { app } = buildApp({ database: t.database, config, log: pino({ level: 'silent' }), tokens: await tokensOf() });
    const direct = (username: string, forwardedFor: string) => supertest(app).post('/api/v1/auth/login').set('X-Forwarded-For', forwardedFor).send({ username, password: 'wrong' });
    expect((await direct('zhou.zj', '192.0.2.1')).status).toBe(401);
    const ipKeys = (await sys().loginThrottle.findMany({ where: { key: { startsWith: 'ip:' } } })).map((r) => r.key);
    expect(ipKeys).not.toContain('ip:192.0.2.1');
    const socketKey = ipKeys.find((k) => k.includes('127.0.0.1'))!;
    expect(socketKey).toBeDefined();
    await age(socketKey, 0, 20);
    const refused = await direct('zhao.ck', '192.0.2.99');
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/^此网络/);
    await sys().loginThrottle.delete({ where: { key: socketKey } }); // the other tests sign in from this socket
  });
});

/** The app's token signer for a second app on the same database. */
async function tokensOf() {
  const { TokenSigner, loadJwtSecret } = await import('../../server/platform/auth.ts');
  return new TokenSigner(await loadJwtSecret(t.database.system, t.config.JWT_SECRET));
}

describe('不泄露用户名是否存在', () => {
  it('两家公司都有 admin：密码错误只答「用户名或密码错误」；密码正确才问公司编码', async () => {
    await createSecondCompany(t);
    const wrong = await attempt('admin', 'wrong-password', '203.0.113.40');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    const right = await attempt('admin', DEMO_PASSWORD, '203.0.113.40');
    expect(right.status).toBe(400);
    expect(right.body.error.details).toEqual([{ field: 'body.companyCode', label: '公司编码', message: '必填' }]);
    expect((await attempt('admin', DEMO_PASSWORD, '203.0.113.40', { companyCode: 'OTHERCO' })).body.user.companyName).toBe('江苏另一家机械有限公司');
  });
});

describe('重置密码与令牌', () => {
  it('与重置同一秒内签发的旧令牌也失效（毫秒精度）', async () => {
    const zhou = await sys().user.findFirstOrThrow({ where: { username: 'zhou.zj' } });
    const me = (token: string) => t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    let password = DEMO_PASSWORD;
    let sameSecond = 0;
    for (let i = 0; i < 6 && sameSecond === 0; i++) {
      const token = await loginAs(t, 'zhou.zj', { password });
      const iat = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).iat as number;
      password = `Reset2026x${i}`;
      expect((await admin('post', `/api/v1/users/${zhou.id}/password`).send({ password })).status).toBe(204);
      const changedAt = (await sys().user.findUniqueOrThrow({ where: { id: zhou.id } })).credentialsChangedAt.getTime();
      if (Math.floor(changedAt / 1000) !== iat) continue; // straddled a second boundary: not the case under test
      sameSecond++;
      const refused = await me(token);
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe('密码已重置，请重新登录');
    }
    expect(sameSecond).toBeGreaterThan(0);
    expect((await me(await loginAs(t, 'zhou.zj', { password }))).status).toBe(200);
  });
});
