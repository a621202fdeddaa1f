// @vitest-environment happy-dom
// 审批 pages against a stubbed API: the workbench badge, the three lists, the detail with its
// actions (同意 / 驳回 with the reason / 409 / 400), the colleague picker, the 报销 form's checks and
// its 项目 per line (only projects in progress, from the options list open to every claimant; the API's refusal under the field; shown on the claim).
import { flushPromises, mount } from '@vue/test-utils';
import { closeToast } from 'vant';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import UserPicker from '../../miniapp/src/components/UserPicker.vue';
import ApprovalDetailPage from '../../miniapp/src/pages/ApprovalDetailPage.vue';
import ApprovalListPage from '../../miniapp/src/pages/ApprovalListPage.vue';
import ExpenseClaimDetailPage from '../../miniapp/src/pages/ExpenseClaimDetailPage.vue';
import ExpenseClaimFormPage from '../../miniapp/src/pages/ExpenseClaimFormPage.vue';
import HomePage from '../../miniapp/src/pages/HomePage.vue';
import PendingApprovalNotice from '../../miniapp/src/components/PendingApprovalNotice.vue';
import type { ApprovalDetail, ApprovalListItem } from '../../shared/schemas/approvals';
import type { ExpenseClaim } from '../../shared/schemas/oa';
import { callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone, type FetchMock } from './helpers';

afterAll(vantTimersDone);

const zhang = { ...demoUser, id: 'u-zhang', username: 'zhang.jl', name: '张经理', permissions: ['user:read', 'salesOrder:read'] };
const li = { id: 'u-li', name: '李销售' };

function item(extra: Partial<ApprovalListItem> = {}): ApprovalListItem {
  return {
    id: 'ap-1', businessType: 'salesDiscount', businessTypeLabel: '销售折扣', documentType: 'salesOrder', documentId: 'so-1',
    documentNumber: 'SO-20261124-0001', documentVersion: 2, documentRoute: 'sales-orders/so-1', title: '销售折扣审批 · SO-20261124-0001',
    state: 'pending', stateLabel: '审批中', applicant: li, currentStep: { index: 0, name: '销售经理', mode: 'anyOf' },
    summary: {
      fields: [{ label: '客户', value: '宁波港城' }, { label: '金额', value: '¥850.00' }, { label: '折扣', value: '15.0%' }, { label: '销售员', value: '李销售' }],
      rule: '折扣 15.0% 超过 10%，需销售经理审批',
    },
    decidedBy: null, decidedAt: null, rejectReason: null, myTaskId: 'task-1',
    createdAt: '2026-11-24T15:00:00.000+08:00', updatedAt: '2026-11-24T15:00:00.000+08:00', version: 1,
    ...extra,
  };
}

function detail(extra: Partial<ApprovalDetail> = {}): ApprovalDetail {
  return {
    ...item(),
    flow: { id: 'f-1', name: '销售折扣审批', version: 1 },
    steps: [{
      index: 0, name: '销售经理', mode: 'anyOf', state: 'active', activatedAt: '2026-11-24T15:00:00.000+08:00', decidedAt: null,
      tasks: [{ id: 'task-1', approver: { id: 'u-zhang', name: '张经理' }, state: 'pending', origin: 'rule', comment: null, decidedAt: null }],
    }],
    history: [{ id: '1', action: 'submit', actionLabel: '提交', actor: li, comment: '折扣 15.0% 超过 10%，需销售经理审批', payload: null, at: '2026-11-24T15:00:00.000+08:00' }],
    ccUsers: [],
    canDecide: true,
    canWithdraw: false,
    ...extra,
  };
}

const agreed = detail({
  state: 'approved', stateLabel: '已同意', myTaskId: null, canDecide: false, currentStep: null,
  decidedBy: { id: 'u-zhang', name: '张经理' }, decidedAt: '2026-11-24T15:04:00.000+08:00',
  steps: [{
    index: 0, name: '销售经理', mode: 'anyOf', state: 'agreed', activatedAt: '2026-11-24T15:00:00.000+08:00', decidedAt: '2026-11-24T15:04:00.000+08:00',
    tasks: [{ id: 'task-1', approver: { id: 'u-zhang', name: '张经理' }, state: 'agreed', origin: 'rule', comment: '下不为例', decidedAt: '2026-11-24T15:04:00.000+08:00' }],
  }],
});

function posts(fetchMock: FetchMock) {
  return fetchMock.mock.calls
    .filter((c) => c[1]?.method === 'POST')
    .map((c) => ({ path: new URL(String(c[0]), 'http://x').pathname, body: JSON.parse(String(c[1]?.body)) as unknown }));
}

function bodyText(): string {
  return document.body.textContent ?? '';
}

describe('miniapp 审批', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(zhang);
  });
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('工作台: the 审批 entry carries my pending count; 报销 and 请假 are open to everyone', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, { items: [item()], total: 3, page: 1, pageSize: 1 }));
    const app = await createTestApp('/');
    const wrapper = mount(HomePage, { global: app.global });
    await flushPromises();
    expect(callUrl(fetchMock).pathname).toBe('/api/v1/approvals/pending');
    expect(callUrl(fetchMock).searchParams.get('pageSize')).toBe('3'); // the count, and the first few listed
    expect(wrapper.find('[data-entry="approvals"] .van-badge').text()).toBe('3');
    expect(wrapper.find('[data-entry="expense-claims"]').classes()).not.toContain('is-disabled');
    await wrapper.find('[data-entry="leave-requests"]').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/leave-requests'));
  });

  it('工作台: no badge at 0, and none when the count cannot be had (no toast either)', async () => {
    stubFetch(() => jsonResponse(500, {}));
    const app = await createTestApp('/');
    const wrapper = mount(HomePage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-entry="approvals"] .van-badge').exists()).toBe(false);
    expect(bodyText()).not.toContain('服务器开小差了');
  });

  it('list: 待我审批 rows with the figures; the tabs switch box (in the URL); search sends q', async () => {
    const fetchMock = stubFetch((url) =>
      url.pathname.endsWith('/submitted')
        ? jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 20 })
        : jsonResponse(200, { items: [item()], total: 1, page: 1, pageSize: url.searchParams.get('pageSize') }),
    );
    const app = await createTestApp('/approvals');
    const wrapper = mount(ApprovalListPage, { global: app.global });
    await flushPromises();
    const first = fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x')).find((u) => u.searchParams.get('pageSize') === '20')!;
    expect(first.pathname).toBe('/api/v1/approvals/pending');
    expect(first.searchParams.get('page')).toBe('1');
    const row = wrapper.find('.approval-row');
    expect(row.text()).toContain('销售折扣审批 · SO-20261124-0001');
    expect(row.text()).toContain('客户 宁波港城 · 金额 ¥850.00 · 折扣 15.0%');
    expect(row.text()).toContain('销售折扣 · 李销售 · 2026-11-24 15:00');
    expect(row.text()).toContain('等待你审批');
    expect(row.attributes('href')).toBe('/approvals/ap-1');

    await wrapper.findAll('.van-tab')[1]!.trigger('click'); // 我发起的
    await flushPromises();
    expect(app.router.currentRoute.value.query.box).toBe('submitted');
    expect(fetchMock.mock.calls.some((c) => new URL(String(c[0]), 'http://x').pathname === '/api/v1/approvals/submitted')).toBe(true);
    expect(wrapper.text()).toContain('你还没有发起过审批');

    await wrapper.find('.van-search input').setValue('SO-2026');
    await wrapper.find('.van-search input').trigger('keypress', { key: 'Enter', keyCode: 13 });
    await flushPromises();
    const last = new URL(String(fetchMock.mock.calls[fetchMock.mock.calls.length - 1]![0]), 'http://x');
    expect(last.pathname).toBe('/api/v1/approvals/submitted');
    expect(last.searchParams.get('q')).toBe('SO-2026');
  });

  it('detail: figures, the rule, steps, history, the document link; 同意 posts the comment and the document version', async () => {
    const fetchMock = stubFetch((url, init) => {
      if (init.method === 'POST') return jsonResponse(200, agreed);
      if (url.pathname === '/api/v1/approvals/pending') return jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 1 });
      return jsonResponse(200, detail());
    });
    const app = await createTestApp('/approvals/ap-1');
    const wrapper = mount(ApprovalDetailPage, { props: { id: 'ap-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="approval-state"]').text()).toBe('审批中');
    expect(wrapper.find('[data-field="折扣"]').text()).toContain('15.0%');
    expect(wrapper.find('[data-test="approval-rule"]').text()).toBe('折扣 15.0% 超过 10%，需销售经理审批');
    expect(wrapper.find('[data-test="approval-task"]').text()).toContain('张经理');
    expect(wrapper.find('[data-test="approval-task"]').text()).toContain('待审批');
    expect(wrapper.find('.timeline__entry').text()).toContain('提交审批：折扣 15.0% 超过 10%');
    expect(wrapper.find('[data-test="document-link"]').text()).toBe('查看销售订单');
    expect(wrapper.text()).toContain('等待你审批');

    const agree = wrapper.findAll('[data-test="approval-actions"] button').find((b) => b.text() === '同意')!;
    await agree.trigger('click');
    await flushPromises();
    await wrapper.find('.ap__dialog-field textarea').setValue('下不为例');
    await wrapper.find('.van-dialog__confirm').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([{ path: '/api/v1/approvals/ap-1/decide', body: { decision: 'agree', comment: '下不为例', documentVersion: 2 } }]);
    expect(wrapper.find('[data-test="approval-state"]').text()).toBe('已同意');
    expect(wrapper.text()).toContain('张经理 于 2026-11-24 15:04 同意');
    expect(wrapper.find('[data-test="approval-task"]').text()).toContain('下不为例');
    expect(wrapper.findAll('[data-test="approval-actions"] button').map((b) => b.text())).toEqual(['评论']);

    await wrapper.find('[data-test="document-link"]').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/sales-orders/so-1'));
  });

  it('detail: a document route the app has no page for gets no link', async () => {
    stubFetch(() => jsonResponse(200, detail({ documentType: 'general', documentRoute: 'general-forms/g-1' })));
    const app = await createTestApp('/approvals/ap-1');
    const wrapper = mount(ApprovalDetailPage, { props: { id: 'ap-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-field="折扣"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="document-link"]').exists()).toBe(false);
  });

  it('驳回: no reason → stays open with 请填写驳回原因 and nothing is sent; the server\'s 400 is shown in the dialog', async () => {
    const fetchMock = stubFetch((_url, init) =>
      init.method === 'POST'
        ? jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '意见：含有不允许的字符', details: [{ field: 'body.comment', label: '意见', message: '含有不允许的字符' }] } })
        : jsonResponse(200, detail()),
    );
    const app = await createTestApp('/approvals/ap-1');
    const wrapper = mount(ApprovalDetailPage, { props: { id: 'ap-1' }, global: app.global });
    await flushPromises();
    await wrapper.findAll('[data-test="approval-actions"] button').find((b) => b.text() === '驳回')!.trigger('click');
    await flushPromises();
    expect(wrapper.find('.van-dialog__header').text()).toBe('驳回');
    await wrapper.find('.van-dialog__confirm').trigger('click');
    await flushPromises();
    expect(wrapper.find('.ap__dialog-field .van-field__error-message').text()).toBe('请填写驳回原因');
    expect(posts(fetchMock)).toEqual([]);

    await wrapper.find('.ap__dialog-field textarea').setValue('折扣过大');
    expect(wrapper.find('.ap__dialog-field .van-field__error-message').exists()).toBe(false); // typing clears it
    await wrapper.find('.van-dialog__confirm').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([{ path: '/api/v1/approvals/ap-1/decide', body: { decision: 'reject', comment: '折扣过大', documentVersion: 2 } }]);
    expect(wrapper.find('.ap__dialog-field .van-field__error-message').text()).toBe('含有不允许的字符');
    expect(wrapper.find('.van-dialog').isVisible()).toBe(true);
    expect(wrapper.find('[data-test="approval-state"]').text()).toBe('审批中');
  });

  it('409 (someone was quicker): the server\'s 已由 … 处理 as a toast, and the page reloads to the truth', async () => {
    let gets = 0;
    const fetchMock = stubFetch((url, init) => {
      if (init.method === 'POST') return jsonResponse(409, { error: { code: 'CONFLICT', message: '已由 张经理 于 15:04 处理（已同意）' } });
      if (url.pathname === '/api/v1/approvals/pending') return jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 1 });
      gets += 1;
      return jsonResponse(200, gets === 1 ? detail() : agreed);
    });
    const app = await createTestApp('/approvals/ap-1');
    const wrapper = mount(ApprovalDetailPage, { props: { id: 'ap-1' }, global: app.global });
    await flushPromises();
    await wrapper.findAll('[data-test="approval-actions"] button').find((b) => b.text() === '同意')!.trigger('click');
    await flushPromises();
    await wrapper.find('.van-dialog__confirm').trigger('click');
    await flushPromises();
    await vi.waitFor(() => expect(bodyText()).toContain('已由 张经理 于 15:04 处理（已同意）'));
    expect(posts(fetchMock)).toHaveLength(1);
    expect(gets).toBe(2);
    expect(wrapper.find('[data-test="approval-state"]').text()).toBe('已同意');
  });

  it('applicant: 撤回 when the server allows it; no 同意 / 驳回', async () => {
    loginAs({ ...demoUser, id: 'u-li', name: '李销售' });
    const fetchMock = stubFetch((_url, init) =>
      init.method === 'POST'
        ? jsonResponse(200, detail({ state: 'withdrawn', stateLabel: '已撤回', canDecide: false, canWithdraw: false, myTaskId: null }))
        : jsonResponse(200, detail({ canDecide: false, canWithdraw: true, myTaskId: null })),
    );
    const app = await createTestApp('/approvals/ap-1');
    const wrapper = mount(ApprovalDetailPage, { props: { id: 'ap-1' }, global: app.global, attachTo: document.body });
    await flushPromises();
    expect(wrapper.findAll('[data-test="approval-actions"] button').map((b) => b.text())).toEqual(['评论', '撤回']);
    expect(wrapper.text()).toContain('等待「销售经理」审批');
    await wrapper.findAll('[data-test="approval-actions"] button')[1]!.trigger('click');
    await flushPromises();
    document.querySelector<HTMLButtonElement>('.van-dialog__confirm')!.click(); // showConfirmDialog
    await vi.waitFor(() => expect(posts(fetchMock)).toEqual([{ path: '/api/v1/approvals/ap-1/withdraw', body: { comment: null } }]));
    await flushPromises();
    expect(wrapper.find('[data-test="approval-state"]').text()).toBe('已撤回');
    wrapper.unmount();
  });

  it('a document in 待审批 links to its approval: 去审批 for the approver, 查看进度 for the applicant', async () => {
    let fetchMock = stubFetch((url) =>
      jsonResponse(200, { items: url.pathname.endsWith('/pending') ? [item({ documentId: 'other' }), item()] : [], total: 2, page: 1, pageSize: 10 }),
    );
    let app = await createTestApp('/sales-orders/so-1');
    let wrapper = mount(PendingApprovalNotice, { props: { documentId: 'so-1', documentNumber: 'SO-20261124-0001' }, global: app.global });
    await flushPromises();
    expect(Object.fromEntries(callUrl(fetchMock).searchParams)).toMatchObject({ q: 'SO-20261124-0001', state: 'pending' });
    expect(wrapper.text()).toContain('等待你审批');
    expect(wrapper.text()).toContain('去审批');
    expect(wrapper.find('a').attributes('href')).toBe('/approvals/ap-1');
    wrapper.unmount();
    vi.unstubAllGlobals();

    fetchMock = stubFetch((url) =>
      jsonResponse(200, { items: url.pathname.endsWith('/submitted') ? [item({ myTaskId: null })] : [], total: 1, page: 1, pageSize: 10 }),
    );
    app = await createTestApp('/sales-orders/so-1');
    wrapper = mount(PendingApprovalNotice, { props: { documentId: 'so-1', documentNumber: 'SO-20261124-0001' }, global: app.global });
    await flushPromises();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(wrapper.text()).toContain('审批中：销售经理');
    expect(wrapper.text()).toContain('查看进度');
    wrapper.unmount();
    vi.unstubAllGlobals();

    stubFetch(() => jsonResponse(500, {}));
    app = await createTestApp('/sales-orders/so-1');
    wrapper = mount(PendingApprovalNotice, { props: { documentId: 'so-1', documentNumber: 'SO-20261124-0001' }, global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="pending-approval"]').exists()).toBe(false);
  });

  it.each([404, 403])('detail: %i → 审批不存在或你无权查看', async (status) => {
    stubFetch(() => jsonResponse(status, { error: { code: 'X', message: '审批不存在' } }));
    const app = await createTestApp('/approvals/ap-x');
    const wrapper = mount(ApprovalDetailPage, { props: { id: 'ap-x' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('审批不存在或你无权查看');
  });

  it('picker: lists colleagues from the 通讯录 (no user:read needed) minus the excluded; a failure is shown', async () => {
    loginAs({ ...demoUser, permissions: ['salesOrder:read'] });
    let fetchMock = stubFetch(() => jsonResponse(500, { error: { code: 'INTERNAL', message: '服务器开小差了，请稍后再试' } }));
    let app = await createTestApp('/approvals/ap-1');
    let wrapper = mount(UserPicker, { props: { show: true, title: '转交给' }, global: app.global });
    await flushPromises();
    expect(callUrl(fetchMock).pathname).toBe('/api/v1/colleagues');
    expect(wrapper.text()).toContain('服务器开小差了');
    wrapper.unmount();
    vi.unstubAllGlobals();

    const users = [
      { id: 'u-zhang', username: 'zhang.jl', name: '张经理', department: null },
      { id: 'u-boss', username: 'boss', name: '老板', department: { id: 'd1', name: '总经办' } },
    ];
    fetchMock = stubFetch(() => jsonResponse(200, { items: users, total: 2, page: 1, pageSize: 30 }));
    app = await createTestApp('/approvals/ap-1');
    wrapper = mount(UserPicker, { props: { show: true, title: '转交给', excludeIds: ['u-zhang'] }, global: app.global });
    await flushPromises();
    expect(callUrl(fetchMock).pathname).toBe('/api/v1/colleagues');
    expect(Object.fromEntries(callUrl(fetchMock).searchParams)).toMatchObject({ pageSize: '30', sort: 'name' });
    expect(wrapper.findAll('.user-picker__user').map((c) => c.attributes('data-user'))).toEqual(['boss']);
    await wrapper.find('.user-picker__comment input').setValue('出差一周');
    await wrapper.find('[data-user="boss"]').trigger('click');
    expect(wrapper.emitted('pick')).toEqual([[users[1], '出差一周']]);
  });
});

describe('miniapp 报销单', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(zhang);
  });
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('the form checks before sending, then shows the server\'s per-field message', async () => {
    const fetchMock = stubFetch(() =>
      jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '明细行有误', details: [{ field: 'body.lines.0.invoiceNo', message: '发票号已报销过' }] } }),
    );
    const app = await createTestApp('/expense-claims/new');
    const wrapper = mount(ExpenseClaimFormPage, { global: app.global });
    await flushPromises();
    const submitButton = () => wrapper.findAll('.oa-form__actions button').find((b) => b.text() === '提交审批')!;
    await submitButton().trigger('click');
    await flushPromises();
    expect(wrapper.text()).toContain('请选择费用类别');
    expect(wrapper.text()).toContain('请填写金额');
    expect(fetchMock).not.toHaveBeenCalled();

    await wrapper.find('input[name="category"]').trigger('click');
    await flushPromises();
    await wrapper.findAll('.van-action-sheet__item').find((b) => b.text() === '交通')!.trigger('click');
    await wrapper.find('input[name="amount"]').setValue('1.234');
    await flushPromises();
    expect(wrapper.text()).toContain('金额格式不对，最多两位小数');
    await wrapper.find('input[name="amount"]').setValue('45');
    await wrapper.find('input[name="invoiceNo"]').setValue('0001');
    await flushPromises();
    expect(wrapper.text()).not.toContain('请选择费用类别');
    expect(wrapper.find('.oa-form__total').text()).toContain('¥45.00');

    await submitButton().trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([
      { path: '/api/v1/expense-claims', body: { remark: null, lines: [{ category: 'transport', amount: '45', invoiceNo: '0001', description: null, attachmentId: null }] } },
    ]);
    expect(wrapper.text()).toContain('发票号已报销过');
    expect(app.router.currentRoute.value.fullPath).toBe('/expense-claims/new');
  });

  it('发票类型: a railway ticket shows its computed 税额 and sends only the kind', async () => {
    const fetchMock = stubFetch(() => jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '有误', details: [] } }));
    const app = await createTestApp('/expense-claims/new');
    const wrapper = mount(ExpenseClaimFormPage, { global: app.global });
    await flushPromises();
    await wrapper.find('input[name="category"]').trigger('click');
    await flushPromises();
    await wrapper.findAll('.van-action-sheet__item').find((b) => b.text() === '差旅')!.trigger('click');
    await wrapper.find('input[name="amount"]').setValue('553');
    await wrapper.find('input[name="invoiceKind"]').trigger('click');
    await flushPromises();
    await wrapper.findAll('.van-action-sheet__item').find((b) => b.text() === '旅客运输电子客票-铁路')!.trigger('click');
    await flushPromises();
    expect((wrapper.find('[data-test="ticket-tax"] input').element as HTMLInputElement).value).toBe('45.66');
    await wrapper.findAll('.oa-form__actions button').find((b) => b.text() === '保存草稿')!.trigger('click');
    await flushPromises();
    expect(posts(fetchMock)[0]!.body).toEqual({ remark: null, lines: [{ category: 'travel', amount: '553', invoiceNo: null, description: null, attachmentId: null, invoiceKind: 'railTicket' }] });
  });

  it('项目: picked among the projects in progress (the light options list), sent as projectId; the API\'s refusal shows under 项目; offered without project:read', async () => {
    // zhang has no project:read: anyone filing a claim may charge a line to a project
    expect(zhang.permissions).not.toContain('project:read');
    loginAs(zhang);
    const p1 = { id: 'p-1', code: 'P001', name: '港城汽车 M8 螺栓配套项目' };
    const fetchMock = stubFetch((url) => {
      if (url.pathname === '/api/v1/projects/options') return jsonResponse(200, { items: [p1], total: 1, page: 1, pageSize: 20 });
      return jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '明细第 1 行项目：项目 P001 已于 2026-11-30 结束', details: [{ field: 'body.lines.0.projectId', message: '项目 P001 已于 2026-11-30 结束' }] } });
    });
    const app = await createTestApp('/expense-claims/new');
    const wrapper = mount(ExpenseClaimFormPage, { global: app.global });
    await flushPromises();
    await wrapper.find('input[name="category"]').trigger('click');
    await flushPromises();
    await wrapper.findAll('.van-action-sheet__item').find((b) => b.text() === '差旅')!.trigger('click');
    await wrapper.find('input[name="amount"]').setValue('800');
    await wrapper.find('input[name="projectId"]').trigger('click');
    await flushPromises();
    const asked = callUrl(fetchMock);
    expect(asked.pathname).toBe('/api/v1/projects/options');
    expect(Object.fromEntries(asked.searchParams)).toEqual({ page: '1', pageSize: '20' });
    await wrapper.find('[data-project="P001"]').trigger('click');
    await flushPromises();
    expect((wrapper.find('input[name="projectId"]').element as HTMLInputElement).value).toBe('P001 港城汽车 M8 螺栓配套项目');
    await wrapper.findAll('.oa-form__actions button').find((b) => b.text() === '保存草稿')!.trigger('click');
    await flushPromises();
    expect(posts(fetchMock)[0]!.body).toEqual({ remark: null, lines: [{ category: 'travel', amount: '800', invoiceNo: null, description: null, attachmentId: null, projectId: 'p-1' }] });
    expect(wrapper.find('[data-line="0"]').text()).toContain('项目 P001 已于 2026-11-30 结束');
    wrapper.unmount();
  });

  it('the claim shows each line\'s 项目', async () => {
    const claim: ExpenseClaim = {
      id: 'bx-1', number: 'BX-20261207-0001', applicant: { id: 'u-zhang', name: '张经理' }, department: null, claimDate: '2026-12-07', totalAmount: '800.00',
      state: 'draft', stateLabel: '草稿', readyForPayment: false, payment: null, remark: null,
      lines: [{ lineNo: 1, category: 'travel', categoryLabel: '差旅', amount: '800.00', invoiceNo: null, attachmentId: null, description: null, occurredOn: null, project: { id: 'p-1', code: 'P001', name: '港城汽车 M8 螺栓配套项目' } }],
      approvalId: null, createdAt: '2026-12-07T09:00:00.000+08:00', updatedAt: '2026-12-07T09:00:00.000+08:00', version: 1,
    };
    stubFetch(() => jsonResponse(200, claim));
    const app = await createTestApp('/expense-claims/bx-1');
    const wrapper = mount(ExpenseClaimDetailPage, { props: { id: 'bx-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="claim-line"]').text()).toContain('项目 P001 港城汽车 M8 螺栓配套项目');
    wrapper.unmount();
  });
});
