// 生产缺料 in the purchasing group's 缺料预警 digest: the production tasks that went short (a line per
// task: "MO-… 缺 盘条 120 千克，预计 2026-12-20 到货"), after the items below safety stock, if any.
import type { CardView } from '../../server/platform/channels.ts';
import type { ProductionShortagePayload, ShortagePayload } from '../../server/modules/notices/index.ts';
import { formatQuantity, miniAppUrl } from './format.ts';
import { shortageDigestCard, shortageDigestItems, shortageLine, type CardOptions } from './shortage.ts';

/** One task's line: each short material with its expected arrival. */
export function productionShortageLine(t: ProductionShortagePayload): string {
  const parts = t.lines.map((l) => `缺 ${l.name} ${formatQuantity(l.short, l.unit)}，${l.arrivalDate ? `预计 ${l.arrivalDate} 到货` : l.arrivalLabel}`);
  return `**${t.number}**（${t.itemName}）${parts.join('；')}`;
}

/** The shortage notice: items only → the item card or digest as before; with tasks → one digest of both. */
export function shortageNoticeCard(items: readonly ShortagePayload[], tasks: readonly ProductionShortagePayload[], opts: CardOptions & { maxLines?: number } = {}): CardView {
  const byTask = new Map<string, ProductionShortagePayload>();
  for (const t of tasks) byTask.set(t.taskId, t);
  const taskList = [...byTask.values()].sort((a, b) => a.plannedStart.localeCompare(b.plannedStart) || a.number.localeCompare(b.number));
  if (!taskList.length) return shortageDigestCard(items, opts);
  const itemList = shortageDigestItems(items);
  const max = Math.max(1, opts.maxLines ?? 15);
  const all = [...itemList.map(shortageLine), ...taskList.map(productionShortageLine)];
  const lines = all.slice(0, max);
  if (all.length > lines.length) lines.push(`……另有 ${all.length - lines.length} 条，请在小程序查看`);
  const none = taskList.some((t) => t.lines.some((l) => !l.arrivalDate));
  return {
    title: itemList.length ? `缺料预警：${itemList.length} 种物料低于安全库存，${taskList.length} 张生产任务单缺料` : `生产缺料：${taskList.length} 张生产任务单缺料`,
    tone: none ? 'danger' : 'warning',
    fields: [
      ...(itemList.length ? [{ label: '物料', value: `${itemList.length} 种` }] : []),
      { label: '缺料任务', value: `${taskList.length} 张` },
      { label: '无到货日期', value: `${taskList.filter((t) => t.lines.some((l) => !l.arrivalDate)).length} 张` },
    ],
    lines,
    link: { text: '查看足缺料分析', url: miniAppUrl(opts.baseUrl, 'production-shortage') },
    footer: '云桥 · 缺料预警',
  };
}
