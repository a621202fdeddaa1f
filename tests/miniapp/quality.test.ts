// @vitest-environment happy-dom
// 质检任务 pages: the list (待检验 first, cards with what waits) behind a menu entry shown only with
// qualityInspection:read; the 检验单 page where the inspector records 合格 / 不合格 / 让步接收 —
// checked before sending (never more than waits), sent with the record's version, the reply shown;
// a field the server refuses is named under its input; no form without qualityInspection:record.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import HomePage from '../../miniapp/src/pages/HomePage.vue';
import QualityInspectionDetailPage from '../../miniapp/src/pages/QualityInspectionDetailPage.vue';
import QualityInspectionListPage from '../../miniapp/src/pages/QualityInspectionListPage.vue';
import { SIDE_ENTRIES, workbenchEntries } from '../../miniapp/src/utils/menu';
import type { QualityInspectionDetail } from '../../shared/schemas/quality';
import { callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const inspector = { ...demoUser, username: 'zhou.zj', name: '周质检', permissions: ['qualityInspection:read', 'qualityInspection:record', 'warehouse:read'] };
const reader = { ...demoUser, permissions: ['qualityInspection:read'] };

function inspection(over: Partial<QualityInspectionDetail> = {}): QualityInspectionDetail {
  return {
    id: 'qc-1', number: 'QC-20261207-0001', sourceType: 'purchaseReceipt', sourceTypeLabel: '采购入库', sourceId: 'rc-1', sourceNo: 'RC-20261207-0003',
    item: { id: 'i-ctn', code: 'PK-CTN-M', name: '纸箱', spec: '中号' }, unit: '个', warehouse: { id: 'wh1', code: 'WH01', name: '原材料仓' }, batchNo: '',
    quantity: '100.0000', inspectedQuantity: '0.0000', pendingQuantity: '100.0000', passedQuantity: '0.0000', failedQuantity: '0.0000', concessionQuantity: '0.0000',
    state: 'open', stateLabel: '待检验', remark: null, inspectedBy: null, inspectedAt: null, createdAt: '2026-12-07T09:30:00.000+08:00', version: 1, events: [],
    ...over,
  };
}

const posts = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls.filter((c) => c[1]?.method === 'POST').map((c) => ({ path: new URL(String(c[0]), 'http://x').pathname, body: JSON.parse(String(c[1]?.body)) as unknown }));

async function mountDetail() {
  const app = await createTestApp('/quality-inspections/qc-1');
  const wrapper = mount(QualityInspectionDetailPage, { props: { id: 'qc-1' }, global: app.global, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

describe('miniapp 质检任务', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs(inspector);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('list: 待检验 first, each card the item and what waits; the menu entry only with qualityInspection:read', async () => {
    const fetchMock = stubFetch(() => jsonResponse(200, { items: [inspection()], total: 1, page: 1, pageSize: 20 }));
    const app = await createTestApp('/quality-inspections');
    const wrapper = mount(QualityInspectionListPage, { global: app.global });
    await flushPromises();
    const url = callUrl(fetchMock);
    expect(url.pathname).toBe('/api/v1/quality-inspections');
    expect(url.searchParams.get('state')).toBe('open');
    const row = wrapper.find('[data-test="inspection-row"]');
    expect(row.text()).toContain('纸箱（中号）');
    expect(row.text()).toContain('待检 100 个');
    expect(row.text()).toContain('采购入库 RC-20261207-0003');
    wrapper.unmount();

    expect(workbenchEntries(() => false).some((e) => e.key === 'quality-inspections')).toBe(false);
    expect(workbenchEntries((p) => p === 'qualityInspection:read').some((e) => e.key === 'quality-inspections')).toBe(true);
    expect(SIDE_ENTRIES.find((e) => e.key === 'quality-inspections')).toMatchObject({ text: '质检任务', to: '/quality-inspections' });
    loginAs({ ...demoUser, permissions: [] });
    stubFetch(() => jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 3 })); // the workbench's own reads: nothing pending
    const home = mount(HomePage, { global: (await createTestApp('/')).global });
    await flushPromises();
    expect(home.find('[data-entry="quality-inspections"]').exists()).toBe(false);
  });

  it('record: more than waits is stopped before sending; 90 合格 + 10 不合格 are sent with the version and the reply shown', async () => {
    const done = inspection({
      state: 'done', stateLabel: '已检验', inspectedQuantity: '100.0000', pendingQuantity: '0.0000', passedQuantity: '90.0000', failedQuantity: '10.0000', version: 2,
      inspectedBy: { id: 'u-1', name: '周质检' }, inspectedAt: '2026-12-07T10:00:00.000+08:00',
      events: [{ at: '2026-12-07T10:00:00.000+08:00', action: 'record', user: '周质检', detail: { passedQuantity: '90.0000', failedQuantity: '10.0000', concessionQuantity: '0.0000' } }],
    });
    const fetchMock = stubFetch((url, init) => jsonResponse(200, init.method === 'POST' ? done : inspection()));
    const wrapper = await mountDetail();
    expect(wrapper.find('[data-test="inspection-pending"]').text()).toBe('100 个');

    await wrapper.find('[data-test="passed-input"] input').setValue('95');
    await wrapper.find('[data-test="failed-input"] input').setValue('10');
    expect(wrapper.find('[data-test="inspection-sum"]').text()).toBe('合计不能超过待检数量 100 个');
    expect(wrapper.find('[data-test="record-submit"]').attributes('disabled')).toBeDefined();
    // 不合格 > 0: the reject warehouse, the company's by default
    expect((wrapper.find('[data-test="reject-warehouse"] input').element as HTMLInputElement).value).toBe('公司设置的不良品仓');

    await wrapper.find('[data-test="passed-input"] input').setValue('90');
    expect(wrapper.find('[data-test="inspection-sum"]').text()).toBe('本次合计 100 个，待检 100 个');
    await wrapper.find('[data-test="record-submit"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([{
      path: '/api/v1/quality-inspections/qc-1/results',
      body: { passedQuantity: '90', failedQuantity: '10', concessionQuantity: '0', rejectWarehouseId: null, remark: null, version: 1 },
    }]);
    expect(wrapper.find('[data-test="inspection-state"]').text()).toBe('已检验');
    expect(wrapper.find('[data-test="inspection-form"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="inspection-events"]').text()).toContain('合格 90 个，不合格 10 个');
  });

  it('全部合格 fills what waits; a field the server refuses is named under its input', async () => {
    stubFetch((_url, init) =>
      init.method === 'POST'
        ? jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '合格数量：合计 100个 超过待检数量 60个', details: [{ field: 'body.passedQuantity', label: '合格数量', message: '合计 100个 超过待检数量 60个' }] } })
        : jsonResponse(200, inspection()),
    );
    const wrapper = await mountDetail();
    await wrapper.find('[data-test="all-passed"]').trigger('click');
    expect((wrapper.find('[data-test="passed-input"] input').element as HTMLInputElement).value).toBe('100');
    await wrapper.find('[data-test="record-submit"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="passed-input"]').text()).toContain('合计 100个 超过待检数量 60个');
  });

  it('不合格 into another warehouse: picked from the active warehouses and sent as rejectWarehouseId', async () => {
    const fetchMock = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/warehouses') {
        return jsonResponse(200, { items: [{ id: 'wh9', code: 'WH09', name: '退货待处理仓', address: null, manager: null, active: true, version: 1 }], total: 1, page: 1, pageSize: 200 });
      }
      return jsonResponse(200, init.method === 'POST' ? inspection({ state: 'done', stateLabel: '已检验' }) : inspection());
    });
    const wrapper = await mountDetail();
    await wrapper.find('[data-test="failed-input"] input').setValue('100');
    await wrapper.find('[data-test="reject-warehouse"] input').trigger('click');
    await flushPromises();
    expect(callUrl(fetchMock, 1).searchParams.get('active')).toBe('true');
    await [...document.querySelectorAll<HTMLElement>('.van-action-sheet__item')].find((b) => b.textContent?.includes('退货待处理仓'))!.click();
    await flushPromises();
    await wrapper.find('[data-test="record-submit"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)[0]!.body).toMatchObject({ failedQuantity: '100', passedQuantity: '0', rejectWarehouseId: 'wh9' });
  });

  it('without qualityInspection:record: the record, no form, no button', async () => {
    loginAs(reader);
    stubFetch(() => jsonResponse(200, inspection()));
    const wrapper = await mountDetail();
    expect(wrapper.find('[data-test="inspection-state"]').text()).toBe('待检验');
    expect(wrapper.find('[data-test="inspection-form"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="record-submit"]').exists()).toBe(false);
  });
});
