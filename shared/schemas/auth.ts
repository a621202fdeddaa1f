import { z } from './common.ts';

export const LoginRequest = z
  .object({
    username: z.string({ message: '请输入用户名' }).trim().min(1, '请输入用户名').max(50, '用户名最长 50 个字符'),
    password: z.string({ message: '请输入密码' }).min(1, '请输入密码').max(100, '密码最长 100 个字符'),
    companyCode: z.string().trim().max(32).optional().openapi({ description: '同名账号存在于多个公司时，指定公司编码' }),
  })
  .openapi('LoginRequest');

export const CurrentUser = z
  .object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    companyId: z.string(),
    companyName: z.string(),
    departmentId: z.string().nullable(),
    departmentName: z.string().nullable(),
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
    dataScope: z.enum(['own', 'department', 'all']),
  })
  .openapi('CurrentUser');

export const LoginResponse = z.object({ token: z.string(), user: CurrentUser }).openapi('LoginResponse');

const AuthCode = z.string({ message: '缺少登录码 code' }).trim().min(1, '缺少登录码 code').max(512, '登录码过长');

export const PlatformParams = z.object({
  platform: z.enum(['lark', 'wecom', 'dingtalk'], { message: '只能是 lark（飞书）、wecom（企业微信）或 dingtalk（钉钉）' }),
});

/** binding also works for WeChat groups (with the bindToken from the bot's private link) */
export const BindPlatformParams = z.object({
  platform: z.enum(['lark', 'wecom', 'dingtalk', 'wechat'], { message: '只能是 lark（飞书）、wecom（企业微信）、dingtalk（钉钉）或 wechat（微信）' }),
});

export const PlatformSignInRequest = z
  .object({
    code: AuthCode.openapi({ description: '飞书 tt.requestAccess / 企业微信 OAuth / 钉钉 requestAuthCode 拿到的一次性 code' }),
    companyCode: z.string().trim().max(32).optional().openapi({ description: '同一账号绑定了多个公司时，指定公司编码' }),
  })
  .openapi('PlatformSignInRequest');

export const PlatformBindRequest = z
  .object({
    code: AuthCode.optional(),
    bindToken: z.string().trim().min(1).max(2000).optional().openapi({ description: '免登时未绑定返回的 bindToken（10 分钟有效）' }),
  })
  .refine((b) => !!b.code !== !!b.bindToken, { message: '请提供 code 或 bindToken 其中之一', path: ['code'] })
  .openapi('PlatformBindRequest');

export const PlatformSignInResponse = z
  .discriminatedUnion('bound', [
    LoginResponse.extend({ bound: z.literal(true) }),
    z.object({
      bound: z.literal(false),
      message: z.string(),
      bindToken: z.string().openapi({ description: '用云桥账号密码登录后，提交到 /auth/platform/{platform}/bind 完成绑定' }),
    }),
  ])
  .openapi('PlatformSignInResponse');
export const PlatformBinding = z.object({ platform: z.string(), externalUserId: z.string() }).openapi('PlatformBinding');

export type LoginRequest = z.infer<typeof LoginRequest>;
export type PlatformSignInRequest = z.infer<typeof PlatformSignInRequest>;
export type PlatformBindRequest = z.infer<typeof PlatformBindRequest>;
export type PlatformSignInResponse = z.infer<typeof PlatformSignInResponse>;
export type CurrentUser = z.infer<typeof CurrentUser>;
export type LoginResponse = z.infer<typeof LoginResponse>;
export type PlatformBinding = z.infer<typeof PlatformBinding>;
