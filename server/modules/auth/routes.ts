import { CurrentUser, LoginRequest, LoginResponse } from '../../../shared/schemas/auth.ts';
import type { ApiRouter } from '../../platform/http.ts';
import { currentUser, login } from './service.ts';

export function authRoutes(api: ApiRouter): void {
  api.route({
    method: 'post', path: '/auth/login', tag: '认证', summary: '用户名密码登录，返回 JWT', permission: 'public',
    body: LoginRequest, response: LoginResponse,
    handler: ({ services, body, requestId }) => login(services.database, services.tokens, body, requestId),
  });
  api.route({
    method: 'get', path: '/auth/me', tag: '认证', summary: '当前登录用户', permission: null,
    response: CurrentUser,
    handler: ({ services, actor }) => currentUser(services.database.app, actor),
  });
}
