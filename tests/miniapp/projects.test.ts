// @vitest-environment happy-dom
// 项目 page at phone width: the projects in progress with their customer, manager and dates, 新增 and
// 结束 only for project:write, the month's 项目收支 for who reads the books; the ledger page's project
// filter asks the API for that project's lines. The form: 新增 with the customer and 项目经理 pickers
// posts the body and shows the API's message under its field; 修改 sends the version; 重新打开.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import LedgerPage from '../../miniapp/src/pages/LedgerPage.vue';
import ProjectListPage from '../../miniapp/src/pages/ProjectListPage.vue';
import type { Project, ProjectIncome } from '../../shared/schemas/projects';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);
afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

const project: Project = {
  id: 'p-1', code: 'P001', name: '港城汽车 M8 螺栓配套项目', customer: { id: 'c-2', code: 'C0002', name: '宁波北仑港城汽车零部件有限公司' },
  manager: { id: 'u-3', name: '张经理' }, startDate: '2026-11-07', endDate: null, status: 'active', statusLabel: '进行中', remark: null,
  createdAt: '2026-12-07T10:00:00.000+08:00', updatedAt: '2026-12-07T10:00:00.000+08:00', version: 1,
};
const income: ProjectIncome = {
  period: '2026-12', periodTo: '2026-12',
  rows: [{ project: { id: 'p-1', code: 'P001', name: project.name }, statusLabel: '进行中', income: '3000.00', cost: '1200.00', profit: '1800.00', inProgress: '800.00' }],
  totals: { income: '3000.00', cost: '1200.00', profit: '1800.00', inProgress: '800.00' },
};
const reply = (url: URL) => {
  if (url.pathname === '/api/v1/projects') return jsonResponse(200, { items: [project], total: 1, page: 1, pageSize: 20 });
  if (url.pathname === '/api/v1/project-income') return jsonResponse(200, income);
  return jsonResponse(404, {});
};

describe('项目页', () => {
  it('会计：进行中的项目（客户、项目经理、日期），新增与结束按钮，项目收支到分', async () => {
    loginAs({ ...demoUser, username: 'qian.kj', permissions: ['project:read', 'project:write', 'voucher:read'] });
    const fetch = stubFetch(reply);
    const app = await createTestApp('/projects');
    const wrapper = mount(ProjectListPage, { global: app.global });
    await flushPromises();
    expect(fetch.mock.calls.some(([u]) => String(u).includes('/api/v1/projects?') && String(u).includes('status=active'))).toBe(true);
    const card = wrapper.find('[data-test="project-P001"]');
    expect(card.text()).toContain('P001 港城汽车 M8 螺栓配套项目');
    expect(card.text()).toContain('宁波北仑港城汽车零部件有限公司 · 项目经理 张经理 · 2026-11-07');
    expect(wrapper.find('[data-test="project-new"]').exists()).toBe(true);
    expect(card.find('[data-test="project-close"]').exists()).toBe(true);
    const rows = wrapper.findAll('[data-test="project-income"] tbody tr').map((r) => r.findAll('td').map((c) => c.text()));
    expect(rows).toEqual([['P001 港城汽车 M8 螺栓配套项目', '3,000.00', '1,200.00', '1,800.00', '800.00']]);
    wrapper.unmount();
  });

  it('销售经理（只读项目）：没有新增、结束，也没有项目收支', async () => {
    loginAs({ ...demoUser, username: 'zhang.jl', permissions: ['project:read'] });
    const fetch = stubFetch(reply);
    const app = await createTestApp('/projects');
    const wrapper = mount(ProjectListPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="project-P001"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="project-new"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="project-close"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="project-income"]').exists()).toBe(false);
    expect(fetch.mock.calls.some(([u]) => String(u).includes('/project-income'))).toBe(false);
    wrapper.unmount();
  });

  /** the POST / PATCH calls the page made */
  const writes = (fetch: ReturnType<typeof stubFetch>) => fetch.mock.calls
    .filter(([, init]) => init?.method === 'POST' || init?.method === 'PATCH')
    .map(([u, init]) => ({ method: init?.method, path: new URL(String(u), 'http://x').pathname, body: JSON.parse(String(init?.body)) as unknown }));

  it('新增：客户、项目经理从选择器选，提交的请求体；编码重复时提示在编码下，改后保存成功', async () => {
    loginAs({ ...demoUser, username: 'qian.kj', permissions: ['project:read', 'project:write'] });
    let attempts = 0;
    const fetch = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/projects' && init.method === 'POST') {
        attempts += 1;
        if (attempts === 1) {
          return jsonResponse(409, { error: { code: 'CONFLICT', message: '项目编码 P001 已被「港城汽车 M8 螺栓配套项目」使用', details: [{ field: 'body.code', message: '编码已存在' }] } });
        }
        return jsonResponse(201, { ...project, id: 'p-3', code: 'P003', name: '海曙精工 技改项目' });
      }
      if (url.pathname === '/api/v1/customers') return jsonResponse(200, { items: [{ id: 'c-2', code: 'C0002', name: '宁波海曙精工机械有限公司' }], total: 1, page: 1, pageSize: 20 });
      if (url.pathname === '/api/v1/colleagues') return jsonResponse(200, { items: [{ id: 'u-3', username: 'zhang.jl', name: '张经理', department: { id: 'd-2', name: '销售部' } }], total: 1, page: 1, pageSize: 30 });
      return reply(url);
    });
    const app = await createTestApp('/projects');
    const wrapper = mount(ProjectListPage, { global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="project-new"]').trigger('click');
    await flushPromises();
    const form = () => wrapper.find('[data-test="project-form"]');
    // nothing typed: the form says so and sends nothing
    await wrapper.find('[data-test="project-save"]').trigger('click');
    await flushPromises();
    expect(form().text()).toContain('请填写编码');
    expect(form().text()).toContain('请填写名称');
    expect(writes(fetch)).toEqual([]);

    await form().find('input[name="code"]').setValue('P001');
    await form().find('input[name="name"]').setValue('海曙精工 技改项目');
    await form().find('input[name="customerId"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-customer="C0002"]').trigger('click');
    await form().find('input[name="managerId"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-user="zhang.jl"]').trigger('click');
    await form().find('textarea[name="remark"]').setValue('设备改造');
    await flushPromises();
    expect((form().find('input[name="customerId"]').element as HTMLInputElement).value).toBe('宁波海曙精工机械有限公司');
    expect((form().find('input[name="managerId"]').element as HTMLInputElement).value).toBe('张经理');
    await wrapper.find('[data-test="project-save"]').trigger('click');
    await flushPromises();
    const body = { code: 'P001', name: '海曙精工 技改项目', customerId: 'c-2', managerId: 'u-3', startDate: null, endDate: null, remark: '设备改造' };
    expect(writes(fetch)).toEqual([{ method: 'POST', path: '/api/v1/projects', body }]);
    expect(form().find('.van-field__error-message').text()).toBe('编码已存在');

    await form().find('input[name="code"]').setValue('P003');
    await wrapper.find('[data-test="project-save"]').trigger('click');
    await flushPromises();
    expect(writes(fetch)[1]).toEqual({ method: 'POST', path: '/api/v1/projects', body: { ...body, code: 'P003' } });
    expect(form().find('.van-field__error-message').exists()).toBe(false);
    // the list asked again after saving
    expect(fetch.mock.calls.filter(([u]) => String(u).includes('/api/v1/projects?')).length).toBe(2);
    wrapper.unmount();
  });

  it('修改已结束的项目：带 version 提交；结束日期不能改的提示在结束日期下；重新打开', async () => {
    loginAs({ ...demoUser, username: 'qian.kj', permissions: ['project:read', 'project:write'] });
    const closed: Project = { ...project, id: 'p-2', code: 'P002', name: '北仑样品项目', customer: null, manager: null, startDate: '2026-10-01', endDate: '2026-11-30', status: 'closed', statusLabel: '已结束', version: 3 };
    const fetch = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/projects' && init.method === 'GET') return jsonResponse(200, { items: [closed], total: 1, page: 1, pageSize: 20 });
      if (url.pathname === '/api/v1/projects/p-2' && init.method === 'PATCH') {
        return jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '结束日期：项目已结束，结束日期不能修改（先重新打开项目）', details: [{ field: 'body.endDate', message: '项目已结束，结束日期不能修改（先重新打开项目）' }] } });
      }
      if (url.pathname === '/api/v1/projects/p-2/reopen') return jsonResponse(200, { ...closed, status: 'active', statusLabel: '进行中', version: 4 });
      return reply(url);
    });
    const app = await createTestApp('/projects');
    const wrapper = mount(ProjectListPage, { global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="project-P002"]').trigger('click');
    await flushPromises();
    const form = wrapper.find('[data-test="project-form"]');
    expect((form.find('input[name="code"]').element as HTMLInputElement).value).toBe('P002');
    expect((form.find('input[name="endDate"]').element as HTMLInputElement).value).toBe('2026-11-30');
    await form.find('input[name="name"]').setValue('北仑样品试制项目');
    await wrapper.find('[data-test="project-save"]').trigger('click');
    await flushPromises();
    expect(writes(fetch)).toEqual([{
      method: 'PATCH', path: '/api/v1/projects/p-2',
      body: { code: 'P002', name: '北仑样品试制项目', customerId: null, managerId: null, startDate: '2026-10-01', endDate: '2026-11-30', remark: null, version: 3 },
    }]);
    expect(wrapper.find('[data-test="project-form"] .van-field__error-message').text()).toBe('项目已结束，结束日期不能修改（先重新打开项目）');

    await wrapper.find('[data-test="project-form-reopen"]').trigger('click');
    await flushPromises();
    (document.querySelector('.van-dialog__confirm') as HTMLElement).click();
    await flushPromises();
    expect(writes(fetch)[1]).toEqual({ method: 'POST', path: '/api/v1/projects/p-2/reopen', body: { version: 3 } });
    wrapper.unmount();
  });

  it('明细账：选了项目就只取该项目的分录，标题带项目名', async () => {
    loginAs({ ...demoUser, username: 'qian.kj', permissions: ['project:read', 'voucher:read'] });
    const ledger = {
      period: '2026-12', account: { code: '5602', fullName: '管理费用', direction: 'debit' }, opening: { direction: '平', balance: '0.00' },
      entries: [], totals: { debit: '0.00', credit: '0.00' }, closing: { direction: '平', balance: '0.00' },
    };
    const fetch = stubFetch((url) => (url.pathname === '/api/v1/ledger' ? jsonResponse(200, ledger) : reply(url)));
    const app = await createTestApp('/ledger?accountCode=5602&period=2026-12');
    const wrapper = mount(LedgerPage, { global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="ledger-project"]').setValue('p-1');
    await flushPromises();
    const asked = fetch.mock.calls.map(([u]) => String(u)).filter((u) => u.includes('/api/v1/ledger'));
    expect(asked[0]).not.toContain('projectId');
    expect(asked[asked.length - 1]).toContain('projectId=p-1');
    expect(wrapper.find('[data-test="ledger-title"]').text()).toBe('5602 管理费用 · 项目 港城汽车 M8 螺栓配套项目');
    wrapper.unmount();
  });
});
