// 库存 answers: one item per warehouse (在库 / 预留 / 可用 / 在订) with its safety stock, or the
// candidates when the keyword matched several items.
import { Decimal } from 'decimal.js';
import type { StockItemRef, StockPosition } from '../../shared/schemas/stock.ts';
import type { CardView } from '../../server/platform/channels.ts';
import { formatQuantity, miniAppUrl } from './format.ts';
import type { CardOptions } from './shortage.ts';

/** The unit an item is sold in and how many base units one holds (1 箱 = 1,000 个). */
export interface SalesUnit { name: string; factor: string }

/** A base-unit quantity as people count it: in the sales unit, the base quantity beside it ("30 箱（30,000 个）"). */
export function formatStockQuantity(quantity: string, baseUnit: string, salesUnit?: SalesUnit | null): string {
  const base = formatQuantity(quantity, baseUnit);
  const d = new Decimal(quantity);
  if (!salesUnit || d.isZero() || new Decimal(salesUnit.factor).lte(0)) return base;
  return `${formatQuantity(d.div(salesUnit.factor), salesUnit.name)}（${base}）`;
}

export function stockAnswerCard(pos: StockPosition, opts: CardOptions & { salesUnit?: SalesUnit | null } = {}): CardView {
  const q = (v: string) => formatStockQuantity(v, pos.item.unit, opts.salesUnit);
  const lines: string[] = [];
  if (pos.item.spec) lines.push(`规格：${pos.item.spec}`);
  for (const w of pos.warehouses) {
    const extra = [
      ...(new Decimal(w.pending).isZero() ? [] : [`待检 ${q(w.pending)}`]),
      ...(new Decimal(w.rejected).isZero() ? [] : [`不合格 ${q(w.rejected)}`]),
    ];
    lines.push(`**${w.warehouse.name}**：${[`在库 ${q(w.onHand)}`, `预留 ${q(w.reserved)}`, `可用 ${q(w.available)}`, `在订 ${q(w.onOrder)}`, ...extra].join(' · ')}`);
  }
  if (!pos.warehouses.length) lines.push('各仓库都没有库存，也没有在订。');
  if (pos.belowSafety) lines.push(`**可用合计低于安全库存 ${q(pos.safetyStock)}**`);
  const safety = new Decimal(pos.safetyStock);
  return {
    title: `库存：${pos.item.name}`,
    tone: pos.belowSafety ? 'warning' : 'info',
    fields: [
      { label: '物料编码', value: pos.item.code },
      { label: '在库合计', value: q(pos.total.onHand) },
      { label: '预留合计', value: q(pos.total.reserved) },
      { label: '可用合计', value: q(pos.total.available) },
      { label: '在订合计', value: q(pos.total.onOrder) },
      { label: '安全库存', value: safety.gt(0) ? q(pos.safetyStock) : '未设置' },
    ],
    lines,
    link: { text: '查看库存明细', url: miniAppUrl(opts.baseUrl, `stock/${pos.item.id}`) },
    footer: '云桥 · 库存查询',
  };
}

/**
 * Several items matched (`total` in all): list the first `max` with their codes, and how to pick one
 * (`askAgain`: the command asked again with a code; 库存 by default, 齐套 uses it too).
 */
export function stockCandidatesText(keyword: string, items: readonly StockItemRef[], total = items.length, max = 5, askAgain = (code: string) => `库存 ${code}`): string {
  const shown = items.slice(0, max);
  const listed = total > shown.length ? `，列出前 ${shown.length} 个` : '';
  const out = [`「${keyword}」共匹配到 ${total} 个物料${listed}，请用编码再问一次：`];
  shown.forEach((i, n) => out.push(`${n + 1}. ${i.code} ${i.name}${i.spec ? `（${i.spec}）` : ''}`));
  out.push(`例如：${askAgain(shown[0]?.code ?? keyword)}`);
  return out.join('\n');
}
