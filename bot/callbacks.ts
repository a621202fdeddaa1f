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
import { answerChat } from './commands/run.ts';
import { alreadySeen } from './inbound.ts';
import type { ChannelAdapter, InboundMessage, Platform } from './types.ts';

export function chatAdapters(config: AppServices['config']): Map<Platform, ChannelAdapter> {
  const all: [Platform, ChannelAdapter | null][] = [
    ['lark', LarkAdapter.fromConfig(config)],
    ['wecom', WecomAdapter.fromConfig(config)],
    ['dingtalk', DingTalkAdapter.fromConfig(config)],
  ];
  return new Map(all.filter((e): e is [Platform, ChannelAdapter] => e[1] !== null));
}

export function chatCallbacksRouter(services: AppServices): Router {
  const { config, database } = services;
  const adapters = chatAdapters(config);
  const log = (msg: string, err?: unknown) => services.log.warn({ err }, msg);
  const seen = (platform: Platform) => (id: string) => alreadySeen(database.system, platform, id);
  const onMessage = async (msg: InboundMessage): Promise<{ text?: string }> => {
    const reply = await answerChat({ database, config, log: services.log }, msg);
    if (reply.privateToAsker && msg.chatType === 'group') {
      const adapter = adapters.get(msg.platform);
      const target = { platform: msg.platform, kind: 'user' as const, id: msg.senderId };
      await (reply.card ? adapter?.sendCard(target, reply.card) : adapter?.sendText(target, reply.text))?.catch((e: unknown) => log('私信发送失败', e));
      return { text: reply.groupPointer ?? '' };
    }
    return { text: reply.text };
  };
  const router = express.Router();
  router.use('/lark', createLarkCallbackRouter({ config, onMessage, seen: seen('lark'), log }));
  router.use('/wecom', createWecomCallbackRouter({ config, onMessage, seen: seen('wecom'), log }));
  router.use('/dingtalk', createDingTalkCallbackRouter({ config, onMessage, seen: seen('dingtalk'), log }));
  return router;
}
