// Story 7 in real Chromium, where each person works: 孙计划 (planner) at 1280 px in the IM desktop
// client runs MRP on the demo data, sees the run's summary and the suggestions as a table with the
// orders they serve, and releases a production suggestion with 合并投放; 陈工人 (worker, only
// productionTask:report) at 375 px on the phone opens the released task and reports work (报工).
// The figures on the pages are checked against the API's.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';
import { as, type AuthedClient } from '../helpers/factories.ts';
import { DESKTOP, listen, newPhone, PHONE, waitUntil } from './phone.ts';

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
let sun: AuthedClient;
let taskId: string;

describe.skipIf(browserMissing)('故事 7：计划员在桌面端运行 MRP 并投放，工人在手机上报工（真实 Chromium）', () => {
  beforeAll(async () => {
    t = await createTestApp();
    ({ server, base } = await listen(t));
    sun = await as(t, 'sun.jh');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
  });

  it('1280 px：运行 MRP → 本次建议的条数与金额 → 表格里的生产建议与服务的订单 → 合并投放成生产任务单', async () => {
    const { context, page } = await newPhone(browser, t, 'sun.jh', DESKTOP);
    await page.goto(`${base}/m/#/mrp/suggestions`);
    await page.locator('[data-test="run-mrp"]').click();
    await page.locator('[data-test="run-summary"]').waitFor({ timeout: 30_000 });
    const run = (await sun('get', '/api/v1/mrp/runs?pageSize=1')).body.items[0];
    expect(run).toMatchObject({ state: 'completed', startedBy: { name: '孙计划' } });
    expect(run.productionCount).toBeGreaterThan(0);
    const summary = await page.locator('[data-test="run-summary"]').innerText();
    expect(summary).toContain(`采购 ${run.purchaseCount} 条`);
    expect(summary).toContain(`生产 ${run.productionCount} 条`);

    // production suggestions only: at 1280 px a table, nothing wider than the window
    await page.locator('[data-test="kind-production"]').click();
    const production = (await sun('get', '/api/v1/mrp/suggestions?kind=production&state=suggested&pageSize=200')).body;
    expect(production.total).toBe(run.productionCount);
    await page.locator('table.data-table tbody tr').first().waitFor();
    await waitUntil(page, `document.querySelectorAll('table.data-table tbody tr').length === ${Math.min(production.total, 20)}`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);

    // the demo's M8 bolt (it has a BOM): search, select its first row and 合并投放 — exactly that
    // suggestion becomes a production task
    await page.getByPlaceholder('搜索物料编码 / 名称').fill('FG-BLT-M8X30');
    await page.getByPlaceholder('搜索物料编码 / 名称').press('Enter');
    await waitUntil(page, `[...document.querySelectorAll('table.data-table tbody tr')].every((r) => r.textContent.includes('FG-BLT-M8X30'))`);
    const row = page.locator('table.data-table tbody tr').first();
    const rowText = await row.innerText();
    await row.locator('[data-test="select"]').click();
    expect(await page.locator('[data-test="selected-count"]').innerText()).toBe('已选 1 条');
    await page.locator('[data-test="release"]').click();
    await page.locator('[data-test="action-result"]').waitFor();
    expect(await page.locator('[data-test="action-result"]').innerText()).toMatch(/生产任务/);

    const releasedList = (await sun('get', '/api/v1/mrp/suggestions?kind=production&state=released&pageSize=200')).body;
    expect(releasedList.total).toBe(1);
    const released = releasedList.items[0];
    expect(rowText).toContain(released.item.code);
    expect(released).toMatchObject({ state: 'released', released: { type: 'productionTask' } });
    taskId = released.released.id;
    await context.close();
  });

  it('375 px：工人打开下达的生产任务单，只有「报工」，报良品 10、工时 1.5 后页面显示新的报工合计', async () => {
    expect(taskId).toBeTruthy();
    const release = await sun('post', `/api/v1/production-tasks/${taskId}/release`).send({});
    expect(release.status, JSON.stringify(release.body)).toBe(200);
    const task = release.body;

    const { context, page } = await newPhone(browser, t, 'chen.gr', { ...PHONE, viewport: { width: 375, height: 667 } });
    await page.goto(`${base}/m/#/production-tasks/${taskId}`);
    await page.locator('[data-test="fig-good"]').waitFor();
    expect(await page.locator('.task-detail__action').allInnerTexts()).toEqual(['报工']);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    await page.locator('[data-action="report"]').click();
    await page.locator('[data-test="report-sheet"]').waitFor();
    const ops = page.locator('[data-test="report-operations"] [data-operation]');
    if (await ops.count()) await ops.first().click();
    await page.locator('[data-test="report-good"] input').fill('10');
    await page.locator('[data-test="report-hours"] input').fill('1.5');
    await page.locator('[data-test="report-submit"]').click();
    await waitUntil(page, `document.querySelector('[data-test="fig-good"]').textContent.includes('10')`);

    const after = (await sun('get', `/api/v1/production-tasks/${taskId}`)).body;
    expect(after).toMatchObject({ id: task.id, reportedGoodQuantity: '10.0000', reportedHours: '1.50' });
    const reports = (await sun('get', `/api/v1/production-tasks/${taskId}/work-reports`)).body;
    const list = Array.isArray(reports) ? reports : reports.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ worker: { name: '陈工人' }, goodQuantity: '10.0000', hours: '1.50' });
    await context.close();
  });
});
