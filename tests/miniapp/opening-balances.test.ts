// @vitest-environment happy-dom
// 期初余额 page: the saved entry fills the inputs, the running difference follows what is typed
// (save only when 借贷平衡), and saving sends the non-zero amounts as lines of the chosen month.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import OpeningBalancesPage from '../../miniapp/src/pages/OpeningBalancesPage.vue';
import type { Account, OpeningBalances } from '../../shared/schemas/vouchers';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const account = (code: string, fullName: string, postable = true): Account => ({
  id: `a-${code}`, code, name: fullName, fullName, parentId: null, level: 1, category: 'asset', categoryLabel: '资产',
  direction: 'debit', directionLabel: '借', postable, fxAccounting: false, currencyCode: null,
});
const saved: OpeningBalances = {
  period: '2020-01', voucher: { id: 'v-1', number: '记-0001' },
  lines: [
    { accountCode: '1001', accountName: '库存现金', debit: '5000.00', credit: '0.00', customer: null, supplier: null },
    { accountCode: '3001', accountName: '实收资本', debit: '0.00', credit: '5000.00', customer: null, supplier: null },
  ],
  totals: { debit: '5000.00', credit: '5000.00' },
};

describe('期初余额页', () => {
  it('带出已录入的金额；差额随输入变化，平衡才能保存；保存发送非零的行', async () => {
    loginAs({ ...demoUser, username: 'qian.kj', name: '钱会计', permissions: ['voucher:read', 'voucher:write'] });
    const fetch = stubFetch((url, init) => {
      if (url.pathname === '/api/v1/accounts') return jsonResponse(200, { items: [account('1001', '库存现金'), account('1002', '银行存款'), account('2202', '应付账款', false), account('3001', '实收资本')] });
      if (init.method === 'PUT') return jsonResponse(200, { ...saved, voucher: { id: 'v-2', number: '记-0001' } });
      return jsonResponse(200, saved);
    });
    const app = await createTestApp('/opening-balances');
    const wrapper = mount(OpeningBalancesPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="ob-row-2202"]').exists()).toBe(false);
    expect((wrapper.find('[data-test="ob-debit-1001"]').element as HTMLInputElement).value).toBe('5000');
    expect((wrapper.find('[data-test="ob-period"] input').element as HTMLInputElement).value).toBe('2020-01');
    expect(wrapper.find('[data-test="ob-difference"]').text()).toBe('借贷平衡');

    await wrapper.find('[data-test="ob-debit-1002"]').setValue('1200.50');
    expect(wrapper.find('[data-test="ob-difference"]').text()).toBe('差额 1,200.50');
    expect(wrapper.find('[data-test="ob-save"]').attributes('disabled')).toBeDefined();
    await wrapper.find('[data-test="ob-credit-3001"]').setValue('6200.50');
    expect(wrapper.find('[data-test="ob-difference"]').text()).toBe('借贷平衡');

    await wrapper.find('[data-test="ob-save"]').trigger('click');
    await flushPromises();
    const put = fetch.mock.calls.find((c) => c[1]?.method === 'PUT')!;
    expect(new URL(String(put[0]), 'http://x').pathname).toBe('/api/v1/opening-balances');
    expect(JSON.parse(String(put[1]!.body))).toEqual({
      period: '2020-01',
      lines: [{ accountCode: '1001', debit: '5000' }, { accountCode: '1002', debit: '1200.50' }, { accountCode: '3001', credit: '6200.50' }],
    });
    wrapper.unmount();
  });
});
