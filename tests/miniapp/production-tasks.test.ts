// @vitest-environment happy-dom
// @vitest-environment-options {"width":375,"height":740}
// 生产任务 pages at the worker's width (375 px: cards): the list with its state filter; the detail's
// figures and actions by permission (a worker with only productionTask:report gets 报工 and nothing
// else, a planner 下达 / 取消 on a planned task); the 报工 sheet checks what was typed before sending
// (the operation from the task's materials, not all zero, hours ≤ 24), sends the typed figures and
// shows the task again with its new totals. The 工作台 tile shows for read or report only.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ProductionTaskDetailPage from '../../miniapp/src/pages/ProductionTaskDetailPage.vue';
import ProductionTaskListPage from '../../miniapp/src/pages/ProductionTaskListPage.vue';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import { checkReportForm, emptyReportForm, taskActions } from '../../miniapp/src/utils/production';
import type { Page } from '../../shared/schemas/common';
import type { ProductionTask, ProductionTaskDetail, WorkReport } from '../../shared/schemas/manufacturing';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone, type FetchMock } from './helpers';

afterAll(vantTimersDone);

const pcs = { id: 'u-pcs', code: 'PCS', name: '个' };
const kg = { id: 'u-kg', code: 'KG', name: '千克' };
const bolt = { id: 'i-fg', code: 'FG-BOLT-M8', name: 'M8 螺栓', spec: null, baseUnit: pcs, sourcing: 'make', sourcingLabel: '自制' };
const rod = { id: 'i-rod', code: 'RM-WR-6.5', name: '盘条', spec: null, baseUnit: kg, sourcing: 'purchase', sourcingLabel: '外购' };
const wh = { id: 'w-1', code: 'WH01', name: '原料仓' };

function task(extra: Partial<ProductionTaskDetail> = {}): ProductionTaskDetail {
  return {
    id: 't-1', number: 'MO-20261207-0001', item: bolt, bomVersionId: 'bv-1', quantity: '100.0000', materialWarehouse: wh, warehouse: { id: 'w-2', code: 'WH02', name: '成品仓' },
    plannedStart: '2026-12-10', plannedFinish: '2026-12-12', state: 'inProgress', stateLabel: '生产中', sourceKind: 'manual', salesOrderLineId: null, mrpSuggestionId: null,
    kittedQuantity: '40.0000', receivedQuantity: '0.0000', issuedAmount: '3.20', receivedAmount: '0.00', remark: null, version: 3,
    reportedGoodQuantity: '0.0000', reportedScrapQuantity: '0.0000', reportedHours: '0.00', kitableQuantity: null,
    materials: [
      { lineNo: 1, item: rod, requiredQuantity: '1.0000', issuedQuantity: '0.4000', issuedAmount: '3.20', issueMethod: 'kit', issueMethodLabel: '配套领料', operation: '冷镦' },
      { lineNo: 2, item: rod, requiredQuantity: '0.0100', issuedQuantity: '0.0000', issuedAmount: '0.00', issueMethod: 'backflush', issueMethodLabel: '倒冲', operation: '包装' },
    ],
    timeline: [{ at: '2026-12-07T09:00:00.000+08:00', action: 'issue', user: '赵仓管', detail: { quantity: '40' } }],
    ...extra,
  };
}

const report: WorkReport = {
  id: 'r-1', number: 'WR-20261207-0001', task: { id: 't-1', number: 'MO-20261207-0001', item: bolt }, operation: '冷镦',
  goodQuantity: '40.0000', scrapQuantity: '0.0000', hours: '3.50', worker: { id: 'u-1', name: '陈工人' }, workDate: '2026-12-07', remark: null,
  createdAt: '2026-12-07T10:00:00.000+08:00',
};

const worker = { ...demoUser, name: '陈工人', permissions: ['productionTask:report'] };
const planner = { ...demoUser, permissions: ['productionTask:read', 'productionTask:create', 'productionTask:update', 'productionTask:issue', 'productionTask:report'] };

function posts(fetchMock: FetchMock, path: string): unknown[] {
  return fetchMock.mock.calls
    .filter(([input, init]) => new URL(String(input), 'http://localhost').pathname === path && init?.method === 'POST')
    .map(([, init]) => (init?.body ? (JSON.parse(String(init.body)) as unknown) : undefined));
}

async function mountDetail(detail: () => ProductionTaskDetail, reports: () => WorkReport[] = () => []) {
  const fetchMock = stubFetch((url, init) => {
    if (url.pathname === '/api/v1/production-tasks/t-1/work-reports') return init.method === 'POST' ? jsonResponse(201, report) : jsonResponse(200, reports());
    if (url.pathname === '/api/v1/production-tasks/t-1') return jsonResponse(200, detail());
    return jsonResponse(200, detail());
  });
  const app = await createTestApp('/production-tasks/t-1');
  const wrapper = mount(ProductionTaskDetailPage, { props: { id: 't-1' }, global: app.global });
  await flushPromises();
  return { fetchMock, wrapper };
}

describe('miniapp 生产任务', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('list: cards with state and 已入库; a state tab asks the API for that state', async () => {
    loginAs(planner);
    const list: ProductionTask[] = [task()];
    const fetchMock = stubFetch(() => jsonResponse(200, { items: list, total: 1, page: 1, pageSize: 20 } satisfies Page<ProductionTask>));
    const app = await createTestApp('/production-tasks');
    const wrapper = mount(ProductionTaskListPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('.data-list').classes()).not.toContain('is-wide'); // the phone's cards, not the table
    const card = wrapper.find('[data-test="task-card"]');
    expect(card.text()).toContain('MO-20261207-0001');
    expect(card.text()).toContain('生产中');
    expect(card.text()).toContain('已入库 0 / 100 个');
    const tab = wrapper.findAll('[data-test="task-state-tabs"] .van-tab').find((t) => t.text() === '生产中')!;
    await tab.trigger('click');
    await flushPromises();
    const last = new URL(String(fetchMock.mock.calls[fetchMock.mock.calls.length - 1]![0]), 'http://localhost');
    expect(Object.fromEntries(last.searchParams)).toMatchObject({ state: 'inProgress', sort: '-number' });
  });

  it('worker: only 报工; the sheet refuses an empty report, then sends the chosen operation and figures and shows the new totals', async () => {
    loginAs(worker);
    let current = task();
    let reports: WorkReport[] = [];
    const { fetchMock, wrapper } = await mountDetail(() => current, () => reports);
    expect(wrapper.find('[data-test="fig-kitted"]').text()).toBe('40');
    expect(wrapper.findAll('[data-test="task-material"]')).toHaveLength(2);
    expect(wrapper.findAll('[data-test="task-actions"] [data-action]').map((b) => b.attributes('data-action'))).toEqual(['report']);

    await wrapper.find('[data-action="report"]').trigger('click');
    await flushPromises();
    const sheet = wrapper.find('[data-test="report-sheet"]');
    expect(sheet.text()).toContain('作业人员：陈工人');
    expect(sheet.findAll('[data-operation]').map((b) => b.attributes('data-operation'))).toEqual(['冷镦', '包装']);
    await sheet.find('[data-test="report-submit"]').trigger('click');
    await flushPromises();
    expect(sheet.find('[data-test="error-operation"]').text()).toBe('请选择工序');
    expect(sheet.find('[data-test="report-good"]').text()).toContain('良品、报废和工时不能都为 0');
    expect(posts(fetchMock, '/api/v1/production-tasks/t-1/work-reports')).toEqual([]);

    await sheet.find('[data-operation="冷镦"]').trigger('click');
    await sheet.find('[data-test="report-good"] input').setValue('40');
    await sheet.find('[data-test="report-hours"] input').setValue('25');
    await sheet.find('[data-test="report-submit"]').trigger('click');
    await flushPromises();
    expect(sheet.find('[data-test="report-hours"]').text()).toContain('一次最多 24 小时');
    expect(posts(fetchMock, '/api/v1/production-tasks/t-1/work-reports')).toEqual([]);

    current = task({ reportedGoodQuantity: '40.0000', reportedHours: '3.50' });
    reports = [report];
    await sheet.find('[data-test="report-hours"] input').setValue('3.5');
    await sheet.find('[data-test="report-submit"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock, '/api/v1/production-tasks/t-1/work-reports')).toEqual([{ operation: '冷镦', goodQuantity: '40', scrapQuantity: '0', hours: '3.5' }]);
    expect(wrapper.find('[data-test="fig-good"]').text()).toBe('40');
    expect(wrapper.find('[data-test="fig-hours"]').text()).toBe('3.5');
    expect(wrapper.findAll('[data-test="work-report"]')).toHaveLength(1);
    expect(wrapper.find('[data-test="work-report"]').text()).toContain('陈工人');
  });

  it('planner: a planned task offers 下达 and 取消; 下达 shows the task the server answers', async () => {
    loginAs(planner);
    let current = task({ state: 'planned', stateLabel: '计划', kittedQuantity: '0.0000', issuedAmount: '0.00', timeline: [] });
    const { fetchMock, wrapper } = await mountDetail(() => current);
    expect(wrapper.findAll('[data-test="task-actions"] [data-action]').map((b) => b.attributes('data-action'))).toEqual(['release', 'cancel']);
    current = task({ state: 'released', stateLabel: '已下达', kittedQuantity: '0.0000', issuedAmount: '0.00' });
    await wrapper.find('[data-action="release"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock, '/api/v1/production-tasks/t-1/release')).toHaveLength(1);
    expect(wrapper.find('[data-test="task-state"]').text()).toBe('已下达');
    expect(wrapper.findAll('[data-test="task-actions"] [data-action]').map((b) => b.attributes('data-action'))).toEqual(['report', 'issue', 'receive', 'close', 'cancel']);
  });

  it('list: 齐套分析 picks open tasks (a completed one cannot be picked) and opens the analysis of the chosen ones', async () => {
    loginAs({ ...planner, permissions: [...planner.permissions, 'kitting:read'] });
    const list: ProductionTask[] = [task(), task({ id: 't-2', number: 'MO-20261207-0002', state: 'completed', stateLabel: '已完工' }), task({ id: 't-3', number: 'MO-20261207-0003', state: 'planned', stateLabel: '计划' })];
    stubFetch(() => jsonResponse(200, { items: list, total: 3, page: 1, pageSize: 20 } satisfies Page<ProductionTask>));
    const app = await createTestApp('/production-tasks');
    const wrapper = mount(ProductionTaskListPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="kit-analyse"]').exists()).toBe(false);
    await wrapper.find('[data-test="kit-pick"]').trigger('click');
    const cards = wrapper.findAll('[data-test="task-card"]');
    for (const c of cards) await c.trigger('click');
    expect(cards.map((c) => c.attributes('aria-checked'))).toEqual(['true', 'false', 'true']);
    await wrapper.find('[data-test="kit-analyse"]').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.name).toBe('production-task-kitting'));
    expect(app.router.currentRoute.value.query).toEqual({ ids: 't-1,t-3' });
  });

  it('配套领料 offers the kit-able quantity the server computed and sends what was confirmed', async () => {
    loginAs(planner);
    const { fetchMock, wrapper } = await mountDetail(() => task({ kitableQuantity: '25.0000' }));
    await wrapper.find('[data-action="issue"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('.van-dialog__header').text()).toContain('现在可齐套 25 个');
    expect((wrapper.find('[data-test="quantity-input"] input').element as HTMLInputElement).value).toBe('25');
    await wrapper.find('.van-dialog__confirm').trigger('click');
    await flushPromises();
    expect(posts(fetchMock, '/api/v1/production-tasks/t-1/issue')).toEqual([{ quantity: '25' }]);
  });

  it('rules: actions by state and permission; the form keeps blanks as 0 and free text when the task names no operation', () => {
    const may = (granted: string[]) => (p: string) => granted.includes(p);
    expect(taskActions(task({ state: 'completed', stateLabel: '已完工' }), may(planner.permissions))).toEqual(['close']);
    expect(taskActions(task(), may(['productionTask:read']))).toEqual([]);
    expect(taskActions(task({ kittedQuantity: '100.0000' }), may(['productionTask:issue']))).toEqual(['receive']);
    const form = { ...emptyReportForm(), operation: ' 抛光 ', scrapQuantity: '2' };
    expect(checkReportForm(form, { precision: 4, operations: [] })).toEqual({ errors: {}, body: { goodQuantity: '0', scrapQuantity: '2', hours: '0', operation: '抛光' } });
    expect(checkReportForm({ ...form, goodQuantity: '1.5' }, { precision: 0, operations: [] }).errors).toEqual({ goodQuantity: '必须是整数' });
    expect(checkReportForm({ ...form, hours: '-1' }, { precision: 4, operations: [] }).errors).toEqual({ hours: '请输入不小于 0 的数字' });
  });

  it('工作台: the tile only for productionTask:read or :report', () => {
    expect(workbenchEntries(() => false).some((e) => e.key === 'production-tasks')).toBe(false);
    expect(workbenchEntries((p) => p === 'productionTask:report').some((e) => e.key === 'production-tasks')).toBe(true);
    expect(workbenchEntries((p) => p === 'productionTask:read').some((e) => e.key === 'production-tasks')).toBe(true);
  });
});
