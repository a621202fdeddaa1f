// 移动端: a salesperson signs in on the phone, sees the workbench and their own customers, opens one;
// the server's Content-Security-Policy blocks nothing the mini-app (or the API docs page) loads.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;

/** Collects every CSP violation the page reports (console and securitypolicyviolation events). */
async function watchCsp(p: Page): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  p.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) logged.push(m.text());
  });
  await p.addInitScript(`window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`);
  return async () => [...logged, ...((await p.evaluate('window.__csp')) as string[])];
}
let cspViolations: () => Promise<string[]>;

describe.skipIf(browserMissing)('移动端（真实 Chromium）', () => {
  beforeAll(async () => {
    t = await createTestApp();
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    cspViolations = await watchCsp(page);
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
  });

  it('未登录打开客户页会跳到登录；登录后回到客户页；工作台显示公司与部门', async () => {
    await page.goto(`${base}/m/#/customers`);
    await page.getByPlaceholder('请输入用户名').waitFor();
    await page.getByPlaceholder('请输入用户名').fill('li.xs');
    await page.getByPlaceholder('请输入密码').fill('yunqiao123');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/#\/customers/);
    await page.goto(`${base}/m/#/`);
    await page.getByText('浙江云桥五金配件有限公司 · 华东销售组').waitFor();
    await page.screenshot({ path: '/tmp/yq-miniapp-home.png' });
  });

  it('客户列表只显示自己的客户，可搜索，可打开详情', async () => {
    const mine = await t.database.system.customer.findMany({ where: { owner: { username: 'li.xs' } }, orderBy: { code: 'asc' } });
    await page.goto(`${base}/m/#/customers`);
    await page.getByText(mine[0]!.name).waitFor();
    const others = await t.database.system.customer.findFirstOrThrow({ where: { owner: { username: 'liu.xs' } } });
    expect(await page.getByText(others.name).count()).toBe(0);
    await page.screenshot({ path: '/tmp/yq-miniapp-customers.png' });
    await page.getByText(mine[0]!.name).click();
    await page.getByText('联系人').first().waitFor();
    await page.getByText(mine[0]!.code).first().waitFor();
    await page.screenshot({ path: '/tmp/yq-miniapp-customer.png' });
  });

  it('内容安全策略（CSP）没有拦截任何内容；API 文档页同样', async () => {
    expect(page.url()).toContain('/m/');
    expect(await cspViolations()).toEqual([]);
    // a one-operation spec: rendering the real one takes Swagger UI ~8 s here; the page, its
    // policy and its scripts are the real ones
    await page.route('**/api/v1/openapi.json', (route) =>
      route.fulfill({ json: { openapi: '3.1.0', info: { title: 'CSP 检查', version: '1' }, paths: { '/x': { get: { summary: '示例', responses: { 200: { description: 'ok' } } } } } } }),
    );
    await page.goto(`${base}/api/docs`);
    await page.getByText('CSP 检查').first().waitFor();
    await page.getByText('示例').first().click(); // expands the operation (icons, code blocks)
    await page.getByText('Try it out').waitFor();
    expect(await cspViolations()).toEqual([]);
  });
});
