// 录入凭证 in real Chromium against the real server: 钱会计 signs in at the IM desktop client's width
// (1280 px) and enters a balanced two-line voucher with the keyboard only (Enter through the cells,
// the account cell's code search, // for the 摘要, = to balance, Ctrl+S); the voucher's page shows it
// as saved. At 375 px the same page is a card per line without sideways scrolling.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';
import { DESKTOP, listen, newPhone, passwordLogin } from './phone.ts';

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;

describe.skipIf(browserMissing)('录入凭证（真实 Chromium，键盘）', () => {
  beforeAll(async () => {
    t = await createTestApp();
    ({ server, base } = await listen(t));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
  });

  it('1280 px：钱会计登录后只用键盘录入 借 库存现金 800 / 贷 银行存款（= 找平），Ctrl+S 后在凭证页看到它', async () => {
    const { context, page } = await newPhone(browser, t, undefined, DESKTOP);
    await page.goto(`${base}/m/#/vouchers/new`);
    await passwordLogin(page, 'qian.kj');
    await page.waitForURL(/#\/vouchers\/new$/);
    const first = page.locator('[data-cell="0.summary"]');
    await first.waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("data-cell")')).toBe('0.summary');

    const kb = page.keyboard;
    await kb.press('Shift+Tab'); // back to 附单据 in the header
    await kb.type('1');
    await kb.press('Enter');
    await kb.type('提取备用金');
    await kb.press('Enter');
    await kb.type('1001');
    await page.locator('[data-test="ve-choices"] li', { hasText: '1001 库存现金' }).waitFor();
    await kb.press('Enter');
    await kb.type('800');
    await kb.press('Enter'); // → 贷方
    await kb.press('Enter'); // → line 2 摘要
    await kb.type('//');
    await kb.press('Enter');
    await kb.type('1002');
    await page.locator('[data-test="ve-choices"] li', { hasText: '1002 银行存款' }).waitFor();
    await kb.press('Enter');
    await kb.press('=');
    expect(await page.locator('[data-cell="1.credit"]').inputValue()).toBe('800.00');
    expect(await page.locator('[data-test="ve-capital"]').innerText()).toBe('捌佰元整');
    await page.screenshot({ path: '/tmp/yq-voucher-entry.png' });
    await kb.press('Control+s');

    await page.waitForURL(/#\/vouchers\/[0-9a-f-]{36}$/);
    const lines = page.locator('[data-test="voucher-lines"]');
    await lines.waitFor();
    expect(await page.locator('[data-test="voucher-attachments"]').innerText()).toMatch(/附单据\s*1 张/);
    const text = await lines.innerText();
    expect(text).toMatch(/提取备用金\s+1001 库存现金\s+800\.00/);
    expect(text).toMatch(/提取备用金\s+1002 银行存款\s+800\.00/);
    const saved = await t.database.system.voucher.findFirstOrThrow({ where: { summary: '提取备用金' }, include: { lines: { orderBy: { lineNo: 'asc' }, include: { account: true } } } });
    expect(saved.lines.map((l) => [l.account.code, l.debit.toFixed(2), l.credit.toFixed(2)])).toEqual([['1001', '800.00', '0.00'], ['1002', '0.00', '800.00']]);
    await context.close();
  });

  it('375 px：每行一张卡片，可读，不横向滚动', async () => {
    const { context, page } = await newPhone(browser, t, 'qian.kj', { viewport: { width: 375, height: 812 }, locale: 'zh-CN', hasTouch: true, isMobile: true });
    await page.goto(`${base}/m/#/vouchers/new`);
    await page.locator('[data-test="ve-card-1"]').waitFor();
    expect(await page.locator('[data-test="ve-grid"]').count()).toBe(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: '/tmp/yq-voucher-entry-375.png', fullPage: true });
    await context.close();
  });
});
