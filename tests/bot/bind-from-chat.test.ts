// 绑定: a member the bot does not know asks in chat, gets (privately) a link with a 10-minute
// proof of who asked, signs in to the mini-app with a password and binds; from then on the bot
// answers them as that user. Through the real server and the WeCom fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWecomFake, wecomCallback, wecomTextXml, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';

const corpId = 'wwbindtest';
const token = 'bindToken1';
const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
let fake: WecomFake;
let t: TestApp;
let msgId = 700000;

beforeAll(async () => {
  fake = await startWecomFake({ corpId, secret: 'sec', agentId: 1000002 });
  t = await createTestApp({
    WECOM_CORP_ID: corpId, WECOM_SECRET: 'sec', WECOM_AGENT_ID: '1000002', WECOM_TOKEN: token,
    WECOM_ENCODING_AES_KEY: encodingAesKey, WECOM_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://erp.example.cn',
  });
  const company = await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
  await t.database.system.companyPlatform.create({ data: { companyId: company.id, platform: 'wecom', orgKey: corpId } });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '30000', unitCost: '0.03' });
  // 刘销售's WeCom account changed: the old binding is gone, the new userid is unknown.
  await t.database.system.platformIdentity.deleteMany({ where: { platform: 'wecom', user: { username: 'liu.xs' } } });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function ask(from: string, content: string): Promise<string> {
  const cb = wecomCallback(wecomTextXml({ corpId, from, content, msgId: String(++msgId) }), { token, encodingAesKey, corpId, agentId: 1000002 });
  const res = await t.http().post('/callbacks/wecom').query(cb.query).set('Content-Type', 'text/xml').send(cb.body);
  expect(res.status).toBe(200);
  return JSON.stringify(fake.sent.filter((m) => m.touser === from).at(-1)?.body ?? '');
}

const bindTokenIn = (answer: string) => decodeURIComponent(/bindToken=([^"\s\\&]+)/.exec(answer)?.[1] ?? '');

describe('从聊天里绑定云桥账号', () => {
  it('未绑定 → 私信带凭证的链接 → 密码登录后绑定 → 机器人按这个账号作答', async () => {
    const first = await ask('liuxs-new', '库存 M8螺栓');
    expect(first).toContain('https://erp.example.cn/m/#/bind?platform=wecom&bindToken=');
    const bindToken = bindTokenIn(first);

    // The proof is not a session.
    expect((await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${bindToken}`)).status).toBe(401);

    const liu = await as(t, 'liu.xs');
    const bound = await liu('post', '/api/v1/auth/platform/wecom/bind').send({ bindToken });
    expect(bound.status).toBe(200);
    expect(bound.body).toEqual({ platform: 'wecom', externalUserId: 'liuxs-new' });
    expect(await t.database.system.auditLog.count({ where: { action: 'bindPlatform' } })).toBe(1);

    expect(await ask('liuxs-new', '库存 M8螺栓')).toContain('30,000');
  });

  it('凭证不能给别人用，也不能跨公司、跨平台使用', async () => {
    const bindToken = bindTokenIn(await ask('someone-else', '帮助'));
    const li = await as(t, 'li.xs');
    // li.xs is already bound on WeCom (li.xs): rebinding to another WeCom account is allowed for
    // themselves, but a proof already used by someone else is refused.
    const liu = await as(t, 'liu.xs');
    expect((await liu('post', '/api/v1/auth/platform/wecom/bind').send({ bindToken })).status).toBe(200);
    const stolen = await li('post', '/api/v1/auth/platform/wecom/bind').send({ bindToken });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.message).toContain('已绑定到公司里的另一个用户');

    expect((await li('post', '/api/v1/auth/platform/lark/bind').send({ bindToken })).status).toBe(400);
    await createSecondCompany(t);
    const other = await as(t, 'admin', { companyCode: 'OTHERCO' });
    expect((await other('post', '/api/v1/auth/platform/wecom/bind').send({ bindToken })).status).toBe(403);
    expect((await li('post', '/api/v1/auth/platform/wecom/bind').send({ bindToken: 'not-a-token' })).status).toBe(401);
    expect((await li('post', '/api/v1/auth/platform/wecom/bind').send({})).status).toBe(400);
  });
});
