// 移动端免登（真实 Chromium）: the platform's OAuth redirect opens /m/?code=…&state=<platform>#/…;
// a bound account lands signed in on the requested page, an unbound one sees the login page with
// the binding notice and is bound right after the password login. The platforms are loopback fakes
// (企业微信, 飞书) that issue the one-time codes.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJwtSecret, TokenSigner } from '../../server/platform/auth.ts';
import { startLarkFake, type LarkFake } from '../fakes/lark.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';
import { putStock } from '../helpers/stock.ts';
import { listen, newPhone, passwordLogin } from './phone.ts';

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
let lark: LarkFake;
let wecom: WecomFake;
const CORP = { corpId: 'ww_yunqiao_m', secret: 'wecom_secret_m', agentId: 1000002 };
let companyId: string;
let m8: string;

describe.skipIf(browserMissing)('移动端：从企业微信 / 飞书打开（免登与绑定）', () => {
  beforeAll(async () => {
    [wecom, lark] = await Promise.all([startWecomFake(CORP), startLarkFake({ appId: 'cli_m', appSecret: 'secret_m' })]);
    t = await createTestApp({
      WECOM_CORP_ID: CORP.corpId, WECOM_SECRET: CORP.secret, WECOM_AGENT_ID: String(CORP.agentId), WECOM_BASE_URL: wecom.url,
      LARK_APP_ID: 'cli_m', LARK_APP_SECRET: 'secret_m', LARK_BASE_URL: lark.url,
    });
    ({ server, base } = await listen(t));
    companyId = (await t.database.system.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    // the corp the WeCom app is installed in belongs to the demo company
    await t.database.system.companyPlatform.create({ data: { companyId, platform: 'wecom', orgKey: CORP.corpId } });
    // and so does the Feishu tenant its people sign in from (the sign-in code names it)
    await t.database.system.companyPlatform.create({ data: { companyId, platform: 'lark', orgKey: 'tk_yunqiao_m' } });
    m8 = (await t.database.system.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id;
    await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '30000', unitCost: '0.03' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
    await Promise.all([wecom?.close(), lark?.close()]);
  });

  it('已绑定的企业微信账号：直接登录并打开卡片链接的页面，地址里不再有 code', async () => {
    const { context, page } = await newPhone(browser, t);
    const code = wecom.issueAuthCode('li.xs'); // the demo users are bound: WeCom userid = username (prisma/seed.ts)
    await page.goto(`${base}/m/?code=${code}&state=wecom#/stock/${m8}`);
    await page.locator('[data-warehouse="WH02"]').waitFor();
    expect(await page.locator('[data-warehouse="WH02"]').innerText()).toMatch(/在库\s*30,000 个/);
    expect(page.url()).toBe(`${base}/m/#/stock/${m8}`);
    expect(await page.evaluate('JSON.parse(localStorage.getItem("yunqiao.m.user")).username')).toBe('li.xs');
    expect(wecom.requests.filter((r) => r.path === '/cgi-bin/auth/getuserinfo')).toHaveLength(1);
    // a reload does not post the spent code again
    await page.reload();
    await page.locator('[data-warehouse="WH02"]').waitFor();
    expect(wecom.requests.filter((r) => r.path === '/cgi-bin/auth/getuserinfo')).toHaveLength(1);
    await context.close();
  });

  it('飞书也一样：已绑定的飞书账号打开工作台', async () => {
    const { context, page } = await newPhone(browser, t);
    await page.goto(`${base}/m/?code=${lark.issueAuthCode('ou_liu.xs', { tenantKey: 'tk_yunqiao_m' })}&state=lark#/`);
    await page.getByText('浙江云桥五金配件有限公司 · 华南销售组').waitFor();
    expect(page.url()).toBe(`${base}/m/#/`);
    expect(await page.evaluate('JSON.parse(localStorage.getItem("yunqiao.m.user")).username')).toBe('liu.xs');
    await context.close();
  });

  it('未绑定的企业微信账号：登录页提示会自动绑定；密码登录后绑定，回到原页面', async () => {
    const before = await t.database.system.platformIdentity.findFirst({ where: { platform: 'wecom', externalUserId: 'WuXiaoShou' } });
    expect(before).toBeNull();
    const { context, page } = await newPhone(browser, t);
    await page.goto(`${base}/m/?code=${wecom.issueAuthCode('WuXiaoShou')}&state=wecom#/sales-orders`);
    await page.getByText('登录后将自动绑定你的企业微信账号').waitFor();
    expect(page.url()).toBe(`${base}/m/#/login?redirect=/sales-orders`);
    await page.screenshot({ path: '/tmp/yq-login-bind.png' });

    await passwordLogin(page, 'wu.xs');
    await page.getByText('已绑定企业微信账号').waitFor();
    await page.waitForURL(/#\/sales-orders$/);
    const identity = await t.database.system.platformIdentity.findFirstOrThrow({
      where: { companyId, platform: 'wecom', externalUserId: 'WuXiaoShou' },
      include: { user: { select: { username: true } } },
    });
    expect(identity.user.username).toBe('wu.xs');
    expect(await page.evaluate('sessionStorage.getItem("yunqiao.m.pendingBind")')).toBeNull();

    // next time, the same WeCom account signs straight in as 吴销售
    await page.evaluate('localStorage.clear()');
    await page.goto(`${base}/m/?code=${wecom.issueAuthCode('WuXiaoShou')}&state=wecom#/me`);
    await page.getByText('wu.xs').waitFor();
    await context.close();
  });

  it('无效或已用过的 code、非本企业成员：中文提示，停在登录页', async () => {
    const { context, page } = await newPhone(browser, t);
    await page.goto(`${base}/m/?code=made-up&state=wecom#/stock`);
    await page.getByText('企业微信登录码无效或已过期，请重新打开应用').waitFor();
    await page.getByPlaceholder('请输入用户名').waitFor();
    expect(page.url()).toBe(`${base}/m/#/login?redirect=/stock`);
    await page.screenshot({ path: '/tmp/yq-login-failed.png' });

    await page.goto(`${base}/m/?code=${wecom.issueAuthCode('visitor', { nonMember: true })}&state=wecom#/stock`);
    await page.getByText('企业微信登录码无效或已过期，请重新打开应用').waitFor();
    expect(await page.evaluate('localStorage.getItem("yunqiao.m.token")')).toBeNull();
    await context.close();
  });

  it('机器人私信的绑定链接：登录后自动绑定，绑定页显示已绑定', async () => {
    const { context, page } = await newPhone(browser, t);
    // what the bot puts into the link it sends an unbound sender (bot/commands/run.ts bindLink)
    const tokens = new TokenSigner(await loadJwtSecret(t.database.system, t.config.JWT_SECRET));
    const bindToken = await tokens.signBinding({ platform: 'lark', externalUserId: 'ou_from_chat', companyId });
    await page.goto(`${base}/m/#/bind?platform=lark&bindToken=${encodeURIComponent(bindToken)}`);
    await page.getByText('登录后将自动绑定你的飞书账号').waitFor();
    expect(page.url()).not.toContain('bindToken');
    await passwordLogin(page, 'zhao.ck');
    await page.getByRole('heading', { name: '已绑定飞书账号' }).waitFor();
    await page.screenshot({ path: '/tmp/yq-bind-done.png' });
    const identity = await t.database.system.platformIdentity.findFirstOrThrow({
      where: { platform: 'lark', externalUserId: 'ou_from_chat' },
      include: { user: { select: { username: true } } },
    });
    expect(identity.user.username).toBe('zhao.ck');

    await page.goto(`${base}/m/#/bind?platform=dingtalk`);
    await page.getByText('钉钉的工作台中打开「云桥」应用').waitFor();
    await page.screenshot({ path: '/tmp/yq-bind-howto.png' });
    await context.close();
  });
});
