// 通知投递进程内的循环: plan notices from the outbox, then send what is due, every pollMs.
// Several server processes may run it at once: planning and sending both claim rows with
// FOR UPDATE SKIP LOCKED (and sends hold a lease), so each notice goes out once.
import os from 'node:os';
import type { Database } from '../../server/db/database.ts';
import { sendDueDeliveries } from '../../server/modules/notices/index.ts';
import type { ChannelAdapter, Platform } from '../../server/platform/channels.ts';
import { planDeliveries } from './plan.ts';

export interface DeliveryWorkerOptions {
  pollMs: number;
  leaseMs: number;
  publicBaseUrl?: string;
  /** shortages younger than this wait so a burst becomes one digest */
  debounceMs?: number;
  backoffMs?: number;
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export interface DeliveryWorker {
  /** one round now (tests, and after a commit that wants its notice out soon) */
  runOnce(): Promise<void>;
  /** finish the round under way, then stop */
  stop(): Promise<void>;
}

export function startDeliveryWorker(database: Pick<Database, 'app' | 'system'>, adapters: ReadonlyMap<Platform, ChannelAdapter>, opts: DeliveryWorkerOptions): DeliveryWorker {
  const worker = `${os.hostname()}:${process.pid}`.slice(0, 64);
  const platforms = [...adapters.keys()];
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const round = async (): Promise<void> => {
    try {
      await planDeliveries(database, {
        platforms, publicBaseUrl: opts.publicBaseUrl, debounceMs: opts.debounceMs,
        onError: (err, companyId) => opts.log.error({ err, companyId }, '通知计划出错：该公司的通知逐条重排，出错的一条稍后重试'),
      });
      // Keep sending while a full batch came back; stop at the first short one.
      for (let i = 0; i < 50 && !stopped; i++) {
        const r = await sendDueDeliveries(database.system, adapters, { worker, leaseMs: opts.leaseMs, backoffMs: opts.backoffMs, limit: 20 });
        if (r.sent || r.failed || r.retried) opts.log.info(r, '通知投递');
        if (r.sent + r.retried + r.failed + r.postponed < 20) break;
      }
    } catch (e) {
      opts.log.error({ err: e }, '通知投递出错，稍后重试');
    }
  };
  const runOnce = (): Promise<void> => (running = running.then(round));
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void runOnce().then(schedule), opts.pollMs);
  };
  if (platforms.length) schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
