// 财务的接口: 会计科目, 会计期间, 记账凭证, 科目余额表 (币别与汇率 are in currencies/routes.ts).
import { IdParams } from '../../../shared/schemas/common.ts';
import {
  Account, AccountCreate, AccountingPeriod, AccountingPeriodList, AccountList, PeriodParams, TrialBalance, TrialBalanceQuery,
  Voucher, VoucherCreate, VoucherListQuery, VoucherPage, VoucherReverse,
} from '../../../shared/schemas/vouchers.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { createAccount, listAccounts } from './accounts/service.ts';
import { closePeriod, listPeriods, reopenPeriod } from './periods/service.ts';
import { getTrialBalance } from './reports/service.ts';
import { createManualVoucher, getVoucher, listVouchers, reverseVoucher } from './vouchers/service.ts';

export function financeRoutes(api: ApiRouter): void {
  const tag = '财务';
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
}
