// Story 3 on WeCom through the whole server: a signed, encrypted "库存 M8螺栓" reaches
// /callbacks/wecom, the bot answers as the bound user, and the answer goes out through the
// (fake) WeCom API; a forged one is refused and acted on by nobody; a repeat is answered once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWecomFake, wecomCallback, wecomTextXml, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { putStock } from '../helpers/stock.ts';

const corpId = 'wwe2etest';
const token = 'e2eToken';
const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
let fake: WecomFake;
let t: TestApp;

beforeAll(async () => {
  fake = await startWecomFake({ corpId, secret: 'sec', agentId: 1000002 });
  t = await createTestApp({
    WECOM_CORP_ID: corpId, WECOM_SECRET: 'sec', WECOM_AGENT_ID: '1000002', WECOM_TOKEN: token,
    WECOM_ENCODING_AES_KEY: encodingAesKey, WECOM_BASE_URL: fake.url,
  });
  const company = await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } });
  await t.database.system.companyPlatform.create({ data: { companyId: company.id, platform: 'wecom', orgKey: corpId } });
  await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '30000', unitCost: '0.03' });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const post = (xml: string) => {
  const cb = wecomCallback(xml, { token, encodingAesKey, corpId, agentId: 1000002 });
  return { cb, send: () => t.http().post('/callbacks/wecom').query(cb.query).set('Content-Type', 'text/xml').send(cb.body) };
};

describe('企业微信：@bot 库存 M8螺栓', () => {
  it('绑定用户收到按仓库的库存答复；重复推送只答一次', async () => {
    const { send } = post(wecomTextXml({ corpId, from: 'wang.cg', content: '库存 M8螺栓', msgId: '900001' }));
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const answers = fake.sent.filter((m) => m.touser === 'wang.cg');
    expect(answers).toHaveLength(1);
    const text = JSON.stringify(answers[0]!.body);
    expect(text).toContain('M8');
    expect(text).toContain('30,000');
  });

  it('签名被篡改：401，什么也不做', async () => {
    const { cb } = post(wecomTextXml({ corpId, from: 'wang.cg', content: '库存 M8螺栓', msgId: '900002' }));
    const before = fake.sent.length;
    const res = await t.http().post('/callbacks/wecom').query({ ...cb.query, msg_signature: '0'.repeat(40) }).set('Content-Type', 'text/xml').send(cb.body);
    expect(res.status).toBe(401);
    expect(fake.sent.length).toBe(before);
  });

  it('未绑定的成员得到绑定链接', async () => {
    const { send } = post(wecomTextXml({ corpId, from: 'stranger', content: '库存 M8螺栓', msgId: '900003' }));
    expect((await send()).status).toBe(200);
    expect(JSON.stringify(fake.sent.find((m) => m.touser === 'stranger')?.body)).toContain('bind');
  });
});
