// 财务的接口: 会计科目, 会计期间, 记账凭证, 科目余额表 (币别与汇率 are in currencies/routes.ts).
import { IdParams } from '../../../shared/schemas/common.ts';
import {
  Account, AccountCreate, AccountingPeriod, AccountingPeriodList, AccountList, PeriodParams, TrialBalance, TrialBalanceQuery,
  OpeningBalances, OpeningBalancesPut, Voucher, VoucherCreate, VoucherListQuery, VoucherPage, VoucherPrintQuery, VoucherReverse,
} from '../../../shared/schemas/vouchers.ts';
import {
  BalanceSheet, BossDashboard, CashFlowStatement, CashJournalQuery, LedgerQuery, FinanceSettings, FinanceSettingsUpdate, Ledger, MonthEndStatus, MonthEndStepParams, MonthEndStepResult,
  ProfitStatement, StatementQuery,
} from '../../../shared/schemas/finance-reports.ts';
import { z } from '../../../shared/schemas/common.ts';
import { sendWorkbook, XLSX_MIME } from '../../platform/excel.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { getBossDashboard } from './dashboard/service.ts';
import { monthEndStatus, registerMonthEndRules, runMonthEndStep } from './month-end/service.ts';
import { getCashJournal, getLedger } from './reports/ledger.ts';
import { exportBalanceSheet, exportCashFlowStatement, exportProfitStatement, exportTrialBalance, getBalanceSheet, getCashFlowStatement, getProfitStatement } from './reports/statements-service.ts';
import { getFinanceSettings, updateFinanceSettings } from './settings/service.ts';
import { createAccount, listAccounts } from './accounts/service.ts';
import { closePeriod, listPeriods, reopenPeriod } from './periods/service.ts';
import { getTrialBalance } from './reports/service.ts';
import { getOpeningBalances, OPENING_SOURCE, OPENING_SUMMARY, putOpeningBalances } from './opening/service.ts';
import { isPostingRuleRegistered, registerPostingRule } from './posting/registry.ts';
import { projectRoutes } from './projects/routes.ts';
import { createManualVoucher, getVoucher, listVouchers, reverseVoucher } from './vouchers/service.ts';
import { PRINT_CSS, voucherPrint } from './vouchers/print.ts';

export function financeRoutes(api: ApiRouter): void {
  const tag = '财务';
  // Month end's own document types post through the engine like any business document.
  registerMonthEndRules();
  // The opening entry is written directly (never from a rule); registered so its vouchers show 期初余额 as their source.
  if (!isPostingRuleRegistered(OPENING_SOURCE)) registerPostingRule(OPENING_SOURCE, () => null, { label: OPENING_SUMMARY, apiPath: () => '/api/v1/opening-balances' });
  api.route({
    method: 'get', path: '/opening-balances', tag, summary: '期初余额（建账时各科目在第一个月月初的余额）', permission: 'voucher:read',
    response: OpeningBalances,
    handler: ({ ctx }) => getOpeningBalances(ctx),
  });
  api.route({
    method: 'put', path: '/opening-balances', tag, summary: '录入期初余额（记为该月 1 日的一张期初凭证，借贷必须平衡；该月及以前已有其他凭证时不能再改）', permission: 'voucher:write',
    body: OpeningBalancesPut, response: OpeningBalances,
    handler: ({ ctx, body }) => putOpeningBalances(ctx, body),
  });
  api.route({
    method: 'get', path: '/accounts', tag, summary: '会计科目表（小企业会计准则，按编码排列）', permission: 'account:read',
    response: AccountList,
    handler: ({ ctx }) => listAccounts(ctx),
  });
  api.route({
    method: 'post', path: '/accounts', tag, summary: '新增明细科目（上级科目已有凭证分录的不能再加下级）', permission: 'account:create', status: 201,
    body: AccountCreate, response: Account,
    handler: ({ ctx, body }) => createAccount(ctx, body),
  });
  api.route({
    method: 'get', path: '/accounting-periods', tag, summary: '会计期间（结账状态、凭证数）', permission: 'voucher:read',
    response: AccountingPeriodList,
    handler: ({ ctx }) => listPeriods(ctx),
  });
  api.route({
    method: 'post', path: '/accounting-periods/:period/close', tag, summary: '结账（之后该期间不能再记账）', permission: 'period:close',
    params: PeriodParams, response: AccountingPeriod,
    handler: ({ ctx, params }) => closePeriod(ctx, params.period),
  });
  api.route({
    method: 'post', path: '/accounting-periods/:period/reopen', tag, summary: '反结账', permission: 'period:reopen',
    params: PeriodParams, response: AccountingPeriod,
    handler: ({ ctx, params }) => reopenPeriod(ctx, params.period),
  });
  api.route({
    method: 'get', path: '/vouchers', tag, summary: '凭证列表（分页、搜索凭证号/摘要/单据号，按期间、科目、来源单据筛选）', permission: 'voucher:read',
    query: VoucherListQuery, response: VoucherPage,
    handler: ({ ctx, query }) => listVouchers(ctx, query),
  });
  api.route({
    method: 'get', path: '/vouchers/:id', tag, summary: '凭证详情', permission: 'voucher:read',
    params: IdParams, response: Voucher,
    handler: ({ ctx, params }) => getVoucher(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/vouchers/:id/print', tag, summary: '凭证打印页（记账凭证格式，A4 或凭证纸 240×140 mm，用浏览器打印）', permission: 'voucher:read',
    params: IdParams, query: VoucherPrintQuery, rawResponse: { contentType: 'text/html', description: '记账凭证打印页 (HTML)' },
    handler: async ({ ctx, params, query, res }) => {
      const html = await voucherPrint(ctx, params.id, query.paper);
      // The API's policy lets nothing load; this page needs its stylesheet from this origin (no scripts).
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(html);
    },
  });
  api.route({
    method: 'get', path: '/print/voucher.css', tag, summary: '凭证打印页的样式表', permission: 'public',
    rawResponse: { contentType: 'text/css', description: '样式表' },
    handler: async ({ res }) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.type('css').send(PRINT_CSS);
    },
  });
  api.route({
    method: 'post', path: '/vouchers', tag, summary: '录入手工凭证（借贷必须平衡，只能用末级科目）', permission: 'voucher:write', status: 201,
    body: VoucherCreate, response: Voucher,
    handler: ({ ctx, body }) => createManualVoucher(ctx, body),
  });
  api.route({
    method: 'post', path: '/vouchers/:id/reverse', tag, summary: '红字冲销（生成金额取负的新凭证，每张凭证只能冲销一次）', permission: 'voucher:reverse', status: 201,
    params: IdParams, body: VoucherReverse, response: Voucher,
    handler: ({ ctx, params, body }) => reverseVoucher(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/trial-balance', tag, summary: '科目余额表（期初、本期发生、期末，按科目树汇总）', permission: 'voucher:read',
    query: TrialBalanceQuery, response: TrialBalance,
    handler: ({ ctx, query }) => getTrialBalance(ctx, query),
  });
  api.route({
    method: 'get', path: '/trial-balance/export', tag, summary: '导出科目余额表到 Excel', permission: 'voucher:read',
    query: StatementQuery, rawResponse: { contentType: XLSX_MIME, description: '科目余额表.xlsx' },
    handler: async ({ ctx, query, res }) => sendWorkbook(res, `科目余额表-${query.period}.xlsx`, await exportTrialBalance(ctx, query.period)),
  });
  api.route({
    method: 'get', path: '/month-end/:period', tag, summary: '期末处理状态（各步骤的凭证、是否还有待处理金额、是否已结转损益）', permission: 'voucher:read',
    params: PeriodParams, response: MonthEndStatus,
    handler: ({ ctx, params }) => monthEndStatus(ctx, params.period),
  });
  api.route({
    method: 'post', path: '/month-end/:period/:step', tag,
    summary: '期末处理一步（fxRevaluation 期末调汇、deferredOutputVat 待转销项税额转出（到约定收款日期的赊销）、vatTransfer 转出未交增值税、surcharges 计提税金及附加、profitTransfer 结转损益、yearEnd 年末结转；可重复执行，只记尚未处理的金额）',
    permission: 'period:close', params: MonthEndStepParams, response: MonthEndStepResult,
    handler: ({ ctx, params }) => runMonthEndStep(ctx, params.period, params.step),
  });
  api.route({
    method: 'get', path: '/finance-settings', tag, summary: '财务设置（附加税费税率与减免、老板日报）', permission: 'voucher:read',
    response: FinanceSettings,
    handler: ({ ctx }) => getFinanceSettings(ctx),
  });
  api.route({
    method: 'put', path: '/finance-settings', tag, summary: '修改财务设置', permission: 'period:close',
    body: FinanceSettingsUpdate, response: FinanceSettings,
    handler: ({ ctx, body }) => updateFinanceSettings(ctx, body),
  });
  api.route({
    method: 'get', path: '/balance-sheet', tag, summary: '资产负债表（会小企01表：期末余额、年初余额）', permission: 'voucher:read',
    query: StatementQuery, response: BalanceSheet,
    handler: ({ ctx, query }) => getBalanceSheet(ctx, query.period),
  });
  api.route({
    method: 'get', path: '/balance-sheet/export', tag, summary: '导出资产负债表到 Excel', permission: 'voucher:read',
    query: StatementQuery, rawResponse: { contentType: XLSX_MIME, description: '资产负债表.xlsx' },
    handler: async ({ ctx, query, res }) => sendWorkbook(res, `资产负债表-${query.period}.xlsx`, await exportBalanceSheet(ctx, query.period)),
  });
  api.route({
    method: 'get', path: '/profit-statement', tag, summary: '利润表（会小企02表：本月金额、本年累计金额）', permission: 'voucher:read',
    query: StatementQuery, response: ProfitStatement,
    handler: ({ ctx, query }) => getProfitStatement(ctx, query.period),
  });
  api.route({
    method: 'get', path: '/profit-statement/export', tag, summary: '导出利润表到 Excel', permission: 'voucher:read',
    query: StatementQuery, rawResponse: { contentType: XLSX_MIME, description: '利润表.xlsx' },
    handler: async ({ ctx, query, res }) => sendWorkbook(res, `利润表-${query.period}.xlsx`, await exportProfitStatement(ctx, query.period)),
  });
  api.route({
    method: 'get', path: '/cash-flow-statement', tag, summary: '现金流量表（会小企03表：按现金、银行存款分录的对方科目归类；本月与本年累计）', permission: 'voucher:read',
    query: StatementQuery, response: CashFlowStatement,
    handler: ({ ctx, query }) => getCashFlowStatement(ctx, query.period),
  });
  api.route({
    method: 'get', path: '/cash-flow-statement/export', tag, summary: '导出现金流量表到 Excel', permission: 'voucher:read',
    query: StatementQuery, rawResponse: { contentType: XLSX_MIME, description: '现金流量表.xlsx' },
    handler: async ({ ctx, query, res }) => sendWorkbook(res, `现金流量表-${query.period}.xlsx`, await exportCashFlowStatement(ctx, query.period)),
  });
  api.route({
    method: 'get', path: '/ledger', tag, summary: '明细账（一级科目即总账；可按客户、供应商、项目看辅助明细账）', permission: 'voucher:read',
    query: LedgerQuery, response: Ledger,
    handler: ({ ctx, query }) => getLedger(ctx, query),
  });
  api.route({
    method: 'get', path: '/cash-journal', tag, summary: '现金日记账和银行存款日记账', permission: 'voucher:read',
    query: CashJournalQuery, response: z.object({ items: z.array(Ledger) }),
    handler: ({ ctx, query }) => getCashJournal(ctx, query),
  });
  api.route({
    method: 'get', path: '/dashboard/boss', tag, summary: '老板看板（今日发货、收款、付款、资金余额、逾期应收前 5）', permission: 'dashboard:read',
    response: BossDashboard,
    handler: ({ ctx }) => getBossDashboard(ctx),
  });
  projectRoutes(api);
}
