// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { closeToast } from 'vant';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../miniapp/src/App.vue';
import { TOKEN_KEY } from '../../miniapp/src/stores/auth';
import { dataScopeLabel, formatMoney, formatRegion, telHref } from '../../miniapp/src/utils/format';
import { createTestApp, loginAs, stubFetch } from './helpers';

describe('miniapp shell', () => {
  beforeEach(() => {
    localStorage.clear();
    stubFetch(() => {
      throw new Error('no API call expected');
    });
  });
  afterEach(() => {
    closeToast(true);
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('sends visitors without a token to /login', async () => {
    const app = await createTestApp('/me');
    expect(app.router.currentRoute.value.fullPath).toBe('/login?redirect=/me');
  });

  it('工作台 greets the user, has the tabbar, and shows only the entries the user may open', async () => {
    loginAs();
    const app = await createTestApp('/');
    const wrapper = mount(App, { global: app.global });
    await flushPromises();

    expect(wrapper.text()).toContain('李晓霜');
    expect(wrapper.text()).toContain('云桥示范科技有限公司');
    const tabs = wrapper.findAll('.van-tabbar-item').map((t) => t.text());
    expect(tabs).toEqual(['工作台', '客户', '我的']);
    // every entry is built now; 拜访计划 is hidden from a user without visit:read
    expect(wrapper.findAll('.is-disabled')).toHaveLength(0);
    expect(wrapper.find('[data-entry="visits"]').exists()).toBe(false);
    expect(wrapper.find('[data-entry="customers"]').text()).toContain('客户');
    // only customer:read: no tile that would answer 暂无权限
    expect(wrapper.find('[data-entry="stock"]').exists()).toBe(false);
    expect(wrapper.find('[data-entry="sales-orders"]').exists()).toBe(false);
  });

  it('我的 shows the profile and 退出登录 clears the session', async () => {
    loginAs();
    const app = await createTestApp('/me');
    const wrapper = mount(App, { global: app.global, attachTo: document.body });
    await flushPromises();

    expect(wrapper.text()).toContain('li.xs');
    expect(wrapper.text()).toContain('华东销售部');
    expect(wrapper.text()).toContain('销售');
    expect(wrapper.text()).toContain('仅本人');

    await wrapper.find('.me__logout').trigger('click');
    await flushPromises();
    const confirm = document.querySelector<HTMLButtonElement>('.van-dialog__confirm');
    expect(confirm).not.toBeNull();
    confirm!.click();
    await vi.waitFor(() => expect(app.router.currentRoute.value.name).toBe('login'));
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    wrapper.unmount();
  });
});

describe('miniapp format helpers', () => {
  it('formats money from decimal strings without floats', () => {
    expect(formatMoney('1234567.5', 'CNY')).toBe('¥1,234,567.50');
    expect(formatMoney('0', 'USD')).toBe('$0.00');
    expect(formatMoney('99999999999999999.99', 'EUR')).toBe('€99,999,999,999,999,999.99');
    expect(formatMoney('1200', 'JPY')).toBe('JP¥1,200');
    expect(formatMoney(null, 'CNY')).toBe('—');
  });

  it('formats regions, tel links and data scopes', () => {
    expect(formatRegion('上海市', '上海市', '浦东新区')).toBe('上海市 浦东新区');
    expect(formatRegion(null, undefined, '')).toBe('—');
    expect(telHref('+86 138-0013-8000')).toBe('tel:+8613800138000');
    expect(dataScopeLabel('department')).toBe('本部门');
  });
});
