// 财务报表 of 小企业会计准则 — pure, from each postable account's figures (figures.ts):
//   资产负债表 (会小企01表): the standard lines with their 行次, 期末余额 and 年初余额; 损益 accounts
//     not yet closed out count in 未分配利润, so the sheet balances before 结转损益 too;
//   利润表 (会小企02表): 本月金额 and 本年累计金额, the closing vouchers (结转损益) left out.
import { Decimal } from 'decimal.js';
import type { StatementLine } from '../../../../shared/schemas/finance-reports.ts';
import { sumUnder, type AccountFigures } from './figures.ts';

type Pick = (f: AccountFigures) => Decimal;
interface LineDef {
  row: number;
  label: string;
  level?: number;
  /** debit-side accounts (the line is their debit − credit) */
  debit?: string[];
  /** credit-side accounts (credit − debit) */
  credit?: string[];
  /** a total: Σ of earlier rows (negative row: subtract) */
  sum?: number[];
  /** a heading, no amount */
  heading?: boolean;
}

const INVENTORY = ['1401', '1402', '1403', '1404', '1405', '1407', '1408', '1411', '1421', '4001', '4101', '4401', '4403'];

const ASSETS: LineDef[] = [
  { row: 0, label: '流动资产：', heading: true },
  { row: 1, label: '货币资金', debit: ['1001', '1002', '1012'] },
  { row: 2, label: '短期投资', debit: ['1101'] },
  { row: 3, label: '应收票据', debit: ['1121'] },
  { row: 4, label: '应收账款', debit: ['1122'] },
  { row: 5, label: '预付账款', debit: ['1123'] },
  { row: 6, label: '应收股利', debit: ['1131'] },
  { row: 7, label: '应收利息', debit: ['1132'] },
  { row: 8, label: '其他应收款', debit: ['1221'] },
  { row: 9, label: '存货', debit: INVENTORY },
  { row: 10, label: '其中：原材料', level: 2, debit: ['1403'] },
  { row: 11, label: '在产品', level: 2, debit: ['4001'] },
  { row: 12, label: '库存商品', level: 2, debit: ['1405'] },
  { row: 13, label: '周转材料', level: 2, debit: ['1411'] },
  { row: 14, label: '其他流动资产', debit: ['1901'] },
  { row: 15, label: '流动资产合计', sum: [1, 2, 3, 4, 5, 6, 7, 8, 9, 14] },
  { row: 0, label: '非流动资产：', heading: true },
  { row: 16, label: '长期债券投资', debit: ['1501'] },
  { row: 17, label: '长期股权投资', debit: ['1511'] },
  { row: 18, label: '固定资产原价', debit: ['1601'] },
  { row: 19, label: '减：累计折旧', credit: ['1602'] },
  { row: 20, label: '固定资产账面价值', sum: [18, -19] },
  { row: 21, label: '在建工程', debit: ['1604'] },
  { row: 22, label: '工程物资', debit: ['1605'] },
  { row: 23, label: '固定资产清理', debit: ['1606'] },
  { row: 24, label: '生产性生物资产', debit: ['1621', '1622'] },
  { row: 25, label: '无形资产', debit: ['1701', '1702'] },
  { row: 26, label: '开发支出', debit: ['4301'] },
  { row: 27, label: '长期待摊费用', debit: ['1801'] },
  { row: 28, label: '其他非流动资产', debit: [] },
  { row: 29, label: '非流动资产合计', sum: [16, 17, 20, 21, 22, 23, 24, 25, 26, 27, 28] },
  { row: 30, label: '资产总计', sum: [15, 29] },
];

const LIABILITIES_AND_EQUITY: LineDef[] = [
  { row: 0, label: '流动负债：', heading: true },
  { row: 31, label: '短期借款', credit: ['2001'] },
  { row: 32, label: '应付票据', credit: ['2201'] },
  { row: 33, label: '应付账款', credit: ['2202'] },
  { row: 34, label: '预收账款', credit: ['2203'] },
  { row: 35, label: '应付职工薪酬', credit: ['2211'] },
  { row: 36, label: '应交税费', credit: ['2221'] },
  { row: 37, label: '应付利息', credit: ['2231'] },
  { row: 38, label: '应付利润', credit: ['2232'] },
  { row: 39, label: '其他应付款', credit: ['2241'] },
  { row: 40, label: '其他流动负债', credit: [] },
  { row: 41, label: '流动负债合计', sum: [31, 32, 33, 34, 35, 36, 37, 38, 39, 40] },
  { row: 0, label: '非流动负债：', heading: true },
  { row: 42, label: '长期借款', credit: ['2501'] },
  { row: 43, label: '长期应付款', credit: ['2701'] },
  { row: 44, label: '递延收益', credit: ['2401'] },
  { row: 45, label: '其他非流动负债', credit: [] },
  { row: 46, label: '非流动负债合计', sum: [42, 43, 44, 45] },
  { row: 47, label: '负债合计', sum: [41, 46] },
  { row: 0, label: '所有者权益（或股东权益）：', heading: true },
  { row: 48, label: '实收资本（或股本）', credit: ['3001'] },
  { row: 49, label: '资本公积', credit: ['3002'] },
  { row: 50, label: '盈余公积', credit: ['3101'] },
  // 损益 accounts still open count here: the sheet balances before 结转损益 as after.
  { row: 51, label: '未分配利润', credit: ['3103', '3104', '5'] },
  { row: 52, label: '所有者权益（或股东权益）合计', sum: [48, 49, 50, 51] },
  { row: 53, label: '负债和所有者权益（或股东权益）总计', sum: [47, 52] },
];

const PROFIT: LineDef[] = [
  { row: 1, label: '一、营业收入', credit: ['5001', '5051'] },
  { row: 2, label: '减：营业成本', debit: ['5401', '5402'] },
  { row: 3, label: '税金及附加', debit: ['5403'] },
  { row: 11, label: '销售费用', debit: ['5601'] },
  { row: 14, label: '管理费用', debit: ['5602'] },
  { row: 18, label: '财务费用', debit: ['5603'] },
  { row: 20, label: '加：投资收益（损失以“-”号填列）', credit: ['5111'] },
  { row: 21, label: '二、营业利润（亏损以“-”号填列）', sum: [1, -2, -3, -11, -14, -18, 20] },
  { row: 22, label: '加：营业外收入', credit: ['5301'] },
  { row: 24, label: '减：营业外支出', debit: ['5711'] },
  { row: 30, label: '三、利润总额（亏损总额以“-”号填列）', sum: [21, 22, -24] },
  { row: 31, label: '减：所得税费用', debit: ['5801'] },
  { row: 32, label: '四、净利润（净亏损以“-”号填列）', sum: [30, -31] },
];

function draw(defs: readonly LineDef[], figures: readonly AccountFigures[], current: Pick, other: Pick, seed = new Map<number, [Decimal, Decimal]>()) {
  const values = seed;
  const lines: StatementLine[] = [];
  for (const d of defs) {
    let cur = new Decimal(0);
    let oth = new Decimal(0);
    if (d.sum) {
      for (const r of d.sum) {
        const [c, o] = values.get(Math.abs(r)) ?? [new Decimal(0), new Decimal(0)];
        cur = r < 0 ? cur.minus(c) : cur.plus(c);
        oth = r < 0 ? oth.minus(o) : oth.plus(o);
      }
    } else if (!d.heading) {
      const codes = d.debit ?? d.credit ?? [];
      const sign = d.debit ? 1 : -1;
      cur = sumUnder(figures, codes, current).times(sign);
      oth = sumUnder(figures, codes, other).times(sign);
    }
    if (d.row) values.set(d.row, [cur, oth]);
    lines.push({ code: d.debit?.[0] ?? d.credit?.[0] ?? '', label: d.label, row: d.row, level: d.level ?? 1, current: d.heading ? '' : cur.toFixed(2), other: d.heading ? '' : oth.toFixed(2) });
  }
  return { lines, values };
}

export function balanceSheet(period: string, figures: readonly AccountFigures[]) {
  const assets = draw(ASSETS, figures, (f) => f.closing, (f) => f.yearOpening);
  const le = draw(LIABILITIES_AND_EQUITY, figures, (f) => f.closing, (f) => f.yearOpening);
  const totalAssets = assets.values.get(30)![0];
  const totalLE = le.values.get(53)![0];
  return {
    period, assets: assets.lines, liabilitiesAndEquity: le.lines,
    totalAssets: totalAssets.toFixed(2), totalLiabilitiesAndEquity: totalLE.toFixed(2),
    balanced: totalAssets.eq(totalLE) && assets.values.get(30)![1].eq(le.values.get(53)![1]),
  };
}

export function profitStatement(period: string, figures: readonly AccountFigures[]) {
  const { lines, values } = draw(PROFIT, figures, (f) => f.periodNet, (f) => f.yearNet);
  const [month, year] = values.get(32)!;
  return { period, lines, netProfit: month.toFixed(2), netProfitYear: year.toFixed(2) };
}

// ---------- 现金流量表 (会小企03表) ----------

/** 现金: 库存现金, 银行存款, 其他货币资金. */
export const CASH_ACCOUNTS = ['1001', '1002', '1012'];

/**
 * Each counter-account's cash effect in the month: on a voucher that moves cash, every other line's
 * (credit − debit) is the cash it brought in (above 0) or paid out (below 0) — in a balanced voucher
 * they add up to the cash lines' movement. Vouchers between cash accounts only move no cash.
 */
export interface CashCounterFlow {
  code: string;
  /** Σ (credit − debit) of the account's lines on cash vouchers: inflow above 0 */
  amount: Decimal.Value;
}

interface FlowRule {
  codes: string[];
  /** the row an inflow goes to, and the row an outflow goes to */
  inflow: number;
  outflow: number;
}

// The first rule whose code prefix matches decides (more specific codes first).
const FLOW_RULES: FlowRule[] = [
  { codes: ['22210101', '2201', '2202', '1123', '1401', '1402', '1403', '1405', '1408', '1411', '5401', '5402'], inflow: 3, outflow: 3 },
  { codes: ['22210102', '1121', '1122', '2203', '5001', '5051'], inflow: 1, outflow: 1 },
  { codes: ['2211'], inflow: 4, outflow: 4 },
  { codes: ['2221', '5403', '5801'], inflow: 5, outflow: 5 },
  { codes: ['5111', '1131', '1132'], inflow: 9, outflow: 9 },
  { codes: ['1101', '1501', '1511'], inflow: 8, outflow: 11 },
  { codes: ['1601', '1604', '1605', '1606', '1621', '1701', '1801', '4301'], inflow: 10, outflow: 12 },
  { codes: ['2001', '2501'], inflow: 14, outflow: 16 },
  { codes: ['3001', '3002'], inflow: 15, outflow: 15 },
  { codes: ['2231'], inflow: 17, outflow: 17 },
  { codes: ['2232', '3104'], inflow: 18, outflow: 18 },
];

const CASH_FLOW_LINES: { row: number; label: string; outflow?: boolean; sum?: number[]; heading?: boolean }[] = [
  { row: 0, label: '一、经营活动产生的现金流量：', heading: true },
  { row: 1, label: '销售产成品、商品、提供劳务收到的现金' },
  { row: 2, label: '收到其他与经营活动有关的现金' },
  { row: 3, label: '减：购买原材料、商品、接受劳务支付的现金', outflow: true },
  { row: 4, label: '支付的职工薪酬', outflow: true },
  { row: 5, label: '支付的税费', outflow: true },
  { row: 6, label: '支付其他与经营活动有关的现金', outflow: true },
  { row: 7, label: '经营活动产生的现金流量净额', sum: [1, 2, -3, -4, -5, -6] },
  { row: 0, label: '二、投资活动产生的现金流量：', heading: true },
  { row: 8, label: '收回短期投资、长期债券投资和长期股权投资收到的现金' },
  { row: 9, label: '取得投资收益收到的现金' },
  { row: 10, label: '处置固定资产、无形资产和其他非流动资产收回的现金净额' },
  { row: 11, label: '减：短期投资、长期债券投资和长期股权投资支付的现金', outflow: true },
  { row: 12, label: '购建固定资产、无形资产和其他非流动资产支付的现金', outflow: true },
  { row: 13, label: '投资活动产生的现金流量净额', sum: [8, 9, 10, -11, -12] },
  { row: 0, label: '三、筹资活动产生的现金流量：', heading: true },
  { row: 14, label: '取得借款收到的现金' },
  { row: 15, label: '吸收投资者投资收到的现金' },
  { row: 16, label: '减：偿还借款本金支付的现金', outflow: true },
  { row: 17, label: '偿还借款利息支付的现金', outflow: true },
  { row: 18, label: '分配利润支付的现金', outflow: true },
  { row: 19, label: '筹资活动产生的现金流量净额', sum: [14, 15, -16, -17, -18] },
  { row: 20, label: '四、现金净增加额', sum: [7, 13, 19] },
  { row: 21, label: '加：期初现金余额' },
  { row: 22, label: '五、期末现金余额', sum: [20, 21] },
];

/** The row of a counter-account's cash effect; outflow rows hold amounts paid as positive figures. */
export function cashFlowRow(code: string, amount: Decimal): number {
  const rule = FLOW_RULES.find((r) => r.codes.some((c) => code.startsWith(c)));
  if (rule) return amount.gte(0) ? rule.inflow : rule.outflow;
  return amount.gte(0) ? 2 : 6;
}

export function cashFlowStatement(period: string, month: readonly CashCounterFlow[], year: readonly CashCounterFlow[], opening: { month: Decimal.Value; year: Decimal.Value }) {
  const fill = (flows: readonly CashCounterFlow[], openingCash: Decimal.Value) => {
    const rows = new Map<number, Decimal>();
    const add = (row: number, v: Decimal) => rows.set(row, (rows.get(row) ?? new Decimal(0)).plus(v));
    for (const f of flows) {
      const amount = new Decimal(f.amount);
      if (amount.isZero()) continue;
      const row = cashFlowRow(f.code, amount);
      // An outflow row shows what was paid (above 0); a refund on it (cash back) reduces it.
      add(row, CASH_FLOW_LINES.find((l) => l.row === row)!.outflow ? amount.neg() : amount);
    }
    rows.set(21, new Decimal(openingCash));
    for (const l of CASH_FLOW_LINES) {
      if (!l.sum) continue;
      rows.set(l.row, l.sum.reduce((t, r) => (r < 0 ? t.minus(rows.get(-r) ?? 0) : t.plus(rows.get(r) ?? 0)), new Decimal(0)));
    }
    return rows;
  };
  const m = fill(month, opening.month);
  const y = fill(year, opening.year);
  const lines: StatementLine[] = CASH_FLOW_LINES.map((l) => ({
    code: '', label: l.label, row: l.row, level: 1,
    current: l.heading ? '' : (m.get(l.row) ?? new Decimal(0)).toFixed(2),
    other: l.heading ? '' : (y.get(l.row) ?? new Decimal(0)).toFixed(2),
  }));
  return { period, lines, netIncrease: m.get(20)!.toFixed(2), closingCash: m.get(22)!.toFixed(2) };
}
