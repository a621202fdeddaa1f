// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import PurchaseOrderDetailPage from '../../miniapp/src/pages/PurchaseOrderDetailPage.vue';
import SalesOrderDetailPage from '../../miniapp/src/pages/SalesOrderDetailPage.vue';
import SalesOrderListPage from '../../miniapp/src/pages/SalesOrderListPage.vue';
import type { PurchaseOrder } from '../../shared/schemas/purchasing';
import type { SalesOrder, TimelineEntry } from '../../shared/schemas/sales/orders';
import { callUrl, createTestApp, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

// Fixed nav bars measure themselves for 300 ms after mounting (Vant): let that end before happy-dom goes.
afterAll(vantTimersDone);

const li = { id: 'u-1', name: '李销售' };
const timeline: TimelineEntry[] = [
  { id: '1', kind: 'created', message: '创建订单 SO-20261124-0001：宁波港城，1 行', data: null, actor: li, at: '2026-11-24T13:20:00.000+08:00' },
  { id: '2', kind: 'confirmed', message: '确认订单 SO-20261124-0001：1 行缺货', data: null, actor: li, at: '2026-11-24T13:21:00.000+08:00' },
];

function header(extra: Partial<SalesOrder> = {}): SalesOrder {
  return {
    id: 'so-1', number: 'SO-20261124-0001', customer: { id: 'c-2', code: 'C0002', name: '宁波北仑港城汽车零部件有限公司' }, owner: li,
    warehouse: { id: 'w-2', code: 'WH02', name: '成品仓' }, quotation: null, currencyCode: 'CNY', exchangeRate: '1.000000',
    orderDate: '2026-11-24', requestedDate: null, paymentTermDays: 60, prepaymentRequired: false, state: 'confirmed', stateLabel: '已确认',
    shipmentProgress: 'partial', invoiceProgress: 'none', paymentProgress: 'none', listTotal: '3300.00', totalAmount: '2920.35',
    totalTax: '379.65', totalWithTax: '3300.00', advanceReceived: '0.00', creditOverride: false, remark: null,
    confirmedAt: '2026-11-24T13:21:00.000+08:00', createdAt: '2026-11-24T13:20:00.000+08:00', updatedAt: '2026-11-24T13:21:00.000+08:00', version: 2,
    ...extra,
  };
}

const detail: SalesOrder = header({
  lines: [
    {
      id: 'l-1', lineNo: 1, item: { id: 'i-m8', code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: 'M8×30' }, unit: { id: 'box', name: '箱' },
      factor: '1000.000000', quantity: '60.0000', baseQuantity: '60000.0000', listPrice: '55.000000', unitPrice: '55.000000',
      discountRate: '0.0000', taxRate: '0.1300', amount: '2920.35', taxAmount: '379.65', amountWithTax: '3300.00',
      warehouse: { id: 'w-2', code: 'WH02', name: '成品仓' }, requestedDate: null,
      shippedQuantity: '10000.0000', returnedQuantity: '0.0000', reservedQuantity: '28000.0000', shortQuantity: '22000.0000',
    },
  ],
  shipments: [{
    id: 's-1', number: 'SH-20261124-0001', order: { id: 'so-1', number: 'SO-20261124-0001' },
    customer: { id: 'c-2', code: 'C0002', name: '宁波北仑港城汽车零部件有限公司' }, shippedAt: '2026-11-24T15:00:00.000+08:00',
    remark: null, createdBy: { id: 'u-9', name: '赵仓管' }, lines: [], createdAt: '2026-11-24T15:00:00.000+08:00',
  }],
  timeline,
});

describe('miniapp 销售订单', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('list: rows with state, customer and amount; the state tabs filter', async () => {
    const fetchMock = stubFetch((url) =>
      url.searchParams.get('state') === 'draft'
        ? jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 20 })
        : jsonResponse(200, { items: [header()], total: 1, page: 1, pageSize: 20 }),
    );
    const app = await createTestApp('/sales-orders');
    const wrapper = mount(SalesOrderListPage, { global: app.global });
    await flushPromises();

    expect(callUrl(fetchMock).pathname).toBe('/api/v1/sales-orders');
    expect(Object.fromEntries(callUrl(fetchMock).searchParams)).toEqual({ page: '1', pageSize: '20', sort: '-number' });
    const row = wrapper.find('.order-row');
    expect(row.text()).toContain('SO-20261124-0001');
    expect(row.text()).toContain('已确认');
    expect(row.text()).toContain('宁波北仑港城汽车零部件有限公司');
    expect(row.text()).toContain('¥3,300.00');
    expect(row.text()).toContain('发货部分');

    await wrapper.findAll('.van-tab')[1]!.trigger('click'); // 草稿
    await flushPromises();
    expect(callUrl(fetchMock, 1).searchParams.get('state')).toBe('draft');
    expect(wrapper.text()).toContain('暂无销售订单');
  });

  it('detail: header, lines with ordered / reserved / shipped / short in the line unit, totals, timeline newest first', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, detail));
    const app = await createTestApp('/sales-orders/so-1');
    const wrapper = mount(SalesOrderDetailPage, { props: { id: 'so-1' }, global: app.global });
    await flushPromises();

    // one request: the detail carries its timeline (its times are right; /timeline is not asked for again)
    expect(fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x').pathname)).toEqual(['/api/v1/sales-orders/so-1']);
    const text = wrapper.text();
    for (const s of ['SO-20261124-0001', '已确认', '宁波北仑港城汽车零部件有限公司', '李销售', '60 天', '¥3,300.00', '¥2,920.35', '¥379.65', 'SH-20261124-0001', '发货部分']) {
      expect(text).toContain(s);
    }
    const line = wrapper.find('[data-test="order-line"]').text();
    expect(line).toContain('M8螺栓');
    expect(line).toContain('60 箱 × ¥55.00');
    expect(line).toContain('税率 13%');
    expect(line).toContain('订购60 箱');
    expect(line).toContain('已预留28 箱');
    expect(line).toContain('已发10 箱');
    expect(line).toContain('缺货22 箱');
    expect(wrapper.find('.is-short').exists()).toBe(true);
    // the lines are one table (cards on a phone, columns from 1024 px): a header cell per column
    expect(wrapper.findAll('.doc-lines thead th').map((th) => th.text())).toEqual(['行', '物料', '数量 × 单价', '订购', '单价', '税率', '价税合计', '已预留', '已发', '缺货']);
    const steps = wrapper.findAll('.timeline__entry');
    expect(steps.map((s) => s.attributes('data-kind'))).toEqual(['confirmed', 'created']);
    expect(steps[0]!.text()).toContain('2026-11-24 13:21 · 李销售');
  });

  it.each([404, 403, 400])('detail: %i → 订单不存在或你无权查看', async (status) => {
    stubFetch(() => jsonResponse(status, { error: { code: 'X', message: '销售订单不存在', details: null } }));
    const app = await createTestApp('/sales-orders/so-x');
    const wrapper = mount(SalesOrderDetailPage, { props: { id: 'so-x' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('订单不存在或你无权查看');
    expect(wrapper.find('[data-test="order-line"]').exists()).toBe(false);
  });

  it('detail: a server error → 加载失败', async () => {
    stubFetch(() => jsonResponse(500, {}));
    const app = await createTestApp('/sales-orders/so-1');
    const wrapper = mount(SalesOrderDetailPage, { props: { id: 'so-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('加载失败');
    expect(wrapper.text()).not.toContain('无权查看');
  });
});

describe('miniapp 采购订单', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  const po: PurchaseOrder = {
    id: 'po-1', number: 'PO-20261124-0001', supplier: { id: 's-1', code: 'S0001', name: '张家港市永昌金属材料有限公司' }, buyer: { id: 'u-7', name: '王采购' },
    warehouse: { id: 'w-1', code: 'WH01', name: '原材料仓' }, currencyCode: 'CNY', exchangeRate: '1.000000', orderDate: '2026-11-24',
    state: 'confirmed', stateLabel: '已确认', receiptProgress: 'partial', receiptProgressLabel: '部分', totalAmount: '10000.00', totalTax: '1300.00',
    totalWithTax: '11300.00', remark: null, confirmedAt: '2026-11-24T13:23:00.000+08:00', createdAt: '2026-11-24T13:22:00.000+08:00',
    updatedAt: '2026-11-24T13:23:00.000+08:00', version: 2,
    lines: [{
      id: 'pl-1', lineNo: 1, item: { id: 'i-rod', code: 'RM-WR-35K-10.0', name: 'SWRCH35K 盘条', spec: 'Φ10.0' }, warehouse: { id: 'w-1', code: 'WH01', name: '原材料仓' },
      unit: { id: 't', code: 'T', name: '吨' }, factor: '1000.000000', quantity: '2.0000', baseQuantity: '2000.0000', unitPrice: '5650.000000', taxRate: '0.1300',
      amount: '10000.00', taxAmount: '1300.00', amountWithTax: '11300.00', promisedDate: '2026-11-30',
      requisitionLineId: null, receivedQuantity: '1500.0000', returnedQuantity: '0.0000', openQuantity: '500.0000',
    }],
    receipts: [{
      id: 'r-1', number: 'PR-20261125-0001', order: { id: 'po-1', number: 'PO-20261124-0001' },
      supplier: { id: 's-1', code: 'S0001', name: '江阴兴澄钢材贸易有限公司' }, receivedAt: '2026-11-25T09:00:00.000+08:00',
      totalAmount: '7500.00', createdBy: null, createdAt: '2026-11-25T09:00:00.000+08:00', remark: null, lines: [],
      currencyCode: 'CNY', exchangeRate: '1.000000', rateBasis: 'spot', rateBasisLabel: '入库日即期汇率',
    }],
    returns: [],
    timeline: [{ id: '9', kind: 'confirmed', message: '确认采购订单', data: null, actor: { id: 'u-7', name: '王采购' }, at: '2026-11-24T13:23:00.000+08:00' }],
  };

  it('detail: lines in the purchase unit (received, open), receipts, timeline', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, po));
    const app = await createTestApp('/purchase-orders/po-1');
    const wrapper = mount(PurchaseOrderDetailPage, { props: { id: 'po-1' }, global: app.global });
    await flushPromises();
    expect(callUrl(fetchMock).pathname).toBe('/api/v1/purchase-orders/po-1');
    const text = wrapper.text();
    for (const s of ['PO-20261124-0001', '已确认', '王采购', '入库进度：部分', '¥11,300.00', 'PR-20261125-0001', '¥7,500.00', '确认采购订单']) {
      expect(text).toContain(s);
    }
    const line = wrapper.find('[data-test="order-line"]').text();
    expect(line).toContain('2 吨 × ¥5,650.00');
    expect(line).toContain('已收1.5 吨');
    expect(line).toContain('未到0.5 吨');
    expect(line).toContain('承诺交期 2026-11-30');
  });

  it('detail: a foreign-currency receipt shows the rate it was valued at and its basis', async () => {
    const usd = { ...po, currencyCode: 'USD', exchangeRate: '7.050000', receipts: [{ ...po.receipts[0]!, currencyCode: 'USD', exchangeRate: '7.220000', rateBasisLabel: '入库日即期汇率' }] };
    stubFetch(() => jsonResponse(200, usd));
    const app = await createTestApp('/purchase-orders/po-1');
    const wrapper = mount(PurchaseOrderDetailPage, { props: { id: 'po-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('汇率 7.220000（入库日即期汇率）');
    expect(wrapper.text()).not.toContain('汇率 7.050000');
  });

  it('detail: 403 (no purchaseOrder:read) → 订单不存在或你无权查看', async () => {
    stubFetch(() => jsonResponse(403, { error: { code: 'FORBIDDEN', message: '没有权限执行此操作', details: null } }));
    const app = await createTestApp('/purchase-orders/po-1');
    const wrapper = mount(PurchaseOrderDetailPage, { props: { id: 'po-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('订单不存在或你无权查看');
  });
});
