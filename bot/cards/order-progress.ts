// 订单进度 card: one step of an order's timeline (from an `order.progress` outbox payload).
import type { CardView } from '../../server/platform/channels.ts';
import { miniAppUrl } from './format.ts';
import type { OrderProgressPayload } from '../../server/modules/notices/index.ts';
import type { CardOptions } from './shortage.ts';

/** Timeline kinds as people call them; an unknown kind shows no step label. */
export const PROGRESS_KIND_LABELS: Record<string, string> = {
  created: '新建', updated: '修改', submitted: '提交', approved: '审批通过', rejected: '审批驳回', confirmed: '确认',
  shipped: '发货', returned: '退货', received: '入库', advanceReceived: '预收款', invoiced: '开票', paid: '收款',
  cancelled: '取消', closed: '关闭', reservationCut: '预留减少', productionStarted: '生产中', productionCompleted: '完工待发货',
};

const GOOD = new Set(['approved', 'confirmed', 'shipped', 'received', 'advanceReceived', 'invoiced', 'paid', 'productionCompleted']);
const BAD = new Set(['cancelled', 'rejected', 'reservationCut']);

export function orderProgressCard(p: OrderProgressPayload, opts: CardOptions = {}): CardView {
  const sales = p.orderType === 'salesOrder';
  const step = PROGRESS_KIND_LABELS[p.kind];
  return {
    title: `${sales ? '销售订单' : '采购订单'} ${p.number}${step ? ` · ${step}` : ''}`,
    tone: BAD.has(p.kind) ? 'danger' : GOOD.has(p.kind) ? 'success' : 'info',
    fields: [
      { label: '单号', value: p.number },
      { label: '进展', value: p.message },
      ...(p.actor ? [{ label: '操作人', value: p.actor }] : []),
    ],
    link: { text: '查看订单', url: miniAppUrl(opts.baseUrl, `${sales ? 'sales-orders' : 'purchase-orders'}/${p.orderId}`) },
    footer: '云桥 · 订单进度',
  };
}
