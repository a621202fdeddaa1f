// 拜访 in real Chromium on a phone: 李销售 opens today's plan, checks in with the browser's position
// set at the WGS-84 equivalent of the customer's GCJ-02 pin (distance 0 m), takes a photo (resized in
// the page, shown with the server's watermark), writes notes and checks out. (The team list, the
// PC notice and the refusals are covered by tests/api/visits.test.ts and tests/miniapp/visits.test.ts.)
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../../server/modules/crm/visits/geo.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';
import { as } from '../helpers/factories.ts';
import { listen, newPhone, PHONE } from './phone.ts';

// a 1×1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;

describe.skipIf(browserMissing)('拜访（真实 Chromium）', () => {
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

  it('今日计划 → 签到（距离 0 米）→ 拍照（手机上压成 JPEG）→ 纪要 → 签退', async () => {
    const c = await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002', owner: { username: 'li.xs' } } });
    const li = await as(t, 'li.xs');
    const plan = await li('post', '/api/v1/visits').send({ customerId: c.id, plannedAt: new Date(Date.now() + 3_600_000).toISOString(), purpose: '回访报价' });
    expect(plan.status).toBe(201);

    const wgs = convert({ lat: c.latitude!.toNumber(), lng: c.longitude!.toNumber() }, 'gcj02', 'wgs84');
    const phone = await newPhone(browser, t, 'li.xs', { ...PHONE, viewport: { width: 375, height: 667 }, geolocation: { latitude: wgs.lat, longitude: wgs.lng, accuracy: 12 }, permissions: ['geolocation'] });
    const page = phone.page;
    await page.goto(`${base}/m/#/visits/today`);
    await page.getByText(c.name).waitFor();
    await page.screenshot({ path: '/tmp/yq-visits-today.png' });
    await page.getByText(c.name).click();
    await page.getByRole('button', { name: '签到' }).click();
    await page.locator('[data-test="distance"]').waitFor();
    expect(await page.locator('[data-test="distance"]').textContent()).toBe('距客户 0 米');

    await page.locator('[data-test="photo-input"]').setInputFiles({ name: 'door.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-test="photo-overlay"]').waitFor();
    expect(await page.locator('[data-test="photo-overlay"]').textContent()).toContain('李销售');
    await page.locator('[data-test="notes"] textarea').fill('客户对 M8 螺栓报价满意');
    await page.locator('[data-test="next-step"] textarea').fill('周五前发正式报价');
    await page.screenshot({ path: '/tmp/yq-visit-checked-in.png', fullPage: true });
    await page.getByRole('button', { name: '签退' }).click();
    await page.locator('[data-test="check-out"]').waitFor();
    await page.screenshot({ path: '/tmp/yq-visit-done.png', fullPage: true });

    const saved = await t.database.system.visit.findUniqueOrThrow({ where: { id: plan.body.id } });
    expect(saved).toMatchObject({ state: 'done', distanceMeters: 0, notes: '客户对 M8 螺栓报价满意', nextStep: '周五前发正式报价', positionSource: 'browser', coordSystem: 'wgs84' });
    const photo = await t.database.system.attachment.findFirstOrThrow({ where: { entity: 'visit', entityId: plan.body.id } });
    expect(photo.mimeType).toBe('image/jpeg'); // resized into a JPEG on the phone
    await phone.context.close();
  });
});
