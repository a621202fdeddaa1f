// 移动端（真实 Chromium, 375×667）: 李销售 creates a sales order from the phone's 工作台 — customer
// and item searched, 10 箱 at 15 % off — submits it, and sees it 待审批 (the 销售折扣 flow: > 10 %
// goes to 销售经理); the server holds the order, its discount and the approval.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';
import { listen, newPhone, PHONE } from './phone.ts';

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;

describe.skipIf(browserMissing)('移动端：手机上新建销售订单（真实 Chromium）', () => {
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

  it('李销售：工作台 → 新建订单 → 搜客户、搜物料、10 箱、整单 15% 折扣 → 提交 → 待审批', async () => {
    const { context, page } = await newPhone(browser, t, 'li.xs', { ...PHONE, viewport: { width: 375, height: 667 } });
    await page.goto(`${base}/m/#/`);
    await page.locator('[data-action="new-sales-order"]').click();
    await page.waitForURL(/#\/sales-orders\/new$/);

    await page.locator('input[name="customerId"]').click();
    // another salesperson's customer is not offered (the API's data scope)
    const others = await t.database.system.customer.findFirstOrThrow({ where: { owner: { username: 'wu.xs' } } });
    await page.getByPlaceholder('搜索客户名称 / 编码').fill(others.code);
    await page.getByText('没有找到客户').waitFor();
    await page.getByPlaceholder('搜索客户名称 / 编码').fill('北仑港城');
    await page.locator('[data-customer="C0002"]').click();
    await page.locator('[data-line="0"] input[name="itemId"]').click();
    await page.getByPlaceholder('搜索物料编码 / 名称').fill('M8X30');
    await page.locator('[data-item="FG-BLT-M8X30"]').click();
    expect(await page.locator('[data-line="0"] input[name="unitId"]').inputValue()).toBe('箱'); // the sales unit
    await page.locator('[data-line="0"] input[name="quantity"]').fill('10');
    await page.locator('input[name="orderDiscount"]').fill('15');
    // 10 箱 × ¥55.00 (¥0.055 × 1000) = ¥550.00, 15 % off
    await page.locator('[data-test="estimate"]', { hasText: '¥467.50' }).waitFor();
    await page.screenshot({ path: '/tmp/yq-miniapp-order-form-375.png' });

    await page.locator('[data-test="submit"]').click();
    await page.waitForURL(/#\/sales-orders\/[0-9a-f-]{36}$/);
    await page.locator('.doc__state', { hasText: '待审批' }).waitFor();
    await page.getByText('¥467.50').first().waitFor();
    await page.screenshot({ path: '/tmp/yq-miniapp-order-pending-375.png' });

    const id = /sales-orders\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    const sys = t.database.system;
    const order = await sys.salesOrder.findUniqueOrThrow({ where: { id }, include: { lines: true } });
    const li = await sys.user.findFirstOrThrow({ where: { username: 'li.xs' } });
    expect([order.state, order.ownerId, order.totalWithTax.toFixed(2), order.listTotal.toFixed(2)]).toEqual(['pendingApproval', li.id, '467.50', '550.00']);
    expect(order.lines.map((l) => [l.quantity.toFixed(0), l.discountRate.toFixed(4), l.unitPrice.toFixed(2)])).toEqual([['10', '0.1500', '46.75']]);
    const approval = await sys.approval.findFirstOrThrow({ where: { documentId: id } });
    expect([approval.businessType, approval.state]).toEqual(['salesDiscount', 'pending']);
    await context.close();
  });
});
