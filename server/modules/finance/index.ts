// 财务: currencies and their exchange rates; the chart of accounts (小企业会计准则), accounting periods,
// vouchers and the engine business documents post through (each document type registers its pure
// rule and calls postDocument in its own transaction); the trial balance; 项目 (a 辅助核算 dimension). Other modules use this file.
export { dateOnlyOf, dateOnlyToDb, monthStart, rateInEffect, todayInShanghai } from './currencies/rates.ts';
export { rateOnBasis } from './currencies/lookup.ts';
export { assertMoneyAccount, documentCurrency, type DocumentCurrency } from './currencies/document.ts';
export {
  advanceTransfer, exchangeDifferenceLine, exchangeGainLossAccount, foreignFields, settlementAmounts,
  type SettlementCurrency, type SettlementSide,
} from './currencies/settlement.ts';
export { ACCOUNTS, inventoryAccount, standardChart } from './accounts/chart.ts';
export { postingAccountProblem, seedChartOfAccounts } from './accounts/store.ts';
export {
  registerPostingRule, isPostingRuleRegistered,
  type PostingDocument, type PostingFacts, type PostingLine, type VoucherRule, type VoucherDraft,
} from './posting/registry.ts';
export { postDocument } from './posting/post.ts';
export { noVoucher, registerCloseCheck, type CloseCheck, type UnpostedDocument } from './periods/close-checks.ts';
export { debitOrCredit, sumByItem } from './posting/amounts.ts';
export { financeRoutes } from './routes.ts';
export { BOSS_DAILY_EVENT, scheduleBossCards, startBossCardScheduler } from './dashboard/schedule.ts';
export { deferredOutputVatMoveLines } from './month-end/rules.ts';
export { registerDeferredOutputVatSource, type DeferredOutputVatDue, type DeferredOutputVatSource } from './month-end/deferred-output-vat.ts';
export { loadFinanceSettings } from './settings/service.ts';
export { projectLineIssues } from './projects/service.ts';
export { groupByOriginalInvoice, pickOriginalInvoice } from './invoices/original-invoice.ts';
