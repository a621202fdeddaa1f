// JS-SDK configuration: what the mini-app passes to Feishu's h5sdk.config, WeCom's ww.register
// (config and agentConfig) and DingTalk's dd.config. The signature is computed here from the
// platform's jsapi ticket, which the channel adapter caches (one fetch at a time, refreshed shortly
// before it expires) and which never leaves the server. Only pages of our own mini-app are signed.
import type { JssdkConfig, JssdkConfigQuery } from '../../../shared/schemas/jssdk.ts';
import { CHAT_PLATFORM_LABELS } from '../../../shared/enums.ts';
import { ChannelError, type ChannelAdapter, type JsapiTicketKind } from '../../platform/channels.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { runUseCase, type AppServices, type UseCaseContext } from '../../platform/services.ts';
import { configuredOrgKey } from './platform.ts';
import { jssdkSignature, nonceStr, signableUrl, timestampFor, type JssdkPlatform } from './jssdk-sign.ts';

export async function jssdkConfig(services: AppServices, ctx: UseCaseContext, input: JssdkConfigQuery, now = Date.now): Promise<JssdkConfig> {
  const { platform, url } = input;
  const label = CHAT_PLATFORM_LABELS[platform];
  const base = services.config.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  if (!base) throw invalid('query.url', '服务器没有设置外网地址 PUBLIC_BASE_URL，不能为页面签名，请联系管理员');
  if (!signableUrl(url, base)) throw invalid('query.url', `只能为本系统移动端页面签名（${base}/m/ 下的地址）`);

  const adapter = services.chat?.get(platform);
  if (!adapter?.jsapiTicket) throw invalid('query.platform', `${label}未开启，不能使用${label}的 JS-SDK`);
  const orgKey = configuredOrgKey(services, platform);
  const bound = await runUseCase(ctx, (tx) => tx.companyPlatform.findFirst({ where: { platform, ...(orgKey ? { orgKey } : {}) }, select: { orgKey: true } }));
  if (!bound) throw invalid('query.platform', `贵司还没有绑定${label}企业，不能使用${label}的 JS-SDK，请联系管理员`);

  const c = services.config;
  const sign = async (kind: JsapiTicketKind = 'corp') => {
    const ticket = await ticketOf(adapter, platform, kind);
    const timestamp = timestampFor(platform, now());
    const nonce = nonceStr();
    return { timestamp, nonceStr: nonce, signature: jssdkSignature(platform, { ticket, nonceStr: nonce, timestamp, url }) };
  };
  switch (platform) {
    case 'wecom': {
      const [config, agentConfig] = await Promise.all([sign('corp'), sign('agent')]);
      return { platform, url, corpId: c.WECOM_CORP_ID ?? bound.orgKey, agentId: c.WECOM_AGENT_ID ?? '', config, agentConfig };
    }
    case 'lark':
      return { platform, url, appId: c.LARK_APP_ID ?? '', ...(await sign()) };
    case 'dingtalk': {
      if (!c.DINGTALK_AGENT_ID) throw invalid('query.platform', '钉钉微应用的 AgentId（DINGTALK_AGENT_ID）没有设置，不能使用钉钉的 JS-API，请联系管理员');
      const { timestamp, ...rest } = await sign();
      return { platform, url, corpId: c.DINGTALK_CORP_ID ?? bound.orgKey, agentId: c.DINGTALK_AGENT_ID, timeStamp: timestamp, ...rest };
    }
  }
}

async function ticketOf(adapter: ChannelAdapter, platform: JssdkPlatform, kind: JsapiTicketKind): Promise<string> {
  try {
    return await adapter.jsapiTicket!(kind);
  } catch (e) {
    if (e instanceof ChannelError) throw new AppError('BUSY', `${CHAT_PLATFORM_LABELS[platform]}暂时无法提供 JS-SDK 签名，请稍后再试`);
    throw e;
  }
}
