import { Company, CompanyUpdate, PlatformBind, PlatformIdParams } from '../../../../shared/schemas/company.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { bindPlatform, getCompany, unbindPlatform, updateCompany } from './service.ts';

export function companyRoutes(api: ApiRouter): void {
  const tag = '公司设置';
  api.route({
    method: 'get', path: '/company', tag, summary: '当前公司信息与已绑定的 IM 组织', permission: null,
    response: Company, handler: ({ ctx }) => getCompany(ctx),
  });
  api.route({
    method: 'patch', path: '/company', tag, summary: '修改公司信息', permission: 'company:update',
    body: CompanyUpdate, response: Company, handler: ({ ctx, body }) => updateCompany(ctx, body),
  });
  api.route({
    method: 'post', path: '/company/platforms', tag, summary: '绑定当前所在的 IM 组织：在该平台内打开云桥，提交平台的一次性登录码；绑定登录码所属的组织（飞书 tenant_key / 企业微信 corpid / 钉钉 corpId）', permission: 'company:update',
    body: PlatformBind, response: Company, status: 201, handler: ({ ctx, body, services }) => bindPlatform(services, ctx, body),
  });
  api.route({
    method: 'delete', path: '/company/platforms/:id', tag, summary: '解除 IM 组织绑定', permission: 'company:update',
    params: PlatformIdParams, response: Company, handler: ({ ctx, params }) => unbindPlatform(ctx, params.id),
  });
}
