import { IdParams } from '../../../../shared/schemas/common.ts';
import { ColleagueListQuery, ColleaguePage, IdentityCreate, IdentityParams, PasswordReset, User, UserCreate, UserListQuery, UserPage, UserUpdate } from '../../../../shared/schemas/org.ts';
import type { ApiRouter } from '../../../platform/http.ts';
import { bindIdentity, createUser, deleteUser, getUser, listColleagues, listUsers, resetPassword, unbindIdentity, unlockLogin, updateUser } from './service.ts';

export function userRoutes(api: ApiRouter): void {
  const tag = '用户';
  api.route({
    method: 'get', path: '/users', tag, summary: '用户列表（分页、搜索、按部门/角色/状态筛选）', permission: 'user:read',
    query: UserListQuery, response: UserPage,
    handler: ({ ctx, query }) => listUsers(ctx, query),
  });
  api.route({
    method: 'get', path: '/colleagues', tag, summary: '通讯录：在职同事的姓名与部门（任何登录用户可查，用于转交/加签选人；不含手机、邮箱）', permission: null,
    query: ColleagueListQuery, response: ColleaguePage,
    handler: ({ ctx, query }) => listColleagues(ctx, query),
  });
  api.route({
    method: 'get', path: '/users/:id', tag, summary: '用户详情（含角色与平台身份绑定）', permission: 'user:read',
    params: IdParams, response: User,
    handler: ({ ctx, params }) => getUser(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/users', tag, summary: '新增用户', permission: 'user:create', status: 201,
    body: UserCreate, response: User,
    handler: ({ ctx, body }) => createUser(ctx, body),
  });
  api.route({
    method: 'patch', path: '/users/:id', tag, summary: '修改用户（需提交 version；roleIds 整体替换）', permission: 'user:update',
    params: IdParams, body: UserUpdate, response: User,
    handler: ({ ctx, params, body }) => updateUser(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/users/:id', tag, summary: '删除用户（负责客户的用户请改为停用）', permission: 'user:delete', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => deleteUser(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/users/:id/password', tag, summary: '重置用户密码', permission: 'user:update', status: 204,
    params: IdParams, body: PasswordReset,
    handler: ({ ctx, params, body }) => resetPassword(ctx, params.id, body.password),
  });
  api.route({
    method: 'post', path: '/users/:id/unlock', tag, summary: '解锁因连续登录失败被锁定的账号（清除该账号的失败次数）', permission: 'user:update', status: 204,
    params: IdParams,
    handler: ({ ctx, params }) => unlockLogin(ctx, params.id),
  });
  api.route({
    method: 'post', path: '/users/:id/identities', tag, summary: '绑定平台身份（飞书/企业微信/钉钉/微信）', permission: 'user:update', status: 201,
    params: IdParams, body: IdentityCreate, response: User,
    handler: ({ ctx, params, body }) => bindIdentity(ctx, params.id, body),
  });
  api.route({
    method: 'delete', path: '/users/:id/identities/:identityId', tag, summary: '解除平台身份绑定', permission: 'user:update', status: 204,
    params: IdentityParams,
    handler: ({ ctx, params }) => unbindIdentity(ctx, params.id, params.identityId),
  });
}
