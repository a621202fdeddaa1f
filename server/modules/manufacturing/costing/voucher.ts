// 成本计算 (month-end costing) voucher rule — pure. On the month's last day:
//   借 生产成本 (by product) / 贷 应付职工薪酬                 the labour pool as allocated to the tasks
//   借 生产成本 (by product) / 贷 制造费用                     the overhead pool as allocated (the pool
//                                                             itself is entered into 制造费用 elsewhere)
//   借 库存商品 / 贷 生产成本 (by product)                     revaluation of completed goods still in stock
//   借 主营业务成本 / 贷 生产成本 (by product)                 revaluation of completed goods sold since
// A negative revaluation (actual below standard) swaps the sides. The part of a component's
// revaluation passed on to a parent task of the month stays inside 生产成本 (from the component's
// task to the parent's), so it is not posted.
import { Decimal } from 'decimal.js';
import { ACCOUNTS, debitOrCredit, inventoryAccount, sumByItem, type PostingFacts, type PostingLine, type VoucherDraft } from '../../finance/index.ts';

export interface CostClosePostingFacts extends PostingFacts {
  /** the month's last day, YYYY-MM-DD */
  date: string;
  period: string;
  /** one per task costed: its product, and what the close gave it / took from it, to the fen */
  lines: { itemId: string; itemKind: string; labour: string; overhead: string; toStock: string; toCostOfSales: string }[];
}

const total = (rows: { total: Decimal }[]) => rows.reduce((t, r) => t.plus(r.total), new Decimal(0));

export function costCloseVoucher(f: CostClosePostingFacts): VoucherDraft | null {
  const lines: PostingLine[] = [];
  const labourSummary = `${f.period} 分配直接人工`;
  const labour = sumByItem(f.lines, (l) => l.labour).filter((r) => !r.total.isZero());
  if (labour.length) {
    lines.push(...labour.map((r) => ({ account: ACCOUNTS.productionCost, summary: labourSummary, debit: r.total, itemId: r.itemId })));
    lines.push({ account: ACCOUNTS.payroll, summary: labourSummary, credit: total(labour) });
  }
  const overheadSummary = `${f.period} 分配制造费用`;
  const overhead = sumByItem(f.lines, (l) => l.overhead).filter((r) => !r.total.isZero());
  if (overhead.length) {
    lines.push(...overhead.map((r) => ({ account: ACCOUNTS.productionCost, summary: overheadSummary, debit: r.total, itemId: r.itemId })));
    lines.push({ account: ACCOUNTS.manufacturingOverhead, summary: overheadSummary, credit: total(overhead) });
  }
  const stockSummary = `${f.period} 完工产品成本调整（库存）`;
  for (const r of sumByItem(f.lines, (l) => l.toStock).filter((x) => !x.total.isZero())) {
    lines.push(debitOrCredit(r.total, { account: inventoryAccount(r.itemKind), summary: stockSummary, itemId: r.itemId }));
    lines.push(debitOrCredit(r.total.neg(), { account: ACCOUNTS.productionCost, summary: stockSummary, itemId: r.itemId }));
  }
  const soldSummary = `${f.period} 完工产品成本调整（已销售）`;
  for (const r of sumByItem(f.lines, (l) => l.toCostOfSales).filter((x) => !x.total.isZero())) {
    lines.push(debitOrCredit(r.total, { account: ACCOUNTS.costOfSales, summary: soldSummary, itemId: r.itemId }));
    lines.push(debitOrCredit(r.total.neg(), { account: ACCOUNTS.productionCost, summary: soldSummary, itemId: r.itemId }));
  }
  if (!lines.length) return null;
  return { date: f.date, summary: `${f.period} 成本计算`, lines };
}

/** What manufacturing registers with the finance engine for 成本计算. */
export const costClosePosting = {
  rule: costCloseVoucher,
  document: { label: '成本计算', apiPath: (id: string) => `/api/v1/cost-closes/${id}` },
};
