// @vitest-environment happy-dom
// 请假 form: times picked with Vant's date + time pickers, the days shown as the server counts them
// on the work calendar (never typed); 待付款 list for the accountant with 付款.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { closeToast } from 'vant';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ExpenseClaimListPage from '../../miniapp/src/pages/ExpenseClaimListPage.vue';
import LeaveRequestDetailPage from '../../miniapp/src/pages/LeaveRequestDetailPage.vue';
import LeaveRequestFormPage from '../../miniapp/src/pages/LeaveRequestFormPage.vue';
import type { ExpenseClaim, LeaveRequest } from '../../shared/schemas/oa';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone, type FetchMock } from './helpers';

afterAll(vantTimersDone);

function posts(fetchMock: FetchMock) {
  return fetchMock.mock.calls
    .filter((c) => c[1]?.method === 'POST')
    .map((c) => ({ path: new URL(String(c[0]), 'http://x').pathname, body: JSON.parse(String(c[1]?.body)) as unknown }));
}

/** Opens the field's picker, clicks the wanted option in each column (date tab, then time tab), confirms. */
async function pickTime(wrapper: VueWrapper, field: 'start' | 'end', date: string[], time: string[]): Promise<void> {
  await wrapper.find(`input[name="${field}"]`).trigger('click');
  await flushPromises();
  const clickOptions = async (texts: string[], offset: number) => {
    for (const [i, text] of texts.entries()) {
      const column = wrapper.findAll('[data-test="leave-time-picker"] .van-picker-column')[offset + i]!;
      const option = column.findAll('.van-picker-column__item').find((o) => o.text() === text);
      if (!option) throw new Error(`no option ${text} in column ${offset + i}`);
      await option.trigger('click');
      await flushPromises();
    }
  };
  await clickOptions(date, 0);
  await wrapper.findAll('[data-test="leave-time-picker"] .van-tab').find((t) => t.text() === '时间')!.trigger('click');
  await flushPromises();
  await clickOptions(time, 3);
  await wrapper.find('[data-test="leave-time-picker"] .van-picker__confirm').trigger('click');
  await flushPromises();
}

describe('miniapp 请假 and 付款', () => {
  beforeEach(() => {
    localStorage.clear();
  });
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('leave form: the pickers fill the times in Chinese, the days come from the work calendar, none is sent', async () => {
    loginAs();
    const fetchMock = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/leave-requests/days') return jsonResponse(200, { days: '2.5', from: '2026-12-10', to: '2026-12-14' });
      if (url.pathname === '/api/v1/leave-requests' && init.method === 'POST') return jsonResponse(201, { id: 'lv-1', state: 'draft' });
      return jsonResponse(404, { error: { code: 'NOT_FOUND', message: '不存在' } });
    });
    const app = await createTestApp('/leave-requests/new');
    const wrapper = mount(LeaveRequestFormPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('input[type="datetime-local"]').exists()).toBe(false);

    await pickTime(wrapper, 'start', ['2026年', '12月', '10日'], ['13', '00']);
    expect((wrapper.find('input[name="start"]').element as HTMLInputElement).value).toBe('2026-12-10 13:00');
    expect(fetchMock).not.toHaveBeenCalled(); // no end yet
    await pickTime(wrapper, 'end', ['2026年', '12月', '14日'], ['12', '00']);
    expect((wrapper.find('input[name="end"]').element as HTMLInputElement).value).toBe('2026-12-14 12:00');

    const asked = fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x')).find((u) => u.pathname === '/api/v1/leave-requests/days')!;
    expect([asked.searchParams.get('startAt'), asked.searchParams.get('endAt')]).toEqual(['2026-12-10T13:00:00+08:00', '2026-12-14T12:00:00+08:00']);
    await vi.waitFor(() => expect((wrapper.find('input[name="days"]').element as HTMLInputElement).value).toBe('2.5 天'));
    expect(wrapper.find('input[name="days"]').attributes('readonly')).toBeDefined();

    await wrapper.find('input[name="kind"]').trigger('click');
    await flushPromises();
    await wrapper.findAll('.van-action-sheet__item').find((b) => b.text() === '事假')!.trigger('click');
    await wrapper.find('textarea[name="reason"]').setValue('家里有事');
    await wrapper.findAll('.oa-form__actions button').find((b) => b.text() === '保存草稿')!.trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([
      { path: '/api/v1/leave-requests', body: { kind: 'personal', startAt: '2026-12-10T13:00:00+08:00', endAt: '2026-12-14T12:00:00+08:00', reason: '家里有事' } },
    ]);
  });

  it('the accountant sees 待付款 claims and pays one', async () => {
    loginAs({ ...demoUser, id: 'u-qian', username: 'qian.kj', name: '钱会计', roles: ['会计'], permissions: ['expense:pay'], dataScope: 'all' });
    const claim: ExpenseClaim = {
      id: 'bx-1', number: 'BX-20261207-0001', applicant: { id: 'u-li', name: '李销售' }, department: null, claimDate: '2026-12-07', totalAmount: '856.50',
      state: 'confirmed', stateLabel: '已批准', readyForPayment: true, payment: null, remark: null,
      lines: [{ lineNo: 1, category: 'travel', categoryLabel: '差旅', amount: '856.50', invoiceNo: null, attachmentId: null, description: null, occurredOn: null }],
      approvalId: 'ap-1', createdAt: '2026-12-07T09:00:00.000+08:00', updatedAt: '2026-12-07T09:00:00.000+08:00', version: 2,
    };
    let paid = false;
    const fetchMock = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/expense-claims/bx-1/pay') {
        paid = true;
        return jsonResponse(200, { ...claim, state: 'closed', stateLabel: '已付款', readyForPayment: false });
      }
      if (url.pathname === '/api/v1/expense-claims' && (init.method ?? 'GET') === 'GET') {
        const items = url.searchParams.get('readyForPayment') === 'true' && !paid ? [claim] : [];
        return jsonResponse(200, { items, total: items.length, page: 1, pageSize: 20 });
      }
      return jsonResponse(404, { error: { code: 'NOT_FOUND', message: '不存在' } });
    });
    const app = await createTestApp('/expense-claims');
    const wrapper = mount(ExpenseClaimListPage, { global: app.global, attachTo: document.body });
    await flushPromises();
    await wrapper.findAll('.van-tab').find((t) => t.text() === '待付款')!.trigger('click');
    await vi.waitFor(() => expect(wrapper.text()).toContain('BX-20261207-0001'));
    await wrapper.find('[data-test="pay-bx-1"]').trigger('click');
    await flushPromises();
    const account = document.querySelector<HTMLInputElement>('input[name="payAccount"]')!;
    account.value = '工行基本户';
    account.dispatchEvent(new Event('input'));
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="pay-confirm"]')!.click();
    await flushPromises();
    expect(posts(fetchMock)).toEqual([{ path: '/api/v1/expense-claims/bx-1/pay', body: { account: '工行基本户' } }]);
    await vi.waitFor(() => expect(wrapper.text()).not.toContain('BX-20261207-0001'));
    wrapper.unmount();
  });

  it('leave detail (DocumentPage): my draft offers 提交审批 in the action bar; the reply is shown at once; a refusal says why and reloads', async () => {
    loginAs();
    const leave: LeaveRequest = {
      id: 'lv-1', number: 'QJ-20261207-0001', applicant: { id: demoUser.id, name: demoUser.name }, department: null, kind: 'annual', kindLabel: '年假',
      startAt: '2026-12-10T09:00:00.000+08:00', endAt: '2026-12-11T18:00:00.000+08:00', days: '2.0', reason: '回老家', state: 'draft', stateLabel: '草稿',
      approvalId: null, createdAt: '2026-12-07T09:00:00.000+08:00', version: 1,
    };
    let refuse = false;
    const fetchMock = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/leave-requests/lv-1/submit') {
        return refuse
          ? jsonResponse(409, { error: { code: 'CONFLICT', message: '请假单已提交，不能重复提交' } })
          : jsonResponse(200, { ...leave, state: 'pendingApproval', stateLabel: '待审批', approvalId: 'ap-9', version: 2 });
      }
      if (url.pathname === '/api/v1/leave-requests/lv-1') return jsonResponse(200, leave);
      return jsonResponse(404, { error: { code: 'NOT_FOUND', message: '不存在' } });
    });
    const app = await createTestApp('/leave-requests/lv-1');
    const wrapper = mount(LeaveRequestDetailPage, { props: { id: 'lv-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="leave-state"]').text()).toBe('草稿');
    expect(wrapper.find('[data-test="document-header"]').text()).toContain('2 天');
    const submit = () => wrapper.findAll('.doc__bar button').find((b) => b.text() === '提交审批');

    refuse = true;
    await submit()!.trigger('click');
    await flushPromises();
    expect(document.body.textContent).toContain('请假单已提交，不能重复提交');
    const gets = () => fetchMock.mock.calls.filter((c) => new URL(String(c[0]), 'http://x').pathname === '/api/v1/leave-requests/lv-1').length;
    expect(gets()).toBe(2); // reloaded: the page may be stale

    refuse = false;
    await submit()!.trigger('click');
    await flushPromises();
    expect(posts(fetchMock).map((p) => p.path)).toEqual(['/api/v1/leave-requests/lv-1/submit', '/api/v1/leave-requests/lv-1/submit']);
    expect(wrapper.find('[data-test="leave-state"]').text()).toBe('待审批');
    expect(wrapper.find('.doc__bar').exists()).toBe(false);
    expect(gets()).toBe(2); // the reply is the document as it now is: not asked for again
    expect(wrapper.text()).toContain('审批进度');

    // someone else's draft: nothing to submit
    loginAs({ ...demoUser, id: 'u-2' });
    const other = await createTestApp('/leave-requests/lv-1');
    const theirs = mount(LeaveRequestDetailPage, { props: { id: 'lv-1' }, global: other.global });
    await flushPromises();
    expect(theirs.find('[data-test="leave-state"]').text()).toBe('草稿');
    expect(theirs.find('.doc__bar').exists()).toBe(false);
  });
});
