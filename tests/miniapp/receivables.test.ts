// @vitest-environment happy-dom
// 应收 pages at phone width: the aging table per customer (overdue in red, tap → 对账单), the
// statement with opening, running balance and closing, and the 工作台 tile only for users who may read receivables.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import CustomerStatementPage from '../../miniapp/src/pages/CustomerStatementPage.vue';
import ReceivablesPage from '../../miniapp/src/pages/ReceivablesPage.vue';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import type { AgingReport, CustomerStatement } from '../../shared/schemas/sales/receivables';
import { callUrl, createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const accountant = { ...demoUser, username: 'qian.kj', name: '钱会计', permissions: ['salesInvoice:read', 'salesInvoice:write'] };
const customer = { id: 'c-3', code: 'C0003', name: '宁波镇海甬兴电力金具有限公司' };

describe('应收页面', () => {
  it('账龄：每个客户的未核销、逾期与各账龄段；点客户进入对账单', async () => {
    loginAs(accountant);
    const aging: AgingReport = {
      asOf: '2026-12-31',
      customers: [
        { customer, notDue: '70.00', d1to30: '0.00', d31to60: '0.00', d61to90: '50.00', over90: '0.00', total: '120.00', overdue: '50.00', unmatchedReceipts: '261.00', unsettledCredits: '0.00' },
        { customer: { id: 'c-7', code: 'C0007', name: '客户七' }, notDue: '0.00', d1to30: '0.00', d31to60: '0.00', d61to90: '0.00', over90: '0.00', total: '0.00', overdue: '0.00', unmatchedReceipts: '0.00', unsettledCredits: '226.00' },
      ],
      totals: { notDue: '70.00', d1to30: '0.00', d31to60: '0.00', d61to90: '50.00', over90: '0.00', total: '120.00', overdue: '50.00' },
    };
    stubFetch(() => jsonResponse(200, aging));
    const app = await createTestApp('/receivables');
    const wrapper = mount(ReceivablesPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="ar-totals"]').text()).toBe('截至 2026-12-31：未核销 120.00，逾期 50.00');
    const row = wrapper.findAll('[data-test="ar-aging"] tbody tr')[0]!;
    expect(row.findAll('td').map((c) => c.text())).toEqual([customer.name, '120.00', '50.00', '70.00', '', '', '50.00', '']);
    expect(wrapper.findAll('[data-test="ar-credit"]').map((c) => c.text())).toEqual(['红字发票未抵扣（应退客户）226.00']);
    expect(wrapper.find('[data-test="ar-new-receipt"]').exists()).toBe(true);
    await row.trigger('click');
    await flushPromises();
    expect(app.router.currentRoute.value.fullPath).toBe('/receivables/c-3');
    wrapper.unmount();
  });

  it('对账单：期初、逐笔余额（退货红字发票为负数）、本期合计与期末及其含义', async () => {
    loginAs(accountant);
    const s: CustomerStatement = {
      customer, from: '2026-12-01', to: '2026-12-31', opening: '309.00', invoiced: '-76.00', received: '650.00', writtenOff: '0.00', closing: '-417.00', closingLabel: '应退客户（可抵扣）',
      lines: [
        { date: '2026-12-01', kind: 'invoice', number: 'SI-20261207-0002', reference: '26330000000000000002', debit: '100.00', credit: '0.00', balance: '409.00' },
        { date: '2026-12-10', kind: 'receipt', number: 'SK-20261207-0001', reference: '电汇', debit: '0.00', credit: '150.00', balance: '259.00' },
        { date: '2026-12-12', kind: 'redInvoice', number: 'XH-20261212-0001', reference: null, debit: '-226.00', credit: '0.00', balance: '33.00' },
      ],
    };
    const fetch = stubFetch(() => jsonResponse(200, s));
    const app = await createTestApp('/receivables/c-3');
    const wrapper = mount(CustomerStatementPage, { props: { id: 'c-3' }, global: app.global });
    await flushPromises();
    expect(String(fetch.mock.calls[0]![0])).toContain('/api/v1/receivables/customers/c-3/statement?');
    const rows = wrapper.findAll('[data-test="st-lines"] tbody tr').map((r) => r.findAll('td').map((c) => c.text()));
    expect(rows[0]![5]).toBe('309.00');
    expect(rows[2]).toEqual(['2026-12-10', '收款 SK-20261207-0001', '电汇', '', '150.00', '259.00']);
    expect(rows[3]).toEqual(['2026-12-12', '红字发票 XH-20261212-0001', '', '-226.00', '', '33.00']);
    expect(wrapper.find('[data-test="st-closing"]').text()).toBe('-417.00');
    expect(wrapper.find('[data-test="st-closing-label"]').text()).toBe('应退客户（可抵扣）');
    wrapper.unmount();
  });

  it('对账单：群聊卡片的链接带日期；发送到客户群按当前日期提交', async () => {
    loginAs(accountant);
    const s: CustomerStatement = { customer, from: '2026-10-01', to: '2026-10-31', opening: '1130.00', invoiced: '565.00', received: '800.00', writtenOff: '0.00', closing: '895.00', closingLabel: '应收客户', lines: [] };
    const fetch = stubFetch((url) => jsonResponse(200, url.pathname.endsWith('/send') ? { customerId: 'c-3', customerName: customer.name, from: s.from, to: s.to, opening: s.opening, invoiced: s.invoiced, received: s.received, closing: s.closing, groups: 2 } : s));
    const app = await createTestApp('/receivables/c-3?from=2026-10-01&to=2026-10-31');
    const wrapper = mount(CustomerStatementPage, { props: { id: 'c-3' }, global: app.global });
    await flushPromises();
    expect(callUrl(fetch, 0).searchParams.get('from')).toBe('2026-10-01');
    expect(callUrl(fetch, 0).searchParams.get('to')).toBe('2026-10-31');
    await wrapper.find('[data-test="st-send"]').trigger('click');
    await flushPromises();
    expect(callUrl(fetch, 1).pathname).toBe('/api/v1/customer-statements/c-3/send');
    expect(fetch.mock.calls[1]![1]!.method).toBe('POST');
    expect(JSON.parse(String(fetch.mock.calls[1]![1]!.body))).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    wrapper.unmount();
  });

  it('工作台：没有 salesInvoice:read 的用户看不到应收账款', () => {
    expect(workbenchEntries(() => false).some((e) => e.key === 'receivables')).toBe(false);
    expect(workbenchEntries((p) => p === 'salesInvoice:read').some((e) => e.key === 'receivables')).toBe(true);
  });
});
