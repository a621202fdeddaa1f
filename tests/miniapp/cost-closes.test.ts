// @vitest-environment happy-dom
// 成本计算 pages: the list (a card per month with its totals, one request a page), one month's detail
// (pools, totals, a line per task with unit cost, WIP and the revaluation split), and the 工作台 tile
// only for users who may read cost closes.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import CostCloseDetailPage from '../../miniapp/src/pages/CostCloseDetailPage.vue';
import CostCloseListPage from '../../miniapp/src/pages/CostCloseListPage.vue';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import type { CostCloseDetail } from '../../shared/schemas/manufacturing';
import { callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const pcs = { id: 'u-pcs', code: 'PCS', name: '个' };
const close: CostCloseDetail = {
  id: 'cc-1', period: '2026-12', state: 'done', stateLabel: '已完成', labourPool: '4000.00', overheadPool: '2000.00', basis: 'hours', basisLabel: '按报工工时',
  taskCount: 1, materialTotal: '200.00', actualTotal: '4700.00', completedTotal: '4700.00', provisionalTotal: '1000.00', wipTotal: '0.00',
  revaluationToStock: '2220.00', revaluationToCostOfSales: '1480.00', createdBy: '钱会计', createdAt: '2026-12-31T18:00:00.000+08:00',
  lines: [{
    lineNo: 1, task: { id: 't-a', number: 'MO-2612-0001' }, item: { id: 'i-a', code: 'FG-A', name: '成品A', spec: null, baseUnit: pcs, sourcing: 'make', sourcingLabel: '自制' },
    openingWip: '0.00', material: '200.00', hours: '30.00', labour: '3000.00', overhead: '1500.00', actualTotal: '4700.00', receivedQuantity: '100.0000',
    unreceivedQuantity: '0.0000', unitCost: '47.000000', completedValue: '4700.00', provisionalValue: '1000.00', wip: '0.00', revaluation: '3700.00',
    toStock: '2220.00', toCostOfSales: '1480.00',
  }],
};
const { lines: _lines, ...summary } = close;

describe('miniapp 成本计算', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs({ ...demoUser, id: 'u-qian', name: '钱会计', roles: ['会计'], permissions: ['costClose:read', 'costClose:run'] });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('list: a card per month, newest first; detail: totals and a line per task', async () => {
    const fetchMock = stubFetch((url) => (url.pathname === '/api/v1/cost-closes'
      ? jsonResponse(200, { items: [summary], total: 1, page: 1, pageSize: 20 })
      : jsonResponse(200, close)));
    const app = await createTestApp('/cost-closes');
    const list = mount(CostCloseListPage, { global: app.global });
    await flushPromises();
    expect(callUrl(fetchMock).searchParams.get('sort')).toBe('-period');
    const card = list.find('.cost-row');
    expect(card.text()).toContain('2026-12');
    expect(card.text()).toContain('¥4,700.00');
    expect(card.text()).toContain('调入销售成本 ¥1,480.00');

    const detail = mount(CostCloseDetailPage, { props: { id: 'cc-1' }, global: app.global });
    await flushPromises();
    expect(detail.find('[data-test="cost-actual"]').text()).toBe('¥4,700.00');
    expect(detail.text()).toContain('按报工工时');
    const line = detail.find('[data-test="cost-line"]');
    expect(line.text()).toContain('MO-2612-0001');
    expect(line.text()).toContain('¥47.00');
    expect(line.text()).toContain('¥2,220.00');
    expect(line.text()).toContain('¥1,480.00');
  });

  it('the 工作台 tile only with costClose:read', () => {
    expect(workbenchEntries((p) => p === 'costClose:read').some((e) => e.key === 'cost-closes')).toBe(true);
    expect(workbenchEntries(() => false).some((e) => e.key === 'cost-closes')).toBe(false);
  });
});
