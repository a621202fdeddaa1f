// Story 2 in real Chromium against the real server: 李销售 signs in from Feishu (a loopback fake's
// one-time code), sees today's plan on the workbench, checks in at 北仑港城 with the browser's
// position at the WGS-84 equivalent of its GCJ-02 pin (0 米) and at a second customer ~2 km off
// (warning), takes a photo, writes notes and next step, moves the customer's opportunity to 报价
// from the visit page, creates a quotation and a sales order at 15 % off (待审批) and checks out;
// 张经理 sees the visit in 拜访记录, approves the order, and the customer's 360 shows the visit, the
// order (已确认) and its progress. Also: WeCom and DingTalk sign-in, and another salesperson
// opening those records by URL gets the not-found page (the API answers 404). Screenshots of the
// pages at 375×667, 400×800 and 1280×800 go to tests/e2e/screenshots/ (git-ignored).
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../../server/modules/crm/visits/geo.ts';
import { startDingTalkFake, type DingTalkFake } from '../fakes/dingtalk.ts';
import { startLarkFake, type LarkFake } from '../fakes/lark.ts';
import { startWecomFake, type WecomFake } from '../fakes/wecom.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';
import { as } from '../helpers/factories.ts';
import { listen, newPhone, passwordLogin, PHONE, waitUntil } from './phone.ts';

// a 1×1 PNG (real image bytes; the page turns it into a JPEG before upload)
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const SHOTS = path.join(import.meta.dirname, 'screenshots');
const SMALL = { width: 375, height: 667 };
const CORP = { corpId: 'ww_story2', secret: 'wecom_story2', agentId: 1000002 };
const LARK = { appId: 'cli_story2', appSecret: 'lark_story2', tenantKey: 'tk_story2' };
const DING = { appKey: 'ding_story2', appSecret: 'ding_secret_story2', corpId: 'ding_corp_story2' };

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
let lark: LarkFake;
let wecom: WecomFake;
let ding: DingTalkFake;

interface Pin { id: string; name: string; lat: number; lng: number }
let gangCheng: Pin; // C0002, the story's customer
let yongXing: Pin; // C0003, the second plan, checked in ~2 km away
let opportunityId: string;
let visitId: string;
let farVisitId: string;
let orderId: string;
let orderNumber: string;

/**
 * The page at the three sizes (phone, IM side panel, IM window), full page, then back to the phone:
 * after any sheet or dialog has closed, without the passing toasts (a string: this file is checked
 * without the DOM library).
 */
async function shoot(page: Page, name: string): Promise<void> {
  await waitUntil(page, `![...document.querySelectorAll('.van-popup:not(.van-toast)')].some((e) => getComputedStyle(e).display !== 'none')`, 5000);
  // (not screenshot's `style`: the mini-app's CSP refuses injected style sheets; visibility, which v-show leaves alone)
  const toasts = (value: string) => page.evaluate(`document.querySelectorAll('.van-toast').forEach((e) => ${value ? `e.style.setProperty('visibility', '${value}')` : `e.style.removeProperty('visibility')`})`);
  await toasts('hidden');
  for (const size of [SMALL, { width: 400, height: 800 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  }
  await toasts('');
  await page.setViewportSize(SMALL);
}

/** The customer's GCJ-02 pin, as the seed holds it. */
async function pinOf(code: string): Promise<Pin> {
  const c = await t.database.system.customer.findFirstOrThrow({ where: { code, owner: { username: 'li.xs' } } });
  return { id: c.id, name: c.name, lat: c.latitude!.toNumber(), lng: c.longitude!.toNumber() };
}

/** Where the browser says it is: the WGS-84 point whose GCJ-02 form is `gcj` (what a phone's GPS reports there). */
function browserPositionAt(gcj: { lat: number; lng: number }) {
  const wgs = convert(gcj, 'gcj02', 'wgs84');
  return { latitude: wgs.lat, longitude: wgs.lng, accuracy: 12 };
}

describe.skipIf(browserMissing)('故事 2：李销售在手机上拜访、推进商机、下单；张经理审批（真实 Chromium）', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    [lark, wecom, ding] = await Promise.all([
      startLarkFake({ appId: LARK.appId, appSecret: LARK.appSecret }),
      startWecomFake(CORP),
      startDingTalkFake({ appKey: DING.appKey, appSecret: DING.appSecret }),
    ]);
    t = await createTestApp({
      LARK_APP_ID: LARK.appId, LARK_APP_SECRET: LARK.appSecret, LARK_BASE_URL: lark.url,
      WECOM_CORP_ID: CORP.corpId, WECOM_SECRET: CORP.secret, WECOM_AGENT_ID: String(CORP.agentId), WECOM_BASE_URL: wecom.url,
      DINGTALK_APP_KEY: DING.appKey, DINGTALK_APP_SECRET: DING.appSecret, DINGTALK_CORP_ID: DING.corpId,
      DINGTALK_BASE_URL: ding.url, DINGTALK_OAPI_BASE_URL: ding.url,
    });
    ({ server, base } = await listen(t));
    const sys = t.database.system;
    const companyId = (await sys.company.findFirstOrThrow({ where: { code: 'YUNQIAO' } })).id;
    // the three IM organisations belong to the demo company (its users are bound: prisma/seed.ts)
    await sys.companyPlatform.createMany({
      data: [
        { companyId, platform: 'lark', orgKey: LARK.tenantKey },
        { companyId, platform: 'wecom', orgKey: CORP.corpId },
        { companyId, platform: 'dingtalk', orgKey: DING.corpId },
      ],
    });
    [gangCheng, yongXing] = await Promise.all([pinOf('C0002'), pinOf('C0003')]);

    // the test template has no demo CRM records: 李销售's opportunity and today's two plans
    const li = await as(t, 'li.xs');
    const opp = await li('post', '/api/v1/opportunities').send({ customerId: gangCheng.id, title: '港城汽车 2027 年 M8 螺栓框架采购', amount: '120000.00', expectedCloseDate: '2027-06-30' });
    expect(opp.status).toBe(201);
    opportunityId = opp.body.id;
    const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const plan = await li('post', '/api/v1/visits').send({ customerId: gangCheng.id, plannedAt: soon(30), purpose: '看样后报价' });
    const far = await li('post', '/api/v1/visits').send({ customerId: yongXing.id, plannedAt: soon(5), purpose: '送样' });
    expect([plan.status, far.status]).toEqual([201, 201]);
    [visitId, farVisitId] = [plan.body.id, far.body.id];
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
    await Promise.all([lark?.close(), wecom?.close(), ding?.close()]);
  });

  it('李销售（飞书免登）：今日计划 → 2 公里外签到有预警 → 在客户处签到 0 米、拍照、纪要、商机推进到报价 → 报价单、15% 折扣订单（待审批）→ 签退', async () => {
    const { context, page } = await newPhone(browser, t, undefined, { ...PHONE, viewport: SMALL, permissions: ['geolocation'] });
    const code = lark.issueAuthCode('ou_li.xs', { tenantKey: LARK.tenantKey });
    await page.goto(`${base}/m/?code=${code}&state=lark#/`);

    // 工作台: today's plan, earliest first
    const plan = page.locator('[data-test="today-plan"]');
    await plan.locator(`[data-visit="${visitId}"]`).waitFor();
    expect(page.url()).toBe(`${base}/m/#/`);
    expect(await page.evaluate('JSON.parse(localStorage.getItem("yunqiao.m.user")).username')).toBe('li.xs');
    expect(await plan.locator('[data-visit]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-visit')))).toEqual([farVisitId, visitId]);
    expect(await plan.locator(`[data-visit="${visitId}"]`).innerText()).toContain(gangCheng.name);
    expect(await plan.locator(`[data-visit="${visitId}"]`).innerText()).toContain('看样后报价');
    await shoot(page, 'workbench');

    // the first plan, checked in 0.018° of latitude north of the customer's pin: 2001.5 m > 500 m
    await context.setGeolocation(browserPositionAt({ lat: yongXing.lat + 0.018, lng: yongXing.lng }));
    await plan.locator(`[data-visit="${farVisitId}"]`).click();
    await page.waitForURL(new RegExp(`#/visits/${farVisitId}$`));
    await page.locator('[data-test="check-in-button"]').click();
    const distance = page.locator('[data-test="distance"]');
    await distance.waitFor();
    expect(await distance.textContent()).toBe('距客户 2.0 公里（超出 500 米）');
    expect(await distance.getAttribute('class')).toContain('is-alert');
    await page.locator('.van-toast', { hasText: '已签到，但离客户较远' }).waitFor();
    const farSaved = await t.database.system.visit.findUniqueOrThrow({ where: { id: farVisitId } });
    expect(farSaved.distanceWarning).toBe(true);
    expect(Math.abs(farSaved.distanceMeters! - 2001)).toBeLessThanOrEqual(2); // 0.018° × π/180 × 6,371,008.8 m
    // one visit in progress at a time: this one ends before the next check-in
    await page.locator('[data-test="check-out-button"]').click();
    await page.locator('[data-test="check-out"]').waitFor();

    // at 北仑港城: the phone reports the WGS-84 point of its GCJ-02 pin
    await context.setGeolocation(browserPositionAt(gangCheng));
    await page.goto(`${base}/m/#/visits/${visitId}`);
    await page.locator('[data-test="check-in-button"]').click();
    await distance.waitFor();
    expect(await distance.textContent()).toBe('距客户 0 米');
    expect(await distance.getAttribute('class')).not.toContain('is-alert');
    expect(await page.locator('[data-test="visit-state"]').innerText()).toBe('拜访中');

    await page.locator('[data-test="notes"] textarea').fill('雷工看样满意，2027 年 M8×30 约 60 万只');
    await page.locator('[data-test="next-step"] textarea').fill('周五前发正式报价');
    // 推进商机: the customer's open opportunity → 报价
    await page.locator('[data-test="opportunity-field"]').click();
    await page.locator('.van-action-sheet__item', { hasText: '港城汽车 2027 年 M8 螺栓框架采购' }).click();
    expect(await page.locator('[data-test="stage-field"] input').getAttribute('placeholder')).toBe('当前：初步接洽');
    await page.locator('[data-test="stage-field"]').click();
    await page.locator('.van-action-sheet__item', { hasText: /^报价/ }).click();
    expect(await page.locator('[data-test="stage-field"] input').inputValue()).toBe('报价');
    // a photo taken meanwhile (the page makes it a JPEG): what is typed and picked stays on the page
    await page.locator('[data-test="photo-input"]').setInputFiles({ name: 'sample.png', mimeType: 'image/png', buffer: PNG });
    const overlay = page.locator('[data-test="photo-overlay"]');
    await overlay.waitFor();
    expect(await overlay.textContent()).toContain('李销售');
    expect(await page.locator('[data-test="notes"] textarea').inputValue()).toBe('雷工看样满意，2027 年 M8×30 约 60 万只');
    expect(await page.locator('[data-test="next-step"] textarea').inputValue()).toBe('周五前发正式报价');
    expect(await page.locator('[data-test="stage-field"] input').inputValue()).toBe('报价');
    await shoot(page, 'visit');
    await page.getByRole('button', { name: '保存记录' }).click();
    await page.locator('[data-test="opportunity-stage"]', { hasText: '报价' }).waitFor();
    const opp = await t.database.system.opportunity.findUniqueOrThrow({ where: { id: opportunityId }, include: { stage: true } });
    expect(opp.stage.name).toBe('报价');
    const saved = await t.database.system.visit.findUniqueOrThrow({ where: { id: visitId } });
    const photo = await t.database.system.attachment.findFirstOrThrow({ where: { entity: 'visit', entityId: visitId } });
    expect(photo.mimeType).toBe('image/jpeg');
    expect(saved).toMatchObject({ state: 'inProgress', distanceMeters: 0, distanceWarning: false, notes: '雷工看样满意，2027 年 M8×30 约 60 万只', nextStep: '周五前发正式报价', opportunityId, opportunityStage: '报价' });

    // 新建报价 from the visit: the customer is filled in; 10 箱 M8×30 at 15 % off
    await page.locator('[data-test="visit-new-quotation"]').click();
    await page.waitForURL(/#\/quotations\/new\?customerId=/);
    await fillSalesDocument(page);
    await page.locator('[data-test="save-draft"]').click();
    await page.waitForURL(/#\/quotations\/[0-9a-f-]{36}$/);
    await page.getByText('¥467.50').first().waitFor();
    const quotationId = /quotations\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    const quotation = await t.database.system.quotation.findUniqueOrThrow({ where: { id: quotationId } });
    expect([quotation.customerId, quotation.totalWithTax.toFixed(2)]).toEqual([gangCheng.id, '467.50']);

    // 新建订单 from the visit, submitted: > 10 % off goes to 销售经理 (待审批)
    await page.goto(`${base}/m/#/visits/${visitId}`);
    await page.locator('[data-test="visit-new-order"]').click();
    await page.waitForURL(/#\/sales-orders\/new\?customerId=/);
    await fillSalesDocument(page);
    await shoot(page, 'order-form');
    await page.locator('[data-test="submit"]').click();
    await page.waitForURL(/#\/sales-orders\/[0-9a-f-]{36}$/);
    await page.locator('.doc__state', { hasText: '待审批' }).waitFor();
    orderId = /sales-orders\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    const order = await t.database.system.salesOrder.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true } });
    orderNumber = order.number;
    expect([order.state, order.customerId, order.listTotal.toFixed(2), order.totalWithTax.toFixed(2)]).toEqual(['pendingApproval', gangCheng.id, '550.00', '467.50']);
    expect(order.lines.map((l) => [l.quantity.toFixed(0), l.discountRate.toFixed(4), l.unitPrice.toFixed(2)])).toEqual([['10', '0.1500', '46.75']]);

    // 签退: a few seconds after check-in, 0 minutes, flagged short (company minimum 5)
    await page.goto(`${base}/m/#/visits/${visitId}`);
    await page.locator('[data-test="check-out-button"]').click();
    const checkOut = page.locator('[data-test="check-out"]');
    await checkOut.waitFor();
    expect((await checkOut.innerText()).replace(/\s+/g, ' ')).toContain('拜访时长 0 分钟（少于 5 分钟）');
    expect(await page.locator('[data-test="visit-state"]').innerText()).toBe('已完成');
    const done = await t.database.system.visit.findUniqueOrThrow({ where: { id: visitId } });
    expect([done.state, done.durationMinutes, done.tooShort]).toEqual(['done', 0, true]);
    await context.close();
  });

  it('张经理：拜访记录里看到这次拜访，审批通过订单，客户 360 显示拜访、订单与进度', async () => {
    const { context, page } = await newPhone(browser, t, undefined, { ...PHONE, viewport: SMALL });
    await page.goto(`${base}/m/#/visits`);
    await passwordLogin(page, 'zhang.jl');
    const row = page.locator(`[data-visit="${visitId}"]`);
    await row.waitFor();
    const rowText = await row.innerText();
    for (const part of ['李销售', gangCheng.name, '已完成', '距客户 0 米']) expect(rowText).toContain(part);
    expect(await page.locator(`[data-visit="${farVisitId}"]`).innerText()).toContain('距客户 2.0 公里（超出 500 米）');
    await shoot(page, 'team-visits');

    await page.goto(`${base}/m/#/approvals`);
    const pending = page.locator('.approval-row', { hasText: orderNumber });
    await pending.waitFor();
    expect(await pending.innerText()).toContain('折扣 15.0%');
    expect(await pending.innerText()).toContain('李销售');
    await pending.click();
    await page.locator('[data-test="approval-actions"]').getByRole('button', { name: '同意' }).click();
    await page.locator('.van-dialog__confirm').click();
    await page.locator('[data-test="approval-state"]', { hasText: /^\s*已同意\s*$/ }).waitFor();
    const order = await t.database.system.salesOrder.findUniqueOrThrow({ where: { id: orderId } });
    expect(order.state).toBe('confirmed');

    await page.goto(`${base}/m/#/customers/${gangCheng.id}`);
    const visits = page.locator('[data-test="c360-visits"]');
    await visits.locator(`[data-visit="${visitId}"]`).waitFor();
    const visitText = await visits.locator(`[data-visit="${visitId}"]`).innerText();
    expect(visitText).toContain('李销售');
    expect(visitText).toContain('雷工看样满意');
    expect(visitText).toContain('距客户 0 米');
    const orders = page.locator('[data-test="c360-orders"] .van-cell', { hasText: orderNumber });
    const orderText = (await orders.innerText()).replace(/\s+/g, ' ');
    expect(orderText).toContain('已确认');
    expect(orderText).toContain('¥467.50');
    expect(orderText).toContain('发货无 · 开票无 · 收款无');
    expect(await page.locator('[data-test="c360-opportunities"]').innerText()).toContain('报价');
    await shoot(page, 'customer-360');
    await context.close();
  });

  it('企业微信、钉钉免登：李销售直接进入工作台', async () => {
    for (const [platform, code] of [['wecom', wecom.issueAuthCode('li.xs')], ['dingtalk', ding.issueAuthCode('li.xs', '李销售')]] as const) {
      const { context, page } = await newPhone(browser, t, undefined, { ...PHONE, viewport: SMALL });
      await page.goto(`${base}/m/?code=${code}&state=${platform}#/`);
      await page.locator('[data-test="quick-actions"]').waitFor();
      expect(page.url()).toBe(`${base}/m/#/`);
      expect(await page.evaluate('JSON.parse(localStorage.getItem("yunqiao.m.user")).username')).toBe('li.xs');
      await context.close();
    }
  });

  it('另一个销售员按地址打开李销售的客户、拜访、商机：不存在页面（API 404）', async () => {
    const wu = await as(t, 'wu.xs');
    const { context, page } = await newPhone(browser, t, 'wu.xs', { ...PHONE, viewport: SMALL });
    for (const [api, url, text] of [
      [`/api/v1/customers/${gangCheng.id}`, `/customers/${gangCheng.id}`, '客户不存在或你无权查看'],
      [`/api/v1/visits/${visitId}`, `/visits/${visitId}`, '拜访不存在或你无权查看'],
      [`/api/v1/opportunities/${opportunityId}`, `/opportunities/${opportunityId}`, '商机不存在或你无权查看'],
    ] as const) {
      expect((await wu('get', api)).status).toBe(404);
      await page.goto(`${base}/m/#${url}`);
      await page.locator('.van-empty', { hasText: text }).waitFor();
      expect(await page.locator('[data-test="document-header"]').count()).toBe(0);
      expect(await page.locator('[data-test="customer-360"]').count()).toBe(0);
    }
    await waitUntil(page, `document.title === '商机详情 · 云桥'`, 5000);
    await context.close();
  });
});

/** 10 箱 FG-BLT-M8X30 (¥55.00 a 箱) at 15 % off the whole document: ¥550.00 → ¥467.50. */
async function fillSalesDocument(page: Page): Promise<void> {
  // the customer comes from ?customerId= (the visit's)
  await expect.poll(() => page.locator('input[name="customerId"]').inputValue()).toBe(`${gangCheng.name}（C0002）`);
  await page.locator('[data-line="0"] input[name="itemId"]').click();
  await page.getByPlaceholder('搜索物料编码 / 名称').fill('M8X30');
  await page.locator('[data-item="FG-BLT-M8X30"]').click();
  expect(await page.locator('[data-line="0"] input[name="unitId"]').inputValue()).toBe('箱');
  await page.locator('[data-line="0"] input[name="quantity"]').fill('10');
  await page.locator('input[name="orderDiscount"]').fill('15');
  await page.locator('[data-test="estimate"]', { hasText: '¥467.50' }).waitFor();
}
