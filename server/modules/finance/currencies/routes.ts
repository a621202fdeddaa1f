import { IdParams } from '../../../../shared/schemas/common.ts';
import {
  Currency, CurrencyCreate, CurrencyListQuery, CurrencyPage, CurrencyUpdate, ExchangeRate, ExchangeRateCreate, ExchangeRateListQuery, ExchangeRatePage,
  RateLookupQuery, RateOnDate,
} from '../../../../shared/schemas/finance.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createCurrency, createRate, deleteCurrency, getCurrency, listCurrencies, listRates, lookupRate, updateCurrency } from './service.ts';

export function currencyRoutes(api: ApiRouter): void {
  const tag = '币别与汇率';
  api.route({
    method: 'get', path: '/currencies', tag, summary: '币别列表（含最近汇率）', permission: 'currency:read',
    query: CurrencyListQuery, response: CurrencyPage,
    handler: ({ ctx, query }) => listCurrencies(ctx, query),
  });
  api.route({
    method: 'get', path: '/currencies/:id', tag, summary: '币别详情', permission: 'currency:read',
    params: IdParams, response: Currency,
    handler: ({ ctx, params }) => getCurrency(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/currencies', tag, summary: '新增币别（本位币只能有一个）', permission: 'currency:create', status: 201,
    body: CurrencyCreate, response: Currency,
    handler: ({ ctx, body }) => createCurrency(ctx, body),
  });
  api.route({
    method: 'patch', path: '/currencies/:id', tag, summary: '修改币别（名称、符号、是否本位币）', permission: 'currency:update',
    params: IdParams, body: CurrencyUpdate, response: Currency,
    handler: ({ ctx, params, body }) => updateCurrency(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/currencies/:id', tag, summary: '删除币别（本位币和被客户、供应商使用的不能删除）', permission: 'currency:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteCurrency(ctx, params.id),
  });
  api.route({
    method: 'get', path: '/currencies/:id/rates', tag, summary: '汇率历史（按日期倒序）', permission: 'currency:read',
    params: IdParams, query: ExchangeRateListQuery, response: ExchangeRatePage,
    handler: ({ ctx, params, query }) => listRates(ctx, params.id, query),
  });
  api.route({
    method: 'post', path: '/currencies/:id/rates', tag, summary: '录入汇率（每天一条）', permission: 'currency:create', status: 201,
    params: IdParams, body: ExchangeRateCreate, response: ExchangeRate,
    handler: ({ ctx, params, body }) => createRate(ctx, params.id, body),
  });
  api.route({
    method: 'get', path: '/exchange-rates/lookup', tag, summary: '查询某日适用的汇率（该日或之前最近的一条）', permission: 'currency:read',
    query: RateLookupQuery, response: RateOnDate,
    handler: ({ ctx, query }) => lookupRate(ctx, query),
  });
}
