// @vitest-environment happy-dom
// 销售预测 and 足缺料分析 pages at phone width: the forecast list (a card per month and item), editing
// one (PATCH with its version, then the list again); the shortage list asks for the short tasks only
// and shows each short material with its expected arrival; the 工作台 tiles only with the permission.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ForecastListPage from '../../miniapp/src/pages/ForecastListPage.vue';
import ProductionShortagePage from '../../miniapp/src/pages/ProductionShortagePage.vue';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import type { Forecast } from '../../shared/schemas/forecast';
import type { ShortageTask } from '../../shared/schemas/manufacturing';
import { callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const pcs = { id: 'u-pcs', code: 'PCS', name: '个' };
const kg = { id: 'u-kg', code: 'KG', name: '千克' };
const bolt = { id: 'i-fg', code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: null, baseUnit: pcs, sourcing: 'make', sourcingLabel: '自制' };
const rod = { id: 'i-rod', code: 'RM-WR-35K-6.5', name: '盘条', spec: null, baseUnit: kg, sourcing: 'buy', sourcingLabel: '外购' };

const forecast: Forecast = { id: 'f-1', item: bolt, period: '2026-12', quantity: '50000.0000', warehouse: null, remark: '年底备货', updatedAt: '2026-12-07T10:00:00.000+08:00', version: 3 };

const planner = { ...demoUser, id: 'u-sun', name: '孙计划', roles: ['计划员'], permissions: ['forecast:read', 'forecast:write', 'productionTask:read'] };

describe('miniapp 销售预测与足缺料分析', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(planner);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('预测列表：按月份倒序一页；点开修改数量 → PATCH 带版本号', async () => {
    const fetchMock = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/forecasts/f-1' && init.method === 'PATCH') return jsonResponse(200, { ...forecast, quantity: '60000.0000', version: 4 });
      return jsonResponse(200, { items: [forecast], total: 1, page: 1, pageSize: 20 });
    });
    const app = await createTestApp('/forecasts');
    const wrapper = mount(ForecastListPage, { global: app.global, attachTo: document.body });
    await flushPromises();
    expect(Object.fromEntries(callUrl(fetchMock).searchParams)).toEqual({ page: '1', pageSize: '20', sort: '-period' });
    const card = wrapper.find('[data-test="forecast-row"]');
    expect(card.text()).toContain('2026-12');
    expect(card.text()).toContain('50,000 个');
    expect(card.text()).toContain('FG-BLT-M8X30 M8螺栓');

    await card.trigger('click');
    await flushPromises();
    const qty = document.querySelector<HTMLInputElement>('[data-test="forecast-quantity"] input')!;
    expect(qty.value).toBe('50000');
    qty.value = '60000';
    qty.dispatchEvent(new Event('input'));
    document.querySelector<HTMLButtonElement>('[data-test="forecast-save"]')!.click();
    await flushPromises();
    const patch = fetchMock.mock.calls.find((c) => (c[1] as RequestInit | undefined)?.method === 'PATCH')!;
    expect(JSON.parse(String((patch[1] as RequestInit).body))).toEqual({ period: '2026-12', quantity: '60000', remark: '年底备货', version: 3 });
    wrapper.unmount();
  });

  it('足缺料分析：只看缺料，每种缺料一行带预计到货', async () => {
    const row: ShortageTask = {
      task: { id: 't-1', number: 'MO-20261208-0002', item: bolt, quantity: '20000.0000', plannedStart: '2026-12-10', state: 'released', stateLabel: '已下达' },
      complete: false, statusLabel: '缺料',
      materials: [{
        item: rod, required: '280.0000', allocated: '160.0000', short: '120.0000',
        arrival: { status: 'arrives', statusLabel: '在途可补齐', date: '2026-12-20', label: '2026-12-20 到货', orders: ['PO-20261201-0003'] },
      }],
    };
    const fetchMock = stubFetch(() => jsonResponse(200, { items: [row], total: 1, page: 1, pageSize: 20 }));
    const app = await createTestApp('/production-shortage');
    const wrapper = mount(ProductionShortagePage, { global: app.global });
    await flushPromises();
    expect(callUrl(fetchMock).pathname).toBe('/api/v1/production-tasks/shortage-analysis');
    expect(Object.fromEntries(callUrl(fetchMock).searchParams)).toEqual({ page: '1', pageSize: '20', sort: 'plannedStart', shortOnly: 'true' });
    const card = wrapper.find('[data-test="shortage-row"]');
    expect(card.text()).toContain('MO-20261208-0002');
    expect(card.text()).toContain('缺料');
    expect(wrapper.find('[data-test="shortage-line"]').text().replace(/\s+/g, '')).toBe('缺盘条120千克（需280千克，库存分到160千克），2026-12-20到货');
  });

  it('工作台：有权限才显示', () => {
    expect(workbenchEntries(() => false).some((e) => e.key === 'forecasts' || e.key === 'production-shortage')).toBe(false);
    expect(workbenchEntries((p) => p === 'forecast:read').map((e) => e.key)).toContain('forecasts');
    expect(workbenchEntries((p) => p === 'productionTask:read').map((e) => e.key)).toContain('production-shortage');
  });
});
