// 公司设置: a company knows which IM organisations are itself; an organisation belongs to one company.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLarkFake, type LarkFake } from '../fakes/lark.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

const WECOM_CORP = 'wwcompanytest';
let t: TestApp;
let admin: AuthedClient;
let lark: LarkFake;
let wecom: WecomFake;

beforeAll(async () => {
  [lark, wecom] = await Promise.all([startLarkFake({ appId: 'cli_co', appSecret: 'sec_co' }), startWecomFake({ corpId: WECOM_CORP, secret: 'sec', agentId: 1000002 })]);
  t = await createTestApp({
    LARK_APP_ID: 'cli_co', LARK_APP_SECRET: 'sec_co', LARK_BASE_URL: lark.url,
    WECOM_CORP_ID: WECOM_CORP, WECOM_SECRET: 'sec', WECOM_AGENT_ID: '1000002', WECOM_BASE_URL: wecom.url,
  });
  admin = await as(t, 'admin');
});
afterAll(async () => {
  await t?.close();
  await Promise.all([lark?.close(), wecom?.close()]);
});

describe('公司设置', () => {
  it('任何登录用户可查看本公司；只有有权限的人可以修改', async () => {
    const sales = await as(t, 'li.xs');
    const res = await sales('get', '/api/v1/company');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 'YUNQIAO', name: '浙江云桥五金配件有限公司', taxpayerKind: 'generalTaxpayer', taxpayerKindLabel: '一般纳税人', baseCurrency: 'CNY' });
    expect((await sales('patch', '/api/v1/company').send({ name: '改名' })).status).toBe(403);
    const patched = await admin('patch', '/api/v1/company').send({ taxpayerKind: 'smallScaleTaxpayer' });
    expect(patched.status).toBe(200);
    expect(patched.body.taxpayerKindLabel).toBe('小规模纳税人');
    expect((await admin('patch', '/api/v1/company').send({ taxpayerKind: 'big' })).body.error.details[0].field).toBe('body.taxpayerKind');
  });

  it('IM 组织只凭平台登录码绑定（码所属的组织）；同一组织不能属于两家公司，拒绝时不透露归属', async () => {
    // A typed key binds nothing.
    const typed = await admin('post', '/api/v1/company/platforms').send({ platform: 'lark', orgKey: 'tk_acme' });
    expect(typed.status).toBe(400);
    expect(typed.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.code']);
    expect(await t.database.system.companyPlatform.count({ where: { orgKey: 'tk_acme' } })).toBe(0);

    const bound = await admin('post', '/api/v1/company/platforms').send({ platform: 'lark', code: lark.issueAuthCode('ou_admin', { tenantKey: 'tk_acme' }) });
    expect(bound.status).toBe(201);
    const acme = bound.body.platforms.find((p: { orgKey: string }) => p.orgKey === 'tk_acme');
    expect(acme).toMatchObject({ platform: 'lark', platformLabel: '飞书' });
    const again = await admin('post', '/api/v1/company/platforms').send({ platform: 'lark', code: lark.issueAuthCode('ou_admin', { tenantKey: 'tk_acme' }) });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('该飞书组织已绑定到本公司');

    const other = await createSecondCompany(t);
    const theirs = await as(t, other.adminUsername);
    const stolen = await theirs('post', '/api/v1/company/platforms').send({ platform: 'lark', code: lark.issueAuthCode('ou_x', { tenantKey: 'tk_acme' }) });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.message).toBe('无法绑定该组织，请联系云桥管理员');
    expect(JSON.stringify(stolen.body)).not.toMatch(/其他公司|tk_acme|浙江云桥/);
    expect((await theirs('delete', `/api/v1/company/platforms/${acme.id}`)).status).toBe(404);

    // A used or made-up code proves nothing.
    expect((await theirs('post', '/api/v1/company/platforms').send({ platform: 'lark', code: 'made-up' })).status).toBe(401);
    const sales = await as(t, 'li.xs');
    expect((await sales('post', '/api/v1/company/platforms').send({ platform: 'lark', code: lark.issueAuthCode('ou_li.xs', { tenantKey: 'tk_new' }) })).status).toBe(403);

    const unbound = await admin('delete', `/api/v1/company/platforms/${acme.id}`);
    expect(unbound.status).toBe(200);
    expect(unbound.body.platforms.find((p: { orgKey: string }) => p.orgKey === 'tk_acme')).toBeUndefined();
    expect((await theirs('post', '/api/v1/company/platforms').send({ platform: 'lark', code: lark.issueAuthCode('ou_x', { tenantKey: 'tk_acme' }) })).status).toBe(201);
  });

  it('企业微信的登录码来自配置的企业：绑定的是该 corpid；未开启的平台 400', async () => {
    await t.database.system.companyPlatform.deleteMany({ where: { platform: 'wecom' } });
    const res = await admin('post', '/api/v1/company/platforms').send({ platform: 'wecom', code: wecom.issueAuthCode('admin') });
    expect(res.status).toBe(201);
    expect(res.body.platforms.find((p: { platform: string }) => p.platform === 'wecom').orgKey).toBe(WECOM_CORP);
    const off = await admin('post', '/api/v1/company/platforms').send({ platform: 'dingtalk', code: 'abc' });
    expect(off.status).toBe(400);
    expect(off.body.error.details[0].field).toBe('params.platform');
  });

  it('请求格式错误 400', async () => {
    const res = await admin('post', '/api/v1/company/platforms').send({ platform: 'feishu' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.code', 'body.platform']);
  });
});
