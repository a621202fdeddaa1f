// 移动端（真实 Chromium）: the pages the chat cards link to — 物料库存, 低于安全库存的物料, 销售订单,
// 采购订单 — opened on a 390×844 phone, logged out first, with data scope and permissions applied.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';
import { as } from '../helpers/factories.ts';
import { putStock } from '../helpers/stock.ts';
import { DESKTOP, listen, newPhone, passwordLogin, waitUntil } from './phone.ts';

interface Box { top: number; bottom: number; left: number; right: number }
interface DocLayout { table: string; head: string; main: Box; side: Box; scrollWidth: number }

/** How the document shell is laid out now (a string: this file is checked without the DOM library). */
function docLayout(page: Page): Promise<DocLayout> {
  return page.evaluate(`(() => {
    const box = (s) => { const r = document.querySelector(s).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
    return {
      table: getComputedStyle(document.querySelector('.doc-lines__table')).display,
      head: getComputedStyle(document.querySelector('.doc-lines thead')).display,
      main: box('.doc__main'), side: box('.doc__side'), scrollWidth: document.documentElement.scrollWidth,
    };
  })()`) as Promise<DocLayout>;
}

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
const id = {} as Record<'m8' | 'm12' | 'order' | 'purchaseOrder', string>;
let orderNumber: string;
let purchaseOrderNumber: string;

describe.skipIf(browserMissing)('移动端：库存、销售订单、采购订单（真实 Chromium）', () => {
  beforeAll(async () => {
    t = await createTestApp();
    ({ server, base } = await listen(t));
    const sys = t.database.system;
    id.m8 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M8X30' } })).id; // safety stock 20000 个
    id.m12 = (await sys.item.findFirstOrThrow({ where: { code: 'FG-BLT-M12X40' } })).id; // safety stock 1000 个
    await putStock(t, { itemCode: 'FG-BLT-M8X30', warehouseCode: 'WH02', quantity: '30000', unitCost: '0.03' });
    await putStock(t, { itemCode: 'FG-BLT-M12X40', warehouseCode: 'WH02', quantity: '100', unitCost: '0.08' });

    // 李销售's order for his customer C0002: 2 箱 M8螺栓 (sales unit 箱 = 1000 个), confirmed → 2000 reserved
    const li = await as(t, 'li.xs');
    const customerId = (await sys.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
    const created = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: id.m8, quantity: '2' }] });
    expect(created.status).toBe(201);
    ({ id: id.order, number: orderNumber } = created.body);
    expect((await li('post', `/api/v1/sales-orders/${id.order}/confirm`).send({})).status).toBe(200);

    // 王采购's purchase order: 2 吨 wire rod from S0001, confirmed
    const wang = await as(t, 'wang.cg');
    const supplierId = (await sys.supplier.findFirstOrThrow({ where: { code: 'S0001' } })).id;
    const rod = (await sys.item.findFirstOrThrow({ where: { code: 'RM-WR-35K-10.0' } })).id;
    const po = await wang('post', '/api/v1/purchase-orders').send({ supplierId, lines: [{ itemId: rod, quantity: '2', unitPrice: '5650' }] });
    expect(po.status).toBe(201);
    ({ id: id.purchaseOrder, number: purchaseOrderNumber } = po.body);
    expect((await wang('post', `/api/v1/purchase-orders/${id.purchaseOrder}/confirm`)).status).toBe(200);

    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
  });

  it('物料库存卡片链接：未登录 → 登录 → 回到物料库存，各仓库在库、预留、可用、平均成本', async () => {
    const { context, page } = await newPhone(browser, t);
    await page.goto(`${base}/m/#/stock/${id.m8}`);
    await passwordLogin(page, 'li.xs');
    await page.waitForURL(new RegExp(`#/stock/${id.m8}$`));
    const wh02 = page.locator('[data-warehouse="WH02"]');
    await wh02.waitFor();
    const text = await wh02.innerText();
    expect(text).toContain('成品仓');
    expect(text).toMatch(/在库\s*30,000 个/);
    expect(text).toMatch(/预留\s*2,000 个/);
    expect(text).toMatch(/可用\s*28,000 个/);
    const body = await page.locator('body').innerText();
    expect(body).toContain('M8螺栓');
    expect(body).toMatch(/安全库存\s*20,000 个/);
    expect(body).toContain('¥0.03 / 个'); // average cost
    expect(body).toContain('¥900.00'); // 30000 × 0.03
    expect(body).not.toContain('低于安全库存');
    await page.screenshot({ path: '/tmp/yq-stock-detail.png', fullPage: true });
    await context.close();
  });

  it('低于安全库存的物料：筛选开着打开，搜索；关掉筛选看到全部有库存的物料', async () => {
    const { context, page } = await newPhone(browser, t, 'li.xs');
    await page.goto(`${base}/m/#/stock?belowSafety=true`);
    await page.locator('.stock-row').first().waitFor();
    expect(await page.locator('.van-switch--on').count()).toBe(1);
    // M12 (100 of 1000) is below; M8 (28000 available of 20000) is not
    const m12 = page.locator('.stock-row', { hasText: 'FG-BLT-M12X40 ·' });
    await m12.waitFor();
    expect(await m12.innerText()).toContain('低于安全库存');
    expect(await m12.innerText()).toMatch(/100 个/);
    expect(await page.locator('.stock-row', { hasText: 'FG-BLT-M8X30' }).count()).toBe(0);
    // items with no stock at all are listed too, without a warehouse
    expect(await page.locator('.stock-row', { hasText: '各仓库均无库存' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/yq-stock-low.png' });

    const search = page.getByPlaceholder('搜索物料名称 / 编码 / 规格');
    await search.fill('M8螺栓');
    await search.press('Enter');
    await page.getByText('没有低于安全库存的物料').waitFor();

    await page.locator('.stock__below-switch').click();
    await page.waitForURL((url) => !url.hash.includes('belowSafety'));
    const m8 = page.locator('.stock-row', { hasText: 'FG-BLT-M8X30' });
    await m8.waitFor();
    expect(await m8.innerText()).toContain('28,000 个');
    expect(await m8.innerText()).toContain('成品仓');
    await page.screenshot({ path: '/tmp/yq-stock-list.png' });

    await m8.click();
    await page.waitForURL(new RegExp(`#/stock/${id.m8}$`));
    await page.locator('[data-warehouse="WH02"]').waitFor();
    await context.close();
  });

  it('销售订单卡片链接：李销售看到明细（订购、预留、已发、缺货）和时间线', async () => {
    const { context, page } = await newPhone(browser, t, 'li.xs');
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${base}/m/#/sales-orders/${id.order}`);
    await page.getByText(orderNumber).first().waitFor();
    const line = page.locator('[data-test="order-line"]');
    await line.waitFor();
    expect(await line.count()).toBe(1);
    const lineText = await line.innerText();
    expect(lineText).toContain('M8螺栓');
    expect(lineText).toMatch(/订购\s*2 箱/);
    expect(lineText).toMatch(/已预留\s*2 箱/);
    expect(lineText).toMatch(/已发\s*0 箱/);
    expect(lineText).toMatch(/缺货\s*0 箱/);
    const body = await page.locator('body').innerText();
    expect(body).toContain('已确认');
    expect(body).toMatch(/¥\d{1,3}(,\d{3})*\.\d{2}/);
    const entries = page.locator('.timeline__entry');
    expect(await entries.count()).toBe(2);
    expect(await entries.nth(0).innerText()).toContain(`确认订单 ${orderNumber}`); // newest first
    expect(await entries.nth(1).innerText()).toContain(`创建订单 ${orderNumber}`);
    expect(await entries.nth(1).innerText()).toContain('李销售');
    // the confirmation step happened at the order's 确认时间 (same Shanghai wall clock)
    const confirmedAt = await page.locator('.van-cell', { hasText: '确认时间' }).locator('.van-cell__value').innerText();
    expect(confirmedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await entries.nth(0).innerText()).toContain(confirmedAt);
    // the detail's own timeline is the one shown (its times are right): /timeline is not asked for
    expect(asked.filter((p) => p.startsWith('/api/v1/sales-orders/'))).toEqual([`/api/v1/sales-orders/${id.order}`]);
    const li = await as(t, 'li.xs');
    const [detail, timeline] = await Promise.all([li('get', `/api/v1/sales-orders/${id.order}`), li('get', `/api/v1/sales-orders/${id.order}/timeline`)]);
    expect(detail.body.timeline).toEqual(timeline.body);
    await page.screenshot({ path: '/tmp/yq-sales-order.png', fullPage: true });

    // the IM desktop client opens the same page in a 1280 px window: lines become a table, the
    // timeline a column beside the content; in its ~400 px side panel everything stacks as on a phone
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitUntil(page, `getComputedStyle(document.querySelector('.doc-lines__table')).display === 'table'`, 5000);
    const wide = await docLayout(page);
    expect(wide.head).toBe('table-header-group');
    expect(wide.side.left).toBeGreaterThanOrEqual(wide.main.right);
    expect(wide.side.top).toBeLessThan(wide.main.bottom);
    expect(wide.scrollWidth).toBe(1280);
    expect((await page.locator('.doc-lines thead').innerText()).replace(/\s+/g, ' ')).toContain('物料 订购 单价 税率 价税合计 已预留 已发 缺货');
    expect(await line.innerText()).not.toContain('已预留'); // the labels are the table's header now
    await page.screenshot({ path: '/tmp/yq-doc-sales-order-1280.png', fullPage: true });

    await page.setViewportSize({ width: 400, height: 800 });
    await waitUntil(page, `getComputedStyle(document.querySelector('.doc-lines__table')).display === 'block'`, 5000);
    const narrow = await docLayout(page);
    expect(narrow.head).toBe('none');
    expect(narrow.side.top).toBeGreaterThanOrEqual(narrow.main.bottom);
    expect(narrow.scrollWidth).toBe(400);
    expect(await line.innerText()).toMatch(/已预留\s*2 箱/);
    await page.screenshot({ path: '/tmp/yq-doc-sales-order-400.png', fullPage: true });
    await context.close();
  });

  it('销售订单列表：数据范围内的订单，按状态筛选，点开详情', async () => {
    const { context, page } = await newPhone(browser, t, 'li.xs');
    await page.goto(`${base}/m/#/sales-orders`);
    const row = page.locator('.order-row', { hasText: orderNumber });
    await row.waitFor();
    expect(await row.innerText()).toContain('已确认');
    await page.screenshot({ path: '/tmp/yq-sales-orders.png' });
    await page.locator('.van-tab', { hasText: '草稿' }).click();
    await page.getByText('暂无销售订单').waitFor();
    await page.locator('.van-tab', { hasText: '已确认' }).click();
    await row.click();
    await page.waitForURL(new RegExp(`#/sales-orders/${id.order}$`));
    await page.locator('[data-test="order-line"]').waitFor();
    await context.close();
  });

  it('别人的销售订单：刘销售打开链接看到「订单不存在或你无权查看」，列表里也没有', async () => {
    const { context, page } = await newPhone(browser, t, 'liu.xs');
    await page.goto(`${base}/m/#/sales-orders/${id.order}`);
    await page.getByText('订单不存在或你无权查看').waitFor();
    expect(await page.getByText(orderNumber).count()).toBe(0);
    await page.screenshot({ path: '/tmp/yq-sales-order-hidden.png' });
    await page.goto(`${base}/m/#/sales-orders`);
    await page.getByText('暂无销售订单').waitFor();
    await context.close();
  });

  it('采购订单卡片链接：采购员看到明细与时间线；没有采购权限的销售看到无权查看', async () => {
    const buyer = await newPhone(browser, t, 'wang.cg');
    await buyer.page.goto(`${base}/m/#/purchase-orders/${id.purchaseOrder}`);
    await buyer.page.getByText(purchaseOrderNumber).first().waitFor();
    const line = buyer.page.locator('[data-test="order-line"]');
    await line.waitFor();
    expect(await line.innerText()).toMatch(/订购\s*2 吨/);
    expect(await line.innerText()).toMatch(/未到\s*2 吨/);
    expect(await buyer.page.locator('body').innerText()).toContain('¥11,300.00');
    expect(await buyer.page.locator('.timeline__entry').count()).toBeGreaterThan(0);
    await buyer.page.screenshot({ path: '/tmp/yq-purchase-order.png', fullPage: true });
    await buyer.context.close();

    const sales = await newPhone(browser, t, 'li.xs');
    await sales.page.goto(`${base}/m/#/purchase-orders/${id.purchaseOrder}`);
    await sales.page.getByText('订单不存在或你无权查看').waitFor();
    await sales.context.close();
  });

  // After the order tests: it adds draft orders they must not see.
  it('宽屏（1280 px）销售订单列表是表格，点列标题排序；窄屏（400 px）是卡片', async () => {
    const li = await as(t, 'li.xs');
    const customerId = (await t.database.system.customer.findFirstOrThrow({ where: { code: 'C0002' } })).id;
    const numberOf = async (boxes: string) => {
      const res = await li('post', '/api/v1/sales-orders').send({ customerId, lines: [{ itemId: id.m8, quantity: boxes }] });
      expect(res.status).toBe(201);
      return res.body.number as string;
    };
    const small = await numberOf('1'); // 1 箱 < the confirmed order's 2 箱 < 5 箱
    const large = await numberOf('5');

    const { context, page } = await newPhone(browser, t, 'li.xs', DESKTOP);
    await page.goto(`${base}/m/#/sales-orders`);
    const codes = () => page.locator('.data-table tbody td[data-column="number"]').allInnerTexts();
    await page.locator('.data-table tbody tr').nth(2).waitFor();
    expect(await page.locator('.order-row').count()).toBe(0);
    expect(await page.locator('.shell__side').count()).toBe(1); // the side navigation, no tab bar
    expect(await codes()).toEqual([large, small, orderNumber]); // the API's -number

    const amount = page.locator('.data-table th[data-column="amount"]');
    await amount.locator('button').click(); // largest first
    await page.locator('.data-table th[data-column="amount"][aria-sort="descending"]').waitFor();
    await waitUntil(page, `document.querySelector('.data-table tbody td[data-column="number"]')?.innerText === ${JSON.stringify(large)}`);
    expect(await codes()).toEqual([large, orderNumber, small]);
    await amount.locator('button').click(); // then smallest first
    await waitUntil(page, `document.querySelector('.data-table tbody td[data-column="number"]')?.innerText === ${JSON.stringify(small)}`);
    expect(await codes()).toEqual([small, orderNumber, large]);
    const amounts = await page.locator('.data-table tbody td[data-column="amount"]').allInnerTexts();
    const cents = amounts.map((a) => Number(a.replace(/[^\d]/g, '')));
    expect(cents).toEqual([...cents].sort((a, b) => a - b));

    // a row opens the order
    await page.locator('.data-table tbody tr', { hasText: orderNumber }).click();
    await page.waitForURL(new RegExp(`#/sales-orders/${id.order}$`));
    await page.goBack();

    // the same window narrowed to the IM side panel: cards, the bottom of the screen free
    await page.setViewportSize({ width: 400, height: 800 });
    await page.locator('.order-row', { hasText: large }).waitFor();
    expect(await page.locator('.data-table').count()).toBe(0);
    expect(await page.locator('.shell__side').count()).toBe(0);
    expect(await page.locator('.order-row').count()).toBe(3);
    await context.close();
  });

  it('物料清单（1280 px）：计划员从列表打开 M8 螺栓的 BOM，树展开到第 4 层（盘条）；400 px 是嵌套卡片', async () => {
    const { context, page } = await newPhone(browser, t, 'sun.jh', DESKTOP);
    await page.goto(`${base}/m/#/boms`);
    const row = page.locator('.data-table tbody tr', { hasText: 'FG-BLT-M8X30' });
    await row.waitFor();
    expect(await row.locator('td[data-column="version"]').innerText()).toBe('V1');
    expect(await row.locator('td[data-column="lines"]').innerText()).toBe('2');
    await page.screenshot({ path: '/tmp/yq-bom-list-1280.png' });
    await row.click();
    await page.waitForURL(/#\/boms\/[^/]+$/);

    // FG-BLT-M8X30 → 镀锌件 → 调质件 → 冷镦坯 → 盘条: levels 0..4, the wire rod at 4
    await page.locator('.bom-tree__table .bom-node[data-level="4"]').waitFor();
    const levels = await page.locator('.bom-tree__table .bom-node').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-level')));
    expect(new Set(levels)).toEqual(new Set(['0', '1', '2', '3', '4']));
    const rod = page.locator('.bom-node[data-item="RM-WR-35K-6.5"]');
    expect(await rod.getAttribute('data-level')).toBe('4');
    await waitUntil(page, `document.querySelector('.bom-node[data-item="RM-WR-35K-6.5"] [data-col="per"]')?.innerText.includes('吨 / 1,000 个')`);
    await page.screenshot({ path: '/tmp/yq-bom-tree-1280.png', fullPage: true });

    await page.setViewportSize({ width: 400, height: 800 });
    await page.locator('.bom-tree__cards .bom-node[data-level="4"]').waitFor();
    await page.screenshot({ path: '/tmp/yq-bom-tree-400.png', fullPage: true });
    // the wire rod's menu → where-used: blank, heat-treated, plated, then the bolt (and no other BOM uses this rod)
    await page.locator('.bom-tree__cards .bom-node[data-item="RM-WR-35K-6.5"] .bom-node__more').click();
    await page.getByText('反查：用在哪些 BOM').click();
    await page.waitForURL(/#\/boms\/where-used\?itemId=/);
    await page.locator('.where-used__level[data-level="4"]').waitFor();
    const parents = await page.locator('[data-test="where-used-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-parent')));
    expect(parents).toEqual(['SF-BLK-M8X30', 'SF-HT-M8X30', 'SF-ZN-M8X30', 'FG-BLT-M8X30']);
    await page.screenshot({ path: '/tmp/yq-bom-where-used-400.png', fullPage: true });
    await page.goto(`${base}/m/#/boms`);
    await page.locator('.bom-row', { hasText: 'FG-BLT-M8X30' }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: '/tmp/yq-bom-list-400.png' });
    await context.close();
  });

  it('工作台有库存和销售订单入口', async () => {
    const { context, page } = await newPhone(browser, t, 'li.xs');
    await page.goto(`${base}/m/#/`);
    await page.getByText('常用功能').waitFor();
    await page.screenshot({ path: '/tmp/yq-home.png' });
    await page.locator('[data-entry="stock"]').click();
    await page.waitForURL(/#\/stock$/);
    await page.locator('.stock-row').first().waitFor();
    await page.goto(`${base}/m/#/`);
    await page.locator('[data-entry="sales-orders"]').click();
    await page.waitForURL(/#\/sales-orders$/);
    await context.close();
  });
});
