// @vitest-environment happy-dom
// 资产负债表, 利润表, 明细账 and the boss's 经营看板 pages at phone width: the lines with their 行次
// and amounts, the balanced line, the ledger's running balance, and the tiles only for who may see them.
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import BalanceSheetPage from '../../miniapp/src/pages/BalanceSheetPage.vue';
import BossDashboardPage from '../../miniapp/src/pages/BossDashboardPage.vue';
import LedgerPage from '../../miniapp/src/pages/LedgerPage.vue';
import MonthEndPage from '../../miniapp/src/pages/MonthEndPage.vue';
import ProfitStatementPage from '../../miniapp/src/pages/ProfitStatementPage.vue';
import { workbenchEntries } from '../../miniapp/src/utils/menu';
import type { BalanceSheet, BossDashboard, Ledger, MonthEndStatus, ProfitStatement } from '../../shared/schemas/finance-reports';
import { createTestApp, demoUser, jsonResponse, loginAs, stubFetch, vantTimersDone } from './helpers';

afterAll(vantTimersDone);

const accountant = { ...demoUser, username: 'qian.kj', name: '钱会计', permissions: ['voucher:read'] };
const l = (row: number, label: string, current: string, other = '0.00') => ({ code: '', row, label, level: 1, current, other });

describe('报表页面', () => {
  it('资产负债表：资产与负债和所有者权益两边、行次、平衡提示', async () => {
    loginAs(accountant);
    const bs: BalanceSheet = {
      period: '2025-12', balanced: true, totalAssets: '730700.00', totalLiabilitiesAndEquity: '730700.00',
      assets: [{ ...l(0, '流动资产：', '', ''), }, l(1, '货币资金', '584700.00'), l(30, '资产总计', '730700.00')],
      liabilitiesAndEquity: [l(47, '负债合计', '128158.00'), l(53, '负债和所有者权益（或股东权益）总计', '730700.00')],
    };
    stubFetch(() => jsonResponse(200, bs));
    const app = await createTestApp('/balance-sheet');
    const wrapper = mount(BalanceSheetPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="bs-balanced"]').text()).toContain('资产 = 负债 + 所有者权益');
    const tables = wrapper.findAll('table');
    expect(tables).toHaveLength(2);
    expect(tables[0]!.findAll('tbody tr')[1]!.findAll('td').map((c) => c.text())).toEqual(['货币资金', '1', '584,700.00', '0.00']);
    expect(tables[1]!.findAll('tbody tr')[1]!.text()).toContain('730,700.00');
    wrapper.unmount();
  });

  it('利润表：本年累计与本月金额，净利润', async () => {
    loginAs(accountant);
    const ps: ProfitStatement = {
      period: '2025-12', netProfit: '102542.00', netProfitYear: '102542.00',
      lines: [l(1, '一、营业收入', '200000.00', '200000.00'), l(32, '四、净利润（净亏损以“-”号填列）', '102542.00', '102542.00')],
    };
    stubFetch(() => jsonResponse(200, ps));
    const app = await createTestApp('/profit-statement');
    const wrapper = mount(ProfitStatementPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="ps-net"]').text()).toContain('102,542.00');
    expect(wrapper.findAll('tbody tr')[0]!.findAll('td').map((c) => c.text())).toEqual(['一、营业收入', '1', '200,000.00', '200,000.00']);
    wrapper.unmount();
  });

  it('明细账：期初、逐笔余额、本月合计', async () => {
    loginAs(accountant);
    const ledger: Ledger = {
      period: '2025-12', account: { code: '1122', fullName: '应收账款', direction: 'debit' },
      opening: { direction: '平', balance: '0.00' },
      entries: [{ date: '2025-12-05', voucherId: 'v1', voucherNumber: '记-0002', summary: '销售', debit: '226000.00', credit: '0.00', direction: '借', balance: '226000.00' }],
      totals: { debit: '226000.00', credit: '0.00' }, closing: { direction: '借', balance: '226000.00' },
    };
    stubFetch(() => jsonResponse(200, ledger));
    const app = await createTestApp('/ledger');
    const wrapper = mount(LedgerPage, { global: app.global });
    await flushPromises();
    const rows = wrapper.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()));
    expect(rows[1]).toEqual(['2025-12-05', '记-0002', '销售', '226,000.00', '', '借', '226,000.00']);
    expect(rows[2]!.slice(2)).toEqual(['本月合计', '226,000.00', '0.00', '借', '226,000.00']);
    wrapper.unmount();
  });

  it('经营看板：今日数字与逾期前 5；工作台入口按权限', async () => {
    loginAs({ ...demoUser, username: 'boss', permissions: ['dashboard:read'] });
    const d: BossDashboard = {
      date: '2026-12-07', sales: '1000.00', receipts: '800.00', payments: '300.00', cashBalance: '5000.00', receiptsSource: '凭证',
      overdueReceivables: [{ customerId: 'c1', customerName: '宁波甬江机械', amount: '4200.00' }], overdueNote: null,
    };
    stubFetch(() => jsonResponse(200, d));
    const app = await createTestApp('/boss');
    const wrapper = mount(BossDashboardPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="boss-sales"]').text()).toContain('1,000.00');
    expect(wrapper.text()).toContain('宁波甬江机械');
    wrapper.unmount();
    expect(workbenchEntries(() => false).some((e) => ['balance-sheet', 'profit-statement', 'ledger', 'boss-dashboard'].includes(e.key))).toBe(false);
    expect(workbenchEntries((p) => p === 'voucher:read').filter((e) => ['balance-sheet', 'profit-statement', 'ledger'].includes(e.key))).toHaveLength(3);
    expect(workbenchEntries((p) => p === 'dashboard:read').some((e) => e.key === 'boss-dashboard')).toBe(true);
  });

  it('期末处理：各步金额与凭证；未结转损益时结账按钮不可用', async () => {
    loginAs({ ...accountant, permissions: ['voucher:read', 'period:close'] });
    const status: MonthEndStatus = {
      period: '2025-12', state: 'open', profitTransferred: false,
      steps: [
        { step: 'fxRevaluation', stepLabel: '期末调汇', voucher: null, vouchers: [], pending: true, note: '期末汇率：USD 7.050000', figures: { exchangeGain: '-70.00' } },
        { step: 'vatTransfer', stepLabel: '转出未交增值税', voucher: null, vouchers: [{ id: 'v9', number: '记-0009' }], pending: false, note: null, figures: { vatCreditBalance: '0.00' } },
        { step: 'profitTransfer', stepLabel: '结转损益', voucher: null, vouchers: [], pending: true, note: null, figures: { profit: '102542.00' } },
      ],
    };
    stubFetch(() => jsonResponse(200, status));
    const app = await createTestApp('/month-end');
    const wrapper = mount(MonthEndPage, { global: app.global });
    await flushPromises();
    expect(wrapper.find('[data-test="me-step-vatTransfer"]').text()).toContain('记-0009');
    const fx = wrapper.find('[data-test="me-step-fxRevaluation"]').text();
    expect(fx).toContain('汇兑收益（负数为汇兑损失）');
    expect(fx).toContain('-70.00');
    expect(fx).toContain('期末汇率：USD 7.050000');
    expect(wrapper.find('[data-test="me-step-profitTransfer"]').text()).toContain('102,542.00');
    expect(wrapper.find('[data-test="me-close"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="me-close"]').text()).toBe('结转损益后才能结账');
    wrapper.unmount();
  });
});
