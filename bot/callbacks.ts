// Mounts every platform's callback router under /callbacks: verified inbound messages are
// answered by the bot commands (with the asker's permissions), each event id acted on once.
// An answer only the asker may see goes to them 1:1; the group gets a short pointer.
import express, { type Router } from 'express';
import type { AppServices } from '../server/platform/services.ts';
import { DingTalkAdapter } from './channels/dingtalk/adapter.ts';
import { createDingTalkCallbackRouter } from './channels/dingtalk/routes.ts';
import { LarkAdapter } from './channels/lark/adapter.ts';
import { createLarkCallbackRouter } from './channels/lark/routes.ts';
import { WecomAdapter } from './channels/wecom/adapter.ts';
import { createWecomCallbackRouter } from './channels/wecom/routes.ts';
import { CHAT_PLATFORM_LABELS } from '../shared/enums.ts';
import { handleApprovalClick, type CardClick } from './approvals/click.ts';
import { handleMrpReleaseClick } from './mrp/click.ts';
import { APPROVAL_COMMENT_INPUT } from './cards/approval.ts';
import { answerChat } from './commands/run.ts';
import { alreadySeen, forgetSeen } from './inbound.ts';
import type { ChannelAdapter, InboundMessage, Platform } from '../server/platform/channels.ts';

/** One line per platform saying whether it is on (logged once at start). */
export function describeChatPlatforms(config: AppServices['config']): string[] {
  const on = chatAdapters(config);
  const need: Record<Platform, string> = {
    lark: 'LARK_APP_ID、LARK_APP_SECRET',
    wecom: 'WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET',
    dingtalk: 'DINGTALK_APP_KEY、DINGTALK_APP_SECRET',
    wechat: 'WECHATY_PUPPET',
  };
  return (Object.keys(need) as Platform[]).map((p) =>
    p === 'wechat' ? (config.WECHATY_PUPPET ? `微信群：已开启（${config.WECHATY_PUPPET}）` : `微信群：未配置（${need[p]}），已关闭`)
      : on.has(p) ? `${CHAT_PLATFORM_LABELS[p]}：已开启` : `${CHAT_PLATFORM_LABELS[p]}：未配置（${need[p]}），已关闭`);
}

export function chatAdapters(config: AppServices['config']): Map<Platform, ChannelAdapter> {
  const all: [Platform, ChannelAdapter | null][] = [
    ['lark', LarkAdapter.fromConfig(config)],
    ['wecom', WecomAdapter.fromConfig(config)],
    ['dingtalk', DingTalkAdapter.fromConfig(config)],
  ];
  return new Map(all.filter((e): e is [Platform, ChannelAdapter] => e[1] !== null));
}

export interface ChatMessageDeps {
  database: AppServices['database'];
  config: AppServices['config'];
  log: AppServices['log'];
  tokens?: AppServices['tokens'];
}

/**
 * One verified chat message → what to say in the chat it came from. An answer for the asker
 * alone is sent to them 1:1 here, and the chat gets a short pointer instead.
 */
export function chatMessageHandler(deps: ChatMessageDeps, adapters: ReadonlyMap<Platform, ChannelAdapter>): (msg: InboundMessage) => Promise<{ text?: string }> {
  const { database, config, log, tokens } = deps;
  return async (msg) => {
    const reply = await answerChat({ database, config, log, tokens }, msg);
    if (reply.cardsToAsker?.length) {
      const adapter = adapters.get(msg.platform);
      const target = { platform: msg.platform, kind: 'user' as const, id: msg.senderId };
      try {
        if (!adapter) throw new Error('platform off');
        for (const [i, card] of reply.cardsToAsker.entries()) await adapter.sendCard(target, card, { idempotencyKey: `reply-${msg.messageId}-${i}` });
      } catch (e) {
        log.warn({ err: e }, '私信发送失败');
        if (msg.chatType === 'group') return { text: `@${msg.senderName || '你'} 私信发送失败：请先和我单聊（微信需先加好友）后再问。` };
      }
      return { text: msg.chatType === 'group' ? reply.groupPointer ?? '' : reply.text };
    }
    if (reply.privateToAsker && msg.chatType === 'group') {
      const adapter = adapters.get(msg.platform);
      const target = { platform: msg.platform, kind: 'user' as const, id: msg.senderId };
      const opts = { idempotencyKey: `reply-${msg.messageId}` };
      try {
        if (!adapter) throw new Error('platform off');
        await (reply.card ? adapter.sendCard(target, reply.card, opts) : adapter.sendText(target, reply.text, opts));
      } catch (e) {
        // Never post the private answer in the group; say why nothing arrived instead.
        log.warn({ err: e }, '私信发送失败');
        return { text: `@${msg.senderName || '你'} 私信发送失败：请先和我单聊（微信需先加好友）后再问。` };
      }
      return { text: reply.groupPointer ?? '' };
    }
    return { text: reply.text };
  };
}

export function chatCallbacksRouter(services: AppServices, adapters: ReadonlyMap<Platform, ChannelAdapter> = chatAdapters(services.config)): Router {
  const { config, database } = services;
  const log = (msg: string, err?: unknown) => services.log.warn({ err }, msg);
  // One claim store for every platform (bot/inbound.ts handleOnce): claim, handle, release on failure.
  const claims = (platform: Platform) => ({
    seen: (id: string) => alreadySeen(database.system, platform, id),
    forget: (id: string) => forgetSeen(database.system, platform, id),
  });
  const onMessage = chatMessageHandler(services, adapters);
  const router = express.Router();
  // The routers answer through the same adapters the delivery worker uses (one token each).
  const lark = adapters.get('lark');
  const wecom = adapters.get('wecom');
  const dingtalk = adapters.get('dingtalk');
  // 同意 / 驳回 clicked on an approval card: decided as the bound user; the clicker's card shows the result.
  // 一键投放 on the planner group's MRP card: released as the bound user (once, whoever taps).
  const click = async (c: CardClick) => (await handleApprovalClick({ database, config }, c)) ?? handleMrpReleaseClick({ database }, c);
  router.use('/lark', createLarkCallbackRouter({
    config, onMessage, ...claims('lark'), log, adapter: lark instanceof LarkAdapter ? lark : null,
    onCardAction: async (a) => (await click({
      platform: 'lark', orgKey: a.orgKey, operatorId: a.operatorId, value: a.value, eventId: a.eventId,
      // The card's 审批意见 input (bot/channels/lark/render.ts) came with the click: a 驳回 with it
      // empty is asked for a reason. A card without the form (sent before it existed) gets the default.
      comment: a.formValue?.[APPROVAL_COMMENT_INPUT.name], reasonAsked: a.formValue !== undefined,
    })) ?? undefined,
  }));
  router.use('/wecom', createWecomCallbackRouter({
    config, onMessage, ...claims('wecom'), log, adapter: wecom instanceof WecomAdapter ? wecom : null,
    onCardAction: async (a) => {
      const r = await click({ platform: 'wecom', orgKey: a.orgKey, operatorId: a.operatorId, value: a.value, eventId: a.eventId });
      return r ? (r.card ? { card: r.card } : { replaceButtonText: r.toast.content.slice(0, 20) }) : undefined;
    },
  }));
  router.use('/dingtalk', createDingTalkCallbackRouter({
    config, onMessage, ...claims('dingtalk'), log, adapter: dingtalk instanceof DingTalkAdapter ? dingtalk : null,
    onCardAction: async (a) => {
      const r = await click({ platform: 'dingtalk', orgKey: a.orgKey, operatorId: a.userId, value: a.params, eventId: a.eventId });
      return r?.card ? { card: r.card } : undefined;
    },
  }));
  return router;
}
