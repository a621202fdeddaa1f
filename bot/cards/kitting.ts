// 齐套 answers: how many of a product can be made now, the limiting components and when their
// shortages are covered (open POs); for a sales order, the same per line still to be made.
import { Decimal } from 'decimal.js';
import type { Kitting, ProductionTaskKitting, SalesOrderKitting } from '../../shared/schemas/manufacturing.ts';
import type { CardView } from '../../server/platform/channels.ts';
import { formatQuantity, miniAppUrl } from './format.ts';
import type { CardOptions } from './shortage.ts';

/** the short components listed per answer; the rest are counted */
const SHOWN = 5;

type Component = Kitting['components'][number];

function componentLine(c: Component): string {
  const u = c.item.baseUnit.name;
  return `**${c.item.name}**（${c.item.code}）：需 ${formatQuantity(c.need, u)}，可用 ${formatQuantity(c.free, u)}，缺 ${formatQuantity(c.short, u)} — ${c.arrival.label}`;
}

/** The short components (limiting first, as the API orders them), at most SHOWN, then how many more. */
function shortageLines(k: Kitting, prefix = ''): string[] {
  const short = k.components.filter((c) => new Decimal(c.short).gt(0));
  const lines = short.slice(0, SHOWN).map((c) => `${prefix}${c.limiting ? '瓶颈 ' : ''}${componentLine(c)}`);
  if (short.length > SHOWN) lines.push(`${prefix}……另有 ${short.length - SHOWN} 种物料缺料`);
  return lines;
}

const readyText = (k: Kitting) => (k.complete ? '现在即可' : k.readyDate ? `${k.readyDate}（在途全部到货）` : '有缺料没有在途或交期未定');

export function kittingCard(k: Kitting, opts: CardOptions = {}): CardView {
  const u = k.item.baseUnit.name;
  const zero = new Decimal(k.kitable).isZero();
  return {
    title: `齐套：${k.item.name} × ${formatQuantity(k.quantity, u)}`,
    tone: k.complete ? 'success' : zero ? 'danger' : 'warning',
    fields: [
      { label: '物料编码', value: k.item.code },
      { label: '需生产', value: formatQuantity(k.quantity, u) },
      { label: '现在可齐套', value: formatQuantity(k.kitable, u) },
      { label: '瓶颈物料', value: k.limiting.length ? k.limiting.map((i) => i.name).join('、') : '无' },
      { label: '全部齐套', value: readyText(k) },
    ],
    lines: [
      ...(k.fromStock.length ? [`先用半成品库存：${k.fromStock.map((f) => `${f.item.name} ${formatQuantity(f.quantity, f.item.baseUnit.name)}`).join('、')}`] : []),
      ...(k.complete ? [`全部 ${k.components.length} 种物料库存足够。`] : shortageLines(k)),
    ],
    link: { text: '查看齐套分析', url: miniAppUrl(opts.baseUrl, `kitting?itemId=${encodeURIComponent(k.item.id)}&quantity=${encodeURIComponent(k.quantity)}`) },
    footer: `云桥 · 齐套分析（BOM V${k.versionNo}，${k.date}）`,
  };
}

export function orderKittingCard(o: SalesOrderKitting, opts: CardOptions = {}): CardView {
  const analysed = o.lines.filter((l) => l.kitting);
  const lines: string[] = [];
  for (const l of o.lines) {
    const u = l.item.baseUnit.name;
    if (!l.kitting) {
      lines.push(`${l.lineNo}. ${l.item.name}：${l.note ?? '不做齐套分析'}`);
      continue;
    }
    const k = l.kitting;
    const head = `${l.lineNo}. **${l.item.name}**：待生产 ${formatQuantity(l.openQuantity, u)}，现在可齐套 ${formatQuantity(k.kitable, u)}`;
    lines.push(k.complete ? `${head}，物料齐全` : `${head}；全部齐套 ${readyText(k)}`);
    if (!k.complete) lines.push(...shortageLines(k, '   '));
  }
  const complete = analysed.every((l) => l.kitting!.complete);
  const none = analysed.every((l) => new Decimal(l.kitting!.kitable).isZero());
  return {
    title: `齐套：销售订单 ${o.order.number}`,
    tone: !analysed.length || complete ? 'success' : none ? 'danger' : 'warning',
    fields: [
      { label: '客户', value: o.order.customer.name },
      { label: '状态', value: o.order.stateLabel },
      { label: '需生产的行', value: `${analysed.length} / ${o.lines.length}` },
      { label: '齐套情况', value: !analysed.length ? '没有需要生产的行' : complete ? '全部齐套' : '有缺料' },
    ],
    lines,
    link: { text: '查看销售订单', url: miniAppUrl(opts.baseUrl, `sales-orders/${o.order.id}`) },
    footer: `云桥 · 齐套分析（${o.date}）`,
  };
}

/** 齐套 of production tasks: each task's not yet kitted quantity, what can be kitted now and what limits it (stock shared in start order). */
export function tasksKittingCard(p: ProductionTaskKitting, opts: CardOptions = {}): CardView {
  const lines: string[] = [];
  for (const t of p.tasks) {
    const u = t.task.item.baseUnit.name;
    const head = `${t.task.number} **${t.task.item.name}**（开工 ${t.task.plannedStart}）`;
    if (!t.kitting) {
      lines.push(`${head}：${t.note ?? '不做齐套分析'}`);
      continue;
    }
    const k = t.kitting;
    const figures = `${head}：未配套 ${formatQuantity(t.openQuantity, u)}，现在可齐套 ${formatQuantity(k.kitable, u)}`;
    lines.push(k.complete ? `${figures}，物料齐全` : `${figures}；全部齐套 ${readyText(k)}`);
    if (!k.complete) lines.push(...shortageLines(k, '   '));
  }
  const analysed = p.tasks.filter((t) => t.kitting);
  const complete = analysed.every((t) => t.kitting!.complete);
  const none = analysed.length > 0 && analysed.every((t) => new Decimal(t.kitting!.kitable).isZero());
  const numbers = p.tasks.map((t) => t.task.number);
  return {
    title: numbers.length === 1 ? `齐套：生产任务单 ${numbers[0]}` : `齐套：${numbers.length} 张生产任务单`,
    tone: complete ? 'success' : none ? 'danger' : 'warning',
    fields: [
      { label: '生产任务单', value: numbers.join('、') },
      { label: '齐套情况', value: !analysed.length ? '都已配套领料' : complete ? '全部齐套' : `${analysed.filter((t) => !t.kitting!.complete).length} 张有缺料` },
    ],
    lines,
    link: { text: '查看齐套分析', url: miniAppUrl(opts.baseUrl, `kitting/production-tasks?ids=${p.tasks.map((t) => encodeURIComponent(t.task.id)).join(',')}`) },
    footer: '云桥 · 齐套分析（按计划开工日先后分配库存与在途）',
  };
}
