// The chat side of a running server: the platforms that are switched on, WeChat groups (a live
// wechaty login), the delivery worker and the hourly retention job (server/modules/notices/retention.ts). main.ts starts it after the HTTP app is built.
import { startBossCardScheduler } from '../server/modules/finance/index.ts';
import { startOverdueDigestScheduler } from '../server/modules/sales/index.ts';
import { startFollowUpReminderScheduler } from '../server/modules/crm/index.ts';
import { startRetentionJob } from '../server/modules/notices/index.ts';
import { registerWechatOrganisation } from '../server/modules/org/index.ts';
import type { AppServices } from '../server/platform/services.ts';
import { chatMessageHandler } from './callbacks.ts';
import { WechatChannel } from './channels/wechat/adapter.ts';
import { startDeliveryWorker } from './delivery/worker.ts';
import { alreadySeen, forgetSeen, INBOUND_RETENTION_MS } from './inbound.ts';
import type { ChannelAdapter, Platform } from '../server/platform/channels.ts';

export interface ChatRuntime {
  stop(): Promise<void>;
}

/**
 * Starts WeChat (when WECHATY_PUPPET is set: its adapter joins `adapters`, the same map the
 * callbacks and the worker read) and the delivery worker.
 */
export function startChatRuntime(services: AppServices & { tokens: AppServices['tokens'] }, adapters: Map<Platform, ChannelAdapter>): ChatRuntime {
  const { config, database, log } = services;
  const wechat = WechatChannel.fromConfig(config, {
    log,
    onLogin: (selfId) => registerWechatBot(services, selfId),
  });
  if (wechat) {
    adapters.set('wechat', wechat);
    wechat.start(chatMessageHandler(services, adapters), {
      seen: (id) => alreadySeen(database.system, 'wechat', id),
      forget: (id) => forgetSeen(database.system, 'wechat', id),
    })
      .catch((e: unknown) => log.error({ err: e }, '微信群启动失败'));
  }
  const worker = startDeliveryWorker(database, adapters, {
    pollMs: config.DELIVERY_POLL_MS, leaseMs: config.DELIVERY_LEASE_MS, publicBaseUrl: config.PUBLIC_BASE_URL, log,
  });
  const retention = startRetentionJob(database.system, {
    outboxRetentionDays: config.OUTBOX_RETENTION_DAYS, inboundRetentionMs: INBOUND_RETENTION_MS, log,
  });
  // 老板日报: one outbox event per company per day at its set time; the worker above plans and sends
  // it (with no chat platform on there is no one to send it to, so none is written).
  const bossCards = adapters.size ? startBossCardScheduler(database, log) : null;
  // 逾期应收周提醒: one digest per salesperson per ISO week, planned and sent by the same worker.
  const overdueDigests = adapters.size ? startOverdueDigestScheduler(database, log) : null;
  // 跟进提醒: one card per follow-up on its next contact day, to the salesperson who wrote it.
  const followUpReminders = adapters.size ? startFollowUpReminderScheduler(database, log) : null;
  return {
    async stop() {
      bossCards?.stop();
      overdueDigests?.stop();
      followUpReminders?.stop();
      retention.stop();
      await worker.stop();
      await wechat?.stop();
    },
  };
}

/**
 * The WeChat bot's own id is only known after its QR login: it becomes the org key of the company
 * named by WECHATY_COMPANY_CODE (or the only company in the database).
 */
async function registerWechatBot(services: AppServices, selfId: string): Promise<void> {
  const code = services.config.WECHATY_COMPANY_CODE;
  const registered = await registerWechatOrganisation(services.database.system, selfId, code);
  if (!registered) {
    services.log.warn({ selfId }, code ? `微信：没有编码为 ${code} 的公司` : '微信：数据库里有多家公司，请设置 WECHATY_COMPANY_CODE 指定机器人属于哪家');
    return;
  }
  services.log.info({ selfId }, `微信：机器人已登记到 ${registered.companyName}`);
}
