// 免登: the mini-app opened inside Feishu / WeCom / DingTalk sends the platform's one-time auth
// code; the platform tells us who that is; their bound Yunqiao account gets a session. An
// account signed in with a password can bind its platform identity the same way.
import type { PlatformBindRequest, PlatformSignInRequest, PlatformSignInResponse } from '../../../shared/schemas/auth.ts';
import { CHAT_PLATFORM_LABELS, type ChatPlatform } from '../../../shared/enums.ts';
import { ChannelError, type ChannelAdapter, type PlatformMember } from '../../platform/channels.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { runUseCase, type AppServices, type UseCaseContext } from '../../platform/services.ts';
import { startSession } from './service.ts';

/** The org each platform's app is installed in, when configured: pins the company. */
export function configuredOrgKey(services: AppServices, platform: ChatPlatform): string | undefined {
  const c = services.config;
  return { lark: c.LARK_TENANT_KEY, wecom: c.WECOM_CORP_ID, dingtalk: c.DINGTALK_CORP_ID, wechat: undefined }[platform];
}

/** The platform member (and organisation) behind a one-time auth code; 400 when the platform is off, 401 for a bad code. */
export async function platformMember(services: AppServices, platform: ChatPlatform, code: string): Promise<PlatformMember> {
  const adapter: ChannelAdapter | undefined = services.chat?.get(platform);
  if (!adapter?.memberFromAuthCode) throw new AppError('VALIDATION_FAILED', `${CHAT_PLATFORM_LABELS[platform]}未开启或不支持免登`, [{ field: 'params.platform', message: '平台未开启' }]);
  try {
    return await adapter.memberFromAuthCode(code);
  } catch (e) {
    if (e instanceof ChannelError && e.retryable) throw new AppError('BUSY', `${CHAT_PLATFORM_LABELS[platform]}暂时无法验证登录，请稍后再试`);
    if (e instanceof ChannelError) throw new AppError('UNAUTHENTICATED', `${CHAT_PLATFORM_LABELS[platform]}登录码无效或已过期，请重新打开应用（${e.message}）`);
    throw e;
  }
}

const whoIs = async (services: AppServices, platform: ChatPlatform, code: string): Promise<string> => (await platformMember(services, platform, code)).userId;

export async function signInWithPlatform(services: AppServices, platform: ChatPlatform, input: PlatformSignInRequest, requestId?: string): Promise<PlatformSignInResponse> {
  const member = await platformMember(services, platform, input.code);
  const externalUserId = member.userId;
  const system = services.database.system;
  // The organisation the code was issued in pins the company (one Feishu app serves every tenant
  // that installed it); when the platform does not name it, the configured organisation does.
  const orgKey = member.orgKey ?? configuredOrgKey(services, platform);
  const org = orgKey ? await system.companyPlatform.findUnique({ where: { platform_orgKey: { platform, orgKey } }, select: { companyId: true } }) : null;
  if (orgKey && !org) {
    throw new AppError('FORBIDDEN', `这个${CHAT_PLATFORM_LABELS[platform]}企业还没有开通云桥，请联系贵司管理员在云桥中完成企业绑定`);
  }
  const company = input.companyCode ? await system.company.findUnique({ where: { code: input.companyCode }, select: { id: true } }) : null;
  const identities = await system.platformIdentity.findMany({
    where: { platform, externalUserId, ...(org ? { companyId: org.companyId } : {}), ...(input.companyCode ? { companyId: company?.id ?? '00000000-0000-0000-0000-000000000000' } : {}) },
    select: { userId: true, companyId: true, user: { select: { active: true } } },
    take: 10,
  });
  if (identities.length > 1) {
    throw new AppError('VALIDATION_FAILED', '这个账号绑定了多个公司，请同时提供公司编码 companyCode', [{ field: 'body.companyCode', message: '必填' }]);
  }
  const identity = identities[0];
  if (!identity) {
    return {
      bound: false,
      message: `你的${CHAT_PLATFORM_LABELS[platform]}账号还没有绑定云桥用户：请用云桥账号密码登录一次，完成绑定`,
      bindToken: await services.tokens.signBinding({ platform, externalUserId, companyId: org?.companyId }),
    };
  }
  if (!identity.user.active) throw new AppError('UNAUTHENTICATED', '你的云桥账号已停用，请联系管理员');
  const session = await startSession(services.database.app, services.tokens, { id: identity.userId, companyId: identity.companyId }, requestId, { platform, externalUserId });
  return { bound: true, ...session };
}

/** 绑定: the signed-in user claims the platform identity behind the code. */
export async function bindPlatformIdentity(services: AppServices, ctx: UseCaseContext, platform: ChatPlatform, input: PlatformBindRequest): Promise<{ platform: ChatPlatform; externalUserId: string }> {
  let externalUserId: string;
  if (input.bindToken) {
    const claims = await services.tokens.verifyBinding(input.bindToken);
    if (claims.platform !== platform) throw invalid('body.bindToken', `这是${CHAT_PLATFORM_LABELS[claims.platform as ChatPlatform] ?? claims.platform}的绑定凭证`);
    if (claims.companyId && claims.companyId !== ctx.actor.companyId) throw new AppError('FORBIDDEN', '这个聊天账号属于另一家公司，不能绑定到你的账号');
    externalUserId = claims.externalUserId;
  } else {
    externalUserId = await whoIs(services, platform, input.code ?? '');
  }
  return runUseCase(ctx, async (tx) => {
    const taken = await tx.platformIdentity.findUnique({ where: { companyId_platform_externalUserId: { companyId: ctx.actor.companyId, platform, externalUserId } } });
    if (taken && taken.userId !== ctx.actor.userId) throw new AppError('CONFLICT', `这个${CHAT_PLATFORM_LABELS[platform]}账号已绑定到公司里的另一个用户，请联系管理员`);
    if (taken) return { platform, externalUserId };
    const before = await tx.platformIdentity.findUnique({ where: { companyId_userId_platform: { companyId: ctx.actor.companyId, userId: ctx.actor.userId, platform } } });
    await tx.platformIdentity.upsert({
      where: { companyId_userId_platform: { companyId: ctx.actor.companyId, userId: ctx.actor.userId, platform } },
      create: { companyId: ctx.actor.companyId, userId: ctx.actor.userId, platform, externalUserId },
      update: { externalUserId },
    });
    await recordAudit(tx, ctx, { action: 'bindPlatform', entity: 'user', entityId: ctx.actor.userId, before: before ? { platform, externalUserId: before.externalUserId } : undefined, after: { platform, externalUserId } });
    return { platform, externalUserId };
  });
}
