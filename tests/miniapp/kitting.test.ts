// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import KittingPage from '../../miniapp/src/pages/KittingPage.vue';
import SalesOrderDetailPage from '../../miniapp/src/pages/SalesOrderDetailPage.vue';
import StockDetailPage from '../../miniapp/src/pages/StockDetailPage.vue';
import type { Kitting, ProductionTaskKitting, SalesOrderKitting } from '../../shared/schemas/manufacturing';
import type { SalesOrder } from '../../shared/schemas/sales/orders';
import type { StockPosition } from '../../shared/schemas/stock';
import { callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

// Fixed nav bars measure themselves for 300 ms after mounting (Vant): let that end before happy-dom goes.
afterAll(vantTimersDone);

const pcs = { id: 'u-pcs', code: 'PCS', name: '个' };
const make = { sourcing: 'make', sourcingLabel: '自制' };
const buy = { sourcing: 'purchase', sourcingLabel: '外购' };
const motor = { id: 'i-fg', code: 'FG-MTR-100', name: '电机总成', spec: '100W', baseUnit: pcs, ...make };
const stator = { id: 'i-st', code: 'RM-ST-01', name: '定子', spec: null, baseUnit: pcs, ...buy };
const screw = { id: 'i-sc', code: 'RM-SC-M4', name: 'M4螺钉', spec: 'M4×8', baseUnit: pcs, ...buy };
const shell = { id: 'i-sh', code: 'RM-SH-01', name: '外壳', spec: null, baseUnit: pcs, ...buy };

/** 1000 电机总成: 定子 limits at 600 (400 short, 500 on PO due 12-20); 外壳 short 200 with no PO; 螺钉 covered */
function kitting(quantity = '1000'): Kitting {
  return {
    date: '2026-12-07', item: motor, versionNo: 2, quantity: `${quantity}.0000`, kitable: '600.0000', complete: false, readyDate: null,
    limiting: [stator],
    fromStock: [],
    components: [
      {
        item: stator, need: '1000.0000', free: '600.0000', short: '400.0000', kitable: '600.0000', limiting: true,
        arrival: {
          status: 'arrives', statusLabel: '在途可补齐', date: '2026-12-20', label: '2026-12-20 到货',
          supply: [{ number: 'PO-20261201-0003', promisedDate: '2026-12-20', quantity: '500.0000' }],
        },
      },
      {
        item: shell, need: '1000.0000', free: '800.0000', short: '200.0000', kitable: '800.0000', limiting: false,
        arrival: { status: 'none', statusLabel: '无在途', date: null, label: '无在途', supply: [] },
      },
      {
        item: screw, need: '4000.0000', free: '10000.0000', short: '0.0000', kitable: '2500.0000', limiting: false,
        arrival: { status: 'covered', statusLabel: '库存足够', date: null, label: '库存足够', supply: [] },
      },
    ],
  };
}

const kitter = { ...demoUser, permissions: ['kitting:read', 'salesOrder:read', 'stock:read'] };

async function mountItem(query = 'itemId=i-fg&quantity=1000') {
  const app = await createTestApp(`/kitting?${query}`);
  const params = new URLSearchParams(query);
  const wrapper = mount(KittingPage, {
    props: { itemId: params.get('itemId') ?? '', quantity: params.get('quantity') ?? '' },
    global: app.global,
  });
  await flushPromises();
  return { app, wrapper };
}

/** 修改数量 → type the quantity → 确定 */
async function changeQuantity(wrapper: Awaited<ReturnType<typeof mountItem>>['wrapper'], value: string) {
  await wrapper.find('[data-test="change-quantity"]').trigger('click');
  await flushPromises();
  await wrapper.find('[data-test="quantity-input"] input').setValue(value);
  await wrapper.find('.van-dialog__confirm').trigger('click');
  await flushPromises();
}

describe('miniapp 齐套分析', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(kitter);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('item: the kit-able quantity against the one asked, the limiting component marked, a row per component', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, kitting()));
    const { wrapper } = await mountItem();

    const url = callUrl(fetchMock);
    expect(url.pathname).toBe('/api/v1/kitting');
    expect(Object.fromEntries(url.searchParams)).toEqual({ itemId: 'i-fg', quantity: '1000' });
    expect(wrapper.find('[data-test="document-header"]').text()).toContain('电机总成');
    expect(wrapper.find('[data-test="kitting-state"]').text()).toBe('部分齐套');
    expect(wrapper.find('[data-test="kitting-quantity"]').text()).toBe('1,000');
    expect(wrapper.find('[data-test="kitting-kitable"]').text()).toBe('600');
    expect(wrapper.find('[data-test="kitting-ready"]').text()).toBe('有缺料没有在途或交期未定');
    expect(wrapper.find('[data-test="kitting-limiting"]').text()).toBe('瓶颈物料：定子（RM-ST-01）');

    const rows = wrapper.findAll('[data-test="kitting-component"]');
    expect(rows.map((r) => r.attributes('data-item'))).toEqual(['RM-ST-01', 'RM-SH-01', 'RM-SC-M4']);
    const cell = (i: number, col: string) => rows[i]!.find(`[data-col="${col}"] .doc-lines__value`).text();
    // only 定子 limits: the tinted row and the 瓶颈 tag
    expect(rows.map((r) => r.classes('is-limiting'))).toEqual([true, false, false]);
    expect(rows.map((r) => r.find('[data-test="limiting-tag"]').exists())).toEqual([true, false, false]);
    expect([cell(0, 'need'), cell(0, 'free'), cell(0, 'short'), cell(0, 'kitable'), cell(0, 'arrival')])
      .toEqual(['1,000 个', '600 个', '400 个', '600 个', '2026-12-20 到货']);
    expect(cell(0, 'supply')).toBe('PO-20261201-0003 2026-12-20 × 500 个');
    expect([cell(1, 'short'), cell(1, 'arrival')]).toEqual(['200 个', '无在途']);
    expect([cell(2, 'need'), cell(2, 'free'), cell(2, 'short'), cell(2, 'arrival')]).toEqual(['4,000 个', '10,000 个', '0 个', '库存足够']);
    expect(rows[0]!.find('[data-col="short"] .is-short').exists()).toBe(true);
    expect(rows[2]!.find('[data-col="short"] .is-short').exists()).toBe(false);
  });

  it('item: 修改数量 re-runs the analysis with the new quantity and keeps it in the address', async () => {
    const fetchMock = stubFetch((url) => jsonResponse(200, kitting(url.searchParams.get('quantity') ?? '')));
    const { app, wrapper } = await mountItem();

    await changeQuantity(wrapper, '0');
    expect(wrapper.text()).toContain('请输入大于 0 的数量');
    expect(fetchMock).toHaveBeenCalledTimes(1);

    await wrapper.find('[data-test="quantity-input"] input').setValue('500');
    await wrapper.find('.van-dialog__confirm').trigger('click');
    await flushPromises();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(Object.fromEntries(callUrl(fetchMock, 1).searchParams)).toEqual({ itemId: 'i-fg', quantity: '500' });
    expect(wrapper.find('[data-test="kitting-quantity"]').text()).toBe('500');
    expect(app.router.currentRoute.value.query).toEqual({ itemId: 'i-fg', quantity: '500' });
  });

  it('403 → 无权查看, through the shell', async () => {
    stubFetch(() => jsonResponse(403, { error: { code: 'FORBIDDEN', message: '没有权限', details: null } }));
    const { wrapper } = await mountItem();
    expect(wrapper.text()).toContain('无权查看齐套分析');
    expect(wrapper.find('[data-test="kitting-component"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="change-quantity"]').exists()).toBe(false);
  });

  it('400 → the server message, and 修改数量 asks again', async () => {
    const message = '数量最多 0 位小数（FG-MTR-100 按「个」计）';
    const fetchMock = stubFetch((url) =>
      url.searchParams.get('quantity') === '2.5'
        ? jsonResponse(400, { error: { code: 'VALIDATION', message, details: null } })
        : jsonResponse(200, kitting('2')),
    );
    const { wrapper } = await mountItem('itemId=i-fg&quantity=2.5');
    expect(wrapper.text()).toContain(message);
    expect(wrapper.text()).not.toContain('加载失败');

    await changeQuantity(wrapper, '2');
    expect(callUrl(fetchMock, 1).searchParams.get('quantity')).toBe('2');
    expect(wrapper.find('[data-test="kitting-quantity"]').text()).toBe('2');
  });

  it('sales order: each line\'s result, the note of a line not made, the components of a line made', async () => {
    const order: SalesOrderKitting = {
      order: { id: 'so-1', number: 'SO-20261207-0002', state: 'confirmed', stateLabel: '已确认', customer: { id: 'c-2', name: '宁波港城' } },
      date: '2026-12-07',
      lines: [
        { lineId: 'l-1', lineNo: 1, item: motor, openQuantity: '1000.0000', kitting: kitting(), note: null },
        { lineId: 'l-2', lineNo: 2, item: screw, openQuantity: '300.0000', kitting: null, note: '外购物料，不需要生产' },
      ],
    };
    const fetchMock = stubFetch(() => jsonResponse(200, order));
    const app = await createTestApp('/kitting/sales-orders/so-1');
    const wrapper = mount(KittingPage, { props: { orderId: 'so-1' }, global: app.global });
    await flushPromises();

    expect(callUrl(fetchMock).pathname).toBe('/api/v1/kitting/sales-orders/so-1');
    expect(wrapper.find('[data-test="document-header"]').text()).toContain('SO-20261207-0002');
    expect(wrapper.find('[data-test="order-kitting-summary"]').text()).toBe('有缺料');
    const lines = wrapper.findAll('[data-test="kitting-order-line"]');
    const cell = (i: number, col: string) => lines[i]!.find(`[data-col="${col}"] .doc-lines__value`).text();
    expect([cell(0, 'open'), cell(0, 'kitable'), cell(0, 'result'), cell(0, 'note')]).toEqual(['1,000 个', '600 个', '缺料', '瓶颈：定子']);
    expect([cell(1, 'open'), cell(1, 'kitable'), cell(1, 'result'), cell(1, 'note')]).toEqual(['300 个', '—', '不需齐套', '外购物料，不需要生产']);
    expect(wrapper.findAll('[data-test="kitting-component"]')).toHaveLength(3);
    expect(wrapper.find('[data-test="change-quantity"]').exists()).toBe(false);
  });
});

describe('miniapp 齐套分析入口', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  const so = {
    id: 'so-1', number: 'SO-20261207-0002', customer: { id: 'c-2', code: 'C0002', name: '宁波港城' }, owner: { id: 'u-1', name: '李销售' },
    warehouse: { id: 'w-2', code: 'WH02', name: '成品仓' }, quotation: null, currencyCode: 'CNY', exchangeRate: '1.000000',
    orderDate: '2026-12-07', requestedDate: null, paymentTermDays: 60, prepaymentRequired: false, state: 'confirmed', stateLabel: '已确认',
    shipmentProgress: 'none', invoiceProgress: 'none', paymentProgress: 'none', listTotal: '0.00', totalAmount: '0.00',
    totalTax: '0.00', totalWithTax: '0.00', advanceReceived: '0.00', creditOverride: false, remark: null,
    confirmedAt: null, createdAt: '2026-12-07T10:00:00.000+08:00', updatedAt: '2026-12-07T10:00:00.000+08:00', version: 2, lines: [],
  } satisfies SalesOrder;

  it.each([
    ['kitting:read, confirmed', ['kitting:read', 'salesOrder:read'], 'confirmed', true],
    ['no kitting:read', ['salesOrder:read'], 'confirmed', false],
    ['a draft', ['kitting:read', 'salesOrder:read'], 'draft', false],
  ])('sales order detail: 齐套分析 button (%s)', async (_case, permissions, state, shown) => {
    localStorage.clear();
    loginAs({ ...demoUser, permissions });
    stubFetch(() => jsonResponse(200, { ...so, state }));
    const app = await createTestApp('/sales-orders/so-1');
    const wrapper = mount(SalesOrderDetailPage, { props: { id: 'so-1' }, global: app.global });
    await flushPromises();
    const button = wrapper.find('[data-test="open-kitting"]');
    expect(button.exists()).toBe(shown);
    if (!shown) return;
    await button.trigger('click');
    await flushPromises();
    expect(app.router.currentRoute.value.fullPath).toBe('/kitting/sales-orders/so-1');
  });

  it('stock detail: 齐套分析 asks for a quantity and opens the analysis', async () => {
    localStorage.clear();
    loginAs(kitter);
    const zero = { onHand: '0.0000', reserved: '0.0000', available: '0.0000', onOrder: '0.0000', pending: '0.0000', rejected: '0.0000' };
    const position: StockPosition = {
      item: { id: 'i-fg', code: 'FG-MTR-100', name: '电机总成', spec: '100W', unit: '个', batchTracked: false },
      safetyStock: '0.0000', belowSafety: false, averageCost: '0.000000', value: '0.00', total: zero, warehouses: [], batches: [],
    };
    stubFetch(() => jsonResponse(200, position));
    const app = await createTestApp('/stock/i-fg');
    const wrapper = mount(StockDetailPage, { props: { itemId: 'i-fg' }, global: app.global });
    await flushPromises();

    await wrapper.find('[data-test="open-kitting"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test="quantity-input"] input').setValue('300');
    await wrapper.find('.van-dialog__confirm').trigger('click');
    await flushPromises();
    expect(app.router.currentRoute.value.name).toBe('kitting');
    expect(app.router.currentRoute.value.query).toEqual({ itemId: 'i-fg', quantity: '300' });
  });
});

describe('miniapp 齐套分析：生产任务单', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs({ ...demoUser, permissions: ['kitting:read', 'productionTask:read'] });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('asks for the chosen tasks and shows each in allocation order: 未配套, 可齐套, the limiting component', async () => {
    const taskRef = (id: string, number: string) => ({
      id, number, item: motor, quantity: '1000.0000', kittedQuantity: '0.0000', plannedStart: '2026-12-10', state: 'released' as const, stateLabel: '已下达',
    });
    const body: ProductionTaskKitting = {
      tasks: [
        { task: taskRef('t-1', 'MO-1'), openQuantity: '1000', kitting: kitting(), note: null },
        { task: { ...taskRef('t-2', 'MO-2'), kittedQuantity: '1000.0000' }, openQuantity: '0', kitting: null, note: '已全部配套领料' },
      ],
    };
    const fetchMock = stubFetch(() => jsonResponse(200, body));
    const app = await createTestApp('/kitting/production-tasks?ids=t-1,t-2');
    const wrapper = mount(KittingPage, { props: { taskIds: 't-1,t-2' }, global: app.global });
    await flushPromises();
    expect(callUrl(fetchMock).pathname).toBe('/api/v1/kitting/production-tasks');
    expect(callUrl(fetchMock).searchParams.get('productionTaskIds')).toBe('t-1,t-2');
    expect(wrapper.find('[data-test="tasks-kitting-summary"]').text()).toBe('有缺料');
    const rows = wrapper.findAll('[data-test="kitting-task"]');
    expect(rows.map((r) => r.attributes('data-task'))).toEqual(['MO-1', 'MO-2']);
    expect(rows[0]!.text()).toContain('瓶颈：定子');
    expect(rows[0]!.text()).toContain('600');
    expect(rows[1]!.text()).toContain('已全部配套领料');
  });
});
