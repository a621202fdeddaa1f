// What every start does to the data before serving: the demo company and its documents on an
// empty database, the configured IM organisations bound to the demo company (on every start, so
// settings added later take effect), and warnings about settings that make chat links useless.
import { bindDemoOrganisations, DEMO_COMPANY, DEMO_PASSWORD, seedDemoCompany, seedDemoDocuments } from '../prisma/seed.ts';
import { CHAT_PLATFORM_LABELS, type ChatPlatform } from '../shared/enums.ts';
import type { Database } from './db/database.ts';
import type { Config } from './platform/config.ts';

export interface StartupLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export async function prepareData(database: Database, config: Config, log: StartupLog): Promise<void> {
  const seeded = await seedDemoCompany(database.system, { onlyIfEmpty: true, env: {}, log: (m) => log.info(m) });
  if (seeded) {
    log.info(`已写入演示公司数据：${DEMO_COMPANY.name}（密码 ${DEMO_PASSWORD}）`);
    await seedDemoDocuments(database, (m) => log.info(m));
  }
  const bound = await database.system.$transaction((tx) => bindDemoOrganisations(tx, config));
  for (const b of bound) (b.warning ? log.warn(b.message) : log.info(b.message));
}

/** Warnings about the chat settings: a switched-on platform without PUBLIC_BASE_URL sends links that open nowhere. */
export function chatSettingWarnings(config: Pick<Config, 'PUBLIC_BASE_URL'>, platformsOn: readonly ChatPlatform[]): string[] {
  if (config.PUBLIC_BASE_URL || !platformsOn.length) return [];
  const names = platformsOn.map((p) => CHAT_PLATFORM_LABELS[p]).join('、');
  return [`已开启${names}，但没有设置 PUBLIC_BASE_URL：卡片和机器人回复里的移动端链接是相对地址（/m/#/…），在聊天里点不开。请设为外网可访问的地址，如 https://erp.example.cn`];
}
