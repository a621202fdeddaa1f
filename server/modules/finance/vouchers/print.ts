// 凭证打印: one voucher as a 记账凭证 page for the browser's print (accountants bind them): company,
// date, 记字第 N 号, 附单据 张, 摘要 / 会计科目 / 借方 / 贷方 lines, 合计 with the 大写金额, and the
// 制单 / 审核 / 记账 names. Every text from users is escaped. The page's CSS is a separate file
// (PRINT_CSS, served at /api/v1/print/voucher.css): the mini-app opens the page from a blob: URL that
// inherits the mini-app's policy, which lets styles come only from this origin, never inline.
import { Decimal } from 'decimal.js';
import type { Voucher } from '../../../../shared/schemas/vouchers.ts';
import { notFound } from '../../../platform/errors.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { rmbCapital } from './capital-amount.ts';
import { voucherDtos, voucherInclude } from './dto.ts';

export type PrintPaper = 'a4' | 'voucher';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A voucher's lines take at least this many rows, as on the printed form. */
const MIN_ROWS = 5;

const money = (v: string) => {
  const d = new Decimal(v);
  return d.isZero() ? '' : d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
};

export interface VoucherPrintFacts {
  companyName: string;
  voucher: Voucher;
  /** 附单据 张: the number typed on the voucher, else its attachments plus its source document */
  attachments: number;
}

/** The page (pure). */
export function voucherPrintHtml(f: VoucherPrintFacts, paper: PrintPaper = 'a4'): string {
  const v = f.voucher;
  const [y, m, d] = v.date.split('-');
  const no = v.number.replace(/^记-/, '');
  const dims = (l: Voucher['lines'][number]) =>
    [l.customer, l.supplier, l.department, l.employee, l.item].flatMap((r) => (r ? [r.name] : []))
      .concat(l.project ? [`项目：${l.project.name}`] : []).join(' / ');
  const rows = v.lines.map(
    (l) => `<tr><td class="summary">${escapeHtml(l.summary)}</td><td class="account">${escapeHtml(`${l.account.code} ${l.account.fullName}`)}${
      dims(l) ? `<div class="dims">${escapeHtml(dims(l))}</div>` : ''
    }</td><td class="amount">${money(l.debit)}</td><td class="amount">${money(l.credit)}</td></tr>`,
  );
  for (let i = rows.length; i < MIN_ROWS; i++) rows.push('<tr class="blank"><td></td><td></td><td></td><td></td></tr>');
  const title = `记账凭证 ${v.number}`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/api/v1/print/voucher.css"></head>
<body class="paper-${paper}"><main class="voucher">
<h1>记账凭证</h1>
<div class="head"><span>核算单位：${escapeHtml(f.companyName)}</span><span>${y} 年 ${m} 月 ${d} 日</span><span>记字第 ${escapeHtml(no)} 号</span></div>
<table><thead><tr><th class="summary">摘要</th><th class="account">会计科目</th><th class="amount">借方金额</th><th class="amount">贷方金额</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
<tfoot><tr><td colspan="2" class="total">合计：人民币（大写）${rmbCapital(v.totalDebit)}</td><td class="amount">${money(v.totalDebit)}</td><td class="amount">${money(v.totalCredit)}</td></tr></tfoot></table>
<div class="foot"><span>附单据 ${f.attachments} 张</span>${v.source ? `<span>来源：${escapeHtml(`${v.source.label} ${v.source.number}`)}</span>` : ''}${
    v.reversalOf ? `<span>冲销 ${escapeHtml(`${v.reversalOf.period} ${v.reversalOf.number}`)}</span>` : ''
  }</div>
<div class="sign"><span>记账：</span><span>审核：</span><span>出纳：</span><span>制单：${escapeHtml(v.createdBy?.name ?? '')}</span></div>
</main></body></html>
`;
}

export async function voucherPrint(ctx: UseCaseContext, id: string, paper: PrintPaper): Promise<string> {
  return runUseCase(ctx, async (tx) => {
    const row = await tx.voucher.findUnique({ where: { id }, include: voucherInclude });
    if (!row) throw notFound('凭证');
    const [[voucher], company, attached] = await Promise.all([
      voucherDtos(tx, [row]),
      tx.company.findUniqueOrThrow({ where: { id: ctx.actor.companyId }, select: { name: true } }),
      tx.attachment.count({ where: { entity: 'voucher', entityId: id } }),
    ]);
    return voucherPrintHtml({ companyName: company.name, voucher: voucher!, attachments: voucher!.attachmentCount || attached + (voucher!.source ? 1 : 0) }, paper);
  });
}

/**
 * The page's CSS: A4 by default; 凭证纸 (240 × 140 mm) through the named page `voucher`. On screen
 * the form shows as it will print.
 */
export const PRINT_CSS = `
@page { size: A4 portrait; margin: 15mm; }
@page voucher { size: 240mm 140mm; margin: 8mm 10mm; }
body { font-family: "SimSun", "Songti SC", serif; color: #000; margin: 0; background: #f2f2f2; }
.voucher { background: #fff; margin: 16px auto; padding: 12mm; box-sizing: border-box; width: 210mm; }
.paper-voucher .voucher { width: 240mm; padding: 6mm 10mm; }
h1 { text-align: center; font-size: 22pt; letter-spacing: 0.5em; margin: 0 0 4mm; text-decoration: underline double; }
.paper-voucher h1 { font-size: 16pt; margin-bottom: 2mm; }
.head, .foot, .sign { display: flex; justify-content: space-between; font-size: 10.5pt; margin: 2mm 0; }
.sign span { min-width: 22%; }
table { width: 100%; border-collapse: collapse; font-size: 10.5pt; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; height: 7mm; vertical-align: middle; }
.paper-voucher th, .paper-voucher td { height: 6mm; padding: 0.8mm 1.5mm; font-size: 9.5pt; }
th { font-weight: normal; text-align: center; }
th.summary { width: 28%; } th.account { width: 36%; } th.amount { width: 18%; }
td.amount { text-align: right; font-family: "Courier New", monospace; }
td.total { font-weight: bold; }
.dims { font-size: 8.5pt; color: #333; }
@media print {
  body { background: #fff; }
  .voucher { margin: 0; padding: 0; width: auto; }
  .paper-voucher { page: voucher; }
  tr { page-break-inside: avoid; }
}
`;
