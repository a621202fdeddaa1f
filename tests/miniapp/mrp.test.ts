// @vitest-environment happy-dom
// @vitest-environment-options {"happyDOM":{"width":1280,"height":800}}
// 物料需求计划 at the planner's width (the IM desktop client, 1280 px: the table): the latest run and
// 运行 MRP with its progress polled each second, the suggestions with their figures, past-due tag and
// filters, 确认 / 合并投放 of the selected rows with the server's reply, the detail popup (pegging,
// edit with version), and the 工作台 tile only for users with mrp:read.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import HomePage from '../../miniapp/src/pages/HomePage.vue';
import MrpPage from '../../miniapp/src/pages/MrpPage.vue';
import { SIDE_ENTRIES, workbenchEntries } from '../../miniapp/src/utils/menu';
import type { Page } from '../../shared/schemas/common';
import type { MrpReleaseResult, MrpRun, MrpSuggestion } from '../../shared/schemas/manufacturing';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone, type FetchMock } from './helpers';

afterAll(vantTimersDone);

const pcs = { id: 'u-pcs', code: 'PCS', name: '个' };
const kg = { id: 'u-kg', code: 'KG', name: '千克' };
const rod = { id: 'i-rod', code: 'RM-WR-35K-6.5', name: 'SWRCH35K 盘条', spec: null, baseUnit: kg, sourcing: 'purchase', sourcingLabel: '外购' };
const blank = { id: 'i-blk', code: 'SF-BLK-M8X30', name: '冷镦坯', spec: 'M8×30', baseUnit: pcs, sourcing: 'make', sourcingLabel: '自制' };

function run(extra: Partial<MrpRun> = {}): MrpRun {
  return {
    id: 'r-1', state: 'completed', stateLabel: '已完成', startedBy: { id: 'u-9', name: '王计划' },
    startedAt: '2026-12-07T09:00:00.000+08:00', finishedAt: '2026-12-07T09:00:03.000+08:00', progress: 100, stage: '完成',
    purchaseCount: 12, productionCount: 3, pastDueCount: 1, purchaseAmount: '86400.00', error: null,
    ...extra,
  };
}

/** 盘条: buy 1,250.5 kg, to start 12-01 (past due) for SO-0012 and SO-0015; 冷镦坯: make 1,000 pcs, firmed */
const purchase: MrpSuggestion = {
  id: 's-rod', runId: 'r-1', item: rod, kind: 'purchase', kindLabel: '采购', quantity: '1250.5000',
  orderDate: '2026-12-01', dueDate: '2026-12-10', pastDue: true, bomVersionId: null, state: 'suggested', stateLabel: '建议', released: null,
  pegging: [
    { demandKind: 'suggestion', ref: 'SF-BLK-M8X30', parentSuggestionId: 's-blk', quantity: '1050.5000' },
    { demandKind: 'safetyStock', ref: '安全库存', parentSuggestionId: null, quantity: '200.0000' },
  ],
  orders: ['SO-20261203-0012', 'SO-20261204-0015'], version: 3,
};
const production: MrpSuggestion = {
  id: 's-blk', runId: 'r-1', item: blank, kind: 'production', kindLabel: '生产', quantity: '1000.0000',
  orderDate: '2026-12-12', dueDate: '2026-12-15', pastDue: false, bomVersionId: 'bv-1', state: 'firmed', stateLabel: '已确认', released: null,
  pegging: [{ demandKind: 'salesOrder', ref: 'SO-20261203-0012/1', parentSuggestionId: null, quantity: '1000.0000' }],
  orders: ['SO-20261203-0012'], version: 1,
};

const page = <T>(items: T[]): Page<T> => ({ items, total: items.length, page: 1, pageSize: 20 });
const planner = { ...demoUser, permissions: ['mrp:read', 'mrp:run', 'mrp:write'] };

interface Routes {
  runs?: () => Response | Promise<Response>;
  run?: (id: string) => Response | Promise<Response>;
  start?: () => Response | Promise<Response>;
  suggestions?: (url: URL) => Response;
  post?: (path: string, body: unknown) => Response | Promise<Response>;
  patch?: (id: string, body: unknown) => Response;
}

function stubMrp(routes: Routes = {}): FetchMock {
  return stubFetch((url, init) => {
    const method = init.method ?? 'GET';
    const body = init.body ? (JSON.parse(String(init.body)) as unknown) : undefined;
    if (url.pathname === '/api/v1/mrp/runs' && method === 'POST') return routes.start?.() ?? jsonResponse(201, run());
    if (url.pathname === '/api/v1/mrp/runs') return routes.runs?.() ?? jsonResponse(200, page([run()]));
    if (url.pathname.startsWith('/api/v1/mrp/runs/')) return routes.run?.(url.pathname.split('/').pop()!) ?? jsonResponse(200, run());
    if (url.pathname === '/api/v1/mrp/suggestions') return routes.suggestions?.(url) ?? jsonResponse(200, page([purchase, production]));
    if (method === 'PATCH') return routes.patch!(url.pathname.split('/').pop()!, body);
    if (method === 'POST') return routes.post!(url.pathname, body);
    return jsonResponse(404, { error: { code: 'NOT_FOUND', message: '不存在', details: null } });
  });
}

async function mountPage(runId = '') {
  const app = await createTestApp(runId ? `/mrp/suggestions?runId=${runId}` : '/mrp/suggestions');
  const wrapper = mount(MrpPage, { props: { runId }, global: app.global, attachTo: document.body });
  await flushPromises();
  return { app, wrapper };
}

/** the query of each GET /mrp/suggestions so far */
function suggestionQueries(fetchMock: FetchMock): Record<string, string>[] {
  return fetchMock.mock.calls
    .map(([input]) => new URL(String(input), 'http://localhost'))
    .filter((u) => u.pathname === '/api/v1/mrp/suggestions')
    .map((u) => Object.fromEntries(u.searchParams));
}

function posts(fetchMock: FetchMock, path: string): unknown[] {
  return fetchMock.mock.calls
    .filter(([input, init]) => new URL(String(input), 'http://localhost').pathname === path && init?.method === 'POST')
    .map(([, init]) => (init?.body ? (JSON.parse(String(init.body)) as unknown) : undefined));
}

describe('miniapp 物料需求计划', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(planner);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('the latest run and the suggestions table: figures, units, dates, past-due in red with 已过期, the orders served', async () => {
    const fetchMock = stubMrp();
    const { wrapper } = await mountPage();

    expect(new URL(String(fetchMock.mock.calls.find(([u]) => String(u).includes('/mrp/runs'))![0]), 'http://localhost').searchParams.get('pageSize')).toBe('1');
    expect(wrapper.find('[data-test="run-state"]').text()).toBe('已完成');
    expect(wrapper.find('[data-test="run-summary"]').text()).toBe('采购 12 条 ¥86,400.00，生产 3 条；1 条开始日期已过');

    expect(wrapper.findAll('thead th').map((th) => th.text().replace(/[↑↓↕]/g, '')))
      .toEqual(['选择', '物料编码', '名称', '类型', '建议数量', '开始日期', '需求日期', '状态', '服务订单']);
    const rows = wrapper.findAll('tbody tr');
    const cell = (i: number, col: string) => rows[i]!.find(`td[data-column="${col}"]`);
    expect(['code', 'name', 'kind', 'quantity', 'orderDate', 'dueDate', 'state', 'orders'].map((c) => cell(0, c).text()))
      .toEqual(['RM-WR-35K-6.5', 'SWRCH35K 盘条', '采购', '1,250.5 千克', '2026-12-01已过期', '2026-12-10', '建议', 'SO-20261203-0012、SO-20261204-0015']);
    expect(['quantity', 'orderDate', 'state', 'orders'].map((c) => cell(1, c).text())).toEqual(['1,000 个', '2026-12-12', '已确认', 'SO-20261203-0012']);
    expect(cell(0, 'orderDate').find('.is-late').exists()).toBe(true);
    expect(rows.map((r) => r.find('[data-test="past-due-tag"]').exists())).toEqual([true, false]);
    // a production suggestion without a BOM valid on its start date says so (a purchase never does)
    expect(rows.map((r) => r.find('[data-test="no-bom-tag"]').exists())).toEqual([false, false]);
    // the first page sorted by 开始日期 (past-due first), no filter
    expect(suggestionQueries(fetchMock)).toEqual([{ page: '1', pageSize: '20', sort: 'orderDate' }]);
  });

  it('a production suggestion with no BOM valid on its start date shows 无有效 BOM in its row and its detail', async () => {
    const noBom: MrpSuggestion = { ...production, id: 's-nobom', bomVersionId: null, state: 'suggested', stateLabel: '建议' };
    stubMrp({ suggestions: () => jsonResponse(200, page([noBom, production])) });
    const { wrapper } = await mountPage();
    const rows = wrapper.findAll('tbody tr');
    expect(rows.map((r) => r.find('[data-test="no-bom-tag"]').exists())).toEqual([true, false]);
    expect(rows[0]!.find('td[data-column="kind"]').text()).toBe('生产无有效 BOM');
    await rows[0]!.trigger('click');
    await flushPromises();
    expect(document.body.querySelector('[data-test="no-bom"]')?.textContent).toContain('开始日期没有有效的 BOM 版本：投放前请先维护 BOM');
  });

  it('filters and search send the right query; ?runId= shows that run and only its suggestions', async () => {
    const fetchMock = stubMrp();
    const { wrapper } = await mountPage('r-7');

    expect(fetchMock.mock.calls.some(([u]) => new URL(String(u), 'http://localhost').pathname === '/api/v1/mrp/runs/r-7')).toBe(true);
    expect(wrapper.find('[data-test="run-filter"]').exists()).toBe(true);
    await wrapper.find('[data-test="kind-purchase"]').trigger('click');
    await flushPromises();
    await wrapper.findAll('[data-test="state-tabs"] .van-tab')[2]!.trigger('click'); // 已确认
    await flushPromises();
    await wrapper.find('[data-test="past-due"]').trigger('click');
    await flushPromises();
    await wrapper.find('.van-search input').setValue('盘条');
    await wrapper.find('.van-search input').trigger('keypress', { key: 'Enter', keyCode: 13 });
    await flushPromises();
    await wrapper.find('[data-test="kind-production"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test="kind-production"]').trigger('click'); // off again
    await flushPromises();

    const base = { page: '1', pageSize: '20', sort: 'orderDate', runId: 'r-7' };
    expect(suggestionQueries(fetchMock)).toEqual([
      base,
      { ...base, kind: 'purchase' },
      { ...base, kind: 'purchase', state: 'firmed' },
      { ...base, kind: 'purchase', state: 'firmed', pastDue: 'true' },
      { ...base, kind: 'purchase', state: 'firmed', pastDue: 'true', q: '盘条' },
      { ...base, kind: 'production', state: 'firmed', pastDue: 'true', q: '盘条' },
      { ...base, state: 'firmed', pastDue: 'true', q: '盘条' },
    ]);
  });

  it('运行 MRP posts, polls the run each second with its stage until the answer, then shows the result and reloads', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let finish!: (r: Response) => void;
    let started = false;
    const running = (progress: number, stage: string) => run({ id: 'r-2', state: 'running', stateLabel: '运行中', finishedAt: null, progress, stage, purchaseCount: 0, productionCount: 0, pastDueCount: 0, purchaseAmount: '0.00' });
    const fetchMock = stubMrp({
      runs: () => jsonResponse(200, page([started ? running(40, '计算净需求') : run()])),
      run: (id) => jsonResponse(200, running(70, `写入 3 条建议（${id}）`)),
      start: () => {
        started = true;
        return new Promise<Response>((resolve) => (finish = resolve));
      },
    });
    const { wrapper } = await mountPage();
    expect(wrapper.find('[data-test="run-progress"]').exists()).toBe(false);

    await wrapper.find('[data-test="run-mrp"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock, '/api/v1/mrp/runs')).toHaveLength(1);
    expect(wrapper.find('[data-test="run-stage"]').text()).toBe('正在启动…');

    vi.advanceTimersByTime(1000); // the latest run: ours, running
    await flushPromises();
    expect(wrapper.find('.van-progress__pivot').text()).toBe('40%');
    expect(wrapper.find('[data-test="run-stage"]').text()).toBe('计算净需求');
    expect(wrapper.find('[data-test="run-state"]').text()).toBe('运行中');

    vi.advanceTimersByTime(1000); // then by its id
    await flushPromises();
    expect(wrapper.find('.van-progress__pivot').text()).toBe('70%');
    expect(wrapper.find('[data-test="run-stage"]').text()).toBe('写入 3 条建议（r-2）');
    // a second tap while it runs posts nothing
    await wrapper.find('[data-test="run-mrp"]').trigger('click');
    expect(posts(fetchMock, '/api/v1/mrp/runs')).toHaveLength(1);

    finish(jsonResponse(201, run({ id: 'r-2', purchaseCount: 4, productionCount: 2, pastDueCount: 0, purchaseAmount: '1234.50' })));
    await flushPromises();
    expect(wrapper.find('[data-test="run-progress"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="run-state"]').text()).toBe('已完成');
    expect(wrapper.find('[data-test="run-summary"]').text()).toBe('采购 4 条 ¥1,234.50，生产 2 条');
    expect(suggestionQueries(fetchMock)).toHaveLength(2); // the new suggestions

    const calls = fetchMock.mock.calls.length;
    vi.advanceTimersByTime(3000); // polling stopped
    await flushPromises();
    expect(fetchMock.mock.calls.length).toBe(calls);
  });

  it('a 409 (another run under way) shows the server message', async () => {
    const message = '王计划 正在运行物料需求计算（09:00 开始），请稍后再试';
    stubMrp({ start: () => jsonResponse(409, { error: { code: 'CONFLICT', message, details: null } }) });
    const { wrapper } = await mountPage();

    await wrapper.find('[data-test="run-mrp"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="run-error"]').text()).toBe(message);
    expect(wrapper.find('[data-test="run-progress"]').exists()).toBe(false);
  });

  it('确认 and 合并投放 send the selected ids and show the reply (the requisition number) or the message', async () => {
    const release: MrpReleaseResult = { released: 1, requisition: { id: 'pr-1', number: 'PR-20261207-0001' }, productionTasks: [] };
    const refused = '生产建议暂不能投放：SF-BLK-M8X30';
    const fetchMock = stubMrp({
      post: (path, body) => {
        if (path.endsWith('/firm')) return jsonResponse(200, { firmed: (body as { ids: string[] }).ids.length });
        return (body as { ids: string[] }).ids.includes('s-blk')
          ? jsonResponse(400, { error: { code: 'VALIDATION', message: refused, details: null } })
          : jsonResponse(201, release);
      },
    });
    const { wrapper } = await mountPage();
    const select = (i: number) => wrapper.findAll('tbody tr')[i]!.find('[data-test="select"]').trigger('click');

    expect(wrapper.find('[data-test="firm"]').attributes('disabled')).toBeDefined();
    await select(0);
    await select(1);
    expect(wrapper.find('[data-test="selected-count"]').text()).toBe('已选 2 条');
    expect(wrapper.find('[data-test="pegging"]').exists()).toBe(false); // the checkbox opens no popup
    await wrapper.find('[data-test="firm"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock, '/api/v1/mrp/suggestions/firm')).toEqual([{ ids: ['s-rod', 's-blk'] }]);
    expect(wrapper.find('[data-test="action-result"]').text()).toBe('已确认 2 条建议');
    expect(wrapper.find('[data-test="selected-count"]').text()).toBe('已选 0 条');

    await select(0);
    await select(1);
    await wrapper.find('[data-test="release"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="action-result"]').text()).toBe(refused);
    expect(wrapper.find('[data-test="action-result"]').classes()).toContain('is-error');
    expect(wrapper.find('[data-test="selected-count"]').text()).toBe('已选 2 条'); // kept to change and retry

    await select(1);
    await wrapper.find('[data-test="release"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock, '/api/v1/mrp/suggestions/release')).toEqual([{ ids: ['s-rod', 's-blk'] }, { ids: ['s-rod'] }]);
    expect(wrapper.find('[data-test="action-result"]').text()).toBe('已投放 1 条建议，生成请购单 PR-20261207-0001');
  });

  it('a row opens its pegging; the edit sends only what changed with the version read, a stale version shows the message and the retry goes with the reloaded version', async () => {
    const stale = '该建议已被他人修改，请刷新后重试';
    const patches: unknown[] = [];
    stubMrp({
      // after the 409 the list reloads with the version someone else saved
      suggestions: () => jsonResponse(200, page([{ ...purchase, version: patches.length ? 4 : 3 }, production])),
      patch: (id, body) => {
        patches.push({ id, body });
        return patches.length === 1
          ? jsonResponse(409, { error: { code: 'CONFLICT', message: stale, details: null } })
          : jsonResponse(200, { ...purchase, quantity: '1500.0000', version: 5 });
      },
    });
    const { wrapper } = await mountPage();

    await wrapper.findAll('tbody tr')[0]!.trigger('click');
    await flushPromises();
    const popup = document.body.querySelector('[data-test="suggestion-detail"]')!;
    const pegging = [...popup.querySelectorAll('[data-test="pegging-row"]')].map((r) => [...r.querySelectorAll('.van-cell__title span, .van-cell__label, .van-cell__value')].map((e) => e.textContent!.trim()));
    expect(pegging).toEqual([['上级建议', 'SF-BLK-M8X30', '1,050.5 千克'], ['安全库存', '安全库存', '200 千克']]);

    const quantity = wrapper.find('[data-test="edit-quantity"] input');
    expect((quantity.element as HTMLInputElement).value).toBe('1250.5');
    await quantity.setValue('1500');
    await wrapper.find('[data-test="save"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="edit-error"]').text()).toBe(stale);

    await wrapper.find('[data-test="save"]').trigger('click');
    await flushPromises();
    expect(patches).toEqual([
      { id: 's-rod', body: { quantity: '1500', version: 3 } },
      { id: 's-rod', body: { quantity: '1500', version: 4 } },
    ]);
    expect(wrapper.find('tbody tr td[data-column="quantity"]').text()).toBe('1,500 千克');
  });

  it('mrp:read only: the suggestions, no 运行 MRP, no selection or action bar', async () => {
    loginAs({ ...demoUser, permissions: ['mrp:read'] });
    stubMrp();
    const { wrapper } = await mountPage();
    expect(wrapper.findAll('tbody tr')).toHaveLength(2);
    expect(wrapper.find('[data-test="run-mrp"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="select"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="mrp-actions"]').exists()).toBe(false);
  });
});

describe('miniapp 工作台：物料需求计划入口', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('only a user with mrp:read has the tile and the side entry', async () => {
    stubFetch(() => jsonResponse(200, page([])));
    loginAs(demoUser); // customer:read only
    let app = await createTestApp('/');
    let wrapper = mount(HomePage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-entry="mrp"]').exists()).toBe(false);
    wrapper.unmount();

    loginAs({ ...demoUser, permissions: ['mrp:read'] });
    app = await createTestApp('/');
    wrapper = mount(HomePage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-entry="mrp"]').text()).toContain('物料需求计划');
    await wrapper.find('[data-entry="mrp"]').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/mrp/suggestions'));

    expect(workbenchEntries(() => false).some((e) => e.key === 'mrp')).toBe(false);
    expect(SIDE_ENTRIES.find((e) => e.key === 'mrp')).toMatchObject({ text: '物料需求计划', to: '/mrp/suggestions', permission: 'mrp:read' });
  });
});
