// @vitest-environment happy-dom
// @vitest-environment-options {"happyDOM":{"width":1280,"height":800}}
// A list on a wide screen (the IM desktop client's window): a table; a column the API sorts asks the
// server again, one it cannot sort is sorted on the loaded rows without a request.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Customer } from '../../shared/schemas/crm';
import CustomerListPage from '../../miniapp/src/pages/CustomerListPage.vue';
import { callUrl, createTestApp, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

type Row = Pick<Customer, 'id' | 'code' | 'name' | 'city' | 'creditLimit' | 'currencyCode' | 'owner' | 'level'>;
const row = (n: number, city: string | null, owner: string): Row => ({
  id: `c-${n}`, code: `C000${n}`, name: `客户${n}`, city, creditLimit: `${n}00000.00`, currencyCode: 'CNY', owner: { id: `u-${n}`, name: owner }, level: 'B',
});
const rows = [row(1, '杭州市', '王五'), row(2, null, '张三'), row(3, '宁波市', '李四')];

describe('miniapp 列表（宽屏）', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('renders a table; 编码 sorts through the API, 负责人 and 城市 on the loaded rows', async () => {
    const fetchMock = stubFetch((url) => {
      const items = url.searchParams.get('sort') === '-code' ? [...rows].reverse() : rows;
      return jsonResponse(200, { items, total: 3, page: 1, pageSize: 20 });
    });
    const app = await createTestApp('/customers');
    const wrapper = mount(CustomerListPage, { global: app.global });
    await flushPromises();

    const codes = () => wrapper.findAll('tbody td[data-column="code"]').map((td) => td.text());
    expect(wrapper.findAll('.customer-item')).toHaveLength(0);
    expect(wrapper.findAll('thead th').map((th) => th.text().replace(/[↑↓↕]/g, ''))).toEqual(['编码', '客户名称', '等级', '城市', '负责人', '下次联系', '信用额度']);
    expect(codes()).toEqual(['C0001', 'C0002', 'C0003']);
    expect(wrapper.find('th[data-column="code"]').attributes('aria-sort')).toBe('ascending');
    expect(wrapper.find('tbody td[data-column="creditLimit"]').text()).toBe('¥100,000.00');

    await wrapper.find('th[data-column="code"] button').trigger('click');
    await flushPromises();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(callUrl(fetchMock, 1).searchParams.get('sort')).toBe('-code');
    expect(codes()).toEqual(['C0003', 'C0002', 'C0001']);
    expect(wrapper.find('th[data-column="code"]').attributes('aria-sort')).toBe('descending');

    await wrapper.find('th[data-column="owner"] button').trigger('click'); // 李四 < 王五 < 张三 (pinyin)
    expect(codes()).toEqual(['C0003', 'C0001', 'C0002']);
    await wrapper.find('th[data-column="city"] button').trigger('click'); // 杭州 < 宁波, no city last
    expect(codes()).toEqual(['C0001', 'C0003', 'C0002']);
    expect(wrapper.find('th[data-column="city"]').attributes('aria-sort')).toBe('ascending');
    expect(wrapper.find('th[data-column="code"]').attributes('aria-sort')).toBe('none');
    expect(fetchMock).toHaveBeenCalledTimes(2);

    await wrapper.find('tbody tr').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/customers/c-1'));
  });
});
