// @vitest-environment happy-dom
// 项目 page at phone width: the projects in progress with their customer, manager and dates, 新增 and
// 结束 only for project:write, the month's 项目收支 for who reads the books; the ledger page's project
// filter asks the API for that project's lines.
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
