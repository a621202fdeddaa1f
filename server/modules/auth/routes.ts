import { BindPlatformParams, CurrentUser, LoginRequest, LoginResponse, PlatformBindRequest, PlatformBinding, PlatformParams, PlatformSignInRequest, PlatformSignInResponse } from '../../../shared/schemas/auth.ts';
import { JssdkConfig, JssdkConfigQuery } from '../../../shared/schemas/jssdk.ts';
import { bindPlatformIdentity, signInWithPlatform } from './platform.ts';
import { jssdkConfig } from './jssdk.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { currentUser, login } from './service.ts';
import { LoginThrottled } from './throttle.ts';

export function authRoutes(api: ApiRouter): void {
  api.route({
    method: 'post', path: '/auth/login', tag: '认证', summary: '用户名密码登录，返回 JWT（按账号与 IP 限速：连续失败后需等待，返回 429 与 Retry-After；账号失败 20 次锁定 15 分钟）', permission: 'public',
    body: LoginRequest, response: LoginResponse,
    handler: ({ services, body, requestId, req, res }) =>
      login(services.database, services.tokens, body, { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', requestId }).catch((e: unknown) => {
        if (e instanceof LoginThrottled) res.setHeader('Retry-After', String(e.retryAfterSeconds));
        throw e;
      }),
  });
  api.route({
    method: 'post', path: '/auth/platform/:platform', tag: '认证', summary: '免登：用飞书 / 企业微信 / 钉钉的一次性登录码换取 JWT', permission: 'public',
    params: PlatformParams, body: PlatformSignInRequest, response: PlatformSignInResponse,
    handler: ({ services, params, body, requestId }) => signInWithPlatform(services, params.platform, body, requestId),
  });
  api.route({
    method: 'post', path: '/auth/platform/:platform/bind', tag: '认证', summary: '把当前云桥账号绑定到飞书 / 企业微信 / 钉钉账号（用一次性登录码）', permission: null,
    params: BindPlatformParams, body: PlatformBindRequest, response: PlatformBinding,
    handler: ({ services, ctx, params, body }) => bindPlatformIdentity(services, ctx, params.platform, body),
  });
  api.route({
    method: 'get', path: '/auth/me', tag: '认证', summary: '当前登录用户', permission: null,
    response: CurrentUser,
    handler: ({ services, actor }) => currentUser(services.database.app, actor),
  });
  api.route({
    method: 'get', path: '/platform/jssdk-config', tag: '认证',
    summary: 'JS-SDK 鉴权参数：飞书 h5sdk.config、企业微信 ww.register（config 与 agentConfig）、钉钉 dd.config；服务端用缓存的 jsapi_ticket 签名（票据不下发），只签移动端 PUBLIC_BASE_URL/m/ 下的页面',
    permission: null,
    query: JssdkConfigQuery, response: JssdkConfig,
    handler: ({ services, ctx, query }) => jssdkConfig(services, ctx, query),
  });
}
