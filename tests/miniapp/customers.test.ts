// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import CustomerDetailPage from '../../miniapp/src/pages/CustomerDetailPage.vue';
import CustomerListPage from '../../miniapp/src/pages/CustomerListPage.vue';
import type { Customer } from '../../shared/schemas/crm';
import { callHeaders, callUrl, createTestApp, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

// Fixed nav bars measure themselves for 300 ms after mounting (Vant): let that end before happy-dom goes.
afterAll(vantTimersDone);

/** a list row: the fields the list shows (the API sends whole customers) */
type CustomerRow = Pick<Customer, 'id' | 'code' | 'name'> & Partial<Customer>;

function summary(i: number, extra: Partial<CustomerRow> = {}): CustomerRow {
  const n = String(i).padStart(4, '0');
  return { id: `c-${n}`, code: `C${n}`, name: `客户${n}`, level: 'B', city: '杭州市', owner: { id: 'u-1', name: '李晓霜' }, ...extra };
}

describe('miniapp 客户列表', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('renders the rows of the API reply with the bearer token', async () => {
    const fetchMock = stubFetch(() =>
      jsonResponse(200, {
        items: [
          summary(1, { name: '杭州西湖精密机械有限公司', level: 'A' }),
          summary(2, { name: '苏州工业园区电子', level: 'D', city: '苏州市', owner: null }),
        ],
        total: 2,
        page: 1,
        pageSize: 20,
      }),
    );
    const app = await createTestApp('/customers');
    const wrapper = mount(CustomerListPage, { global: app.global });
    await flushPromises();

    const url = callUrl(fetchMock);
    expect(url.pathname).toBe('/api/v1/customers');
    expect(Object.fromEntries(url.searchParams)).toEqual({ page: '1', pageSize: '20', sort: 'code' });
    expect(callHeaders(fetchMock).Authorization).toBe('Bearer test-token');

    const rows = wrapper.findAll('.customer-item');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('杭州西湖精密机械有限公司');
    expect(rows[0]!.text()).toContain('C0001');
    expect(rows[0]!.text()).toContain('杭州市');
    expect(rows[0]!.text()).toContain('李晓霜');
    expect(rows[0]!.find('.van-tag').text()).toBe('A');
    expect(rows[1]!.text()).toContain('苏州市');
    expect(rows[1]!.find('.customer-item__owner').text()).toBe('—');
    expect(wrapper.text()).toContain('共 2 位客户');
    expect(wrapper.text()).not.toContain('暂无客户');

    await rows[0]!.trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/customers/c-0001'));
  });

  it('loads the next page on van-list load and stops at total', async () => {
    const fetchMock = stubFetch((url) => {
      const page = Number(url.searchParams.get('page'));
      const items = page === 1 ? Array.from({ length: 20 }, (_, i) => summary(i + 1)) : [summary(21)];
      return jsonResponse(200, { items, total: 21, page, pageSize: 20 });
    });
    const app = await createTestApp('/customers');
    const wrapper = mount(CustomerListPage, { global: app.global });
    await flushPromises();
    // van-list asks for more itself when the rows don't fill the screen; otherwise scroll = emit load.
    if (wrapper.findAll('.customer-item').length === 20) {
      wrapper.findComponent({ name: 'van-list' }).vm.$emit('load');
      await flushPromises();
    }
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(callUrl(fetchMock, 1).searchParams.get('page')).toBe('2');
    expect(wrapper.findAll('.customer-item')).toHaveLength(21);
    expect(wrapper.text()).toContain('没有更多了');
  });

  it('searches with q and shows 暂无客户 when nothing matches', async () => {
    const fetchMock = stubFetch((url) =>
      url.searchParams.get('q')
        ? jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 20 })
        : jsonResponse(200, { items: [summary(1)], total: 1, page: 1, pageSize: 20 }),
    );
    const app = await createTestApp('/customers');
    const wrapper = mount(CustomerListPage, { global: app.global });
    await flushPromises();
    expect(wrapper.findAll('.customer-item')).toHaveLength(1);

    const input = wrapper.find('.van-search input');
    await input.setValue(' 不存在 ');
    await input.trigger('keypress', { key: 'Enter', keyCode: 13 });
    await flushPromises();

    expect(callUrl(fetchMock, 1).searchParams.get('q')).toBe('不存在');
    expect(callUrl(fetchMock, 1).searchParams.get('page')).toBe('1');
    expect(wrapper.findAll('.customer-item')).toHaveLength(0);
    expect(wrapper.text()).toContain('暂无客户');
  });
});

describe('miniapp 客户详情', () => {
  beforeEach(() => {
    localStorage.clear();
    loginAs();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  const customer: Customer = {
    id: 'c-0001',
    code: 'C0001',
    name: '杭州西湖精密机械有限公司',
    taxNo: '91330106MA2XXXXXX1',
    industry: '机械制造',
    level: 'A',
    creditLimit: '1500000.00',
    paymentTermDays: 60,
    currencyCode: 'CNY',
    owner: { id: 'u-1', name: '李晓霜' },
    phone: '0571-88888888',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    address: '文三路 100 号',
    latitude: '30.276543',
    longitude: '120.123456',
    remark: null,
    active: true,
    nextContactOn: null,
    createdAt: '2026-11-20T09:00:00.000+08:00',
    updatedAt: '2026-11-23T09:00:00.000+08:00',
    contacts: [
      { id: 'k2', name: '王采购', title: '采购专员', mobile: null, email: 'wang@example.com', isPrimary: false },
      { id: 'k1', name: '陈经理', title: '采购经理', mobile: '13800138000', email: null, isPrimary: true },
    ],
    version: 3,
  };

  it('shows 基本信息 / 联系人 / 地址 with tel: links', async () => {
    const c360 = { customer, contacts: customer.contacts, followUps: [], opportunities: [], orders: [], receivables: { asOf: '2026-12-08', open: '0.00', overdue: '0.00', unsettledCredits: '0.00', invoices: [] }, approvals: [], visits: [] };
    const fetchMock = stubFetch((url) => jsonResponse(200, url.pathname.endsWith('/360') ? c360 : customer));
    const app = await createTestApp('/customers/c-0001');
    const wrapper = mount(CustomerDetailPage, { props: { id: 'c-0001' }, global: app.global });
    await flushPromises();

    expect(callUrl(fetchMock).pathname).toBe('/api/v1/customers/c-0001');
    const text = wrapper.text();
    for (const s of ['基本信息', '联系人（2）', '地址', '91330106MA2XXXXXX1', '¥1,500,000.00', '60 天', '李晓霜', '浙江省 杭州市 西湖区', '文三路 100 号', '30.276543, 120.123456']) {
      expect(text).toContain(s);
    }
    const contacts = wrapper.findAll('.contact');
    expect(contacts[0]!.text()).toContain('陈经理'); // primary first
    expect(contacts[0]!.text()).toContain('主联系人');
    expect(contacts[0]!.find('a').attributes('href')).toBe('tel:13800138000');
    expect(contacts[1]!.find('a').exists()).toBe(false);
    expect(wrapper.find('a[href="tel:0571-88888888"]').exists()).toBe(false); // dashes stripped
    expect(wrapper.find('a[href="tel:057188888888"]').exists()).toBe(true);
  });

  it('on 401 with a token logs out', async () => {
    stubFetch(() => jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: '令牌已过期', details: null } }));
    const app = await createTestApp('/customers/c-0001');
    const wrapper = mount(CustomerDetailPage, { props: { id: 'c-0001' }, global: app.global });
    await flushPromises();
    expect(localStorage.getItem('yunqiao.m.token')).toBeNull();
    expect(wrapper.text()).toContain('加载失败');
  });
});
