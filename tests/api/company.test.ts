// 公司设置: a company knows which IM organisations are itself; an organisation belongs to one company.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { as, createSecondCompany, type AuthedClient } from '../helpers/factories.ts';

let t: TestApp;
let admin: AuthedClient;

beforeAll(async () => {
  t = await createTestApp();
  admin = await as(t, 'admin');
});
afterAll(async () => t?.close());

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

  it('绑定与解绑 IM 组织；同一组织不能属于两家公司', async () => {
    const bound = await admin('post', '/api/v1/company/platforms').send({ platform: 'wecom', orgKey: 'ww1234567890abcdef' });
    expect(bound.status).toBe(201);
    const wecom = bound.body.platforms.find((p: { platform: string }) => p.platform === 'wecom');
    expect(wecom).toMatchObject({ orgKey: 'ww1234567890abcdef', platformLabel: '企业微信' });
    const again = await admin('post', '/api/v1/company/platforms').send({ platform: 'wecom', orgKey: 'ww1234567890abcdef' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('企业微信组织 ww1234567890abcdef 已绑定到本公司');

    const other = await createSecondCompany(t);
    const theirs = await as(t, other.adminUsername);
    const stolen = await theirs('post', '/api/v1/company/platforms').send({ platform: 'wecom', orgKey: 'ww1234567890abcdef' });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.message).toBe('企业微信组织 ww1234567890abcdef 已绑定到其他公司');
    expect((await theirs('delete', `/api/v1/company/platforms/${wecom.id}`)).status).toBe(404);

    const unbound = await admin('delete', `/api/v1/company/platforms/${wecom.id}`);
    expect(unbound.status).toBe(200);
    expect(unbound.body.platforms.find((p: { platform: string }) => p.platform === 'wecom')).toBeUndefined();
    expect((await theirs('post', '/api/v1/company/platforms').send({ platform: 'wecom', orgKey: 'ww1234567890abcdef' })).status).toBe(201);
  });

  it('组织标识格式错误 400', async () => {
    const res = await admin('post', '/api/v1/company/platforms').send({ platform: 'feishu', orgKey: 'a b' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.orgKey', 'body.platform']);
  });
});
