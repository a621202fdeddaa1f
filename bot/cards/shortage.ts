// 缺料预警 cards: one item, or a digest of many that went short at once (one card per group).
import { Decimal } from 'decimal.js';
import type { CardView } from '../../server/platform/channels.ts';
import { formatQuantity, miniAppUrl } from './format.ts';
import type { ShortagePayload } from '../../server/modules/notices/index.ts';

export interface CardOptions {
  /** PUBLIC_BASE_URL: links point into the mini-app under it */
  baseUrl?: string;
}

/** How far below safety stock the item is (never negative). */
export function shortageGap(p: Pick<ShortagePayload, 'available' | 'safetyStock'>): Decimal {
  return Decimal.max(0, new Decimal(p.safetyStock).minus(p.available));
}

const none = (p: ShortagePayload) => !new Decimal(p.available).gt(0);

export function shortageCard(p: ShortagePayload, opts: CardOptions = {}): CardView {
  const q = (v: string) => formatQuantity(v, p.unit);
  return {
    title: `缺料预警：${p.name}`,
    tone: none(p) ? 'danger' : 'warning',
    fields: [
      { label: '物料编码', value: p.code },
      { label: '可用', value: q(p.available) },
      { label: '安全库存', value: q(p.safetyStock) },
      { label: '缺口', value: q(shortageGap(p).toString()) },
      { label: '在订', value: q(p.onOrder) },
      { label: '建议采购', value: q(p.suggestedQuantity) },
    ],
    lines: [...(p.spec ? [`规格：${p.spec}`] : []), '可用库存已低于安全库存，请安排采购或生产。'],
    link: { text: '查看库存', url: miniAppUrl(opts.baseUrl, `stock/${p.itemId}`) },
    footer: '云桥 · 缺料预警',
  };
}

/**
 * Many shortages in one card: a line per item, the biggest gap first (then by code); the same
 * item twice counts once (the later figures win). One item gives the single-item card.
 */
/** The digest's items: the same item twice counts once (the later figures win), the biggest gap first (then by code). */
export function shortageDigestItems(items: readonly ShortagePayload[]): ShortagePayload[] {
  const byItem = new Map<string, ShortagePayload>();
  for (const p of items) byItem.set(p.itemId, p);
  return [...byItem.values()].sort((a, b) => shortageGap(b).comparedTo(shortageGap(a)) || a.code.localeCompare(b.code));
}

/** One item's line in a digest. */
export function shortageLine(p: ShortagePayload): string {
  const q = (v: string | Decimal) => formatQuantity(v.toString(), p.unit);
  return `**${p.name}**（${p.code}）可用 ${q(p.available)} / 安全 ${q(p.safetyStock)}，缺 ${q(shortageGap(p))}，在订 ${q(p.onOrder)}，建议采购 ${q(p.suggestedQuantity)}`;
}

export function shortageDigestCard(items: readonly ShortagePayload[], opts: CardOptions & { maxLines?: number } = {}): CardView {
  const list = shortageDigestItems(items);
  if (list.length === 1) return shortageCard(list[0]!, opts);
  const max = Math.max(1, opts.maxLines ?? 15);
  const shown = list.slice(0, max);
  const lines = shown.map(shortageLine);
  if (list.length > shown.length) lines.push(`……另有 ${list.length - shown.length} 种物料，请在小程序查看`);
  const empty = list.filter(none).length;
  return {
    title: `缺料预警：${list.length} 种物料低于安全库存`,
    tone: empty > 0 ? 'danger' : 'warning',
    fields: [
      { label: '物料', value: `${list.length} 种` },
      { label: '已无可用库存', value: `${empty} 种` },
    ],
    lines,
    link: { text: '查看全部缺料', url: miniAppUrl(opts.baseUrl, 'stock?belowSafety=true') },
    footer: '云桥 · 缺料预警',
  };
}
