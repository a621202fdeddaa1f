// @vitest-environment happy-dom
// 凭证 and 科目余额表 pages at phone width: the voucher's lines (accounts, dimensions, 借/贷, totals)
// and its source document, the list's cards, the trial balance with its 试算平衡 line, and the
// 工作台 tiles only for users who may read vouchers.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, describe, expect, it, vi } from 'vitest';
import TrialBalancePage from '../../miniapp/src/pages/TrialBalancePage.vue';
import VoucherDetailPage from '../../miniapp/src/pages/VoucherDetailPage.vue';
import VoucherListPage from '../../miniapp/src/pages/VoucherListPage.vue';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import type { TrialBalance, Voucher } from '../../shared/schemas/vouchers';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const accountant = { ...demoUser, username: 'qian.kj', name: '钱会计', permissions: ['voucher:read'] };
const none = null;
const line = (lineNo: number, code: string, fullName: string, debit: string, credit: string, extra: Partial<Voucher['lines'][number]> = {}) => ({
  lineNo, summary: '销售出库 SH-20261207-0001 宁波甬江机械', account: { id: `a-${code}`, code, fullName }, debit, credit,
  customer: none, supplier: none, department: none, employee: none, item: none, project: none, currencyCode: none, amountForeign: none, rate: none, ...extra,
});
const voucher: Voucher = {
  id: 'v-1', number: '记-0003', period: '2026-12', date: '2026-12-07', summary: '销售出库 SH-20261207-0001 宁波甬江机械',
  totalDebit: '130.00', totalCredit: '130.00',
  source: { type: 'shipment', id: 'sh-1', number: 'SH-20261207-0001', label: '销售出库单', apiPath: '/api/v1/shipments/sh-1' },
  reversalOf: null, reversedBy: null, attachmentCount: 0, createdBy: { id: 'u-z', name: '赵仓管' }, createdAt: '2026-12-07T10:00:00.000+08:00',
  lines: [
    line(1, '1122', '应收账款', '100.00', '0.00', { customer: { id: 'c-1', code: 'C0002', name: '宁波甬江机械' } }),
    line(2, '5001', '主营业务收入', '0.00', '88.50', { item: { id: 'i-1', code: 'FG-BLT-M8X30', name: 'M8螺栓' } }),
    line(3, '22210102', '应交税费—应交增值税—销项税额', '0.00', '11.50'),
    line(4, '5401', '主营业务成本', '30.00', '0.00', { project: { id: 'p-1', code: 'P001', name: '港城汽车 M8 螺栓配套项目' } }),
    line(5, '1405', '库存商品', '0.00', '30.00'),
  ],
};

describe('凭证页', () => {
  it('详情：凭证号、来源单据、每行科目与辅助核算、借贷金额与合计', async () => {
    loginAs(accountant);
    stubFetch(() => jsonResponse(200, voucher));
    const app = await createTestApp('/vouchers/v-1');
    const wrapper = mount(VoucherDetailPage, { props: { id: 'v-1' }, global: app.global });
    await flushPromises();
    expect(wrapper.text()).toContain('2026-12 记-0003');
    expect(wrapper.find('[data-test="voucher-source"]').text()).toContain('销售出库单 SH-20261207-0001');
    const rows = wrapper.findAll('[data-test="voucher-lines"] tbody tr').map((r) => r.findAll('td').map((c) => c.text()));
    expect(rows[0]).toEqual(['销售出库 SH-20261207-0001 宁波甬江机械', '1122 应收账款 客户 宁波甬江机械', '100.00', '']);
    expect(rows[2]!.slice(1)).toEqual(['22210102 应交税费—应交增值税—销项税额', '', '11.50']);
    expect(rows[3]![1]).toBe('5401 主营业务成本 项目 港城汽车 M8 螺栓配套项目');
    expect(wrapper.find('[data-test="voucher-lines"] tfoot').text()).toBe('合计130.00130.00');
    wrapper.unmount();
  });

  it('打印：带登录令牌取打印页（A4 / 凭证纸），在新窗口打开并调起打印', async () => {
    loginAs(accountant);
    const fetch = stubFetch((url) => (url.pathname.endsWith('/print')
      ? new Response('<!doctype html><html><head><title>记账凭证</title></head><body></body></html>', { status: 200, headers: { 'Content-Type': 'text/html' } })
      : jsonResponse(200, voucher)));
    const opened = { location: { href: '' }, addEventListener: vi.fn(), print: vi.fn(), close: vi.fn() };
    const open = vi.spyOn(window, 'open').mockReturnValue(opened as unknown as Window);
    const app = await createTestApp('/vouchers/v-1');
    const wrapper = mount(VoucherDetailPage, { props: { id: 'v-1' }, global: app.global });
    await flushPromises();
    await wrapper.find('[data-test="voucher-print-paper"]').trigger('click');
    await flushPromises();
    const printCall = fetch.mock.calls.map((c) => new URL(String(c[0]), 'http://localhost')).find((u) => u.pathname.endsWith('/print'))!;
    expect(printCall.pathname).toBe('/api/v1/vouchers/v-1/print');
    expect(printCall.searchParams.get('paper')).toBe('voucher');
    const init = fetch.mock.calls.find((c) => String(c[0]).includes('/print'))![1] as RequestInit;
    expect((init.headers as Record<string, string>).Authorization).toMatch(/^Bearer /);
    expect(open).toHaveBeenCalledTimes(1);
    expect(opened.location.href).toMatch(/^blob:/);
    expect(opened.addEventListener).toHaveBeenCalledWith('load', expect.any(Function));
    open.mockRestore();
    wrapper.unmount();
  });

  it('列表：卡片显示凭证号、金额、摘要与来源', async () => {
    loginAs(accountant);
    const fetch = stubFetch(() => jsonResponse(200, { items: [voucher], total: 1, page: 1, pageSize: 20 }));
    const app = await createTestApp('/vouchers');
    const wrapper = mount(VoucherListPage, { global: app.global });
    await flushPromises();
    expect(new URL(String(fetch.mock.calls[0]![0]), 'http://x').searchParams.get('sort')).toBe('-date');
    expect(wrapper.find('.voucher-row').text()).toContain('2026-12 记-0003');
    expect(wrapper.find('.voucher-row').text()).toContain('¥130.00');
    expect(wrapper.find('.voucher-row').text()).toContain('销售出库单 SH-20261207-0001');
    wrapper.unmount();
  });

  it('科目余额表：按级缩进，合计与试算平衡', async () => {
    loginAs(accountant);
    const sides = (debit: string, credit: string) => ({ debit, credit });
    const tb: TrialBalance = {
      period: '2026-12', balanced: true,
      rows: [
        { accountId: 'a', code: '1122', name: '应收账款', level: 1, direction: 'debit', postable: true, opening: sides('0.00', '0.00'), period: sides('113.00', '0.00'), closing: sides('113.00', '0.00') },
        { accountId: 'b', code: '2221', name: '应交税费', level: 1, direction: 'credit', postable: false, opening: sides('0.00', '0.00'), period: sides('0.00', '13.00'), closing: sides('0.00', '13.00') },
        { accountId: 'c', code: '5001', name: '主营业务收入', level: 1, direction: 'credit', postable: true, opening: sides('0.00', '0.00'), period: sides('0.00', '100.00'), closing: sides('0.00', '100.00') },
      ],
      totals: { opening: sides('0.00', '0.00'), period: sides('113.00', '113.00'), closing: sides('113.00', '113.00') },
    };
    stubFetch(() => jsonResponse(200, tb));
    const app = await createTestApp('/trial-balance');
    const wrapper = mount(TrialBalancePage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="tb-balanced"]').text()).toBe('试算平衡');
    const rows = wrapper.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()));
    expect(rows[1]).toEqual(['2221 应交税费', '', '', '', '13.00', '', '13.00']);
    expect(wrapper.find('tfoot').findAll('td').map((c) => c.text())).toEqual(['合计', '0.00', '0.00', '113.00', '113.00', '113.00', '113.00']);
    wrapper.unmount();
  });

  it('工作台：没有 voucher:read 的用户看不到凭证与科目余额表', () => {
    expect(workbenchEntries(() => false).some((e) => e.key === 'vouchers' || e.key === 'trial-balance')).toBe(false);
    expect(workbenchEntries((p) => p === 'voucher:read').filter((e) => ['vouchers', 'trial-balance'].includes(e.key))).toHaveLength(2);
  });
});
