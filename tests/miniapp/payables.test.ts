// @vitest-environment happy-dom
// 应付 pages at phone width: the suppliers with money open (balance, overdue, aging) leading to the
// statement; the statement's running balance; the invoice form sends the picked received lines as
// typed; the payment form spreads the amount over the open invoices oldest first; the 工作台 tile
// only for users who may read payables.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import PayablesPage from '../../miniapp/src/pages/PayablesPage.vue';
import PurchaseInvoiceFormPage from '../../miniapp/src/pages/PurchaseInvoiceFormPage.vue';
import SupplierPaymentFormPage from '../../miniapp/src/pages/SupplierPaymentFormPage.vue';
import SupplierStatementPage from '../../miniapp/src/pages/SupplierStatementPage.vue';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import type { Payables, PurchaseInvoice, SupplierStatement } from '../../shared/schemas/payables';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const accountant = { ...demoUser, username: 'qian.kj', name: '钱会计', permissions: ['purchaseInvoice:read', 'purchaseInvoice:write', 'supplierPayment:read', 'supplierPayment:write'] };
const supplier = { id: 's-1', code: 'S0001', name: '宁波钢材' };
const zero = { days0to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' };

describe('应付页', () => {
  it('应付款：合计与每个供应商的余额、逾期、账龄；点进对账单', async () => {
    loginAs(accountant);
    const data: Payables = {
      asOf: '2026-12-07',
      items: [{ supplier, openInvoices: '1243.00', unsettledPayments: '500.00', unsettledCredits: '0.00', balance: '743.00', aging: { ...zero, days31to60: '1243.00' }, overdue: '1243.00' }],
      totals: { openInvoices: '1243.00', unsettledPayments: '500.00', unsettledCredits: '0.00', balance: '743.00', aging: { ...zero, days31to60: '1243.00' }, overdue: '1243.00' },
    };
    stubFetch(() => jsonResponse(200, data));
    const app = await createTestApp('/payables');
    const wrapper = mount(PayablesPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="payables-total"]').text()).toContain('¥743.00');
    const row = wrapper.find('.payable-row');
    expect(row.text()).toContain('宁波钢材');
    expect(row.text()).toContain('逾期 ¥1,243.00');
    expect(row.text()).not.toContain('红字发票');
    expect(row.text()).toContain('31-60 天 ¥1,243.00');
    expect(row.attributes('href')).toBe('/payables/s-1');
    expect(wrapper.find('[data-test="new-invoice"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('对账单：期初、每笔发票与付款的余额、期末', async () => {
    loginAs(accountant);
    const st: SupplierStatement = {
      supplier, dateFrom: '2026-11-01', dateTo: '2026-11-30', opening: '0.00', totalIncrease: '1006.70', totalDecrease: '500.00', closing: '506.70', closingLabel: '应付供应商',
      lines: [
        { date: '2026-11-02', kind: 'payment', kindLabel: '付款', id: 'p', number: 'FK-1', invoiceNo: null, summary: '付款', increase: '0.00', decrease: '500.00', balance: '-500.00' },
        { date: '2026-11-05', kind: 'invoice', kindLabel: '发票', id: 'i', number: 'PI-1', invoiceNo: '26332000000000000201', summary: '增值税专用发票', increase: '1243.00', decrease: '0.00', balance: '743.00' },
        { date: '2026-11-06', kind: 'redInvoice', kindLabel: '退货红字发票', id: 'r', number: 'HZ-1', invoiceNo: null, summary: '退货 RT-1 冲减发票 26332000000000000201', increase: '-236.30', decrease: '0.00', balance: '506.70' },
      ],
    };
    const fetch = stubFetch(() => jsonResponse(200, st));
    const app = await createTestApp('/payables/s-1');
    const wrapper = mount(SupplierStatementPage, { props: { supplierId: 's-1' }, global: app.global });
    await flushPromises();
    expect(new URL(String(fetch.mock.calls[0]![0]), 'http://x').pathname).toBe('/api/v1/supplier-statements/s-1');
    const rows = wrapper.findAll('[data-test="statement-lines"] tbody tr').map((r) => r.findAll('td').map((c) => c.text()));
    expect(rows[0]).toEqual(['2026-11-01', '期初余额', '¥0.00']);
    expect(rows[1]).toEqual(['2026-11-02', '付款', 'FK-1', '', '¥500.00', '-¥500.00']);
    expect(rows[2]).toEqual(['2026-11-05', '发票', 'PI-126332000000000000201', '¥1,243.00', '', '¥743.00']);
    expect(rows[3]).toEqual(['2026-11-06', '退货红字发票', 'HZ-1', '-¥236.30', '', '¥506.70']);
    expect(wrapper.find('[data-test="statement-lines"] tfoot').text()).toContain('¥506.70');
    expect(wrapper.find('[data-test="statement-closing-label"]').text()).toBe('应付供应商');
    wrapper.unmount();
  });

  it('登记发票：勾选入库明细，按填写的数量、金额、税额提交', async () => {
    loginAs(accountant);
    const sent: unknown[] = [];
    stubFetch((url, init) => {
      if (url.pathname === '/api/v1/suppliers/s-1') return jsonResponse(200, { ...supplier });
      if (url.pathname === '/api/v1/purchase-invoices/uninvoiced-lines') {
        return jsonResponse(200, { items: [{ receiptLineId: 'rl-1', receipt: { id: 'r', number: 'RC-1', receivedAt: '2026-12-01T00:00:00.000Z' }, item: { id: 'it', code: 'RM', name: '盘条' }, baseQuantity: '100.0000', invoicedQuantity: '0.0000', openQuantity: '100.0000', openProvisional: '1000.00' }] });
      }
      if (url.pathname === '/api/v1/purchase-invoices' && init.method === 'POST') {
        sent.push(JSON.parse(String(init.body)));
        return jsonResponse(201, { id: 'inv' });
      }
      return jsonResponse(200, { opening: '0.00', lines: [], supplier, dateFrom: '', dateTo: '', totalIncrease: '0', totalDecrease: '0', closing: '0' });
    });
    const app = await createTestApp('/payables/invoices/new?supplierId=s-1');
    const wrapper = mount(PurchaseInvoiceFormPage, { global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="invoice-no"] input').setValue('26332000000000000201');
    await wrapper.find('[data-line="rl-1"] .van-checkbox').trigger('click');
    const inputs = wrapper.findAll('[data-line="rl-1"] input');
    await inputs[1]!.setValue('1100');
    await inputs[2]!.setValue('143');
    expect(wrapper.find('[data-test="invoice-total"]').text()).toBe('¥1,243.00');
    await wrapper.find('[data-test="invoice-save"]').trigger('click');
    await flushPromises();
    expect(sent).toEqual([expect.objectContaining({
      supplierId: 's-1', invoiceNo: '26332000000000000201', invoiceType: 'special',
      lines: [{ receiptLineId: 'rl-1', quantity: '100.0000', amount: '1100', taxAmount: '143' }],
    })]);
    wrapper.unmount();
  });

  it('登记付款：金额按开票先后核销未结发票', async () => {
    loginAs(accountant);
    const inv = (id: string, date: string, open: string) => ({ id, invoiceDate: date, invoiceNo: `NO-${id}`, openAmount: open }) as PurchaseInvoice;
    const sent: unknown[] = [];
    stubFetch((url, init) => {
      if (url.pathname === '/api/v1/suppliers/s-1') return jsonResponse(200, { ...supplier });
      if (url.pathname === '/api/v1/purchase-invoices') return jsonResponse(200, { items: [inv('a', '2026-11-01', '300.00'), inv('b', '2026-11-05', '500.00')], total: 2, page: 1, pageSize: 200 });
      if (url.pathname === '/api/v1/supplier-payments') {
        sent.push(JSON.parse(String(init.body)));
        return jsonResponse(201, { id: 'p' });
      }
      return jsonResponse(200, { opening: '0.00', lines: [], supplier, dateFrom: '', dateTo: '', totalIncrease: '0', totalDecrease: '0', closing: '0' });
    });
    const app = await createTestApp('/payables/payments/new?supplierId=s-1');
    const wrapper = mount(SupplierPaymentFormPage, { global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="payment-amount"] input').setValue('450');
    expect(wrapper.find('[data-test="payment-allocation"]').text()).toContain('¥150.00');
    await wrapper.find('[data-test="payment-save"]').trigger('click');
    await flushPromises();
    expect(sent).toEqual([expect.objectContaining({
      supplierId: 's-1', amount: '450', accountCode: '1002',
      settlements: [{ invoiceId: 'a', amount: '300.00' }, { invoiceId: 'b', amount: '150.00' }],
    })]);
    wrapper.unmount();
  });

  it('工作台：没有 purchaseInvoice:read 看不到应付款', () => {
    expect(workbenchEntries(() => false).some((e) => e.key === 'payables')).toBe(false);
    expect(workbenchEntries((p) => p === 'purchaseInvoice:read').some((e) => e.key === 'payables')).toBe(true);
  });
});
