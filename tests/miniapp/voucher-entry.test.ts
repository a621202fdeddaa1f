// @vitest-environment happy-dom
// @vitest-environment-options {"happyDOM":{"width":1280,"height":800}}
// 录入凭证 at the IM desktop client's width, typed with the keyboard only: 附单据数 in the header, Enter through the cells,
// the account cell's search (code prefix, ↓ to the second choice), `//` for the line above's 摘要,
// `=` to balance, Ctrl+S → the POST body exactly, then the voucher's page. Unbalanced: the difference
// in red and no saving. The server's field error shows at its cell. Without voucher:write: no
// 录入凭证 button on the list, and the page refuses.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import VoucherEntryPage from '../../miniapp/src/pages/VoucherEntryPage.vue';
import VoucherListPage from '../../miniapp/src/pages/VoucherListPage.vue';
import type { Account } from '../../shared/schemas/vouchers';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const accountant = { ...demoUser, username: 'qian.kj', name: '钱会计', permissions: ['voucher:read', 'voucher:write', 'account:read'] };
const acct = (code: string, fullName: string, postable = true): Account => ({
  id: `a-${code}`, code, name: fullName, fullName, parentId: null, level: 1,
  category: 'asset', categoryLabel: '资产', direction: 'debit', directionLabel: '借', postable, fxAccounting: false, currencyCode: null,
});
const chart = { items: [acct('1001', '库存现金'), acct('1002', '银行存款'), acct('1122', '应收账款'), acct('2221', '应交税费', false), acct('5602', '管理费用')] };

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

const active = () => document.activeElement as HTMLInputElement;
const cellOf = (el: Element) => el.getAttribute('data-cell');

async function type(text: string): Promise<void> {
  const el = active();
  el.value = text;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  await flushPromises();
}

async function press(key: string, mods: KeyboardEventInit = {}): Promise<void> {
  (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...mods }));
  await flushPromises();
}

async function openEntry(reply: Parameters<typeof stubFetch>[0]) {
  const fetch = stubFetch(reply);
  const app = await createTestApp('/vouchers/new');
  wrapper = mount(VoucherEntryPage, { global: app.global, attachTo: document.body });
  await flushPromises();
  await wrapper.find('[data-test="ve-date"]').setValue('2026-12-07');
  return { fetch, app, page: wrapper };
}

describe('录入凭证（键盘）', () => {
  it('两行凭证只用键盘：Enter 逐格、科目按编码搜索并 ↓ 选第二个、// 复制摘要、= 找平，Ctrl+S 保存并打开凭证', async () => {
    loginAs(accountant);
    const { fetch, app, page } = await openEntry((url, init) => {
      if (url.pathname === '/api/v1/accounts') return jsonResponse(200, chart);
      if (url.pathname === '/api/v1/vouchers' && init.method === 'POST') return jsonResponse(201, { id: 'v-9', number: '记-0007' });
      return jsonResponse(404, {});
    });
    // the cursor starts in the first 摘要; Shift+Tab goes back to 附单据, Enter returns to the grid
    expect(cellOf(active())).toBe('0.summary');
    await press('Tab', { shiftKey: true });
    expect(active().getAttribute('data-test')).toBe('ve-attachments');
    await type('2');
    await press('Enter');
    expect(cellOf(active())).toBe('0.summary');
    await type('提现备用金');
    await press('Enter');
    expect(cellOf(active())).toBe('0.account');
    await type('1001');
    expect(page.findAll('[data-test="ve-choices"] li').map((li) => li.text())).toEqual(['1001 库存现金']);
    await press('Enter');
    expect(cellOf(active())).toBe('0.debit');
    expect((page.find('[data-cell="0.account"]').element as HTMLInputElement).value).toBe('1001 库存现金');
    await type('500');
    await press('Enter');
    expect(cellOf(active())).toBe('0.credit');
    expect((page.find('[data-cell="0.debit"]').element as HTMLInputElement).value).toBe('500.00');
    await press('Tab');
    expect(cellOf(active())).toBe('1.summary');
    await type('//');
    expect(active().value).toBe('提现备用金');
    await press('Enter');
    await type('100');
    expect(page.findAll('[data-test="ve-choices"] li').map((li) => li.text())).toEqual(['1001 库存现金', '1002 银行存款']);
    await press('ArrowDown');
    await press('Enter');
    expect((page.find('[data-cell="1.account"]').element as HTMLInputElement).value).toBe('1002 银行存款');
    expect(cellOf(active())).toBe('1.debit');
    expect(page.find('[data-test="ve-difference"]').text()).toBe('借贷不平衡，差额 500.00');
    expect(page.find('[data-test="ve-save"]').attributes('disabled')).toBeDefined();

    await press('=');
    expect(cellOf(active())).toBe('1.credit');
    expect(active().value).toBe('500.00');
    expect(page.find('[data-test="ve-difference"]').exists()).toBe(false);
    expect(page.find('[data-test="ve-capital"]').text()).toBe('伍佰元整');
    expect(page.find('[data-test="ve-save"]').attributes('disabled')).toBeUndefined();

    await press('s', { ctrlKey: true });
    await flushPromises();
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(new URL(String(post[0]), 'http://localhost').pathname).toBe('/api/v1/vouchers');
    expect(JSON.parse(String(post[1]!.body))).toEqual({
      date: '2026-12-07', summary: '提现备用金', attachmentCount: 2,
      lines: [
        { accountId: 'a-1001', summary: '提现备用金', debit: '500.00' },
        { accountId: 'a-1002', summary: '提现备用金', credit: '500.00' },
      ],
    });
    // the detail page's chunk loads before the route changes
    await vi.waitFor(() => expect(app.router.currentRoute.value.name).toBe('voucher-detail'));
    expect(app.router.currentRoute.value.params.id).toBe('v-9');
  });

  it('Enter 在最后一行最后一格新增一行；空格把金额移到贷方；Ctrl+Delete 删行', async () => {
    loginAs(accountant);
    const { page } = await openEntry(() => jsonResponse(200, chart));
    (page.find('[data-cell="1.debit"]').element as HTMLInputElement).focus();
    await type('80');
    await press(' ');
    expect(cellOf(active())).toBe('1.credit');
    expect(active().value).toBe('80');
    await press('Enter');
    expect(page.findAll('[data-test^="ve-line-"]')).toHaveLength(3);
    expect(cellOf(active())).toBe('2.summary');
    await type('删掉这行');
    await press('Delete', { ctrlKey: true });
    expect(page.findAll('[data-test^="ve-line-"]')).toHaveLength(2);
    expect(page.text()).not.toContain('删掉这行');
  });

  it('辅助核算只在需要的科目行出现：应收账款 → 客户（搜索后 Enter 选中），管理费用 → 部门（无部门权限时从通讯录取）', async () => {
    loginAs(accountant);
    const { fetch, page } = await openEntry((url, init) => {
      if (url.pathname === '/api/v1/accounts') return jsonResponse(200, chart);
      if (url.pathname === '/api/v1/customers') return jsonResponse(200, { items: [{ id: 'c-2', code: 'C0002', name: '宁波甬江机械' }], total: 1, page: 1, pageSize: 20 });
      if (url.pathname === '/api/v1/departments') return jsonResponse(403, { error: { code: 'FORBIDDEN', message: '没有权限' } });
      if (url.pathname === '/api/v1/colleagues') {
        return jsonResponse(200, { items: [{ id: 'u-1', username: 'a', name: '甲', department: { id: 'd-12', name: '财务部' } }, { id: 'u-2', username: 'b', name: '乙', department: { id: 'd-3', name: '行政部' } }], total: 2, page: 1, pageSize: 200 });
      }
      if (init.method === 'POST') return jsonResponse(201, { id: 'v-10' });
      return jsonResponse(404, {});
    });
    expect(page.find('[data-cell="0.customer"]').exists()).toBe(false);
    (page.find('[data-cell="0.account"]').element as HTMLInputElement).focus();
    await type('1122');
    await press('Enter');
    expect(cellOf(active())).toBe('0.customer');
    await type('甬江');
    await new Promise((r) => setTimeout(r, 250)); // the search waits for typing to pause
    await flushPromises();
    expect(fetch.mock.calls.some(([u]) => String(u).includes('/api/v1/customers?q=%E7%94%AC%E6%B1%9F'))).toBe(true);
    await press('Enter');
    expect((page.find('[data-cell="0.customer"]').element as HTMLInputElement).value).toBe('C0002 宁波甬江机械');
    expect(cellOf(active())).toBe('0.debit');
    await press('Tab');
    await type('300');
    await press('Enter'); // → line 2 摘要
    await press('Enter'); // → line 2 科目
    await type('5602');
    await press('Enter');
    expect(cellOf(active())).toBe('1.department');
    await type('行政');
    await new Promise((r) => setTimeout(r, 250));
    await flushPromises();
    expect(page.findAll('[data-test="ve-line-1"] li').map((li) => li.text())).toEqual(['行政部']);
    await press('Enter');
    await press('=');
    await press('s', { ctrlKey: true });
    await flushPromises();
    const post = fetch.mock.calls.find(([, i]) => i?.method === 'POST')!;
    expect(JSON.parse(String(post[1]!.body)).lines).toEqual([
      { accountId: 'a-1122', credit: '300.00', customerId: 'c-2' },
      { accountId: 'a-5602', debit: '300.00', departmentId: 'd-3' },
    ]);
  });

  it('项目：管理费用行 Tab 从部门到项目格，搜索项目后 Enter 选中（已结束的标出），保存带 projectId；服务器拒绝的项目错误显示在项目格', async () => {
    loginAs(accountant);
    const { fetch, page } = await openEntry((url, init) => {
      if (url.pathname === '/api/v1/accounts') return jsonResponse(200, chart);
      if (url.pathname === '/api/v1/projects') {
        return jsonResponse(200, { items: [
          { id: 'p-2', code: 'P002', name: '新厂房改造', status: 'active' }, { id: 'p-9', code: 'P009', name: '旧厂房', status: 'closed' },
        ], total: 2, page: 1, pageSize: 20 });
      }
      if (init.method === 'POST') {
        return jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '第 1 行 项目：…', details: [{ field: 'body.lines.0.projectId', message: '项目「P002 新厂房改造」已于 2026-11-30 结束，不能记入 2026-12-07 的凭证' }] } });
      }
      return jsonResponse(404, {});
    });
    (page.find('[data-cell="0.account"]').element as HTMLInputElement).focus();
    await type('5602');
    await press('Enter');
    expect(cellOf(active())).toBe('0.department');
    await press('Tab');
    expect(cellOf(active())).toBe('0.project');
    await type('厂房');
    await new Promise((r) => setTimeout(r, 250));
    await flushPromises();
    expect(fetch.mock.calls.some(([u]) => String(u).includes('/api/v1/projects?q=%E5%8E%82%E6%88%BF'))).toBe(true);
    expect(page.findAll('[data-test="ve-line-0"] li').map((li) => li.text())).toEqual(['P002 新厂房改造', 'P009 旧厂房（已结束）']);
    await press('Enter');
    expect((page.find('[data-cell="0.project"]').element as HTMLInputElement).value).toBe('P002 新厂房改造');
    expect(cellOf(active())).toBe('0.debit');
    await type('500');
    (page.find('[data-cell="1.account"]').element as HTMLInputElement).focus();
    await type('1002');
    await press('Enter');
    expect(cellOf(active())).toBe('1.debit');
    await press('=');
    await press('s', { ctrlKey: true });
    await flushPromises();
    const post = fetch.mock.calls.find(([, i]) => i?.method === 'POST')!;
    expect(JSON.parse(String(post[1]!.body)).lines).toEqual([
      { accountId: 'a-5602', debit: '500.00', projectId: 'p-2' },
      { accountId: 'a-1002', credit: '500.00' },
    ]);
    expect(page.find('[data-test="ve-line-0"]').text()).toContain('已于 2026-11-30 结束');
  });

  it('服务器拒绝时错误显示在它指的那一格旁边；已结账的期间显示在日期旁', async () => {
    loginAs(accountant);
    let posts = 0;
    const { page } = await openEntry((url, init) => {
      if (url.pathname === '/api/v1/accounts') return jsonResponse(200, chart);
      if (init.method === 'POST' && ++posts === 1) {
        return jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '第 2 行 科目：科目不存在', details: [{ field: 'body.lines.1.accountId', message: '科目不存在' }] } });
      }
      if (init.method === 'POST') return jsonResponse(409, { error: { code: 'CONFLICT', message: '会计期间 2026-12 已结账，不能再记账（日期 2026-12-07）' } });
      return jsonResponse(404, {});
    });
    for (const [cell, text] of [['0.account', '1001'], ['1.account', '1002']] as const) {
      (page.find(`[data-cell="${cell}"]`).element as HTMLInputElement).focus();
      await type(text);
      await press('Enter');
    }
    (page.find('[data-cell="0.debit"]').element as HTMLInputElement).focus();
    await type('10');
    (page.find('[data-cell="1.credit"]').element as HTMLInputElement).focus();
    await type('10');
    await page.find('[data-test="ve-save"]').trigger('click');
    await flushPromises();
    expect(page.find('[data-test="ve-line-1"]').text()).toContain('科目不存在');
    expect(page.find('[data-test="ve-line-0"]').text()).not.toContain('科目不存在');
    // a closed period: next to the date
    await page.find('[data-test="ve-save"]').trigger('click');
    await flushPromises();
    expect(page.find('[data-test="ve-date-error"]').text()).toBe('会计期间 2026-12 已结账，不能再记账（日期 2026-12-07）');
    expect(page.find('[data-test="ve-line-1"]').text()).not.toContain('科目不存在');
  });
});

describe('录入凭证：权限', () => {
  it('没有 voucher:write：凭证列表没有「录入凭证」，录入页拒绝且不取科目', async () => {
    const reader = { ...accountant, permissions: ['voucher:read'] };
    loginAs(reader);
    const fetch = stubFetch(() => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 20 }));
    const app = await createTestApp('/vouchers');
    wrapper = mount(VoucherListPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="voucher-new"]').exists()).toBe(false);
    wrapper.unmount();

    await app.router.push('/vouchers/new');
    wrapper = mount(VoucherEntryPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="ve-forbidden"]').text()).toContain('你没有录入凭证的权限');
    expect(wrapper.find('[data-test="ve-grid"]').exists()).toBe(false);
    expect(fetch.mock.calls.some(([u]) => String(u).includes('/accounts'))).toBe(false);
  });

  it('有 voucher:write：凭证列表有「录入凭证」', async () => {
    loginAs(accountant);
    stubFetch(() => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 20 }));
    const app = await createTestApp('/vouchers');
    wrapper = mount(VoucherListPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="voucher-new"]').text()).toContain('录入凭证');
  });
});
