// 资产负债表 and 利润表 use cases, and the Excel exports of them and of the 科目余额表.
import type { BalanceSheet, ProfitStatement, StatementLine } from '../../../../shared/schemas/finance-reports.ts';
import type { TrialBalanceRow } from '../../../../shared/schemas/vouchers.ts';
import { writeWorkbook, type Column } from '../../../platform/excel.ts';
import { runUseCase, type UseCaseContext } from '../../../platform/services.ts';
import { accountFigures } from './figures.ts';
import { getTrialBalance } from './service.ts';
import { balanceSheet, CASH_ACCOUNTS, cashFlowStatement, profitStatement } from './statements.ts';

export async function getBalanceSheet(ctx: UseCaseContext, period: string): Promise<BalanceSheet> {
  return runUseCase(ctx, async (tx) => balanceSheet(period, await accountFigures(tx, period)));
}

export async function getProfitStatement(ctx: UseCaseContext, period: string): Promise<ProfitStatement> {
  return runUseCase(ctx, async (tx) => profitStatement(period, await accountFigures(tx, period)));
}

const num = (v: string) => (v === '' ? null : Number(v));

export async function exportBalanceSheet(ctx: UseCaseContext, period: string): Promise<Buffer> {
  const bs = await getBalanceSheet(ctx, period);
  // Side by side as the printed form: 资产 on the left, 负债和所有者权益 on the right.
  const n = Math.max(bs.assets.length, bs.liabilitiesAndEquity.length);
  const rows = Array.from({ length: n }, (_, i) => ({ a: bs.assets[i], l: bs.liabilitiesAndEquity[i] }));
  type R = (typeof rows)[number];
  const cols: Column<R>[] = [
    { key: 'a', header: '资产', width: 24, value: (r) => r.a?.label },
    { key: 'ar', header: '行次', width: 6, value: (r) => r.a?.row || null },
    { key: 'ac', header: '期末余额', width: 16, value: (r) => (r.a ? num(r.a.current) : null) },
    { key: 'ao', header: '年初余额', width: 16, value: (r) => (r.a ? num(r.a.other) : null) },
    { key: 'l', header: '负债和所有者权益', width: 30, value: (r) => r.l?.label },
    { key: 'lr', header: '行次', width: 6, value: (r) => r.l?.row || null },
    { key: 'lc', header: '期末余额', width: 16, value: (r) => (r.l ? num(r.l.current) : null) },
    { key: 'lo', header: '年初余额', width: 16, value: (r) => (r.l ? num(r.l.other) : null) },
  ];
  return writeWorkbook(`资产负债表 ${period}`, cols, rows);
}

export async function exportProfitStatement(ctx: UseCaseContext, period: string): Promise<Buffer> {
  const ps = await getProfitStatement(ctx, period);
  const cols: Column<StatementLine>[] = [
    { key: 'label', header: '项目', width: 40, value: (r) => r.label },
    { key: 'row', header: '行次', width: 6, value: (r) => r.row },
    { key: 'year', header: '本年累计金额', width: 16, value: (r) => num(r.other) },
    { key: 'month', header: '本月金额', width: 16, value: (r) => num(r.current) },
  ];
  return writeWorkbook(`利润表 ${period}`, cols, ps.lines);
}

export async function exportTrialBalance(ctx: UseCaseContext, period: string): Promise<Buffer> {
  const tb = await getTrialBalance(ctx, { period });
  const cols: Column<TrialBalanceRow>[] = [
    { key: 'code', header: '科目编码', width: 12, value: (r) => r.code },
    { key: 'name', header: '科目名称', width: 24, value: (r) => `${'　'.repeat(r.level - 1)}${r.name}` },
    { key: 'od', header: '期初借方', width: 14, value: (r) => Number(r.opening.debit) },
    { key: 'oc', header: '期初贷方', width: 14, value: (r) => Number(r.opening.credit) },
    { key: 'pd', header: '本期借方', width: 14, value: (r) => Number(r.period.debit) },
    { key: 'pc', header: '本期贷方', width: 14, value: (r) => Number(r.period.credit) },
    { key: 'cd', header: '期末借方', width: 14, value: (r) => Number(r.closing.debit) },
    { key: 'cc', header: '期末贷方', width: 14, value: (r) => Number(r.closing.credit) },
  ];
  const total = { accountId: '', code: '', name: '合计', level: 1, direction: 'debit', postable: false, ...tb.totals } as TrialBalanceRow;
  return writeWorkbook(`科目余额表 ${period}`, cols, [...tb.rows, total]);
}

/** 现金流量表: the cash vouchers' counter-accounts of the month and of the year to it, classified in statements.ts. */
export async function getCashFlowStatement(ctx: UseCaseContext, period: string) {
  return runUseCase(ctx, async (tx) => {
    const yearStart = `${period.slice(0, 4)}-01`;
    const flows = (from: string) => tx.$queryRaw<{ code: string; amount: string }[]>`
      WITH cash AS (SELECT id FROM account WHERE code LIKE ANY(${CASH_ACCOUNTS.map((c) => `${c}%`)}::text[])),
      moving AS (
        SELECT DISTINCT voucher_id FROM voucher_line WHERE period >= ${from} AND period <= ${period} AND account_id IN (SELECT id FROM cash)
      )
      SELECT a.code, sum(l.credit - l.debit)::text AS amount
        FROM voucher_line l JOIN account a ON a.id = l.account_id
       WHERE l.voucher_id IN (SELECT voucher_id FROM moving) AND l.account_id NOT IN (SELECT id FROM cash)
       GROUP BY a.code`;
    const openingAt = async (before: string) => {
      const [row] = await tx.$queryRaw<{ cash: string }[]>`
        SELECT coalesce(sum(l.debit - l.credit), 0)::text AS cash FROM voucher_line l JOIN account a ON a.id = l.account_id
         WHERE l.period < ${before} AND a.code LIKE ANY(${CASH_ACCOUNTS.map((c) => `${c}%`)}::text[])`;
      return row!.cash;
    };
    return cashFlowStatement(period, await flows(period), await flows(yearStart), { month: await openingAt(period), year: await openingAt(yearStart) });
  });
}

export async function exportCashFlowStatement(ctx: UseCaseContext, period: string): Promise<Buffer> {
  const cf = await getCashFlowStatement(ctx, period);
  const cols: Column<StatementLine>[] = [
    { key: 'label', header: '项目', width: 50, value: (r) => r.label },
    { key: 'row', header: '行次', width: 6, value: (r) => r.row || null },
    { key: 'year', header: '本年累计金额', width: 16, value: (r) => num(r.other) },
    { key: 'month', header: '本月金额', width: 16, value: (r) => num(r.current) },
  ];
  return writeWorkbook(`现金流量表 ${period}`, cols, cf.lines);
}
