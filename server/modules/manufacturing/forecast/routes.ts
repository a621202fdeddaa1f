// 销售预测 routes: read with forecast:read, create/edit/delete with forecast:write (计划员, 销售经理).
import { IdParams } from '../../../../shared/schemas/common.ts';
import { Forecast, ForecastCreate, ForecastListQuery, ForecastPage, ForecastUpdate } from '../../../../shared/schemas/forecast.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { createForecast, deleteForecast, getForecast, listForecasts, updateForecast } from './service.ts';

export function forecastRoutes(api: ApiRouter): void {
  const tag = '销售预测';
  api.route({
    method: 'get', path: '/forecasts', tag, summary: '销售预测列表（分页，按物料编码/名称搜索，按物料与月份筛选）', permission: 'forecast:read',
    query: ForecastListQuery, response: ForecastPage,
    handler: ({ ctx, query }) => listForecasts(ctx, query),
  });
  api.route({
    method: 'get', path: '/forecasts/:id', tag, summary: '销售预测详情', permission: 'forecast:read',
    params: IdParams, response: Forecast,
    handler: ({ ctx, params }) => getForecast(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/forecasts', tag, summary: '新增销售预测（备货生产：同一物料每月一条；物料需求计算按当月销售订单冲减）', permission: 'forecast:write', status: 201,
    body: ForecastCreate, response: Forecast,
    handler: ({ ctx, body }) => createForecast(ctx, body),
  });
  api.route({
    method: 'patch', path: '/forecasts/:id', tag, summary: '修改销售预测', permission: 'forecast:write',
    params: IdParams, body: ForecastUpdate, response: Forecast,
    handler: ({ ctx, params, body }) => updateForecast(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/forecasts/:id', tag, summary: '删除销售预测', permission: 'forecast:write', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteForecast(ctx, params.id),
  });
}
