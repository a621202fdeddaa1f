// 老板日报: once a day, at the company's set time (Asia/Shanghai, 18:00 unless changed), one outbox
// event `finance.bossDaily` per company carrying the dashboard's figures and the bosses (role 总经理)
// to tell; the notice planner turns it into their cards. The day is claimed on the company's
// finance_settings row (boss_card_last_date), so however often and from however many processes this
// runs, a company gets one event a day.
import type { Database } from '../../../db/database.ts';
import { inCompany } from '../../../db/transaction.ts';
import { todayInShanghai } from '../currencies/rates.ts';
import { loadFinanceSettings } from '../settings/service.ts';
import { loadBossDashboard } from './service.ts';

export const BOSS_DAILY_EVENT = 'finance.bossDaily';

/** HH:MM of a moment in Asia/Shanghai. */
const shanghaiTime = (now: Date) => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

/** Writes the day's event for every company whose time has come and that has none yet; returns how many. */
export async function scheduleBossCards(database: Pick<Database, 'app' | 'system'>, now: Date = new Date()): Promise<number> {
  const date = todayInShanghai(now);
  const time = shanghaiTime(now);
  // The one cross-company read: which companies have not had today's card (the settings' own columns).
  const companies = await database.system.$queryRaw<{ id: string }[]>`
    SELECT c.id::text FROM company c LEFT JOIN finance_settings s ON s.company_id = c.id
     WHERE coalesce(s.boss_card_enabled, true) AND coalesce(s.boss_card_time, '18:00') <= ${time}
       AND s.boss_card_last_date IS DISTINCT FROM ${date}`;
  let written = 0;
  for (const { id: companyId } of companies) {
    written += await inCompany(database.app, companyId, async (tx) => {
      const settings = await loadFinanceSettings(tx);
      if (!settings.bossCardEnabled || settings.bossCardTime > time) return 0;
      const [claimed] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO finance_settings (id, company_id, boss_card_last_date, updated_at)
        VALUES (gen_random_uuid(), ${companyId}::uuid, ${date}, now())
        ON CONFLICT (company_id) DO UPDATE SET boss_card_last_date = EXCLUDED.boss_card_last_date
         WHERE finance_settings.boss_card_last_date IS DISTINCT FROM EXCLUDED.boss_card_last_date
        RETURNING id::text`;
      if (!claimed) return 0;
      const dashboard = await loadBossDashboard(tx, date);
      const bosses = await tx.$queryRaw<{ id: string }[]>`
        SELECT DISTINCT u.id::text FROM app_user u JOIN user_role ur ON ur.user_id = u.id JOIN role r ON r.id = ur.role_id
         WHERE r.code = 'boss' AND u.active`;
      await tx.$executeRaw`
        INSERT INTO outbox_event (company_id, type, aggregate, aggregate_id, payload)
        VALUES (${companyId}::uuid, ${BOSS_DAILY_EVENT}, 'company', ${date}, ${JSON.stringify({ ...dashboard, userIds: bosses.map((b) => b.id) })}::jsonb)`;
      return 1;
    });
  }
  return written;
}

export interface BossCardScheduler {
  stop(): void;
}

/** Checks every minute (the bot worker's process runs it). */
export function startBossCardScheduler(database: Pick<Database, 'app' | 'system'>, log: { error(obj: object, msg?: string): void }, everyMs = 60_000): BossCardScheduler {
  const timer = setInterval(() => {
    scheduleBossCards(database).catch((err: unknown) => log.error({ err }, '老板日报排程出错，下一分钟重试'));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
