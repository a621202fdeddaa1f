// Who is running the company's MRP, for the messages that tell a second run or a BOM edit to wait.
import type { Tx } from '../../../db/transaction.ts';
import { isoShanghai } from '../../../../shared/time.ts';

/** A run still "running" after this long died with its process: it no longer blocks a new one (nor a BOM edit). */
export const STALE_RUN_MS = 30 * 60_000;

/** 「孙计划 正在运行物料需求计算（09:30 开始）」, or null when no run is in progress. */
export async function runningMrpRun(tx: Tx): Promise<string | null> {
  const running = await tx.mrpRun.findFirst({
    where: { state: 'running', startedAt: { gte: new Date(Date.now() - STALE_RUN_MS) } }, orderBy: { startedAt: 'asc' },
  });
  if (!running) return null;
  const who = (await tx.user.findUnique({ where: { id: running.startedById }, select: { name: true } }))?.name ?? '他人';
  return `${who} 正在运行物料需求计算（${isoShanghai(running.startedAt).slice(11, 16)} 开始）`;
}
