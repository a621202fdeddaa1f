// Shared pieces of the mini-app browser tests: the real app on a loopback port, and a "phone"
// (a 390×844 Chromium context, Chinese locale) that may start signed in as a demo user.
import type { Server } from 'node:http';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.ts';
import { DEMO_PASSWORD } from '../helpers/factories.ts';

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', hasTouch: true, isMobile: true } as const;
/** the IM desktop client's window (a back-office PC) */
export const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' } as const;

export async function listen(t: TestApp): Promise<{ server: Server; base: string }> {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

export interface Phone {
  context: BrowserContext;
  page: Page;
}

/**
 * A fresh phone (or another device); with `username` it already holds that user's session (token and user in
 * localStorage, as the login page leaves them), so the test starts on the page it opens.
 */
export async function newPhone(browser: Browser, t: TestApp, username?: string, device: BrowserContextOptions = PHONE): Promise<Phone> {
  const context = await browser.newContext(device);
  if (username) {
    const res = await t.http().post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status}`);
    const token = JSON.stringify(res.body.token);
    const user = JSON.stringify(JSON.stringify(res.body.user));
    // (a string script: this file is type-checked without the DOM library)
    await context.addInitScript({
      content: `if (!localStorage.getItem('yunqiao.m.token')) { localStorage.setItem('yunqiao.m.token', ${token}); localStorage.setItem('yunqiao.m.user', ${user}); }`,
    });
  }
  return { context, page: await context.newPage() };
}

/** Fill the login form and submit. */
export async function passwordLogin(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByPlaceholder('请输入用户名').waitFor();
  await page.getByPlaceholder('请输入用户名').fill(username);
  await page.getByPlaceholder('请输入密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/**
 * Waits until a page expression is truthy. Not page.waitForFunction: that evaluates its predicate
 * with eval() inside the page, which the mini-app's CSP (no 'unsafe-eval') refuses; page.evaluate
 * goes through the DevTools protocol, which CSP does not govern.
 */
export async function waitUntil(page: Page, expression: string, timeout = 30_000): Promise<void> {
  for (const until = Date.now() + timeout; ; await new Promise((r) => setTimeout(r, 50))) {
    if (await page.evaluate(expression)) return;
    if (Date.now() > until) throw new Error(`${timeout} ms 内未满足：${expression}`);
  }
}
