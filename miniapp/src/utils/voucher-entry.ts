// 凭证录入 as accountants know it from 金蝶 / 用友 — the pure part: which cells a line has (辅助核算
// only where the account needs it, an optional 项目 on income, cost and expense accounts and 在建工程),
// where Enter / Tab / Shift+Tab go (Enter passes an empty 项目 by, Tab stops there), `=` (the amount that balances
// the voucher), Space (the amount to the other side), `//` (the previous line's 摘要), the account
// search (code prefix or name, leaf accounts only), the totals and the request body. No DOM, no Vue.
import type { Account, VoucherCreate } from '../../../shared/schemas/vouchers';
import { isZeroDecimal, subtractDecimal, sumDecimals } from './format';

export type DimensionKind = 'customer' | 'supplier' | 'department' | 'employee' | 'item' | 'project';
export const DIMENSION_LABELS: Record<DimensionKind, string> = { customer: '客户', supplier: '供应商', department: '部门', employee: '员工', item: '物料', project: '项目' };

/**
 * 辅助核算 an account is kept by, from its first-level code (the chart has no dimension flags; this
 * follows what the posting rules record): 往来 by customer or supplier, 其他应收款 by employee,
 * expenses by department, stock and product cost by item.
 */
const DIMENSIONS_BY_ROOT: Record<string, DimensionKind[]> = {
  '1121': ['customer'], '1122': ['customer'], '2203': ['customer'],
  '1123': ['supplier'], '2201': ['supplier'], '2202': ['supplier'],
  '1221': ['employee'],
  '4101': ['department'], '5601': ['department'], '5602': ['department'],
  '1403': ['item'], '1405': ['item'], '1408': ['item'], '1411': ['item'], '4001': ['item'], '5401': ['item'],
};

export function dimensionsOf(accountCode: string | null | undefined): DimensionKind[] {
  return accountCode ? DIMENSIONS_BY_ROOT[accountCode.slice(0, 4)] ?? [] : [];
}

/**
 * 项目 is offered, optional, where a project's income and spending land: every cost (4xxx: 生产成本,
 * 制造费用, 研发支出, 工程施工 …) and profit-and-loss account (5xxx: revenue, cost of sales, expenses),
 * and 1604 在建工程 (a plant being built is a project). Balance-sheet 往来 keep their customer/supplier.
 */
export function offersProject(accountCode: string | null | undefined): boolean {
  if (!accountCode) return false;
  return accountCode.startsWith('4') || accountCode.startsWith('5') || accountCode.startsWith('1604');
}

/** The dimension cells of a line: the account's 辅助核算, then 项目 where offered. */
export function lineDimensions(accountCode: string | null | undefined): DimensionKind[] {
  return offersProject(accountCode) ? [...dimensionsOf(accountCode), 'project'] : dimensionsOf(accountCode);
}

/** Dimensions a line may leave empty, which Enter passes by (Tab and a click still reach them). */
export const OPTIONAL_DIMENSIONS: readonly DimensionKind[] = ['project'];

export interface DimensionValue {
  id: string;
  /** what the cell shows: "C0002 宁波甬江机械" */
  text: string;
}

export interface EntryLine {
  summary: string;
  account: { id: string; code: string; fullName: string } | null;
  debit: string;
  credit: string;
  dims: Partial<Record<DimensionKind, DimensionValue>>;
}

export const blankLine = (): EntryLine => ({ summary: '', account: null, debit: '', credit: '', dims: {} });

export type Column = 'summary' | 'account' | DimensionKind | 'debit' | 'credit';
export type AmountColumn = 'debit' | 'credit';
export interface Cell {
  line: number;
  column: Column;
}

export const isAmountColumn = (c: Column): c is AmountColumn => c === 'debit' || c === 'credit';

/** The cells of a line, left to right. */
export function cellsOf(line: EntryLine): Column[] {
  return ['summary', 'account', ...lineDimensions(line.account?.code), 'debit', 'credit'];
}

/**
 * Enter / Tab: the next cell (the next line's 摘要 after 贷方); from the last cell of the last line,
 * a new line's 摘要 (`addLine`: the caller appends it). Enter (`skipOptional`) passes an empty
 * optional cell (项目) by: most lines carry no project, and typing them stays one key per cell.
 */
export function nextCell(lines: readonly EntryLine[], at: Cell, opts: { skipOptional?: boolean } = {}): Cell & { addLine: boolean } {
  const line = lines[at.line]!;
  const cells = cellsOf(line).filter((c) => !opts.skipOptional || c === at.column || !(OPTIONAL_DIMENSIONS as readonly Column[]).includes(c) || line.dims[c as DimensionKind]);
  const i = cells.indexOf(at.column);
  if (i >= 0 && i < cells.length - 1) return { line: at.line, column: cells[i + 1]!, addLine: false };
  return { line: at.line + 1, column: 'summary', addLine: at.line + 1 >= lines.length };
}

/** Shift+Tab: the cell before (the previous line's 贷方 before a 摘要); null at the very first cell. */
export function previousCell(lines: readonly EntryLine[], at: Cell): Cell | null {
  const cells = cellsOf(lines[at.line]!);
  const i = cells.indexOf(at.column);
  if (i > 0) return { line: at.line, column: cells[i - 1]! };
  if (at.line === 0) return null;
  const before = cellsOf(lines[at.line - 1]!);
  return { line: at.line - 1, column: before[before.length - 1]! };
}

/** 金额: up to 2 decimals, a leading minus allowed (the server refuses it on a blue voucher, with its reason). */
export const isAmountText = (s: string) => /^-?\d+(\.\d{1,2})?$/.test(s.trim()) || /^-?\.\d{1,2}$/.test(s.trim());

export interface Totals {
  debit: string;
  credit: string;
  /** debit − credit; null when an amount is not a number */
  difference: string | null;
}

export function totalsOf(lines: readonly EntryLine[]): Totals {
  const debit = sumDecimals(lines.map((l) => l.debit)) ?? '';
  const credit = sumDecimals(lines.map((l) => l.credit)) ?? '';
  const difference = debit && credit && lines.every((l) => (!l.debit.trim() || isAmountText(l.debit)) && (!l.credit.trim() || isAmountText(l.credit)))
    ? subtractDecimal(debit, credit)
    : null;
  return { debit, credit, difference };
}

/** "12.5" → "12.50" (what a cell shows once left; anything else as typed). */
export function fixedAmount(s: string): string {
  const t = s.trim();
  if (!isAmountText(t)) return s;
  const [int = '0', frac = ''] = t.replace(/^(-?)\./, '$10.').split('.');
  return `${int}.${frac.padEnd(2, '0')}`;
}

/**
 * `=` in an amount cell: the amount that makes the voucher balance goes into this line, on the side
 * the other lines lack (the line's other amount cleared; the cursor follows it to `column`). null
 * when the other lines already balance (or an amount is not a number).
 */
export function balanceAt(lines: readonly EntryLine[], index: number): { debit: string; credit: string; column: AmountColumn } | null {
  const others = totalsOf(lines.filter((_, n) => n !== index));
  if (others.difference === null || isZeroDecimal(others.difference)) return null;
  // others.difference = their debit − credit: more debit → this line is a credit, and the reverse
  const amount = fixedAmount(others.difference.replace(/^-/, ''));
  return others.difference.startsWith('-') ? { debit: amount, credit: '', column: 'debit' } : { debit: '', credit: amount, column: 'credit' };
}

/** Space in an amount cell: the line's amount moves to the other side; the column the cursor follows it to. */
export function switchSide(line: EntryLine): { debit: string; credit: string; column: AmountColumn } {
  if (line.debit.trim() && !line.credit.trim()) return { debit: '', credit: line.debit, column: 'credit' };
  if (line.credit.trim() && !line.debit.trim()) return { debit: line.credit, credit: '', column: 'debit' };
  return { debit: line.credit, credit: line.debit, column: line.debit.trim() ? 'credit' : 'debit' };
}

/** `//` typed in 摘要 becomes the previous line's 摘要 (as in 用友 / 金蝶); anything else stays. */
export function expandSummary(lines: readonly EntryLine[], index: number, typed: string): string {
  if (!typed.endsWith('//') || index === 0) return typed;
  return lines[index - 1]!.summary;
}

/** Ctrl+Delete: the lines without `index` (never fewer than two: a blank one takes its place). */
export function removeLine(lines: readonly EntryLine[], index: number): EntryLine[] {
  const out = lines.filter((_, n) => n !== index);
  while (out.length < 2) out.push(blankLine());
  return out;
}

/** The 会计科目 cell's choices: leaf accounts whose code starts with the text or whose name contains it. */
export function searchAccounts(accounts: readonly Account[], text: string, limit = 12): Account[] {
  const q = text.trim();
  const leaves = accounts.filter((a) => a.postable);
  if (!q) return leaves.slice(0, limit);
  const byCode = leaves.filter((a) => a.code.startsWith(q));
  const byName = leaves.filter((a) => !a.code.startsWith(q) && (a.fullName.includes(q) || a.name.includes(q)));
  return [...byCode, ...byName].slice(0, limit);
}

/** The line is blank (nothing typed): left out of the request. */
export const isBlankLine = (l: EntryLine) => !l.summary.trim() && !l.account && !l.debit.trim() && !l.credit.trim();

export interface VoucherDraft {
  date: string;
  /** 附单据数 as typed ('' = not given) */
  attachments?: string;
  lines: EntryLine[];
}

const isCount = (s: string) => /^\d{1,3}$/.test(s.trim());

/** The lines the request carries (blank ones left out), with their index on the page. */
export function filledLines(lines: readonly EntryLine[]): { line: EntryLine; index: number }[] {
  return lines.flatMap((line, index) => (isBlankLine(line) ? [] : [{ line, index }]));
}

/**
 * Why the voucher cannot be saved yet (empty when it can): the server checks all of it again, this only
 * keeps the button honest. Blank lines do not count.
 */
export function saveBlockers(draft: VoucherDraft): string[] {
  const used = filledLines(draft.lines);
  const out: string[] = [];
  if (draft.attachments?.trim() && !isCount(draft.attachments)) out.push('附单据数应为 0–999 的整数');
  if (used.length < 2) out.push('凭证至少要有两行分录');
  if (used.some(({ line }) => !line.account)) out.push('每行都要选会计科目');
  if (used.some(({ line }) => isZeroDecimal(line.debit) === isZeroDecimal(line.credit))) out.push('每行填借方或贷方金额中的一个');
  const t = totalsOf(used.map((u) => u.line));
  if (t.difference === null) out.push('金额格式不对');
  else if (t.difference !== '0') out.push('借贷不平衡');
  else if (isZeroDecimal(t.debit)) out.push('金额合计不能为 0');
  return out;
}

/** The POST /vouchers body; the voucher's 摘要 is its first line's (金蝶 has no separate one). */
export function voucherRequest(draft: VoucherDraft): VoucherCreate {
  const used = filledLines(draft.lines).map((u) => u.line);
  const summary = used.find((l) => l.summary.trim())?.summary.trim() ?? '';
  return {
    date: draft.date,
    summary,
    ...(draft.attachments && isCount(draft.attachments) ? { attachmentCount: Number(draft.attachments.trim()) } : {}),
    lines: used.map((l) => {
      const dims = Object.fromEntries(
        lineDimensions(l.account?.code).flatMap((k) => (l.dims[k] ? [[`${k}Id`, l.dims[k]!.id]] : [])),
      ) as Partial<Record<`${DimensionKind}Id`, string>>;
      return {
        accountId: l.account?.id ?? '',
        ...(l.summary.trim() ? { summary: l.summary.trim() } : {}),
        ...(isZeroDecimal(l.debit) ? {} : { debit: fixedAmount(l.debit) }),
        ...(isZeroDecimal(l.credit) ? {} : { credit: fixedAmount(l.credit) }),
        ...dims,
      };
    }),
  };
}

/**
 * The server's field errors placed on the page: "body.lines.1.accountId" → line (the page's index of
 * the request's line 1) and column; "body.date" → date, "body.attachmentCount" → attachments; others
 * (body.lines, body.summary) → voucher.
 */
export function placeErrors(
  lines: readonly EntryLine[], errors: Record<string, string>,
): { cells: Record<string, string>; date: string; attachments: string; voucher: string[] } {
  const pageIndex = filledLines(lines).map((u) => u.index);
  const cells: Record<string, string> = {};
  let date = '';
  let attachments = '';
  const voucher: string[] = [];
  const COLUMN: Record<string, Column> = {
    accountId: 'account', summary: 'summary', debit: 'debit', credit: 'credit',
    customerId: 'customer', supplierId: 'supplier', departmentId: 'department', employeeId: 'employee', itemId: 'item', projectId: 'project',
  };
  for (const [field, message] of Object.entries(errors)) {
    const m = /^body\.lines\.(\d+)\.(\w+)$/.exec(field);
    const column = m ? COLUMN[m[2]!] : undefined;
    const index = m ? pageIndex[Number(m[1])] : undefined;
    if (column && index !== undefined) cells[cellKey({ line: index, column })] = message;
    else if (field === 'body.date') date = message;
    else if (field === 'body.attachmentCount') attachments = message;
    else voucher.push(message);
  }
  return { cells, date, attachments, voucher };
}

export const cellKey = (c: Cell) => `${c.line}.${c.column}`;
