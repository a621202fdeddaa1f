// 待检 card for the inspectors (from a `quality.inspectionDue` outbox payload): what waits, how
// much, from which receipt, and a link to the 检验单 in the mini-app to record the result.
import type { CardView } from '../../server/platform/channels.ts';
import type { InspectionDuePayload } from '../../server/modules/notices/index.ts';
import { formatQuantity, miniAppUrl } from './format.ts';
import type { CardOptions } from './shortage.ts';

const SOURCE_LABELS: Record<InspectionDuePayload['sourceType'], string> = { purchaseReceipt: '采购入库', productionReceipt: '完工入库' };

/** 「待检：M8螺栓 1,000 个，来源 RC-20261207-0001」 */
export function inspectionDueLine(p: InspectionDuePayload): string {
  return `待检：${p.itemName} ${formatQuantity(p.quantity, p.unit)}，来源 ${p.sourceNo}`;
}

export function inspectionDueCard(p: InspectionDuePayload, opts: CardOptions = {}): CardView {
  return {
    title: `检验单 ${p.number} 待检验`,
    tone: 'info',
    lines: [inspectionDueLine(p)],
    fields: [
      { label: '物料', value: p.spec ? `${p.itemCode} ${p.itemName}（${p.spec}）` : `${p.itemCode} ${p.itemName}` },
      { label: '来源', value: `${SOURCE_LABELS[p.sourceType]} ${p.sourceNo}` },
    ],
    link: { text: '查看', url: miniAppUrl(opts.baseUrl, `quality-inspections/${p.inspectionId}`) },
    footer: '云桥 · 质检',
  };
}
