// @vitest-environment happy-dom
// The mini-app as the salesperson's office: the 工作台 by role (the seed's real role grants), the
// phone's new sales order (customer and item search, unit change, discounts → the POST body, and
// 待审批 shown after 提交; the 约定收款日期 picked in Chinese → agreedPaymentDate, shown on the order, and
// set on a draft order's page), and 新建客户 with the API's validation message under its field.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { closeToast } from 'vant';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../miniapp/src/App.vue';
import CustomerFormPage from '../../miniapp/src/pages/CustomerFormPage.vue';
import CustomerListPage from '../../miniapp/src/pages/CustomerListPage.vue';
import HomePage from '../../miniapp/src/pages/HomePage.vue';
import { WORKBENCH_ENTRIES } from '../../miniapp/src/utils/menu';
import { combinedRate, lineEstimate, percentError, salesLinesInput, unitOptions, type SalesLineDraft } from '../../miniapp/src/utils/sales';
import { roles } from '../../prisma/seed-data/org';
import type { CurrentUser } from '../../shared/schemas/auth';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone, type FetchMock } from './helpers';

afterAll(vantTimersDone);

/** A signed-in user holding exactly the seed role's grants. */
function userWithRole(code: string, name: string): CurrentUser {
  const role = roles.find((r) => r.code === code)!;
  return { ...demoUser, id: `u-${code}`, name, roles: [role.name], permissions: role.permissions === '*' ? ['*'] : [...role.permissions] };
}

function posts(fetchMock: FetchMock) {
  return fetchMock.mock.calls
    .filter((c) => c[1]?.method === 'POST' || c[1]?.method === 'PATCH')
    .map((c) => ({ path: new URL(String(c[0]), 'http://x').pathname, body: JSON.parse(String(c[1]?.body)) as unknown }));
}

const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

const pendingApproval = {
  id: 'ap-1', businessType: 'salesDiscount', businessTypeLabel: '销售折扣', documentType: 'salesOrder', documentId: 'so-9', documentNumber: 'SO-2026-0009',
  documentVersion: 1, documentRoute: '/sales-orders/so-9', title: '销售折扣审批 · SO-2026-0009', state: 'pending', stateLabel: '审批中',
  applicant: { id: 'u-2', name: '吴销售' }, currentStep: { index: 0, name: '销售经理', mode: 'anyOf' }, summary: {}, decidedBy: null, decidedAt: null,
  rejectReason: null, myTaskId: 't-1', createdAt: '2026-12-07T09:00:00.000+08:00', updatedAt: '2026-12-07T09:00:00.000+08:00', version: 1,
};

const todayVisits = [1, 2, 3, 4].map((n) => ({
  id: `v-${n}`, state: 'planned', stateLabel: '待拜访', plannedAt: `2026-12-07T1${n + 3}:30:00.000+08:00`, purpose: n === 1 ? '送样品' : null,
  customer: { id: `c-${n}`, code: `C000${n}`, name: `客户${n}`, address: null, latitude: null, longitude: null },
}));

describe('miniapp 工作台 by role', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  const tilesOf = (w: VueWrapper) => w.findAll('[data-entry]').map((e) => e.attributes('data-entry'));
  const actionsOf = (w: VueWrapper) => w.findAll('[data-action]').map((e) => e.attributes('data-action'));

  async function home(code: string, name: string) {
    loginAs(userWithRole(code, name));
    const fetchMock = stubFetch((url) => {
      if (url.pathname === '/api/v1/approvals/pending') return jsonResponse(200, { ...page([pendingApproval]), total: 4 });
      if (url.pathname === '/api/v1/receivables/aging') {
        const b = { notDue: '0', d1to30: '0', d31to60: '0', d61to90: '0', over90: '0', total: '0', unmatchedReceipts: '0' };
        return jsonResponse(200, {
          asOf: '2026-12-07',
          customers: [
            { customer: { id: 'c-1', code: 'C0002', name: '甲' }, ...b, overdue: '12000.50' },
            { customer: { id: 'c-2', code: 'C0003', name: '乙' }, ...b, overdue: '0.00' },
          ],
          totals: { ...b, overdue: '12000.50' },
        });
      }
      if (url.pathname === '/api/v1/visits/today') return jsonResponse(200, todayVisits);
      if (url.pathname === '/api/v1/stock/levels') return jsonResponse(200, { items: [], total: 7, page: 1, pageSize: 1 });
      if (url.pathname === '/api/v1/production-tasks/shortage-analysis') return jsonResponse(200, { items: [], total: 2, page: 1, pageSize: 1 });
      return jsonResponse(404, {});
    });
    const app = await createTestApp('/');
    const wrapper = mount(HomePage, { global: app.global });
    await flushPromises();
    const asked = fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x').pathname).sort();
    return { wrapper, asked, app };
  }

  it('销售 李销售: his tiles and 快捷操作 (新建订单/报价/客户), pending approvals and his overdue customers; no stock alert', async () => {
    const { wrapper, asked } = await home('sales', '李销售');
    expect(tilesOf(wrapper)).toEqual(['approvals', 'customers', 'leads', 'opportunities', 'pipeline', 'sales-orders', 'quotations', 'stock', 'low-stock', 'receivables', 'expense-claims', 'leave-requests', 'visits']);
    expect(actionsOf(wrapper)).toEqual(['new-sales-order', 'new-quotation', 'new-customer', 'new-expense-claim', 'new-leave-request']);
    expect(asked).toEqual(['/api/v1/approvals/pending', '/api/v1/receivables/aging', '/api/v1/visits/today']);
    // 今日计划: 4 planned today, the first 3 shown and 查看全部
    const plan = wrapper.find('[data-test="today-plan"]');
    expect(plan.findAll('[data-visit]').map((c) => c.text())).toEqual([
      expect.stringContaining('14:30 客户1'), expect.stringContaining('15:30 客户2'), expect.stringContaining('16:30 客户3'),
    ]);
    expect(plan.text()).toContain('送样品');
    expect(plan.text()).toContain('查看全部');
    const pending = wrapper.find('[data-test="pending-approvals"]');
    expect(pending.text()).toContain('销售折扣审批 · SO-2026-0009');
    expect(pending.text()).toContain('查看全部'); // 4 pending, 1 shown
    expect(wrapper.find('[data-alert="overdueReceivables"]').text()).toBe('1 位客户有逾期应收，合计 ¥12,000.50');
    expect(wrapper.text()).not.toContain('暂无权限');
  });

  it('会计 钱会计: the finance tiles, no 新建订单/客户; overdue receivables alert', async () => {
    const { wrapper, asked } = await home('accountant', '钱会计');
    expect(tilesOf(wrapper)).toEqual([
      'approvals', 'customers', 'sales-orders', 'stock', 'low-stock', 'boms', 'vouchers', 'trial-balance', 'opening-balances', 'receivables', 'payables',
      'balance-sheet', 'profit-statement', 'ledger', 'projects', 'month-end', 'expense-claims', 'leave-requests', 'cost-closes',
    ]);
    expect(actionsOf(wrapper)).toEqual(['new-expense-claim', 'new-leave-request']);
    expect(asked).toEqual(['/api/v1/approvals/pending', '/api/v1/receivables/aging']);
  });

  it('仓管 赵仓管: no customers; stock, production and quality tiles; low-stock and shortage alerts', async () => {
    const { wrapper, asked } = await home('warehouse', '赵仓管');
    expect(tilesOf(wrapper)).toEqual([
      'approvals', 'sales-orders', 'stock', 'low-stock', 'boms', 'production-shortage', 'expense-claims', 'leave-requests', 'production-tasks', 'quality-inspections',
    ].sort((a, b) => WORKBENCH_ENTRIES.findIndex((e) => e.key === a) - WORKBENCH_ENTRIES.findIndex((e) => e.key === b)));
    expect(actionsOf(wrapper)).toEqual(['new-expense-claim', 'new-leave-request']);
    expect(asked).toEqual(['/api/v1/approvals/pending', '/api/v1/production-tasks/shortage-analysis', '/api/v1/stock/levels']);
    expect(wrapper.find('[data-alert="lowStock"]').text()).toBe('7 个物料低于安全库存');
    expect(wrapper.find('[data-alert="productionShortage"]').text()).toBe('2 张生产任务单缺料');
  });

  it('采购 王采购: stock, BOM, MRP and payables; low-stock alert', async () => {
    const { wrapper, asked } = await home('purchaser', '王采购');
    expect(tilesOf(wrapper)).toEqual(['approvals', 'stock', 'low-stock', 'boms', 'mrp', 'payables', 'expense-claims', 'leave-requests']);
    expect(asked).toEqual(['/api/v1/approvals/pending', '/api/v1/stock/levels']);
  });

  it('老板: every tile and action, all three alerts; the tabbar 客户 follows customer:read', async () => {
    const { wrapper, asked } = await home('boss', '老板');
    expect(tilesOf(wrapper)).toEqual(WORKBENCH_ENTRIES.map((e) => e.key));
    expect(actionsOf(wrapper)).toHaveLength(5);
    expect(asked).toHaveLength(5);

    // 赵仓管 has no customer:read: no 客户 tab either
    loginAs(userWithRole('warehouse', '赵仓管'));
    stubFetch((url) => jsonResponse(200, url.pathname.includes('aging') ? {} : { items: [], total: 0, page: 1, pageSize: 3 }));
    const app = await createTestApp('/');
    const shell = mount(App, { global: app.global });
    await flushPromises();
    expect(shell.findAll('.van-tabbar-item').map((t) => t.text())).toEqual(['工作台', '我的']);
  });
});

describe('miniapp sales form rules', () => {
  const m8 = {
    id: 'i-m8', code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: 'M8×30', salePrice: '0.035000',
    baseUnit: { id: 'u-pcs', code: 'PCS', name: '个' }, salesUnit: { id: 'u-box', code: 'BOX', name: '箱' },
    conversions: [{ unit: { id: 'u-box', code: 'BOX', name: '箱' }, factor: '1000.000000' }],
  };

  it('units, combined discounts and the estimate, in decimals', () => {
    expect(unitOptions(m8).map((u) => [u.name, u.factor])).toEqual([['个', '1'], ['箱', '1000']]);
    expect(combinedRate('10', '5')).toBe('0.145'); // 1 − 0.9 × 0.95
    expect(combinedRate('', '15')).toBe('0.15');
    expect(combinedRate('12.5', '')).toBe('0.125');
    expect(percentError('100.5')).toBe('折扣不能超过 100%');
    expect(percentError('abc')).toBe('折扣请填写 0–100 的数字，最多 2 位小数');
    const line: SalesLineDraft = { item: m8, unitId: 'u-box', quantity: '3', discountPercent: '10' };
    // 3 箱 × 35.00 = 105.00, less 14.5 % → 89.775 → 89.78
    expect(lineEstimate(line, '5')).toBe('89.78');
    expect(salesLinesInput([line, { ...line, discountPercent: '' }], '')).toEqual([
      { itemId: 'i-m8', unitId: 'u-box', quantity: '3', discountRate: '0.1' },
      { itemId: 'i-m8', unitId: 'u-box', quantity: '3' },
    ]);
  });
});

describe('miniapp 新建销售订单 from the phone', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  const customer = { id: 'c-2', code: 'C0002', name: '宁波海曙精工机械有限公司', city: '宁波市', currencyCode: 'CNY' };
  const item = {
    id: 'i-m8', code: 'FG-BLT-M8X30', name: 'M8螺栓', spec: 'M8×30 外六角', salePrice: '0.035000', active: true,
    baseUnit: { id: 'u-pcs', code: 'PCS', name: '个' }, salesUnit: { id: 'u-box', code: 'BOX', name: '箱' },
    conversions: [{ unit: { id: 'u-box', code: 'BOX', name: '箱' }, factor: '1000.000000' }],
  };
  function order(state: string) {
    return {
      id: 'so-1', number: 'SO-2026-0101', customer: { id: 'c-2', code: 'C0002', name: customer.name }, owner: { id: 'u-sales', name: '李销售' },
      warehouse: { id: 'w-2', code: 'WH02', name: '成品仓' }, quotation: null, currencyCode: 'CNY', exchangeRate: '1.000000', orderDate: '2026-12-07',
      requestedDate: null, paymentTermDays: 30, prepaymentRequired: false, state, stateLabel: state === 'draft' ? '草稿' : '待审批',
      shipmentProgress: 'none', invoiceProgress: 'none', paymentProgress: 'none', listTotal: '175.00', totalAmount: '131.64', totalTax: '17.11',
      totalWithTax: '148.75', advanceReceived: '0.00', creditOverride: false, remark: null, confirmedAt: null,
      createdAt: '2026-12-07T10:00:00.000+08:00', updatedAt: '2026-12-07T10:00:00.000+08:00', version: 1, lines: [], timeline: [],
    };
  }

  /**
   * The API as the form meets it: customers, items, an order that 提交 turns 待审批; `own` answers
   * first (a quotation, a refusal).
   */
  function fakeApi(own: (path: string, init: RequestInit) => Response | undefined = () => undefined): FetchMock {
    let state = 'draft';
    return stubFetch((url, init) => {
      const p = url.pathname;
      const answer = own(p, init);
      if (answer) return answer;
      if (p === '/api/v1/customers') return jsonResponse(200, page(url.searchParams.get('q') ? [customer] : []));
      if (p === '/api/v1/items') return jsonResponse(200, page([item]));
      if (p === '/api/v1/sales-orders' && init.method === 'POST') return jsonResponse(201, order('draft'));
      if (p === '/api/v1/sales-orders/so-1/submit') {
        state = 'pendingApproval';
        return jsonResponse(200, order(state));
      }
      if (p === '/api/v1/sales-orders/so-1') return jsonResponse(200, order(state));
      if (p.startsWith('/api/v1/approvals')) return jsonResponse(200, page([]));
      return jsonResponse(404, {});
    });
  }

  async function openForm(path: string) {
    loginAs(userWithRole('sales', '李销售'));
    const app = await createTestApp(path);
    const wrapper = mount(App, { global: app.global, attachTo: document.body });
    await flushPromises();
    return { app, wrapper };
  }

  /** 海曙 searched and its customer picked, then M8 picked for the first line (in its sales unit, 箱) */
  async function pickCustomerAndItem(wrapper: VueWrapper): Promise<void> {
    await wrapper.find('input[name="customerId"]').trigger('click');
    await flushPromises();
    await wrapper.find('.van-search input').setValue('海曙');
    await flushPromises();
    await wrapper.find('[data-customer="C0002"]').trigger('click');
    await flushPromises();
    expect((wrapper.find('input[name="customerId"]').element as HTMLInputElement).value).toBe('宁波海曙精工机械有限公司（C0002）');
    await wrapper.find('[data-line="0"] input[name="itemId"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-item="FG-BLT-M8X30"]').trigger('click');
    await flushPromises();
    expect((wrapper.find('[data-line="0"] input[name="unitId"]').element as HTMLInputElement).value).toBe('箱');
  }

  it('customer and item searched, unit changed, 15 % off: the POST body, then 提交 → the order page shows 待审批', async () => {
    const fetchMock = fakeApi();
    const { app, wrapper } = await openForm('/sales-orders/new');
    await pickCustomerAndItem(wrapper);
    await wrapper.find('[data-line="0"] input[name="unitId"]').trigger('click');
    await flushPromises();
    await wrapper.findAll('.van-action-sheet__item').find((b) => b.text() === '个')!.trigger('click');
    await flushPromises();
    await wrapper.find('[data-line="0"] input[name="quantity"]').setValue('5000');
    await wrapper.find('input[name="orderDiscount"]').setValue('15');
    await flushPromises();
    // 5000 个 × ¥0.035 = ¥175.00, 15 % off → ¥148.75
    expect(wrapper.find('[data-test="estimate"]').text()).toBe('合计（估）¥148.75');
    const customerSearches = fetchMock.mock.calls.map((c) => new URL(String(c[0]), 'http://x')).filter((u) => u.pathname === '/api/v1/customers');
    expect(customerSearches.map((u) => u.searchParams.get('q'))).toEqual([null, '海曙']);

    await wrapper.find('[data-test="submit"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([
      { path: '/api/v1/sales-orders', body: { customerId: 'c-2', lines: [{ itemId: 'i-m8', unitId: 'u-pcs', quantity: '5000', discountRate: '0.15' }] } },
      { path: '/api/v1/sales-orders/so-1/submit', body: {} },
    ]);
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/sales-orders/so-1'));
    await vi.waitFor(() => expect(wrapper.find('.doc__state').text()).toBe('待审批'));
    wrapper.unmount();
  });

  /** picks a date in the DateField popup titled `title` (teleported to the body): year, month, day texts, then 确认 */
  async function pickDate(title: string, texts: [string, string, string]): Promise<void> {
    const popup = [...document.querySelectorAll<HTMLElement>('.van-popup')].find((el) => el.querySelector('.van-picker__title')?.textContent === title)!;
    for (const [column, text] of texts.entries()) {
      const option = [...popup.querySelectorAll('.van-picker-column')[column]!.querySelectorAll<HTMLElement>('.van-picker-column__item')].find((o) => o.textContent === text);
      if (!option) throw new Error(`no option ${text}`);
      option.click();
      await flushPromises();
    }
    popup.querySelector<HTMLElement>('.van-picker__confirm')!.click();
    await flushPromises();
  }

  it('约定收款日期: picked with the date picker, sent as agreedPaymentDate, shown on the submitted order', async () => {
    const submitted = { ...order('pendingApproval'), agreedPaymentDate: '2027-01-31' };
    const fetchMock = fakeApi((p, init) => {
      if (p === '/api/v1/sales-orders' && init.method === 'POST') return jsonResponse(201, { ...order('draft'), agreedPaymentDate: '2027-01-31' });
      if (p === '/api/v1/sales-orders/so-1/submit' || p === '/api/v1/sales-orders/so-1') return jsonResponse(200, submitted);
      return undefined;
    });
    const { app, wrapper } = await openForm('/sales-orders/new');
    await pickCustomerAndItem(wrapper);
    await wrapper.find('[data-line="0"] input[name="quantity"]').setValue('2');
    await wrapper.find('input[name="agreedPaymentDate"]').trigger('click');
    await flushPromises();
    await pickDate('约定收款日期', ['2027年', '01月', '31日']);
    expect((wrapper.find('input[name="agreedPaymentDate"]').element as HTMLInputElement).value).toBe('2027-01-31');
    await wrapper.find('[data-test="submit"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([
      { path: '/api/v1/sales-orders', body: { customerId: 'c-2', lines: [{ itemId: 'i-m8', unitId: 'u-box', quantity: '2' }], agreedPaymentDate: '2027-01-31' } },
      { path: '/api/v1/sales-orders/so-1/submit', body: {} },
    ]);
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/sales-orders/so-1'));
    await vi.waitFor(() => expect(wrapper.text()).toContain('约定收款日期2027-01-31'));
    wrapper.unmount();
  });

  it('a draft order (e.g. converted from a quotation) gets its 约定收款日期 on its page: PATCH with the version', async () => {
    const fetchMock = fakeApi((p, init) =>
      p === '/api/v1/sales-orders/so-1' && init.method === 'PATCH' ? jsonResponse(200, { ...order('draft'), agreedPaymentDate: '2027-02-28', version: 2 }) : undefined,
    );
    const { wrapper } = await openForm('/sales-orders/so-1');
    await vi.waitFor(() => expect(wrapper.find('input[name="agreedPaymentDate"]').exists()).toBe(true));
    await wrapper.find('input[name="agreedPaymentDate"]').trigger('click');
    await flushPromises();
    await pickDate('约定收款日期', ['2027年', '02月', '28日']);
    expect(posts(fetchMock)).toEqual([{ path: '/api/v1/sales-orders/so-1', body: { agreedPaymentDate: '2027-02-28', version: 1 } }]);
    await vi.waitFor(() => expect((wrapper.find('input[name="agreedPaymentDate"]').element as HTMLInputElement).value).toBe('2027-02-28'));
    wrapper.unmount();
  });

  it('报价单: saved with the line discount, then 转为订单 → a draft order whose page offers 提交订单', async () => {
    const quotation = {
      id: 'q-1', number: 'QT-2026-0007', customer: { id: 'c-2', code: 'C0002', name: customer.name }, owner: { id: 'u-sales', name: '李销售' },
      currencyCode: 'CNY', exchangeRate: '1.000000', validUntil: null, state: 'draft', stateLabel: '草稿', totalAmount: '139.38', totalTax: '18.12',
      totalWithTax: '157.50', remark: null, lines: [], orders: [], createdAt: '2026-12-07T10:00:00.000+08:00', updatedAt: '2026-12-07T10:00:00.000+08:00', version: 1,
    };
    const fetchMock = fakeApi((p, init) => {
      if (p === '/api/v1/quotations' && init.method === 'POST') return jsonResponse(201, quotation);
      if (p === '/api/v1/quotations/q-1') return jsonResponse(200, quotation);
      if (p === '/api/v1/quotations/q-1/convert') return jsonResponse(201, order('draft'));
      return undefined;
    });
    const { app, wrapper } = await openForm('/quotations/new');
    expect(wrapper.find('[data-test="submit"]').exists()).toBe(false); // a quotation is only saved
    await pickCustomerAndItem(wrapper);
    await wrapper.find('[data-line="0"] input[name="quantity"]').setValue('5');
    await wrapper.find('[data-line="0"] input[name="discountRate"]').setValue('10');
    await wrapper.find('[data-test="save-draft"]').trigger('click');
    await flushPromises();
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/quotations/q-1'));
    await vi.waitFor(() => expect(wrapper.find('[data-test="convert-quotation"]').exists()).toBe(true));
    await wrapper.find('[data-test="convert-quotation"]').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/sales-orders/so-1'));
    await vi.waitFor(() => expect(wrapper.find('[data-test="submit-order"]').exists()).toBe(true));
    await wrapper.find('[data-test="submit-order"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('.doc__state').text()).toBe('待审批'));
    expect(posts(fetchMock)).toEqual([
      { path: '/api/v1/quotations', body: { customerId: 'c-2', lines: [{ itemId: 'i-m8', unitId: 'u-box', quantity: '5', discountRate: '0.1' }] } },
      { path: '/api/v1/quotations/q-1/convert', body: {} },
      { path: '/api/v1/sales-orders/so-1/submit', body: {} },
    ]);
    expect(wrapper.find('[data-test="submit-order"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("the API's message goes under the line's field; nothing opens", async () => {
    const fetchMock = fakeApi((p, init) =>
      p === '/api/v1/sales-orders' && init.method === 'POST'
        ? jsonResponse(400, {
          error: { code: 'VALIDATION_FAILED', message: '明细第 1 行数量：计量单位「箱」的数量必须是整数', details: [{ field: 'body.lines.0.quantity', message: '计量单位「箱」的数量必须是整数' }] },
        })
        : undefined,
    );
    const { app, wrapper } = await openForm('/sales-orders/new');
    await pickCustomerAndItem(wrapper);
    await wrapper.find('[data-line="0"] input[name="quantity"]').setValue('2.5');
    await wrapper.find('[data-test="save-draft"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toHaveLength(1);
    expect(wrapper.find('[data-line="0"]').text()).toContain('计量单位「箱」的数量必须是整数');
    expect(app.router.currentRoute.value.fullPath).toBe('/sales-orders/new');
    wrapper.unmount();
  });
});

describe('miniapp 新建客户', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('the 税号 the API refuses is marked on its field; nothing else opens', async () => {
    loginAs(userWithRole('sales', '李销售'));
    const fetchMock = stubFetch(() =>
      jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: '税号：税号应为 18 位统一社会信用代码', details: [{ field: 'body.taxNo', message: '税号应为 18 位统一社会信用代码' }] } }),
    );
    const app = await createTestApp('/customers/new');
    const wrapper = mount(CustomerFormPage, { global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="save-customer"]').trigger('click');
    await flushPromises();
    expect(fetchMock).not.toHaveBeenCalled(); // 编码 and 名称 first
    expect(wrapper.text()).toContain('请填写客户编码');

    await wrapper.find('input[name="code"]').setValue('C0901');
    await wrapper.find('input[name="name"]').setValue('宁波北仑港机配件厂');
    await wrapper.find('input[name="taxNo"]').setValue('91330206MA2');
    await wrapper.find('input[name="contactName"]').setValue('周经理');
    await wrapper.find('input[name="contactMobile"]').setValue('13900000001');
    await wrapper.find('[data-test="save-customer"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([{
      path: '/api/v1/customers',
      body: {
        code: 'C0901', name: '宁波北仑港机配件厂', level: 'C', taxNo: '91330206MA2', industry: null, phone: null, province: null, city: null, district: null,
        address: null, paymentTermDays: 30, creditLimit: '0', remark: null, contacts: [{ name: '周经理', mobile: '13900000001', isPrimary: true }],
      },
    }]);
    const taxField = wrapper.findAll('.van-field').find((f) => f.find('input[name="taxNo"]').exists())!;
    expect(taxField.find('.van-field__error-message').text()).toBe('税号应为 18 位统一社会信用代码');
    expect(app.router.currentRoute.value.fullPath).toBe('/customers/new');
  });

  it('编辑客户 sends only what changed, with the version read; the contacts are left as they are', async () => {
    loginAs(userWithRole('sales', '李销售'));
    const before = {
      id: 'c-7', code: 'C0007', name: '宁波镇海液压件厂', taxNo: null, industry: '液压', level: 'B', creditLimit: '50000.00', paymentTermDays: 30,
      currencyCode: 'CNY', owner: { id: 'u-sales', name: '李销售' }, phone: null, province: '浙江省', city: '宁波市', district: null, address: null,
      latitude: null, longitude: null, remark: null, active: true, contacts: [{ id: 'ct-1', name: '王工', title: null, mobile: null, email: null, isPrimary: true }],
      createdAt: '2026-12-01T10:00:00.000+08:00', updatedAt: '2026-12-01T10:00:00.000+08:00', version: 3,
    };
    const fetchMock = stubFetch((url, init) => jsonResponse(200, init.method === 'PATCH' ? { ...before, version: 4 } : before));
    const app = await createTestApp('/customers/c-7/edit');
    const wrapper = mount(CustomerFormPage, { global: app.global, props: { id: 'c-7' } });
    await flushPromises();
    expect((wrapper.find('input[name="name"]').element as HTMLInputElement).value).toBe('宁波镇海液压件厂');
    expect(wrapper.find('input[name="contactName"]').exists()).toBe(false);
    await wrapper.find('input[name="district"]').setValue('镇海区');
    await wrapper.find('input[name="paymentTermDays"]').setValue('45');
    await wrapper.find('[data-test="save-customer"]').trigger('click');
    await flushPromises();
    expect(posts(fetchMock)).toEqual([{ path: '/api/v1/customers/c-7', body: { version: 3, district: '镇海区', paymentTermDays: 45 } }]);
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/customers/c-7'));
  });

  it('新建客户 from the kept-alive list: back on the list, it asks the API again (the new customer shows)', async () => {
    loginAs(userWithRole('sales', '李销售'));
    const created = { id: 'c-new', code: 'C0901', name: '宁波北仑港机配件厂', taxNo: null, industry: null, level: 'C', creditLimit: '0.00', paymentTermDays: 30,
      currencyCode: 'CNY', owner: { id: 'u-sales', name: '李销售' }, phone: null, province: null, city: null, district: null, address: null,
      latitude: null, longitude: null, remark: null, active: true, contacts: [], createdAt: '2026-12-07T10:00:00.000+08:00', updatedAt: '2026-12-07T10:00:00.000+08:00', version: 1 };
    let listed = 0;
    stubFetch((url, init) => {
      if (url.pathname === '/api/v1/customers' && init.method === 'POST') return jsonResponse(201, created);
      if (url.pathname === '/api/v1/customers') return jsonResponse(200, page(listed++ ? [created] : []));
      if (url.pathname.endsWith('/360')) return jsonResponse(404, { error: { code: 'NOT_FOUND', message: '客户不存在' } });
      return jsonResponse(200, created);
    });
    const app = await createTestApp('/customers');
    const wrapper = mount(App, { global: app.global, attachTo: document.body });
    await flushPromises();
    expect(listed).toBe(1);
    await wrapper.find('[data-test="new-customer"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('input[name="code"]').exists()).toBe(true));
    await wrapper.find('input[name="code"]').setValue('C0901');
    await wrapper.find('input[name="name"]').setValue('宁波北仑港机配件厂');
    await wrapper.find('[data-test="save-customer"]').trigger('click');
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/customers/c-new'));
    app.router.back();
    await vi.waitFor(() => expect(app.router.currentRoute.value.fullPath).toBe('/customers'));
    await vi.waitFor(() => expect(wrapper.find('.customer-item').exists()).toBe(true));
    expect(listed).toBe(2);
    wrapper.unmount();
  });

  it('the list offers 新建客户 only to who may create customers', async () => {
    for (const [code, shown] of [['sales', true], ['accountant', false]] as const) {
      localStorage.clear();
      loginAs(userWithRole(code, code));
      stubFetch(() => jsonResponse(200, page([])));
      const app = await createTestApp('/customers');
      const wrapper = mount(CustomerListPage, { global: app.global });
      await flushPromises();
      expect(wrapper.find('[data-test="new-customer"]').exists()).toBe(shown);
      wrapper.unmount();
    }
  });
});
