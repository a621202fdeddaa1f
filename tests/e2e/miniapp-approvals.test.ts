// 移动端审批（真实 Chromium, 390×844）: story 1 on the phone — 李销售's 15 % order waits in
// 张经理's 待我审批 (badge on the workbench), he opens it (折扣 15.0%, the rule), taps 同意 → 已同意
// and the order is 已确认; a 25 % order rejected by 老板 with a typed reason; 李销售 withdraws one;
// a stale page gets "已由 张经理 于 hh:mm 处理"; 加签 / 转交 with the colleague picker; 报销 and 请假.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalOf, approvalWorld, orderAt, orderState, submit, type ApprovalWorld } from '../approvals/helpers.ts';
import { browserMissing, launchChromium } from '../helpers/browser.ts';
import { listen, newPhone, passwordLogin, waitUntil } from './phone.ts';

let w: ApprovalWorld;
let server: Server;
let base: string;
let browser: Browser;

/** 李销售's order at this discount, submitted: its id, number and approval id. */
async function submittedOrder(discountRate: string) {
  const order = await orderAt(w, w.c['li.xs'], discountRate);
  const submitted = await submit(w.c['li.xs'], order.id);
  expect(submitted.state).toBe('pendingApproval');
  const approval = await approvalOf(w, order.id);
  return { id: order.id, number: approval.documentNumber!, approvalId: approval.id };
}

async function stateTag(page: Page): Promise<string> {
  return (await page.locator('[data-test="approval-state"]').innerText()).trim();
}

/** The approval's state tag reads exactly this (审批中 / 已同意 / 已驳回 / 已撤回). */
async function waitForState(page: Page, label: string): Promise<void> {
  await page.locator('[data-test="approval-state"]', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).waitFor();
}

/** No dialog, sheet or toast over the page (before a screenshot). A string: this file is checked without the DOM library. */
async function settled(page: Page): Promise<void> {
  await waitUntil(
    page,
    `![...document.querySelectorAll('.van-dialog, .van-toast, .van-overlay, .van-popup')].some((e) => getComputedStyle(e).display !== 'none')`,
    5000,
  );
}

/** A button of the action bar at the bottom of the approval page (同意 / 驳回 / 更多 / 撤回 / 评论). */
function action(page: Page, name: string) {
  return page.locator('[data-test="approval-actions"]').getByRole('button', { name });
}

/**
 * The page as the IM desktop client shows it: a 1280×800 window (wide layout: `wideWhen` holds),
 * then a 400×800 side panel (stacked again), a screenshot of each; back to the phone after.
 */
async function atDesktopWidths(page: Page, name: string, wideWhen: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitUntil(page, wideWhen, 5000);
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(1280);
  await page.screenshot({ path: `/tmp/yq-doc-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 400, height: 800 });
  await waitUntil(page, `!(${wideWhen})`, 5000);
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(400);
  await page.screenshot({ path: `/tmp/yq-doc-${name}-400.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
}

async function toast(page: Page, text: RegExp | string): Promise<string> {
  const t = page.locator('.van-toast', { hasText: text });
  await t.first().waitFor();
  return t.first().innerText();
}

describe.skipIf(browserMissing)('移动端：审批（真实 Chromium）', () => {
  beforeAll(async () => {
    w = await approvalWorld();
    ({ server, base } = await listen(w.t));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await w?.t.close();
  });

  it('15%：张经理登录，工作台角标 1，待我审批里打开，看到折扣 15.0% 和规则，同意 → 已同意，订单已确认', async () => {
    const order = await submittedOrder('0.15');
    const { context, page } = await newPhone(browser, w.t);
    await page.goto(`${base}/m/#/`);
    await passwordLogin(page, 'zhang.jl');
    await page.getByText('常用功能').waitFor();
    const badge = page.locator('[data-entry="approvals"] .van-badge');
    await badge.waitFor();
    expect((await badge.innerText()).trim()).toBe('1');
    await page.screenshot({ path: '/tmp/yq-approvals-home.png' });

    await page.locator('[data-entry="approvals"]').click();
    await page.waitForURL(/#\/approvals$/);
    const row = page.locator('.approval-row', { hasText: order.number });
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain('审批中');
    expect(rowText).toContain('折扣 15.0%');
    expect(rowText).toContain('李销售');
    expect(rowText).toContain('等待你审批');
    expect((await page.locator('.van-tab', { hasText: '待我审批' }).innerText()).replace(/\s/g, '')).toContain('待我审批1');
    await page.screenshot({ path: '/tmp/yq-approvals-list.png' });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390);

    await row.click();
    await page.waitForURL(new RegExp(`#/approvals/${order.approvalId}$`));
    await page.locator('[data-test="approval-rule"]').waitFor();
    expect(await stateTag(page)).toBe('审批中');
    expect(await page.locator('[data-field="折扣"]').innerText()).toContain('15.0%');
    expect(await page.locator('[data-field="客户"]').innerText()).not.toBe('');
    expect(await page.locator('[data-test="approval-rule"]').innerText()).toContain('折扣 15.0% 超过 10%，需销售经理审批');
    const task = page.locator('[data-test="approval-task"][data-approver="张经理"]');
    expect(await task.getAttribute('data-state')).toBe('pending');
    expect(await task.innerText()).toContain('待审批');
    expect(await page.locator('body').innerText()).toContain('等待你审批');
    await page.screenshot({ path: '/tmp/yq-approval-detail.png', fullPage: true });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390);
    // wide: the steps and the history are a column beside the document's facts
    await atDesktopWidths(page, 'approval', `document.querySelector('.doc__side').getBoundingClientRect().left >= document.querySelector('.doc__main').getBoundingClientRect().right`);

    await action(page, '同意').click();
    await page.locator('.van-dialog').waitFor();
    await page.locator('.ap__dialog-field textarea').fill('同意，下不为例');
    await page.screenshot({ path: '/tmp/yq-approval-agree-dialog.png' });
    await page.locator('.van-dialog__confirm').click();
    await waitForState(page, '已同意');
    expect(await page.locator('.ap__status').innerText()).toMatch(/张经理 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 同意/);
    expect(await task.getAttribute('data-state')).toBe('agreed');
    expect(await task.innerText()).toContain('同意，下不为例');
    const history = page.locator('.timeline__entry');
    expect(await history.nth(0).innerText()).toContain('同意：同意，下不为例'); // newest first
    expect(await history.nth(0).innerText()).toContain('张经理');
    expect(await history.nth(1).innerText()).toContain('提交审批');
    expect(await action(page, '同意').count()).toBe(0);
    await settled(page);
    await page.screenshot({ path: '/tmp/yq-approval-agreed.png', fullPage: true });
    expect(await orderState(w, order.id)).toMatchObject({ state: 'confirmed', reserved: 10000 });

    // the document's own page
    await page.locator('[data-test="document-link"]').click();
    await page.waitForURL(new RegExp(`#/sales-orders/${order.id}$`));
    await page.locator('[data-test="order-line"]').waitFor();
    expect(await page.locator('[data-test="document-header"]').innerText()).toContain('已确认');

    // nothing left to decide: the list and the badge say so
    await page.goto(`${base}/m/#/approvals`);
    await page.getByText('没有待你审批的事项').waitFor();
    await page.goto(`${base}/m/#/`);
    await page.getByText('常用功能').waitFor();
    await page.waitForTimeout(300);
    expect(await page.locator('[data-entry="approvals"] .van-badge').count()).toBe(0);
    await context.close();
  });

  it('25%：张经理同意后到老板；老板驳回不填原因被拦下，填写原因 → 已驳回并显示原因，订单退回草稿', async () => {
    const order = await submittedOrder('0.25');
    expect((await w.c['zhang.jl']('post', `/api/v1/approvals/${order.approvalId}/decide`).send({ decision: 'agree' })).status).toBe(200);

    // 老板 taps 查看详情 on the chat card: the order's page, with the way to its approval
    const { context, page } = await newPhone(browser, w.t, 'boss');
    await page.goto(`${base}/m/#/sales-orders/${order.id}`);
    const notice = page.locator('[data-test="pending-approval"]');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('等待你审批');
    expect(await page.locator('[data-test="document-header"]').innerText()).toContain('待审批');
    await page.screenshot({ path: '/tmp/yq-order-pending-approval.png' });
    await notice.click();
    await page.waitForURL(new RegExp(`#/approvals/${order.approvalId}$`));
    await page.locator('[data-test="approval-rule"]').waitFor();
    expect(await page.locator('[data-field="折扣"]').innerText()).toContain('25.0%');
    expect(await page.locator('[data-test="approval-rule"]').innerText()).toContain('折扣 25.0% 超过 20%，需总经理审批');
    const steps = page.locator('[data-test="approval-step"]');
    expect(await steps.count()).toBe(2);
    expect(await steps.nth(0).innerText()).toContain('已通过');
    expect(await steps.nth(1).innerText()).toContain('审批中');

    await action(page, '驳回').click();
    await page.locator('.van-dialog').waitFor();
    await page.locator('.van-dialog__confirm').click();
    await page.locator('.ap__dialog-field .van-field__error-message', { hasText: '请填写驳回原因' }).waitFor();
    expect(await stateTag(page)).toBe('审批中'); // nothing was sent
    await page.locator('.ap__dialog-field textarea').fill('折扣过大，最多给 18%');
    await page.screenshot({ path: '/tmp/yq-approval-reject-dialog.png' });
    await page.locator('.van-dialog__confirm').click();
    await waitForState(page, '已驳回');
    const reason = await page.locator('[data-test="reject-reason"]').innerText();
    expect(reason).toContain('驳回原因：折扣过大，最多给 18%');
    expect(reason).toContain('老板');
    expect(await page.locator('[data-test="approval-task"][data-approver="老板"]').getAttribute('data-state')).toBe('rejected');
    await settled(page);
    await page.screenshot({ path: '/tmp/yq-approval-rejected.png', fullPage: true });
    expect((await orderState(w, order.id)).state).toBe('draft');

    await page.locator('[data-test="document-link"]').click();
    await page.waitForURL(new RegExp(`#/sales-orders/${order.id}$`));
    await page.locator('.timeline__entry').first().waitFor();
    expect(await page.locator('[data-test="document-header"]').innerText()).toContain('草稿');
    expect(await page.locator('.timeline__entry').first().innerText()).toContain('折扣过大，最多给 18%');
    await context.close();
  });

  it('李销售在「我发起的」里撤回 → 已撤回，订单退回草稿', async () => {
    const order = await submittedOrder('0.15');
    const { context, page } = await newPhone(browser, w.t, 'li.xs');
    await page.goto(`${base}/m/#/sales-orders/${order.id}`);
    const notice = page.locator('[data-test="pending-approval"]');
    await notice.waitFor();
    expect((await notice.innerText()).replace(/\s+/g, ' ')).toContain('审批中：销售经理 查看进度');
    await page.goto(`${base}/m/#/approvals`);
    await page.locator('.van-tab', { hasText: '我发起的' }).click();
    await page.waitForURL(/box=submitted/);
    const row = page.locator('.approval-row', { hasText: order.number });
    await row.waitFor();
    expect(await row.innerText()).toContain('当前节点：销售经理');
    await row.click();
    await page.locator('[data-test="approval-actions"]').waitFor();
    expect(await action(page, '同意').count()).toBe(0);
    await action(page, '撤回').click();
    await page.locator('.van-dialog', { hasText: '撤回后单据退回草稿' }).waitFor();
    await page.locator('.van-dialog__confirm').click();
    await waitForState(page, '已撤回');
    expect(await action(page, '撤回').count()).toBe(0);
    expect(await page.locator('.timeline__entry').first().innerText()).toContain('撤回');
    await settled(page);
    await page.screenshot({ path: '/tmp/yq-approval-withdrawn.png', fullPage: true });
    expect((await orderState(w, order.id)).state).toBe('draft');

    // back to the list (kept alive): the row shows the new state
    await page.getByText('返回').first().click();
    await page.waitForURL(/#\/approvals\?box=submitted$/);
    await page.locator('.approval-row', { hasText: order.number }).filter({ hasText: '已撤回' }).waitFor();
    await context.close();
  });

  it('页面过期：张经理已在卡片上同意，手机上再点同意 → 提示「已由 张经理 于 hh:mm 处理」，页面刷新为已同意', async () => {
    const order = await submittedOrder('0.15');
    const { context, page } = await newPhone(browser, w.t, 'zhang.jl');
    await page.goto(`${base}/m/#/approvals/${order.approvalId}`);
    await action(page, '同意').waitFor();
    // the same approver taps 同意 on the chat card meanwhile
    expect((await w.c['zhang.jl']('post', `/api/v1/approvals/${order.approvalId}/decide`).send({ decision: 'agree' })).status).toBe(200);

    await action(page, '同意').click();
    await page.locator('.van-dialog__confirm').click();
    const message = await toast(page, '已由');
    expect(message).toMatch(/已由 张经理 于 \d{2}:\d{2} 处理（已同意）/);
    await page.screenshot({ path: '/tmp/yq-approval-409.png' });
    await waitForState(page, '已同意');
    expect(await action(page, '同意').count()).toBe(0);
    // applied once
    const actions = await w.t.database.system.approvalAction.findMany({ where: { approvalId: order.approvalId, action: 'agree' } });
    expect(actions).toHaveLength(1);
    await context.close();
  });

  it('加签与转交：张经理加签吴销售；吴销售没有用户查看权限也能从通讯录选人；张经理转交给老板', async () => {
    const order = await submittedOrder('0.15');
    const zhang = await newPhone(browser, w.t, 'zhang.jl');
    const page = zhang.page;
    await page.goto(`${base}/m/#/approvals/${order.approvalId}`);
    await action(page, '更多').click();
    await page.locator('.van-action-sheet__item', { hasText: '加签' }).click();
    const picker = page.locator('.user-picker');
    await picker.locator('.user-picker__user').first().waitFor();
    expect(await picker.locator('[data-user="zhang.jl"]').count()).toBe(0); // not me
    expect(await picker.locator('[data-user="li.xs"]').count()).toBe(0); // not the applicant
    await picker.getByPlaceholder('搜索姓名 / 账号').fill('吴');
    await picker.getByPlaceholder('搜索姓名 / 账号').press('Enter');
    await picker.locator('[data-user="wu.xs"]').waitFor();
    await page.screenshot({ path: '/tmp/yq-approval-picker.png' });
    await picker.locator('[data-user="wu.xs"]').click();
    await page.locator('.van-dialog', { hasText: '吴销售' }).locator('.van-dialog__confirm').click();
    const added = page.locator('[data-test="approval-task"][data-approver="吴销售"]');
    await added.waitFor();
    expect(await added.innerText()).toContain('加签');
    expect(await added.getAttribute('data-state')).toBe('pending');

    // 吴销售 has no user:read, yet the picker lists colleagues from the 通讯录 (name and department only)
    const wu = await newPhone(browser, w.t, 'wu.xs');
    await wu.page.goto(`${base}/m/#/approvals/${order.approvalId}`);
    await action(wu.page, '更多').click();
    await wu.page.locator('.van-action-sheet__item', { hasText: '转交' }).click();
    const wuPicker = wu.page.locator('.user-picker');
    await wuPicker.locator('[data-user="boss"]').waitFor();
    expect(await wuPicker.locator('[data-user="wu.xs"]').count()).toBe(0); // not himself
    expect(await wuPicker.locator('[data-user="boss"]').innerText()).toContain('总经办');
    await wu.page.screenshot({ path: '/tmp/yq-approval-picker-colleagues.png' });
    await wu.context.close();

    await action(page, '更多').click();
    await page.locator('.van-action-sheet__item', { hasText: '转交' }).click();
    await picker.getByPlaceholder('搜索姓名 / 账号').fill('boss');
    await picker.getByPlaceholder('搜索姓名 / 账号').press('Enter');
    await picker.locator('[data-user="boss"]').waitFor();
    await picker.locator('[data-user="boss"]').click();
    await page.locator('.van-dialog', { hasText: '转交给 老板' }).locator('.van-dialog__confirm').click();
    await page.locator('[data-test="approval-task"][data-approver="老板"]').waitFor();
    expect(await page.locator('[data-test="approval-task"][data-approver="张经理"]').getAttribute('data-state')).toBe('transferred');
    expect(await action(page, '同意').count()).toBe(0); // no longer mine
    expect(await page.locator('.timeline__entry').first().innerText()).toContain('转交给 老板');
    expect(await stateTag(page)).toBe('审批中');
    await settled(page);
    await page.screenshot({ path: '/tmp/yq-approval-transferred.png', fullPage: true });
    await zhang.context.close();
  });

  it('评论：申请人写评论，出现在审批记录里', async () => {
    const order = await submittedOrder('0.12');
    const { context, page } = await newPhone(browser, w.t, 'li.xs');
    await page.goto(`${base}/m/#/approvals/${order.approvalId}`);
    await action(page, '评论').click();
    await page.locator('.van-dialog__confirm').click();
    await page.locator('.ap__dialog-field .van-field__error-message', { hasText: '请填写评论内容' }).waitFor();
    await page.locator('.ap__dialog-field textarea').fill('客户是老客户，请尽快审批');
    await page.locator('.van-dialog__confirm').click();
    await page.locator('.timeline__entry', { hasText: '评论：客户是老客户，请尽快审批' }).waitFor();
    await context.close();
  });

  it('合同评审：张经理从审批页打开「查看合同」看到金额与评审中；李销售在合同页提交 ¥80,000 的草稿 → 已生效', async () => {
    const create = (amount: string) => w.c['li.xs']('post', '/api/v1/contracts').send({ title: '年度供货合同', customerId: w.customerId, amount, paymentTerms: '月结 30 天' });
    const big = (await create('180000')).body;
    const submitted = (await w.c['li.xs']('post', `/api/v1/contracts/${big.id}/submit`)).body;
    expect(submitted.state).toBe('pendingApproval');
    const zhang = await newPhone(browser, w.t, 'zhang.jl');
    await zhang.page.goto(`${base}/m/#/approvals/${submitted.approvalId}`);
    await zhang.page.getByText('查看合同').click();
    await zhang.page.locator('[data-test="contract-state"]', { hasText: '评审中' }).waitFor();
    expect(await zhang.page.locator('[data-test="contract-amount"]').innerText()).toContain('180,000.00');
    expect(await zhang.page.getByText('月结 30 天').count()).toBe(1);
    await zhang.page.getByText('评审进度').click();
    await zhang.page.waitForURL(new RegExp(`/approvals/${submitted.approvalId}$`));
    await zhang.context.close();

    const small = (await create('80000')).body;
    const li = await newPhone(browser, w.t, 'li.xs');
    await li.page.goto(`${base}/m/#/contracts/${small.id}`);
    await li.page.getByRole('button', { name: '提交评审' }).click();
    await li.page.locator('[data-test="contract-state"]', { hasText: '已生效' }).waitFor();
    expect(await li.page.getByRole('button', { name: '提交评审' }).count()).toBe(0);
    await li.page.screenshot({ path: '/tmp/yq-contract.png', fullPage: true });
    await li.context.close();
  });

  it('报销：必填项提示；两笔明细合计，提交审批 → 待审批，上级张经理的待我审批里有它', async () => {
    const { context, page } = await newPhone(browser, w.t, 'li.xs');
    await page.goto(`${base}/m/#/`);
    await page.locator('[data-entry="expense-claims"]').click();
    await page.waitForURL(/#\/expense-claims$/);
    await page.getByText('还没有报销单').waitFor();
    await page.getByText('新建', { exact: true }).click();
    await page.waitForURL(/#\/expense-claims\/new$/);

    await page.getByRole('button', { name: '提交审批' }).click();
    await page.getByText('请选择费用类别').waitFor();
    await page.getByText('请填写金额').waitFor();

    const line0 = page.locator('[data-line="0"]');
    await line0.locator('input[name="category"]').click();
    await page.locator('.van-action-sheet__item', { hasText: '差旅' }).click();
    await line0.locator('input[name="amount"]').fill('268.5');
    await line0.locator('input[name="invoiceNo"]').fill('25330000000012345678');
    await page.getByRole('button', { name: '添加一笔' }).click();
    const line1 = page.locator('[data-line="1"]');
    await line1.locator('input[name="category"]').click();
    await page.locator('.van-action-sheet__item', { hasText: '餐饮' }).click();
    await line1.locator('input[name="amount"]').fill('120');
    await page.getByText('¥388.50').waitFor();
    expect(await page.getByText('请选择费用类别').count()).toBe(0);
    await settled(page);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390); // nothing sticks out sideways
    await page.screenshot({ path: '/tmp/yq-expense-form.png', fullPage: true });

    await page.getByRole('button', { name: '提交审批' }).click();
    await page.waitForURL(/#\/expense-claims\/[0-9a-f-]{36}$/);
    await page.locator('[data-test="claim-state"]', { hasText: '待审批' }).waitFor();
    expect(await page.locator('[data-test="claim-line"]').count()).toBe(2);
    expect(await page.locator('body').innerText()).toContain('¥388.50');
    await settled(page);
    await page.screenshot({ path: '/tmp/yq-expense-detail.png', fullPage: true });
    // wide: the lines are a table
    await atDesktopWidths(page, 'expense-claim', `getComputedStyle(document.querySelector('.doc-lines__table')).display === 'table'`);

    const claim = await w.t.database.system.expenseClaim.findFirstOrThrow({ where: { applicantId: w.user['li.xs'] }, include: { lines: { orderBy: { lineNo: 'asc' } } } });
    expect(claim.totalAmount.toFixed(2)).toBe('388.50');
    expect(claim.lines.map((l) => [l.category, l.amount.toFixed(2), l.invoiceNo])).toEqual([
      ['travel', '268.50', '25330000000012345678'],
      ['meal', '120.00', null],
    ]);
    const pending = await w.c['zhang.jl']('get', '/api/v1/approvals/pending?businessType=expenseClaim');
    expect(pending.body.items.map((i: { documentId: string }) => i.documentId)).toContain(claim.id);

    await page.getByText('审批进度').click();
    await page.waitForURL(/#\/approvals\/[0-9a-f-]{36}$/);
    await page.locator('[data-field="金额"]', { hasText: '¥388.50' }).waitFor();
    await context.close();
  });

  it('报销发票：拍照上传附在明细上，不支持的文件给出服务器的提示；提交后详情与审批人张经理都能看到发票', async () => {
    // a 1×1 PNG, and a text file pretending to be one
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const { context, page } = await newPhone(browser, w.t, 'li.xs');
    await page.goto(`${base}/m/#/expense-claims/new`);
    const line0 = page.locator('[data-line="0"]');
    await line0.locator('input[name="category"]').click();
    await page.locator('.van-action-sheet__item', { hasText: '交通' }).click();
    await line0.locator('input[name="amount"]').fill('86');
    const attachmentsBefore = await w.t.database.system.attachment.count();

    await line0.locator('input[type="file"]').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('不是图片，只是文字') });
    expect(await toast(page, '不支持的文件类型')).toContain('只能上传图片、PDF');
    await line0.locator('.van-uploader__preview', { hasText: '上传失败' }).waitFor();
    expect(await w.t.database.system.attachment.count()).toBe(attachmentsBefore);
    await line0.locator('.van-uploader__preview-delete').click();

    await line0.locator('input[type="file"]').setInputFiles({ name: 'taxi-invoice.png', mimeType: 'image/png', buffer: png });
    await line0.locator('.van-uploader__preview').waitFor();
    await waitUntil(page, `!document.querySelector('[data-line="0"] .van-uploader__mask')`, 10000);
    await page.getByRole('button', { name: '提交审批' }).click();
    await page.waitForURL(/#\/expense-claims\/[0-9a-f-]{36}$/);
    const thumb = page.locator('[data-test="attachment-image"]');
    await thumb.waitFor();
    expect(await thumb.getAttribute('src')).toMatch(/^blob:/);
    await waitUntil(page, `document.querySelector('[data-test="attachment-image"]').naturalWidth > 0`);

    const claimId = page.url().split('/').at(-1)!;
    const line = await w.t.database.system.expenseClaimLine.findFirstOrThrow({ where: { claimId } });
    const stored = await w.t.database.system.attachment.findUniqueOrThrow({ where: { id: line.attachmentId! } });
    expect(stored).toMatchObject({ fileName: 'taxi-invoice.png', mimeType: 'image/png', size: png.length, uploadedById: w.user['li.xs'] });
    await context.close();

    // 张经理 approves it: from his approval page to the claim, with the invoice
    const claim = (await w.c['li.xs']('get', `/api/v1/expense-claims/${claimId}`)).body;
    const zhang = await newPhone(browser, w.t, 'zhang.jl');
    await zhang.page.goto(`${base}/m/#/approvals/${claim.approvalId}`);
    await zhang.page.getByText('查看报销单').click();
    await zhang.page.waitForURL(new RegExp(`/expense-claims/${claimId}$`));
    await waitUntil(zhang.page, `document.querySelector('[data-test="attachment-image"]')?.naturalWidth > 0`);
    await zhang.page.locator('[data-test="attachment-image"]').click();
    await zhang.page.locator('.van-image-preview').waitFor();
    await zhang.page.screenshot({ path: '/tmp/yq-expense-invoice.png' });
    await zhang.context.close();
  });

  it('请假：时间用中文的日期/时间选择器；结束早于开始被拦下；天数按工作日历计算；提交 → 待审批', async () => {
    const { context, page } = await newPhone(browser, w.t, 'li.xs');
    /** Opens the field's picker, taps each column's option (date tab, then time tab), confirms. */
    const pickTime = async (field: 'start' | 'end', date: string[], time: string[]) => {
      await page.locator(`input[name="${field}"]`).click();
      const picker = page.locator('[data-test="leave-time-picker"]');
      const tap = async (texts: string[], offset: number) => {
        for (const [i, text] of texts.entries()) {
          // a tap on an option selects it; options scrolled out of the column are not hit-testable, so the event is sent to it
          await picker.locator('.van-picker-column').nth(offset + i).locator('.van-picker-column__item').getByText(text, { exact: true }).dispatchEvent('click');
        }
      };
      await tap(date, 0);
      await picker.locator('.van-tab', { hasText: '时间' }).click();
      await tap(time, 3);
      await picker.locator('.van-picker__confirm').click();
    };
    await page.goto(`${base}/m/#/leave-requests/new`);
    await page.locator('input[name="kind"]').click();
    await page.locator('.van-action-sheet__item', { hasText: '年假' }).click();
    await pickTime('start', ['2026年', '12月', '02日'], ['09', '00']);
    await pickTime('end', ['2026年', '12月', '01日'], ['18', '00']);
    expect(await page.locator('input[name="start"]').inputValue()).toBe('2026-12-02 09:00');
    await page.locator('textarea[name="reason"]').fill('回老家办事');
    await page.getByRole('button', { name: '提交审批' }).click();
    await page.getByText('结束时间必须晚于开始时间').waitFor();

    await pickTime('end', ['2026年', '12月', '04日'], ['18', '00']);
    await waitUntil(page, `document.querySelector('input[name="days"]').value === '3 天'`);
    await settled(page);
    await page.screenshot({ path: '/tmp/yq-leave-form.png', fullPage: true });
    await page.getByRole('button', { name: '提交审批' }).click();
    await page.waitForURL(/#\/leave-requests\/[0-9a-f-]{36}$/);
    await page.locator('[data-test="leave-state"]', { hasText: '待审批' }).waitFor();
    expect(await page.locator('body').innerText()).toContain('2026-12-02 09:00 至 2026-12-04 18:00');
    const leave = await w.t.database.system.leaveRequest.findFirstOrThrow({ where: { applicantId: w.user['li.xs'] } });
    expect({ kind: leave.kind, days: leave.days.toFixed(1), state: leave.state, start: leave.startAt.toISOString() }).toEqual({
      kind: 'annual', days: '3.0', state: 'pendingApproval', start: '2026-12-02T01:00:00.000Z',
    });
    await page.goto(`${base}/m/#/leave-requests`);
    await page.locator('.oa-row', { hasText: '年假 3 天' }).waitFor();
    await page.screenshot({ path: '/tmp/yq-leave-list.png' });
    await page.locator('.van-tab', { hasText: '部门日历' }).click();
    await page.getByText('本月没有已批准的请假').or(page.locator('.van-cell', { hasText: '天' })).first().waitFor();
    await context.close();
  });
});
