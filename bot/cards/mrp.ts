// 物料需求计算完成 card for the planner group (from an `mrp.completed` outbox payload): one line of
// what the run suggests, a link to the suggestions, and 一键投放 for its suggestions.
import type { CardView } from '../../server/platform/channels.ts';
import type { MrpCompletedPayload } from '../../server/modules/notices/index.ts';
import { formatAmount, miniAppUrl } from './format.ts';
import type { CardOptions } from './shortage.ts';

/** 「本次建议：采购 12 条 ¥86,400.00，生产 3 条；3 条开始日期已过」 */
export function mrpSummaryLine(p: MrpCompletedPayload): string {
  const late = p.pastDueCount ? `；${p.pastDueCount} 条开始日期已过` : '';
  return `本次建议：采购 ${p.purchaseCount} 条 ${formatAmount(p.purchaseAmount)}，生产 ${p.productionCount} 条${late}`;
}

export function mrpCompletedCard(p: MrpCompletedPayload, opts: CardOptions = {}): CardView {
  return {
    title: '物料需求计算完成',
    tone: p.pastDueCount ? 'warning' : 'info',
    fields: [{ label: '运行人', value: p.startedBy }],
    lines: [mrpSummaryLine(p)],
    link: { text: '查看', url: miniAppUrl(opts.baseUrl, `mrp/suggestions?runId=${p.runId}`) },
    // 一键投放: the run's suggestions the tapping user may release, purchases as one requisition and
    // production as planned 生产任务单 (bot/mrp/click.ts)
    ...(p.purchaseCount || p.productionCount ? { buttons: [{ text: '一键投放', value: { kind: 'mrpRelease', runId: p.runId }, style: 'primary' as const }] } : {}),
    footer: '云桥 · 物料需求计划',
  };
}
