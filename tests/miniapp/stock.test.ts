// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import StockDetailPage from '../../miniapp/src/pages/StockDetailPage.vue';
import StockListPage from '../../miniapp/src/pages/StockListPage.vue';
import type { StockLevelRow, StockPosition } from '../../shared/schemas/stock';
import { callUrl, createTestApp, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

// Fixed nav bars measure themselves for 300 ms after mounting (Vant): let that end before happy-dom goes.
afterAll(vantTimersDone);

const m8 = { id: 'i-m8', code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: 'M8×30 外六角', unit: '个' };
const wh02 = { id: 'w-2', code: 'WH02', name: '成品仓' };

function level(extra: Partial<StockLevelRow> = {}): StockLevelRow {
  return {
    item: m8, warehouse: wh02, onHand: '30000.0000', reserved: '2000.0000', available: '28000.0000', onOrder: '0.0000',
    safetyStock: '20000.0000', belowSafety: false, ...extra,
  };
}

describe('miniapp 库存列表', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('lists item × warehouse rows with the available quantity and unit', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, { items: [level()], total: 1, page: 1, pageSize: 20 }));
    const app = await createTestApp('/stock');
    const wrapper = mount(StockListPage, { global: app.global });
    await flushPromises();

    const url = callUrl(fetchMock);
    expect(url.pathname).toBe('/api/v1/stock/levels');
    expect(Object.fromEntries(url.searchParams)).toEqual({ page: '1', pageSize: '20', sort: 'itemCode' });
    const rows = wrapper.findAll('.stock-row');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text()).toContain('M8螺栓');
    expect(rows[0]!.text()).toContain('成品仓');
    expect(rows[0]!.text()).toContain('在库 30,000');
    expect(rows[0]!.text()).toContain('预留 2,000');
    expect(rows[0]!.find('.stock-row__available').text()).toBe('28,000 个');
    expect(rows[0]!.text()).not.toContain('低于安全库存');
    expect(wrapper.text()).toContain('共 1 条');
  });

  it('?belowSafety=true (the chat card link) filters, shows items without stock, and the switch turns it off', async () => {
    const fetchMock = stubFetch((url) =>
      url.searchParams.get('belowSafety') === 'true'
        ? jsonResponse(200, {
            items: [level({ warehouse: null, onHand: '0.0000', reserved: '0.0000', available: '0.0000', belowSafety: true })],
            total: 1, page: 1, pageSize: 20,
          })
        : jsonResponse(200, { items: [level(), level({ warehouse: { id: 'w-1', code: 'WH01', name: '原材料仓' } })], total: 2, page: 1, pageSize: 20 }),
    );
    const app = await createTestApp('/stock?belowSafety=true');
    const wrapper = mount(StockListPage, { global: app.global });
    await flushPromises();

    expect(callUrl(fetchMock).searchParams.get('belowSafety')).toBe('true');
    expect(wrapper.find('.van-switch--on').exists()).toBe(true);
    const row = wrapper.find('.stock-row');
    expect(row.text()).toContain('低于安全库存');
    expect(row.text()).toContain('各仓库均无库存');
    expect(row.text()).toContain('安全库存 20,000');

    await wrapper.find('.stock__below-switch').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/stock'));
    await flushPromises();
    expect(callUrl(fetchMock, 1).searchParams.has('belowSafety')).toBe(false);
    expect(wrapper.findAll('.stock-row')).toHaveLength(2);
  });

  it('searches with q and says so when nothing matches', async () => {
    const fetchMock = stubFetch((url) =>
      jsonResponse(200, url.searchParams.get('q') ? { items: [], total: 0, page: 1, pageSize: 20 } : { items: [level()], total: 1, page: 1, pageSize: 20 }),
    );
    const app = await createTestApp('/stock');
    const wrapper = mount(StockListPage, { global: app.global });
    await flushPromises();
    const input = wrapper.find('.van-search input');
    await input.setValue(' 不存在 ');
    await input.trigger('keypress', { key: 'Enter', keyCode: 13 });
    await flushPromises();
    expect(callUrl(fetchMock, 1).searchParams.get('q')).toBe('不存在');
    expect(wrapper.findAll('.stock-row')).toHaveLength(0);
    expect(wrapper.text()).toContain('没有找到相符的物料');
  });

  it('403 → a permission message instead of the list', async () => {
    stubFetch(() => jsonResponse(403, { error: { code: 'FORBIDDEN', message: '没有权限执行此操作', details: null } }));
    const app = await createTestApp('/stock');
    const wrapper = mount(StockListPage, { global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('你没有查看库存的权限');
  });
});

describe('miniapp 物料库存', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  const position: StockPosition = {
    item: { ...m8, batchTracked: false },
    safetyStock: '20000.0000',
    belowSafety: true,
    averageCost: '0.032200',
    value: '1610.00',
    total: { onHand: '50000.0000', reserved: '35000.0000', available: '15000.0000', pending: '0.0000', rejected: '0.0000', onOrder: '10000.0000' },
    warehouses: [
      { warehouse: { id: 'w-1', code: 'WH01', name: '原材料仓' }, onHand: '0.0000', reserved: '0.0000', available: '0.0000', pending: '0.0000', rejected: '0.0000', onOrder: '10000.0000', value: '0.00' },
      { warehouse: wh02, onHand: '50000.0000', reserved: '35000.0000', available: '15000.0000', pending: '500.0000', rejected: '0.0000', onOrder: '0.0000', value: '1610.00' },
    ],
    batches: [{ warehouse: wh02, batchNo: 'L2611', qualityStatus: 'pending', onHand: '500.0000' }],
  };

  it('shows totals, each warehouse and the batches', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, position));
    const app = await createTestApp('/stock/i-m8');
    const wrapper = mount(StockDetailPage, { props: { itemId: 'i-m8' }, global: app.global });
    await flushPromises();

    expect(callUrl(fetchMock).pathname).toBe('/api/v1/stock/items/i-m8');
    const text = wrapper.text();
    for (const s of ['M8螺栓', 'FG-BLT-M8X30', '低于安全库存', '50,000', '35,000', '15,000', '20,000 个', '¥0.0322 / 个', '¥1,610.00', 'L2611', '待检']) {
      expect(text).toContain(s);
    }
    const wh = wrapper.find('[data-warehouse="WH02"]');
    expect(wh.text()).toContain('成品仓');
    expect(wh.text()).toContain('在库50,000 个');
    expect(wh.text()).toContain('可用15,000 个');
    expect(wh.text()).toContain('待检500 个');
    expect(wrapper.find('[data-warehouse="WH01"]').text()).toContain('在订10,000 个');
  });

  it('404 → 物料不存在; a network failure → 加载失败 with a retry', async () => {
    stubFetch(() => jsonResponse(404, { error: { code: 'NOT_FOUND', message: '物料不存在', details: null } }));
    let app = await createTestApp('/stock/x');
    let wrapper = mount(StockDetailPage, { props: { itemId: 'x' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('物料不存在或已被删除');

    let calls = 0;
    stubFetch(() => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch');
      return jsonResponse(200, position);
    });
    app = await createTestApp('/stock/i-m8');
    wrapper = mount(StockDetailPage, { props: { itemId: 'i-m8' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('加载失败');
    await wrapper.find('.van-empty .van-button').trigger('click');
    await flushPromises();
    expect(wrapper.text()).toContain('M8螺栓');
  });
});
