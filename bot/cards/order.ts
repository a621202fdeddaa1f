// 订单 answer: a sales order's state, customer, amount, what has shipped of what was ordered,
// the advance received and the last steps of its timeline. Shows amounts: the asker's eyes only.
import { Decimal } from 'decimal.js';
import { DOCUMENT_STATE_LABELS } from '../../shared/enums.ts';
import type { SalesOrder } from '../../shared/schemas/sales/orders.ts';
import type { CardView } from '../../server/platform/channels.ts';
import { formatAmount, formatQuantity, miniAppUrl, shortTime } from './format.ts';
import type { CardOptions } from './shortage.ts';

const SHIPMENT_LABELS = { none: '未发货', partial: '部分发货', full: '已发完' } as const;

/** base-unit quantity in the line's own unit (base ÷ factor) */
function inLineUnit(base: string, factor: string): string {
  const f = new Decimal(factor);
  return f.isZero() ? base : new Decimal(base).div(f).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toString();
}

export function orderAnswerCard(o: SalesOrder, opts: CardOptions & { maxLines?: number; timelineSteps?: number } = {}): CardView {
  const money = (v: string) => formatAmount(v, o.currencyCode);
  const lines: string[] = [`下单 ${o.orderDate}${o.requestedDate ? ` · 交期 ${o.requestedDate}` : ''}`];
  const orderLines = o.lines ?? [];
  const maxLines = opts.maxLines ?? 5;
  for (const l of orderLines.slice(0, maxLines)) {
    const returned = new Decimal(l.returnedQuantity).isZero() ? '' : `，已退 ${formatQuantity(inLineUnit(l.returnedQuantity, l.factor), l.unit.name)}`;
    lines.push(`${l.lineNo}. ${l.item.name}：已发 ${formatQuantity(inLineUnit(l.shippedQuantity, l.factor))} / ${formatQuantity(l.quantity, l.unit.name)}${returned}`);
  }
  if (orderLines.length > maxLines) lines.push(`……另有 ${orderLines.length - maxLines} 行`);
  const steps = (o.timeline ?? []).slice(-(opts.timelineSteps ?? 3));
  if (steps.length) {
    lines.push('**最近进展**');
    for (const e of steps) lines.push(`${shortTime(e.at)} ${e.actor ? `${e.actor.name} ` : ''}${e.message}`);
  }
  return {
    title: `销售订单 ${o.number}`,
    tone: o.state === 'cancelled' ? 'danger' : o.state === 'pendingApproval' ? 'warning' : o.shipmentProgress === 'full' ? 'success' : 'info',
    fields: [
      { label: '客户', value: o.customer.name },
      { label: '状态', value: DOCUMENT_STATE_LABELS[o.state] },
      { label: '金额', value: money(o.totalWithTax) },
      { label: '发货', value: SHIPMENT_LABELS[o.shipmentProgress] },
      { label: '已收预收款', value: money(o.advanceReceived) },
      { label: '销售员', value: o.owner.name },
    ],
    lines,
    link: { text: '查看订单', url: miniAppUrl(opts.baseUrl, `sales-orders/${o.id}`) },
    footer: '云桥 · 订单查询',
  };
}
